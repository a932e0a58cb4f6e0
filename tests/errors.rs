//! Bad input: every case gets a message naming file, line and column with a hint,
//! the build reports all problems together, exits non-zero and leaves the previous
//! output untouched.

mod common;
use common::{Fixture, page};

/// Builds a good site, breaks it with `files`, builds again and returns the report.
fn break_with(files: &[(&str, &[u8])]) -> (Fixture, String) {
    let (f, before) = common::built_then_changed(files);
    let out = f.build();
    assert!(!out.ok, "the build must fail:\n{}", out.stderr);
    assert_eq!(f.read("de/index.html"), before, "the previous output is untouched");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    (f, out.stderr)
}

fn assert_reports(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "expected `{n}` in:\n{stderr}");
    }
}

#[test]
fn invalid_yaml() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: Arbeit: finden\n---\nText\n")]);
    assert_reports(&e, &["invalid YAML", "content/arbeit/a.de.md:2:", "title: Arbeit: finden", "hint:"]);
}

#[test]
fn yaml_indented_with_a_tab() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: Arbeit\n\tdescription: finden\n---\nText\n")]);
    assert_reports(&e, &["invalid YAML: found a tab character", "content/arbeit/a.de.md:3:1", "hint: indent with spaces"]);
}

#[test]
fn a_link_written_as_a_url_must_lead_to_a_page() {
    // From /de/wohnen/miete/, `../arbeit/` leads to /de/wohnen/arbeit/: the browser resolves it against the
    // page's URL, not its file. It used to be left as it was and broke without an error.
    let body = "Siehe [Arbeit](../arbeit/), [Kontakt](kontakt), [Hilfe](@/hilfe/) und [Recht](../recht/).\n\n\
                [Das BAMF](www.bamf.de/asyl) oder [die Agentur](arbeitsagentur.de/jobs).";
    let (_, e) = break_with(&[
        ("content/wohnen/miete.de.md", page("Miete", body).as_bytes()),
        ("content/arbeit/suche.de.md", page("Suche", "Suchen.").as_bytes()),
        ("content/recht.de.md", page("Recht", "Recht.").as_bytes()),
    ]);
    assert_reports(&e, &[
        "the link `../arbeit/` points to a page that does not exist (it leads to /de/wohnen/arbeit/)",
        "content/wohnen/miete.de.md:5:7",
        "hint: links between pages name the page's file: write `@/arbeit/_index.md`",
        "hint: links between pages name the page's file: write `@/recht.md`",
        "the link `kontakt` points to a page that does not exist (it leads to /de/wohnen/miete/kontakt/)",
        "the link `@/hilfe/` points to a page that does not exist",
        "the link `www.bamf.de/asyl` is missing its https://",
        "hint: write `https://arbeitsagentur.de/jobs`",
    ]);
}

#[test]
fn a_link_written_as_a_url_to_a_page_works() {
    let body = "[Arbeit](../../arbeit/), [noch einmal](@/arbeit/#oben), [Suche](../../search/), [Start](../../../), \
                [wir](../../%C3%BCber-uns/), [Stadtteile](../../districts/) und [diese Seite](.).";
    let f = common::Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/arbeit/_index.de.md", &page("Arbeit", "Arbeit.")),
        ("content/über uns.de.md", &page("Über uns", "Wir.")),
        ("content/wohnen/miete.de.md", &page("Miete", body)),
    ]);
    f.build_ok();
    let html = f.read("de/wohnen/miete/index.html");
    let hrefs = ["href=/de/arbeit/>", "href=/de/arbeit/#oben>", "href=/de/search/>", "href=/>", "href=/de/%C3%BCber-uns/>", "href=/de/districts/>", "href=/de/wohnen/miete/>"];
    for href in hrefs {
        assert!(html.contains(href), "{href} in {html}");
    }
}

#[test]
fn missing_title() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ndate: 2024-01-01\n---\nText\n")]);
    assert_reports(&e, &["has no `title`", "content/arbeit/a.de.md:2:1", "hint: add a line `title: …`"]);
}

#[test]
fn date_that_is_no_date() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: A\ndate: 31.05.2024\n---\nText\n")]);
    assert_reports(&e, &["`date` must be a date in the form YYYY-MM-DD", "content/arbeit/a.de.md:3:7", "date: 31.05.2024", "hint: write e.g. `date: 2024-05-31`"]);
}

#[test]
fn unknown_key_with_did_you_mean() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: A\ndescripton: x\n---\nText\n")]);
    assert_reports(&e, &["unknown front-matter key `descripton`", "content/arbeit/a.de.md:3:1", "did you mean `description`?"]);
}

#[test]
fn link_to_a_page_that_does_not_exist() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: A\n---\n\nSiehe [Jobs](@/arbeit/jobz.md).\n")]);
    assert_reports(&e, &["`@/arbeit/jobz.md` points to a page that does not exist", "content/arbeit/a.de.md:5:7", "hint:"]);
}

#[test]
fn missing_template() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: A\ntype: veranstaltung\n---\nText\n")]);
    assert_reports(&e, &["no template `veranstaltung.html`", "content/arbeit/a.de.md:3:1", "hint: add templates/veranstaltung.html"]);
}

