#!/usr/bin/env python3
"""Deterministic generator of a synthetic multilingual help portal, written twice:
in Lotse's content format (OUT/lotse/) and as a Hugo multilingual site (OUT/hugo/).

Both trees hold the same pages, the same front matter and the same Markdown bodies;
only the link syntax differs (`@/SECTION/PAGE.md` for Lotse, Hugo's `ref` shortcode
or plain `/LANG/SECTION/PAGE/` URLs for Hugo).

    python3 bench/gen_site.py --pages 1000 --out /tmp/lotse-bench/site-1000

Standard library only. The same arguments always give byte-identical files.
"""

import argparse
import os
import random
import shutil
import sys

LANGS = ["de", "en", "fr", "ar", "fa"]
LANG_META = {
    "de": ("Deutsch", "ltr"),
    "en": ("English", "ltr"),
    "fr": ("Français", "ltr"),
    "ar": ("العربية", "rtl"),
    "fa": ("فارسی", "rtl"),
}
SECTIONS = 20
TAGS = 200
CATEGORIES = 12

# --- words ------------------------------------------------------------------------------------

SYLLABLES = {
    "de": ("an be ge ver er zer aus ein bei mit nach ab auf vor über unter "
           "ar beit amt haus stadt land kreis spra che kurs schul kind hil fe rat "
           "wohn ung heit keit schaft lich ig isch bar sam los voll werk zeit ort "
           "bür ger mel dung an trag frist kos ten geld bank kon to arzt pra xis "
           "ter min bü ro stel le le ben fa mi lie recht pflicht schutz weg tag").split(),
    "en": ("a be con de dis en ex im in pre pro re un up out over under "
           "work home town coun ty lan guage course school child help ad vice "
           "ing ment ness tion ful less able ly er est ship hood ward side time "
           "ap ply form fee cost mon ey bank ac count doc tor clin ic ap point "
           "of fice place life fam i ly right du ty safe way day health care").split(),
    "fr": ("a dé pré re con com in en ex pro sur sous entre "
           "tra vail mai son ville dé par te ment lan gue cours é cole en fant aide "
           "con seil tion ment té eur eux ible able ique ance ence age oir ure "
           "de mande dé lai frais ar gent ban que comp te mé de cin ca bi net "
           "ren dez vous bu reau vie fa mille droit de voir pro tec chemin jour").split(),
    "ar": ("ال مس تش فى مد رس ة عم ل بي ت مك تب لغ دو را سا عد ط فل "
           "أس رة حق وق وا جب صح ية مو عد بن ك حس اب طب يب إقا مة لج وء "
           "تس جي ل سك ن مد ين قر ية مر كز خد مات نصي حة ت ر ج م ه ").split(),
    "fa": ("اس تا ن شه ر خا نه کا ر مد ر سه زبا ن دو ره کو دک کم ک "
           "مشا ور ه خا نوا ده حق و ق وظی فه سلا مت نو بت با نک حسا ب "
           "پز شک اقا مت پنا هند گی ثبت نا م مس کن رو ستا مر کز خد ما ت "
           "گا ه ها ی چه ژه پی").split(),
}
# Short function words, so sentences read like text and not like a word list.
FUNCTION_WORDS = {
    "de": "und der die das in mit für von zu auf ist sind Sie wir den im bei wenn oder nicht auch".split(),
    "en": "and the of to in for with on is are you we a an at if or not also your".split(),
    "fr": "et le la les de des du en pour avec sur est sont vous nous un une à si ou pas aussi".split(),
    "ar": "و في من إلى على عن مع هذا هذه أن لا أو قد كما التي الذي".split(),
    "fa": "و در از به با که این آن را برای یا نه هم تا اگر است".split(),
}
LATIN_NAMES = ["Talbach", "Bergheim", "Auenfeld", "Mühlendorf", "Jobcenter", "Caritas", "VHS", "BAMF"]


