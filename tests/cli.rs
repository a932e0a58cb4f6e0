//! The other commands: `lotse serve` (serves, rebuilds, reloads) and `lotse new`.

mod common;
use common::{Fixture, page};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    get_at("127.0.0.1", port, path)
}

fn get_at(host: &str, port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = std::net::TcpStream::connect((host, port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

fn wait_for(port: u16, path: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some((200, body)) = get(port, path)
            && body.contains(needle)
        {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "`{needle}` never appeared at {path}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Killed(std::process::Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `lotse serve` of the fixture on a free port, of `--bind` if given (else the default address);
/// stopped when the guard is dropped.
fn serve(f: &Fixture, bind: Option<&str>) -> (u16, Killed) {
    let port = std::net::TcpListener::bind((bind.unwrap_or("127.0.0.1"), 0)).unwrap().local_addr().unwrap().port();
    let bind_args = bind.map(|b| vec!["--bind", b]).unwrap_or_default();
    let child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .arg("serve")
        .args(bind_args)
        .args(["--port", &port.to_string(), "--source"])
        .arg(f.path())
        .arg("--output")
        .arg(f.out())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (port, Killed(child))
}

#[test]
fn serve_serves_rebuilds_on_change_and_injects_reload_only_while_serving() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Erste Fassung."))]);
    let (port, _guard) = serve(&f, None);
    let body = wait_for(port, "/de/", "Erste Fassung.");
    assert!(body.contains("/__lotse/events"), "live reload script while serving");
    assert!(!f.read("de/index.html").contains("__lotse"), "never in the written files");
    assert_eq!(get(port, "/../../etc/passwd").map(|r| r.0), Some(404));
    f.write("content/_index.de.md", &page("Start", "Zweite Fassung."));
    wait_for(port, "/de/", "Zweite Fassung.");
    // A broken edit keeps the last good site.
    f.write("content/_index.de.md", "---\ntitel: x\n---\n");
    // the errors wait for the overlay, with file, line and hint, escaped
    let errors = wait_for(port, "/__lotse/errors", "the build failed");
    assert!(errors.contains("content/_index.de.md:2:1") && errors.contains("did you mean `title`?"), "{errors}");
    wait_for(port, "/de/", "Zweite Fassung.");
    assert!(!f.exists("de/index.html.gz"));
    // the next good build clears them
    f.write("content/_index.de.md", &page("Start", "Dritte Fassung."));
    wait_for(port, "/de/", "Dritte Fassung.");
    let start = Instant::now();
    while get(port, "/__lotse/errors").is_some_and(|(_, body)| body.contains("the build failed")) {
        assert!(start.elapsed() < Duration::from_secs(10), "the errors are cleared after a good build");
        std::thread::sleep(Duration::from_millis(50));
    }
    // a text edit takes the shortcut and shows up too
    f.write("content/_index.de.md", &page("Start", "Vierte Fassung."));
    wait_for(port, "/de/", "Vierte Fassung.");
}

#[test]
fn new_writes_a_page_in_the_right_language() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lotse")).arg("new").args(args).arg("--source").arg(f.path()).output().unwrap()
    };
    assert!(run(&["arbeit/praktikum-finden"]).status.success());
    let text = std::fs::read_to_string(f.path().join("content/arbeit/praktikum-finden.de.md")).unwrap();
    assert!(text.contains("title: \"Praktikum finden\"") && text.contains("draft: true"), "{text}");
    // A translation of an existing page starts from that page, with the hash of its version.
    let ar = run(&["arbeit/praktikum-finden.ar"]);
    assert!(ar.status.success());
    assert!(String::from_utf8_lossy(&ar.stderr).contains("a draft translation of content/arbeit/praktikum-finden.de.md"), "{ar:?}");
    let text = std::fs::read_to_string(f.path().join("content/arbeit/praktikum-finden.ar.md")).unwrap();
    assert!(text.contains("title: \"Praktikum finden\"") && text.contains("draft: true") && text.contains("Write the page here."), "{text}");
    assert!(text.contains("\ntranslated_from: "), "{text}");
    // Published, both count as up to date: the hash is the one `lotse check` computes.
    for file in ["content/arbeit/praktikum-finden.de.md", "content/arbeit/praktikum-finden.ar.md"] {
        let text = std::fs::read_to_string(f.path().join(file)).unwrap();
        f.write(file, &text.replace("draft: true\n", ""));
    }
    let check = Command::new(env!("CARGO_BIN_EXE_lotse")).args(["check", "--offline", "--translations", "--source"]).arg(f.path()).output().unwrap();
    let table = String::from_utf8_lossy(&check.stdout).to_string() + &String::from_utf8_lossy(&check.stderr);
    let row = table.lines().find(|l| l.starts_with("| `arbeit/praktikum-finden/`")).unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains('✓') && !row.contains("outdated") && !row.contains('?'), "{row}");
    // From the section's template.
    f.write("content/wohnen/_template.md", "---\ntitle: \"{{title}}\"\ndate: {{date}}\ntags: [Wohnen]\n---\nVorlage\n");
    assert!(run(&["wohnen/mietvertrag"]).status.success());
    let text = std::fs::read_to_string(f.path().join("content/wohnen/mietvertrag.de.md")).unwrap();
    assert!(text.contains("title: \"Mietvertrag\"") && text.contains("Vorlage"));
    let again = run(&["wohnen/mietvertrag"]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert!(!run(&["../../evil"]).status.success());
    // The new pages build (drafts are left out of a normal build).
    f.build_ok();
}

#[test]
fn new_with_a_type_writes_its_fields_labelled_in_the_pages_language() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "."))]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lotse")).arg("new").args(args).arg("--source").arg(f.path()).output().unwrap()
    };
    assert!(run(&["job", "jobs/koch"]).status.success());
    let de = std::fs::read_to_string(f.path().join("content/jobs/koch.de.md")).unwrap();
    assert!(de.contains("type: job") && de.contains("draft: true"), "{de}");
    assert!(de.contains("\nemployment: full_time   # Art der Stelle: full_time | part_time | apprenticeship | internship | mini_job *"), "{de}");
    assert!(de.contains("\nemployer: \"\"   # Arbeitgeber *"), "{de}");
    assert!(de.contains("\n# salary: \"\"   # Lohn\n"), "optional fields commented out: {de}");
    assert!(run(&["place", "orte/neu.ar"]).status.success());
    let ar = std::fs::read_to_string(f.path().join("content/orte/neu.ar.md")).unwrap();
    assert!(ar.contains("# العنوان *"), "labels in the file's language: {ar}");
    let bad = run(&["plac", "orte/x"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("did you mean `place`?"));
    // drafts with empty fields do not break a normal build
    f.build_ok();
}

