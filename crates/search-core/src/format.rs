//! The shard format: compact binary files, written natively ([`build_shards`]), read in wasm.
//!
//! Every file is `magic (4 bytes) · body · FNV-1a-32 of everything before (4 bytes, LE)`, so a truncated
//! or corrupted file is always detected. Integers are LEB128 varints; strings are `varint len · UTF-8`.
//!
//! * manifest `m` (`LSM3`): language, number of docs, the total number of tokens per field (for tantivy's
//!   average field length), the term chunks (one hash of all of them and the postings files, then the
//!   front-coded boundary keys), the hash of all doc files, the hash of the doc bundle and of the meta
//!   file. Term chunk `i` is `t<12 hex of the hash of all term chunks>-<i>.bin`: a hash per chunk would buy
//!   nothing (an added or edited page changes the postings of hundreds of terms, and every doc id after
//!   it, so nearly every chunk changes anyway) and cost 6 incompressible bytes per chunk in every cold
//!   query; without them small chunks are cheap, so a query fetches only ~3 KB compressed per word.
//! * term chunk `t` (`LST2`): a run of terms in byte order, front-coded (`shared · suffix`); per term and
//!   per field (title, headings, body): `n` (for the title field `n << 2 | external << 1 | has a top
//!   file`), then, unless the term is external, its postings: per doc `varint(delta << 1 | tf == 1)`,
//!   `varint(tf)` when tf ≠ 1, and the doc's tantivy fieldnorm id for that field (1 byte). Most postings
//!   sit inline with their term, so one request gives both.
//! * postings `p` (`LSP1`): the postings of one external term (more than [`POSTINGS_INLINE_MAX`] bytes: a
//!   word on a large share of the pages): the term, then per field `n` and the postings as above. Named
//!   `p<hash of all term chunks>-<chunk · 65536 + index in chunk>.bin`. Fetched only when a query scores
//!   the term: a one-word query is answered by the term's top file instead, so at 50,000 pages a word on
//!   every page costs its ~2 KB top file, not ~100 KB of postings.
//! * doc `d` (`LSD2`): one doc: its id, url, title and the beginning of its text (for excerpts; see
//!   [`stored_text`]). A cold query fetches exactly the docs it shows (the top `limit`), nothing more.
//!   Named `d<hash of all doc files>-<id>.bin`, like the term chunks: a hash per doc or per block of docs
//!   would be incompressible manifest bytes in every cold query (6 per 32 docs were 9.4 KB at 50,000
//!   pages), and an added page shifts the ids of the docs after it anyway.
//! * top file `r` (`LSR2`): for a term in at least [`TOP_MIN_DF`] docs, what the engine itself answers to
//!   the term as a one-word query (computed at export with every file loaded), typed in full and while
//!   being typed (when that expands to more terms): per case the expansion group (terms, weights), the
//!   number of results and the top [`TOP_RESULTS`] hits with their scores ([`TopList`]); then the docs (id,
//!   url, title, text) of those hits. A one-word query whose group is one of these and whose postings are
//!   not loaded is answered from it; other queries fetch the top files of their words before any doc
//!   file (they hold many of the results: one request instead of one per result) and the remaining docs
//!   one by one. Named `r<hash of all term chunks>-<chunk · 65536 + index in chunk>.bin`. Not part of the
//!   offline set.
//! * doc bundle `b` (`LSB1`): every doc's url, title and text in one file, for offline use (`preload`):
//!   one request instead of one per doc, and compressed far better.
//! * meta `f` (`LSF1`): content types and categories of every doc, loaded only for filtered searches.
//!
//! File names are `<kind><12 hex digits of FNV-1a-64 of the content>.bin` (docs: see above). Every file
//! travels gzip-compressed (search-index's export); these are the bytes inside.
//!
//! Why one file per doc (plus top files): results of a query are spread over the whole site, so the top 10
//! of 2,000 pages fall into ~10 different chunks whatever their size (with 4 docs per chunk 9.9 on average,
//! with 16 still 9.6), and bigger chunks only add bytes. A table of every title would cost 60–100 KB
//! compressed per 2,000 pages. So a result costs one small request (~300 bytes compressed), and the
//! common case, one frequent word, one request for all of its first page of results.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::analysis::Lang;

pub const FIELDS: usize = 3;
pub const FIELD_NAMES: [&str; FIELDS] = ["title", "headings", "body"];
/// Field weights (tantivy `BoostQuery` boosts): title above headings above body. Tuned on integreat-qa
/// dev questions: 3/2/1 gave MRR 0.447, 2/1.5/1 0.466, 1.5/1.25/1 0.478 (`bench/search/relevance_native.py`).
pub const FIELD_BOOSTS: [f32; FIELDS] = [1.5, 1.25, 1.0];

/// Size cap of a term chunk before it is closed (a single term's postings may exceed it).
pub const TERM_CHUNK_CAP: usize = 4 * 1024;
/// Terms in at least this many docs (summed over fields) get a top file: the docs of their one-word
/// results (typed in full and still being typed), so such a query needs one doc request, not one per
/// result. Rarer terms have few results anyway.
pub const TOP_MIN_DF: u32 = 12;
/// Results per top file (per kind of query: the union of the complete and the typing query's top).
pub const TOP_RESULTS: usize = 10;
/// A term whose postings take more bytes than this gets its own postings file, fetched only when a query
/// needs the postings: a one-word query on a frequent word is answered by the word's top file, so at
/// 50,000 pages it does not download a term's ~100 KB of postings (see `engine`).
pub const POSTINGS_INLINE_MAX: usize = 1024;
/// How much of a doc's text is stored for excerpts, in bytes (see [`stored_text`]).
pub const STORED_TEXT_BYTES: usize = 320;

