//! # search-core
//!
//! Lotse's search, minus all I/O: the text analyzer, the shard format and the query engine. The same code
//! runs natively (tantivy tokenizer and shard export in `search-index`, tests, the oracle) and in the
//! browser (compiled to wasm32 by `search-wasm`). No threads, clocks or files.
//!
//! * [`analysis`] — per-language normalization, folding and stemming (`analyze`), German decompounding
//!   at index time. Used as tantivy's tokenizer at build time and for queries in the browser, so query and
//!   index terms always meet.
//! * [`format`] — the exported files per language: a small manifest, term chunks (dictionary with the
//!   postings inline, split by size at term-prefix boundaries), one file per doc (url, title, excerpt
//!   text), top files (the docs of a frequent word's first page of results), a bundle of all docs for
//!   offline use and a meta file for filters. Varints, delta-coded doc ids, front-coded terms, a checksum
//!   per file.
//! * [`engine`] — BM25 exactly as tantivy computes it (K1 1.2, B 0.75, tantivy's idf, quantized fieldnorms,
//!   average field length = total tokens / docs), field boosts title 1.5 > headings 1.25 > body 1, all words first then any,
//!   prefix expansion of the word being typed, typo tolerance, filters, excerpts with `<mark>`.
//!
//! A search is a loop driven by the host: `Engine::search` answers `Step::Need(files)` until every file it
//! needs was given to `Engine::add_file`, then `Step::Done(results)`.

#![no_std]
// no_std + alloc: the browser engine then carries no std panic and formatting machinery (its own tiny
// panic handler in search-wasm), which keeps the .wasm small. Natively nothing changes.
extern crate alloc;
#[cfg(test)]
extern crate std;

/// What `std`'s prelude would give every module.
#[allow(unused_imports)]
mod prelude {
    pub use alloc::format;
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod analysis;
pub mod engine;
pub mod format;
pub mod stopwords;

pub use analysis::{analyze, analyze_query, analyze_using, analyze_with, word_terms, Compounds, Lang, QueryWord, Token};
pub use engine::{Engine, Options, Results, SearchResult, Step};
pub use format::Error;
