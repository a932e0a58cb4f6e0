#!/usr/bin/env python3
"""Per-language offline search data of Lotse and Pagefind in one built site, and engine sizes.

Lotse, language L: _search/search.js + _search/engine.L.*.wasm + _search/L/* — everything deployed. Not all
  of it is needed offline: the per-result doc files duplicate the preload bundle, and the "top" files (r*)
  are precomputed answers; what preload(L) downloads is measured by run.sh (snippets/lotse-preload.js).
Pagefind, language L: pagefind.js + pagefind-worker.js + pagefind-entry.json + pagefind.L_*.pf_meta
  + wasm.L.pagefind + index/L_* + fragment/L_* (the UI files are left out).
Bytes are on-disk sizes; "gzip" is gzip -9 of each file (what a gzip-ing server sends; Pagefind's .pf_* and
Lotse's .bin files are already compressed, so their gzip size is about their size).
Usage: sizes.py SITE [--json out.json]
"""
import glob, gzip, json, os, sys

site = sys.argv[1]
gz = lambda p: len(gzip.compress(open(p, "rb").read(), 9))
def tot(files):
    files = [f for f in files if os.path.isfile(f)]
    return {"files": len(files), "bytes": sum(os.path.getsize(f) for f in files), "gzip": sum(gz(f) for f in files)}

S = os.path.join(site, "_search")
P = os.path.join(site, "pagefind")
langs = sorted(d for d in os.listdir(S) if os.path.isdir(os.path.join(S, d)))
out = {"lotse": {}, "pagefind": {}, "engine": {}}
for l in langs:
    out["lotse"][l] = tot([os.path.join(S, "search.js")] + glob.glob(f"{S}/engine.{l}.*.wasm") + glob.glob(f"{S}/{l}/*"))
    if os.path.isdir(P):
        out["pagefind"][l] = tot([f"{P}/pagefind.js", f"{P}/pagefind-worker.js", f"{P}/pagefind-entry.json"]
                                 + glob.glob(f"{P}/pagefind.{l}_*.pf_meta") + glob.glob(f"{P}/wasm.{l}.pagefind")
                                 + glob.glob(f"{P}/index/{l}_*") + glob.glob(f"{P}/fragment/{l}_*"))
out["engine"]["lotse search.js"] = tot([os.path.join(S, "search.js")])
for w in sorted(glob.glob(f"{S}/engine.*.wasm")):
    out["engine"]["lotse " + os.path.basename(w)] = tot([w])
# Since 563bfdb the engine travels in _search/L/e*.bin: gzip(u32 length, wasm, manifest).
import struct
for l in langs:
    for e in glob.glob(f"{S}/{l}/e*.bin"):
        raw = gzip.decompress(open(e, "rb").read())
        n = struct.unpack("<I", raw[:4])[0]
        w = raw[4:4 + n]
        out["engine"][f"lotse {l}/{os.path.basename(e)} (engine+manifest, stored gzipped)"] = tot([e])
        out["engine"][f"lotse {l} wasm inside it"] = {"files": 1, "bytes": len(w), "gzip": len(gzip.compress(w, 9))}
if os.path.isdir(P):
    out["engine"]["pagefind pagefind.js"] = tot([f"{P}/pagefind.js"])
    out["engine"]["pagefind pagefind-worker.js"] = tot([f"{P}/pagefind-worker.js"])
    for w in sorted(glob.glob(f"{P}/wasm.*.pagefind")):
        out["engine"]["pagefind " + os.path.basename(w) + " (already gzipped)"] = tot([w])

MB = lambda b: f"{b / 1e6:.2f} MB"
print("| lang | Lotse files | Lotse bytes (gzip -9) | Pagefind files | Pagefind bytes (gzip -9) |")
print("|---|---:|---:|---:|---:|")
for l in langs:
    a, b = out["lotse"][l], out["pagefind"].get(l, {"files": 0, "bytes": 0, "gzip": 0})
    print(f"| {l} | {a['files']} | {MB(a['bytes'])} ({MB(a['gzip'])}) | {b['files']} | {MB(b['bytes'])} ({MB(b['gzip'])}) |")
print()
print("| file | bytes | gzip -9 |")
print("|---|---:|---:|")
for k, v in out["engine"].items():
    print(f"| {k} | {v['bytes'] / 1024:.1f} KB | {v['gzip'] / 1024:.1f} KB |")
if "--json" in sys.argv:
    json.dump(out, open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1)
