#!/usr/bin/env python3
"""How long `lotse serve` takes from saving a file to the new page being served.

    python3 bench/serve_latency.py [--lotse target/release/lotse] [--runs 5]

Copies the demo portal to a temporary folder, starts `lotse serve` on it, then repeatedly (a) edits one
content page and (b) edits a template (the theme's page.html copied into the site), and polls the page
over HTTP until the change is served. Prints the median and worst time for each.
"""
import argparse, os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def wait_for(url, needle, timeout=60):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if needle in urllib.request.urlopen(url, timeout=5).read().decode():
                return time.monotonic()
        except Exception:
            pass
        time.sleep(0.002)
    raise SystemExit(f"{needle!r} never appeared at {url}")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lotse", default=os.path.join(ROOT, "target", "release", "lotse"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pause", type=float, default=4.0, help="seconds between edits, so the full build behind a shortcut ends first")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lotse-serve-")
    site = os.path.join(work, "site")
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns("target", "node_modules", ".git", "public", ".lotse-cache", "bench", "tests", "crates", "src"))
    port = free_port()
    proc = subprocess.Popen([a.lotse, "serve", "--source", site, "--output", os.path.join(work, "out"), "--port", str(port)],
                            stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/de/kontakt/", "</html>", timeout=120)
        page = os.path.join(site, "content", "kontakt.de.md")
        original = open(page, encoding="utf-8").read()
        tpl_dir = os.path.join(site, "themes", "default", "templates")
        os.makedirs(tpl_dir, exist_ok=True)
        template = open(os.path.join(ROOT, "themes", "default", "templates", "page.html"), encoding="utf-8").read()
        results = {"content page": [], "template": []}
        for i in range(a.runs):
            marker = f"Messpunkt{i}x{int(time.time()*1000)}"
            t0 = time.monotonic()
            with open(page, "w", encoding="utf-8") as f:
                f.write(original + f"\n\n{marker}\n")
            results["content page"].append((wait_for(base + "/de/kontakt/", marker) - t0) * 1000)
            time.sleep(a.pause)
            marker = f"Vorlage{i}x{int(time.time()*1000)}"
            t0 = time.monotonic()
            with open(os.path.join(tpl_dir, "page.html"), "w", encoding="utf-8") as f:
                f.write(template.replace("</article>", f"<p>{marker}</p></article>"))
            results["template"].append((wait_for(base + "/de/kontakt/", marker) - t0) * 1000)
            time.sleep(a.pause)
        print("| change | runs | median ms | worst ms |\n|---|---:|---:|---:|")
        for k, v in results.items():
            print(f"| {k} | {len(v)} | {statistics.median(v):.0f} | {max(v):.0f} |")
    finally:
        proc.kill()
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