/// Errors while decoding a file or using the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    Truncated,
    BadMagic,
    Checksum,
    Corrupt,
    UnknownFile,
    NotLoaded,
    WrongEngine,
}

impl Error {
    pub fn message(self) -> &'static str {
        match self {
            Error::Truncated => "search data file is truncated",
            Error::BadMagic => "not a Lotse search data file (wrong magic)",
            Error::Checksum => "search data file is corrupted (checksum mismatch)",
            Error::Corrupt => "search data file is corrupted (invalid content)",
            Error::UnknownFile => "search data file is not part of this index",
            Error::NotLoaded => "search data file was not loaded",
            Error::WrongEngine => "this search engine was built for another language",
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}
impl core::error::Error for Error {}

pub fn fnv32(b: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for &x in b {
        h ^= x as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

pub fn fnv64(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// `<kind><12 hex>.bin` from a 48-bit hash.
pub fn file_name(kind: u8, hash: u64) -> String {
    let mut s = String::with_capacity(17);
    s.push(kind as char);
    for i in (0..12).rev() {
        let d = ((hash >> (i * 4)) & 15) as u8;
        s.push(if d < 10 { (b'0' + d) as char } else { (b'a' + d - 10) as char });
    }
    s.push_str(".bin");
    s
}

fn hash48(b: &[u8]) -> u64 {
    fnv64(b) & 0xFFFF_FFFF_FFFF
}

// ---------------------------------------------------------------- writing

#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new(magic: &[u8; 4]) -> Writer {
        Writer { buf: magic.to_vec() }
    }
    pub fn varint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(b);
                return;
            }
            self.buf.push(b | 0x80);
        }
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub fn hash48(&mut self, h: u64) {
        self.buf.extend_from_slice(&h.to_le_bytes()[..6]);
    }
    pub fn finish(mut self) -> Vec<u8> {
        let c = fnv32(&self.buf);
        self.buf.extend_from_slice(&c.to_le_bytes());
        self.buf
    }
}

// ---------------------------------------------------------------- reading

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Check magic and checksum; the reader then covers the body.
    pub fn open(data: &'a [u8], magic: &[u8; 4]) -> Result<Reader<'a>, Error> {
        if data.len() < 8 {
            return Err(Error::Truncated);
        }
        if &data[..4] != magic {
            return Err(Error::BadMagic);
        }
        let (body, sum) = data.split_at(data.len() - 4);
        let sum = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
        if fnv32(body) != sum {
            return Err(Error::Checksum);
        }
        Ok(Reader { buf: &body[4..], pos: 0 })
    }
    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
    pub fn u8(&mut self) -> Result<u8, Error> {
        let b = *self.buf.get(self.pos).ok_or(Error::Truncated)?;
        self.pos += 1;
        Ok(b)
    }
    pub fn varint(&mut self) -> Result<u64, Error> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            if shift > 63 {
                return Err(Error::Corrupt);
            }
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }
    pub fn u32(&mut self) -> Result<u32, Error> {
        u32::try_from(self.varint()?).map_err(|_| Error::Corrupt)
    }
    /// A count of items that each take at least one byte (guards allocations against corrupt input).
    pub fn count(&mut self) -> Result<usize, Error> {
        let n = self.varint()? as usize;
        if n > self.buf.len() - self.pos.min(self.buf.len()) {
            return Err(Error::Corrupt);
        }
        Ok(n)
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.varint()? as usize;
        let end = self.pos.checked_add(n).ok_or(Error::Corrupt)?;
        let b = self.buf.get(self.pos..end).ok_or(Error::Truncated)?;
        self.pos = end;
        Ok(b)
    }
    pub fn str(&mut self) -> Result<&'a str, Error> {
        core::str::from_utf8(self.bytes()?).map_err(|_| Error::Corrupt)
    }
    pub fn hash48(&mut self) -> Result<u64, Error> {
        let b = self.buf.get(self.pos..self.pos + 6).ok_or(Error::Truncated)?;
        self.pos += 6;
        let mut a = [0u8; 8];
        a[..6].copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// A front-coded string following `prev`.
    pub fn front_coded(&mut self, prev: &str) -> Result<String, Error> {
        let shared = self.varint()? as usize;
        let suffix = self.bytes()?;
        let head = prev.as_bytes().get(..shared).ok_or(Error::Corrupt)?;
        let mut v = Vec::with_capacity(shared + suffix.len());
        v.extend_from_slice(head);
        v.extend_from_slice(suffix);
        String::from_utf8(v).map_err(|_| Error::Corrupt)
    }
}

fn front_code(w: &mut Writer, prev: &str, s: &str) {
    let shared = prev.bytes().zip(s.bytes()).take_while(|(a, b)| a == b).count();
    // never split a UTF-8 sequence
    let mut shared = shared;
    while !s.is_char_boundary(shared) {
        shared -= 1;
    }
    w.varint(shared as u64);
    w.bytes(&s.as_bytes()[shared..]);
}

// ---------------------------------------------------------------- data

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub tf: u32,
    /// tantivy's fieldnorm id of this doc's field.
    pub norm: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TermEntry {
    pub term: String,
    /// Postings per field; empty for an `external` term until its postings file is added.
    pub fields: [Vec<Posting>; FIELDS],
    /// The term has a top file (its one-word results, see [`TOP_MIN_DF`]).
    pub top: bool,
    /// The postings are in their own file (see [`POSTINGS_INLINE_MAX`]); `counts` says how many.
    pub external: bool,
    /// Docs with the term per field, for an `external` term (0 for inline terms: see [`TermEntry::count`]).
    pub counts: [u32; FIELDS],
}

