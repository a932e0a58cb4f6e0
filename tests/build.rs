//! Whole builds of small real sites, asserting on the HTML a visitor gets.

mod common;
use common::{Fixture, has_attr, page};

fn portal() -> Fixture {
    Fixture::new(&[
        ("content/_index.de.md", &page("Willkommen", "Start.")),
        ("content/_index.ar.md", &page("أهلاً", "البداية.")),
        ("content/arbeit/_index.de.md", &page("Arbeit", "Alles zur Arbeit.")),
        ("content/arbeit/_index.ar.md", &page("العمل", "كل شيء عن العمل.")),
        ("content/arbeit/anerkennung.de.md", "---\ntitle: Anerkennung\ndate: 2016-11-25\ntags: [Beruf, Abschluss]\ncategories: [Arbeit]\n---\n## Kosten und Dauer\n\nRufen Sie +49 361 555-0123 an. Mehr bei [Jobcenter](@/arbeit/jobcenter.md).\n"),
        ("content/arbeit/anerkennung.ar.md", "---\ntitle: الاعتراف بالشهادات\ndate: 2016-11-25\ntags: [مهنة]\n---\nاتصل بالرقم +49 361 555-0123 أو اكتب إلى info@talbach.example.org لدى Jobcenter Talbach. انظر [مركز العمل](@/arbeit/jobcenter.md).\n"),
        ("content/arbeit/jobcenter.de.md", "---\ntitle: Jobcenter\ndate: 2017-01-02\ntags: [Beruf]\n---\nDas Jobcenter hilft.\n"),
        ("content/arbeit/praktikum.de.md", "---\ntitle: Praktikum\ndate: 2018-03-04\n---\nPraktikum.\n"),
    ])
}

#[test]
fn every_page_has_lang_and_dir() {
    let f = portal();
    f.build_ok();
    let ar = f.read("ar/arbeit/anerkennung/index.html");
    assert!(has_attr(&ar, "lang", "ar") && has_attr(&ar, "dir", "rtl"), "{ar}");
    let de = f.read("de/arbeit/anerkennung/index.html");
    assert!(has_attr(&de, "lang", "de") && has_attr(&de, "dir", "ltr"));
    let ls = f.read("ls/arbeit/anerkennung/index.html");
    assert!(has_attr(&ls, "lang", "de"), "easy German is lang=de");
}

