//! Text analysis: one function for index time (tantivy tokenizer in search-index) and query time (wasm).
//!
//! Pipeline per word: segmentation → lower-casing → letter-variant folding → stemming.
//!
//! * Segmentation: a word is a maximal run of letters, digits, combining marks, ZWNJ/ZWJ and soft hyphens
//!   (see [`is_word_char`]); everything else (spaces, punctuation, apostrophes, hyphens, symbols) separates.
//!   Token offsets are byte offsets into the original text, positions count words.
//! * Lower-casing: by hand for Latin (≤ U+017F), Greek and Cyrillic, so no big Unicode case tables end up
//!   in the wasm.
//! * Folding (no normalization tables needed: composed and decomposed forms of the letters that matter are
//!   handled directly):
//!   - German: `ä/Ä/a+U+0308 → ae`, `ö → oe`, `ü → ue`, `ß → ss`; the Snowball German stemmer maps
//!     `ae/oe/ue` back to `a/o/u`, so `Ärzte`, `Aerzte` (and `Arzte`) all end in the same stem `arzt`.
//!   - Other Latin accents are removed (`é → e`, `ç → c`, `œ → oe`, `æ → ae`), decomposed marks are dropped.
//!   - Arabic script: tashkeel, Quranic marks, superscript alef and tatweel removed; `أ إ آ ٱ → ا`;
//!     `ة → ه`; `ى → ي` (ar) / `ی` (fa); `ي ى ی` unified and `ك ک` unified per language (Arabic forms for
//!     ar, Persian forms for fa); ZWNJ and ZWJ are removed, so `می‌خواهم` and `میخواهم` are one word.
//!   - Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII.
//! * Stemming: Snowball (frostem, the same generated stemmers tantivy ships) for de, en, fr, ar; a light
//!   suffix stemmer for fa ([`stem_fa`]). Folding happens *before* stemming, so both spellings of a word give
//!   the stemmer the same input and always meet.
//! * German compounds ([`Compounds`]): at index time only, a compound word also emits the stems of its
//!   head(s) (and its modifier) at the same position, when they are known words: a built-in list of heads
//!   common on help portals (`hilfe`, `versicherung`, `amt`, `beratung`, …) plus the index's own
//!   vocabulary of stand-alone words (≥ 4 letters). Linking elements (Fugen-s, -n, -en, -es, -er) are
//!   tried when looking up the modifier. Queries are not decompounded: `Krankenversicherung` as a query
//!   matches the compound itself, `versicherung` matches the compound's emitted head.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::collections::BTreeSet;

/// The analyzers Lotse knows. Easy German (`ls`) uses [`Lang::De`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    De,
    En,
    Fr,
    Ar,
    Fa,
}

impl Lang {
    /// Parse an analyzer name (`de`, `en`, `fr`, `ar`, `fa`; `ls` maps to German).
    pub fn from_code(code: &str) -> Option<Lang> {
        Some(match code {
            "de" | "ls" => Lang::De,
            "en" => Lang::En,
            "fr" => Lang::Fr,
            "ar" => Lang::Ar,
            "fa" => Lang::Fa,
            _ => return None,
        })
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
            Lang::Fa => "fa",
        }
    }
    pub fn id(self) -> u8 {
        self as u8
    }
    pub fn from_id(id: u8) -> Option<Lang> {
        Some(match id {
            0 => Lang::De,
            1 => Lang::En,
            2 => Lang::Fr,
            3 => Lang::Ar,
            4 => Lang::Fa,
            _ => return None,
        })
    }
}

/// One analyzed token. `term` is the indexed form (folded and stemmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub position: u32,
    pub offset_from: usize,
    pub offset_to: usize,
}

/// One word of a query: its stem (the index term) and its folded, unstemmed form used for prefix matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    pub stem: String,
    pub prefix: String,
    /// Number of letters typed (of the folded form), used for the typo thresholds.
    pub letters: usize,
}

/// Analyze `text` (index or query time; no decompounding).
pub fn analyze(lang: Lang, text: &str) -> Vec<Token> {
    analyze_with(lang, text, None)
}

