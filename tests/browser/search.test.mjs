// The real search.js and .wasm on the built demo portal, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { build, fixture, serve, launch, newPage, ROOT } from './harness.mjs';

let browser, demo, demoOut;

before(async () => {
  demoOut = build(ROOT);
  demo = await serve(demoOut);
  browser = await launch();
});
after(async () => { await browser?.close(); demo?.close(); });

/** Runs search.js's `search` inside the page. */
async function search(page, base, query, options) {
  return page.evaluate(async ([base, query, options]) => {
    const m = await import(new URL('_search/search.js', base).href);
    return m.search(query, options);
  }, [base, query, options]);
}

const EXPECTED = [
  ['de', 'Krankenversicherung', '/de/gesundheit/krankenversicherung/'],
  ['de', 'versicherung', '/de/gesundheit/krankenversicherung/'],   // a compound's part
  ['de', 'anerkennung abschluss', '/de/arbeit/anerkennung/'],
  ['de', 'Kranken', '/de/gesundheit/krankenversicherung/'],        // prefix while typing
  ['de', 'Krankenversicherunk', '/de/gesundheit/krankenversicherung/'], // a typo
  ['de', 'Aerzte', '/de/gesundheit/arztbesuch/'],                   // ae for ä
  ['en', 'helth insurance', '/en/gesundheit/krankenversicherung/'],  // a typo
  ['en', 'health insurance', '/en/gesundheit/krankenversicherung/'],
  ['en', 'recognition', '/en/arbeit/anerkennung/'],
  ['fr', 'reconnaissance des diplomes', '/fr/arbeit/anerkennung/'], // without the accent
  ['ar', 'الاعتراف بالشهادات', '/ar/arbeit/anerkennung/'],
  ['fa', 'بیمه درمانی', '/fa/gesundheit/krankenversicherung/'],
];

test('each language finds its expected pages with the real engine', async () => {
  const page = await newPage(browser);
  await page.goto(demo.url + 'de/');
  for (const [lang, query, url] of EXPECTED) {
    const r = await search(page, demo.url, query, { lang, limit: 10 });
    const urls = r.results.map((x) => x.url);
    assert.ok(urls.slice(0, 3).includes(url), `${lang} "${query}" → ${url} in the top 3, got ${urls.join(', ')}`);
    assert.ok(r.total >= r.results.length);
    for (const x of r.results) assert.equal(typeof x.score, 'number');
    assert.ok(r.results[0].excerpt.includes('<mark>') || r.results[0].title.length > 0);
  }
  assert.deepEqual(page.problems, []);
});

test('the search box renders results in place and announces the count', async () => {
  const page = await newPage(browser);
  await page.goto(demo.url + 'de/');
  await page.focus('#q');
  await page.keyboard.type('Krankenversicherung');
  await page.waitForSelector('#search-results a[href*="krankenversicherung"]', { timeout: 10000 });
  const live = await page.textContent('#search-results');
  assert.match(live, /\d+ Treffer/);
  // Keyboard: arrow down moves to the first result.
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('href') || '');
  assert.ok(focused.length > 0, 'arrow down focuses a result');
  // Arabic: the CLDR plural form and Arabic-Indic digits, as on the built pages.
  await page.goto(demo.url + 'ar/');
  await page.fill('#q', 'التأمين الصحي');
  await page.waitForSelector('#search-results a', { timeout: 10000 });
  assert.match(await page.textContent('#search-results p'), /^([\u0660-\u0669]+ (نتائج|نتيجة|نتيجةً)|نتيجة واحدة|نتيجتان)$/);
  assert.deepEqual(page.problems, []);
});

test('the search page works without JavaScript: every page of the language A–Z', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demo.url + 'ar/search/');
  const links = await page.$$eval('main li a', (as) => as.map((a) => a.textContent));
  assert.ok(links.length > 20, `all pages listed, got ${links.length}`);
  await context.close();
});

