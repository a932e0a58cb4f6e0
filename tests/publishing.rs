//! The publishing recipes in `examples/` and `netlify.toml`: each builds with Lotse and publishes
//! `public/`; the nginx configuration has the build's headers, precompressed files, long caching of
//! `_assets/`, a redirect for every language of the demo and a 404 page per language.

mod common;
use common::{Fixture, page};
use serde_yaml::Value;

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Value {
    serde_yaml::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

/// Every `run:` of a job's steps, joined.
fn runs(steps: &Value) -> String {
    steps.as_sequence().expect("steps").iter().filter_map(|s| s["run"].as_str()).collect::<Vec<_>>().join("\n")
}

fn uses<'a>(steps: &'a Value, action: &str) -> Option<&'a Value> {
    steps.as_sequence()?.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(&format!("{action}@"))))
}

#[test]
fn github_pages_builds_with_lotse_and_deploys_public() {
    let w = yaml("examples/github-pages.yml");
    assert!(w["on"]["push"]["branches"].as_sequence().unwrap().iter().any(|b| b == "main"));
    assert_eq!(w["permissions"]["pages"], "write");
    assert_eq!(w["permissions"]["id-token"], "write");
    let build = &w["jobs"]["build"]["steps"];
    assert!(uses(build, "actions/checkout").is_some());
    let run = runs(build);
    assert!(run.contains("rustup") && run.contains("cargo build --release"), "{run}");
    assert!(run.contains("target/release/lotse build") && run.contains("--output public"), "{run}");
    assert!(run.contains("base_url:") && run.contains(".github.io/${{ github.event.repository.name }}/"), "base_url for USER.github.io/REPO: {run}");
    assert!(run.find("base_url:").unwrap() < run.find("lotse build").unwrap(), "base_url is set before the build");
    assert_eq!(uses(build, "actions/upload-pages-artifact").expect("upload-pages-artifact")["with"]["path"], "public");
    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert!(uses(&deploy["steps"], "actions/deploy-pages").is_some());
    assert_eq!(deploy["environment"]["name"], "github-pages");
}

#[test]
fn gitlab_pages_builds_with_lotse_and_keeps_public_as_artifact() {
    let c = yaml("examples/gitlab-ci.yml");
    let pages = &c["pages"];
    let script: Vec<&str> = pages["script"].as_sequence().expect("pages.script").iter().filter_map(Value::as_str).collect();
    assert!(script.iter().any(|s| s.contains("cargo build --release")), "{script:?}");
    assert!(script.iter().any(|s| s.contains("lotse build") && s.contains("--output public")), "{script:?}");
    assert!(pages["artifacts"]["paths"].as_sequence().unwrap().iter().any(|p| p == "public"));
}

#[test]
fn netlify_builds_with_lotse_and_publishes_public() {
    let toml = read("netlify.toml");
    assert!(toml.lines().any(|l| l.trim().starts_with("command") && l.contains("build")), "{toml}");
    assert!(toml.lines().any(|l| l.trim().replace(' ', "") == "publish=\"public\""), "{toml}");
}

/// The block of `map $http_accept_language …`.
fn accept_language_map(conf: &str) -> &str {
    let start = conf.find("map $http_accept_language").expect("a map on Accept-Language");
    let end = conf[start..].find('}').unwrap() + start;
    &conf[start..end]
}

#[test]
fn nginx_redirects_every_language_of_the_demo_and_has_a_404_for_each() {
    let conf = read("examples/nginx.conf");
    let site = yaml("site.yaml");
    let map = accept_language_map(&conf);
    let langs = site["languages"].as_mapping().unwrap();
    assert!(!langs.is_empty());
    for (code, l) in langs {
        let code = code.as_str().unwrap();
        // a line `~*^\s*<accept-language tag> <code>;` (Leichte Sprache's tag is its hreflang, de-x-ls)
        let tag = match l["lang"].as_str() {
            Some(lang) if lang != code => format!("{lang}-x-{code}"),
            _ => code.to_string(),
        };
        assert!(map.lines().any(|line| line.contains(&format!("^\\s*{tag} ")) && line.trim_end().ends_with(&format!(" {code};"))), "no redirect for `{code}` ({tag}) in:\n{map}");
        assert!(conf.contains(&format!("~^/{code}/")), "no 404 page for `{code}`");
    }
    assert!(conf.contains("error_page 404 /$lotse_404_lang/404.html;"));
    assert!(conf.contains("return 302 /$lotse_lang/;"));
}

#[test]
fn nginx_serves_precompressed_files_with_the_headers_of_the_build() {
    let conf = read("examples/nginx.conf");
    for line in ["gzip_static on;", "brotli_static on;", "location /_assets/", "public, max-age=31536000, immutable", "location = /sw.js"] {
        assert!(conf.contains(line), "nginx.conf lacks `{line}`");
    }
    assert!(conf.contains("ngx_brotli"), "the brotli module is named");
    // Every header the build writes into _headers is sent by nginx with the same value.
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen."))]);
    f.build_ok();
    let headers = f.read("_headers");
    let mut n = 0;
    for line in headers.lines().filter(|l| l.starts_with("  ")) {
        let (name, value) = line.trim().split_once(": ").unwrap();
        assert!(conf.contains(&format!("add_header {name} \"{value}\"")), "nginx.conf lacks `{name}: {value}`");
        n += 1;
    }
    assert!(n >= 6, "{headers}");
}