impl TermEntry {
    /// Docs with the term in field `f` (known before an external term's postings are loaded).
    pub fn count(&self, f: usize) -> u32 {
        if self.external { self.counts[f] } else { self.fields[f].len() as u32 }
    }
    /// Documents containing the term, over all fields (used to rank expansions).
    pub fn doc_freq(&self) -> u32 {
        (0..FIELDS).map(|f| self.count(f)).sum()
    }
    /// An external term whose postings file has not been added yet.
    pub fn needs_postings(&self) -> bool {
        self.external && self.fields.iter().all(Vec::is_empty) && self.counts.iter().any(|&n| n > 0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub lang: Lang,
    pub num_docs: u32,
    pub total_tokens: [u64; FIELDS],
    /// Hash of all term chunks (their names).
    pub terms_hash: u64,
    /// Per term chunk, the smallest key in its range (the first chunk has "").
    pub term_chunks: Vec<String>,
    /// Hash of all doc files (their names: `d<docs_hash>-<id>.bin`).
    pub docs_hash: u64,
    pub bundle_hash: u64,
    pub meta_hash: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct StoredDoc {
    pub url: String,
    pub title: String,
    /// The beginning of the doc's text (headings and body), for excerpts.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Meta {
    pub kinds: Vec<String>,
    pub categories: Vec<String>,
    /// Per doc: index into `kinds`.
    pub doc_kind: Vec<u32>,
    /// Per doc: indexes into `categories`.
    pub doc_categories: Vec<Vec<u32>>,
}

/// Everything the exporter knows about one document.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DocInfo {
    pub url: String,
    pub title: String,
    pub text: String,
    pub kind: String,
    pub categories: Vec<String>,
}

pub const MAGIC_MANIFEST: &[u8; 4] = b"LSM3";
pub const MAGIC_TERMS: &[u8; 4] = b"LST2";
pub const MAGIC_POSTINGS: &[u8; 4] = b"LSP1";
pub const MAGIC_DOC: &[u8; 4] = b"LSD2";
pub const MAGIC_BUNDLE: &[u8; 4] = b"LSB1";
pub const MAGIC_TOP: &[u8; 4] = b"LSR2";
pub const MAGIC_META: &[u8; 4] = b"LSF1";

impl Manifest {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(MAGIC_MANIFEST);
        w.u8(self.lang.id());
        w.varint(self.num_docs as u64);
        for t in self.total_tokens {
            w.varint(t);
        }
        w.hash48(self.terms_hash);
        w.varint(self.term_chunks.len() as u64);
        let mut prev = "";
        for c in &self.term_chunks {
            front_code(&mut w, prev, c);
            prev = c;
        }
        w.hash48(self.docs_hash);
        w.hash48(self.bundle_hash);
        w.hash48(self.meta_hash);
        w.finish()
    }

    pub fn decode(data: &[u8]) -> Result<Manifest, Error> {
        let mut r = Reader::open(data, MAGIC_MANIFEST)?;
        let lang = Lang::from_id(r.u8()?).ok_or(Error::Corrupt)?;
        let num_docs = r.u32()?;
        let mut total_tokens = [0u64; FIELDS];
        for t in total_tokens.iter_mut() {
            *t = r.varint()?;
        }
        let terms_hash = r.hash48()?;
        let n = r.count()?;
        let mut term_chunks: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let prev = term_chunks.last().map_or("", |c| c.as_str());
            let first = r.front_coded(prev)?;
            if !term_chunks.is_empty() && first.as_str() <= prev {
                return Err(Error::Corrupt);
            }
            term_chunks.push(first);
        }
        let docs_hash = r.hash48()?;
        let bundle_hash = r.hash48()?;
        let meta_hash = r.hash48()?;
        if !r.at_end() || term_chunks.is_empty() && num_docs > 0 {
            return Err(Error::Corrupt);
        }
        Ok(Manifest { lang, num_docs, total_tokens, terms_hash, term_chunks, docs_hash, bundle_hash, meta_hash })
    }

    /// Index of the term chunk whose range holds `key`.
    pub fn chunk_of(&self, key: &str) -> usize {
        self.term_chunks.partition_point(|c| c.as_str() <= key).saturating_sub(1)
    }

    /// Term chunks that may hold terms starting with `prefix` (inclusive range).
    pub fn chunks_with_prefix(&self, prefix: &str) -> (usize, usize) {
        let mut hi = String::with_capacity(prefix.len() + 4);
        hi.push_str(prefix);
        hi.push('\u{10FFFF}');
        (self.chunk_of(prefix), self.chunk_of(&hi))
    }