class Words:
    """A per-language vocabulary of made-up words, drawn with a Zipf-like skew."""

    def __init__(self, lang, rng, size=2500):
        self.lang = lang
        self.rng = rng
        sylls = SYLLABLES[lang]
        vocab, seen = [], set()
        while len(vocab) < size:
            n = rng.choice((1, 2, 2, 2, 3, 3, 3, 4))
            w = "".join(rng.choice(sylls) for _ in range(n))
            if lang == "ar" and rng.random() < 0.3 and not w.startswith("ال"):
                w = "ال" + w
            if lang == "fa" and rng.random() < 0.15:
                w = w + "ها"
            if len(w) < 2 or w in seen:
                continue
            seen.add(w)
            vocab.append(w)
        self.vocab = vocab
        # cumulative weights ~ 1/rank
        acc, cum = 0.0, []
        for i in range(size):
            acc += 1.0 / (i + 1) ** 0.8
            cum.append(acc)
        self.cum = cum
        self.fw = FUNCTION_WORDS[lang]

    def word(self):
        return self.rng.choices(self.vocab, cum_weights=self.cum)[0]

    def cap(self, w):
        return w[:1].upper() + w[1:] if self.lang in ("de", "en", "fr") else w

    def noun(self):
        w = self.word()
        return self.cap(w) if self.lang == "de" else w

    def phrase(self, lo, hi):
        return " ".join(self.word() for _ in range(self.rng.randint(lo, hi)))

    def title(self, lo=3, hi=7):
        words = [self.noun() if self.rng.random() < 0.5 else self.word() for _ in range(self.rng.randint(lo, hi))]
        words[0] = self.cap(words[0])
        return " ".join(words)

    def sentence(self, lo=8, hi=20, plain=False):
        """A sentence with some emphasis (none if plain); returns (text, word count)."""
        n = self.rng.randint(lo, hi)
        out = []
        for _ in range(n):
            r = self.rng.random()
            if plain and 0.28 <= r < 0.31:
                r = 0.5
            if r < 0.28:
                out.append(self.rng.choice(self.fw))
            elif r < 0.30:
                out.append("**" + self.noun() + "**")
            elif r < 0.31:
                out.append("*" + self.word() + "*")
            elif r < 0.312:
                out.append(self.rng.choice(LATIN_NAMES))
            else:
                out.append(self.noun() if self.lang == "de" and self.rng.random() < 0.3 else self.word())
        out[0] = self.cap(out[0])
        end = "." if self.lang != "fa" or self.rng.random() < 0.9 else "؟"
        if self.lang == "ar" and self.rng.random() < 0.1:
            end = "؟"
        return " ".join(out) + end, n


def contact_line(lang, rng):
    """Phone numbers and e-mail addresses: what the RTL bidi isolation has to handle."""
    phone = "+49 7151 555-%04d" % rng.randint(0, 9999)
    mail = "info%d@bench.example.org" % rng.randint(1, 99)
    label = {"de": "Telefon", "en": "Phone", "fr": "Téléphone", "ar": "الهاتف", "fa": "تلفن"}[lang]
    return "%s: %s, %s" % (label, phone, mail)


# --- the site model ---------------------------------------------------------------------------

def slugify_latin(rng, used, sylls):
    while True:
        s = "".join(rng.choice(sylls) for _ in range(rng.randint(2, 4)))
        s = (s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
             .replace("é", "e").replace("è", "e"))
        if s not in used and s.isascii() and s.isalpha():
            used.add(s)
            return s


