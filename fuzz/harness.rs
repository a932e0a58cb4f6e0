// The fuzz targets' bodies, shared by `cargo fuzz` (fuzz/fuzz_targets/*.rs, nightly) and the stable
// bounded fuzz loop CI runs (crates/search-core/tests/fuzz_loop.rs): both `include!` this file, so a
// crash found by either is reproduced by the other with the same input.
//
// Targets:
// * `analyze` — the bytes (lossy UTF-8) as text and query in every language: analyze, analyze_with
//   (German compounds), analyze_query, and a search of a small index with every file it asks for.
// * `shard` — byte 0 picks a file of a small valid index (or the manifest), the rest replaces that
//   file's bytes; when byte 1 is odd, the checksum is recomputed so the decoders see past it. The engine
//   is opened and the file added, as the browser does with whatever a host or broken cache serves;
//   then queries run. Errors are fine, panics are not.

#[allow(unused_imports)]
use search_core::analysis::{analyze, analyze_query, analyze_with, Compounds, Lang};
#[allow(unused_imports)]
use search_core::engine::{Engine, Options, Step};
#[allow(unused_imports)]
use search_core::format::{self, build_shards, DocInfo, Posting, TermEntry, FIELDS};

pub const HARNESS_LANGS: [Lang; 5] = [Lang::De, Lang::En, Lang::Fr, Lang::Ar, Lang::Fa];

/// The small index both targets use: a few real pages per language.
pub fn harness_docs(lang: Lang) -> Vec<DocInfo> {
    let pages: &[(&str, &str)] = match lang {
        Lang::De => &[
            ("Krankenversicherung", "Wer in Deutschland wohnt, braucht eine Krankenversicherung. Die Versicherung zahlt den Arzt."),
            ("Ärzte und Kliniken", "Ärzte (Aerzte) finden: Hausarzt, Zahnarzt, Kinderarzt. Notruf 112."),
            ("Wohnungslosenhilfe", "Beratungsstelle für Menschen ohne Wohnung. Hilfe beim Jobcenter und beim Amt."),
            ("Straße und Weg", "Die Straße zum Bürgeramt; Öffnungszeiten Montag bis Freitag."),
        ],
        Lang::En => &[
            ("Health insurance", "Everyone living in Germany needs health insurance. Doctors and hospitals."),
            ("Housing", "Help finding a flat; counselling for homeless people."),
        ],
        Lang::Fr => &[
            ("Assurance maladie", "Les élèves et leurs parents: l'hôpital, le médecin, le cœur de la ville."),
            ("Logement", "Trouver un logement; aide sociale et conseils."),
        ],
        Lang::Ar => &[
            ("التأمين الصحي", "يحتاج كل من يعيش في ألمانيا إلى تأمين صحي. المستشفى والأطباء."),
            ("السكن", "المساعدة في إيجاد شقة. مَكتَبة ومدرسة ١٢٣."),
        ],
        Lang::Fa => &[
            ("بیمه درمانی", "هر کسی که در آلمان زندگی می‌کند به بیمه درمانی نیاز دارد. بیمارستان و پزشک."),
            ("مسکن", "کمک برای پیدا کردن خانه. کتاب‌ها و مدرسه ۱۲۳."),
        ],
    };
    pages
        .iter()
        .enumerate()
        .map(|(i, (title, text))| DocInfo {
            url: format!("/{}/seite-{i}/", lang.code()),
            title: title.to_string(),
            text: text.to_string(),
            kind: if i % 2 == 0 { "page".into() } else { "service".into() },
            categories: vec![format!("cat{}", i % 3)],
        })
        .collect()
}

