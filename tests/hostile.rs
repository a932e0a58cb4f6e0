//! Hostile content: classic XSS and template-injection payloads in every text field of every content
//! type, in a site's own i18n strings, a category name and raw HTML bodies. The built site must keep
//! them as text: no script but Lotse's own, no event-handler attributes, no `javascript:` URLs,
//! JSON-LD that parses, `.ics` lines that stay lines, and `{{ 7*7 }}` never evaluated.

mod common;
use common::Fixture;
use scraper::{Html, Selector};
use std::path::Path;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "X{{ 7*7 }}Y",
    "{% raw %}<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">klick</a>",
    "</title><script>alert(1)</script>",
];

/// All payloads in one string, YAML single-quoted.
fn q(i: usize) -> String {
    let s = format!("{} {}", PAYLOADS[i % PAYLOADS.len()], PAYLOADS[(i + 3) % PAYLOADS.len()]);
    format!("'{}'", s.replace('\'', "''"))
}

const RAW_BODY: &str = "Text.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
<a href=\"javascript:alert(1)\">a</a> <a href=\" data:text/html,<script>alert(1)</script>\">b</a>\n\n\
<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n\
<div class=\"box\" onmouseover=\"alert(1)\" style=\"x\">Kasten X{{ 7*7 }}Y</div>\n\n\
## Titel {onclick=alert(1)}\n\n<details><summary>Mehr</summary><abbr title=\"t\">BAMF</abbr></details>\n";

fn hostile_site(trusted: bool) -> Fixture {
    let mut n = 0;
    let mut next = || {
        n += 1;
        q(n)
    };
    let site = format!(
        "{}timezone: Europe/Berlin\ndistricts:\n  talbach-mitte: {{ near: [] }}\n{}",
        common::SITE_YAML,
        if trusted { "trusted_html: true\n" } else { "" }
    );
    let i18n = include_str!("../i18n/de.yaml")
        .replace("home: Startseite", &format!("home: {}", next()))
        .replace("counselling: Beratung", &format!("counselling: {}", next()))
        .replace("search: Suche", &format!("search: {}", next()));
    let files: Vec<(String, String)> = vec![
        ("site.yaml".into(), site),
        ("i18n/de.yaml".into(), i18n),
        ("content/_index.de.md".into(), format!("---\ntitle: {}\ndescription: {}\n---\n{RAW_BODY}", next(), next())),
        ("content/seite.de.md".into(), format!("---\ntitle: {}\ndate: 2026-11-01\ncategories: [counselling]\ntags: [{}]\n---\n{RAW_BODY}", next(), next())),
        ("content/orte/_index.de.md".into(), "---\ntitle: Orte\ntype: place\n---\nx\n".into()),
        ("content/orte/ort.de.md".into(), format!("---\ntitle: {}\ndescription: {}\ncategories: [counselling]\naddress: {{ street: {}, postal_code: \"98765\", city: {} }}\naccessibility: {}\ncontacts:\n  - {{ name: {}, role: {} }}\n---\n{RAW_BODY}", next(), next(), next(), next(), next(), next(), next())),
        ("content/angebote/_index.de.md".into(), "---\ntitle: Angebote\ntype: offer\n---\nx\n".into()),
        ("content/angebote/a.de.md".into(), format!("---\ntitle: {}\nprovider: {}\ncost: {}\nregistration: {}\naddress: {{ street: {}, city: {} }}\n---\n{RAW_BODY}", next(), next(), next(), next(), next(), next())),
        ("content/termine/_index.de.md".into(), "---\ntitle: Termine\ntype: event\n---\nx\n".into()),
        ("content/termine/t.de.md".into(), format!("---\ntitle: {}\nstart: 2026-12-01 18:00\nend: 2026-12-01 20:00\norganiser: {}\nregistration: {}\naddress: {{ street: {}, city: {} }}\n---\n{RAW_BODY}", next(), next(), next(), next(), next())),
        ("content/jobs/_index.de.md".into(), "---\ntitle: Jobs\ntype: job\n---\nx\n".into()),
        ("content/jobs/j.de.md".into(), format!("---\ntitle: {}\nemployer: {}\nemployment: part_time\nvalid_through: 2027-03-31\napply: {}\nsalary: {}\naddress: {{ street: {}, city: {} }}\n---\n{RAW_BODY}", next(), next(), next(), next(), next(), next())),
        ("content/boerse/_index.de.md".into(), "---\ntitle: Börse\ntype: exchange\n---\nx\n".into()),
        ("content/boerse/e.de.md".into(), format!("---\ntitle: {}\nkind: offer\nwhat: goods\ndistrict: talbach-mitte\ncontact: {}\n---\n{RAW_BODY}", next(), next())),
        ("content/materialien/_index.de.md".into(), "---\ntitle: Materialien\ntype: material\n---\nx\n".into()),
        ("content/materialien/m.de.md".into(), format!("---\ntitle: {}\nfile: m.pdf\nduration: {}\n---\n{RAW_BODY}", next(), next())),
        ("content/links/_index.de.md".into(), "---\ntitle: Links\ntype: link\n---\nx\n".into()),
        ("content/links/l.de.md".into(), format!("---\ntitle: {}\nurl: https://example.org/\n---\n{RAW_BODY}", next())),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = Fixture::new(&refs);
    f.write_bytes("content/materialien/m.pdf", b"%PDF-1.4");
    f
}

fn files(root: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().to_string();
            let ext = rel.rsplit('.').next().unwrap_or("").to_string();
            ["html", "xml", "ics", "json", "webmanifest"].contains(&ext.as_str()).then(|| (rel, std::fs::read_to_string(e.path()).unwrap_or_default()))
        })
        .collect()
}

