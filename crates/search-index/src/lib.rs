//! # search-index
//!
//! Lotse's search at build time. Per site language:
//!
//! 1. a tantivy index in `cache_dir/<code>/` whose tokenizer is search-core's analyzer (the same function
//!    the browser engine runs on queries), with the fields `title`, `headings`, `body` (frequencies, no
//!    positions), `url`, `kind`, `category`; German compounds are split against the built-in heads and the
//!    language's own vocabulary (`search_core::Compounds`). The index is rebuilt only when the input
//!    changes (a hash of the docs is kept beside it).
//! 2. an export of that index to `public/_search/<code>/` (see `search_core::format`): a manifest, term
//!    chunks with postings inline (terms in byte order, cut at 4 KB, so `ال…` words spread over many
//!    chunks; the postings of very frequent words in their own files), one small file per doc with
//!    url/title/the first 320 bytes of text (for the excerpt), per frequent term a top file with its
//!    one-word results (ranked hits and their docs), a bundle of all docs for offline use, a meta file
//!    for filters. The postings carry tantivy's own
//!    fieldnorm ids and the manifest its token totals, so the browser computes tantivy's BM25 scores
//!    exactly. Every data file is gzip-compressed here ([`gzip`]: deterministic, level 9), because static
//!    hosts (and the benchmark's server) send `.bin` files as they are; `search.js` inflates them with the
//!    browser's `DecompressionStream` (bytes that are not gzip, from a host that already inflated them,
//!    pass through) and a damaged stream rejects with "search data file is corrupted (…)". The names keep
//!    the hash of the uncompressed content, and the engine still checks magic and checksum.
//! 3. `search.js` (the ES module of the contract, not hashed) and per language one pack
//!    `<code>/e<hash>.bin`: `u32 LE length · engine wasm · manifest`, gzip-compressed. The engine is the
//!    one of the language's analyzer (only its stemmer), built by this crate's build.rs. Engine and
//!    manifest in one file save a request on every cold query; the price is that a rebuild with changed
//!    content makes returning visitors fetch the engine again (~28 KB compressed) with the new manifest.
//!
//! ## What a cold query downloads, and why this layout
//!
//! Measured with the ignored test `synthetic_2000_pages_sizes` on the German pages of
//! `bench/gen_site.py --pages 2000` (2,021 pages, 25 title-word queries: 13 of one word, 12 of two,
//! limit 10; data files only, without search.js and the engine):
//!
//! | layout | requests median (max) | KB per query median (max) | offline (preload) |
//! |---|---|---|---|
//! | 12 KB term chunks, 4 KB doc chunks, raw | 13 (14) | 78.0 (95.8) raw | 4.0 MB raw, 555 files |
//! | the same, gzip | 13 (14) | 40.7 (50.0) | 2.1 MB |
//! | 4 KB term chunks, one file per doc, gzip | 13 (14) | 10.6 (15.1) | 1.5 MB, 375 files |
//! | the same with top files | 4 (11) | 10.4 (16.9) | 1.5 MB, 375 files |
//!
//! (one word: manifest, term chunk, top file = 3). In the browser, with the pack, that is 4 requests for
//! one word: search.js, pack, term chunk, top file. With the benchmark harness (fast 3G, 4× CPU, cold,
//! 32 queries in de/ar/fa/en/fr on the 10,105-page bench site): median 4 requests, 38.9 KB (the engine
//! is ~28 KB of it), 0.96 s to results; two-word queries 8–11 requests, 43–51 KB, ~1.2 s.
//!
//! * The top 10 of a query are spread over the whole site, so they fall into ~10 different doc chunks
//!   whatever the chunk size (4 docs per chunk: 9.9 on average; 16: 9.6; 100: 8.0; only 2–4 chunks for
//!   the whole language would help, at 60–260 KB). Bigger chunks only add bytes (16 docs: 36–73 KB per
//!   query); a title table of every doc would be 60–100 KB compressed for 2,000 pages. So a result costs
//!   one request of ~300 bytes (one file per doc, all named by one hash: no manifest bytes per doc).
//! * Top files remove those requests where it matters most: for every term in ≥ 12 docs the export runs
//!   the engine on the term as a one-word query being typed and writes the docs of its top 10 into one
//!   file (~2 KB compressed). A one-word query fetches that file; docs it lacks (another surface form
//!   whose prefix expansions differ, a filter, a limit above 10) come one by one, so results are always
//!   exact. A query of several words fetches the top files of its words too: they hold about half of
//!   its results (two words: 6–11 data requests instead of 13–14, +2–3 KB). Cost:
//!   top files are served but never part of the offline set: ~5.6 MB of files per 2,000 pages
//!   (`TOP_MIN_DF` in search-core trades that against requests for rarer words).
//! * Term chunks are named by one hash of all of them (a per-chunk hash was 6 incompressible manifest
//!   bytes per chunk and bought nothing: any edit shifts doc ids and changes nearly every chunk), which
//!   makes small chunks cheap: the manifest is 1.5 KB, a word costs ~3 KB.
//! * The stored text is 320 bytes, cut after a word: the excerpt comes from the page's beginning unless
//!   the match is there (900 bytes cost 2.5× the doc bytes for little: matches are rarely within them).
//! * `preload` fetches the term chunks, the bundle (one file, 260 KB compressed for 2,021 pages, instead
//!   of 2,021 doc files) and the meta file: 1.5 MB for 2,000 pages.
//!
//! [`search_native`] is the oracle: the same query semantics (`search_core::engine`) as tantivy
//! `TermQuery`s in `BoostQuery`s in `BooleanQuery`s over the native index.