/// Analyze `text`, emitting German compound parts when `compounds` is given (index time).
pub fn analyze_with(lang: Lang, text: &str, compounds: Option<&Compounds>) -> Vec<Token> {
    analyze_using(lang, text, &mut |folded, terms| word_terms(lang, folded, compounds, terms))
}

/// The index terms of one folded word: its stem, then (German, with `compounds`) the stems of its parts.
pub fn word_terms(lang: Lang, folded: &str, compounds: Option<&Compounds>, terms: &mut Vec<String>) {
    let term = stem(lang, folded);
    let parts = match (compounds, lang) {
        (Some(c), Lang::De) => c.split(folded, &term),
        _ => Vec::new(),
    };
    terms.push(term);
    terms.extend(parts);
}

/// Analyze `text` with `terms_of` giving the terms of each folded word (see [`word_terms`]); the
/// indexer passes a memoizing version, since a site repeats its words and stemming (with German
/// decompounding: one stem per suffix) costs far more than a lookup.
pub fn analyze_using(lang: Lang, text: &str, terms_of: &mut dyn FnMut(&str, &mut Vec<String>)) -> Vec<Token> {
    let mut out = Vec::new();
    let mut folded = String::new();
    let mut terms = Vec::new();
    let mut pos = 0u32;
    for (from, to) in words(text) {
        folded.clear();
        fold_word(lang, &text[from..to], &mut folded);
        if folded.is_empty() {
            continue;
        }
        terms.clear();
        terms_of(&folded, &mut terms);
        for term in terms.drain(..) {
            out.push(Token { term, position: pos, offset_from: from, offset_to: to });
        }
        pos += 1;
    }
    out
}

/// Analyze a query into words (duplicates removed, order kept).
pub fn analyze_query(lang: Lang, text: &str) -> Vec<QueryWord> {
    let mut out: Vec<QueryWord> = Vec::new();
    let mut folded = String::new();
    let spans: Vec<(usize, usize)> = words(text).collect();
    // Function words go when other words carry the meaning; the word still being typed stays.
    let typing = ends_in_word(text);
    let content = |(i, &(from, to)): (usize, &(usize, usize))| {
        let mut f = String::new();
        fold_word(lang, &text[from..to], &mut f);
        !f.is_empty() && (typing && i + 1 == spans.len() || !crate::stopwords::is_stopword(lang, &f))
    };
    let has_content = spans.iter().enumerate().any(content);
    for (i, &(from, to)) in spans.iter().enumerate() {
        if has_content && !content((i, &(from, to))) {
            continue;
        }
        folded.clear();
        fold_word(lang, &text[from..to], &mut folded);
        if folded.is_empty() {
            continue;
        }
        let stem = stem(lang, &folded);
        let prefix = prefix_form(lang, &folded);
        let letters = folded.chars().count();
        if let Some(w) = out.iter_mut().find(|w| w.stem == stem) {
            // keep the last occurrence's prefix (the word being typed)
            w.prefix = prefix;
            w.letters = letters;
            continue;
        }
        out.push(QueryWord { stem, prefix, letters });
    }
    out
}

/// True when the query ends inside a word (the last word is still being typed).
pub fn ends_in_word(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_word_char)
}

/// Is `c` part of a word?
pub fn is_word_char(c: char) -> bool {
    let cp = c as u32;
    match cp {
        0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A => true,
        0..=0x7F => false,
        0xAD => true,
        0x80..=0xBF => false,
        0xD7 | 0xF7 => false,
        0xC0..=0x2AF => true,
        0x2B0..=0x2FF => false,
        0x300..=0x36F => true,
        0x37E | 0x387 => false,
        0x370..=0x52F => true,
        0x55A..=0x55F | 0x589 | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3 | 0x5F4 => false,
        0x600..=0x60F | 0x61B..=0x61F | 0x66A..=0x66D | 0x6D4 | 0x6DD | 0x6DE | 0x6E9 => false,
        0x700..=0x1FFF => true,
        0x200C | 0x200D => true,
        0x2000..=0x2BFF | 0x2E00..=0x2E7F | 0x3000..=0x303F => false,
        0xFD3E | 0xFD3F | 0xFE10..=0xFE6F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 => false,
        0xFFF0..=0xFFFF | 0xE000..=0xF8FF | 0xD800..=0xDFFF => false,
        0x1F000..=0x1FFFF => false,
        _ => true,
    }
}

