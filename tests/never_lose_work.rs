//! Never lose work: a build killed half-way leaves the previous output exactly as it was, and the next
//! build cleans up what the killed one left beside it. Two builds of the same input are identical.

mod common;
use common::{Fixture, page};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file below `dir` with its bytes, sorted by path.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// A site big enough that a build takes a while (a few hundred pages in two languages).
fn big_site() -> Fixture {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen."))]);
    let body = "Ein Absatz über Beratung, Wohnung, Arbeit und Sprache im Landkreis. ".repeat(60);
    for i in 0..300 {
        f.write(&format!("content/themen/seite-{i}.de.md"), &page(&format!("Seite {i}"), &format!("## Teil\n\n{body}\n")));
        f.write(&format!("content/themen/seite-{i}.ar.md"), &page(&format!("صفحة {i}"), "نص عن الاستشارة والسكن والعمل واللغة."));
    }
    f
}

#[test]
fn a_build_killed_half_way_leaves_the_previous_output_intact() {
    let f = big_site();
    f.build_ok();
    let before = snapshot(&f.out());
    assert!(before.len() > 600);
    // Change every page, start a build and kill it while it writes into its staging folder.
    for i in 0..300 {
        f.write(&format!("content/themen/seite-{i}.de.md"), &page(&format!("Seite {i} neu"), "Neuer Text."));
    }
    let staging = f.path().join(".public.lotse-new");
    let mut killed_mid_way = false;
    for delay_ms in [0u64, 50, 150, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(["build", "--source"])
            .arg(f.path())
            .arg("--output")
            .arg(f.out())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !staging.exists() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().ok();
        child.wait().unwrap();
        if still_running {
            killed_mid_way = true;
            assert_eq!(snapshot(&f.out()), before, "killed after {delay_ms} ms: the previous output is untouched");
        }
    }
    assert!(killed_mid_way, "the build was never caught half-way (too fast for the test)");
    // The next build finishes, replaces the output and removes the half-written folder.
    f.build_ok();
    assert!(f.read("de/themen/seite-7/index.html").contains("Seite 7 neu"));
    assert!(!staging.exists(), "no half-written folder is left behind");
    assert!(!f.path().join(".public.lotse-old").exists());
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical_also_in_another_folder() {
    let f = big_site();
    f.build_ok();
    let first = snapshot(&f.out());
    // the same input copied to another folder, built again (another path, another time)
    let g = Fixture::new(&[]);
    for (rel, bytes) in snapshot(f.path()).into_iter().filter(|(p, _)| p.starts_with("content") || p == "site.yaml") {
        g.write_bytes(&rel, &bytes);
    }
    std::thread::sleep(Duration::from_millis(1100));
    g.build_ok();
    assert_eq!(snapshot(&g.out()), first);
}

#[test]
fn two_builds_of_one_site_at_once_both_succeed() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen.")), ("content/a.de.md", &page("A", "Beratung und Wohnung."))]);
    let spawn = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_lotse"))
            .args(["build", "--source"])
            .arg(f.path())
            .arg("--output")
            .arg(f.path().join(out))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // they share the search cache: a lock makes them take turns instead of deleting each other's index
    let (a, b) = (spawn("out-a"), spawn("out-b"));
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(snapshot(&f.path().join("out-a")), snapshot(&f.path().join("out-b")));
}