use search_core::engine::{self, Expansion};
use search_core::format::{self, DocInfo, Posting, TermEntry, FIELDS, FIELD_BOOSTS, FIELD_NAMES};
use search_core::{Compounds, Lang};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, Token as TvToken, TokenStream, Tokenizer};
use tantivy::{DocSet, Index, TantivyDocument, Term, TERMINATED};
#[allow(unused_imports)]
use tantivy::postings::Postings as _;

/// One page to index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub url: String,
    pub title: String,
    pub headings: String,
    pub body: String,
    /// Content type, e.g. "page".
    pub kind: String,
    pub categories: Vec<String>,
}

/// The docs of one site language.
#[derive(Clone, Debug)]
pub struct LangInput<'a> {
    /// Site language code, e.g. "ls".
    pub code: &'a str,
    /// Analyzer: "de", "en", "fr", "ar", "fa".
    pub analyzer: &'a str,
    pub docs: Vec<SearchDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub url: String,
    pub title: String,
    /// Escaped HTML with matches in `<mark>`.
    pub excerpt: String,
    pub score: f32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: usize,
    pub results: Vec<SearchHit>,
}

#[derive(Debug)]
pub enum SearchError {
    UnknownAnalyzer(String),
    BadLanguageCode(String),
    NoIndex(PathBuf),
    Io(PathBuf, std::io::Error),
    Tantivy(tantivy::TantivyError),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::UnknownAnalyzer(a) => {
                write!(f, "unknown search analyzer {a:?} (expected one of de, en, fr, ar, fa)")
            }
            SearchError::BadLanguageCode(c) => write!(f, "invalid language code {c:?} for the search index"),
            SearchError::NoIndex(p) => {
                write!(f, "no search index at {} (run `lotse build` first)", p.display())
            }
            SearchError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            SearchError::Tantivy(e) => write!(f, "search index: {e}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Tantivy(e.into())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Tantivy(e)
    }
}

/// The engines, one per analyzer (built by build.rs).
pub const ENGINES: [(&str, &[u8]); 5] = [
    ("de", include_bytes!(concat!(env!("OUT_DIR"), "/lotse_search_de.wasm"))),
    ("en", include_bytes!(concat!(env!("OUT_DIR"), "/lotse_search_en.wasm"))),
    ("fr", include_bytes!(concat!(env!("OUT_DIR"), "/lotse_search_fr.wasm"))),
    ("ar", include_bytes!(concat!(env!("OUT_DIR"), "/lotse_search_ar.wasm"))),
    ("fa", include_bytes!(concat!(env!("OUT_DIR"), "/lotse_search_fa.wasm"))),
];

