#!/usr/bin/env python3
"""Relevance on integreat-qa through the native oracle (`lotse search --json`), which ranks exactly
as the browser engine does (tests/browser/oracle.test.mjs). Fast enough to tune ranking on
train/dev; report test. Usage: relevance_native.py LOTSE SITE QUESTIONS.jsonl --split dev"""
import argparse, json, subprocess, sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

ap = argparse.ArgumentParser()
ap.add_argument("lotse"); ap.add_argument("site"); ap.add_argument("questions")
ap.add_argument("--split", default="dev"); ap.add_argument("--show-misses", type=int, default=0)
a = ap.parse_args()
qs = [json.loads(l) for l in open(a.questions) if l.strip()]
qs = [q for q in qs if q["split"] == a.split]

def run(q):
    out = subprocess.run([a.lotse, "search", "--source", a.site, "--lang", q["lang"], "--limit", "10", "--json", q["q"]],
                         capture_output=True, text=True)
    urls = [r["url"] for r in json.loads(out.stdout)["results"]] if out.returncode == 0 else []
    expect = q["expect"] if isinstance(q["expect"], list) else [q["expect"]]
    rank = next((i + 1 for i, u in enumerate(urls) if u in expect), 0)
    return q, rank, urls

stats = defaultdict(lambda: [0, 0, 0.0, 0])
misses = []
with ThreadPoolExecutor(4) as ex:
    for q, rank, urls in ex.map(run, qs):
        for key in (q["lang"], "all"):
            s = stats[key]; s[3] += 1
            if rank == 1: s[0] += 1
            if rank: s[1] += 1; s[2] += 1 / rank
        if rank != 1: misses.append((q, rank, urls[:3]))
print(f"split {a.split}\n| lang | n | hit@1 | hit@10 | MRR@10 |\n|---|---:|---:|---:|---:|")
for lang in sorted(stats):
    h1, h10, mrr, n = stats[lang]
    print(f"| {lang} | {n} | {h1/n:.3f} | {h10/n:.3f} | {mrr/n:.3f} |")
for q, rank, top in misses[: a.show_misses]:
    print(rank, q["lang"], q["q"], "→", q["expect"], "got", top, file=sys.stderr)