/// Every file of the small index of `lang`, the manifest first (as `build_shards` returns them).
pub fn harness_index(lang: Lang) -> Vec<(String, Vec<u8>)> {
    let docs = harness_docs(lang);
    let mut compounds = Compounds::new();
    for d in &docs {
        compounds.add_text(&d.title);
        compounds.add_text(&d.text);
    }
    let mut terms: std::collections::BTreeMap<String, [Vec<Posting>; FIELDS]> = Default::default();
    let mut total = [0u64; FIELDS];
    for (id, d) in docs.iter().enumerate() {
        for (field, text) in [(0usize, d.title.as_str()), (2, d.text.as_str())] {
            let tokens = analyze_with(lang, text, Some(&compounds));
            let len = tokens.last().map_or(0, |t| t.position + 1);
            total[field] += len as u64;
            let mut tf: std::collections::BTreeMap<&str, u32> = Default::default();
            for t in &tokens {
                *tf.entry(t.term.as_str()).or_default() += 1;
            }
            for (term, n) in tf {
                let e = terms.entry(term.to_string()).or_default();
                e[field].push(Posting { doc: id as u32, tf: n, norm: len.min(39) as u8 });
            }
        }
    }
    let terms: Vec<TermEntry> =
        terms.into_iter().map(|(term, fields)| TermEntry { term, fields, ..Default::default() }).collect();
    build_shards(lang, total, &terms, &docs)
}

/// [`harness_index`], built once per language.
pub fn harness_files(lang: Lang) -> &'static [(String, Vec<u8>)] {
    static CACHE: std::sync::OnceLock<Vec<Vec<(String, Vec<u8>)>>> = std::sync::OnceLock::new();
    &CACHE.get_or_init(|| HARNESS_LANGS.iter().map(|&l| harness_index(l)).collect())[lang.id() as usize]
}

/// Run a search to the end, giving the engine every file it asks for from `files` (bounded rounds).
pub fn harness_search(engine: &mut Engine, files: &[(String, Vec<u8>)], query: &str, opts: &Options) {
    for _ in 0..6 {
        match engine.search(query, opts) {
            Step::Done(r) => {
                let _ = r.to_json();
                return;
            }
            Step::Need(names) => {
                for n in names {
                    let Some((_, data)) = files.iter().find(|(name, _)| *name == n) else { return };
                    if engine.add_file(&n, data).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// Target `analyze`.
pub fn fuzz_analyze(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for lang in HARNESS_LANGS {
        let a = analyze(lang, &text);
        let q = analyze_query(lang, &text);
        let mut c = Compounds::new();
        c.add_text(&text);
        c.add_text("Versicherung Hilfe Beratung Wohnung");
        let w = analyze_with(lang, &text, Some(&c));
        assert!(w.len() >= a.len());
        for word in &q {
            assert!(a.iter().any(|t| t.term == word.stem), "{lang:?} {text:?}: query stem {:?} not indexed", word.stem);
        }
    }
    // a search: German and Arabic engines (the two with the most folding)
    let text: String = text.chars().take(200).collect();
    for lang in [Lang::De, Lang::Ar] {
        let files = harness_files(lang);
        let mut engine = Engine::new(&files[0].1).expect("valid manifest");
        let opts = Options { limit: 10, kind: None, category: None };
        harness_search(&mut engine, files, &text, &opts);
        let opts = Options { limit: 3, kind: Some("page"), category: Some("cat1") };
        harness_search(&mut engine, files, &text, &opts);
    }
}

/// Target `shard`.
pub fn fuzz_shard(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let lang = HARNESS_LANGS[(pick >> 5) as usize % HARNESS_LANGS.len()];
    let mut files = harness_files(lang).to_vec();
    let i = (pick & 31) as usize % files.len();
    let mut bytes = rest.to_vec();
    if rest.first().is_some_and(|b| b & 1 == 1) && bytes.len() >= 8 {
        // re-seal: a valid checksum over the damaged body
        let n = bytes.len() - 4;
        let sum = format::fnv32(&bytes[..n]);
        bytes[n..].copy_from_slice(&sum.to_le_bytes());
    }
    files[i].1 = bytes;
    let Ok(mut engine) = Engine::new(&files[0].1) else { return };
    let name = files[i].0.clone();
    let _ = engine.add_file(&name, &files[i].1);
    let _ = engine.all_files();
    let words: Vec<String> = harness_docs(lang).iter().flat_map(|d| d.title.split(' ').map(String::from).collect::<Vec<_>>()).collect();
    for q in words.iter().take(3).map(String::as_str).chain(["a", "zz", "versicherung", "ال"]) {
        for opts in [Options { limit: 10, kind: None, category: None }, Options { limit: 2, kind: Some("service"), category: Some("cat0") }] {
            harness_search(&mut engine, &files, q, &opts);
        }
    }
}