/// The engine for an analyzer.
pub fn engine_wasm(analyzer: &str) -> Option<&'static [u8]> {
    let lang = Lang::from_code(analyzer)?;
    ENGINES.iter().find(|(l, _)| *l == lang.code()).map(|(_, b)| *b)
}

const SEARCH_JS: &str = include_str!("search.js");
const TOKENIZER: &str = "lotse";
const ID_FIELD: &str = "id";
const EXCERPT_FIELD: &str = "excerpt";
/// Bump when the analysis or the index layout changes, so cached indexes are rebuilt.
const INDEX_VERSION: &str = "lotse-search-3";

// ------------------------------------------------------------------ tokenizer

/// search-core's analyzer as a tantivy tokenizer, remembering the terms of every word it has seen
/// (tantivy clones it per segment, so each indexing thread has its own memory).
#[derive(Clone)]
pub struct LotseTokenizer {
    lang: Lang,
    compounds: Option<Arc<Compounds>>,
    terms_of_word: HashMap<String, Vec<String>>,
}

impl LotseTokenizer {
    pub fn new(lang: Lang, compounds: Option<Arc<Compounds>>) -> Self {
        LotseTokenizer { lang, compounds, terms_of_word: HashMap::new() }
    }
}

pub struct LotseTokenStream {
    tokens: std::vec::IntoIter<search_core::Token>,
    token: TvToken,
}

impl Tokenizer for LotseTokenizer {
    type TokenStream<'a> = LotseTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> LotseTokenStream {
        let (lang, compounds, memory) = (self.lang, self.compounds.as_deref(), &mut self.terms_of_word);
        let tokens = search_core::analyze_using(lang, text, &mut |folded, terms| match memory.get(folded) {
            Some(known) => terms.extend_from_slice(known),
            None => {
                search_core::word_terms(lang, folded, compounds, terms);
                memory.insert(folded.to_string(), terms.clone());
            }
        });
        LotseTokenStream { tokens: tokens.into_iter(), token: TvToken::default() }
    }
}

impl TokenStream for LotseTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token.text = t.term;
                self.token.position = t.position as usize;
                self.token.offset_from = t.offset_from;
                self.token.offset_to = t.offset_to;
                self.token.position_length = 1;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &TvToken {
        &self.token
    }
    fn token_mut(&mut self) -> &mut TvToken {
        &mut self.token
    }
}

// ------------------------------------------------------------------ index

#[allow(dead_code)]
struct Fields {
    text: [Field; FIELDS],
    url: Field,
    kind: Field,
    category: Field,
    /// What `lotse search` shows as the excerpt's source: [`format::stored_text`] of the body, stored
    /// alone (storing the whole body, compressed, was 1 % of a build's CPU for 320 bytes of it).
    excerpt: Field,
    /// The doc's id in the export (its place in url order), as a fast field: the export maps
    /// tantivy's doc ids to it without decompressing the stored documents.
    id: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    let stored = TextOptions::default().set_indexing_options(indexing.clone()).set_stored();
    let plain = TextOptions::default().set_indexing_options(indexing);
    let title = b.add_text_field(FIELD_NAMES[0], stored.clone());
    let headings = b.add_text_field(FIELD_NAMES[1], plain.clone());
    let body = b.add_text_field(FIELD_NAMES[2], plain);
    let url = b.add_text_field("url", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let category = b.add_text_field("category", STRING | STORED);
    let excerpt = b.add_text_field(EXCERPT_FIELD, STORED);
    let id = b.add_u64_field(ID_FIELD, FAST);
    (b.build(), Fields { text: [title, headings, body], url, kind, category, excerpt, id })
}

fn fields_of(schema: &Schema) -> Result<Fields, SearchError> {
    let f = |n: &str| schema.get_field(n).map_err(SearchError::from);
    Ok(Fields {
        text: [f(FIELD_NAMES[0])?, f(FIELD_NAMES[1])?, f(FIELD_NAMES[2])?],
        url: f("url")?,
        kind: f("kind")?,
        category: f("category")?,
        excerpt: f(EXCERPT_FIELD)?,
        id: f(ID_FIELD)?,
    })
}

fn lang_of(analyzer: &str) -> Result<Lang, SearchError> {
    Lang::from_code(analyzer).ok_or_else(|| SearchError::UnknownAnalyzer(analyzer.into()))
}

fn check_code(code: &str) -> Result<(), SearchError> {
    let ok = !code.is_empty()
        && code.len() <= 35
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(()) } else { Err(SearchError::BadLanguageCode(code.into())) }
}

