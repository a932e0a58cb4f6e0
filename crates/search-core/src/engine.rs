//! The query engine over the shard files, and the scoring it shares with the native oracle.
//!
//! Ranking is tantivy's BM25, term by term and field by field, summed:
//! `boost · idf · (K1 + 1) · tf / (tf + K1 · (1 − B + B · fieldnorm / avg_fieldnorm))` with K1 = 1.2,
//! B = 0.75, `idf = ln(1 + (N − n + 0.5) / (n + 0.5))` (n = docs with the term in that field),
//! `fieldnorm` decoded from tantivy's quantized fieldnorm id, `avg_fieldnorm = total tokens of the field /
//! N`, all in f32 as tantivy does. `boost` = field weight (title 1.5, headings 1.25, body 1; tuned on integreat-qa dev) × expansion weight
//! (exact 1, prefix 0.5, typo 0.5). The native oracle builds the same query out of tantivy `TermQuery`s in
//! `BoostQuery`s in `BooleanQuery`s, so the scores agree to float rounding.
//!
//! Query semantics:
//! * every query word becomes a group of terms: its stem when the index has it; when the query ends inside
//!   the word (still typing) and it is the last word, also up to [`MAX_PREFIX`] index terms starting with
//!   the word's prefix form (most frequent first); when neither gives anything and the word has 5+ letters,
//!   up to [`MAX_TYPO`] terms within 1 edit (2 edits for 9+ letters; Damerau–Levenshtein, restricted).
//! * all words first, then any: the docs that match every group come first, by score; after them the
//!   docs that match only some groups, by score. A page matching all words never ranks below one matching
//!   some, and a question whose words no single page holds still gets the pages that hold most of them.
//! * function words (`stopwords.rs`) are left out of a query that has other words.
//! * filters (content type, category) keep only docs that have them.
//! * ties are broken by doc id (= url order).
//!
//! Files a search asks for, in rounds: the term chunks of its words; for a one-word query on a frequent
//! word whose postings are external, the word's top file, which answers it when it was computed for
//! exactly this query's terms (the same results and scores, without the postings); otherwise the postings
//! files of its external terms; then, for the top `limit` docs not yet loaded, the top files of its
//! words that have one (no filter set), and after those the remaining docs one file each.
//!
//! Expansions only look at the loaded term chunks: the chunk of the stem for typos and up to
//! [`MAX_PREFIX_CHUNKS`] chunks for a prefix (a shorter prefix spanning more chunks gets no expansion).
//! The oracle looks at the whole dictionary, so for expansions that would cross chunk boundaries the two
//! may differ; for exact words they never do.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::analysis::{self, Lang, QueryWord};
use crate::format::{self, Error, Manifest, Meta, StoredDoc, TermEntry, TopList, FIELDS, FIELD_BOOSTS, TOP_RESULTS};

pub const K1: f32 = 1.2;
pub const B: f32 = 0.75;
pub const PREFIX_WEIGHT: f32 = 0.5;
pub const TYPO_WEIGHT: f32 = 0.5;
pub const MAX_PREFIX: usize = 12;
pub const MAX_TYPO: usize = 3;
pub const MAX_PREFIX_CHUNKS: usize = 2;
/// Shortest prefix (in letters) that is expanded.
pub const MIN_PREFIX_LETTERS: usize = 2;

/// tantivy's fieldnorm id → fieldnorm (Lucene's SmallFloat `byte4ToInt`, the table in
/// tantivy/src/fieldnorm/code.rs).
pub fn id_to_fieldnorm(id: u8) -> u32 {
    if id < 24 {
        return id as u32;
    }
    let i = (id - 24) as u32;
    let bits = i & 7;
    let shift = (i >> 3) as i32 - 1;
    24 + if shift < 0 { bits } else { (bits | 8) << shift }
}

/// tantivy's idf. `libm::logf` because core has no logarithm; it is the same routine std uses on wasm32.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq.min(doc_count)) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    libm::logf(1.0 + x)
}

/// A term's BM25 weight in one field (tantivy's `Bm25Weight`).
#[derive(Clone, Copy, Debug)]
pub struct Bm25 {
    weight: f32,
    avg: f32,
}

impl Bm25 {
    pub fn new(doc_freq: u64, doc_count: u64, total_tokens: u64) -> Bm25 {
        let avg = total_tokens as f32 / doc_count as f32;
        Bm25 { weight: idf(doc_freq, doc_count) * (1.0 + K1), avg }
    }
    pub fn score(&self, norm_id: u8, tf: u32) -> f32 {
        let norm = K1 * (1.0 - B + B * id_to_fieldnorm(norm_id) as f32 / self.avg);
        let tf = tf as f32;
        self.weight * (tf / (tf + norm))
    }
}

/// One term of a query group with its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Expansion {
    pub term: String,
    pub weight: f32,
}

/// Restricted Damerau–Levenshtein distance, or None when above `max`.
pub fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = (a[i - 1] != b[j - 1]) as usize;
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        core::mem::swap(&mut prev2, &mut prev);
        core::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The terms a query word stands for, chosen from a dictionary view `(term, doc_freq)`.
