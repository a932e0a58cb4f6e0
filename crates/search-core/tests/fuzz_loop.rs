//! The stable stand-in for `cargo fuzz` (which needs nightly): the fuzz targets of `fuzz/` run on
//! their seed corpus, on deterministic pseudo-random inputs and on mutations of the corpus files, for a
//! bounded number of iterations. Crashes found are kept as regression tests at the end of this file.
//!
//! `LOTSE_FUZZ_ITERATIONS=200000 cargo test --release -p search-core --test fuzz_loop` runs longer.
//! `cargo test -p search-core --test fuzz_loop -- --ignored write_corpus` rewrites the seed corpus.

include!("../../../fuzz/harness.rs");

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target)
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir(target)).expect("fuzz corpus").map(|e| e.unwrap().path()).collect();
    files.sort();
    let v: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(!v.is_empty(), "empty corpus for {target}");
    v
}

/// xorshift64*: deterministic, so a failure reproduces from its iteration number.
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

const INTERESTING: &[&str] = &[
    "\u{200C}", "\u{200D}", "\u{AD}", "\u{308}", "\u{301}", "\u{64E}", "\u{651}", "\u{670}", "\u{640}", "ä", "ß", "ẞ", "é", "œ",
    "ة", "ى", "ی", "ك", "ک", "أ", "آ", "ال", "۱۲", "٣", "\u{200F}", "\u{FEFF}", "\0", " ", "-", "'", "😀", "\u{10FFFF}",
];

/// A libFuzzer-like mutation: flips, inserts, deletes, splices, interesting strings, truncation.
fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(8) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(v.len() + 1);
                let s = INTERESTING[rng.below(INTERESTING.len())];
                v.splice(i..i, s.bytes());
            }
            3 if !v.is_empty() => {
                let i = rng.below(v.len());
                let n = rng.below(v.len() - i + 1).min(16);
                v.drain(i..i + n);
            }
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a + 1);
                    let i = rng.below(v.len() + 1);
                    v.splice(i..i, other[a..b].iter().copied());
                }
            }
            5 => v.truncate(rng.below(v.len() + 1)),
            6 if v.len() > 1 => {
                // big varint where a small one was
                let i = 1 + rng.below(v.len() - 1);
                v.splice(i..i, [0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
        }
    }
    v
}

fn iterations() -> usize {
    std::env::var("LOTSE_FUZZ_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(if cfg!(debug_assertions) { 3_000 } else { 20_000 })
}

/// Run `target` on the corpus, then on mutations of it and on random bytes, until `n` iterations or
/// the time budget is spent.
fn run(target: &str, f: fn(&[u8]), n: usize, budget: Duration) {
    let corpus = corpus(target);
    for c in &corpus {
        f(c);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    let start = Instant::now();
    let mut done = 0;
    while done < n && start.elapsed() < budget {
        let input = if rng.below(8) == 0 {
            (0..rng.below(64)).map(|_| rng.next() as u8).collect()
        } else {
            let base = &corpus[rng.below(corpus.len())];
            mutate(&mut rng, base, &corpus)
        };
        let r = std::panic::catch_unwind(|| f(&input));
        if r.is_err() {
            panic!("{target}: iteration {done} crashed on input {:?}", String::from_utf8_lossy(&input));
        }
        done += 1;
    }
    eprintln!("{target}: {done} inputs in {:?}", start.elapsed());
}

#[test]
fn fuzz_loop_analyze() {
    run("analyze", fuzz_analyze, iterations(), Duration::from_secs(5));
}

#[test]
fn fuzz_loop_shard() {
    run("shard", fuzz_shard, iterations(), Duration::from_secs(5));
}

/// Regenerate `fuzz/corpus/`: real queries, and every file of the small indexes (shard target input:
/// a selector byte, then the file).
#[test]
#[ignore]
fn write_corpus() {
    let queries = [
        ("de-1", "Krankenversicherung"), ("de-2", "ärzte notruf"), ("de-3", "Aerzte in der Nähe"), ("de-4", "wohnungslos hilfe jobcen"),
        ("de-5", "Straße zum Bürgeramt"), ("ar-1", "التأمين الصحي"), ("ar-2", "مُستَشفى"), ("ar-3", "أين المستشفى؟"),
        ("fa-1", "بیمه درمانی"), ("fa-2", "می‌خواهم خانه"), ("fa-3", "كتاب ۱۲۳"), ("fr-1", "l'hôpital élèves"), ("en-1", "health insur"),
    ];
    let dir = corpus_dir("analyze");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, q) in queries {
        std::fs::write(dir.join(name), q).unwrap();
    }
    let dir = corpus_dir("shard");
    std::fs::create_dir_all(&dir).unwrap();
    for (li, lang) in HARNESS_LANGS.iter().enumerate() {
        if !matches!(lang, Lang::De | Lang::Ar | Lang::Fa) {
            continue;
        }
        for (i, (name, bytes)) in harness_index(*lang).iter().enumerate().take(32) {
            let mut v = vec![(li as u8) << 5 | i as u8];
            v.extend_from_slice(bytes);
            std::fs::write(dir.join(format!("{}-{}", lang.code(), name.trim_end_matches(".bin"))), v).unwrap();
        }
    }
}

// ---------------------------------------------------------------- regressions (crashes found)