/// Docs sorted by url, duplicates (same url) dropped after the first.
fn sorted_docs(docs: &[SearchDoc]) -> Vec<&SearchDoc> {
    let mut v: Vec<&SearchDoc> = docs.iter().collect();
    v.sort_by(|a, b| a.url.cmp(&b.url));
    v.dedup_by(|a, b| a.url == b.url);
    v
}

fn input_hash(lang: Lang, docs: &[&SearchDoc]) -> String {
    // The engine is compiled from search-core, so its bytes change whenever the analyzer or the
    // format does: a new Lotse never reuses an index or an export made by an older one.
    let engine = format::fnv64(engine_wasm(lang.code()).unwrap_or_default());
    let mut h = format::fnv64(INDEX_VERSION.as_bytes()) ^ lang.id() as u64 ^ engine;
    let mut mix = |s: &str| {
        h = h.rotate_left(5) ^ format::fnv64(s.as_bytes());
        h = h.wrapping_mul(0x100000001b3);
    };
    for d in docs {
        mix(&d.url);
        mix(&d.title);
        mix(&d.headings);
        mix(&d.body);
        mix(&d.kind);
        mix(&d.categories.join("\u{1f}"));
    }
    format!("{h:016x}-{}", docs.len())
}

/// Open (or build, when the input changed) the tantivy index of one language; `hash` is the docs'
/// [`input_hash`].
fn build_index(dir: &Path, lang: Lang, docs: &[&SearchDoc], hash: &str) -> Result<Index, SearchError> {
    let io = |e| SearchError::Io(dir.to_path_buf(), e);
    let stamp = dir.join("lotse-input.hash");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash)
        && let Ok(index) = Index::open_in_dir(dir) {
            register(&index, lang, None);
            return Ok(index);
        }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io)?;
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    let compounds = if lang == Lang::De {
        let mut c = Compounds::new();
        for d in docs {
            c.add_text(&d.title);
            c.add_text(&d.headings);
            c.add_text(&d.body);
        }
        Some(Arc::new(c))
    } else {
        None
    };
    register(&index, lang, compounds);
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 20_000_000)?;
    for (id, d) in docs.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, id as u64);
        doc.add_text(f.url, &d.url);
        doc.add_text(f.text[0], &d.title);
        doc.add_text(f.text[1], &d.headings);
        doc.add_text(f.text[2], &d.body);
        doc.add_text(f.excerpt, format::stored_text(&d.body));
        doc.add_text(f.kind, &d.kind);
        for c in &d.categories {
            doc.add_text(f.category, c);
        }
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    std::fs::write(&stamp, hash).map_err(io)?;
    let index = Index::open_in_dir(dir)?;
    register(&index, lang, None);
    Ok(index)
}

fn register(index: &Index, lang: Lang, compounds: Option<Arc<Compounds>>) {
    index.tokenizers().register(TOKENIZER, TextAnalyzer::from(LotseTokenizer::new(lang, compounds)));
}

