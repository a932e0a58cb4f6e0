// Lotse search (generated). search(query, {lang, limit, type, category}) → {total, results:[{url, title,
// excerpt, score}]}; preload(lang) fetches a language's whole index (for offline use). Every file is
// resolved relative to this module, so a site under a sub-path works.
const L = /*LANGS*/{};
const B = new URL('.', import.meta.url);
const F = new Map(), E = new Map();
const te = new TextEncoder(), td = new TextDecoder();
const err = (m) => new Error('Lotse search: ' + m);

// Data files are gzip-compressed (static hosts send .bin as-is); a host that already removed the
// compression hands us the raw bytes, which the engine checks (magic, checksum) all the same.
async function gunzip(b, path) {
  if (b[0] !== 31 || b[1] !== 139) return b;
  try {
    return new Uint8Array(await new Response(new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  } catch (e) {
    throw err(`search data file is corrupted (invalid compressed data) (${path})`);
  }
}

function get(path) {
  let p = F.get(path);
  if (!p) {
    p = fetch(new URL(path, B)).then(async (r) => {
      if (!r.ok) throw err(`could not load search data ${path} (HTTP ${r.status})`);
      return gunzip(new Uint8Array(await r.arrayBuffer()), path);
    }).catch((e) => { throw e.message?.startsWith('Lotse') ? e : err(`could not load search data ${path} (${e && e.message})`); });
    F.set(path, p);
    p.catch(() => F.delete(path));
  }
  return p;
}

// Runs `f` on the engine's exports; a trap discards the engine instead of leaving it half-changed.
function call(e, f) {
  try {
    return f(e.x);
  } catch (x) {
    E.delete(e.l);
    throw err(`the search engine failed (${x && x.message}); search data may be damaged`);
  }
}

function put(x, s) {
  const b = typeof s === 'string' ? te.encode(s) : s;
  const p = x.alloc(b.length);
  new Uint8Array(x.memory.buffer, p, b.length).set(b);
  return [p, b.length];
}

const out = (x) => td.decode(new Uint8Array(x.memory.buffer, x.out_ptr(), x.out_len()));

function engine(lang) {
  lang = lang || document.documentElement.lang;
  if (!L[lang]) lang = Object.keys(L).find((k) => lang && k.startsWith(lang)) || lang;
  let e = E.get(lang);
  if (!e) {
    const c = L[lang];
    if (!c) return Promise.reject(err(`no search index for language "${lang}"`));
    // one file: u32 length of the engine, the engine (wasm), the manifest
    e = get(c).then(async (b) => {
      const n = b.length < 4 ? -1 : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
      if (n < 0 || n + 4 > b.length) throw err(`search data file is truncated (${c})`);
      let x;
      try {
        x = (await WebAssembly.instantiate(b.subarray(4, n + 4), {})).instance.exports;
      } catch (e) {
        throw err(`the search engine could not start (${e && e.message})`);
      }
      const o = { x, l: lang, d: c.slice(0, c.lastIndexOf('/') + 1) };
      o.h = call(o, () => {
        const a = put(x, b.subarray(n + 4)), h = x.engine_new(...a);
        x.dealloc(...a);
        return h;
      });
      if (o.h < 0) throw err(`${out(x)} (${c})`);
      return o;
    }).catch((e) => {
      throw e instanceof Error && e.message.startsWith('Lotse') ? e : err('the search index manifest is damaged');
    });
    E.set(lang, e);
    e.catch(() => E.delete(lang));
  }
  return e;
}

async function add(e, names) {
  const data = await Promise.all(names.map((n) => get(e.d + n)));
  names.forEach((n, i) => {
    const r = call(e, (x) => {
      const a = put(x, n), b = put(x, data[i]), r = x.engine_add(e.h, ...a, ...b);
      x.dealloc(...a);
      x.dealloc(...b);
      return r < 0 ? out(x) : '';
    });
    if (r) {
      F.delete(e.d + n);
      throw err(`${r} (${e.d + n})`);
    }
  });
}

export async function search(query, { lang, limit = 10, type = '', category = '' } = {}) {
  const e = await engine(lang);
  for (let i = 0; i < 6; i++) {
    const [r, s] = call(e, (x) => {
      const a = [put(x, String(query ?? '')), put(x, String(type || '')), put(x, String(category || ''))];
      const r = x.engine_search(e.h, ...a[0], Math.max(0, limit | 0), ...a[1], ...a[2]);
      a.forEach((p) => x.dealloc(...p));
      return [r, out(x)];
    });
    if (r === 0) return JSON.parse(s);
    if (r < 0) throw err(s);
    try {
      await add(e, s.split('\n'));
    } catch (x) {
      // Offline with a saved language (sw.js serves preload's files from the pack, but not the top and
      // doc files a cold query asks for): with the whole index loaded, no other file is needed.
      if (e.p) throw x;
      e.p = 1;
      await preload(lang).catch(() => { throw x; });
    }
  }
  throw err('search data is inconsistent');
}

export async function preload(lang) {
  const e = await engine(lang), done = new Set();
  // The term chunks name the postings files of their frequent terms: ask until nothing new is listed.
  for (;;) {
    const n = call(e, (x) => (x.engine_files(e.h), out(x))).split('\n').filter((f) => f && !done.has(f));
    if (!n.length) return;
    n.forEach((f) => done.add(f));
    await add(e, n);
  }
}
