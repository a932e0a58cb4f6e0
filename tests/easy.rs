//! `lotse check` on Leichte Sprache pages: one warning per rule break, at its line and column in the
//! Markdown; other languages, code blocks, link targets and the front matter are left alone.

mod common;
use common::{Fixture, page};
use serde_json::Value;
use std::process::Command;

fn easy_warnings(f: &Fixture) -> Vec<(String, u64, u64, String, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["check", "--offline", "--format", "json", "--source"])
        .arg(f.path())
        .output()
        .expect("run lotse");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "check failed:\n{out}\n{}", String::from_utf8_lossy(&o.stderr));
    let r: Value = serde_json::from_str(&out).unwrap();
    r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| {
            let m = d["message"].as_str()?.strip_prefix("Leichte Sprache: ")?;
            assert_eq!(d["severity"], "warning");
            Some((d["file"].as_str()?.to_string(), d["line"].as_u64()?, d["column"].as_u64()?, m.to_string(), d["hint"].as_str()?.to_string()))
        })
        .collect()
}

const BAD: &str = "---
title: Zz. B. Regeln
---
Sie bekommen das Geld jeden Monat auf Ihr Konto bei der Bank und dann können Sie damit einkaufen.

Die Aufenthaltserlaubnis ist wichtig.
Die Krankenversicherungskarte auch.
Bringen Sie z. B. den Pass mit.
Das kostet nichts.
Der Antrag wird vom Amt geprüft.
Sie könnten auch anrufen.
Sie bekommen 50 % vom Geld.
Kommen Sie um 09:00 Uhr.

```
Das wird nicht gezeigt, z. B. 09:00.
```

Mehr auf [der Seite](https://www.example.com/Aufenthaltserlaubnis-Antrag).
";

#[test]
fn each_rule_at_its_place() {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/regeln.de.md", &page("Regeln", "Die Aufenthaltserlaubnis wird z. B. um 09:00 Uhr geprüft.")),
        ("content/regeln.ls.md", BAD),
    ]);
    let w = easy_warnings(&f);
    let at: Vec<(u64, u64, &str)> = w.iter().map(|(file, l, c, m, _)| {
        assert_eq!(file, "content/regeln.ls.md", "only the easy-German page is checked");
        (*l, *c, m.as_str())
    }).collect();
    assert_eq!(at, [
        (4, 1, "this sentence has 18 words (at most 15)"),
        (6, 5, "the long word `Aufenthaltserlaubnis` has no hyphen"),
        (7, 5, "the word `Krankenversicherungskarte` is very long (25 letters)"),
        (8, 13, "abbreviation `z. B.`"),
        (9, 12, "negation `nichts` (a hint: check whether you can say it positively)"),
        (10, 12, "passive voice (`wird` … `geprüft`)"),
        (11, 5, "subjunctive `könnten`"),
        (12, 17, "percentage `%`"),
        (13, 15, "time with a leading zero `09:00 Uhr`"),
    ]);
    let hint = |i: usize| w[i].4.as_str();
    assert_eq!(hint(3), "write the words out: `zum Beispiel`");
    assert_eq!(hint(8), "write `9 Uhr`");
    assert!(hint(1).contains("Aufenthalts-Erlaubnis"), "{}", hint(1));
}

#[test]
fn easy_text_has_no_warnings() {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/_index.ls.md", &page("Start", "Willkommen im Land-Kreis.\n\nDie Beratung ist kostenlos.  \nSie kommt um 9 Uhr.\n\nDas ist **nicht** erlaubt.\n")),
    ]);
    assert_eq!(easy_warnings(&f), []);
}