fn code_url(v: &str) -> bool {
    let v: String = v.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text") || v.starts_with("data:image/svg")
}

/// Every executable form a payload could take in an HTML document.
fn assert_html_safe(rel: &str, text: &str, trusted_page: bool) {
    let doc = Html::parse_document(text);
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let e = el.value();
        let name = e.name();
        if name == "script" {
            if let Some(src) = e.attr("src") {
                assert!(src.contains("_assets/") || src.contains("_search/"), "{rel}: foreign script src {src}");
            } else if e.attr("type") == Some("application/ld+json") {
                let json = el.text().collect::<String>();
                let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|err| panic!("{rel}: JSON-LD does not parse ({err}): {json}"));
                assert!(v.is_object(), "{rel}: {json}");
            } else {
                assert!(trusted_page, "{rel}: inline script survived: {}", el.html());
            }
            continue;
        }
        if trusted_page {
            continue;
        }
        assert!(!["iframe", "object", "embed", "svg", "style", "base", "form"].contains(&name) || (name == "form" && e.attr("action").is_some_and(|a| !code_url(a))) || (name == "svg" && rel.ends_with("index.html") && e.attr("onload").is_none()), "{rel}: <{name}> survived");
        for (attr, value) in e.attrs() {
            assert!(!attr.to_ascii_lowercase().starts_with("on"), "{rel}: event handler {attr}={value} on <{name}>");
            assert!(attr != "style" || value.starts_with("text-align"), "{rel}: style attribute on <{name}>: {value}");
            if ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "cite"].contains(&attr) {
                assert!(!code_url(value), "{rel}: {attr}={value} on <{name}>");
            }
        }
    }
}

fn assert_site_safe(f: &Fixture, trusted: bool) {
    let all = files(&f.out());
    assert!(all.len() > 20, "{} files", all.len());
    let mut json_ld = 0;
    for (rel, text) in &all {
        assert!(!text.contains("X49Y"), "{rel}: template injection evaluated");
        if rel.ends_with(".html") {
            // A trusting site keeps its editors' raw HTML; the exchange entry is still sanitized.
            let trusted_page = trusted && !rel.contains("boerse/e/");
            assert_html_safe(rel, text, trusted_page);
            json_ld += text.matches("application/ld+json").count();
        } else if rel.ends_with(".ics") {
            let unfolded = text.replace("\r\n ", "");
            for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
                let name: String = line.chars().take_while(|c| c.is_ascii_uppercase() || *c == '-').collect();
                assert!(!name.is_empty() && matches!(line[name.len()..].chars().next(), Some(':' | ';')), "{rel}: not a property line: {line}");
            }
            assert!(!unfolded.contains("\nBEGIN:VALARM"), "{rel}");
        } else if rel.ends_with(".xml") {
            // Feeds and sitemaps: the payload may only appear escaped, never as markup of the XML.
            assert!(!text.contains("<script") && !text.contains("<img") && !text.contains("<svg"), "{rel}: raw markup in XML: {text}");
            // HTML carried inside a feed (escaped once) is the sanitized page HTML.
            for part in text.split("<content type=\"html\">").skip(1) {
                let html = part.split("</content>").next().unwrap().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
                if !trusted {
                    assert_html_safe(rel, &html, false);
                }
            }
        } else if rel.ends_with(".json") && !rel.contains("_search/") {
            serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
    }
    assert!(json_ld >= 3, "JSON-LD of place, event and job pages");
    // the payloads are still there, as text
    let place = f.read("de/orte/ort/index.html");
    let doc = Html::parse_document(&place);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("alert(1)"), "payload kept as text: {place}");
    let ld = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let json: serde_json::Value = serde_json::from_str(&doc.select(&ld).next().expect("JSON-LD").text().collect::<String>()).unwrap();
    assert!(json["name"].as_str().is_some_and(|n| n.contains("alert(1)")), "{json}");
}

#[test]
fn payloads_in_every_field_stay_text() {
    let f = hostile_site(false);
    f.build_ok();
    assert_site_safe(&f, false);
    // what a help portal needs of raw HTML stays
    let page = f.read("de/seite/index.html");
    assert!(page.contains("<details><summary>Mehr</summary>") && page.contains("class=box"), "{page}");
}

#[test]
fn a_trusting_site_keeps_its_raw_html_but_never_an_exchange_entrys() {
    let f = hostile_site(true);
    f.build_ok();
    assert_site_safe(&f, true);
    let page = f.read("de/seite/index.html");
    assert!(page.contains("<script>alert(1)</script>") && page.contains("onmouseover"), "trusted raw HTML kept as written: {page}");
    let entry = f.read("de/boerse/e/index.html");
    let content = entry.split("class=content>").nth(1).and_then(|c| c.split("</article>").next()).expect("content");
    assert!(content.contains("class=box") && !content.contains("onmouseover") && !content.contains("<script"), "{entry}");
}
