// Relevance of Lotse's browser search vs Pagefind on ../shared/bench/integreat-qa.
//
//   node relevance.mjs --site BUILT_SITE [--questions questions.jsonl] [--splits test,dev]
//                      [--engines lotse,pagefind,pagefind-main] [--out results.json] [--limit-per-lang N]
//
// BUILT_SITE is the output of `lotse build` on integreat-qa, with Pagefind run over the same HTML
// (run.sh does all of it): /_search/search.js (Lotse), /pagefind/ (Pagefind over whole <body>),
// /pagefind-main/ (Pagefind with --root-selector main); pagefind-or is an OR-of-words wrapper over
// /pagefind-main/ (see RUN.pagefindOr). Each question is passed as is to each engine,
// in headless Chromium (/usr/bin/chromium), one page per language reused for all its questions.
// Reports hit@1, hit@10 and MRR@10 per language and split.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf('--' + k); return i >= 0 ? args[i + 1] : d; };
const SITE = path.resolve(opt('site', '/tmp/lotse-bench-search/iqa'));
const QFILE = opt('questions', path.resolve(import.meta.dirname, '../../../shared/bench/integreat-qa/questions.jsonl'));
const SPLITS = opt('splits', 'test,dev').split(',');
const ENGINES = opt('engines', 'lotse,pagefind,pagefind-main,pagefind-or').split(',');
const OUT = opt('out', '');
const PER_LANG = +opt('limit-per-lang', '0');

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let f = path.join(SITE, p);
  if (!f.startsWith(SITE)) { res.writeHead(403).end(); return; }
  try { if (fs.statSync(f).isDirectory()) f = path.join(f, 'index.html'); } catch {}
  fs.readFile(f, (e, b) => {
    if (e) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': MIME[path.extname(f)] || 'application/octet-stream' }).end(b);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

const qs = fs.readFileSync(QFILE, 'utf8').split('\n').filter(Boolean).map(JSON.parse)
  .filter((q) => SPLITS.includes(q.split));
const langs = [...new Set(qs.map((q) => q.lang))];

// In-page runners: both return the top-10 URL paths (and the total) for one query.
const RUN = {
  lotse: async (Q, dir) => {
    const m = await import('/_search/search.js');
    const r = await m.search(Q, { lang: document.documentElement.lang, limit: 10 });
    return { total: r.total, urls: r.results.map((x) => new URL(x.url, location.href).pathname) };
  },
  pagefind: async (Q, dir) => {
    const pf = await import(`/${dir}/pagefind.js`);
    await pf.init();
    const r = await pf.search(Q);
    const d = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return { total: r.results.length, urls: d.map((x) => new URL(x.url, location.href).pathname) };
  },
  // Not Pagefind's own behaviour: a best-effort OR over the question's words (Pagefind requires all
  // terms), summing Pagefind's per-word scores, to show what a site could get with a little glue code.
  pagefindOr: async (Q, dir) => {
    const pf = await import(`/${dir}/pagefind.js`);
    await pf.init();
    const words = [...new Set(Q.toLowerCase().split(/[\s\p{P}]+/u).filter(Boolean))];
    const score = new Map(), res = new Map();
    for (const w of words) {
      const r = await pf.search(w);
      for (const x of r.results) { score.set(x.id, (score.get(x.id) || 0) + x.score); res.set(x.id, x); }
    }
    const top = [...score].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([id]) => res.get(id));
    const d = await Promise.all(top.map((x) => x.data()));
    return { total: score.size, urls: d.map((x) => new URL(x.url, location.href).pathname) };
  },
};
const runnerOf = (e) => (e === 'lotse' ? ['lotse', ''] : e === 'pagefind-or' ? ['pagefindOr', 'pagefind-main'] : ['pagefind', e]);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const rows = [];
for (const lang of langs) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${ORIGIN}/${lang}/search/`);
  let lq = qs.filter((q) => q.lang === lang);
  if (PER_LANG) lq = lq.slice(0, PER_LANG);
  for (const eng of ENGINES) {
    const [kind, dir] = runnerOf(eng);
    const fn = RUN[kind].toString();
    const t0 = Date.now();
    const res = await page.evaluate(async ({ fn, qs, dir }) => {
      const f = eval('(' + fn + ')');
      const out = [];
      for (const Q of qs) {
        const t = performance.now();
        try { const r = await f(Q, dir); out.push({ ...r, ms: performance.now() - t }); }
        catch (e) { out.push({ total: 0, urls: [], error: String(e && e.message || e), ms: performance.now() - t }); }
      }
      return out;
    }, { fn, qs: lq.map((q) => q.q), dir });
    lq.forEach((q, i) => rows.push({ lang, split: q.split, answerable: q.answerable, q: q.q, expect: q.expect, engine: eng, ...res[i] }));
    console.error(`${lang} ${eng}: ${lq.length} questions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (errors.length) console.error(`${lang} page errors:`, errors.slice(0, 5));
  await page.close();
}
await browser.close();
server.close();

// Metrics.
for (const r of rows) {
  const i = r.urls.findIndex((u) => r.expect.includes(u));
  r.rank = i < 0 ? 0 : i + 1;
}
const agg = (rs) => {
  const n = rs.length;
  return { n, hit1: rs.filter((r) => r.rank === 1).length / n, hit10: rs.filter((r) => r.rank > 0).length / n,
    mrr: rs.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / n, zero: rs.filter((r) => !r.urls.length).length / n,
    errors: rs.filter((r) => r.error).length, msMedian: median(rs.map((r) => r.ms)) };
};
function median(a) { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : 0; }
const f3 = (x) => x.toFixed(3);
const pct = (x) => (100 * x).toFixed(0) + '%';
const summary = {};
for (const split of SPLITS) {
  console.log(`\n### split = ${split}\n`);
  console.log('| lang | n | engine | hit@1 | hit@10 | MRR@10 | no result | median ms (warm) |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const lang of [...langs, 'all']) {
    for (const eng of ENGINES) {
      const rs = rows.filter((r) => r.split === split && r.engine === eng && (lang === 'all' || r.lang === lang));
      if (!rs.length) continue;
      const a = agg(rs);
      (summary[split] ??= {})[`${lang}/${eng}`] = a;
      console.log(`| ${lang} | ${a.n} | ${eng} | ${f3(a.hit1)} | ${f3(a.hit10)} | ${f3(a.mrr)} | ${pct(a.zero)} | ${a.msMedian.toFixed(1)} |${a.errors ? ` ${a.errors} errors` : ''}`);
    }
  }
}
if (OUT) fs.writeFileSync(OUT, JSON.stringify({ site: SITE, splits: SPLITS, engines: ENGINES, summary, rows }, null, 1));