/// The whole dictionary of an index: term → entry, postings by our doc ids (url order).
fn read_terms(index: &Index) -> Result<(Vec<TermEntry>, [u64; FIELDS]), SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let f = fields_of(&index.schema())?;
    let mut terms: BTreeMap<Vec<u8>, TermEntry> = BTreeMap::new();
    let mut totals = [0u64; FIELDS];
    for seg in searcher.segment_readers() {
        // tantivy doc id → our doc id
        let id_column = seg.fast_fields().u64(ID_FIELD)?;
        let ids: Vec<Option<u32>> = (0..seg.max_doc()).map(|d| id_column.first(d).map(|id| id as u32)).collect();
        for (fi, &field) in f.text.iter().enumerate() {
            let inv = seg.inverted_index(field)?;
            totals[fi] += inv.total_num_tokens();
            let norms = seg.get_fieldnorms_reader(field)?;
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                let key = stream.key().to_vec();
                let info = stream.value().clone();
                let mut postings = inv.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                let entry = terms.entry(key.clone()).or_insert_with(|| TermEntry {
                    term: String::from_utf8_lossy(&key).into_owned(),
                    ..Default::default()
                });
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if seg.is_deleted(doc) {
                        doc = postings.advance();
                        continue;
                    }
                    if let Some(Some(id)) = ids.get(doc as usize) {
                        use tantivy::postings::Postings;
                        entry.fields[fi].push(Posting { doc: *id, tf: postings.term_freq(), norm: norms.fieldnorm_id(doc) });
                    }
                    doc = postings.advance();
                }
            }
        }
    }
    let mut out: Vec<TermEntry> = terms.into_values().filter(|e| e.doc_freq() > 0).collect();
    for e in &mut out {
        for p in &mut e.fields {
            p.sort_by_key(|p| p.doc);
        }
    }
    Ok((out, totals))
}

fn excerpt_text(d: &SearchDoc) -> String {
    if d.body.trim().is_empty() { d.headings.clone() } else { d.body.clone() }
}

/// Build or update the index of every language and return every file of `public/_search/`:
/// `(path relative to _search/, bytes)`, sorted by path. Same input → byte-identical files.
pub fn export_site(langs: &[LangInput], cache_dir: &Path) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    use rayon::prelude::*;
    // Languages are independent: index and export them in parallel, then put them together in order.
    let per_lang: Vec<Result<(Vec<(String, Vec<u8>)>, (String, String)), SearchError>> =
        langs.par_iter().map(|input| export_language(input, cache_dir)).collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut config: Vec<(String, String)> = Vec::new(); // code, pack path
    for r in per_lang {
        let (mut f, c) = r?;
        files.append(&mut f);
        config.push(c);
    }
    files.push(("search.js".into(), search_js(&config).into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}

/// One language's files, and its code with the path of its pack.
fn export_language(input: &LangInput, cache_dir: &Path) -> Result<(Vec<(String, Vec<u8>)>, (String, String)), SearchError> {
    use rayon::prelude::*;
    check_code(input.code)?;
    let lang = lang_of(input.analyzer)?;
    let docs = sorted_docs(&input.docs);
    // An unchanged language reuses its last export (a rebuild after editing one page
    // re-exports only that page's language).
    let export_cache = cache_dir.join(input.code).join("lotse-export.bin");
    let key = input_hash(lang, &docs);
    if let Some(cached) = read_export_cache(&export_cache, &key) {
        return Ok(cached);
    }
    let index = build_index(&cache_dir.join(input.code), lang, &docs, &key)?;
    let (terms, totals) = read_terms(&index)?;
    let infos: Vec<DocInfo> = docs
        .iter()
        .map(|d| DocInfo {
            url: d.url.clone(),
            title: d.title.clone(),
            text: excerpt_text(d),
            kind: d.kind.clone(),
            categories: d.categories.clone(),
        })
        .collect();
    let shards = format::build_shards(lang, totals, &terms, &infos);
    // the pack: the engine and the manifest in one file, the first request of a cold query
    let wasm = engine_wasm(lang.code()).unwrap_or_default();
    let mut pack = Vec::with_capacity(4 + wasm.len() + shards[0].1.len());
    pack.extend_from_slice(&(wasm.len() as u32).to_le_bytes());
    pack.extend_from_slice(wasm);
    pack.extend_from_slice(&shards[0].1);
    let pack_name = format!("{}/{}", input.code, format::file_name(b'e', format::fnv64(&pack) & 0xFFFF_FFFF_FFFF));
    let mut files = vec![(pack_name.clone(), gzip(&pack))];
    // The per-term and per-doc files are thousands: level 1; the doc bundle (offline) level 6.
    files.par_extend(shards.par_iter().map(|(name, bytes)| {
        let gz = match name.as_bytes().first() {
            Some(b't' | b'p' | b'r' | b'd') => gzip_fast(bytes),
            Some(b'b') => gzip_bundle(bytes),
            _ => gzip(bytes),
        };
        (format!("{}/{}", input.code, name), gz)
    }));
    let result = (files, (input.code.to_string(), pack_name));
    // A cache that cannot be written only costs time next build.
    let _ = std::fs::write(&export_cache, encode_export_cache(&key, &result));
    Ok(result)
}

type LangExport = (Vec<(String, Vec<u8>)>, (String, String));

/// The cache file: the key, the code and pack path, the number of files, then every file (name, bytes),
/// each part as length + bytes.
fn encode_export_cache(key: &str, (files, (code, pack)): &LangExport) -> Vec<u8> {
    let mut out = Vec::new();
    let mut put = |b: &[u8]| {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    };
    put(key.as_bytes());
    put(code.as_bytes());
    put(pack.as_bytes());
    put(&(files.len() as u64).to_le_bytes());
    for (name, bytes) in files {
        put(name.as_bytes());
        put(bytes);
    }
    out
}

fn read_export_cache(path: &Path, key: &str) -> Option<LangExport> {
    let data = std::fs::read(path).ok()?;
    let mut at = 0usize;
    let mut take = || -> Option<&[u8]> {
        let len = u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?) as usize;
        let b = data.get(at + 8..at.checked_add(8 + len)?)?;
        at += 8 + len;
        Some(b)
    };
    if take()? != key.as_bytes() {
        return None;
    }
    let code = String::from_utf8(take()?.to_vec()).ok()?;
    let pack = String::from_utf8(take()?.to_vec()).ok()?;
    let count = u64::from_le_bytes(take()?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..count {
        let name = String::from_utf8(take()?.to_vec()).ok()?;
        files.push((name, take()?.to_vec()));
    }
    // A file cut short (a build killed while writing it) is not a cache.
    (at == data.len()).then_some((files, (code, pack)))
}

/// Shard files travel gzip-compressed (static hosts serve `.bin` as-is), and the site's precompressed
/// `.gz` copies use the same function: libdeflate at level 9 — as fast as zlib-rs at level 6 on these
/// small files (1.7× faster than zlib-rs at equal size) and a little smaller. Deterministic (no mtime, no
/// file name), so the same input still gives byte-identical files. The shard names keep the hash of the
/// uncompressed content that the manifest lists.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(9, bytes)
}

