//! A stable fuzz loop for front matter and Markdown: mutations of real demo pages (byte flips,
//! truncations, inserted `---`, YAML specials, deep nesting, NUL bytes, RTL marks, invalid UTF-8)
//! written (1-4 per round) into a fixture site and built with the real `lotse build`. It must never panic, must exit
//! 0 or 1, and must finish in time. Rounds stop after ~20 s in total.

mod common;

use common::Fixture;
use common::mutate::{mutate, Rng};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut paths: Vec<_> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    // a spread of the demo pages: every language, pages and typed content
    let step = (paths.len() / 24).max(1);
    let mut v: Vec<Vec<u8>> = paths.iter().step_by(step).map(|p| std::fs::read(p).unwrap()).collect();
    v.push(common::page("Start", "Hallo **Welt**.").into_bytes());
    v
}

const LANGS: [&str; 5] = ["de", "en", "ar", "fa", "ls"];

#[test]
fn mutated_content_never_crashes_the_build() {
    let seeds = seeds();
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let start = Instant::now();
    let mut rounds = 0;
    let mut exits = [0usize; 2];
    while rounds < 100 && (rounds < 2 || start.elapsed() < Duration::from_secs(20)) {
        let f = Fixture::new(&[("content/_index.de.md", &common::page("Start", "."))]);
        let mut written = Vec::new();
        let pages = 1 + rng.below(4);
        for i in 0..pages {
            let seed = rng.below(seeds.len());
            let bytes = mutate(&mut rng, &seeds[seed]);
            let rel = format!("content/fuzz/seite-{i}.{}.md", LANGS[rng.below(LANGS.len())]);
            f.write_bytes(&rel, &bytes);
            written.push((rel, bytes));
        }
        let t = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .args(["build", "--source"])
            .arg(f.path())
            .arg("--output")
            .arg(f.out())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run lotse");
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if t.elapsed() > Duration::from_secs(60) {
                child.kill().ok();
                keep(&written);
                panic!("round {rounds}: lotse build took over 60 s (inputs kept, see above)");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).ok();
        if stderr.contains("panicked") || !matches!(status.code(), Some(0 | 1)) {
            keep(&written);
            panic!("round {rounds}: lotse build exited {status:?}:\n{stderr}");
        }
        exits[status.code().unwrap() as usize] += 1;
        rounds += 1;
    }
    eprintln!("{rounds} builds of 1-4 mutated pages in {:?}: {} exited 0, {} exited 1", start.elapsed(), exits[0], exits[1]);
}

/// Keep a failing round's inputs for a regression test.
fn keep(written: &[(String, Vec<u8>)]) {
    let dir = std::env::temp_dir().join("lotse-fuzz-content");
    for (rel, bytes) in written {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    eprintln!("inputs written to {}", dir.display());
}
