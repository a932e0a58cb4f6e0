// Lotse snippet for ../shared/tools/search-bench/harness/measure-search.js (body of an async fn, Q in scope).
// search.js is resolved relative to the page, the way the theme's search box does it (data-search-js on the
// form), so the snippet also works under a sub-path base_url.
const f = document.querySelector('form[data-search-js]');
const m = await import(new URL(f ? f.dataset.searchJs : '../../_search/search.js', location.href).href);
const r = await m.search(Q, { lang: document.documentElement.lang, limit: 10 });
return { total: r.total, urls: r.results.map((x) => new URL(x.url, location.href).pathname) };