/// [`gzip`] at level 1, for the thousands of small per-term and per-doc files of a language (top files,
/// term chunks, postings, docs): on them level 9 takes twice the time for 0–3 % fewer bytes (term chunks
/// even come out smaller at level 1), and compressing them was the largest single cost of a build. The
/// page budgets use it too, as the most a host compressing on the fly sends.
pub fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    gzip_at(1, bytes)
}

/// [`gzip`] at level 6, for the doc bundle (~400 KB per 1,000 pages, fetched only to save a language
/// offline): 1.8 % larger than at level 9 (133.0 → 135.4 KB for 1,000 German pages of the bench site),
/// and level 9 on the bundles was 2 % of a build's CPU.
pub fn gzip_bundle(bytes: &[u8]) -> Vec<u8> {
    gzip_at(6, bytes)
}

fn gzip_at(level: usize, bytes: &[u8]) -> Vec<u8> {
    thread_local! {
        // Per thread and level: a compressor's state is ~1 MB, too much to set up per small file.
        static COMPRESSORS: std::cell::RefCell<[Option<libdeflater::Compressor>; 13]> = Default::default();
    }
    COMPRESSORS.with_borrow_mut(|all| {
        let c = all[level.min(12)].get_or_insert_with(|| {
            libdeflater::Compressor::new(libdeflater::CompressionLvl::new(level as i32).unwrap_or_default())
        });
        compress(c, bytes)
    })
}

fn compress(c: &mut libdeflater::Compressor, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
    // The buffer has the bound's size, so compression cannot run out of space.
    let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
    out.truncate(n);
    out
}

