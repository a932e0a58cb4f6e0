//! Page-weight budgets, checked on the written output at every build: what a visitor on a slow,
//! prepaid connection downloads to read a page.
//!
//! * first round trip: the page's HTML with the CSS that blocks rendering, compressed, ≤ 14 KB (what
//!   fits into TCP's first congestion window, so the page paints after one round trip);
//! * to render: that plus the images loaded eagerly and any script that blocks rendering, ≤ 30 KB;
//! * no web fonts (`@font-face`): system fonts carry Latin, Arabic and Persian script.
//!
//! A page over budget is a warning; `lotse build --strict` makes it an error. Sizes are those of the
//! precompressed `.gz` files beside each page, or, with `precompress: false`, what they would be.

use crate::diagnostic::{Diagnostic, Severity};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

pub const FIRST_ROUND_TRIP: u64 = 14 * 1024;
pub const TO_RENDER: u64 = 30 * 1024;

/// One page's weights in bytes, compressed.
#[derive(Debug, Clone)]
pub struct Weight {
    pub path: String,
    pub first_round_trip: u64,
    pub to_render: u64,
}

pub struct Report {
    /// The pages measured exactly (see [`check`]).
    pub weights: Vec<Weight>,
    /// All pages checked.
    pub pages: usize,
    pub problems: Vec<Diagnostic>,
}

/// Without precompressed files, one page in this many is compressed for the table's median.
const SAMPLE_EVERY: usize = 8;

/// An upper bound of gzip's output for `n` input bytes (header and trailer, and 5 bytes per stored
/// block of incompressible data): a page whose raw bytes fit the budget cannot be over it.
fn gzip_bound(n: u64) -> u64 {
    n + 32 + n.div_ceil(16_000) * 5
}

static STYLESHEET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<link\b[^>]*\brel="?stylesheet[^>]*>"#).expect("regex"));
static IMG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<img\b[^>]*>"#).expect("regex"));
static SCRIPT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<script\b[^>]*\bsrc=[^>]*>"#).expect("regex"));
static HREF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\b(?:href|src)=(?:"([^"]*)"|([^\s>]+))"#).expect("regex"));

fn attr_url(tag: &str) -> Option<String> {
    let c = HREF.captures(tag)?;
    c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string())
}

/// Checks every HTML page in `dir` (paths relative to it); `sources` maps a page's output path to
/// the content file it comes from, so a warning names what the editor can change.
///
/// Without `.gz` files (`precompress: false`) compressing every page would be a second of a 5,000-page
/// build, so a page is compressed only when it could be over a budget (its raw bytes do not prove it
/// under), when it is among the 1 % largest, or for one page in [`SAMPLE_EVERY`] (the table's median).
/// Every page is still checked; the others are proven within the budgets by [`gzip_bound`].
pub fn check(dir: &Path, html_paths: &[String], base_path: &str, sources: &BTreeMap<String, String>, strict: bool) -> Report {
    use rayon::prelude::*;
    let compressed: std::sync::Mutex<BTreeMap<String, u64>> = Default::default();
    // Compressed size of a file the page references (cached: every page shares the CSS).
    let size_of = |url: &str| -> u64 {
        let Some(rel) = url.strip_prefix(base_path).map(|r| r.split(['?', '#']).next().unwrap_or(r).to_string()) else { return 0 };
        if let Some(s) = compressed.lock().ok().and_then(|c| c.get(&rel).copied()) {
            return s;
        }
        let path = dir.join(&rel);
        let s = std::fs::read(&path).map(|b| if is_text(&rel) { gz_size(&path, &b) } else { b.len() as u64 }).unwrap_or(0);
        if let Ok(mut c) = compressed.lock() {
            c.insert(rel, s);
        }
        s
    };
    let severity = if strict { Severity::Error } else { Severity::Warning };
    // The raw size from which a page counts among the 1 % largest.
    let mut raw: Vec<u64> = html_paths.par_iter().map(|rel| std::fs::metadata(dir.join(rel)).map(|m| m.len()).unwrap_or(0)).collect();
    raw.sort_unstable();
    let large = raw.len().checked_sub(raw.len() / 100 + 1).and_then(|i| raw.get(i)).copied().unwrap_or(0);
    let checked = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(Weight, Vec<Diagnostic>)> = html_paths
        .par_iter()
        .enumerate()
        .filter_map(|(i, rel)| {
            let path = dir.join(rel);
            let html = std::fs::read_to_string(&path).ok()?;
            if html.contains("http-equiv=refresh") {
                return None; // an alias redirect, not a page to read
            }
            checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let css: u64 = STYLESHEET.find_iter(&html).filter_map(|m| attr_url(m.as_str())).map(|u| size_of(&u)).sum();
            let eager_images: u64 = IMG.find_iter(&html).filter(|m| !m.as_str().contains("lazy")).filter_map(|m| attr_url(m.as_str())).map(|u| size_of(&u)).sum();
            let blocking_js: u64 = SCRIPT.find_iter(&html)
                .filter(|m| !m.as_str().contains("defer") && !m.as_str().contains("async") && !m.as_str().contains("module") && !m.as_str().contains("ld+json"))
                .filter_map(|m| attr_url(m.as_str()))
                .map(|u| size_of(&u))
                .sum();
            let bound = gzip_bound(html.len() as u64);
            let proven = bound + css <= FIRST_ROUND_TRIP && bound + css + eager_images + blocking_js <= TO_RENDER;
            let precompressed = precompressed_size(&path);
            if proven && precompressed.is_none() && i % SAMPLE_EVERY != 0 && (html.len() as u64) < large {
                return None;
            }
            let html_gz = precompressed.unwrap_or_else(|| search_index::gzip(html.as_bytes()).len() as u64);
            let w = Weight { path: rel.clone(), first_round_trip: html_gz + css, to_render: html_gz + css + eager_images + blocking_js };
            let file = sources.get(rel).cloned().unwrap_or_else(|| rel.clone());
            let mut problems = Vec::new();
            let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
            if w.first_round_trip > FIRST_ROUND_TRIP {
                problems.push(Diagnostic { severity, ..Diagnostic::error(&file, format!("/{rel}: HTML and CSS weigh {} compressed, over the budget of {}", kb(w.first_round_trip), kb(FIRST_ROUND_TRIP))) }
                    .hint("split the page, or move long tables and lists to pages of their own"));
            } else if w.to_render > TO_RENDER {
                problems.push(Diagnostic { severity, ..Diagnostic::error(&file, format!("/{rel}: everything needed to render weighs {} compressed, over the budget of {}", kb(w.to_render), kb(TO_RENDER))) }
                    .hint("use smaller images, or let images below the first screen load lazily"));
            }
            Some((w, problems))
        })
        .collect();
    let mut weights = Vec::new();
    let mut problems = Vec::new();
    for (w, mut p) in results {
        weights.push(w);
        problems.append(&mut p);
    }
    // Web fonts: the theme's CSS must not load any.
    for (rel, _) in compressed.lock().map(|c| c.clone()).unwrap_or_default() {
        if rel.ends_with(".css") && std::fs::read_to_string(dir.join(&rel)).is_ok_and(|c| c.contains("@font-face")) {
            problems.push(Diagnostic { severity, ..Diagnostic::error(&rel, "the stylesheet loads a web font (@font-face)") }
                .hint("use system fonts: every phone has fonts for Latin, Arabic and Persian script, a web font costs every visitor data"));
        }
    }
    Report { weights, pages: checked.into_inner(), problems }
}