/// Byte ranges of the words of `text`.
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = text.char_indices().peekable();
    core::iter::from_fn(move || {
        loop {
            let (start, c) = it.next()?;
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = it.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = i + c.len_utf8();
                it.next();
            }
            return Some((start, end));
        }
    })
}

/// Base letters of U+00C0..=U+017F after lower-casing. Digits are multi-letter folds:
/// 1 = ae, 2 = th, 3 = ss, 4 = ij, 5 = oe; space = not a letter.
const LATIN_FOLD: &[u8; 192] = b"aaaaaa1ceeeeiiiidnooooo ouuuuy23aaaaaa1ceeeeiiiidnooooo ouuuuy2yaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkkllllllllllnnnnnnnnnoooooo55rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

const AR_YEH: char = '\u{64A}';
const FA_YEH: char = '\u{6CC}';
const AR_KAF: char = '\u{643}';
const FA_KAF: char = '\u{6A9}';

/// Lower-case and fold one word (see the module docs). Appends to `out`.
pub fn fold_word(lang: Lang, word: &str, out: &mut String) {
    for c in word.chars() {
        let cp = c as u32;
        match cp {
            0x41..=0x5A => out.push((cp as u8 + 32) as char),
            0x00..=0x7F => out.push(c),
            0x308 if lang == Lang::De && (out.ends_with('a') || out.ends_with('o') || out.ends_with('u')) => {
                out.push('e')
            }
            0x300..=0x36F | 0xAD => {}
            0xC0..=0x17F => {
                if lang == Lang::De {
                    match cp {
                        0xC4 | 0xE4 => {
                            out.push_str("ae");
                            continue;
                        }
                        0xD6 | 0xF6 => {
                            out.push_str("oe");
                            continue;
                        }
                        0xDC | 0xFC => {
                            out.push_str("ue");
                            continue;
                        }
                        _ => {}
                    }
                }
                match LATIN_FOLD[(cp - 0xC0) as usize] {
                    b'1' => out.push_str("ae"),
                    b'2' => out.push_str("th"),
                    b'3' => out.push_str("ss"),
                    b'4' => out.push_str("ij"),
                    b'5' => out.push_str("oe"),
                    b' ' => {}
                    b => out.push(b as char),
                }
            }
            // Greek and Cyrillic capitals
            0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => out.push(char::from_u32(cp + 0x20).unwrap_or(c)),
            0x400..=0x40F => out.push(char::from_u32(cp + 0x50).unwrap_or(c)),
            // digits
            0x660..=0x669 => out.push((b'0' + (cp - 0x660) as u8) as char),
            0x6F0..=0x6F9 => out.push((b'0' + (cp - 0x6F0) as u8) as char),
            // Arabic marks, tatweel, ZWNJ, ZWJ
            0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6DC | 0x6DF..=0x6E8 | 0x6EA..=0x6ED | 0x640
            | 0x200C | 0x200D => {}
            // alef with madda / hamza above / hamza below, alef wasla, wavy-hamza alefs
            0x622 | 0x623 | 0x625 | 0x671..=0x673 => out.push('\u{627}'),
            // teh marbuta, heh with yeh above, heh goal → heh
            0x629 | 0x6C0 | 0x6C1 | 0x6D5 => out.push('\u{647}'),
            // yeh forms
            0x649 | 0x64A | 0x6CC | 0x6D0 => out.push(if lang == Lang::Fa { FA_YEH } else { AR_YEH }),
            // kaf forms
            0x643 | 0x6A9 => out.push(if lang == Lang::Fa { FA_KAF } else { AR_KAF }),
            _ => out.push(c),
        }
    }
}