/// `dict` is called once per kind of expansion and must yield terms in any order.
pub fn expand_word<'a, I>(word: &QueryWord, typing: bool, dict: impl Fn() -> I) -> Vec<Expansion>
where
    I: Iterator<Item = (&'a str, u32)>,
{
    let mut out = Vec::new();
    if dict().any(|(t, _)| t == word.stem) {
        out.push(Expansion { term: word.stem.clone(), weight: 1.0 });
    }
    if typing && word.prefix.chars().count() >= MIN_PREFIX_LETTERS {
        let mut c: Vec<(&str, u32)> = dict().filter(|(t, _)| t.starts_with(word.prefix.as_str()) && *t != word.stem).collect();
        sort_by(&mut c, |a, b| a.1 > b.1 || a.1 == b.1 && a.0 < b.0);
        c.dedup_by(|a, b| a.0 == b.0);
        out.extend(c.into_iter().take(MAX_PREFIX).map(|(t, _)| Expansion { term: t.into(), weight: PREFIX_WEIGHT }));
    }
    if out.is_empty() && word.letters >= 5 {
        let max = if word.letters >= 9 { 2 } else { 1 };
        let q: Vec<char> = word.stem.chars().collect();
        // the typed form, and the typed form without an (unstemmed, misspelled) ending of up to 3 letters
        let p: Vec<char> = word.prefix.chars().collect();
        let mut c: Vec<(usize, u32, &str)> = Vec::new();
        let mut tc = Vec::new();
        for (t, df) in dict() {
            tc.clear();
            tc.extend(t.chars());
            let mut best = edit_distance(&q, &tc, max);
            for k in 0..=3 {
                if p.len() < 5 + k {
                    break;
                }
                if let Some(d) = edit_distance(&p[..p.len() - k], &tc, max) {
                    best = Some(best.map_or(d, |b| b.min(d)));
                }
            }
            if let Some(d) = best {
                c.push((d, df, t));
            }
        }
        sort_by(&mut c, |a, b| (a.0, b.1, a.2) < (b.0, a.1, b.2));
        c.dedup_by(|a, b| a.2 == b.2);
        out.extend(c.into_iter().take(MAX_TYPO).map(|(_, _, t)| Expansion { term: t.into(), weight: TYPO_WEIGHT }));
    }
    out
}

/// Shell sort: one tiny instantiation per use instead of the standard library's large sorts, which
/// would make up a sixth of the wasm. `less` must be a strict total order.
pub fn sort_by<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    let mut gap = n;
    while gap > 1 {
        gap = if gap == 2 { 1 } else { gap * 5 / 11 };
        let gap = gap.max(1);
        for i in gap..n {
            let mut j = i;
            while j >= gap && less(&v[j], &v[j - gap]) {
                v.swap(j, j - gap);
                j -= gap;
            }
        }
        if gap == 1 {
            break;
        }
    }
}

/// Search options.
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    pub limit: usize,
    pub kind: Option<&'a str>,
    pub category: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub score: f32,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Results {
    pub total: usize,
    pub results: Vec<SearchResult>,
}

/// What a search needs next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Fetch these files (names relative to the language folder) and `add_file` them, then search again.
    Need(Vec<String>),
    Done(Results),
}

/// The engine for one language.
pub struct Engine {
    pub manifest: Manifest,
    // indexed by chunk number (a Vec, not a map: keeps the wasm small)
    term_chunks: Vec<Option<Vec<TermEntry>>>,
    docs: Vec<Option<StoredDoc>>,
    /// Top files added: (term chunk, index) and the file's lists.
    tops: Vec<((usize, usize), Vec<TopList>)>,
    meta: Option<Meta>,
}

impl Engine {
    pub fn new(manifest: &[u8]) -> Result<Engine, Error> {
        let manifest = Manifest::decode(manifest)?;
        if !analysis::supported(manifest.lang) {
            return Err(Error::WrongEngine);
        }
        Ok(Engine {
            term_chunks: manifest.term_chunks.iter().map(|_| None).collect(),
            docs: (0..manifest.num_docs).map(|_| None).collect(),
            tops: Vec::new(),
            manifest,
            meta: None,
        })
    }

    /// Add a fetched file.
    pub fn add_file(&mut self, name: &str, data: &[u8]) -> Result<(), Error> {
        if let Some((c, k)) = self.manifest.postings_of_file(name) {
            let num_docs = self.manifest.num_docs;
            let chunk = self.term_chunks.get_mut(c).and_then(Option::as_mut).ok_or(Error::NotLoaded)?;
            return format::decode_postings(data, chunk.get_mut(k).ok_or(Error::UnknownFile)?, num_docs);
        }
        let m = &self.manifest;
        if name == m.meta_file() {
            self.meta = Some(Meta::decode(data)?);
            return Ok(());
        }
        if let Some(i) = m.term_chunk_of_file(name) {
            let t = format::decode_terms(data, m.num_docs)?;
            self.term_chunks[i] = Some(t);
            return Ok(());
        }
        if let Some(doc) = m.doc_of_file(name) {
            let (id, d) = format::decode_doc(data)?;
            if id != doc {
                return Err(Error::Corrupt);
            }
            self.docs[doc as usize] = Some(d);
            return Ok(());
        }
        if let Some(t) = m.top_of_file(name) {
            let (lists, docs) = format::decode_top(data, m.num_docs)?;
            for (id, d) in docs {
                self.docs[id as usize] = Some(d);
            }
            self.tops.push((t, lists));
            return Ok(());
        }
        if name == m.bundle_file() {
            let all = format::decode_bundle(data)?;
            if all.len() != self.docs.len() {
                return Err(Error::Corrupt);
            }
            self.docs = all.into_iter().map(Some).collect();
            return Ok(());
        }
        Err(Error::UnknownFile)
    }

