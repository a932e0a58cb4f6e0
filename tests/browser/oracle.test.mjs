// The oracle: over the demo portal, the real WASM engine in Chromium must answer every
// query exactly as native tantivy does (`lotse search --json`): same total, same top-10
// in the same order, same scores. Each query runs finished (with a trailing space) and
// strictly; while typing (no trailing space) the last word also expands as a prefix, which
// the engine does only within the chunks it fetched (documented in search-core's engine.rs),
// so there only the best hit must agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { build, serve, launch, newPage, ROOT, LOTSE } from './harness.mjs';

const QUERIES = {
  de: ['Krankenversicherung', 'versicherung', 'Anerkennung Abschluss', 'Aerzte', 'Ärzte', 'Wohnung suchen', 'Integrationskurs',
    'Jobcenter Talbach', 'Kinder Schule', 'Notfall', 'Mietvertrag Kaution', 'Asylverfahren Anhörung', 'Strasse', 'Kranken'],
  en: ['health insurance', 'recognition of qualifications', 'flat rent', 'language course', 'asylum interview', 'emergency'],
  fr: ['assurance maladie', 'reconnaissance des diplômes', 'reconnaissance des diplomes', 'logement', 'cours de langue'],
  ar: ['التأمين الصحي', 'الاعتراف بالشهادات', 'السكن', 'دورة اللغة', 'طوارئ', 'مستشفى'],
  fa: ['بیمه درمانی', 'بيمه درماني', 'مسکن', 'کلاس زبان', 'پناهندگی', 'اورژانس'],
  ls: ['Sprach-Kurs', 'Wohnung', 'Notfall'],
};

let browser, server;
before(async () => { server = await serve(build(ROOT)); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('the WASM engine ranks and scores exactly like native tantivy', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'de/');
  let compared = 0;
  for (const [lang, queries] of Object.entries(QUERIES)) {
    for (const typed of queries.flatMap((q) => [q + ' ', q])) {
      const q = typed;
      const typing = !q.endsWith(' ');
      const native = JSON.parse(execFileSync(LOTSE, ['search', '--source', ROOT, '--lang', lang, '--limit', '10', '--json', q]).toString());
      const wasm = await page.evaluate(async ([base, q, lang]) => {
        const m = await import(new URL('_search/search.js', base).href);
        return m.search(q, { lang, limit: 10 });
      }, [server.url, q, lang]);
      const label = `${lang} "${q}"`;
      if (typing) {
        assert.equal(wasm.results[0]?.url, native.results[0]?.url, `${label} (typing): best hit`);
        continue;
      }
      assert.equal(wasm.total, native.total, `${label}: total`);
      assert.deepEqual(wasm.results.map((r) => r.url), native.results.map((r) => r.url), `${label}: top 10`);
      wasm.results.forEach((r, i) => {
        assert.ok(Math.abs(r.score - native.results[i].score) <= 1e-4 * Math.max(1, native.results[i].score), `${label}: score of ${r.url}: ${r.score} vs ${native.results[i].score}`);
        assert.equal(r.title, native.results[i].title);
      });
      if (native.total > 0) compared++;
    }
  }
  assert.ok(compared >= 30, `most queries find something (${compared})`);
  assert.deepEqual(page.problems, []);
});
