//! `lotse check`: internal links and anchors on the rendered pages, external links against a tiny
//! local HTTP server (status codes, redirects, a server that never answers), the cache, `--offline`,
//! exit codes and the JSON report. Nothing is written into the output folder.

mod common;

use common::{Fixture, page};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(f: &Fixture, extra: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lotse"));
    cmd.env("SOURCE_DATE_EPOCH", "1795000000").args(["check", "--source"]).arg(f.path()).args(extra);
    for v in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        cmd.env_remove(v);
    }
    let o = cmd.output().expect("run lotse");
    Run { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() }
}

/// A server on 127.0.0.1 that answers by path and counts the requests per path.
struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let h = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let h = h.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut first = String::new();
                    if reader.read_line(&mut first).is_err() {
                        return;
                    }
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                    }
                    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                    *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                    let (status, location) = match path.as_str() {
                        "/ok" => ("200 OK", None),
                        "/moved" => ("301 Moved Permanently", Some("/ok")),
                        "/temporary" => ("302 Found", Some("/ok")),
                        "/gone" => ("404 Not Found", None),
                        "/broken" => ("500 Internal Server Error", None),
                        "/no-head" if first.starts_with("HEAD") => ("405 Method Not Allowed", None),
                        "/no-head" => ("200 OK", None),
                        "/silent" => {
                            std::thread::sleep(std::time::Duration::from_secs(4));
                            return;
                        }
                        _ => ("404 Not Found", None),
                    };
                    let mut s = stream;
                    let loc = location.map(|l| format!("Location: {l}\r\n")).unwrap_or_default();
                    let _ = write!(s, "HTTP/1.1 {status}\r\n{loc}Content-Length: 0\r\nConnection: close\r\n\r\n");
                });
            }
        });
        Server { base, hits }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

fn internal_site() -> Fixture {
    Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen. [Zu den Kosten](@/kosten.md#kosten)")),
        ("content/kosten.de.md", &page("Kosten", "## Kosten\n\nWas es kostet.\n")),
        (
            "content/hilfe.de.md",
            &page("Hilfe", "Erst lesen.\n\n[Mehr zu den Kosten](@/kosten.md#nope)\n\nUnd dann:\n\n<a href=\"/de/nope/\">Die fehlende Seite</a>\n"),
        ),
    ])
}

