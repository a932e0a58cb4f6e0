//! Property tests (proptest, 256 cases each): the analyzer agrees with itself at index and query time,
//! and the shard format round-trips and rejects every damaged file with an error instead of a panic.

use proptest::prelude::*;
use search_core::analysis::{words, Compounds, Lang};
use search_core::format::{
    self, decode_bundle, decode_doc, decode_terms, decode_top, encode_bundle, encode_doc, encode_terms, encode_top, encode_postings,
    Manifest, Meta, Posting, StoredDoc, TermEntry, TopList, FIELDS,
};
use search_core::{analyze, analyze_query, analyze_with};

const LANGS: [Lang; 5] = [Lang::De, Lang::En, Lang::Fr, Lang::Ar, Lang::Fa];

/// Characters the analyzer treats specially, mixed with plain letters and separators.
const ALPHABET: &[char] = &[
    // Latin, German and French letters, composed and (with the marks below) decomposed
    'a', 'e', 'i', 'o', 'u', 'n', 's', 't', 'r', 'k', 'A', 'Z', 'ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß', 'ẞ', 'é', 'è', 'ê',
    'ç', 'œ', 'Œ', 'æ', 'à', 'ù', 'ÿ', 'Ÿ', 'ı', 'İ', 'ĳ', 'þ', 'ſ',
    // combining marks: diaeresis, acute, cedilla, grave
    '\u{308}', '\u{301}', '\u{327}', '\u{300}',
    // Arabic and Persian letters, tashkeel, tatweel, superscript alef, hamza forms
    'ا', 'أ', 'إ', 'آ', 'ٱ', 'ب', 'ت', 'ة', 'ه', 'ى', 'ي', 'ی', 'ك', 'ک', 'ل', 'م', 'ن', 'و', 'ؤ', 'ئ', 'ء', 'گ', 'چ', 'پ',
    'ژ', '\u{64B}', '\u{64E}', '\u{650}', '\u{651}', '\u{652}', '\u{670}', '\u{640}', '\u{6D6}',
    // digits: ASCII, Arabic-Indic, Persian
    '0', '7', '٣', '٩', '۴', '۹',
    // ZWNJ, ZWJ, soft hyphen, RTL/LTR marks, BOM
    '\u{200C}', '\u{200D}', '\u{AD}', '\u{200F}', '\u{200E}', '\u{FEFF}',
    // separators and punctuation
    ' ', ' ', '\n', '\t', '-', '\'', '’', '.', ',', '،', '؟', '؛', '«', '»', '/', '\u{A0}', '\u{3000}',
    // other scripts and odd code points
    'Ω', 'ж', 'Ж', '中', '😀', '\u{1F1E9}', '\u{0}', '\u{FFFD}', '\u{10FFFF}', 'ǅ', 'ﷲ', 'ﻻ',
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // mostly from the interesting alphabet
        4 => prop::collection::vec(prop::sample::select(ALPHABET), 0..40).prop_map(|v| v.into_iter().collect()),
        // any Unicode at all
        1 => any::<String>(),
        // real words glued and mixed
        2 => prop::collection::vec(
            prop::sample::select(&[
                "Krankenversicherung", "Ärzte", "Aerzte", "Wohnungslosenhilfe", "Straße", "élèves", "cœur",
                "l'hôpital", "المستشفى", "مستشفى", "الأطباء", "می‌خواهم", "میخواهم", "بیمارستان", "کتاب‌ها",
                "۱۲۳", "١٢٣", "der", "und", "از", "في", "le", "Beratungsstelle", "Jobcenter",
            ][..]),
            0..8,
        )
        .prop_map(|v| v.join(" ")),
    ]
}

