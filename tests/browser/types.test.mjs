// Content types in the browser: the opening-hours table says "open now" in the site's time zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { build, serve, launch, newPage, ROOT } from './harness.mjs';

let browser, demo;

before(async () => {
  demo = await serve(build(ROOT));
  browser = await launch();
});
after(async () => { await browser?.close(); demo?.close(); });

async function statusAt(iso) {
  const page = await newPage(browser);
  await page.clock.setFixedTime(new Date(iso));
  await page.goto(demo.url + 'de/orte/auslaenderbehoerde/');
  await page.waitForSelector('.open-now, .closed-now');
  const text = await page.textContent('.open-now, .closed-now');
  assert.deepEqual(page.problems, []);
  return text;
}

test('a place says whether it is open now, in the site time zone', async () => {
  // Monday 23 November 2026: 10:00 in Berlin (09:00 UTC) is within Mo-Tu 08:00-12:00; 13:00 is not.
  assert.equal(await statusAt('2026-11-23T09:00:00Z'), 'Jetzt geöffnet');
  assert.equal(await statusAt('2026-11-23T12:00:00Z'), 'Jetzt geschlossen');
  // Wednesday is closed all day.
  assert.equal(await statusAt('2026-11-25T09:00:00Z'), 'Jetzt geschlossen');
});
