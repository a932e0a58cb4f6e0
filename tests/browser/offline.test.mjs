// Offline use in headless Chromium: the service worker, a saved language pack (pages and search
// without network), the offline page, caches replaced by a new build, and read aloud.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, fixture, serve, launch, LOTSE } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Under a sub-path, so the worker's scope and every URL in the packs carry the base path.
const FILES = (word) => ({
  'site.yaml': 'title: T\nbase_url: https://user.github.io/portal/\ndefault_language: de\nlanguages:\n'
    + '  de: { name: Deutsch }\n  fa: { name: فارسی, dir: rtl }\n',
  'content/_index.de.md': '---\ntitle: Start\n---\nWillkommen.\n',
  'content/_index.fa.md': '---\ntitle: خانه\n---\nخوش آمدید.\n',
  'content/wohnen.de.md': `---\ntitle: Wohnungssuche\n---\nEine Wohnung finden. ${word}\n`,
  'content/arbeit.de.md': '---\ntitle: Arbeit\n---\nArbeit suchen und Anerkennung.\n',
  'content/kurse.de.md': '---\ntitle: Sprachkurse\n---\nDeutsch lernen.\n',
});

async function context() {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`uncaught: ${e.message}`));
  return { ctx, page };
}

/** Opens `url` and waits until the service worker controls the page. */
async function controlled(page, url) {
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

/** Polls `fn(arg)`, an async check in the page (cache names), until it resolves truthy. */
async function until(page, fn, arg, timeout = 30000) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > end) throw new Error(`timed out: ${fn}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
const buildHash = (out) => /const BUILD = "([0-9a-f]+)"/.exec(readFileSync(join(out, 'sw.js'), 'utf8'))[1];

test('a saved language works offline: unvisited pages and search', async () => {
  const out = build(fixture(FILES('')));
  const server = await serve(out, '/portal/');
  const { ctx, page } = await context();
  await controlled(page, server.url + 'de/');
  await page.waitForSelector('#offline-save:not([hidden]) [data-action=save]:not([hidden])');
  await page.click('#offline-save [data-action=save]');
  await page.waitForSelector('#offline-save [data-action=download]:not([hidden])');
  const pack = JSON.parse(readFileSync(join(out, 'de/offline-pack.json'), 'utf8'));
  // the size before downloading, as the pack manifest says, in the page's language (the strings
  // come with the pack, not in every page)
  assert.match(await page.textContent('#offline-save [role=status]'), /^Alle Seiten und die Suche in dieser Sprache: \d+(,\d)? (KB|MB)$/);
  assert.equal(pack.strings.offline_saved, 'Diese Sprache ist offline gespeichert.');
  assert.ok(!readFileSync(join(out, 'de/index.html'), 'utf8').includes('data-saved'));
  assert.ok(pack.pages.includes('/portal/de/arbeit/'));
  await page.click('#offline-save [data-action=download]');
  await page.waitForSelector('#offline-save[data-state=saved]', { timeout: 60000 });
  assert.ok((await cacheNames(page)).includes(`lotse /portal/ ${pack.build} pack-de`));

  await ctx.setOffline(true);
  server.close();
  await page.goto(server.url + 'de/arbeit/');
  assert.equal(await page.textContent('h1'), 'Arbeit');
  // a page opened offline says the language is saved, with the string of the cached pack
  await page.waitForSelector('#offline-save[data-state=saved]');
  assert.equal(await page.textContent('#offline-save [role=status]'), 'Diese Sprache ist offline gespeichert.');
  const r = await page.evaluate(async (base) => {
    const m = await import(new URL('_search/search.js', base).href);
    return m.search('Sprachkurse', { lang: 'de' });
  }, server.url);
  assert.equal(r.results[0]?.url, '/portal/de/kurse/');
  // The search box of the page itself, too.
  await page.fill('#q', 'Wohnung');
  await page.waitForSelector('#search-results a[href="/portal/de/wohnen/"]', { timeout: 10000 });
  // Removing the pack removes its cache.
  await page.click('#offline-save [data-action=remove]');
  await page.waitForSelector('#offline-save[data-state=none]');
  assert.ok(!(await cacheNames(page)).some((n) => n.endsWith('pack-de')));
  assert.deepEqual(page.problems, []);
  await ctx.close();
});

test('without a saved pack, an unvisited page shows the offline page listing the visited ones', async () => {
  const server = await serve(build(fixture(FILES(''))), '/portal/');
  const { ctx, page } = await context();
  await controlled(page, server.url + 'de/');
  await page.goto(server.url + 'de/wohnen/'); // visited: cached by the worker
  await ctx.setOffline(true);
  await page.goto(server.url + 'de/arbeit/');
  assert.equal(await page.textContent('h1'), 'Sie sind offline');
  await page.waitForSelector('#offline-list a[href="/portal/de/wohnen/"]');
  assert.equal(await page.textContent('#offline-list a[href="/portal/de/wohnen/"]'), 'Wohnungssuche');
  await page.goto(server.url + 'de/wohnen/');
  assert.equal(await page.textContent('h1'), 'Wohnungssuche');
  assert.deepEqual(page.problems, []);
  await ctx.close();
  server.close();
});

test('a new build replaces the caches of the old one and downloads saved languages again', async () => {
  const site = fixture(FILES(''));
  const out = build(site);
  const first = buildHash(out);
  const server = await serve(out, '/portal/');
  const { ctx, page } = await context();
  await controlled(page, server.url + 'de/');
  await page.goto(server.url + 'de/wohnen/');
  assert.ok((await cacheNames(page)).some((n) => n.includes(` ${first} `)));
  await page.waitForSelector('#offline-save:not([hidden])');
  await page.click('#offline-save [data-action=save]');
  await page.click('#offline-save [data-action=download]');
  await page.waitForSelector('#offline-save[data-state=saved]', { timeout: 60000 });
  // A second build with changed content into the folder being served.
  execFileSync(LOTSE, ['build', '--source', fixture(FILES('Neu.')), '--output', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const second = buildHash(out);
  assert.notEqual(second, first);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await until(page, (h) => caches.keys().then((k) => k.some((n) => n.includes(` ${h} `)) && !k.some((n) => !n.includes(` ${h} `))), second);
  await page.goto(server.url + 'de/wohnen/');
  assert.match(await page.textContent('main'), /Neu\./);
  // The language saved with the old build is downloaded again from the new build's pack.
  const marker = '/portal/de/offline-pack.json';
  await until(page, async ([h, m]) => {
    const name = `lotse /portal/ ${h} pack-de`; // has() first: open() would create it
    return (await caches.has(name)) && Boolean(await (await caches.open(name)).match(m));
  }, [second, marker]);
  assert.deepEqual((await cacheNames(page)).filter((n) => n.includes(first)), []);
  await ctx.close();
  server.close();
});

// speechSynthesis stubbed: a German voice only; `speak` records the texts.
const STUB = () => {
  window.__spoken = [];
  const voices = [];
  const listeners = [];
  const synth = {
    getVoices: () => voices,
    addEventListener: (t, f) => { if (t === 'voiceschanged') listeners.push(f); },
    speak: (u) => { window.__spoken.push({ text: u.text, lang: u.lang }); },
    cancel: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { constructor(t) { this.text = t; } };
  // Voices arrive late, as in Chrome.
  setTimeout(() => { voices.push({ lang: 'de-DE', name: 'Anna' }); listeners.forEach((f) => f()); }, 50);
};

test('read aloud: shown when there is a voice for the page language, speaks the main text, stops', async () => {
  const server = await serve(build(fixture(FILES(''))), '/portal/');
  const { ctx, page } = await context();
  await page.addInitScript(STUB);
  await page.goto(server.url + 'de/wohnen/');
  await page.waitForSelector('#read-aloud:not([hidden])');
  await page.click('#read-aloud');
  const spoken = await page.evaluate(() => window.__spoken);
  assert.equal(spoken[0].text, 'Wohnungssuche');
  assert.ok(spoken.some((s) => s.text.includes('Eine Wohnung finden.')), JSON.stringify(spoken));
  assert.ok(spoken.every((s) => s.lang === 'de'));
  assert.equal(await page.textContent('#read-aloud'), 'Vorlesen beenden');
  await page.click('#read-aloud');
  assert.equal(await page.textContent('#read-aloud'), 'Vorlesen');
  await page.goto(server.url + 'fa/');
  await page.waitForTimeout(200);
  assert.equal(await page.isHidden('#read-aloud'), true, 'no Persian voice: no button');
  assert.deepEqual(page.problems, []);
  await ctx.close();
  server.close();
});
