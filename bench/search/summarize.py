#!/usr/bin/env python3
"""Markdown tables from measure-search.js results: cold-<engine>.json and typeahead-<engine>.json in DIR.
Usage: summarize.py DIR [engines...]"""
import json, os, statistics, sys

d = sys.argv[1]
engines = sys.argv[2:] or ["lotse", "pagefind"]
med = lambda xs: statistics.median(xs) if xs else float("nan")
print("| engine | lang | queries | median KB / query | median requests | median time to results (ms) | p90 time (ms) | expected page in top 10 |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for e in engines:
    p = os.path.join(d, f"cold-{e}.json")
    if not os.path.exists(p):
        continue
    rs = json.load(open(p))["results"]
    for lang in sorted({r.get("label") or "" for r in rs}) + ["all"]:
        g = [r for r in rs if lang == "all" or (r.get("label") or "") == lang]
        t = sorted(r["median"]["timeMs"] for r in g)
        p90 = t[min(len(t) - 1, int(0.9 * len(t)))]
        found = sum(1 for r in g if r.get("found"))
        print(f"| {e} | {lang} | {len(g)} | {med([r['median']['encodedBytes'] for r in g]) / 1024:.1f} | "
              f"{med([r['median']['requests'] for r in g]):g} | {med(t):.0f} | {p90:.0f} | {found}/{len(g)} |")
print()
print("| engine | query typed letter by letter | steps | total KB | total requests | sum of step times (ms) | slowest step (ms) | results for the full word |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
steps = []
for e in engines:
    p = os.path.join(d, f"typeahead-{e}.json")
    if not os.path.exists(p):
        continue
    for r in json.load(open(p))["results"]:
        s = r["steps"]
        print(f"| {e} | {r['q']} | {len(s)} | {r['total']['encodedBytes'] / 1024:.1f} | {r['total']['requests']} | "
              f"{r['total']['timeMs']:.0f} | {r['maxStepMs']:.0f} | {s[-1]['total'] if s else ''} |")
    for r in json.load(open(p))["results"]:
        steps.append(f"\n{e} per step: " + ", ".join(f"{x['prefix']} {x['encodedBytes'] / 1024:.1f} KB/{x['requests']} req/{x['timeMs']:.0f} ms" for x in r["steps"]))
print("\n".join(steps))
p = os.path.join(d, "preload-lotse.json")
if os.path.exists(p):
    print("\n| Lotse preload(lang) | requests | bytes over the wire |")
    print("|---|---:|---:|")
    for r in json.load(open(p))["results"]:
        x = r["reps"][0]
        print(f"| {r.get('label')} | {x['requests']} | {x['encodedBytes'] / 1e6:.2f} MB |")
