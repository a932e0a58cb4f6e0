//! Search at build time: hands each language's pages to search-index, which builds
//! the tantivy index in the cache (`.lotse-cache/search/`) and exports the browser
//! search under `_search/`. `lotse search` asks the same index: the oracle.

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::render::{OutFile, encode_uri};
use crate::site::Site;
use search_index::{LangInput, SearchDoc};
use std::path::{Path, PathBuf};

/// The analyzer for a site language: easy German and other variants use their HTML lang.
pub fn analyzer_for(lang: &str) -> &'static str {
    match lang.split('-').next().unwrap_or(lang) {
        "de" => "de",
        "fr" => "fr",
        "ar" => "ar",
        "fa" => "fa",
        _ => "en",
    }
}

/// `.lotse-cache/search/`, or `.lotse-cache/sites/NAME/search/` at the repository root for a site of
/// a repository (see `sites`).
pub fn cache_dir(source: &Path) -> PathBuf {
    crate::sites::Layout::of(source).cache_dir().join("search")
}

/// Indexes every page in the language it is written in (fallback copies are not
/// indexed again) and returns the files of `_search/`.
pub fn export(site: &Site, source: &Path) -> Result<Vec<OutFile>, Diagnostic> {
    let inputs: Vec<LangInput> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let docs = site
                .pages
                .iter()
                .zip(&site.rendered)
                .filter(|(p, _)| p.lang == l.code)
                .map(|(p, r)| SearchDoc {
                    url: encode_uri(&format!("{}{}", site.config.base_path, site.url_of(&p.key, &l.code).unwrap_or_default())),
                    title: p.fm.title.clone(),
                    headings: r.headings.iter().map(|h| h.text.as_str()).collect::<Vec<_>>().join("\n"),
                    body: match &p.typed {
                        Some(t) => format!("{}\n{}", r.plain, crate::types::view::search_text(t)),
                        None => r.plain.clone(),
                    },
                    kind: match &p.typed {
                        Some(t) => t.kind.clone(),
                        None => p.fm.kind.clone().unwrap_or_else(|| if p.is_section { "section".into() } else { "page".into() }),
                    },
                    categories: p.fm.categories.clone(),
                })
                .collect();
            LangInput { code: &l.code, analyzer: analyzer_for(&l.lang), docs }
        })
        .collect();
    // Two builds of one site at once (a CI job and `lotse serve`) share the cache: take turns.
    let cache = cache_dir(source);
    let _turn = std::fs::create_dir_all(&cache)
        .and_then(|_| std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(cache.join(".lock")))
        .and_then(|f| f.lock().map(|_| f))
        .map_err(|e| Diagnostic::error(".lotse-cache/search", format!("cannot lock the search cache: {e}")).hint("check that the site folder is writable"))?;
    let files = search_index::export_site(&inputs, &cache).map_err(|e| {
        Diagnostic::error(".lotse-cache/search", format!("cannot build the search index: {e}"))
            .hint("delete the .lotse-cache folder and build again")
    })?;
    Ok(files.into_iter().map(|(path, bytes)| OutFile { path: format!("_search/{path}"), bytes }).collect())
}

/// `lotse search`: the native index's answer, as text.
pub fn search_cli(source: &Path, lang: &str, query: &str, limit: usize, json: bool) -> Result<String, Diagnostic> {
    let config = SiteConfig::load(source).map_err(|mut e| e.remove(0))?;
    let Some(l) = config.language(lang) else {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Diagnostic::error("site.yaml", format!("the language `{lang}` is not declared")).hint(format!("use one of: {}", codes.join(", "))));
    };
    let results = search_index::search_native(&cache_dir(source), &l.code, analyzer_for(&l.lang), query, limit)
        .map_err(|e| Diagnostic::error(".lotse-cache/search", e.to_string()).hint("run `lotse build` first: it builds the index"))?;
    if json {
        return Ok(serde_json::to_string_pretty(&results).unwrap_or_default() + "\n");
    }
    let mut out = format!("{} results\n", results.total);
    for (i, hit) in results.results.iter().enumerate() {
        out.push_str(&format!("{:>2}. {:>8.4}  {}  {}\n", i + 1, hit.score, hit.title, hit.url));
    }
    Ok(out)
}