    /// Term chunk `i`: `t<hash of all term chunks>-<i>.bin`.
    pub fn term_file(&self, i: usize) -> String {
        numbered_file_name(b't', self.terms_hash, i as u32)
    }
    /// The term chunk a file name stands for.
    pub fn term_chunk_of_file(&self, name: &str) -> Option<usize> {
        let (hash, i) = split_numbered(name, b't')?;
        (hash == self.terms_hash && (i as usize) < self.term_chunks.len()).then_some(i as usize)
    }
    /// The top file of term `k` of term chunk `c` (see [`per_term_file_name`]).
    pub fn top_file(&self, c: usize, k: usize) -> String {
        per_term_file_name(b'r', self.terms_hash, c, k)
    }
    /// (term chunk, term index) of a top file name.
    pub fn top_of_file(&self, name: &str) -> Option<(usize, usize)> {
        self.term_of_file(name, b'r')
    }
    /// The postings file of external term `k` of term chunk `c` (see [`per_term_file_name`]).
    pub fn postings_file(&self, c: usize, k: usize) -> String {
        per_term_file_name(b'p', self.terms_hash, c, k)
    }
    /// (term chunk, term index) of a postings file name.
    pub fn postings_of_file(&self, name: &str) -> Option<(usize, usize)> {
        self.term_of_file(name, b'p')
    }
    fn term_of_file(&self, name: &str, kind: u8) -> Option<(usize, usize)> {
        let (hash, n) = split_numbered(name, kind)?;
        let c = (n >> 16) as usize;
        (hash == self.terms_hash && c < self.term_chunks.len()).then_some((c, (n & 0xFFFF) as usize))
    }
    /// The file of doc `doc`: `d<hash of all docs>-<doc>.bin`.
    pub fn doc_file(&self, doc: u32) -> String {
        numbered_file_name(b'd', self.docs_hash, doc)
    }
    /// The doc a doc file name stands for.
    pub fn doc_of_file(&self, name: &str) -> Option<u32> {
        let (hash, doc) = split_numbered(name, b'd')?;
        (hash == self.docs_hash && doc < self.num_docs).then_some(doc)
    }
    pub fn bundle_file(&self) -> String {
        file_name(b'b', self.bundle_hash)
    }
    pub fn meta_file(&self) -> String {
        file_name(b'f', self.meta_hash)
    }
}

pub fn encode_terms(terms: &[TermEntry]) -> Vec<u8> {
    let mut w = Writer::new(MAGIC_TERMS);
    write_terms(&mut w, terms);
    w.finish()
}

fn write_terms(w: &mut Writer, terms: &[TermEntry]) {
    w.varint(terms.len() as u64);
    let mut prev = "";
    for t in terms {
        front_code(w, prev, &t.term);
        prev = &t.term;
        for f in 0..FIELDS {
            let n = t.count(f) as u64;
            // the title field's count carries the flags
            w.varint(if f == 0 { n << 2 | (t.external as u64) << 1 | t.top as u64 } else { n });
            if !t.external {
                write_postings(w, &t.fields[f]);
            }
        }
    }
}

/// One field's postings: per doc `varint(delta << 1 | tf == 1)`, `varint(tf)` when tf ≠ 1, the norm id.
fn write_postings(w: &mut Writer, f: &[Posting]) {
    let mut last = 0u32;
    for (i, p) in f.iter().enumerate() {
        let delta = if i == 0 { p.doc } else { p.doc - last };
        last = p.doc;
        w.varint(((delta as u64) << 1) | (p.tf == 1) as u64);
        if p.tf != 1 {
            w.varint(p.tf as u64);
        }
        w.u8(p.norm);
    }
}

fn read_postings(r: &mut Reader, n: usize, num_docs: u32) -> Result<Vec<Posting>, Error> {
    if n > r.remaining() {
        return Err(Error::Corrupt);
    }
    let mut f = Vec::with_capacity(n);
    let mut doc = 0u32;
    for i in 0..n {
        let v = r.varint()?;
        let delta = u32::try_from(v >> 1).map_err(|_| Error::Corrupt)?;
        if i > 0 && delta == 0 {
            return Err(Error::Corrupt);
        }
        doc = doc.checked_add(delta).ok_or(Error::Corrupt)?;
        if doc >= num_docs {
            return Err(Error::Corrupt);
        }
        let tf = if v & 1 == 1 { 1 } else { r.u32()? };
        if tf == 0 {
            return Err(Error::Corrupt);
        }
        f.push(Posting { doc, tf, norm: r.u8()? });
    }
    Ok(f)
}

/// The postings file of an external term: the term (checked against the chunk's), then its postings.
pub fn encode_postings(t: &TermEntry) -> Vec<u8> {
    let mut w = Writer::new(MAGIC_POSTINGS);
    w.str(&t.term);
    for f in &t.fields {
        w.varint(f.len() as u64);
        write_postings(&mut w, f);
    }
    w.finish()
}

/// Fills `entry` (an external term of a loaded chunk) from its postings file.
pub fn decode_postings(data: &[u8], entry: &mut TermEntry, num_docs: u32) -> Result<(), Error> {
    let mut r = Reader::open(data, MAGIC_POSTINGS)?;
    if !entry.external || r.str()? != entry.term {
        return Err(Error::Corrupt);
    }
    let mut fields: [Vec<Posting>; FIELDS] = Default::default();
    for (f, out) in fields.iter_mut().enumerate() {
        let n = r.count()?;
        if n != entry.counts[f] as usize {
            return Err(Error::Corrupt);
        }
        *out = read_postings(&mut r, n, num_docs)?;
    }
    if !r.at_end() {
        return Err(Error::Corrupt);
    }
    entry.fields = fields;
    Ok(())
}

pub fn decode_terms(data: &[u8], num_docs: u32) -> Result<Vec<TermEntry>, Error> {
    let mut r = Reader::open(data, MAGIC_TERMS)?;
    let n = r.count()?;
    let mut out: Vec<TermEntry> = Vec::with_capacity(n);
    for _ in 0..n {
        let prev = out.last().map_or("", |t| t.term.as_str());
        let term = r.front_coded(prev)?;
        if !out.is_empty() && term.as_str() <= prev {
            return Err(Error::Corrupt);
        }
        let mut e = TermEntry { term, ..Default::default() };
        for f in 0..FIELDS {
            let n = if f == 0 {
                let v = r.varint()?;
                e.top = v & 1 == 1;
                e.external = v & 2 == 2;
                v >> 2
            } else {
                r.varint()?
            };
            let n = u32::try_from(n).ok().filter(|&n| n <= num_docs).ok_or(Error::Corrupt)?;
            if e.external {
                e.counts[f] = n;
            } else {
                e.fields[f] = read_postings(&mut r, n as usize, num_docs)?;
            }
        }
        out.push(e);
    }
    if !r.at_end() {
        return Err(Error::Corrupt);
    }
    Ok(out)
}

