//! The `content` fuzz target's body (fuzz/content_harness.rs) on stable: every seed of
//! fuzz/corpus/content/, every crash `cargo fuzz` found (the regression tests at the end), and a short
//! run of mutations of the seeds from a fixed seed. In process, through the `lotse` library, so
//! a failure names the input; `tests/fuzz_content.rs` does the same kind of mutations through the
//! real `lotse build`.

include!("../fuzz/content_harness.rs");

mod common;
use common::mutate::{mutate, Rng};

use std::time::{Duration, Instant};

fn corpus() -> Vec<(String, Vec<u8>)> {
    files_in("fuzz/corpus/content")
}

fn files_in(rel: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn run(name: &str, data: &[u8]) {
    if std::panic::catch_unwind(|| fuzz_content(data)).is_err() {
        panic!("the content target failed on {name}: {:?}", String::from_utf8_lossy(data));
    }
}

#[test]
fn every_seed_of_the_corpus() {
    let files = corpus();
    assert!(files.len() >= 12, "{} seeds", files.len());
    for (name, data) in &files {
        run(name, data);
    }
}

/// The seeds render: the real pages are valid files, so the target reaches the Markdown, its links
/// and the sanitizer, not only the front matter's errors.
#[test]
fn the_real_seeds_are_valid_pages() {
    let site = content_site();
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    for (name, data) in corpus().iter().filter(|(n, _)| n.ends_with("-de") || n.starts_with("page-")) {
        let page = lotse::content::parse_page(std::path::Path::new("content/x.de.md"), "x.de.md", data.clone(), &codes, "de");
        assert!(page.is_ok(), "{name}: {:?}", page.err().map(|e| e.iter().map(|d| d.to_string()).collect::<Vec<_>>()));
        let mut pages = vec![page.unwrap()];
        let errors: Vec<String> = lotse::types::apply(&mut pages, &site.schemas, &site.config, &site.i18n, std::path::Path::new(CONTENT_SITE_DIR))
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

/// The HTML check itself catches what it is there for.
#[test]
fn the_html_check_finds_code() {
    for bad in [
        "<p><script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\" JAVASCRIPT:alert(1)\">x</a>",
        "<p style=\"position:fixed\">x</p>",
        "<svg><a>x</a></svg>",
        "<a href=\"\x01 javascript:alert(1)\">x</a>",
        "<a href=\"&#x0A;java&#x0D;script:alert(1)\">x</a>",
    ] {
        assert!(std::panic::catch_unwind(|| check_html(bad, "")).is_err(), "{bad}");
    }
    // A control character inside the scheme makes a relative URL (found by `cargo fuzz`: ammonia keeps
    // `jav&#x08;ascript:`, rightly).
    check_html("<a href=\"jav\x08ascript:alert(1)\">c</a>", "");
    check_html("<p title=\"a onclick=b\">javascript:alert(1) &lt;script&gt;</p><td style=\"text-align: center\">1</td><a href=\"https://example.org/\">x</a>", "");
}

/// Mutations of the seeds: byte flips, cuts, inserted YAML and Markdown specials, splices of two seeds.
#[test]
fn mutations_of_the_seeds() {
    let files = corpus();
    let mut rng = Rng(0x5eed_c0de_1234_5678);
    let start = Instant::now();
    let mut n = 0;
    while n < 2000 && start.elapsed() < Duration::from_secs(5) {
        let (name, seed) = &files[rng.below(files.len())];
        // a splice of two seeds now and then, then the shared mutations
        let mut v = seed.clone();
        if rng.below(5) == 0 {
            let other = &files[rng.below(files.len())].1;
            let (i, j) = (rng.below(v.len() + 1), rng.below(other.len() + 1));
            v.truncate(i);
            v.extend_from_slice(&other[j..]);
        }
        let v = mutate(&mut rng, &v);
        run(&format!("a mutation of {name}"), &v);
        n += 1;
    }
    assert!(n >= 50, "only {n} inputs in 5 s");
}

/// Regression tests: every input `cargo fuzz run content` crashed on, kept in fuzz/regressions/content/
/// (see fuzz/README.md).
#[test]
fn every_crash_found() {
    let found = files_in("fuzz/regressions/content");
    assert!(!found.is_empty());
    for (name, data) in &found {
        run(name, data);
    }
}
