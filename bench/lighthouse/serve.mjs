// A static server like a production host: serves the precompressed .br/.gz beside a file when the
// browser accepts it, and sends the headers of the site's _headers file (cache, CSP, nosniff…).
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';

const [root, port = '8765'] = process.argv.slice(2);
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.webp': 'image/webp', '.xml': 'application/xml', '.bin': 'application/octet-stream', '.ics': 'text/calendar', '.pdf': 'application/pdf' };
// _headers: "path-pattern" lines followed by indented "Name: value" lines
const rules = [];
for (const line of readFileSync(join(root, '_headers'), 'utf8').split('\n')) {
  if (!line.trim()) continue;
  if (!line.startsWith(' ')) rules.push({ re: new RegExp('^' + line.trim().replace(/[.]/g, '\\.').replace(/\*/g, '.*') + '$'), headers: [] });
  else rules.at(-1).headers.push(line.trim().split(/:\s(.*)/).slice(0, 2));
}
createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = join(root, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404); return res.end('not found'); }
  for (const r of rules) if (r.re.test(path)) for (const [k, v] of r.headers) res.setHeader(k, v);
  res.setHeader('Content-Type', TYPES[extname(file)] || 'application/octet-stream');
  const accept = req.headers['accept-encoding'] || '';
  for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
    if (accept.includes(enc) && existsSync(file + ext)) {
      res.setHeader('Content-Encoding', enc);
      res.setHeader('Vary', 'Accept-Encoding');
      return res.end(readFileSync(file + ext));
    }
  }
  res.end(readFileSync(file));
}).listen(Number(port), '127.0.0.1');