#[test]
fn add_language_writes_the_strings_a_new_language_needs() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen."))]);
    f.write("site.yaml", &format!("{}  uk: {{ name: Українська }}\n", common::SITE_YAML));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lotse")).arg("add-language").args(args).arg("--source").arg(f.path()).output().unwrap()
    };
    // Without strings, the build says how to get them.
    let out = f.build();
    assert!(!out.ok && out.stderr.contains("no UI strings for language `uk`") && out.stderr.contains("run `lotse add-language uk`"), "{}", out.stderr);
    let added = run(&["uk"]);
    let said = String::from_utf8_lossy(&added.stderr).to_string();
    assert!(added.status.success(), "{said}");
    assert!(said.contains("i18n/uk.yaml") && said.contains("one, few, many, other") && !said.contains("declare"), "{said}");
    // Ukrainian's plural forms, each with the English text to translate; the rest as in English.
    let strings = std::fs::read_to_string(f.path().join("i18n/uk.yaml")).unwrap();
    assert!(strings.contains("search_results:\n  one: '{n} result'\n  few: '{n} results'\n  many: '{n} results'\n  other: '{n} results'\n"), "{strings}");
    assert!(strings.contains("skip_link: Skip to content"), "{strings}");
    // The site builds, with Ukrainian pages.
    f.build_ok();
    assert!(common::has_attr(&f.read("uk/index.html"), "lang", "uk"));
    // It never overwrites a translator's work; a language site.yaml lacks is named with what to add.
    let again = run(&["uk"]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let tr = run(&["tr", "--from", "de"]);
    let said = String::from_utf8_lossy(&tr.stderr).to_string();
    assert!(tr.status.success() && said.contains("declare the language in site.yaml") && said.contains("one, other"), "{said}");
    assert!(std::fs::read_to_string(f.path().join("i18n/tr.yaml")).unwrap().contains("skip_link: Zum Inhalt springen"));
}

#[test]
fn serve_listens_on_the_address_given_with_bind() {
    // 127.0.0.2 is loopback too, but another address than the default one.
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Auf dem Telefon."))]);
    let (port, _guard) = serve(&f, Some("127.0.0.2"));
    let start = Instant::now();
    while !get_at("127.0.0.2", port, "/de/").is_some_and(|(status, body)| status == 200 && body.contains("Auf dem Telefon.")) {
        assert!(start.elapsed() < Duration::from_secs(30), "never served on 127.0.0.2");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(get(port, "/de/").is_none(), "not on 127.0.0.1");
}
