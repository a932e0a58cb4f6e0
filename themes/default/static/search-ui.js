// Lotse search box: progressive enhancement of <form role="search" data-search-js data-lang>.
// The engine loads on the first focus of the box; results render in place in #search-results (a polite
// live region that announces the count); ArrowDown/ArrowUp move through the results, Escape returns to the
// box; on the search page (?q=) the query runs on load. No left/right assumptions (RTL works).
(() => {
  const init = () => document.querySelectorAll('form[role=search][data-search-js]').forEach((form) => {
    const input = form.querySelector('input[name=q]');
    if (!input) return;
    let box = document.getElementById('search-results');
    if (!box) {
      box = document.createElement('div');
      box.id = 'search-results';
      box.setAttribute('aria-live', 'polite');
      form.after(box);
    }
    const el = (tag, text) => {
      const e = document.createElement(tag);
      if (text != null) e.textContent = text;
      return e;
    };
    let engine, seq = 0, timer;
    const load = () => (engine ||= import(new URL(form.dataset.searchJs, location.href).href).catch((e) => {
      engine = null;
      throw e;
    }));
    // The count in the page's language: its CLDR plural form and its digits.
    const count = (n) => {
      const d = box.dataset, lang = document.documentElement.lang;
      if (!n) return d.none || '';
      let forms = {};
      try { forms = JSON.parse(d.counts || '{}'); } catch (e) { /* keep the fallback */ }
      return (forms[new Intl.PluralRules(lang).select(n)] || forms.other || '{n}').replace('{n}', n.toLocaleString(`${lang}-u-nu-${d.nu || 'latn'}`));
    };
    const show = (r) => {
      const list = el('ul');
      list.className = 'search-hits';
      for (const x of r.results) {
        const li = el('li'), a = el('a', x.title || x.url);
        a.href = x.url;
        li.append(a);
        if (x.excerpt) {
          const p = el('p');
          p.innerHTML = x.excerpt; // escaped by the engine, only <mark> added
          li.append(p);
        }
        list.append(li);
      }
      box.replaceChildren(el('p', count(r.total)), ...(r.results.length ? [list] : []));
    };
    const run = async () => {
      const my = ++seq;
      if (!input.value.trim()) return box.replaceChildren();
      try {
        const pick = (n) => (form.querySelector(`select[name=${n}]`) || {}).value || '';
        const r = await (await load()).search(input.value, { lang: form.dataset.lang, limit: 10, type: pick('type'), category: pick('category') });
        if (my === seq) show(r);
      } catch (e) {
        if (my !== seq) return;
        const p = el('p', (e && e.message) || String(e));
        p.setAttribute('role', 'alert');
        box.replaceChildren(p);
      }
    };
    input.addEventListener('focus', () => load().catch(() => {}), { once: true });
    form.querySelectorAll('select').forEach((s) => s.addEventListener('change', run));
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    const nav = (ev) => {
      const links = [...box.querySelectorAll('a')], i = links.indexOf(document.activeElement);
      const t = ev.key === 'ArrowDown' ? links[i + 1]
        : ev.key === 'ArrowUp' ? (i > 0 ? links[i - 1] : i === 0 ? input : null)
        : ev.key === 'Escape' && i >= 0 ? input : null;
      if (t) {
        ev.preventDefault();
        t.focus();
      }
    };
    input.addEventListener('keydown', nav);
    box.addEventListener('keydown', nav);
    const q = new URLSearchParams(location.search).get('q');
    if (q) {
      input.value = q;
      run();
    }
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
