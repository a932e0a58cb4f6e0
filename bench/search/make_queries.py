#!/usr/bin/env python3
"""Deterministic cold-query sets for the harness from a bench/gen_site.py site.

For each language: N pages drawn with a fixed seed; the query is one word (odd items) or two words (even items)
of the page's title, lower-cased; `expect` is that page's URL and `page` the language's search page.
Usage: make_queries.py CONTENT_DIR --langs de,ar --n 15 --out queries.json
"""
import argparse, json, os, random, re

ap = argparse.ArgumentParser()
ap.add_argument("content")
ap.add_argument("--langs", default="de,ar")
ap.add_argument("--n", type=int, default=15)
ap.add_argument("--seed", default="lotse-search-bench")
ap.add_argument("--out", required=True)
a = ap.parse_args()

out = []
for lang in a.langs.split(","):
    files = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(a.content)
        for f in fs
        if f.endswith("." + lang + ".md") and not f.startswith("_index")
    )
    rng = random.Random(a.seed + lang)
    for i, path in enumerate(rng.sample(files, a.n)):
        text = open(path, encoding="utf-8").read()
        title = re.search(r'^title:\s*"(.*)"\s*$', text, re.M).group(1)
        words = [w for w in re.split(r"\W+", title.lower()) if len(w) >= 3]
        k = 2 if i % 2 else 1
        start = rng.randrange(0, max(1, len(words) - k + 1))
        q = " ".join(words[start:start + k])
        rel = os.path.relpath(path, a.content)
        sec, name = os.path.split(rel)
        slug = name[: -len("." + lang + ".md")]
        out.append({"q": q, "label": lang, "page": "/%s/search/" % lang,
                    "expect": ["/%s/%s/%s/" % (lang, sec, slug)]})
json.dump(out, open(a.out, "w"), ensure_ascii=False, indent=1)
print("wrote %d queries to %s" % (len(out), a.out))