/// The form of a (folded) word that is compared as a prefix with the index terms while typing.
///
/// For German this undoes what the Snowball prelude does (`ae/oe/ue → a/o/u`, except after `q`), since
/// indexed stems carry plain vowels; for Arabic the definite article (and the conjunctions and
/// prepositions glued to it) is removed, since the stemmer removes it from indexed words.
pub fn prefix_form(lang: Lang, folded: &str) -> String {
    match lang {
        Lang::De => {
            let b = folded.as_bytes();
            let mut out = String::with_capacity(folded.len());
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                if (c == b'a' || c == b'o' || c == b'u')
                    && b.get(i + 1) == Some(&b'e')
                    && !(c == b'u' && i > 0 && b[i - 1] == b'q')
                {
                    out.push(c as char);
                    i += 2;
                    continue;
                }
                // copy one whole UTF-8 char
                let ch_len = folded[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&folded[i..i + ch_len]);
                i += ch_len;
            }
            out
        }
        Lang::Ar => {
            for art in ["\u{648}\u{627}\u{644}", "\u{628}\u{627}\u{644}", "\u{643}\u{627}\u{644}", "\u{641}\u{627}\u{644}", "\u{627}\u{644}", "\u{644}\u{644}"] {
                if let Some(rest) = folded.strip_prefix(art)
                    && rest.chars().count() >= 2 {
                        return rest.into();
                    }
            }
            folded.into()
        }
        _ => folded.into(),
    }
}

/// Is this language's stemmer compiled in? (The browser engine for a language carries only its own.)
pub fn supported(lang: Lang) -> bool {
    match lang {
        Lang::De => cfg!(feature = "de"),
        Lang::En => cfg!(feature = "en"),
        Lang::Fr => cfg!(feature = "fr"),
        Lang::Ar => cfg!(feature = "ar"),
        Lang::Fa => true,
    }
}

/// Stem a folded word.
pub fn stem(lang: Lang, folded: &str) -> String {
    #[allow(unused_imports)]
    use frostem::{Algorithm, Stemmer};
    let base;
    let input = if lang == Lang::Ar {
        // Snowball removes `ال` but not `وال بال كال فال`: remove them all first (as `prefix_form` does)
        base = prefix_form(lang, folded);
        base.as_str()
    } else {
        folded
    };
    let s: alloc::borrow::Cow<str> = match lang {
        #[cfg(feature = "de")]
        Lang::De => Stemmer::new(Algorithm::German).stem(input),
        #[cfg(feature = "en")]
        Lang::En => Stemmer::new(Algorithm::English).stem(input),
        #[cfg(feature = "fr")]
        Lang::Fr => Stemmer::new(Algorithm::French).stem(input),
        #[cfg(feature = "ar")]
        Lang::Ar => Stemmer::new(Algorithm::Arabic).stem(input),
        Lang::Fa => return stem_fa(folded),
        #[allow(unreachable_patterns)]
        _ => input.into(),
    };
    if s.is_ascii() {
        return s.into_owned();
    }
    // stems may carry letters the stemmer re-introduced (ä in German, alef forms in Arabic): fold again
    let mut out = String::with_capacity(s.len());
    fold_word(lang, &s, &mut out);
    out
}

/// Light Persian stemmer: removes the plural, adjective and comparative suffixes
/// (`هایی های ها ترین تر ان ات ی`), at most twice, keeping at least two (`ها`) or three letters.
pub fn stem_fa(word: &str) -> String {
    const SUFFIXES: [(&str, usize); 8] = [
        ("\u{647}\u{627}\u{6CC}\u{6CC}", 2), // هایی
        ("\u{62A}\u{631}\u{6CC}\u{646}", 2), // ترین
        ("\u{647}\u{627}\u{6CC}", 2),        // های
        ("\u{647}\u{627}", 2),               // ها
        ("\u{62A}\u{631}", 3),               // تر
        ("\u{627}\u{646}", 3),               // ان
        ("\u{627}\u{62A}", 3),               // ات
        ("\u{6CC}", 3),                      // ی
    ];
    let mut w = word;
    for _ in 0..2 {
        let mut changed = false;
        for (suf, min) in SUFFIXES {
            if let Some(rest) = w.strip_suffix(suf)
                && rest.chars().count() >= min {
                    w = rest;
                    changed = true;
                    break;
                }
        }
        if !changed {
            break;
        }
    }
    w.into()
}

