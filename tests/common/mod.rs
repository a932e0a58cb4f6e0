//! A tiny real site in a temporary folder, built with the real `lotse` binary.
#![allow(dead_code)]

pub mod mutate;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_YAML: &str = "title:\n  de: Testportal\n  ar: بوابة الاختبار\nbase_url: https://example.org/\ndefault_language: de\npaginate: 2\nlanguages:\n  de: { name: Deutsch, dir: ltr }\n  en: { name: English, dir: ltr }\n  ar: { name: العربية, dir: rtl }\n  fa: { name: فارسی, dir: rtl }\n  ls: { name: Leichte Sprache, dir: ltr, lang: de, fallback: de }\n";

pub struct Output {
    pub ok: bool,
    pub stderr: String,
}

impl Fixture {
    /// A site with `site.yaml` and the given files (path, text).
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let f = Fixture { dir: tempfile::tempdir().expect("temp dir") };
        f.write("site.yaml", SITE_YAML);
        for (path, text) in files {
            f.write(path, text);
        }
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn build(&self) -> Output {
        let o = Command::new(env!("CARGO_BIN_EXE_lotse"))
            .env("SOURCE_DATE_EPOCH", "1795000000") // "today" is 2026-11-18 for expiry and upcoming events
            .args(["build", "--source"])
            .arg(self.dir.path())
            .arg("--output")
            .arg(self.out())
            .output()
            .expect("run lotse");
        Output { ok: o.status.success(), stderr: String::from_utf8_lossy(&o.stderr).to_string() }
    }

    /// Builds and panics with the report if the build fails.
    pub fn build_ok(&self) -> &Self {
        let o = self.build();
        assert!(o.ok, "build failed:\n{}", o.stderr);
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

pub fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2016-11-25\n---\n{body}\n")
}

/// Attribute values may or may not be quoted after minification.
pub fn has_attr(html: &str, name: &str, value: &str) -> bool {
    html.contains(&format!("{name}={value} ")) || html.contains(&format!("{name}={value}>")) || html.contains(&format!("{name}=\"{value}\""))
}

/// A small good site (home and one section), built; then `files` written over it. Returns the site and
/// its home page as built, to check that a failing build leaves the previous output untouched.
pub fn built_then_changed(files: &[(&str, &[u8])]) -> (Fixture, String) {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/arbeit/_index.de.md", &page("Arbeit", "Arbeit.")),
    ]);
    f.build_ok();
    let before = f.read("de/index.html");
    for (path, bytes) in files {
        f.write_bytes(path, bytes);
    }
    (f, before)
}
