// Accessibility in headless Chromium on the built demo portal: axe-core with the WCAG 2.1 A/AA rules,
// right-to-left layout, and a 320 px wide screen without horizontal scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build, serve, launch, newPage, ROOT } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser, demo;

before(async () => {
  demo = await serve(build(ROOT));
  browser = await launch();
});
after(async () => { await browser?.close(); demo?.close(); });

// home, a content page, a list, the search page, a place, an event
const PAGES = ['', 'gesundheit/krankenversicherung/', 'orte/', 'search/', 'orte/migrationsberatung-caritas/', 'termine/sprachcafe-donnerstag/'];

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

for (const lang of ['de', 'ar', 'fa', 'uk']) {
  test(`axe-core finds no WCAG 2.1 A/AA violation in ${lang}`, async () => {
    const page = await newPage(browser);
    for (const path of PAGES) {
      const res = await page.goto(`${demo.url}${lang}/${path}`);
      assert.equal(res.status(), 200, `${lang}/${path}`);
      assert.deepEqual(await axe(page), [], `${lang}/${path}`);
    }
    assert.deepEqual(page.problems, []);
  });
}

test('right-to-left pages mirror the header and keep phone numbers readable', async () => {
  const page = await newPage(browser);
  await page.goto(`${demo.url}ar/orte/migrationsberatung-caritas/`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  // the brand sits at the right edge in RTL, at the left in LTR
  const brandRtl = await page.$eval('.brand', (e) => e.getBoundingClientRect().right);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  assert.ok(brandRtl > width / 2, `brand on the right in RTL (${brandRtl} of ${width})`);
  // a phone number inside RTL text keeps its left-to-right order
  const phone = await page.$eval('a[href^="tel:"]', (a) => [a.getAttribute('dir'), getComputedStyle(a).direction, a.textContent]);
  assert.equal(phone[1], 'ltr', phone.join(' '));
  assert.match(phone[2], /^\+49 361 555-\d{4}$/);
  await page.goto(`${demo.url}de/orte/migrationsberatung-caritas/`);
  const brandLtr = await page.$eval('.brand', (e) => e.getBoundingClientRect().left);
  assert.ok(brandLtr < width / 2);
});

test('no horizontal scrolling at 320 px width or at 200 % zoom', async () => {
  for (const [width, zoom] of [[320, 1], [640, 2]]) {
    const context = await browser.newContext({ viewport: { width, height: 640 }, deviceScaleFactor: zoom });
    const page = await context.newPage();
    for (const path of ['de/', 'ar/orte/', 'fa/termine/sprachcafe-donnerstag/', 'de/jobs/']) {
      await page.goto(demo.url + path);
      if (zoom !== 1) await page.evaluate((z) => { document.documentElement.style.zoom = String(z); }, zoom);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client + 1, `${path} at ${width}px ×${zoom}: ${scroll} > ${client}`);
    }
    await context.close();
  }
});
