//! What the build writes for offline use: web app manifests, pack manifests, sw.js (see `src/offline.rs`).
mod common;
use common::{Fixture, page};
use std::collections::BTreeMap;

fn portal() -> Fixture {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/_index.ar.md", &page("البداية", "أهلاً.")),
        ("content/arbeit.de.md", &page("Arbeit", "Arbeit suchen.")),
        ("content/arbeit.ar.md", &page("العمل", "البحث عن عمل.")),
        ("content/wohnen.de.md", &page("Wohnen", "Eine Wohnung finden.")),
    ]);
    f.build_ok();
    f
}

fn json(f: &Fixture, rel: &str) -> serde_json::Value {
    serde_json::from_str(&f.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every output file and its bytes (the precompressed copies left out).
fn snapshot(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(f.out())
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(f.out()).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn web_app_manifest_per_language_with_lang_dir_and_icons() {
    let f = portal();
    for (code, lang, dir) in [("de", "de", "ltr"), ("ar", "ar", "rtl"), ("fa", "fa", "rtl"), ("ls", "de", "ltr")] {
        let m = json(&f, &format!("{code}/manifest.webmanifest"));
        assert_eq!(m["lang"], lang, "{code}");
        assert_eq!(m["dir"], dir, "{code}");
        assert_eq!(m["start_url"], format!("/{code}/"));
        assert_eq!(m["display"], "standalone");
        assert!(m["name"].as_str().is_some_and(|n| !n.is_empty()) && m["short_name"].is_string());
        let sizes: Vec<&str> = m["icons"].as_array().unwrap().iter().map(|i| i["sizes"].as_str().unwrap()).collect();
        assert_eq!(sizes, ["any", "192x192", "512x512"]);
        for i in m["icons"].as_array().unwrap() {
            assert!(f.exists(i["src"].as_str().unwrap().trim_start_matches('/')), "{i}");
        }
        // linked from every page's head (minified HTML: unquoted attributes)
        let home = f.read(&format!("{code}/index.html"));
        assert!(home.contains(&format!("<link href=/{code}/manifest.webmanifest rel=manifest>")), "{code}");
    }
    assert_eq!(json(&f, "ar/manifest.webmanifest")["name"], "بوابة الاختبار");
    assert_eq!(&std::fs::read(f.out().join("icons/icon-192.png")).unwrap()[1..4], b"PNG");
}

#[test]
fn pack_lists_pages_shared_files_and_exactly_the_offline_search_files_with_their_total() {
    let f = portal();
    let p = json(&f, "de/offline-pack.json");
    let list = |k: &str| -> Vec<String> { p[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect() };
    let pages = list("pages");
    for u in ["/de/", "/de/arbeit/", "/de/wohnen/", "/de/search/", "/de/offline/"] {
        assert!(pages.contains(&u.to_string()), "{u} in {pages:?}");
    }
    assert!(pages.iter().all(|u| u.starts_with("/de/")), "only German pages");
    let shared = list("shared");
    assert!(shared.iter().any(|u| u.starts_with("/_assets/style.") && u.ends_with(".css")));
    assert!(shared.iter().any(|u| u.starts_with("/_assets/offline.")));
    // search: search.js, the pack (e), the term chunks (t), the bundle (b), the filter file (f) — what
    // preload() fetches — and no per-doc (d) or top (r) files.
    let search = list("search");
    assert!(search.contains(&"/_search/search.js".to_string()));
    let mut expected: Vec<String> = std::fs::read_dir(f.out().join("_search/de"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".bin") && n.starts_with(['e', 't', 'b', 'f']))
        .map(|n| format!("/_search/de/{n}"))
        .collect();
    expected.push("/_search/search.js".into());
    expected.sort();
    let mut got = search.clone();
    got.sort();
    assert_eq!(got, expected);
    for kind in ['e', 'b', 'f', 't'] {
        assert!(got.iter().any(|u| u.starts_with(&format!("/_search/de/{kind}"))), "{kind}");
    }
    // the total is the sum of the listed files' sizes
    let size = |u: &str| {
        let rel = u.trim_start_matches('/');
        let rel = if rel.ends_with('/') || rel.is_empty() { format!("{rel}index.html") } else { rel.to_string() };
        std::fs::metadata(f.out().join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}")).len()
    };
    let total: u64 = pages.iter().chain(&shared).chain(&search).map(|u| size(u)).sum();
    assert_eq!(p["bytes"].as_u64(), Some(total));
    assert_eq!(p["lang"], "de");
}

#[test]
fn sw_carries_the_build_hash_and_builds_are_deterministic() {
    let f = portal();
    let sw = f.read("sw.js");
    let build = json(&f, "de/offline-pack.json")["build"].as_str().unwrap().to_string();
    assert!(build.len() >= 10 && build.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(sw.contains(&format!("const BUILD = \"{build}\"")), "the worker names its caches by the build");
    assert!(sw.contains("const BASE = \"/\""));
    assert!(f.exists("de/offline/index.html") && f.exists("ar/offline/index.html"));
    assert!(!f.exists("_assets/sw.js") && !snapshot(&f).keys().any(|k| k.starts_with("_assets/sw.")), "the worker is not fingerprinted");
    let first = snapshot(&f);
    f.build_ok();
    assert!(first == snapshot(&f), "two builds of the same input are identical");
    // changed content: a new build hash
    f.write("content/wohnen.de.md", &page("Wohnen", "Eine Wohnung finden. Neu."));
    f.build_ok();
    assert_ne!(json(&f, "de/offline-pack.json")["build"].as_str().unwrap(), build);
    assert!(!f.read("sw.js").contains(&build));
}