#[test]
fn broken_internal_links_and_anchors_are_errors_at_their_line() {
    let f = internal_site();
    let r = check(&f, &["--offline"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The missing anchor, at the line of the Markdown link, with the page's own ids as hint.
    let anchor = r.stderr.split("\n\n").find(|b| b.contains("#nope")).unwrap_or_else(|| panic!("{}", r.stderr));
    assert!(anchor.starts_with("error:"), "{anchor}");
    assert!(anchor.contains("content/hilfe.de.md:7:"), "{anchor}");
    assert!(anchor.contains("`#kosten`"), "{anchor}");
    // Shown in all five languages (fallbacks), reported once.
    assert!(anchor.contains("and on 4 more pages"), "{anchor}");
    // The raw HTML link to a page that does not exist.
    let missing = r.stderr.split("\n\n").find(|b| b.contains("/de/nope/")).unwrap_or_else(|| panic!("{}", r.stderr));
    assert!(missing.contains("content/hilfe.de.md:11:"), "{missing}");
    assert!(missing.contains("which the site does not have"), "{missing}");
    // Never the page the link is on as the page meant.
    assert!(!missing.contains("did you mean /de/hilfe/?"), "{missing}");
    // The good anchor is not reported; the summary is there.
    assert!(!r.stderr.contains("#kosten`, which"), "{}", r.stderr);
    assert!(r.stderr.contains("pages checked"), "{}", r.stderr);
    assert!(r.stderr.contains("check failed"), "{}", r.stderr);
    // Nothing was written into the output folder.
    assert!(!f.out().exists());
}

#[test]
fn a_clean_site_passes_and_a_build_error_fails() {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen. [Zu den Kosten](@/kosten.md#kosten)")),
        ("content/kosten.de.md", &page("Kosten", "## Kosten\n\nWas es kostet.\n")),
    ]);
    let r = check(&f, &["--offline"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("check passed"), "{}", r.stderr);
    assert!(!f.out().exists());
    // The build's own errors (an unknown page) are reported by check, too.
    f.write("content/kaputt.de.md", &page("Kaputt", "[x](@/gibtsnicht.md)"));
    let r = check(&f, &["--offline"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/kaputt.de.md:5:1"), "{}", r.stderr);
    assert!(r.stderr.contains("did not render"), "{}", r.stderr);
}

fn external_site(s: &Server) -> Fixture {
    let b = &s.base;
    let body = format!(
        "Links:\n\n- [gut]({b}/ok)\n- [umgezogen]({b}/moved)\n- [kurz weg]({b}/temporary)\n- [weg]({b}/gone)\n- [kaputt]({b}/broken)\n- [ohne HEAD]({b}/no-head)\n- [still]({b}/silent)\n"
    );
    Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen.")), ("content/links.de.md", &page("Links", &body))])
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

fn diag<'a>(v: &'a serde_json::Value, needle: &str) -> Option<&'a serde_json::Value> {
    v["diagnostics"].as_array().unwrap().iter().find(|d| d["message"].as_str().unwrap().contains(needle))
}

#[test]
fn external_links_statuses_cache_and_offline() {
    let s = Server::start();
    let f = external_site(&s);
    let b = s.base.clone();

    // --offline asks nobody.
    let r = check(&f, &["--offline", "--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(s.total(), 0);
    assert_eq!(v["summary"]["external_links"], 7);
    assert_eq!(v["summary"]["external_skipped"], 7);
    assert_eq!(v["ok"], true);

    let r = check(&f, &["--timeout", "1", "--format", "json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(v["ok"], false);
    // 404: an error at its line.
    let gone = diag(&v, &format!("{b}/gone")).expect("404 reported");
    assert_eq!(gone["severity"], "error");
    assert_eq!(gone["file"], "content/links.de.md");
    assert_eq!(gone["line"], 10);
    assert!(gone["message"].as_str().unwrap().contains("404"), "{gone}");
    // 301: a warning naming the new address.
    let moved = diag(&v, &format!("{b}/moved")).expect("301 reported");
    assert_eq!(moved["severity"], "warning");
    assert!(moved["hint"].as_str().unwrap().contains(&format!("{b}/ok")), "{moved}");
    // 500 and no answer: warnings, each asked twice.
    let broken = diag(&v, &format!("{b}/broken")).expect("500 reported");
    assert_eq!(broken["severity"], "warning");
    assert_eq!(s.hits("/broken"), 2);
    let silent = diag(&v, &format!("{b}/silent")).expect("timeout reported");
    assert_eq!(silent["severity"], "warning");
    assert!(silent["message"].as_str().unwrap().contains("no answer in time"), "{silent}");
    // Fine: 200, a temporary redirect, and a server that refuses HEAD but answers GET.
    for ok in ["/ok`", "/temporary`", "/no-head`"] {
        assert!(diag(&v, ok).is_none(), "{ok}: {v}");
    }
    assert_eq!(s.hits("/no-head"), 2); // HEAD, then GET
    assert_eq!(v["summary"]["external_checked"], 7);
    assert_eq!(v["summary"]["external_cached"], 0);
    assert_eq!(v["summary"]["errors"], 1);
    assert!(f.path().join(".lotse-cache/links.json").exists());

    // The second run asks only about what was uncertain (500, no answer).
    let before: HashMap<&str, usize> = ["/ok", "/moved", "/temporary", "/gone", "/no-head", "/broken"].iter().map(|p| (*p, s.hits(p))).collect();
    let r = check(&f, &["--timeout", "1", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    for p in ["/ok", "/moved", "/temporary", "/gone", "/no-head"] {
        assert_eq!(s.hits(p), before[p], "{p} was asked again");
    }
    assert_eq!(s.hits("/broken"), before["/broken"] + 2);
    assert_eq!(v["summary"]["external_cached"], 5);
    assert_eq!(v["summary"]["external_checked"], 2);
    // Cached results are reported as before.
    assert_eq!(diag(&v, &format!("{b}/gone")).unwrap()["severity"], "error");
    assert_eq!(diag(&v, &format!("{b}/moved")).unwrap()["severity"], "warning");

    // --max-age 0: everything is asked again.
    let r = check(&f, &["--timeout", "1", "--max-age", "0", "--format", "json"]);
    assert_eq!(json(&r)["summary"]["external_checked"], 7);
    assert_eq!(s.hits("/gone"), before["/gone"] + 1);

    // The text report: file:line:col, hint, summary table.
    let r = check(&f, &["--timeout", "1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--> content/links.de.md:10:"), "{}", r.stderr);
    assert!(r.stderr.contains("external links   7 (checked 2, cached 5, skipped 0)"), "{}", r.stderr);
    assert!(!f.out().exists());
}
