//! A stable fuzz loop for front matter and Markdown: mutations of real demo pages (byte flips,
//! truncations, inserted `---`, YAML specials, deep nesting, NUL bytes, RTL marks, invalid UTF-8)
//! written (1-4 per round) into a fixture site and built with the real `lotse build`. It must never panic, must exit
//! 0 or 1, and must finish in time. Rounds stop after ~20 s in total.

mod common;

use common::Fixture;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPECIALS: &[&[u8]] = &[
    b"\n---\n", b"---\n", b"\n---", b"\n+++\n", b"&a ", b"*a", b"!!binary ", b"!!str ", b"!!map ", b"<<: *a\n", b"? ", b": ",
    b"\n- ", b"{", b"}", b"[", b"]", b"\"", b"'", b"|\n", b">-\n", b"%YAML 1.2\n", b"\t", b"\0", b"\xff\xfe", b"\xc3", b"\xe2\x80",
    "\u{200F}".as_bytes(), "\u{202E}".as_bytes(), "\u{200C}".as_bytes(), "\u{FEFF}".as_bytes(), b"\r\n", b"\r",
    b"title: ", b"date: 2016-13-45\n", b"date: ", b"draft: true\n", b"weight: 1e999\n", b"aliases: [", b"tags: ", b"type: ",
    b"```", b"\n```\n", b"~~~", b"<div>", b"</div>", b"<script>", b"{{", b"}}", b"{%", b"[x](javascript:1)", b"![", b"](",
    b"| a | b |\n|---|---|\n", b"[^1]", b"\n[^1]: ", b"> ", b"    ", b"#", b"\\", b"&#0;", b"&#x110000;", b"&nbsp;",
];

fn mutate(rng: &mut Rng, page: &[u8]) -> Vec<u8> {
    let mut v = page.to_vec();
    for _ in 0..1 + rng.below(6) {
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.truncate(rng.below(v.len() + 1)),
            2 | 3 => {
                let i = rng.below(v.len() + 1);
                let s = SPECIALS[rng.below(SPECIALS.len())];
                v.splice(i..i, s.iter().copied());
            }
            4 => {
                // deep nesting: YAML flow, YAML block, Markdown lists and quotes
                let n = 1 + rng.below(3000);
                let i = rng.below(v.len() + 1);
                let nest: Vec<u8> = match rng.below(4) {
                    0 => [b"x: ".as_slice(), &b"[".repeat(n), &b"]".repeat(n), b"\n"].concat(),
                    1 => (0..n.min(300)).flat_map(|d| [" ".repeat(d).into_bytes(), b"k:\n".to_vec()].concat()).collect(),
                    2 => b"> ".repeat(n),
                    _ => (0..n.min(500)).flat_map(|d| [" ".repeat(2 * d).into_bytes(), b"- x\n".to_vec()].concat()).collect(),
                };
                v.splice(i..i, nest);
            }
            5 if !v.is_empty() => {
                let i = rng.below(v.len());
                let n = rng.below(v.len() - i + 1).min(40);
                v.drain(i..i + n);
            }
            6 => {
                // YAML anchors and aliases (a billion-laughs start)
                let i = rng.below(v.len() + 1);
                v.splice(i..i, b"a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n".iter().copied());
            }
            7 => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.splice(i..i, (0..rng.below(16)).map(|_| rng.next() as u8));
            }
        }
    }
    v
}

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
