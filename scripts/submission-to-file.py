#!/usr/bin/env python3
"""Turn Netlify form submissions of the exchange form into content files for review.

Reads a Netlify form submission as JSON: the export of the submissions API
(`GET /api/v1/forms/<form id>/submissions`, a list), one submission object (an outgoing
webhook's body), or the bare fields (`{"title": …, "kind": …}`), from a file or stdin.
Writes one `content/boerse/<slug>.<lang>.md` per submission, always with `status: pending`:
Lotse never publishes a pending entry. An editor reads the file, fixes what needs fixing,
sets `status: open` and merges the pull request (see README, "Submissions").

    python3 scripts/submission-to-file.py submissions.json
    curl -s -H "Authorization: Bearer $NETLIFY_TOKEN" \\
        https://api.netlify.com/api/v1/forms/$FORM_ID/submissions | python3 scripts/submission-to-file.py
    python3 scripts/submission-to-file.py --site path/to/site --section boerse < one.json

Submissions that filled the honeypot (`bot-field`), did not give consent, come from another
form or lack a required field are skipped with a message on stderr. Only the standard library.
Exit status: 0 when every submission was written, 1 when any was skipped, 2 on unreadable input.
"""

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

KINDS = {"offer", "need"}
WHATS = {"goods", "time", "skill"}
REQUIRED = ["title", "description", "kind", "what", "district", "contact"]
TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}


def slugify(text):
    """A URL segment from a title: lower-case Latin letters, digits and `-`."""
    text = "".join(TRANSLIT.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:60].rstrip("-")


def languages(site):
    """The language codes declared in site.yaml (a light read: the keys under `languages:`)."""
    path = site / "site.yaml"
    if not path.exists():
        return None
    codes, inside = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^languages\s*:", line):
            inside = True
            continue
        if inside:
            if line and not line[0].isspace() and not line.startswith("#"):
                break
            m = re.match(r"^\s+([a-z]{2,3}(?:-[A-Za-z]+)?)\s*:", line)
            if m and len(line) - len(line.lstrip()) <= 2:
                codes.add(m.group(1))
    return codes or None


def submissions(doc):
    """The submissions in a document: a list, one submission, or the bare fields."""
    items = doc if isinstance(doc, list) else [doc]
    for item in items:
        if not isinstance(item, dict):
            continue
        fields = item.get("data") if isinstance(item.get("data"), dict) else item
        meta = {
            "id": str(item.get("id") or item.get("number") or ""),
            "created_at": str(item.get("created_at") or ""),
            "form": item.get("form_name") or fields.get("form-name") or "",
        }
        yield fields, meta


def text(value):
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value or "").strip()


def yaml_str(value):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def to_file(fields, meta, site, section, known_langs, default_lang):
    """(path, text) of the content file for one submission, or raises ValueError with the reason."""
    if meta["form"] and meta["form"] != "exchange":
        raise ValueError(f"form `{meta['form']}` is not the exchange form")
    if text(fields.get("bot-field")):
        raise ValueError("the honeypot field is filled (spam)")
    if not text(fields.get("consent")):
        raise ValueError("no consent to review and publish")
    missing = [k for k in REQUIRED if not text(fields.get(k))]
    if missing:
        raise ValueError("missing " + ", ".join(missing))
    kind, what, district = text(fields["kind"]), text(fields["what"]), text(fields["district"])
    if kind not in KINDS:
        raise ValueError(f"kind `{kind}` is not one of {sorted(KINDS)}")
    if what not in WHATS:
        raise ValueError(f"what `{what}` is not one of {sorted(WHATS)}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", district):
        raise ValueError(f"district `{district}` is not a district key")
    lang = text(fields.get("lang")) or default_lang
    if known_langs and lang not in known_langs:
        raise ValueError(f"language `{lang}` is not declared in site.yaml")
    title = " ".join(text(fields["title"]).split())[:120]
    # The text is shown as Markdown: no raw HTML from the public.
    body = text(fields["description"]).replace("\r\n", "\n").replace("<", "&lt;")
    date = meta["created_at"][:10] if re.match(r"\d{4}-\d{2}-\d{2}", meta["created_at"]) else None

    # A title in Arabic or Persian script gives no Latin slug: name the file by the submission.
    slug = slugify(title) or ("eintrag-" + slugify(meta["id"])[:8]).rstrip("-")
    folder = site / "content" / section
    # A new entry never takes the name of an existing one (in any language).
    name, n = slug, 2
    while any(folder.glob(f"{name}.*.md")):
        name, n = f"{slug}-{n}", n + 1
    path = folder / f"{name}.{lang}.md"

    lines = ["---"]
    if meta["id"] or meta["created_at"]:
        lines.append(f"# Netlify form submission {meta['id']} {meta['created_at']}".rstrip())
    lines.append(f"title: {yaml_str(title)}")
    if date:
        lines.append(f"date: {date}")
    lines += [
        f"kind: {kind}",
        f"what: {what}",
        f"district: {district}",
        f"contact: {yaml_str(text(fields['contact']))}",
        "status: pending",
        "---",
        "",
        body,
        "",
    ]
    return path, "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", help="JSON file (default: stdin)")
    ap.add_argument("--site", default=".", help="the site folder (with site.yaml and content/)")
    ap.add_argument("--section", default="boerse", help="the exchange's section in content/ (default: boerse)")
    ap.add_argument("--lang", default="de", help="language when a submission names none (default: de)")
    args = ap.parse_args()
    try:
        raw = Path(args.input).read_text(encoding="utf-8") if args.input else sys.stdin.read()
        doc = json.loads(raw)
    except (OSError, ValueError) as e:
        print(f"error: cannot read the submission JSON: {e}", file=sys.stderr)
        return 2
    site = Path(args.site)
    known = languages(site)
    skipped = 0
    for fields, meta in submissions(doc):
        try:
            path, content = to_file(fields, meta, site, args.section, known, args.lang)
        except ValueError as e:
            skipped += 1
            print(f"skipped submission {meta['id'] or '(no id)'}: {e}", file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(path)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