    /// All files of this language but the manifest (for offline use): the term chunks, the doc bundle
    /// (not the single doc files) and the meta file; once the chunks are added, also the postings files
    /// they name (so `preload` asks twice).
    pub fn all_files(&self) -> Vec<String> {
        let m = &self.manifest;
        let mut v: Vec<String> = (0..m.term_chunks.len()).map(|i| m.term_file(i)).collect();
        for (c, chunk) in self.term_chunks.iter().enumerate() {
            for (k, _) in chunk.iter().flatten().enumerate().filter(|(_, e)| e.external) {
                v.push(m.postings_file(c, k));
            }
        }
        v.push(m.bundle_file());
        v.push(m.meta_file());
        v
    }

    fn word_chunks(&self, w: &QueryWord, typing: bool) -> (usize, Option<(usize, usize)>) {
        let own = self.manifest.chunk_of(&w.stem);
        let prefix = if typing && w.prefix.chars().count() >= MIN_PREFIX_LETTERS {
            let (lo, hi) = self.manifest.chunks_with_prefix(&w.prefix);
            (hi - lo < MAX_PREFIX_CHUNKS).then_some((lo, hi))
        } else {
            None
        };
        (own, prefix)
    }

    fn lookup(&self, term: &str) -> Option<&TermEntry> {
        self.locate(term).map(|(c, k)| &self.term_chunks[c].as_ref().unwrap()[k])
    }

    /// (term chunk, index) of a loaded term.
    fn locate(&self, term: &str) -> Option<(usize, usize)> {
        let c = self.manifest.chunk_of(term);
        let chunk = self.term_chunks.get(c)?.as_ref()?;
        chunk.binary_search_by(|e| e.term.as_str().cmp(term)).ok().map(|k| (c, k))
    }

    /// The term chunks a word's expansions look at.
    fn view(&self, w: &QueryWord, typing: bool) -> Vec<usize> {
        let (own, prefix) = self.word_chunks(w, typing);
        let mut v = vec![own];
        if let Some((lo, hi)) = prefix {
            v.extend(lo..=hi);
        }
        sort_by(&mut v, |a, b| a < b);
        v.dedup();
        v
    }

    fn expand(&self, w: &QueryWord, typing: bool, view: &[usize]) -> Vec<Expansion> {
        let dict = || {
            view.iter()
                .flat_map(|&c| self.term_chunks.get(c).and_then(Option::as_ref).into_iter().flatten())
                .map(|e| (e.term.as_str(), e.doc_freq()))
        };
        expand_word(w, typing, dict)
    }

    /// What `term`'s top file holds (at export, with every file loaded): its results as a one-word query
    /// typed in full, and while being typed when that expands to more terms.
    pub fn top_lists(&self, term: &str) -> Vec<TopList> {
        let w = QueryWord { stem: term.into(), prefix: term.into(), letters: term.chars().count() };
        let full = vec![Expansion { term: term.into(), weight: 1.0 }];
        let typing = self.expand(&w, true, &self.view(&w, true));
        let mut lists = Vec::new();
        for g in [full, typing] {
            if lists.iter().any(|l: &TopList| same_group(&l.group, &g)) {
                continue;
            }
            let (hits, total) = self.score_top(core::slice::from_ref(&g), &Options::default(), TOP_RESULTS);
            lists.push(TopList {
                group: g.into_iter().map(|e| (e.term, e.weight)).collect(),
                total: total as u32,
                hits: hits.into_iter().map(|h| (h.doc, h.score)).collect(),
            });
        }
        lists
    }

    /// A one-word query answered from its word's top file, when the file's list was computed for exactly
    /// this query's terms: the same results, scores and total as scoring the postings, without them.
    fn from_top_file(&self, words: &[QueryWord], groups: &[Vec<Expansion>], opts: &Options) -> Option<Step> {
        if groups.len() != 1 || opts.kind.is_some() || opts.category.is_some() || opts.limit > TOP_RESULTS {
            return None;
        }
        let (c, k) = self.locate(&words[0].stem)?;
        // only worth it when postings are still missing (with them, e.g. after preload, just score)
        let missing = |e: &Expansion| self.lookup(&e.term).is_some_and(TermEntry::needs_postings);
        if !self.term_chunks[c].as_ref()?[k].top || !groups[0].iter().any(missing) {
            return None;
        }
        let Some((_, lists)) = self.tops.iter().find(|(t, _)| *t == (c, k)) else {
            // fetch it only when one of its lists can be this query's: typed in full, or typed as the term
            let w = QueryWord { stem: words[0].stem.clone(), prefix: words[0].stem.clone(), letters: 0 };
            let full = groups[0].len() == 1 && groups[0][0].weight == 1.0;
            let typed = self.expand(&w, true, &self.view(&w, true)) == groups[0];
            return (full || typed).then(|| Step::Need(vec![self.manifest.top_file(c, k)]));
        };
        let list = lists.iter().find(|l| same_group(&l.group, &groups[0]))?;
        let hits: Vec<Hit> = list.hits.iter().take(opts.limit).map(|&(doc, score)| Hit { doc, score }).collect();
        Some(self.results(&hits, &groups[0].iter().map(|e| e.term.as_str()).collect::<Vec<_>>(), list.total as usize))
    }