#[test]
fn undeclared_language_suffix() {
    let (_, e) = break_with(&[("content/arbeit/a.tr.md", b"---\ntitle: A\n---\nText\n")]);
    assert_reports(&e, &["the language suffix `.tr` is not declared in site.yaml", "content/arbeit/a.tr.md", "Or declare `tr` under `languages:` in site.yaml"]);
}

#[test]
fn two_files_for_the_same_url() {
    let (_, e) = break_with(&[
        ("content/arbeit/a.de.md", b"---\ntitle: A\n---\nText\n"),
        ("content/arbeit/a.md", b"---\ntitle: A2\n---\nText\n"),
    ]);
    assert_reports(&e, &["both make the page /de/arbeit/a", "content/arbeit/a.de.md", "content/arbeit/a.md", "hint: rename one"]);
}

#[test]
fn slug_that_collides_with_another_page() {
    let (_, e) = break_with(&[
        ("content/arbeit/a.de.md", b"---\ntitle: A\n---\nText\n"),
        ("content/arbeit/b.de.md", b"---\ntitle: B\nslug: a\n---\nText\n"),
    ]);
    assert_reports(&e, &["both make the page", "hint: rename one of the two files, or give one a different `slug`"]);
}

#[test]
fn file_that_is_not_utf8() {
    let (_, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: Stra\xdfe\n---\nText\n")]);
    assert_reports(&e, &["not UTF-8", "content/arbeit/a.de.md:2:12", "hint: save the file with the encoding UTF-8"]);
}

#[test]
fn all_problems_are_reported_together() {
    let (_, e) = break_with(&[
        ("content/arbeit/a.de.md", b"---\ntitel: A\n---\nText\n"),
        ("content/arbeit/b.de.md", b"---\ntitle: B\ndate: morgen\n---\nText\n"),
        ("content/arbeit/c.xx.md", b"---\ntitle: C\n---\nText\n"),
    ]);
    assert_reports(&e, &["a.de.md:2:1", "b.de.md:3:7", "c.xx.md", "Build failed with 4 errors"]);
}

#[test]
fn missing_ui_string_names_language_and_key() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    f.write("i18n/de.yaml", "months: [a,b,c,d,e,f,g,h,i,j,k,l]\nhome: Start\n");
    let out = f.build();
    assert!(!out.ok);
    assert_reports(&out.stderr, &["missing UI string", "`de`", "i18n/de.yaml"]);
}

#[test]
fn missing_offline_string_names_language_key_and_file() {
    // Strings only the offline pack carries (not asked for by any template) are reported like the others.
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    let de = include_str!("../i18n/de.yaml");
    let without: String = de.lines().filter(|l| !l.starts_with("offline_progress:")).map(|l| format!("{l}\n")).collect();
    assert_ne!(without.len(), de.len());
    f.write("i18n/de.yaml", &without);
    let out = f.build();
    assert!(!out.ok);
    assert_reports(&out.stderr, &["i18n/de.yaml", "missing UI string `offline_progress` in language `de`"]);
    assert!(!out.stderr.contains("cannot write the output"), "{}", out.stderr);
}

#[test]
fn plural_string_lacking_arabic_forms() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    let ar = common_ar_i18n().replace("pages_count: { zero: \"لا توجد صفحات\", one: \"صفحة واحدة\", two: \"صفحتان\", few: \"{n} صفحات\", many: \"{n} صفحة\", other: \"{n} صفحةً\" }", "pages_count: { one: \"صفحة\", other: \"{n} صفحات\" }");
    f.write("i18n/ar.yaml", &ar);
    let out = f.build();
    assert!(!out.ok, "{}", out.stderr);
    assert_reports(&out.stderr, &["plural string `pages_count` lacks the form(s) few, many, two, zero", "i18n/ar.yaml:"]);
}

fn common_ar_i18n() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/ar.yaml")).unwrap()
}

#[test]
fn hostile_paths_never_leave_the_output() {
    let (f, e) = break_with(&[("content/arbeit/a.de.md", b"---\ntitle: A\naliases: [\"../../outside\"]\n---\nText\n")]);
    assert_reports(&e, &["the alias `../../outside` is not a path inside the site", "a.de.md:3:1"]);
    assert!(!f.path().join("outside").exists() && !f.path().parent().unwrap().join("outside").exists());
    let (_, e) = break_with(&[("content/arbeit/b.de.md", b"---\ntitle: B\nslug: ../../x\n---\nText\n")]);
    assert_reports(&e, &["`slug` must be one URL segment", "b.de.md:3:7"]);
}

#[test]
fn garbage_never_panics() {
    let inputs: &[&[u8]] = &[b"", b"---", b"---\n", b"---\n---\n", b"---\n- a\n- b\n---\n", b"---\ntitle: [\n---\n", b"\xff\xfe\x00", b"---\ntitle: x\ntags: {a: 1}\n---\n"];
    for (i, input) in inputs.iter().enumerate() {
        let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
        f.write_bytes(&format!("content/x{i}.de.md"), input);
        let out = f.build();
        assert!(!out.ok, "input {i} must fail");
        assert!(!out.stderr.contains("panicked"), "input {i}: {}", out.stderr);
        assert!(out.stderr.contains(&format!("x{i}.de.md")), "input {i}: {}", out.stderr);
    }
}
