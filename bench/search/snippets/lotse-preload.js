// Offline size: what Lotse's preload(lang) downloads (everything the language's search needs offline).
const f = document.querySelector('form[data-search-js]');
const m = await import(new URL(f ? f.dataset.searchJs : '../../_search/search.js', location.href).href);
await m.preload(document.documentElement.lang);
return [];
