//! Light pages: the budget table and warnings, `--strict`, precompressed copies.

mod common;
use common::{Fixture, page};
use std::io::Read;
use std::process::Command;

fn build_strict(f: &Fixture) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .args(["build", "--strict", "--source"])
        .arg(f.path())
        .arg("--output")
        .arg(f.out())
        .output()
        .expect("run lotse");
    (o.status.success(), String::from_utf8_lossy(&o.stderr).to_string())
}

/// A page whose compressed HTML is far over 14 KB: text that does not compress.
fn heavy_page() -> String {
    let mut x: u64 = 42;
    let words: Vec<String> = (0..9000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{:x}", x % 0xffffff)
        })
        .collect();
    page("Schwer", &words.join(" "))
}

#[test]
fn budgets_are_a_table_and_a_warning_and_strict_makes_them_errors() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen.")), ("content/schwer.de.md", &heavy_page())]);
    let out = f.build();
    assert!(out.ok, "{}", out.stderr);
    for needle in ["Page weight (compressed)", "| HTML + CSS (first round trip) | 14.0 KB |", "warning", "content/schwer.de.md", "/de/schwer/index.html: HTML and CSS weigh", "over the budget of 14.0 KB"] {
        assert!(out.stderr.contains(needle), "`{needle}` in\n{}", out.stderr);
    }
    let before = f.read("de/index.html");
    f.write("content/_index.de.md", &page("Start", "Geändert."));
    let (ok, stderr) = build_strict(&f);
    assert!(!ok, "--strict fails: {stderr}");
    assert!(stderr.contains("error") && stderr.contains("content/schwer.de.md"), "{stderr}");
    assert_eq!(f.read("de/index.html"), before, "the previous output is untouched");
}

#[test]
fn without_precompressed_files_every_page_is_still_checked() {
    // With `precompress: false` only the pages that could be over a budget (and a sample) are compressed;
    // the heavy one must still be found among many light ones.
    let mut files: Vec<(String, String)> = (0..40).map(|i| (format!("content/p{i}.de.md"), page(&format!("Seite {i}"), "Kurz."))).collect();
    files.push(("content/schwer.de.md".into(), heavy_page()));
    files.push(("content/_index.de.md".into(), page("Start", "Willkommen.")));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = Fixture::new(&refs);
    let site = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write("site.yaml", &format!("{site}\nprecompress: false\n"));
    let out = f.build();
    assert!(out.ok, "{}", out.stderr);
    assert!(!f.exists("de/index.html.gz"));
    assert!(out.stderr.contains("/de/schwer/index.html: HTML and CSS weigh"), "{}", out.stderr);
    assert!(out.stderr.contains("measured; the others are within the budgets by their raw size"), "{}", out.stderr);
    let (ok, stderr) = build_strict(&f);
    assert!(!ok && stderr.contains("content/schwer.de.md"), "{stderr}");
}

#[test]
fn every_text_file_has_gzip_and_brotli_copies_with_the_same_content() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen im Portal."))]);
    f.build_ok();
    for rel in ["de/index.html", "sitemap.xml", "de/atom.xml", "robots.txt"] {
        let plain = std::fs::read(f.out().join(rel)).unwrap();
        let gz = std::fs::read(f.out().join(format!("{rel}.gz"))).unwrap();
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, plain, "{rel}.gz");
        let br = std::fs::read(f.out().join(format!("{rel}.br"))).unwrap();
        let mut unbr = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut unbr).unwrap();
        assert_eq!(unbr, plain, "{rel}.br");
    }
    let css = walkdir::WalkDir::new(f.out().join("_assets")).into_iter().flatten().find(|e| e.path().extension().is_some_and(|x| x == "css")).unwrap();
    assert!(css.path().with_extension("css.br").exists());
    // search shards are gzip already and get no copies
    assert!(walkdir::WalkDir::new(f.out().join("_search")).into_iter().flatten().all(|e| !e.path().to_string_lossy().ends_with(".bin.gz")));
    // a host that compresses on the fly needs none
    f.write("site.yaml", &format!("{}precompress: false\n", common::SITE_YAML));
    f.build_ok();
    assert!(!f.exists("de/index.html.gz") && !f.exists("de/index.html.br"));
}

#[test]
fn the_theme_loads_no_web_fonts_and_a_page_renders_within_its_budget() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen."))]);
    let out = f.build();
    assert!(out.ok && !out.stderr.contains("web font") && !out.stderr.contains("over the budget"), "{}", out.stderr);
}

#[test]
fn a_headers_file_caches_assets_and_sends_the_security_policy_of_netlify_toml() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    f.build_ok();
    let h = f.read("_headers");
    assert!(h.contains("/_assets/*\n  Cache-Control: public, max-age=31536000, immutable"), "{h}");
    assert!(h.contains("/sw.js\n  Cache-Control: no-cache"), "{h}");
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/netlify.toml")).unwrap();
    let csp = h.lines().find_map(|l| l.trim().strip_prefix("Content-Security-Policy: ")).expect("CSP");
    assert!(toml.contains(csp), "netlify.toml and _headers send the same policy: {csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
}