test('a truncated or corrupted shard gives a clear message, never a hang or an uncaught exception', async () => {
  for (const damage of ['truncate', 'garbage']) {
    const page = await newPage(browser);
    await page.route(/_search\/(?!search\.js).*\.(bin|json)$/, async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      const bad = damage === 'truncate' ? body.subarray(0, Math.max(1, body.length >> 1)) : Buffer.from(body.map((b, i) => (i % 7 === 3 ? b ^ 0x5a : b)));
      await route.fulfill({ response, body: bad });
    });
    await page.goto(demo.url + 'de/');
    const outcome = await Promise.race([
      page.evaluate(async (base) => {
        try {
          const m = await import(new URL('_search/search.js', base).href);
          await m.search('Krankenversicherung Anerkennung Wohnung', { lang: 'de' });
          return 'resolved';
        } catch (e) { return `rejected: ${e && e.message}`; }
      }, demo.url),
      new Promise((ok) => setTimeout(() => ok('hang'), 10000)),
    ]);
    assert.notEqual(outcome, 'hang', damage);
    if (outcome !== 'resolved') assert.match(outcome, /search (data|index)|corrupt|damaged|truncated/i, `${damage}: ${outcome}`);
    assert.deepEqual(page.problems.filter((p) => p.startsWith('uncaught')), [], damage);
    // The box shows a message instead of results.
    await page.fill('#q', 'Krankenversicherung');
    await page.waitForTimeout(600);
    await page.close();
  }
});

const XSS = '<img src=x onerror=alert(1)>';

test('titles and excerpts from content are escaped', async () => {
  const site = fixture({
    'site.yaml': 'title: T\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  de: { name: Deutsch }\n',
    'content/_index.de.md': '---\ntitle: Start\n---\nStart.\n',
    'content/boese.de.md': `---\ntitle: "${XSS} Wohnung"\n---\nWohnung ${XSS.replace(/</g, '&lt;')} und <b>fett</b> Wohnung.\n`,
  });
  const server = await serve(build(site));
  const page = await newPage(browser);
  let alerted = false;
  page.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
  await page.goto(server.url + 'de/');
  const r = await search(page, server.url, 'Wohnung', { lang: 'de' });
  assert.equal(r.results.length, 1);
  assert.ok(!r.results[0].excerpt.includes('<img'), r.results[0].excerpt);
  await page.fill('#q', 'Wohnung');
  await page.waitForSelector('#search-results a');
  assert.equal(await page.$$eval('#search-results img', (x) => x.length), 0);
  assert.ok((await page.textContent('#search-results')).includes('<img src=x'), 'shown as text');
  assert.equal(alerted, false);
  server.close();
});

test('search works when the site lives under a sub-path', async () => {
  const site = fixture({
    'site.yaml': 'title: T\nbase_url: https://user.github.io/portal/\ndefault_language: de\nlanguages:\n  de: { name: Deutsch }\n',
    'content/_index.de.md': '---\ntitle: Start\n---\nStart.\n',
    'content/wohnen.de.md': '---\ntitle: Wohnungssuche\n---\nEine Wohnung finden.\n',
  });
  const server = await serve(build(site), '/portal/');
  const page = await newPage(browser);
  await page.goto(server.url + 'de/');
  const r = await search(page, server.url, 'wohnung', { lang: 'de' });
  assert.equal(r.results[0]?.url, '/portal/de/wohnen/');
  await page.fill('#q', 'wohnung');
  await page.waitForSelector('#search-results a[href="/portal/de/wohnen/"]');
  assert.deepEqual(page.problems, []);
  server.close();
});

test('the search page filters by content type and category, in the box and in the API', async () => {
  const page = await newPage(browser);
  await page.goto(demo.url + 'de/search/');
  // The API: only places, only a category.
  const places = await search(page, demo.url, 'Beratung', { lang: 'de', limit: 10, type: 'place' });
  assert.ok(places.results.length > 0, 'places about counselling');
  for (const x of places.results) assert.match(x.url, /^\/de\/orte\//);
  const jobs = await search(page, demo.url, 'Küche', { lang: 'de', limit: 10, type: 'job' });
  assert.ok(jobs.results.some((x) => x.url.startsWith('/de/jobs/')), jobs.results.map((x) => x.url).join(', '));
  for (const x of jobs.results) assert.match(x.url, /^\/de\/jobs\//);
  // The box: choosing a type narrows the results shown.
  await page.selectOption('select[name=type]', 'event');
  await page.focus('#q');
  await page.keyboard.type('Treff');
  await page.waitForSelector('#search-results li a', { timeout: 10000 });
  const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0);
  for (const h of hrefs) assert.match(h, /\/de\/termine\//);
  assert.deepEqual(page.problems, []);
});