/// `<kind><12 hex>-<k>.bin`
pub fn numbered_file_name(kind: u8, hash: u64, k: u32) -> String {
    let mut s = file_name(kind, hash);
    s.truncate(13);
    s.push('-');
    crate::engine::push_uint(k as u64, &mut s);
    s.push_str(".bin");
    s
}

/// A file of one term (top file `r`, postings `p`): `<kind><hash of all term chunks>-<c · 65536 + k>.bin`
/// for term `k` of term chunk `c`.
pub fn per_term_file_name(kind: u8, terms_hash: u64, c: usize, k: usize) -> String {
    numbered_file_name(kind, terms_hash, (c as u32) << 16 | k as u32)
}

/// `<kind><12 hex>-<k>.bin` → (hash, k)
fn split_numbered(name: &str, kind: u8) -> Option<(u64, u32)> {
    let rest = name.strip_prefix(kind as char)?.strip_suffix(".bin")?;
    let (hash, k) = rest.split_once('-')?;
    if hash.len() != 12 || k.is_empty() || k.len() > 9 || k.len() > 1 && k.starts_with('0') {
        return None;
    }
    let mut h = 0u64;
    for b in hash.bytes() {
        h = h << 4 | (b as char).to_digit(16)? as u64;
    }
    let mut n = 0u32;
    for b in k.bytes() {
        n = n * 10 + (b as char).to_digit(10)?;
    }
    Some((h, n))
}

impl StoredDoc {
    fn write(&self, w: &mut Writer) {
        w.str(&self.url);
        w.str(&self.title);
        w.str(&self.text);
    }
    fn read(r: &mut Reader) -> Result<StoredDoc, Error> {
        Ok(StoredDoc { url: r.str()?.into(), title: r.str()?.into(), text: r.str()?.into() })
    }
}

/// The file of one doc.
pub fn encode_doc(id: u32, d: &StoredDoc) -> Vec<u8> {
    let mut w = Writer::new(MAGIC_DOC);
    w.varint(id as u64);
    d.write(&mut w);
    w.finish()
}

pub fn decode_doc(data: &[u8]) -> Result<(u32, StoredDoc), Error> {
    let mut r = Reader::open(data, MAGIC_DOC)?;
    let id = r.u32()?;
    let d = StoredDoc::read(&mut r)?;
    if !r.at_end() {
        return Err(Error::Corrupt);
    }
    Ok((id, d))
}

/// What a top file says about one form of its term as a one-word query: the expansion group (terms and
/// weights) the engine computed it for, the number of results and the first [`TOP_RESULTS`] hits with their
/// scores. A query whose group is exactly this one gets these results without loading any postings.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TopList {
    pub group: Vec<(String, f32)>,
    pub total: u32,
    pub hits: Vec<(u32, f32)>,
}

fn write_f32(w: &mut Writer, v: f32) {
    w.buf.extend_from_slice(&v.to_bits().to_le_bytes());
}
fn read_f32(r: &mut Reader) -> Result<f32, Error> {
    Ok(f32::from_bits(u32::from_le_bytes([r.u8()?, r.u8()?, r.u8()?, r.u8()?])))
}

/// A top file: its lists (the term typed in full, and still being typed), then the docs of their hits.
pub fn encode_top(lists: &[TopList], docs: &[(u32, &StoredDoc)]) -> Vec<u8> {
    let mut w = Writer::new(MAGIC_TOP);
    w.varint(lists.len() as u64);
    for l in lists {
        w.varint(l.group.len() as u64);
        for (term, weight) in &l.group {
            w.str(term);
            write_f32(&mut w, *weight);
        }
        w.varint(l.total as u64);
        w.varint(l.hits.len() as u64);
        for &(doc, score) in &l.hits {
            w.varint(doc as u64);
            write_f32(&mut w, score);
        }
    }
    w.varint(docs.len() as u64);
    for (id, d) in docs {
        w.varint(*id as u64);
        d.write(&mut w);
    }
    w.finish()
}

pub type TopFile = (Vec<TopList>, Vec<(u32, StoredDoc)>);

pub fn decode_top(data: &[u8], num_docs: u32) -> Result<TopFile, Error> {
    let mut r = Reader::open(data, MAGIC_TOP)?;
    let mut lists = Vec::new();
    for _ in 0..r.count()? {
        let mut l = TopList::default();
        for _ in 0..r.count()? {
            let term = r.str()?.into();
            l.group.push((term, read_f32(&mut r)?));
        }
        l.total = r.u32()?;
        for _ in 0..r.count()? {
            let doc = r.u32()?;
            if doc >= num_docs {
                return Err(Error::Corrupt);
            }
            l.hits.push((doc, read_f32(&mut r)?));
        }
        lists.push(l);
    }
    let n = r.count()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.u32()?;
        if id >= num_docs {
            return Err(Error::Corrupt);
        }
        docs.push((id, StoredDoc::read(&mut r)?));
    }
    if !r.at_end() {
        return Err(Error::Corrupt);
    }
    Ok((lists, docs))
}

/// Every doc in one file (offline use).
pub fn encode_bundle(docs: &[StoredDoc]) -> Vec<u8> {
    let mut w = Writer::new(MAGIC_BUNDLE);
    w.varint(docs.len() as u64);
    for d in docs {
        d.write(&mut w);
    }
    w.finish()
}

