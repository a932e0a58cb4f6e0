//! Accessibility checks of the content: each one warns with file, line, column and a hint,
//! and the build still succeeds.

mod common;
use common::{Fixture, page};

/// Builds a site with `files`, asserts that it succeeds and returns the report.
fn build(files: &[(&str, &str)]) -> (Fixture, String) {
    let mut all = vec![("content/_index.de.md", page("Start", "Willkommen."))];
    all.extend(files.iter().map(|(p, t)| (*p, t.to_string())));
    let refs: Vec<(&str, &str)> = all.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let f = Fixture::new(&refs);
    let out = f.build();
    assert!(out.ok, "warnings must not fail the build:\n{}", out.stderr);
    (f, out.stderr)
}

fn assert_reports(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "expected `{n}` in:\n{stderr}");
    }
}

// `page()` puts the body on line 5.

#[test]
fn skipped_heading_level() {
    let (_, e) = build(&[("content/a.de.md", &page("A", "## Eins\n\nText.\n\n#### Vier\n"))]);
    assert_reports(&e, &["warning: this heading skips a level: `####` (h4) after `##` (h2)", "content/a.de.md:9:1", "hint: use `###` here"]);
    let (_, e) = build(&[("content/a.de.md", &page("A", "Text.\n\n### Drei\n"))]);
    assert_reports(&e, &["`###` (h3) after the page title (h1)", "content/a.de.md:7:1", "hint: use `##` here"]);
}

#[test]
fn second_h1_in_the_text() {
    let (_, e) = build(&[("content/a.de.md", &page("A", "# Noch ein Titel\n\nText.\n"))]);
    assert_reports(&e, &["warning: a `#` heading in the text is a second top-level heading", "content/a.de.md:5:1", "hint: start the text's headings at `##`"]);
}

#[test]
fn duplicate_heading_ids_are_made_unique() {
    let (f, e) = build(&[("content/a.de.md", &page("A", "## Kosten\n\nA.\n\n## Kosten\n\nB.\n\n## Eins {#x}\n\n## Zwei {#x}\n"))]);
    assert_reports(&e, &[
        "warning: two headings have the text `Kosten` and would have the same id: this one gets the id `kosten-2`",
        "content/a.de.md:9:1",
        "hint: give the headings different texts, or this one its own id: `## Kosten {#kosten-…}`",
        "warning: the id `x` is used twice on this page: this heading gets `x-2`",
        "content/a.de.md:15:1",
    ]);
    let html = f.read("de/a/index.html");
    for id in ["kosten", "kosten-2", "x", "x-2"] {
        assert!(common::has_attr(&html, "id", id), "id {id} in {html}");
    }
}

#[test]
fn empty_link() {
    let (_, e) = build(&[("content/a.de.md", &page("A", "Siehe [](https://example.org/termine)."))]);
    assert_reports(&e, &["warning: this link has no text", "content/a.de.md:5:7", "hint: write what the link leads to"]);
}

#[test]
fn vague_link_texts_in_several_languages() {
    let (_, e) = build(&[
        ("content/a.de.md", &page("A", "Den Antrag finden Sie [hier](https://example.org/antrag).")),
        ("content/a.en.md", &page("A", "For the form [click here](https://example.org/form).")),
        ("content/a.ar.md", &page("A", "الاستمارة [هنا](https://example.org/form).")),
        ("content/a.fa.md", &page("A", "فرم را [اینجا](https://example.org/form) پیدا کنید.")),
    ]);
    assert_reports(&e, &[
        "warning: the link text `hier` does not say where the link leads",
        "content/a.de.md:5:23",
        "hint: describe the target in the link text",
        "the link text `click here`",
        "content/a.en.md:5:14",
        "the link text `هنا`",
        "content/a.ar.md:5:11",
        "the link text `اینجا`",
        "content/a.fa.md:5:8",
    ]);
    // A link that says where it leads is fine.
    let (_, e) = build(&[("content/a.de.md", &page("A", "Der [Antrag auf Wohngeld](https://example.org/antrag)."))]);
    assert!(!e.contains("warning"), "{e}");
}

#[test]
fn passage_in_another_script_without_lang() {
    let (_, e) = build(&[
        ("content/a.de.md", &page("A", "Begrüßung:\n\nمرحباً بكم في مكتب المواطنين في تالباخ.\n")),
        ("content/a.ar.md", &page("A", "اقرأوا: Please bring your passport and the letter from the office.\n")),
    ]);
    assert_reports(&e, &[
        "warning: this passage is in Arabic script, but the page is in `de`, and it has no `lang`",
        "content/a.de.md:7:1",
        "hint: mark its language",
        "<span lang=\"ar\" dir=\"rtl\">…</span>",
        "warning: this passage is in Latin letters, but the page is in `ar`, and it has no `lang`",
        "content/a.ar.md:5:9",
        "<span lang=\"en\" dir=\"ltr\">…</span>",
    ]);
}

#[test]
fn marked_passages_names_and_numbers_are_fine() {
    let (_, e) = build(&[
        ("content/a.de.md", &page("A", "Begrüßung: <span lang=\"ar\" dir=\"rtl\">مرحباً بكم في مكتب المواطنين في تالباخ</span>.\n\n## مرحباً بكم في مكتب المواطنين {lang=ar}\n")),
        ("content/a.ar.md", &page("A", "اتصلوا بـ Jobcenter Talbach, Bahnhofstraße 12, 07001 Talbach على الرقم +49 361 555-0123 أو https://jobcenter.example.org/termine/online-anmeldung.\n")),
    ]);
    assert!(!e.contains("warning: this passage"), "{e}");
}