/// German compound heads common on help portals (folded, unstemmed; stemmed on use).
const BUILTIN_HEADS: &[&str] = &[
    "amt", "angebot", "anerkennung", "antrag", "arbeit", "arzt", "ausbildung", "ausweis", "bahn", "beratung",
    "behoerde", "bescheinigung", "bildung", "buero", "dienst", "erlaubnis", "familie", "fahrt", "frau", "geld",
    "gesetz", "gesundheit", "gruppe", "heim", "hilfe", "integration", "jugend", "karte", "kasse", "kind",
    "kurs", "leistung", "markt", "nachweis", "notfall", "pflege", "platz", "praxis", "programm", "projekt",
    "pruefung", "recht", "schein", "schule", "schutz", "sprache", "stelle", "studium", "suche", "tafel",
    "termin", "ticket", "treff", "unterkunft", "unterstuetzung", "verein", "versicherung", "vertrag",
    "wohnung", "zentrum", "zuschuss",
];

/// Known German words used to split compounds at index time (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct Compounds {
    /// Stems of compound heads and modifiers.
    known: BTreeSet<String>,
    /// Folded words already added (a site repeats its words; each is stemmed once).
    seen: BTreeSet<String>,
}

impl Compounds {
    /// The built-in heads only.
    pub fn new() -> Compounds {
        let mut c = Compounds { known: BTreeSet::new(), seen: Default::default() };
        for h in BUILTIN_HEADS {
            c.known.insert(stem(Lang::De, h));
        }
        c
    }