pub fn decode_bundle(data: &[u8]) -> Result<Vec<StoredDoc>, Error> {
    let mut r = Reader::open(data, MAGIC_BUNDLE)?;
    let n = r.count()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        docs.push(StoredDoc::read(&mut r)?);
    }
    if !r.at_end() {
        return Err(Error::Corrupt);
    }
    Ok(docs)
}

impl Meta {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(MAGIC_META);
        for list in [&self.kinds, &self.categories] {
            w.varint(list.len() as u64);
            for s in list {
                w.str(s);
            }
        }
        w.varint(self.doc_kind.len() as u64);
        for (k, cats) in self.doc_kind.iter().zip(&self.doc_categories) {
            w.varint(*k as u64);
            w.varint(cats.len() as u64);
            for c in cats {
                w.varint(*c as u64);
            }
        }
        w.finish()
    }
    pub fn decode(data: &[u8]) -> Result<Meta, Error> {
        let mut r = Reader::open(data, MAGIC_META)?;
        let mut m = Meta::default();
        for list in [&mut m.kinds, &mut m.categories] {
            let n = r.count()?;
            for _ in 0..n {
                list.push(r.str()?.into());
            }
        }
        let n = r.count()?;
        for _ in 0..n {
            let k = r.u32()?;
            if k as usize >= m.kinds.len().max(1) {
                return Err(Error::Corrupt);
            }
            let c = r.count()?;
            let mut cats = Vec::with_capacity(c);
            for _ in 0..c {
                let x = r.u32()?;
                if x as usize >= m.categories.len() {
                    return Err(Error::Corrupt);
                }
                cats.push(x);
            }
            m.doc_kind.push(k);
            m.doc_categories.push(cats);
        }
        if !r.at_end() {
            return Err(Error::Corrupt);
        }
        Ok(m)
    }
}

/// The part of a doc's text kept for excerpts: at most [`STORED_TEXT_BYTES`] bytes, cut after a whole word
/// where there is one in the second half (the oracle cuts the same way, so excerpts agree).
pub fn stored_text(s: &str) -> &str {
    let c = cut(s, STORED_TEXT_BYTES);
    if c.len() == s.len() {
        return c;
    }
    match c.rfind(char::is_whitespace) {
        Some(i) if i >= c.len() / 2 => c[..i].trim_end(),
        _ => c,
    }
}

/// Cut `s` to at most `max` bytes at a char boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// The shortest prefix of `next` that is still greater than `prev` (a chunk boundary key).
fn separator(prev: &str, next: &str) -> String {
    for (i, _) in next.char_indices().skip(1) {
        if &next[..i] > prev {
            return next[..i].into();
        }
    }
    next.into()
}

