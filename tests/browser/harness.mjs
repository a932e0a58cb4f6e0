// Shared by the browser tests: build a site with the real lotse binary, serve it
// (optionally under a sub-path) from a tiny static server, and drive Debian's Chromium.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOTSE = process.env.LOTSE_BIN || join(ROOT, 'target', 'release', 'lotse');

/** Builds `source` (a site folder) into a fresh temporary folder and returns the output path. */
export function build(source) {
  const out = join(mkdtempSync(join(tmpdir(), 'lotse-out-')), 'public');
  execFileSync(LOTSE, ['build', '--source', source, '--output', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** Writes a small site from {path: text} into a temporary folder and returns its path. */
export function fixture(files) {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-site-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.xml': 'application/xml', '.bin': 'application/octet-stream' };

/** Serves `dir` under `prefix` (e.g. '/portal/'); resolves to {url, close}. */
export function serve(dir, prefix = '/') {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); return res.end('outside the prefix'); }
    path = normalize(path.slice(prefix.length));
    if (path.startsWith('..')) { res.writeHead(403); return res.end(); }
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404); return res.end('not found'); }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() });
  }));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A new page that records console errors and uncaught exceptions. */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  return page;
}