fn lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(&LANGS[..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// What must hold so that a query always finds the text it was typed from:
    /// * every word span of the text, analyzed as a query on its own, yields at most one query word, and
    ///   its stem is the first term `analyze` emitted at that word's position (the same fold and stem);
    ///   a word that folds to nothing yields neither a token nor a query word;
    /// * every stem `analyze_query` yields for the whole text is among the terms `analyze` yields for it
    ///   (stop-word removal only drops words, never changes them);
    /// * decompounding (index time) only adds terms: `analyze_with(compounds)` ⊇ `analyze` at each position;
    /// * tokens are in position order, positions count words without gaps, offsets are char boundaries
    ///   of the text and cover exactly one word span.
    #[test]
    fn index_and_query_analysis_agree(lang in lang(), text in text()) {
        let tokens = analyze(lang, &text);
        let terms: std::collections::HashSet<&str> = tokens.iter().map(|t| t.term.as_str()).collect();
        let spans: Vec<(usize, usize)> = words(&text).collect();
        let mut next_pos = 0u32;
        for (from, to) in &spans {
            let word = &text[*from..*to];
            let q = analyze_query(lang, word);
            let at: Vec<_> = tokens.iter().filter(|t| t.offset_from == *from).collect();
            prop_assert!(q.len() <= 1, "{word:?} → {q:?}");
            match q.first() {
                None => prop_assert!(at.is_empty(), "{word:?}: tokens {at:?} but no query word"),
                Some(w) => {
                    prop_assert!(!at.is_empty(), "{word:?}: query word {w:?} but no token");
                    prop_assert_eq!(&at[0].term, &w.stem, "{:?}", word);
                    prop_assert!(at.iter().all(|t| t.position == next_pos && t.offset_to == *to));
                    next_pos += 1;
                }
            }
        }
        prop_assert_eq!(tokens.len(), tokens.iter().filter(|t| spans.iter().any(|s| s.0 == t.offset_from)).count());
        for w in analyze_query(lang, &text) {
            prop_assert!(terms.contains(w.stem.as_str()), "query stem {:?} not among the index terms of {:?}", w.stem, text);
            prop_assert!(w.letters > 0);
        }
        for t in &tokens {
            prop_assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            prop_assert!(!t.term.is_empty());
        }
        // decompounding only adds terms at the same positions
        let mut compounds = Compounds::new();
        compounds.add_text(&text);
        compounds.add_text("Versicherung Hilfe Beratung Wohnung Stelle Arzt");
        let with = analyze_with(lang, &text, Some(&compounds));
        for t in &tokens {
            prop_assert!(with.iter().any(|u| u.position == t.position && u.term == t.term));
        }
        prop_assert_eq!(with.iter().map(|t| t.position).max(), tokens.iter().map(|t| t.position).max());
    }

    /// Analysis is deterministic and independent of what came before.
    #[test]
    fn analysis_is_deterministic(lang in lang(), a in text(), b in text()) {
        let first = (analyze(lang, &a), analyze_query(lang, &a));
        let _ = analyze(lang, &b);
        let _ = analyze_query(lang, &b);
        prop_assert_eq!(first, (analyze(lang, &a), analyze_query(lang, &a)));
        // a word's terms do not depend on its neighbours
        let joined = format!("{a} {b}");
        let ta: Vec<String> = analyze(lang, &a).into_iter().map(|t| t.term).collect();
        let tj: Vec<String> = analyze(lang, &joined).into_iter().map(|t| t.term).collect();
        prop_assert_eq!(&tj[..ta.len()], &ta[..]);
    }
}

// ---------------------------------------------------------------- format

fn term_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 1..12).prop_map(|v| v.into_iter().collect())
}

fn postings(num_docs: u32) -> impl Strategy<Value = Vec<Posting>> {
    prop::collection::btree_map(0..num_docs, (1u32..1000, any::<u8>()), 0..6)
        .prop_map(|m| m.into_iter().map(|(doc, (tf, norm))| Posting { doc, tf, norm }).collect())
}

fn terms(num_docs: u32) -> impl Strategy<Value = Vec<TermEntry>> {
    prop::collection::btree_map(term_string(), (postings(num_docs), postings(num_docs), postings(num_docs), any::<bool>(), any::<bool>()), 0..20)
        .prop_map(|m| {
            m.into_iter()
                .map(|(term, (a, b, c, top, external))| {
                    let counts = if external { [a.len() as u32, b.len() as u32, c.len() as u32] } else { [0; FIELDS] };
                    TermEntry { term, fields: [a, b, c], top, external, counts }
                })
                .collect()
        })
}

fn stored_doc() -> impl Strategy<Value = StoredDoc> {
    (text(), text(), text()).prop_map(|(url, title, text)| StoredDoc { url, title, text })
}

fn manifest() -> impl Strategy<Value = Manifest> {
    (
        lang(),
        0u32..200,
        any::<[u64; FIELDS]>(),
        0u64..1 << 48,
        prop::collection::btree_set(term_string(), 0..10),
        0u64..1 << 48,
        (0u64..1 << 48, 0u64..1 << 48),
    )
        .prop_map(|(lang, num_docs, total_tokens, terms_hash, chunks, docs_hash, (bundle_hash, meta_hash))| {
            let mut term_chunks: Vec<String> = vec![String::new()];
            term_chunks.extend(chunks.iter().cloned());
            Manifest { lang, num_docs, total_tokens, terms_hash, term_chunks, docs_hash, bundle_hash, meta_hash }
        })
}

fn meta() -> impl Strategy<Value = Meta> {
    (prop::collection::vec(text(), 1..5), prop::collection::vec(text(), 0..5), 0usize..20).prop_flat_map(|(kinds, cats, n)| {
        let (k, c) = (kinds.len() as u32, cats.len() as u32);
        let cat_lists = if c == 0 {
            Just(vec![Vec::new(); n]).boxed()
        } else {
            prop::collection::vec(prop::collection::btree_set(0..c, 0..3).prop_map(|s| s.into_iter().collect()), n).boxed()
        };
        (prop::collection::vec(0..k, n), cat_lists).prop_map(move |(doc_kind, doc_categories)| Meta {
            kinds: kinds.clone(),
            categories: cats.clone(),
            doc_kind,
            doc_categories,
        })
    })
}