def build_model(pages_per_lang, seed):
    rng = random.Random(seed)
    used = set()
    de_sylls = SYLLABLES["de"]
    sections = [slugify_latin(rng, used, de_sylls) for _ in range(SECTIONS)]
    # page keys, shared by all languages (translation by filename)
    pages = []
    page_slugs = set()
    for i in range(pages_per_lang):
        sec = sections[i % SECTIONS] if i < SECTIONS else rng.choice(sections)
        slug = slugify_latin(rng, page_slugs, de_sylls) + "-%d" % i
        pages.append((sec, slug))
    pages.sort()
    words = {l: Words(l, random.Random("%s-%s" % (seed, l))) for l in LANGS}
    # taxonomy terms: localized names, unique per language (case-insensitively)
    def terms(n, lo, hi, salt):
        out = {}
        for l in LANGS:
            r = random.Random("%s-%s-%s" % (seed, salt, l))
            w = words[l]
            names, seen = [], set()
            while len(names) < n:
                k = r.randint(lo, hi)
                name = " ".join(w.vocab[r.randrange(0, 600)] for _ in range(k))
                name = w.cap(name)
                if name.lower() in seen:
                    continue
                seen.add(name.lower())
                names.append(name)
            out[l] = names
        return out
    tags = terms(TAGS, 1, 2, "tags")
    cats = terms(CATEGORIES, 1, 1, "cats")
    return rng, sections, pages, words, tags, cats


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(title, description=None, date=None, weight=None, tags=None, categories=None):
    lines = ["---", "title: " + yaml_str(title)]
    if description is not None:
        lines.append("description: " + yaml_str(description))
    if date is not None:
        lines.append("date: " + date)
    if weight is not None:
        lines.append("weight: %d" % weight)
    if tags:
        lines.append("tags: [" + ", ".join(yaml_str(t) for t in tags) + "]")
    if categories:
        lines.append("categories: [" + ", ".join(yaml_str(c) for c in categories) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


LINK = "\x00LINK\x00"  # placeholder in bodies: replaced per format


def body(lang, rng, w, pages):
    """A Markdown body of 300–800 words. Links are placeholders `\\0LINK\\0sec/page\\0text\\0`."""
    target = rng.randint(300, 800)
    count = 0
    parts = []
    n_links = rng.randint(3, 6)
    link_at = set()
    headings = rng.randint(2, 3) + target // 250
    blocks = []  # ordered list of block kinds
    blocks.append("p")
    for h in range(headings):
        blocks.append("h")
        blocks.extend(["p"] * rng.randint(1, 2))
        if h == 0:
            blocks.append("ul")
        elif h == 1:
            blocks.append("table")
        elif h == 2:
            blocks.append("ol")
    for _ in range(n_links):
        link_at.add(rng.randrange(len(blocks)))

    def para(min_words):
        nonlocal count
        sents, n = [], 0
        while n < min_words:
            hi = max(3, min(20, min_words - n))
            s, k = w.sentence(min(8, hi), hi)
            sents.append(s)
            n += k
        count += n
        return " ".join(sents)

    def link():
        nonlocal count
        sec, slug = rng.choice(pages)
        text = w.phrase(1, 3)
        count += len(text.split())
        return "%s%s/%s%s%s%s" % (LINK, sec, slug, LINK, text, LINK)

    # words to keep for the blocks still to come, so that paragraphs share what is left
    reserve = {"p": 0, "h": 4, "ul": 30, "ol": 30, "table": 35}
    paras_left = blocks.count("p")
    for i, kind in enumerate(blocks):
        extra = (" " + link() + ".") if i in link_at else ""
        if kind == "p":
            later = sum(reserve[b] for b in blocks[i + 1:])
            text = para(max(8, (target - count - later) // paras_left))
            paras_left -= 1
            if lang in ("ar", "fa") and rng.random() < 0.15:
                line = contact_line(lang, rng)
                count += len(line.split())
                text += " " + line + "."
            parts.append(text + extra)
        elif kind == "h":
            t = w.title(2, 5)
            count += len(t.split())
            parts.append("## " + t)
        elif kind in ("ul", "ol"):
            items = []
            for j in range(rng.randint(3, 6)):
                s, k = w.sentence(4, 10)
                count += k
                items.append(("- " if kind == "ul" else "%d. " % (j + 1)) + s)
            if extra:
                items[-1] += extra
            parts.append("\n".join(items))
        elif kind == "table":
            cols = rng.randint(3, 4)
            head = [w.cap(w.word()) for _ in range(cols)]
            rows = []
            for _ in range(rng.randint(3, 6)):
                row = [w.phrase(1, 3) for _ in range(cols - 1)] + ["%d" % rng.randint(1, 500)]
                rows.append(row)
                count += sum(len(c.split()) for c in row)
            lines = ["| " + " | ".join(head) + " |", "|" + "---|" * cols]
            lines += ["| " + " | ".join(r) + " |" for r in rows]
            parts.append("\n".join(lines) + ("\n\n" + extra.strip() if extra else ""))
    # top up to the target with closing paragraphs
    while count < target - 10:
        parts.append(para(min(80, target - count)))
    return "\n\n".join(parts) + "\n"


def render_links(text, fmt, lang, hugo_links):
    out = []
    pieces = text.split(LINK)
    # pieces: [before, path, text, after, path, text, after, ...]
    out.append(pieces[0])
    for i in range(1, len(pieces), 3):
        path, label, after = pieces[i], pieces[i + 1], pieces[i + 2]
        if fmt == "lotse":
            out.append("[%s](@/%s.md)" % (label, path))
        elif hugo_links == "ref":
            out.append('[%s]({{< ref "/%s.md" >}})' % (label, path))
        else:
            out.append("[%s](/%s/%s/)" % (label, lang, path))
        out.append(after)
    return "".join(out)


# --- writers ------------------------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


SITE_YAML = """title: "Bench Portal"
base_url: "https://bench.example.org/"
default_language: de
paginate: 10
# Like for like with Hugo, which writes no .gz/.br copies either (a host such as Netlify compresses
# itself); the cost of precompression is measured separately in BENCHMARKS.md.
precompress: false
languages:
  de: { name: "Deutsch", dir: ltr }
  en: { name: "English", dir: ltr }
  fr: { name: "Français", dir: ltr }
  ar: { name: "العربية", dir: rtl }
  fa: { name: "فارسی", dir: rtl }
"""


def hugo_toml():
    out = ['baseURL = "https://bench.example.org/"',
           'title = "Bench Portal"',
           'defaultContentLanguage = "de"',
           'defaultContentLanguageInSubdir = true',
           'enableRobotsTXT = true',
           'disableHugoGeneratorInject = true',
           '',
           '[pagination]',
           '  pagerSize = 10',
           '',
           '[taxonomies]',
           '  tag = "tags"',
           '  category = "categories"',
           '',
           '[outputs]',
           '  home = ["HTML", "RSS"]',
           '  section = ["HTML", "RSS"]',
           '  taxonomy = ["HTML", "RSS"]',
           '  term = ["HTML", "RSS"]',
           '',
           '# Lotse\'s Atom feeds hold the 30 newest entries; so do these.',
           '[services.rss]',
           '  limit = 30',
           '',
           '[markup.goldmark.renderer]',
           '  unsafe = false',
           '[markup.tableOfContents]',
           '  startLevel = 2',
           '  endLevel = 3',
           '',
           '[minify]',
           '  minifyOutput = true',
           '']
    for i, l in enumerate(LANGS):
        name, d = LANG_META[l]
        out += ['[languages.%s]' % l,
                '  languageName = "%s"' % name,
                '  languageCode = "%s"' % l,
                '  weight = %d' % (i + 1)]
        if d == "rtl":
            out.append('  languageDirection = "rtl"')
        out.append('')
    return "\n".join(out)


HUGO_I18N = {
    "de": dict(home="Startseite", tags="Schlagwörter", categories="Kategorien", published="Veröffentlicht",
               toc="Inhalt", in_this_section="In diesem Bereich", topics="Themen", previous_page="Zurück",
               next_page="Weiter", pagination="Seiten", page_languages="Diese Seite in anderen Sprachen",
               main_nav="Hauptnavigation", breadcrumbs="Sie sind hier", skip_link="Zum Inhalt springen",
               search_label="Suche", search_button="Suchen", feed="Feed", not_found="Seite nicht gefunden",
               pages_count={"one": "{{ .Count }} Seite", "other": "{{ .Count }} Seiten"}),
    "en": dict(home="Home", tags="Tags", categories="Categories", published="Published", toc="Contents",
               in_this_section="In this section", topics="Topics", previous_page="Previous", next_page="Next",
               pagination="Pages", page_languages="This page in other languages", main_nav="Main navigation",
               breadcrumbs="You are here", skip_link="Skip to content", search_label="Search",
               search_button="Search", feed="Feed", not_found="Page not found",
               pages_count={"one": "{{ .Count }} page", "other": "{{ .Count }} pages"}),
    "fr": dict(home="Accueil", tags="Mots-clés", categories="Catégories", published="Publié", toc="Sommaire",
               in_this_section="Dans cette rubrique", topics="Thèmes", previous_page="Précédent",
               next_page="Suivant", pagination="Pages", page_languages="Cette page dans d'autres langues",
               main_nav="Navigation principale", breadcrumbs="Vous êtes ici", skip_link="Aller au contenu",
               search_label="Recherche", search_button="Rechercher", feed="Flux", not_found="Page introuvable",
               pages_count={"one": "{{ .Count }} page", "many": "{{ .Count }} pages",
                            "other": "{{ .Count }} pages"}),
    "ar": dict(home="الرئيسية", tags="الوسوم", categories="الفئات", published="نُشر", toc="المحتويات",
               in_this_section="في هذا القسم", topics="المواضيع", previous_page="السابق", next_page="التالي",
               pagination="الصفحات", page_languages="هذه الصفحة بلغات أخرى", main_nav="القائمة الرئيسية",
               breadcrumbs="أنت هنا", skip_link="انتقل إلى المحتوى", search_label="بحث", search_button="ابحث",
               feed="خلاصة", not_found="الصفحة غير موجودة",
               pages_count={"zero": "لا صفحات", "one": "صفحة واحدة", "two": "صفحتان",
                            "few": "{{ .Count }} صفحات", "many": "{{ .Count }} صفحة",
                            "other": "{{ .Count }} صفحة"}),
    "fa": dict(home="خانه", tags="برچسب‌ها", categories="دسته‌ها", published="منتشر شده", toc="فهرست",
               in_this_section="در این بخش", topics="موضوع‌ها", previous_page="قبلی", next_page="بعدی",
               pagination="صفحه‌ها", page_languages="این صفحه به زبان‌های دیگر", main_nav="منوی اصلی",
               breadcrumbs="شما اینجا هستید", skip_link="رفتن به محتوا", search_label="جستجو",
               search_button="جستجو", feed="خوراک", not_found="صفحه پیدا نشد",
               pages_count={"one": "{{ .Count }} صفحه", "other": "{{ .Count }} صفحه"}),
}


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hugo_i18n(lang):
    out = []
    for k, v in HUGO_I18N[lang].items():
        out.append("[%s]" % k)
        if isinstance(v, dict):
            for form, text in v.items():
                out.append("%s = %s" % (form, toml_str(text)))
        else:
            out.append("other = %s" % toml_str(v))
        out.append("")
    return "\n".join(out)


# A theme comparable to Lotse's default one: language switcher, hreflang alternates,
# main navigation, breadcrumbs, table of contents, localized dates, term links,
# paginated card lists, term lists with plural counts, fingerprinted CSS, 404 page.
HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}" dir="{{ or site.Language.LanguageDirection "ltr" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
{{ with resources.Get "style.css" | fingerprint }}<link rel="stylesheet" href="{{ .RelPermalink }}" integrity="{{ .Data.Integrity }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}{{ with index .AllTranslations 0 }}<link rel="alternate" hreflang="x-default" href="{{ .Permalink }}">{{ end }}
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}" title="{{ site.Title }}">{{ end }}
</head>
<body>
<a class="skip-link" href="#main">{{ T "skip_link" }}</a>
<header class="site-header">
<a class="brand" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{ if .IsTranslated }}<nav class="languages" aria-label="{{ T "page_languages" }}"><ul>
{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" lang="{{ .Language.Lang }}" hreflang="{{ .Language.Lang }}"{{ if eq .Language.Lang site.Language.Lang }} aria-current="true"{{ end }}>{{ .Language.LanguageName }}</a></li>
{{ end }}</ul></nav>{{ end }}
<form role="search" class="search" action="{{ site.Home.RelPermalink }}search/">
<label for="q">{{ T "search_label" }}</label>
<input type="search" name="q" id="q" autocomplete="off">
<button type="submit">{{ T "search_button" }}</button>
</form>
</header>
{{ $cur := . }}<nav class="main-nav" aria-label="{{ T "main_nav" }}"><ul>
{{ range site.Sections.ByWeight }}<li><a href="{{ .RelPermalink }}"{{ if or (eq . $cur) ($cur.IsDescendant .) }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}</ul></nav>
<main id="main" tabindex="-1">
{{ if not .IsHome }}<nav class="breadcrumbs" aria-label="{{ T "breadcrumbs" }}"><ol>
{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol></nav>{{ end }}
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p><a href="{{ site.Home.RelPermalink }}">{{ T "home" }}</a> · <a href="{{ site.Home.RelPermalink }}tags/">{{ T "tags" }}</a>{{ with site.Home.OutputFormats.Get "rss" }} · <a href="{{ .RelPermalink }}">{{ T "feed" }}</a>{{ end }}</p>
</footer>
</body>
</html>
""",
    "page.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}<p class="meta">{{ T "published" }} <time datetime="{{ .Format "2006-01-02" }}">{{ time.Format ":date_long" . }}</time></p>{{ end }}
{{ if gt (len .Fragments.Identifiers) 2 }}<nav class="toc" aria-label="{{ T "toc" }}">{{ .TableOfContents }}</nav>{{ end }}
<div class="content">{{ .Content }}</div>
{{ $cats := .GetTerms "categories" }}{{ $tags := .GetTerms "tags" }}{{ if or $cats $tags }}<footer class="terms">
{{ with $cats }}<p>{{ T "categories" }}: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
{{ with $tags }}<p>{{ T "tags" }}: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
</footer>{{ end }}
</article>{{ end }}
""",
    "_partials/cards.html": """<ul class="cards">
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>""",
    "_partials/paginator.html": """{{ $p := . }}{{ if gt $p.TotalPages 1 }}<nav class="pagination" aria-label="{{ T "pagination" }}"><ul>
{{ with $p.Prev }}<li><a href="{{ .URL }}" rel="prev">{{ T "previous_page" }}</a></li>{{ end }}
{{ range $p.Pagers }}<li>{{ if eq . $p }}<span aria-current="page">{{ .PageNumber }}</span>{{ else }}<a href="{{ .URL }}">{{ .PageNumber }}</a>{{ end }}</li>
{{ end }}{{ with $p.Next }}<li><a href="{{ .URL }}" rel="next">{{ T "next_page" }}</a></li>{{ end }}
</ul></nav>{{ end }}""",
    "home.html": """{{ define "main" }}<div>
<h1>{{ .Title }}</h1>
<div class="content">{{ .Content }}</div>
</div>
<h2>{{ T "topics" }}</h2>
{{ partial "cards.html" .Sections.ByWeight }}
{{ end }}
""",
    "section.html": """{{ define "main" }}{{ $pag := .Paginate .RegularPages.ByWeight }}<div>
<h1>{{ .Title }}</h1>
{{ if eq $pag.PageNumber 1 }}<div class="content">{{ .Content }}</div>{{ end }}
</div>
<h2>{{ T "in_this_section" }}</h2>
<p>{{ T "pages_count" (len .RegularPages) }}</p>
{{ partial "cards.html" $pag.Pages }}
{{ partial "paginator.html" $pag }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul class="terms-list">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">({{ T "pages_count" .Count }})</span></li>
{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}{{ $pag := .Paginate .Pages }}<h1>{{ .Title }}</h1>
<p>{{ T "pages_count" (len .Pages) }}</p>
{{ partial "cards.html" $pag.Pages }}
{{ partial "paginator.html" $pag }}
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>{{ T "not_found" }}</h1>
<p><a href="{{ site.Home.RelPermalink }}">{{ T "home" }}</a></p>
{{ end }}
""",
}

HUGO_CSS = """:root{--fg:#1b1b1b;--bg:#fff;--accent:#0b5cad;--muted:#5a5a5a}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.6 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
.site-header,.main-nav,main,.site-footer{max-inline-size:60rem;margin-inline:auto;padding-inline:1rem}
.site-header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding-block:1rem}
.languages ul,.main-nav ul,.breadcrumbs ol,.pagination ul{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.breadcrumbs li+li::before{content:"›";margin-inline-end:.5rem}
.cards{list-style:none;padding:0;display:grid;gap:1rem}
.cards li{border:1px solid #ddd;border-radius:.5rem;padding:1rem}
.toc{border-inline-start:3px solid var(--accent);padding-inline-start:1rem}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}
.skip-link{position:absolute;inset-inline-start:-100vw}.skip-link:focus{inset-inline-start:1rem}
.meta,.count{color:var(--muted)}
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000, help="regular pages per language (default 1000)")
    ap.add_argument("--out", required=True, help="output folder; lotse/ and hugo/ are written inside")
    ap.add_argument("--seed", default="lotse-bench-1", help="random seed (default lotse-bench-1)")
    ap.add_argument("--hugo-links", choices=["ref", "plain"], default="ref",
                    help="internal links in the Hugo tree: the ref shortcode (checked, like Lotse's @/ links) "
                         "or plain /LANG/SECTION/PAGE/ URLs")
    args = ap.parse_args(argv)
    if args.pages < SECTIONS:
        ap.error("--pages must be at least %d" % SECTIONS)

    rng, sections, pages, words, tags, cats = build_model(args.pages, args.seed)
    keys = ["%s/%s" % p for p in pages]
    out = os.path.abspath(args.out)
    lotse, hugo = os.path.join(out, "lotse"), os.path.join(out, "hugo")
    for d in (lotse, hugo):
        if os.path.exists(d):
            shutil.rmtree(d)

    write(os.path.join(lotse, "site.yaml"), SITE_YAML)
    write(os.path.join(hugo, "hugo.toml"), hugo_toml())
    for l in LANGS:
        write(os.path.join(hugo, "i18n", l + ".toml"), hugo_i18n(l))
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(hugo, "layouts", name), text)
    write(os.path.join(hugo, "assets", "style.css"), HUGO_CSS)

    def emit(rel, lang, fm, text):
        write(os.path.join(lotse, "content", rel), fm + render_links(text, "lotse", lang, args.hugo_links))
        write(os.path.join(hugo, "content", rel), fm + render_links(text, "hugo", lang, args.hugo_links))

    files = 0
    for l in LANGS:
        w = words[l]
        r = random.Random("%s-content-%s" % (args.seed, l))
        home_title = {"de": "Bench-Portal", "en": "Bench Portal", "fr": "Portail Bench",
                      "ar": "بوابة الاختبار", "fa": "درگاه آزمایشی"}[l]
        txt = " ".join(w.sentence()[0] for _ in range(6))
        emit("_index.%s.md" % l, l, front_matter(home_title, w.sentence(plain=True)[0], "2024-01-01"), txt + "\n")
        files += 1
        for si, sec in enumerate(sections):
            txt = " ".join(w.sentence()[0] for _ in range(r.randint(3, 6)))
            txt += " " + "%s%s%s%s%s" % (LINK, keys[r.randrange(len(keys))], LINK, w.phrase(1, 3), LINK) + ".\n"
            emit("%s/_index.%s.md" % (sec, l), l,
                 front_matter(w.title(1, 3), w.sentence(8, 16, plain=True)[0], "2024-01-%02d" % (si + 1), si + 1), txt)
            files += 1
        for pi, (sec, slug) in enumerate(pages):
            date = "%04d-%02d-%02d" % (r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28))
            # the same terms for a page in every language (translations share their taxonomy)
            tr = random.Random("%s-terms-%d" % (args.seed, pi))
            t_idx = sorted(tr.sample(range(TAGS), tr.randint(2, 5)))
            c_idx = sorted(tr.sample(range(CATEGORIES), tr.randint(1, 2)))
            fm = front_matter(w.title(), w.sentence(10, 20, plain=True)[0], date, tr.randint(1, 100),
                              [tags[l][i] for i in t_idx], [cats[l][i] for i in c_idx])
            emit("%s/%s.%s.md" % (sec, slug, l), l, fm, body(l, r, w, pages))
            files += 1
    print("wrote %d content files per format (%d languages x (%d pages + %d sections + home)) to %s"
          % (files, len(LANGS), args.pages, SECTIONS, out), file=sys.stderr)


if __name__ == "__main__":
    main()