/// The compressed size: the precompressed `.gz` beside the file, or what it would be.
fn gz_size(path: &Path, bytes: &[u8]) -> u64 {
    precompressed_size(path).unwrap_or_else(|| search_index::gzip(bytes).len() as u64)
}

/// The size of the `.gz` beside the file, when precompression wrote one.
fn precompressed_size(path: &Path) -> Option<u64> {
    let gz = path.with_file_name(format!("{}.gz", path.file_name()?.to_string_lossy()));
    std::fs::metadata(gz).ok().map(|m| m.len())
}


fn is_text(rel: &str) -> bool {
    matches!(rel.rsplit_once('.').map(|(_, e)| e), Some("html" | "css" | "js" | "svg" | "json"))
}

/// The table printed after a build.
pub fn table(report: &Report) -> String {
    let weights = &report.weights;
    if weights.is_empty() {
        return String::new();
    }
    let mut first: Vec<u64> = weights.iter().map(|w| w.first_round_trip).collect();
    let mut render: Vec<u64> = weights.iter().map(|w| w.to_render).collect();
    first.sort_unstable();
    render.sort_unstable();
    let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
    let median = |v: &[u64]| v[v.len() / 2];
    let over = |v: &[u64], limit: u64| v.iter().filter(|&&x| x > limit).count();
    let heaviest = weights.iter().max_by_key(|w| (w.to_render, &w.path)).map(|w| w.path.as_str()).unwrap_or("");
    format!(
        "Page weight (compressed), {} pages{}:\n\
         | budget | limit | median | largest | over |\n\
         |---|---:|---:|---:|---:|\n\
         | HTML + CSS (first round trip) | {} | {} | {} | {} |\n\
         | all needed to render | {} | {} | {} | {} |\n\
         heaviest: /{heaviest}\n",
        report.pages,
        if weights.len() < report.pages { format!(" (median of {} measured; the others are within the budgets by their raw size)", weights.len()) } else { String::new() },
        kb(FIRST_ROUND_TRIP), kb(median(&first)), kb(*first.last().unwrap_or(&0)), over(&first, FIRST_ROUND_TRIP),
        kb(TO_RENDER), kb(median(&render)), kb(*render.last().unwrap_or(&0)), over(&render, TO_RENDER),
    )
}