/// The inverse of [`gzip`]; data that is not gzip (no `1f 8b` header) is returned unchanged, as
/// `search.js` does when a host already removed the compression.
pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::with_capacity(bytes.len() * 3);
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// search.js with the language table filled in: `{"code":"code/e….bin"}`.
fn search_js(config: &[(String, String)]) -> String {
    let mut table = String::from("{");
    for (i, (code, pack)) in config.iter().enumerate() {
        if i > 0 {
            table.push(',');
        }
        engine::json_str(code, &mut table);
        table.push(':');
        engine::json_str(pack, &mut table);
    }
    table.push('}');
    SEARCH_JS.replace("/*LANGS*/{}", &table)
}

// ------------------------------------------------------------------ the oracle

/// Query the native tantivy index in `cache_dir/<code>` with the engine's semantics.
pub fn search_native(cache_dir: &Path, code: &str, analyzer: &str, query: &str, limit: usize) -> Result<SearchResults, SearchError> {
    check_code(code)?;
    let lang = lang_of(analyzer)?;
    let dir = cache_dir.join(code);
    if !dir.join("meta.json").exists() {
        return Err(SearchError::NoIndex(dir));
    }
    let index = Index::open_in_dir(&dir)?;
    register(&index, lang, None);
    let f = fields_of(&index.schema())?;
    let reader = index.reader()?;
    let searcher = reader.searcher();

    // the dictionary view: every term of the three fields with its doc frequency summed over fields
    let mut dict: BTreeMap<String, u32> = BTreeMap::new();
    for seg in searcher.segment_readers() {
        for &field in &f.text {
            let inv = seg.inverted_index(field)?;
            let mut s = inv.terms().stream()?;
            while s.advance() {
                *dict.entry(String::from_utf8_lossy(s.key()).into_owned()).or_default() += s.value().doc_freq;
            }
        }
    }
    let words = search_core::analyze_query(lang, query);
    let typing = search_core::analysis::ends_in_word(query);
    let groups: Vec<Vec<Expansion>> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let t = typing && i + 1 == words.len();
            engine::expand_word(w, t, || dict.iter().map(|(k, v)| (k.as_str(), *v)))
        })
        .collect();
    if groups.is_empty() {
        return Ok(SearchResults::default());
    }
    let group_query = |g: &Vec<Expansion>| -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for e in g {
            for (fi, &field) in f.text.iter().enumerate() {
                let tq = TermQuery::new(Term::from_field_text(field, &e.term), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), FIELD_BOOSTS[fi] * e.weight))));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    };
    let run = |occur: Occur| -> Result<Vec<(f32, String, tantivy::DocAddress)>, SearchError> {
        if occur == Occur::Must && groups.iter().any(|g| g.is_empty()) {
            return Ok(Vec::new());
        }
        let q = BooleanQuery::new(groups.iter().filter(|g| !g.is_empty()).map(|g| (occur, group_query(g))).collect());
        let n = (searcher.num_docs() as usize).max(1);
        let top = searcher.search(&q, &TopDocs::with_limit(n).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let url = doc.get_first(f.url).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            hits.push((score, url, addr));
        }
        Ok(hits)
    };
    // All words first, then any (as search_core::engine does).
    let every: std::collections::HashSet<tantivy::DocAddress> = run(Occur::Must)?.into_iter().map(|h| h.2).collect();
    let mut hits = run(Occur::Should)?;
    hits.sort_by(|a, b| every.contains(&b.2).cmp(&every.contains(&a.2)).then(b.0.total_cmp(&a.0)).then(a.1.cmp(&b.1)));
    let total = hits.len();
    let marks: Vec<&str> = groups.iter().flatten().map(|e| e.term.as_str()).collect();
    let mut results = Vec::new();
    for (score, url, addr) in hits.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let get = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let title = get(f.text[0]);
        let excerpt = engine::excerpt(lang, &get(f.excerpt), &marks, engine::EXCERPT_CHARS);
        results.push(SearchHit { url, title, excerpt, score });
    }
    Ok(SearchResults { total, results })
}

#[cfg(test)]
mod tests;