/// Build every file of one language: `(file name, bytes)`, the manifest first.
///
/// `terms` must be sorted by term and hold each doc's postings; `docs` are indexed by doc id.
pub fn build_shards(lang: Lang, total_tokens: [u64; FIELDS], terms: &[TermEntry], docs: &[DocInfo]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut w = Writer::default();
    let terms: Vec<TermEntry> = terms
        .iter()
        .map(|t| {
            w.buf.clear();
            t.fields.iter().for_each(|f| write_postings(&mut w, f));
            let external = w.buf.len() > POSTINGS_INLINE_MAX;
            let counts = if external { [0, 1, 2].map(|f| t.fields[f].len() as u32) } else { [0; FIELDS] };
            TermEntry { top: t.doc_freq() >= TOP_MIN_DF, external, counts, ..t.clone() }
        })
        .collect();
    // term chunks, closed when they reach the cap: a run of words sharing a prefix (Arabic `ال…`) spreads
    // over as many chunks as its size needs, and the boundary keys grow as long as needed.
    let mut term_chunks: Vec<String> = Vec::new();
    let mut term_files: Vec<Vec<u8>> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut starts: Vec<usize> = Vec::new();
    for i in 0..terms.len() {
        w.buf.clear();
        write_terms(&mut w, &terms[i..i + 1]);
        size += w.buf.len();
        let last = i + 1 == terms.len();
        if size >= TERM_CHUNK_CAP || last {
            let first = if start == 0 { String::new() } else { separator(&terms[start - 1].term, &terms[start].term) };
            term_chunks.push(first);
            starts.push(start);
            term_files.push(encode_terms(&terms[start..=i]));
            start = i + 1;
            size = 0;
        }
    }
    if term_chunks.is_empty() {
        term_chunks.push(String::new());
        term_files.push(encode_terms(&[]));
    }
    // the postings of external terms, one file each, named like the chunks by the hash of all of them
    let mut postings: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    for (i, t) in terms.iter().enumerate().filter(|(_, t)| t.external) {
        let c = starts.partition_point(|&s| s <= i) - 1;
        postings.push((c, i - starts[c], encode_postings(t)));
    }
    let mut all = term_files.concat();
    postings.iter().for_each(|(_, _, b)| all.extend_from_slice(b));
    let terms_hash = hash48(&all);
    for (i, bytes) in term_files.iter().enumerate() {
        files.push((numbered_file_name(b't', terms_hash, i as u32), bytes.clone()));
    }
    let postings: Vec<(String, Vec<u8>)> = postings
        .into_iter()
        .map(|(c, k, b)| (per_term_file_name(b'p', terms_hash, c, k), b))
        .collect();
    files.extend(postings.iter().cloned());
    // docs: one file each, named by the hash of all of them; and the bundle
    let stored: Vec<StoredDoc> = docs
        .iter()
        .map(|d| StoredDoc { url: d.url.clone(), title: d.title.clone(), text: stored_text(&d.text).into() })
        .collect();
    let encoded: Vec<Vec<u8>> = stored.iter().enumerate().map(|(i, d)| encode_doc(i as u32, d)).collect();
    let docs_hash = hash48(&encoded.concat());
    for (i, bytes) in encoded.into_iter().enumerate() {
        files.push((numbered_file_name(b'd', docs_hash, i as u32), bytes));
    }
    let bytes = encode_bundle(&stored);
    let bundle_hash = hash48(&bytes);
    files.push((file_name(b'b', bundle_hash), bytes));
    // meta
    let mut meta = Meta::default();
    let mut kinds: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut cats: Vec<&str> = docs.iter().flat_map(|d| d.categories.iter().map(String::as_str)).collect();
    cats.sort_unstable();
    cats.dedup();
    meta.kinds = kinds.iter().map(|s| s.to_string()).collect();
    meta.categories = cats.iter().map(|s| s.to_string()).collect();
    for d in docs {
        meta.doc_kind.push(kinds.binary_search(&d.kind.as_str()).unwrap_or(0) as u32);
        let mut c: Vec<u32> =
            d.categories.iter().map(|c| cats.binary_search(&c.as_str()).unwrap_or(0) as u32).collect();
        c.sort_unstable();
        c.dedup();
        meta.doc_categories.push(c);
    }
    let bytes = meta.encode();
    let meta_hash = hash48(&bytes);
    files.push((file_name(b'f', meta_hash), bytes));

    let manifest = Manifest {
        lang,
        num_docs: docs.len() as u32,
        total_tokens,
        terms_hash,
        term_chunks,
        docs_hash,
        bundle_hash,
        meta_hash,
    };
    let bytes = manifest.encode();
    // top files: what the engine itself answers to each frequent term as a one-word query
    if let Ok(mut engine) = crate::engine::Engine::new(&bytes) {
        for (i, t) in term_files.iter().enumerate() {
            let _ = engine.add_file(&manifest.term_file(i), t);
        }
        for (name, b) in &postings {
            let _ = engine.add_file(name, b);
        }
        for (c, t) in term_files.iter().enumerate() {
            for (k, e) in decode_terms(t, manifest.num_docs).unwrap_or_default().iter().enumerate() {
                if e.top {
                    let lists = engine.top_lists(&e.term);
                    let mut ids: Vec<u32> = lists.iter().flat_map(|l| l.hits.iter().map(|h| h.0)).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    let top: Vec<(u32, &StoredDoc)> = ids.into_iter().map(|d| (d, &stored[d as usize])).collect();
                    files.push((manifest.top_file(c, k), encode_top(&lists, &top)));
                }
            }
        }
    }
    let name = file_name(b'm', hash48(&bytes));
    files.insert(0, (name, bytes));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_terms() -> Vec<TermEntry> {
        let mut v = Vec::new();
        for (i, t) in ["arbeit", "arbeitsamt", "hilf", "wohnung", "مستشف", "مدرس"].iter().enumerate() {
            let mut e = TermEntry { term: t.to_string(), ..Default::default() };
            e.fields[2] = vec![Posting { doc: 0, tf: 1, norm: 12 }, Posting { doc: 3, tf: 7, norm: 40 + i as u8 }];
            e.fields[0] = vec![Posting { doc: 300, tf: 2, norm: 3 }];
            e.top = i % 2 == 0;
            v.push(e);
        }
        v.sort_by(|a, b| a.term.cmp(&b.term));
        v
    }

    #[test]
    fn varint_roundtrip() {
        let mut w = Writer::new(b"TEST");
        let vals = [0u64, 1, 127, 128, 300, 16384, u32::MAX as u64, u64::MAX];
        for v in vals {
            w.varint(v);
        }
        w.str("Flüchtlingshilfe");
        let b = w.finish();
        let mut r = Reader::open(&b, b"TEST").unwrap();
        for v in vals {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert_eq!(r.str().unwrap(), "Flüchtlingshilfe");
        assert!(r.at_end());
    }

    #[test]
    fn terms_roundtrip() {
        let t = sample_terms();
        let b = encode_terms(&t);
        assert_eq!(decode_terms(&b, 301).unwrap(), t);
        // a doc id beyond the number of docs is refused
        assert_eq!(decode_terms(&b, 10), Err(Error::Corrupt));
    }

    #[test]
    fn docs_and_meta_roundtrip() {
        let docs = vec![
            StoredDoc { url: "/de/a/".into(), title: "<b>Ärzte</b>".into(), text: "Text".into() },
            StoredDoc { url: "/ar/b/".into(), title: "مستشفى".into(), text: "".into() },
        ];
        assert_eq!(decode_doc(&encode_doc(17, &docs[0])).unwrap(), (17, docs[0].clone()));
        assert_eq!(decode_bundle(&encode_bundle(&docs)).unwrap(), docs);
        assert_eq!(decode_doc(&encode_bundle(&docs)), Err(Error::BadMagic));
        let m = Meta {
            kinds: vec!["job".into(), "page".into()],
            categories: vec!["arbeit".into()],
            doc_kind: vec![1, 0],
            doc_categories: vec![vec![], vec![0]],
        };
        assert_eq!(Meta::decode(&m.encode()).unwrap(), m);
    }

    #[test]
    fn manifest_roundtrip_and_lookup() {
        let m = Manifest {
            lang: Lang::Ar,
            num_docs: 400,
            total_tokens: [10, 20, 30000],
            terms_hash: 0xFFFF_FFFF_FFFF,
            term_chunks: vec!["".into(), "h".into(), "مد".into()],
            docs_hash: 0xabc000,
            bundle_hash: 7,
            meta_hash: 9,
        };
        let d = Manifest::decode(&m.encode()).unwrap();
        assert_eq!(d, m);
        assert_eq!(d.chunk_of("arbeit"), 0);
        assert_eq!(d.chunk_of("h"), 1);
        assert_eq!(d.chunk_of("wohnung"), 1);
        assert_eq!(d.chunk_of("مستشف"), 2);
        assert_eq!(d.chunks_with_prefix("a"), (0, 0));
        assert_eq!(d.chunks_with_prefix(""), (0, 2));
        assert_eq!(d.doc_file(0), "d000000abc000-0.bin");
        assert_eq!(d.doc_file(399), "d000000abc000-399.bin");
        for doc in [0, 31, 32, 399] {
            assert_eq!(d.doc_of_file(&d.doc_file(doc)), Some(doc));
        }
        assert_eq!(d.doc_of_file("d000000abc000-400.bin"), None); // doc 400 does not exist
        assert_eq!(d.doc_of_file("d000000abc001-0.bin"), None);
        assert_eq!(d.bundle_file(), "b000000000007.bin");
        assert_eq!(d.postings_file(2, 5), "pffffffffffff-131077.bin");
        assert_eq!(d.postings_of_file("pffffffffffff-131077.bin"), Some((2, 5)));
        assert_eq!(d.postings_of_file("pffffffffffff-196608.bin"), None); // chunk 3 does not exist
        assert_eq!(d.term_file(2), "tffffffffffff-2.bin");
        assert_eq!(d.term_chunk_of_file("tffffffffffff-2.bin"), Some(2));
        for bad in ["tffffffffffff-3.bin", "tffffffffffff-02.bin", "tfffffffffffe-2.bin", "tffffffffffff-.bin", "tffffffffffff.bin", "dffffffffffff-2.bin"] {
            assert_eq!(d.term_chunk_of_file(bad), None, "{bad}");
        }
    }

    #[test]
    fn truncated_and_corrupt_files_are_errors() {
        let b = encode_terms(&sample_terms());
        for n in [0, 3, 7, 10, b.len() - 1] {
            assert!(decode_terms(&b[..n], 301).is_err(), "{n}");
        }
        let mut c = b.clone();
        c[9] ^= 0x55;
        assert_eq!(decode_terms(&c, 301), Err(Error::Checksum));
        assert_eq!(decode_terms(b"LSM1aaaa", 301), Err(Error::BadMagic));
        assert_eq!(Manifest::decode(&b), Err(Error::BadMagic));
    }

    #[test]
    fn stored_text_cuts_after_a_word() {
        assert_eq!(stored_text("kurz"), "kurz");
        let long = "Wort ".repeat(200);
        let t = stored_text(&long);
        assert!(t.len() <= STORED_TEXT_BYTES && t.len() > STORED_TEXT_BYTES - 6 && t.ends_with("Wort"), "{t:?}");
        let one = "x".repeat(1000);
        assert_eq!(stored_text(&one).len(), STORED_TEXT_BYTES);
    }

    #[test]
    fn build_shards_splits_arabic_prefix_runs() {
        // 3,000 Arabic words all starting with ال: no chunk may hold them all
        let mut terms = Vec::new();
        for i in 0..3000u32 {
            let mut t = String::from("ال");
            for d in i.to_string().chars() {
                t.push(char::from_u32(0x628 + d as u32 - '0' as u32).unwrap());
            }
            let mut e = TermEntry { term: t, ..Default::default() };
            e.fields[2] = (0..5).map(|k| Posting { doc: k * 7 + i % 7, tf: 1, norm: 9 }).collect();
            terms.push(e);
        }
        terms.sort_by(|a, b| a.term.cmp(&b.term));
        let docs: Vec<DocInfo> =
            (0..40).map(|i| DocInfo { url: format!("/ar/{i}/"), title: "t".into(), text: "x".repeat(2000), kind: "page".into(), categories: vec![] }).collect();
        let files = build_shards(Lang::Ar, [1, 2, 3], &terms, &docs);
        let m = Manifest::decode(&files[0].1).unwrap();
        assert!(m.term_chunks.len() > 5, "{}", m.term_chunks.len());
        let mut all = Vec::new();
        for (name, bytes) in &files[1..] {
            if name.starts_with('t') {
                assert!(bytes.len() < TERM_CHUNK_CAP + 200, "{}", bytes.len());
                all.extend(decode_terms(bytes, 40).unwrap());
            }
        }
        assert_eq!(all, terms);
        // every term is found in the chunk the manifest names
        for t in &terms {
            let i = m.chunk_of(&t.term);
            let name = m.term_file(i);
            let bytes = &files.iter().find(|f| f.0 == name).unwrap().1;
            assert!(decode_terms(bytes, 40).unwrap().iter().any(|e| e.term == t.term));
        }
        // docs: stored text is cut, every doc is found, in its own file and in the bundle
        let bundle = decode_bundle(&files.iter().find(|f| f.0 == m.bundle_file()).unwrap().1).unwrap();
        assert_eq!(bundle.len(), 40);
        for doc in 0..40u32 {
            let name = m.doc_file(doc);
            let (id, d) = decode_doc(&files.iter().find(|f| f.0 == name).unwrap().1).unwrap();
            assert_eq!(id, doc);
            assert_eq!(d.url, format!("/ar/{doc}/"));
            assert_eq!(d.text.len(), STORED_TEXT_BYTES);
            assert_eq!(bundle[doc as usize], d);
        }
        // deterministic
        assert_eq!(files, build_shards(Lang::Ar, [1, 2, 3], &terms, &docs));
    }
}
