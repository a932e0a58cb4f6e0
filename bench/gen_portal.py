#!/usr/bin/env python3
"""Deterministic generator of a synthetic help portal at portal scale, with Lotse's content types:
150 places (orte/, type place), 700 offers at those places (angebote/, type offer), 2,000 jobs
(jobs/, type job) and 300 events (termine/, type event), in five languages (de, en, fr, ar, fa).

    python3 bench/gen_portal.py --out /tmp/lotse-bench/portal          # typed entries
    python3 bench/gen_portal.py --plain --out /tmp/lotse-bench/plain   # the same pages, no types

Every entry is written in German with its facts and a body of 80-200 words (gen_site.py's text
generator); the translations (en, fr, ar, fa) carry only title and body, the facts are inherited.
With --plain the same files are written with the same titles, descriptions, categories and bodies
but without `type` and without the type fields: the plain-page site of the same size (plain pages
inherit nothing, so there every language's file names the categories).

All keys (categories, target groups, languages, districts) have names in Lotse's built-in i18n.
Standard library only. The same arguments always give byte-identical files.
"""

import argparse
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_site import LANGS, LANG_META, SYLLABLES, Words, slugify_latin, write, yaml_str  # noqa: E402

CATEGORIES = ("arrival asylum counselling language work housing health children education volunteering "
              "donations leisure women legal mobility everyday").split()
TARGET_GROUPS = "refugees migrants families women youth children seniors helpers students disabled".split()
SPOKEN = "de en fr ar fa uk ru tr".split()
DISTRICTS = {  # key: (neighbours, town, postal code, centre lat, centre lon)
    "talbach-mitte": (["talbach-nord", "talbach-sued"], "Talbach", "98765", 50.975, 11.030),
    "talbach-nord": (["talbach-mitte", "bergheim"], "Talbach", "98766", 50.995, 11.035),
    "talbach-sued": (["talbach-mitte", "wiesenau"], "Talbach", "98767", 50.955, 11.025),
    "bergheim": (["talbach-nord", "altenfeld"], "Bergheim", "98770", 51.015, 11.070),
    "wiesenau": (["talbach-sued", "rodach"], "Wiesenau", "98772", 50.940, 10.990),
    "altenfeld": (["bergheim", "rodach"], "Altenfeld", "98777", 51.010, 10.960),
    "rodach": (["altenfeld", "wiesenau"], "Rodach", "98779", 50.975, 10.930),
}
OPENING_HOURS = [
    "Mo-Fr 09:00-12:00; Th 14:00-18:00",
    "Mo,Tu,Fr 08:00-12:00; Th 13:00-17:30; We off",
    "Mo 14:00-18:00; We,Fr 10:00-13:00",
    "Tu,Th 10:00-16:00",
    "Mo-Th 10:00-18:00; Fr 10:00-14:00",
    "We 16:00-19:00; Sa 10:00-14:00",
    "Mo-Fr 08:00-16:00; PH off",
    "Mo,We 09:00-12:00; Tu 17:00-19:00",
    "24/7",
]
EMPLOYMENT = ["full_time"] * 4 + ["part_time"] * 3 + ["apprenticeship", "internship", "mini_job"]
LEVELS = ["A1", "A2", "B1", "B1", "B2", "B2", "C1", "C2"]
STREETS = ["Marktplatz", "Bahnhofstraße", "Schulstraße", "Lindenallee", "Brunnenstraße", "Kirchgasse",
           "Gartenweg", "Schlossplatz", "Mühlenweg", "Am Anger", "Hauptstraße", "Wiesenstraße"]
SECTIONS = {  # folder: (type, de title, titles in the other languages)
    "orte": ("place", "Orte", {"en": "Places", "fr": "Lieux", "ar": "الأماكن", "fa": "مکان‌ها"}),
    "angebote": ("offer", "Angebote", {"en": "Services", "fr": "Offres", "ar": "الخدمات", "fa": "خدمات"}),
    "jobs": ("job", "Jobs", {"en": "Jobs", "fr": "Emplois", "ar": "وظائف", "fa": "مشاغل"}),
    "termine": ("event", "Termine", {"en": "Events", "fr": "Agenda", "ar": "المواعيد", "fa": "رویدادها"}),
}
OUTLINE = """{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"name": "Bench region"},
 "geometry": {"type": "Polygon", "coordinates": [[
  [10.88, 50.92], [11.00, 50.91], [11.12, 50.92], [11.16, 50.97], [11.13, 51.03],
  [11.02, 51.04], [10.92, 51.03], [10.88, 50.98], [10.88, 50.92]]]}}]}
"""


