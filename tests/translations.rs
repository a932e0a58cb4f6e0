//! `lotse check` on translations: missing, unknown (with the hash to write), up to date after
//! `translated_from` is set, outdated after the source changed; the table and the JSON report.

mod common;
use common::{Fixture, page};
use serde_json::Value;
use std::process::Command;

fn check(f: &Fixture, format: &str) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["check", "--offline", "--translations", "--format", format, "--source"])
        .arg(f.path())
        .output()
        .expect("run lotse");
    (o.status.success(), String::from_utf8_lossy(&o.stdout).to_string(), String::from_utf8_lossy(&o.stderr).to_string())
}

fn json(f: &Fixture) -> Value {
    let (ok, out, err) = check(f, "json");
    assert!(ok, "check failed:\n{out}\n{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn warnings_for<'a>(report: &'a Value, file: &str) -> Vec<&'a Value> {
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["file"] == file).collect()
}

#[test]
fn missing_unknown_up_to_date_outdated() {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/arbeit.de.md", &page("Arbeit", "So finden Sie eine Arbeit.")),
        ("content/arbeit.en.md", &page("Work", "How to find work.")),
    ]);

    // No `translated_from` and no git: unknown, and the warning says what to write.
    let r = json(&f);
    let row = r["translations"]["pages"].as_array().unwrap().iter().find(|p| p["key"] == "arbeit").unwrap().clone();
    let hash = row["hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 12);
    assert_eq!(row["source"], "content/arbeit.de.md");
    assert_eq!(row["translations"]["en"]["status"], "unknown");
    assert_eq!(row["translations"]["ar"]["status"], "missing");
    let w = warnings_for(&r, "content/arbeit.en.md");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0]["severity"], "warning");
    assert!(w[0]["message"].as_str().unwrap().contains("does not say which version of content/arbeit.de.md"), "{}", w[0]["message"]);
    assert_eq!((w[0]["line"].as_u64(), w[0]["column"].as_u64()), (Some(2), Some(1)));
    assert!(w[0]["hint"].as_str().unwrap().contains(&format!("`translated_from: {hash}`")), "{}", w[0]["hint"]);

    // The editor sets it: up to date, no warning.
    f.write("content/arbeit.en.md", &format!("---\ntitle: Work\ntranslated_from: {hash}\n---\nHow to find work.\n"));
    let r = json(&f);
    assert_eq!(r["translations"]["pages"][1]["translations"]["en"]["status"], "up_to_date");
    assert_eq!(r["translations"]["pages"][1]["translations"]["en"]["basis"], "hash");
    assert_eq!(r["translations"]["counts"]["en"]["up_to_date"], 1);
    assert!(warnings_for(&r, "content/arbeit.en.md").is_empty());

    // Whitespace does not count; the text does.
    f.write("content/arbeit.de.md", "---\ntitle: Arbeit\ndate: 2020-01-01\n---\n\nSo finden Sie\neine Arbeit.\n");
    assert_eq!(json(&f)["translations"]["pages"][1]["translations"]["en"]["status"], "up_to_date");
    f.write("content/arbeit.de.md", &page("Arbeit", "So finden Sie eine gute Arbeit."));
    let r = json(&f);
    let new_hash = r["translations"]["pages"][1]["hash"].as_str().unwrap().to_string();
    assert_ne!(new_hash, hash);
    assert_eq!(r["translations"]["pages"][1]["translations"]["en"]["status"], "outdated");
    let w = warnings_for(&r, "content/arbeit.en.md");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0]["severity"], "warning");
    assert!(w[0]["message"].as_str().unwrap().starts_with("outdated translation: content/arbeit.de.md changed after this was translated"), "{}", w[0]["message"]);
    assert_eq!((w[0]["line"].as_u64(), w[0]["column"].as_u64()), (Some(3), Some(18)));
    assert_eq!(w[0]["hint"].as_str().unwrap(), format!("update the translation, then set `translated_from: {new_hash}`"));

    // Outdated is a warning: the check passes; the table is printed with --translations.
    let (ok, _, err) = check(&f, "text");
    assert!(ok, "{err}");
    assert!(err.contains("content/arbeit.en.md:3:18"), "{err}");
    assert!(err.contains("| page | en | ar | fa | ls |"), "{err}");
    assert!(err.contains("| `arbeit/` | outdated | missing | missing | missing |"), "{err}");
    assert!(err.contains("| outdated | 1 | 0 | 0 | 0 |"), "{err}");
}

#[test]
fn a_hash_that_is_no_hash_is_an_error_at_its_line() {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/_index.en.md", "---\ntitle: Home\ntranslated_from: yesterday\n---\nWelcome.\n"),
    ]);
    let (ok, _, err) = check(&f, "text");
    assert!(!ok);
    assert!(err.contains("`translated_from` must be the short hash"), "{err}");
    assert!(err.contains("content/_index.en.md:3:18"), "{err}");
}