/// Every way a valid file can be damaged: each truncation, and a flipped bit at `pos`.
fn damaged(bytes: &[u8], pos: usize, bit: u8) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
    let mut flipped = bytes.to_vec();
    let i = pos % bytes.len();
    flipped[i] ^= 1 << (bit % 8);
    out.push(flipped);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn terms_roundtrip_and_damage(t in terms(50), pos in any::<usize>(), bit in any::<u8>()) {
        let bytes = encode_terms(&t);
        let mut back = decode_terms(&bytes, 50).unwrap();
        // an external term's postings come from its own file
        for (b, orig) in back.iter_mut().zip(&t) {
            prop_assert_eq!(b.needs_postings(), orig.external && orig.fields.iter().any(|f| !f.is_empty()));
            if orig.external {
                let file = encode_postings(orig);
                format::decode_postings(&file, b, 50).unwrap();
                for d in damaged(&file, pos, bit) {
                    let mut fresh = TermEntry { fields: Default::default(), ..b.clone() };
                    prop_assert!(format::decode_postings(&d, &mut fresh, 50).is_err());
                }
            }
        }
        prop_assert_eq!(back, t);
        for d in damaged(&bytes, pos, bit) {
            prop_assert!(decode_terms(&d, 50).is_err());
        }
    }

    #[test]
    fn docs_roundtrip_and_damage(id in any::<u32>(), docs in prop::collection::vec(stored_doc(), 0..5), pos in any::<usize>(), bit in any::<u8>()) {
        for d in &docs {
            let bytes = encode_doc(id, d);
            prop_assert_eq!(decode_doc(&bytes).unwrap(), (id, d.clone()));
            for x in damaged(&bytes, pos, bit) {
                prop_assert!(decode_doc(&x).is_err());
            }
        }
        let n = docs.len() as u32;
        let top: Vec<(u32, &StoredDoc)> = docs.iter().enumerate().map(|(i, d)| (i as u32, d)).collect();
        let lists = vec![TopList { group: vec![("hilf".into(), 1.0), ("hilfe".into(), 0.5)], total: 7, hits: (0..n).map(|i| (i, i as f32 * 0.25)).collect() }];
        let bytes = encode_top(&lists, &top);
        let (back_lists, back) = decode_top(&bytes, n).unwrap();
        prop_assert_eq!(back_lists, lists);
        prop_assert_eq!(back.iter().map(|(i, d)| (*i, d)).collect::<Vec<_>>(), top);
        for x in damaged(&bytes, pos, bit) {
            prop_assert!(decode_top(&x, n).is_err());
        }
        let bytes = encode_bundle(&docs);
        prop_assert_eq!(decode_bundle(&bytes).unwrap(), docs);
        for x in damaged(&bytes, pos, bit) {
            prop_assert!(decode_bundle(&x).is_err());
        }
    }

    #[test]
    fn manifest_roundtrip_and_damage(m in manifest(), pos in any::<usize>(), bit in any::<u8>()) {
        let bytes = m.encode();
        prop_assert_eq!(Manifest::decode(&bytes).unwrap(), m);
        for d in damaged(&bytes, pos, bit) {
            prop_assert!(Manifest::decode(&d).is_err());
        }
    }

    #[test]
    fn meta_roundtrip_and_damage(m in meta(), pos in any::<usize>(), bit in any::<u8>()) {
        let bytes = m.encode();
        prop_assert_eq!(Meta::decode(&bytes).unwrap(), m);
        for d in damaged(&bytes, pos, bit) {
            prop_assert!(Meta::decode(&d).is_err());
        }
    }

    /// Arbitrary bytes, with a valid magic and checksum or without: every decoder answers, none panics.
    #[test]
    fn decoding_arbitrary_bytes_never_panics(body in prop::collection::vec(any::<u8>(), 0..300), magic in 0usize..6, seal in any::<bool>()) {
        let magics = [format::MAGIC_MANIFEST, format::MAGIC_TERMS, format::MAGIC_DOC, format::MAGIC_BUNDLE, format::MAGIC_TOP, format::MAGIC_META];
        let data = if seal {
            let mut w = format::Writer::new(magics[magic]);
            w.buf.extend_from_slice(&body);
            w.finish()
        } else {
            body
        };
        let _ = Manifest::decode(&data);
        let _ = decode_terms(&data, 100);
        let _ = decode_doc(&data);
        let _ = decode_top(&data, 100);
        let _ = decode_bundle(&data);
        let _ = Meta::decode(&data);
    }
}