    /// The results for `top` (docs must be loaded, else the files still needed).
    fn results(&self, top: &[Hit], marks: &[&str], total: usize) -> Step {
        let mut need: Vec<String> = Vec::new();
        for h in top {
            if self.docs.get(h.doc as usize).is_none_or(Option::is_none) {
                need.push(self.manifest.doc_file(h.doc));
            }
        }
        if !need.is_empty() {
            return files_needed(need);
        }
        let lang = self.manifest.lang;
        let mut results = Vec::with_capacity(top.len());
        for h in top {
            let Some(d) = self.docs.get(h.doc as usize).and_then(Option::as_ref) else {
                continue;
            };
            results.push(SearchResult {
                url: d.url.clone(),
                title: d.title.clone(),
                excerpt: excerpt(lang, &d.text, marks, EXCERPT_CHARS),
                score: h.score,
            });
        }
        Step::Done(Results { total, results })
    }

    /// Run a query. Returns the files still needed, or the results.
    pub fn search(&self, query: &str, opts: &Options) -> Step {
        let lang = self.manifest.lang;
        let words = analysis::analyze_query(lang, query);
        if words.is_empty() || self.manifest.num_docs == 0 {
            return Step::Done(Results::default());
        }
        let typing_last = analysis::ends_in_word(query);
        // 1. term chunks
        let mut need: Vec<String> = Vec::new();
        let mut views: Vec<Vec<usize>> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let typing = typing_last && i + 1 == words.len();
            let v = self.view(w, typing);
            for &c in &v {
                if self.term_chunks.get(c).is_none_or(Option::is_none) {
                    need.push(self.manifest.term_file(c));
                }
            }
            views.push(v);
        }
        if (opts.kind.is_some() || opts.category.is_some()) && self.meta.is_none() {
            need.push(self.manifest.meta_file());
        }
        if !need.is_empty() {
            return files_needed(need);
        }
        // 2. expansions
        let mut groups: Vec<Vec<Expansion>> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let typing = typing_last && i + 1 == words.len();
            groups.push(self.expand(w, typing, &views[i]));
        }
        // 3. a frequent word alone: its top file, not its postings
        if let Some(step) = self.from_top_file(&words, &groups, opts) {
            return step;
        }
        // 4. postings kept in their own files
        let mut need: Vec<String> = Vec::new();
        for e in groups.iter().flatten() {
            if let Some((c, k)) = self.locate(&e.term)
                && self.term_chunks[c].as_ref().is_some_and(|t| t[k].needs_postings())
            {
                need.push(self.manifest.postings_file(c, k));
            }
        }
        if !need.is_empty() {
            return files_needed(need);
        }
        // 5. scoring
        let hits = self.score(&groups, opts);
        let total = hits.len();
        let top: Vec<Hit> = hits.into_iter().take(opts.limit).collect();
        // 6. docs: the top files of the query's words hold many of them (one request instead of one per
        //    result); the rest one file each
        let missing = top.iter().any(|h| self.docs.get(h.doc as usize).is_none_or(Option::is_none));
        if missing && opts.kind.is_none() && opts.category.is_none() {
            let tops: Vec<String> = words
                .iter()
                .filter_map(|w| self.locate(&w.stem))
                .filter(|&(c, k)| self.term_chunks[c].as_ref().is_some_and(|t| t[k].top) && !self.tops.iter().any(|(t, _)| *t == (c, k)))
                .map(|(c, k)| self.manifest.top_file(c, k))
                .collect();
            if !tops.is_empty() {
                return Step::Need(tops);
            }
        }
        let marks: Vec<&str> = groups.iter().flatten().map(|e| e.term.as_str()).collect();
        self.results(&top, &marks, total)
    }

    /// Score every doc for the groups; sorted hits (all groups first, then some), filtered.
    pub fn score(&self, groups: &[Vec<Expansion>], opts: &Options) -> Vec<Hit> {
        self.ranked(groups, opts, None).0
    }

    /// The first `k` of [`Engine::score`]'s hits, the same and in the same order, and the number of all
    /// of them: what a top file holds. Only the first `k` are sorted (the export asks this for thousands
    /// of terms, most of them on hundreds of pages; sorting every hit was 2 % of a build's CPU).
    pub fn score_top(&self, groups: &[Vec<Expansion>], opts: &Options, k: usize) -> (Vec<Hit>, usize) {
        self.ranked(groups, opts, Some(k))
    }

    /// Sorted hits, only the first `top` when given, and the number of all hits. Natively only the first
    /// `top` are sorted; the wasm engine (which never asks for fewer) sorts all and stays without the
    /// code of `select_nth_unstable`.
    fn ranked(&self, groups: &[Vec<Expansion>], opts: &Options, top: Option<usize>) -> (Vec<Hit>, usize) {
        let n = self.manifest.num_docs as usize;
        let mut score = vec![0f32; n];
        let mut matched = vec![0u32; n];
        for (g, group) in groups.iter().enumerate() {
            for e in group {
                let Some(entry) = self.lookup(&e.term) else { continue };
                for f in 0..FIELDS {
                    let postings = &entry.fields[f];
                    if postings.is_empty() {
                        continue;
                    }
                    let bm = Bm25::new(postings.len() as u64, n as u64, self.manifest.total_tokens[f]);
                    let boost = FIELD_BOOSTS[f] * e.weight;
                    for p in postings {
                        let d = p.doc as usize;
                        score[d] += bm.score(p.norm, p.tf) * boost;
                        matched[d] |= 1 << g.min(31);
                    }
                }
            }
        }
        let all = if groups.len() >= 32 { u32::MAX } else { (1u32 << groups.len()) - 1 };
        let keep = |d: usize| -> bool {
            if let Some(meta) = &self.meta {
                if let Some(k) = opts.kind
                    && meta.doc_kind.get(d).and_then(|&i| meta.kinds.get(i as usize)).map(String::as_str) != Some(k) {
                        return false;
                    }
                if let Some(cat) = opts.category {
                    let Some(cats) = meta.doc_categories.get(d) else { return false };
                    if !cats.iter().any(|&c| meta.categories.get(c as usize).map(String::as_str) == Some(cat)) {
                        return false;
                    }
                }
            }
            true
        };
        // All words first, then the docs that match only some of them, each part by score.
        let mut total = 0;
        let mut part = |every: bool, room: Option<usize>| -> Vec<Hit> {
            let mut v: Vec<Hit> = (0..n)
                .filter(|&d| matched[d] != 0 && (matched[d] == all) == every && keep(d))
                .map(|d| Hit { doc: d as u32, score: score[d] })
                .collect();
            total += v.len();
            let less = |a: &Hit, b: &Hit| a.score > b.score || a.score == b.score && a.doc < b.doc;
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(k) = room.filter(|&k| k > 0 && v.len() > k) {
                // `less` is a total order (ties go by doc), so these are exactly the first k.
                v.select_nth_unstable_by(k - 1, |a, b| if less(a, b) { core::cmp::Ordering::Less } else { core::cmp::Ordering::Greater });
            }
            sort_by(&mut v, less);
            v.truncate(room.unwrap_or(usize::MAX));
            v
        };
        let mut hits = part(true, top);
        let room = top.map(|k| k.saturating_sub(hits.len()));
        hits.extend(part(false, room));
        (hits, total)
    }
}