    /// Add the words of a German text to the vocabulary (stand-alone words of 4+ letters).
    pub fn add_text(&mut self, text: &str) {
        let mut folded = String::new();
        for (from, to) in words(text) {
            folded.clear();
            fold_word(Lang::De, &text[from..to], &mut folded);
            if folded.chars().count() >= 4
                && folded.chars().all(|c| c.is_ascii_lowercase())
                && !self.seen.contains(folded.as_str())
            {
                self.seen.insert(folded.clone());
                let s = stem(Lang::De, &folded);
                if s.len() >= 4 && !self.known.contains(&s) {
                    self.known.insert(s);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Extra terms for a folded German word whose own stem is `whole`: the stems of every known head
    /// (longest first) and of the modifier in front of the longest head.
    pub fn split(&self, folded: &str, whole: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if folded.len() < 7 || !folded.is_ascii() {
            return out;
        }
        let n = folded.len();
        let mut first_split = None;
        for i in 3..=n - 3 {
            let s = stem(Lang::De, &folded[i..]);
            if s.len() >= 3 && s != whole && self.known.contains(&s) && !out.contains(&s) {
                if first_split.is_none() {
                    first_split = Some(i);
                }
                out.push(s);
                if out.len() >= 3 {
                    break;
                }
            }
        }
        if let Some(i) = first_split {
            let m = &folded[..i];
            let mut cands = vec![m];
            for link in ["s", "es", "n", "en", "er", "e"] {
                if let Some(r) = m.strip_suffix(link)
                    && r.len() >= 3 {
                        cands.push(r);
                    }
            }
            for c in cands {
                let s = stem(Lang::De, c);
                if s.len() >= 3 && self.known.contains(&s) {
                    if !out.contains(&s) && s != whole {
                        out.push(s);
                    }
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: Lang, text: &str) -> Vec<String> {
        analyze(lang, text).into_iter().map(|t| t.term).collect()
    }
    fn one(lang: Lang, word: &str) -> String {
        let t = terms(lang, word);
        assert_eq!(t.len(), 1, "{word:?} gave {t:?}");
        t[0].clone()
    }
    /// `a` (as found in a page) and `b` (as typed in a query) meet, in both directions.
    fn meet(lang: Lang, a: &str, b: &str) {
        assert_eq!(one(lang, a), one(lang, b), "{a:?} vs {b:?}");
        let qa = analyze_query(lang, a);
        let qb = analyze_query(lang, b);
        assert_eq!(qa[0].stem, qb[0].stem);
    }

    #[test]
    fn segmentation_and_offsets() {
        let t = analyze(Lang::Fr, "L'aide, c'est ici!");
        let words: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(words, ["l", "aid", "c", "est", "ici"]);
        assert_eq!(&"L'aide, c'est ici!"[t[1].offset_from..t[1].offset_to], "aide");
        assert_eq!(t[4].position, 4);
        let t = analyze(Lang::Ar, "مرحبا، العالم؟");
        assert_eq!(t.len(), 2);
        assert_eq!(&"مرحبا، العالم؟"[t[1].offset_from..t[1].offset_to], "العالم");
    }

    #[test]
    fn german_umlauts_both_spellings() {
        meet(Lang::De, "Ärzte", "Aerzte");
        meet(Lang::De, "Aerzte", "Ärzte");
        meet(Lang::De, "Ärzte", "A\u{308}rzte"); // decomposed
        meet(Lang::De, "Flüchtlinge", "Fluechtlinge");
        meet(Lang::De, "Fluechtlinge", "FLÜCHTLINGE");
        meet(Lang::De, "Straße", "Strasse");
        meet(Lang::De, "Strasse", "STRASSE");
        meet(Lang::De, "Behörde", "Behoerde");
        meet(Lang::De, "Behoerden", "Behörde");
        meet(Lang::De, "Gemüse", "Gemu\u{308}se");
        meet(Lang::De, "Führerschein", "Fuehrerschein");
        meet(Lang::De, "größer", "groesser");
        // plain vowels as typed on a foreign keyboard meet too (Snowball folds umlauts)
        meet(Lang::De, "Ärzte", "Arzte");
        assert_eq!(one(Lang::De, "Ärzte"), "arzt");
    }

    #[test]
    fn german_stemming() {
        meet(Lang::De, "Wohnungen", "Wohnung");
        meet(Lang::De, "Kindern", "Kinder");
        meet(Lang::De, "Sprachkurse", "Sprachkursen");
    }

    #[test]
    fn german_prefix_form_matches_stems() {
        let q = analyze_query(Lang::De, "Flüchtl");
        assert!(one(Lang::De, "Flüchtlinge").starts_with(&q[0].prefix));
        let q = analyze_query(Lang::De, "Fluechtl");
        assert!(one(Lang::De, "Flüchtlinge").starts_with(&q[0].prefix));
        let q = analyze_query(Lang::De, "Quel");
        assert_eq!(q[0].prefix, "quel");
    }

    #[test]
    fn german_compounds() {
        let c = Compounds::new();
        let t: Vec<String> = analyze_with(Lang::De, "Flüchtlingshilfe", Some(&c)).into_iter().map(|t| t.term).collect();
        assert!(t.contains(&one(Lang::De, "hilfe")), "{t:?}");
        assert!(t.iter().all(|_| true));
        let toks = analyze_with(Lang::De, "die Krankenversicherung zahlt", Some(&c));
        let v = one(Lang::De, "Versicherung");
        let part = toks.iter().find(|t| t.term == v).expect("versicherung part");
        assert_eq!(part.position, 1);
        assert_eq!(toks.last().unwrap().position, 2);
        // Fugen-s, the modifier is found when it is a known word
        let mut c2 = Compounds::new();
        c2.add_text("Flüchtlinge kommen an.");
        let t: Vec<String> = analyze_with(Lang::De, "Flüchtlingshilfe", Some(&c2)).into_iter().map(|t| t.term).collect();
        assert!(t.contains(&one(Lang::De, "Flüchtling")), "{t:?}");
        // query variants of the head
        assert!(t.contains(&one(Lang::De, "Hilfen")));
        // the vocabulary of the index itself
        let mut c3 = Compounds::new();
        c3.add_text("Die Sprache lernen");
        let t: Vec<String> = analyze_with(Lang::De, "Gebärdensprache", Some(&c3)).into_iter().map(|t| t.term).collect();
        assert!(t.contains(&one(Lang::De, "Sprache")), "{t:?}");
        // short words are not split
        assert_eq!(analyze_with(Lang::De, "Amt", Some(&c)).len(), 1);
        // without compounds (query time) no parts
        assert_eq!(analyze(Lang::De, "Krankenversicherung").len(), 1);
    }

    #[test]
    fn french_accents_both_ways() {
        meet(Lang::Fr, "réfugiés", "refugies");
        meet(Lang::Fr, "refugies", "Réfugiés");
        meet(Lang::Fr, "élève", "eleve");
        meet(Lang::Fr, "e\u{301}le\u{300}ve", "élève"); // decomposed
        meet(Lang::Fr, "français", "francais");
        meet(Lang::Fr, "Hôpital", "hopital");
        meet(Lang::Fr, "cœur", "coeur");
        meet(Lang::Fr, "où", "ou");
        meet(Lang::Fr, "logements", "logement");
    }

    #[test]
    fn english() {
        meet(Lang::En, "Doctors", "doctor");
        meet(Lang::En, "housing", "houses");
        meet(Lang::En, "café", "cafe");
        meet(Lang::En, "naïve", "naive");
    }

    #[test]
    fn arabic_tashkeel_tatweel_alef() {
        meet(Lang::Ar, "مُسْتَشْفَى", "مستشفى");
        meet(Lang::Ar, "مستشفى", "مُسْتَشْفَى");
        meet(Lang::Ar, "مستـــشفى", "مستشفى"); // tatweel
        meet(Lang::Ar, "أحمد", "احمد");
        meet(Lang::Ar, "إسلام", "اسلام");
        meet(Lang::Ar, "آمن", "امن");
        meet(Lang::Ar, "ٱلله", "الله");
        meet(Lang::Ar, "مدرسة", "مدرسه"); // teh marbuta
        meet(Lang::Ar, "مستشفى", "مستشفي"); // alef maksura
        meet(Lang::Ar, "كتاب", "\u{6A9}تاب"); // Persian kaf typed in Arabic text
        meet(Lang::Ar, "علي", "علی"); // Persian yeh
    }

    #[test]
    fn arabic_stemming_and_article() {
        meet(Lang::Ar, "المستشفى", "مستشفى");
        meet(Lang::Ar, "والمستشفى", "المستشفى");
        meet(Lang::Ar, "اللاجئين", "لاجئين");
        let q = analyze_query(Lang::Ar, "المستش");
        assert!(one(Lang::Ar, "المستشفى").starts_with(&q[0].prefix), "{q:?} {}", one(Lang::Ar, "المستشفى"));
    }

    #[test]
    fn digits() {
        assert_eq!(one(Lang::Ar, "١٢٣"), "123");
        assert_eq!(one(Lang::Fa, "۱۲۳"), "123");
        assert_eq!(one(Lang::Fa, "١٢٣"), "123");
        meet(Lang::Ar, "٢٠٢٤", "2024");
        meet(Lang::Fa, "2024", "۲۰۲۴");
    }

    #[test]
    fn persian_letters_and_zwnj() {
        meet(Lang::Fa, "می\u{200C}خواهم", "میخواهم");
        meet(Lang::Fa, "میخواهم", "می\u{200C}خواهم");
        meet(Lang::Fa, "كتاب", "کتاب"); // Arabic kaf vs Persian keheh
        meet(Lang::Fa, "کتاب", "كتاب");
        meet(Lang::Fa, "ايران", "ایران"); // Arabic yeh vs Persian yeh
        meet(Lang::Fa, "ایران", "ايران");
        meet(Lang::Fa, "پزشكي", "پزشکی");
        meet(Lang::Fa, "خانهٔ", "خانه"); // hamza above (U+0654) dropped
    }

    #[test]
    fn persian_stemmer() {
        meet(Lang::Fa, "کتاب\u{200C}ها", "کتاب");
        meet(Lang::Fa, "کتابهای", "کتاب");
        meet(Lang::Fa, "اطلاعات", "اطلاع");
        meet(Lang::Fa, "بزرگ\u{200C}ترین", "بزرگ");
        meet(Lang::Fa, "بزرگتر", "بزرگ");
        meet(Lang::Fa, "پناهندگان", "پناهندگ");
        meet(Lang::Fa, "ایرانی", "ایران");
        assert_eq!(one(Lang::Fa, "آنها"), "ان"); // alef madda folded, ها removed keeping 2 letters
        assert_eq!(one(Lang::Fa, "زبان"), "زبان"); // too short to lose ان
    }

    #[test]
    fn greek_cyrillic_lowercase() {
        assert_eq!(one(Lang::En, "ΑΘΗΝΑ"), "αθηνα");
        assert_eq!(one(Lang::En, "МОСКВА"), "москва");
    }

    #[test]
    fn query_words() {
        let q = analyze_query(Lang::De, "Hilfe hilfen Wohnung");
        assert_eq!(q.len(), 2);
        assert!(ends_in_word("Hilfe"));
        assert!(!ends_in_word("Hilfe "));
        assert!(analyze_query(Lang::De, " ,;  ").is_empty());
    }
}