def site_yaml():
    lines = ['title: "Bench Portal"', 'base_url: "https://bench.example.org/"', "default_language: de",
             "paginate: 10", "languages:"]
    for l in LANGS:
        name, d = LANG_META[l]
        lines.append('  %s: { name: "%s", dir: %s }' % (l, name, d))
    lines += ["timezone: Europe/Berlin", "districts:"]
    for k, (near, *_rest) in DISTRICTS.items():
        lines.append("  %s: { near: [%s] }" % (k, ", ".join(near)))
    lines.append("map_outline: region.geojson")
    return "\n".join(lines) + "\n"


def short_body(w, r):
    """A Markdown body of 80-200 words: two to four paragraphs, sometimes a heading and a list."""
    target = r.randint(80, 200)
    count, parts = 0, []
    n_par = r.randint(2, 4)
    for i in range(n_par):
        if i == 1 and r.random() < 0.4:
            t = w.title(2, 4)
            count += len(t.split())
            parts.append("## " + t)
        sents, n = [], 0
        goal = max(10, (target - count) // (n_par - i))
        while n < goal:
            hi = max(4, min(20, goal - n))
            s, k = w.sentence(min(8, hi), hi)
            sents.append(s)
            n += k
        count += n
        parts.append(" ".join(sents))
        if i == 0 and r.random() < 0.3:
            items = []
            for _ in range(r.randint(2, 4)):
                s, k = w.sentence(4, 8)
                count += k
                items.append("- " + s)
            parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"


def fm_block(fields):
    out = ["---"]
    for k, v in fields:
        out.append("%s: %s" % (k, v))
    out.append("---")
    return "\n".join(out) + "\n\n"


def flow_list(items):
    return "[" + ", ".join(items) + "]"


def address(r, district):
    near, city, plz, _lat, _lon = DISTRICTS[district]
    return '{ street: %s %d, postal_code: "%s", city: %s, district: %s }' % (
        r.choice(STREETS), r.randint(1, 80), plz, city, district)


def geo(r, district):
    _near, _city, _plz, lat, lon = DISTRICTS[district]
    return "{ lat: %.5f, lon: %.5f }" % (lat + r.uniform(-0.008, 0.008), lon + r.uniform(-0.012, 0.012))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output folder (the site: site.yaml, content/, ...)")
    ap.add_argument("--plain", action="store_true", help="the same pages without types and type fields")
    ap.add_argument("--places", type=int, default=150)
    ap.add_argument("--offers", type=int, default=700)
    ap.add_argument("--jobs", type=int, default=2000)
    ap.add_argument("--events", type=int, default=300)
    ap.add_argument("--seed", default="lotse-portal-1", help="random seed (default lotse-portal-1)")
    args = ap.parse_args(argv)
    typed = not args.plain

    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    write(os.path.join(out, "site.yaml"), site_yaml())
    write(os.path.join(out, "region.geojson"), OUTLINE)
    content = os.path.join(out, "content")

    words = {l: Words(l, random.Random("%s-%s" % (args.seed, l))) for l in LANGS}
    rng = random.Random(args.seed)
    used = set()
    sylls = SYLLABLES["de"]
    counts = {"orte": args.places, "angebote": args.offers, "jobs": args.jobs, "termine": args.events}
    slugs = {sec: ["%s-%d" % (slugify_latin(rng, used, sylls), i) for i in range(n)] for sec, n in counts.items()}
    files = 0

    # section pages
    for sec, (typ, de_title, titles) in SECTIONS.items():
        for l in LANGS:
            w = words[l]
            r = random.Random("%s-index-%s-%s" % (args.seed, sec, l))
            fields = [("title", yaml_str(de_title if l == "de" else titles[l]))]
            if typed:
                fields.append(("type", typ))
            write(os.path.join(content, sec, "_index.%s.md" % l), fm_block(fields) + short_body(w, r))
            files += 1
    for l in LANGS:
        home = {"de": "Bench-Portal", "en": "Bench Portal", "fr": "Portail Bench", "ar": "بوابة الاختبار",
                "fa": "درگاه آزمایشی"}[l]
        r = random.Random("%s-home-%s" % (args.seed, l))
        write(os.path.join(content, "_index.%s.md" % l), fm_block([("title", yaml_str(home))]) + short_body(words[l], r))
        files += 1

    # facts of one entry (German file only); r is the entry's own generator
    def facts(sec, i, r):
        district = r.choice(list(DISTRICTS))
        cats = sorted(r.sample(CATEGORIES, r.randint(1, 3)))
        groups = sorted(r.sample(TARGET_GROUPS, r.randint(1, 3)))
        spoken = ["de"] + sorted(r.sample(SPOKEN[1:], r.randint(0, 4)))
        phone = "+49 7151 555-%04d" % r.randint(0, 9999)
        f = []
        if sec == "orte":
            f += [("address", address(r, district)), ("geo", geo(r, district)), ("phone", phone),
                  ("email", "ort%d@bench.example.org" % i),
                  ("opening_hours", yaml_str(r.choice(OPENING_HOURS))),
                  ("languages", flow_list(spoken)), ("target_groups", flow_list(groups))]
            if r.random() < 0.5:
                f.append(("step_free", "true"))
        elif sec == "angebote":
            f += [("provider", yaml_str("Träger %d e. V." % r.randint(1, 60))),
                  ("place", '"@/orte/%s.md"' % r.choice(slugs["orte"])),
                  ("target_groups", flow_list(groups)), ("languages", flow_list(spoken)),
                  ("cost", "kostenlos" if r.random() < 0.8 else yaml_str("%d € pro Termin" % r.randint(2, 20))),
                  ("registration", yaml_str("Termin per Telefon oder E-Mail.")), ("phone", phone)]
        elif sec == "jobs":
            y, m = (2027, r.randint(1, 12)) if r.random() < 0.85 else (2026, r.randint(1, 12))
            f += [("employer", yaml_str("Betrieb %d GmbH" % r.randint(1, 400))),
                  ("address", address(r, district)),
                  ("employment", r.choice(EMPLOYMENT)), ("language_level", r.choice(LEVELS)),
                  ("valid_through", "%04d-%02d-%02d" % (y, m, r.randint(1, 28))),
                  ("apply", yaml_str("Bewerbung per E-Mail an jobs%d@bench.example.org oder telefonisch." % i)),
                  ("phone", phone)]
            if r.random() < 0.5:
                f.append(("salary", yaml_str("%d,%02d € pro Stunde" % (r.randint(13, 22), r.choice((0, 50, 80))))))
        elif sec == "termine":
            # the build's "today" with SOURCE_DATE_EPOCH=1795000000 is 2026-11-18: about 20 % in the past
            past = r.random() < 0.2
            y, m = (2026, r.randint(1, 10)) if past else r.choice([(2026, 12)] + [(2027, k) for k in range(1, 7)])
            d, h = r.randint(1, 28), r.randint(9, 18)
            f += [("start", "%04d-%02d-%02d %02d:00" % (y, m, d, h)),
                  ("end", "%04d-%02d-%02d %02d:%s" % (y, m, d, h + r.randint(1, 3), r.choice(("00", "30"))))]
            if not past and r.random() < 0.15:
                f.append(("repeat", "{ freq: weekly, until: 2027-06-30 }"))
            if r.random() < 0.7:
                f.append(("place", '"@/orte/%s.md"' % r.choice(slugs["orte"])))
            else:
                f.append(("address", address(r, district)))
            f += [("organiser", yaml_str("Initiative %d" % r.randint(1, 80))),
                  ("target_groups", flow_list(groups)), ("languages", flow_list(spoken))]
        return cats, f

    for sec in SECTIONS:
        for i, slug in enumerate(slugs[sec]):
            r = random.Random("%s-%s-%d" % (args.seed, sec, i))
            cats, f = facts(sec, i, r)
            for l in LANGS:
                w = words[l]
                tr = random.Random("%s-%s-%d-%s" % (args.seed, sec, i, l))
                fields = [("title", yaml_str(w.title(3, 6)))]
                if l == "de":
                    fields.append(("description", yaml_str(w.sentence(8, 16, plain=True)[0])))
                if l == "de" or not typed:  # a plain page inherits nothing: categories in every language
                    fields.append(("categories", flow_list(cats)))
                if l == "de" and typed:
                    fields += f
                write(os.path.join(content, sec, "%s.%s.md" % (slug, l)), fm_block(fields) + short_body(w, tr))
                files += 1
    entries = sum(counts.values())
    print("wrote %d content files (%d languages x (%d %s entries + %d sections + home)) to %s"
          % (files, len(LANGS), entries, "plain" if args.plain else "typed", len(SECTIONS), out), file=sys.stderr)


if __name__ == "__main__":
    main()
