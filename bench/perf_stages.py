#!/usr/bin/env python3
"""Attributes `perf script` samples of a Lotse build to pipeline stages.

    perf record -F 499 --call-graph dwarf -o perf.data target/release/lotse build ...
    perf script -i perf.data -F comm,tid,sym | python3 bench/perf_stages.py

A sample belongs to the first stage (in the order below) one of whose patterns occurs
in any frame of its stack; symbols need a build with debug info
(CARGO_PROFILE_RELEASE_DEBUG=line-tables-only).
"""
import collections
import sys

STAGES = [
    ("search index (search::export, search-index, tantivy, stemmers)",
     ("lotse::search::", "search_index::", "tantivy", "frostem", "search_core::")),
    ("minify HTML (output::minify, minify-html)", ("lotse::output::minify", "minify_html::")),
    ("write files (output::publish)", ("lotse::output::publish", "std::fs::write")),
    ("Markdown to HTML (markdown::render, pulldown-cmark)", ("lotse::markdown::", "pulldown_cmark::")),
    ("templates (render::Renderer, Tera)", ("lotse::render::", "tera::")),
    ("feeds and sitemap (feeds::)", ("lotse::feeds::",)),
    ("read and parse content (content::, front matter)", ("lotse::content::", "serde_yaml", "walkdir")),
    ("resolve site (site::)", ("lotse::site::",)),
    ("config, i18n, theme", ("lotse::config::", "lotse::i18n::", "lotse::theme::")),
]


def main():
    counts = collections.Counter()
    total = 0
    stack = []

    def flush():
        nonlocal total
        if not stack:
            return
        total += 1
        for name, pats in STAGES:
            if any(p in f for f in stack for p in pats):
                counts[name] += 1
                break
        else:
            leaf = stack[0] if stack else "?"
            if "[unknown]" in leaf or leaf.strip() == "":
                counts["unattributed (stack not unwound)"] += 1
            elif "kernel" in leaf or leaf.startswith("[k]"):
                counts["kernel, unattributed (page faults, exit, munmap)"] += 1
            else:
                counts["other (allocator, rayon idle, exit)"] += 1
        stack.clear()

    for line in sys.stdin:
        if not line.strip():
            flush()
        elif line.startswith(("\t", " ")):
            stack.append(line.strip())
        else:
            flush()
    flush()
    print("| stage | share of CPU samples |")
    print("| --- | ---: |")
    for name, n in counts.most_common():
        print(f"| {name} | {100.0 * n / total:.1f}% |")
    print(f"\n{total} samples")


if __name__ == "__main__":
    main()