#[test]
fn switcher_lists_exactly_the_existing_translations_in_their_own_language() {
    let f = portal();
    f.build_ok();
    let html = f.read("de/arbeit/anerkennung/index.html");
    let nav = &html[html.find("class=languages").expect("switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("Deutsch") && nav.contains("العربية"), "{nav}");
    assert!(!nav.contains("English") && !nav.contains("فارسی"), "only existing translations: {nav}");
    assert!(nav.contains("lang=ar") || nav.contains("lang=\"ar\""));
    // A page that exists only in German has no switcher of other languages.
    let only = f.read("de/arbeit/praktikum/index.html");
    assert!(!only.contains("class=languages"));
}

#[test]
fn hreflang_alternates_are_absolute_with_x_default() {
    let f = portal();
    f.build_ok();
    let html = f.read("ar/arbeit/anerkennung/index.html");
    assert!(html.contains("href=https://example.org/de/arbeit/anerkennung/ hreflang=de"), "{html}");
    assert!(html.contains("href=https://example.org/ar/arbeit/anerkennung/ hreflang=ar"));
    assert!(html.contains("href=https://example.org/de/arbeit/anerkennung/ hreflang=x-default"));
}

#[test]
fn missing_translation_falls_back_with_a_notice_in_the_readers_language() {
    let f = portal();
    f.build_ok();
    let html = f.read("ar/arbeit/jobcenter/index.html");
    assert!(html.contains("هذه الصفحة غير متوفرة بالعربية"), "notice in Arabic: {html}");
    assert!(html.contains("<article dir=ltr lang=de>"), "fallback text marked German: {html}");
    assert!(html.contains("Das Jobcenter hilft."));
    // Easy German falls back to German by its own `fallback`.
    let ls = f.read("ls/arbeit/jobcenter/index.html");
    assert!(ls.contains("Diese Seite gibt es noch nicht in Leichter Sprache"), "{ls}");
    // The reader stays in their language: links in fallback text lead to /ar/.
    let ar = f.read("ar/arbeit/anerkennung/index.html");
    assert!(ar.contains("href=/ar/arbeit/jobcenter/"), "{ar}");
}

#[test]
fn phone_email_and_latin_names_are_isolated_in_rtl_text() {
    let f = portal();
    f.build_ok();
    let html = f.read("ar/arbeit/anerkennung/index.html");
    assert!(html.contains("<bdi dir=ltr>+49 361 555-0123</bdi>"), "{html}");
    assert!(html.contains("<bdi dir=ltr>info@talbach.example.org</bdi>"));
    assert!(html.contains("<bdi dir=ltr>Jobcenter Talbach</bdi>"));
    let de = f.read("de/arbeit/anerkennung/index.html");
    assert!(!de.contains("<bdi dir=ltr>+49"), "no isolation needed in German");
}

#[test]
fn dates_are_localized() {
    let f = portal();
    f.build_ok();
    assert!(f.read("de/arbeit/anerkennung/index.html").contains("25. November 2016"));
    assert!(f.read("ar/arbeit/anerkennung/index.html").contains("٢٥ نوفمبر ٢٠١٦"));
}

#[test]
fn headings_get_ids_and_internal_links_resolve() {
    let f = portal();
    f.build_ok();
    let html = f.read("de/arbeit/anerkennung/index.html");
    assert!(html.contains("<h2 id=kosten-und-dauer>"), "{html}");
    assert!(html.contains("href=/de/arbeit/jobcenter/"));
}

#[test]
fn sections_paginate() {
    let f = portal();
    f.build_ok();
    // paginate: 2, three pages in the section.
    let p1 = f.read("de/arbeit/index.html");
    let p2 = f.read("de/arbeit/page/2/index.html");
    assert!(p1.contains("rel=next") && p1.contains("href=/de/arbeit/page/2/"), "{p1}");
    assert!(p2.contains("rel=prev"));
    assert!(p2.contains("<title>Arbeit – Seite 2 ·"), "page 2 has its own title: {p2}");
    assert!(p2.contains("rel=canonical") && p2.contains("https://example.org/de/arbeit/page/2/"));
    assert!(p1.contains("3 Seiten"));
}

#[test]
fn taxonomies_per_language() {
    let f = portal();
    f.build_ok();
    let tags = f.read("de/tags/index.html");
    assert!(tags.contains("href=/de/tags/beruf/") && tags.contains("2 Seiten"), "{tags}");
    let beruf = f.read("de/tags/beruf/index.html");
    assert!(beruf.contains("Anerkennung") && beruf.contains("Jobcenter"));
    assert!(f.exists("ar/tags/مهنة/index.html"));
    assert!(f.read("de/categories/arbeit/index.html").contains("Anerkennung"));
}

#[test]
fn arabic_plural_forms_in_counts() {
    let mut files = vec![("content/_index.ar.md".to_string(), page("أهلاً", "."))];
    // Tag tN is on N pages.
    for i in 0..100 {
        let tags: Vec<String> = [1usize, 2, 3, 11, 100].iter().filter(|n| i < **n).map(|n| format!("t{n}")).collect();
        files.push((format!("content/p{i}.ar.md"), format!("---\ntitle: ص{i}\ntags: [{}]\n---\nنص.\n", tags.join(", "))));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = Fixture::new(&refs);
    f.build_ok();
    let html = f.read("ar/tags/index.html");
    for (slug, expected) in [("t1", "صفحة واحدة"), ("t2", "صفحتان"), ("t3", "٣ صفحات"), ("t11", "١١ صفحة"), ("t100", "١٠٠ صفحةً")] {
        let at = html.find(&format!("/ar/tags/{slug}/")).unwrap_or_else(|| panic!("{slug} in {html}"));
        let after: String = html[at..].chars().take(80).collect();
        assert!(after.contains(expected), "{slug}: {expected} in {after}");
    }
}

#[test]
fn sitemap_feeds_robots_and_404() {
    let f = portal();
    f.build_ok();
    let sitemap = f.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/de/arbeit/anerkennung/</loc>"));
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://example.org/ar/arbeit/anerkennung/\"/>"));
    assert!(!sitemap.contains("<loc>https://example.org/ar/arbeit/jobcenter/</loc>"), "fallback pages are not in the sitemap");
    // taxonomy lists (with their translations) and term pages, which have no content file
    assert!(sitemap.contains("<url><loc>https://example.org/de/tags/</loc><xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://example.org/de/tags/\"/>"), "{sitemap}");
    assert!(sitemap.contains("hreflang=\"ar\" href=\"https://example.org/ar/tags/\"/>"));
    assert!(sitemap.contains("<loc>https://example.org/de/tags/beruf/</loc>") && sitemap.contains("<loc>https://example.org/de/categories/arbeit/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/ar/tags/%D9%85%D9%87%D9%86%D8%A9/</loc>"), "{sitemap}");
    let feed = f.read("de/atom.xml");
    assert!(feed.contains("<title>Anerkennung</title>") && feed.contains("xml:lang=\"de\""));
    assert!(f.read("de/arbeit/atom.xml").contains("<title>Praktikum</title>"));
    assert!(f.read("robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
    assert!(f.read("ar/404.html").contains("الصفحة غير موجودة"));
    assert!(f.exists("404.html"));
    let root = f.read("index.html");
    assert!(root.contains("href=/ar/") && root.contains("العربية"), "the root chooses a language");
}

#[test]
fn sub_path_base_url() {
    let f = portal();
    f.write("site.yaml", &common::SITE_YAML.replace("https://example.org/", "https://user.github.io/portal/"));
    f.build_ok();
    let html = f.read("de/arbeit/anerkennung/index.html");
    assert!(html.contains("href=/portal/de/arbeit/jobcenter/"), "{html}");
    assert!(html.contains("href=/portal/_assets/style."));
    assert!(html.contains("https://user.github.io/portal/ar/arbeit/anerkennung/"));
    assert!(f.read("sitemap.xml").contains("<loc>https://user.github.io/portal/de/arbeit/anerkennung/</loc>"));
}

#[test]
fn css_and_js_are_fingerprinted_and_html_minified() {
    let f = portal();
    f.build_ok();
    let html = f.read("de/index.html");
    let css = html.split("href=/_assets/style.").nth(1).expect("fingerprinted css").split(".css").next().unwrap();
    assert_eq!(css.len(), 10);
    assert!(f.exists(&format!("_assets/style.{css}.css")));
    assert!(!html.contains("\n\n"), "minified");
}

#[test]
fn a_folder_with_only_site_yaml_and_content_builds() {
    let f = Fixture::new(&[("content/_index.md", &page("Start", "Hallo"))]);
    f.build_ok();
    assert!(f.read("de/index.html").contains("Hallo"));
}

#[test]
fn builds_are_byte_for_byte_reproducible() {
    let a = portal();
    let b = portal();
    a.build_ok();
    b.build_ok();
    let list = |f: &Fixture| {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(f.out())
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(f.out()).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let (la, lb) = (list(&a), list(&b));
    assert!(la.len() > 20);
    assert_eq!(la.len(), lb.len());
    for ((pa, ba), (pb, bb)) in la.iter().zip(&lb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}