/// The files still needed, each once, in a stable order.
fn files_needed(mut names: Vec<String>) -> Step {
    sort_by(&mut names, |a, b| a < b);
    names.dedup();
    Step::Need(names)
}

/// Two expansion groups with the same terms and weights in the same order (the order fixes the float sums).
fn same_group(list: &[(String, f32)], g: &[Expansion]) -> bool {
    list.len() == g.len() && list.iter().zip(g).all(|((t, w), e)| *t == e.term && w.to_bits() == e.weight.to_bits())
}

/// Length of an excerpt, in characters.
pub const EXCERPT_CHARS: usize = 180;

/// HTML-escape `s` into `out`.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// An escaped excerpt of about `max_chars` characters around the part of `text` with the most distinct
/// query terms, matches wrapped in `<mark>`.
pub fn excerpt(lang: Lang, text: &str, terms: &[&str], max_chars: usize) -> String {
    let tokens = analysis::analyze(lang, text);
    let hit: Vec<bool> = tokens.iter().map(|t| terms.contains(&t.term.as_str())).collect();
    // choose the start token: the window with most distinct matched terms, earliest on ties
    let mut best = (0usize, 0usize); // (distinct, token index)
    for i in 0..tokens.len() {
        if !hit[i] {
            continue;
        }
        let start = tokens[i].offset_from;
        let mut seen: Vec<&str> = Vec::new();
        for (j, t) in tokens.iter().enumerate().skip(i) {
            if text[start..t.offset_to].chars().count() > max_chars {
                break;
            }
            if hit[j] && !seen.contains(&t.term.as_str()) {
                seen.push(&t.term);
            }
        }
        if seen.len() > best.0 {
            best = (seen.len(), i);
        }
    }
    // start a few words before the first match
    let mut from = 0;
    if best.0 > 0 {
        let i = best.1;
        let back = i.saturating_sub(4);
        from = tokens[back].offset_from;
        if i < 4 {
            from = 0;
        }
    }
    // end at a word boundary within max_chars
    let mut to = text.len();
    let mut count = 0;
    for (b, _) in text[from..].char_indices() {
        if count == max_chars {
            to = from + b;
            break;
        }
        count += 1;
    }
    if to < text.len()
        && let Some(t) = tokens.iter().rev().find(|t| t.offset_to <= to && t.offset_from >= from) {
            to = t.offset_to;
        }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for (t, &h) in tokens.iter().zip(&hit) {
        if !h || t.offset_from < from || t.offset_to > to {
            continue;
        }
        escape_html(&text[at..t.offset_from], &mut out);
        out.push_str("<mark>");
        escape_html(&text[t.offset_from..t.offset_to], &mut out);
        out.push_str("</mark>");
        at = t.offset_to;
    }
    escape_html(&text[at..to], &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

/// JSON-escape `s` (with quotes) into `out`.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let v = c as u32;
                for d in [v >> 4, v & 15] {
                    out.push(char::from_digit(d, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A non-negative number with 6 decimals, without the float formatting machinery.
pub fn push_decimal(v: f32, out: &mut String) {
    let v = if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let micros = (v as f64 * 1e6 + 0.5) as u64;
    push_uint(micros / 1_000_000, out);
    out.push('.');
    let frac = micros % 1_000_000;
    let mut digits = [b'0'; 6];
    let mut f = frac;
    for i in (0..6).rev() {
        digits[i] = b'0' + (f % 10) as u8;
        f /= 10;
    }
    for d in digits {
        out.push(d as char);
    }
}

pub fn push_uint(mut v: u64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

impl Results {
    /// `{"total":N,"results":[{"url","title","excerpt","score"}]}`
    pub fn to_json(&self) -> String {
        let mut s = String::from("{\"total\":");
        push_uint(self.total as u64, &mut s);
        s.push_str(",\"results\":[");
        for (i, r) in self.results.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str("{\"url\":");
            json_str(&r.url, &mut s);
            s.push_str(",\"title\":");
            json_str(&r.title, &mut s);
            s.push_str(",\"excerpt\":");
            json_str(&r.excerpt, &mut s);
            s.push_str(",\"score\":");
            push_decimal(r.score, &mut s);
            s.push('}');
        }
        s.push_str("]}");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{build_shards, DocInfo, Posting};

    #[test]
    fn fieldnorm_table() {
        let known = [(0u8, 0u32), (23, 23), (24, 24), (39, 39), (40, 40), (41, 42), (48, 56), (49, 60), (57, 96), (255, 2_013_265_944)];
        for (id, v) in known {
            assert_eq!(id_to_fieldnorm(id), v, "{id}");
        }
        for id in 1..=255u8 {
            assert!(id_to_fieldnorm(id) > id_to_fieldnorm(id - 1));
        }
    }

    #[test]
    fn shell_sort() {
        for n in [0usize, 1, 2, 3, 10, 100, 1000] {
            let mut v: Vec<u64> = (0..n as u64).map(|i| (i * 7919 + 13) % 1009).collect();
            let mut w = v.clone();
            sort_by(&mut v, |a, b| a < b);
            w.sort();
            assert_eq!(v, w);
        }
    }

    #[test]
    fn idf_like_tantivy() {
        assert!((idf(1, 2) - 2f32.ln()).abs() < 1e-6);
    }

    #[test]
    fn edit_distances() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&c("wohnung"), &c("wohnugn"), 1), Some(1));
        assert_eq!(edit_distance(&c("wohnung"), &c("wohnun"), 1), Some(1));
        assert_eq!(edit_distance(&c("wohnung"), &c("wonhugn"), 1), None);
        assert_eq!(edit_distance(&c("versicherung"), &c("versichrung"), 2), Some(1));
        assert_eq!(edit_distance(&c("مستشفي"), &c("مستشفا"), 1), Some(1));
    }

    #[test]
    fn escaping_and_json() {
        let mut s = String::new();
        escape_html("<img src=x onerror=alert(1)> & \"'", &mut s);
        assert_eq!(s, "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;&#39;");
        let mut j = String::new();
        json_str("a\"b\\c\n\u{1}", &mut j);
        assert_eq!(j, "\"a\\\"b\\\\c\\u000a\\u0001\"");
        let mut d = String::new();
        push_decimal(3.25, &mut d);
        assert_eq!(d, "3.250000");
    }

    #[test]
    fn excerpt_marks_and_escapes() {
        let text = "Wer krank wird, braucht eine <Krankenversicherung>. Die Versicherung zahlt den Arzt & die Klinik.";
        let terms = [analysis::analyze(Lang::De, "Versicherung")[0].term.clone()];
        let t: Vec<&str> = terms.iter().map(String::as_str).collect();
        let e = excerpt(Lang::De, text, &t, 180);
        assert!(e.contains("<mark>Versicherung</mark>"), "{e}");
        assert!(e.contains("&lt;Krankenversicherung&gt;"), "{e}");
        assert!(e.contains("&amp;"));
        let long = format!("{} Versicherung hier. {}", "wort ".repeat(100), "ende ".repeat(100));
        let e = excerpt(Lang::De, &long, &t, 60);
        assert!(e.starts_with('…') && e.ends_with('…') && e.contains("<mark>"), "{e}");
        // no match in the text: its beginning
        let e = excerpt(Lang::De, "Kein Treffer hier", &t, 180);
        assert_eq!(e, "Kein Treffer hier");
    }

    fn tiny_index() -> (Vec<(String, Vec<u8>)>, Vec<DocInfo>) {
        // hand-made postings: doc 0 has "wohnung" in title, doc 1 in body, doc 2 "wohnungslos"
        let docs: Vec<DocInfo> = ["/de/a/", "/de/b/", "/de/c/"]
            .iter()
            .map(|u| DocInfo {
                url: u.to_string(),
                title: format!("Titel {u}"),
                text: "Hier gibt es Hilfe bei der Wohnung.".into(),
                kind: if *u == "/de/c/" { "job".into() } else { "page".into() },
                categories: vec!["wohnen".into()],
            })
            .collect();
        let p = |doc, tf, norm| Posting { doc, tf, norm };
        let mut t = vec![
            TermEntry { term: "wohnung".into(), fields: [vec![p(0, 1, 2)], vec![], vec![p(1, 2, 10)]], ..Default::default() },
            TermEntry { term: "wohnungslos".into(), fields: [vec![], vec![], vec![p(2, 1, 8)]], ..Default::default() },
            TermEntry { term: "hilf".into(), fields: [vec![], vec![], vec![p(0, 1, 5), p(1, 1, 10), p(2, 1, 8)]], ..Default::default() },
        ];
        t.sort_by(|a, b| a.term.cmp(&b.term));
        (build_shards(Lang::De, [6, 0, 23], &t, &docs), docs)
    }

    fn run(files: &[(String, Vec<u8>)], e: &mut Engine, q: &str, opts: &Options) -> Results {
        for _ in 0..5 {
            match e.search(q, opts) {
                Step::Done(r) => return r,
                Step::Need(names) => {
                    for n in names {
                        let f = files.iter().find(|f| f.0 == n).unwrap();
                        e.add_file(&n, &f.1).unwrap();
                    }
                }
            }
        }
        panic!("no result");
    }

    #[test]
    fn engine_end_to_end() {
        let (files, _) = tiny_index();
        let mut e = Engine::new(&files[0].1).unwrap();
        let o = Options { limit: 10, ..Default::default() };
        let r = run(&files, &mut e, "Wohnungen ", &o);
        assert_eq!(r.total, 2);
        assert_eq!(r.results[0].url, "/de/a/"); // title match wins
        // exact score of doc 0: title field, df 1, N 3, avg 2
        let bm = Bm25::new(1, 3, 6);
        assert!((r.results[0].score - bm.score(2, 1) * FIELD_BOOSTS[0]).abs() < 1e-6);
        assert!(r.results[1].excerpt.contains("<mark>Wohnung</mark>"));
        // typing: prefix expansion finds wohnungslos too
        let r = run(&files, &mut e, "wohnung", &o);
        assert_eq!(r.total, 3);
        // all words first (the two docs with both), then any (the third has only `hilfe`)
        let r = run(&files, &mut e, "hilfe wohnung ", &o);
        assert_eq!(r.total, 3);
        let only_hilfe = run(&files, &mut e, "hilfe ", &o).results.into_iter().map(|x| x.url).collect::<Vec<_>>();
        let with_wohnung = run(&files, &mut e, "wohnung ", &o).results.into_iter().map(|x| x.url).collect::<Vec<_>>();
        assert!(r.results[..2].iter().all(|x| only_hilfe.contains(&x.url) && with_wohnung.contains(&x.url)));
        // function words go when other words are there, and stay when they are all there is
        assert_eq!(run(&files, &mut e, "was ist hilfe ", &o).total, run(&files, &mut e, "hilfe ", &o).total);
        let r = run(&files, &mut e, "hilfe xyzzy ", &o);
        assert_eq!(r.total, 3);
        // typo
        let r = run(&files, &mut e, "wohnugn ", &o);
        assert_eq!(r.total, 2);
        // filters
        let r = run(&files, &mut e, "hilfe ", &Options { limit: 10, kind: Some("job"), category: None });
        assert_eq!(r.total, 1);
        assert_eq!(r.results[0].url, "/de/c/");
        let r = run(&files, &mut e, "hilfe ", &Options { limit: 10, kind: None, category: Some("nope") });
        assert_eq!(r.total, 0);
        let r = run(&files, &mut e, "hilfe", &Options { limit: 1, ..Default::default() });
        assert_eq!((r.total, r.results.len()), (3, 1));
        assert!(r.to_json().starts_with("{\"total\":3,\"results\":[{\"url\":\"/de/"));
    }

    #[test]
    fn cold_query_fetches_only_the_docs_shown_and_preload_needs_none() {
        let (files, _) = tiny_index();
        let mut e = Engine::new(&files[0].1).unwrap();
        let o = Options { limit: 1, ..Default::default() };
        let Step::Need(terms) = e.search("hilfe ", &o) else { panic!() };
        assert!(terms.iter().all(|n| n.starts_with('t')), "{terms:?}");
        for n in &terms {
            e.add_file(n, &files.iter().find(|f| &f.0 == n).unwrap().1).unwrap();
        }
        let Step::Need(docs) = e.search("hilfe ", &o) else { panic!() };
        assert_eq!(docs, [e.manifest.doc_file(0)]);
        // a doc file under another doc's name is refused
        let other = &files.iter().find(|f| f.0 == e.manifest.doc_file(1)).unwrap().1;
        assert_eq!(e.add_file(&docs[0], other), Err(Error::Corrupt));
        // offline: term chunks, the bundle and meta; then no doc file is needed
        let mut e = Engine::new(&files[0].1).unwrap();
        let all = e.all_files();
        assert!(!all.iter().any(|n| n.starts_with('d')), "{all:?}");
        for n in &all {
            e.add_file(n, &files.iter().find(|f| &f.0 == n).unwrap().1).unwrap();
        }
        let Step::Done(r) = e.search("hilfe wohnung ", &Options { limit: 10, ..Default::default() }) else { panic!() };
        assert_eq!(r.results.len(), 3);
    }

    #[test]
    fn a_very_frequent_word_is_answered_from_its_top_file_without_its_postings() {
        let n = 700u32;
        let docs: Vec<DocInfo> = (0..n)
            .map(|i| DocInfo { url: format!("/de/{i:03}/"), title: format!("T{i}"), text: "Hilfe hier.".into(), ..Default::default() })
            .collect();
        let p = |doc| Posting { doc, tf: 1 + doc % 5, norm: (doc % 40) as u8 };
        let terms = vec![
            TermEntry { term: "hilf".into(), fields: [vec![], vec![], (0..n).map(p).collect()], ..Default::default() },
            TermEntry { term: "hilfsangebot".into(), fields: [(0..20).map(|d| p(d * 7)).collect(), vec![], vec![]], ..Default::default() },
            TermEntry { term: "wohnung".into(), fields: [vec![], vec![], (0..30).map(|d| p(d * 3)).collect()], ..Default::default() },
        ];
        let files = build_shards(Lang::De, [40, 0, 3 * n as u64], &terms, &docs);
        assert_eq!(files.iter().filter(|f| f.0.starts_with('p')).count(), 1, "hilf's postings (~1.5 KB) are external");
        let get = |name: &str| &files.iter().find(|f| f.0 == name).unwrap_or_else(|| panic!("{name}")).1;
        // the whole index, as preload loads it: chunks first, then the postings files they name
        let mut full = Engine::new(&files[0].1).unwrap();
        for _ in 0..2 {
            for name in full.all_files() {
                full.add_file(&name, get(&name)).unwrap();
            }
        }
        assert!(full.all_files().iter().any(|f| f.starts_with('p')));
        let o = Options { limit: 10, ..Default::default() };
        for (q, postings) in [("Hilfe", false), ("hilfe ", false), ("hilf", false), ("Hilfe Wohnung", true), ("hil", true)] {
            let mut e = Engine::new(&files[0].1).unwrap();
            let mut fetched: Vec<String> = Vec::new();
            let r = loop {
                match e.search(q, &o) {
                    Step::Done(r) => break r,
                    Step::Need(names) => {
                        for name in names {
                            e.add_file(&name, get(&name)).unwrap();
                            fetched.push(name);
                        }
                    }
                }
            };
            assert_eq!(fetched.iter().any(|f| f.starts_with('p')), postings, "{q}: {fetched:?}");
            let Step::Done(expected) = full.search(q, &o) else { panic!("{q}") };
            assert_eq!(r, expected, "{q}: the top file's answer is the postings' answer");
            assert!(r.total > 0, "{q}");
        }
    }

    #[test]
    fn the_first_k_hits_are_the_first_k_of_all_hits_sorted() {
        // many equal scores (tf and norm repeat), so the order between them is by doc
        let n = 300u32;
        let docs: Vec<DocInfo> = (0..n).map(|i| DocInfo { url: format!("/de/{i:03}/"), title: format!("T{i}"), ..Default::default() }).collect();
        let p = |doc| Posting { doc, tf: 1 + doc % 3, norm: (doc % 4) as u8 };
        let terms = vec![
            TermEntry { term: "hilf".into(), fields: [vec![], vec![], (0..n).filter(|d| d % 2 == 0).map(p).collect()], ..Default::default() },
            TermEntry { term: "wohnung".into(), fields: [(0..n).filter(|d| d % 3 == 0).map(p).collect(), vec![], vec![]], ..Default::default() },
        ];
        let files = build_shards(Lang::De, [n as u64, 0, n as u64], &terms, &docs);
        let mut e = Engine::new(&files[0].1).unwrap();
        for _ in 0..2 {
            for name in e.all_files() {
                let bytes = &files.iter().find(|f| f.0 == name).unwrap().1;
                e.add_file(&name, bytes).unwrap();
            }
        }
        let g = |t: &str| vec![Expansion { term: t.into(), weight: 1.0 }];
        for groups in [vec![g("hilf")], vec![g("hilf"), g("wohnung")], vec![g("wohnung"), g("fehlt")]] {
            let all = e.score(&groups, &Options::default());
            assert!(!all.is_empty());
            for k in [0, 1, 9, 10, 49, 50, 51, 200, 400] {
                let (top, total) = e.score_top(&groups, &Options::default(), k);
                assert_eq!(total, all.len());
                assert_eq!(top, all[..k.min(all.len())], "k = {k}");
            }
        }
    }

    #[test]
    fn a_frequent_word_needs_one_top_file_not_a_file_per_result() {
        let n = format::TOP_MIN_DF + 3;
        let docs: Vec<DocInfo> = (0..n)
            .map(|i| DocInfo { url: format!("/de/{i:02}/"), title: format!("T{i}"), text: "Hilfe hier.".into(), ..Default::default() })
            .collect();
        let p = |doc| Posting { doc, tf: 1 + doc % 3, norm: 10 };
        let terms = vec![
            TermEntry { term: "hier".into(), fields: [vec![], vec![], vec![p(0)]], ..Default::default() },
            TermEntry { term: "hilf".into(), fields: [vec![], vec![], (0..n).map(p).collect()], ..Default::default() },
        ];
        let files = build_shards(Lang::De, [0, 0, 2 * n as u64], &terms, &docs);
        let get = |name: &str| &files.iter().find(|f| f.0 == name).unwrap_or_else(|| panic!("{name}")).1;
        let mut e = Engine::new(&files[0].1).unwrap();
        let o = Options { limit: 10, ..Default::default() };
        let mut fetched = Vec::new();
        let r = loop {
            match e.search("Hilfe", &o) {
                Step::Done(r) => break r,
                Step::Need(names) => {
                    for n in names {
                        e.add_file(&n, get(&n)).unwrap();
                        fetched.push(n);
                    }
                }
            }
        };
        assert_eq!(fetched.len(), 2, "{fetched:?}"); // the term chunk and the top file
        assert!(fetched[1].starts_with('r'), "{fetched:?}");
        assert_eq!((r.total, r.results.len()), (n as usize, 10));
        // more results than the top file holds: the rest one by one
        let Step::Need(rest) = e.search("Hilfe", &Options { limit: 12, ..Default::default() }) else { panic!() };
        assert_eq!(rest.len(), 2);
        assert!(rest.iter().all(|n| n.starts_with('d')), "{rest:?}");
        // a rare word has no top file; filters do not use it
        let mut e = Engine::new(&files[0].1).unwrap();
        let Step::Need(t) = e.search("hier ", &o) else { panic!() };
        e.add_file(&t[0], get(&t[0])).unwrap();
        assert_eq!(e.search("hier ", &o), Step::Need(vec![e.manifest.doc_file(0)]));
        // a top file under another name is refused
        let top = get(&fetched[1]);
        assert!(e.add_file(&e.manifest.doc_file(0), top).is_err());
    }

    #[test]
    fn engine_rejects_bad_files() {
        let (files, _) = tiny_index();
        let mut e = Engine::new(&files[0].1).unwrap();
        let (name, bytes) = &files[1];
        assert!(e.add_file(name, &bytes[..bytes.len() / 2]).is_err());
        assert!(e.add_file("t000000000000.bin", bytes).is_err());
        assert!(Engine::new(&files[0].1[..10]).is_err());
    }
}
