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
use crate::output::is_text;
use crate::render::OutFile;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

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
const SAMPLE_EVERY: u64 = 32;

/// An upper bound of the page's size at gzip level 1 that is cheap to take: its first `prefix` bytes at
/// level 1 and the rest as stored blocks make a valid gzip stream of the page, so compressing all of it
/// at level 1 or above gives no more in practice. Proving a page of 13 KB within budget this way
/// compresses ~3 KB of it, not all (level 1 on every page above the raw bound was 2 % of a build's CPU).
fn split_bound(bytes: &[u8], prefix: usize) -> u64 {
    let (head, tail) = bytes.split_at(prefix.min(bytes.len()));
    let stored = if tail.is_empty() { 0 } else { gzip_bound(tail.len() as u64) };
    search_index::gzip_fast(head).len() as u64 + stored
}

/// An upper bound of gzip's output for `n` input bytes (header and trailer, and 5 bytes per stored
/// block of incompressible data): a page whose raw bytes fit the budget cannot be over it.
fn gzip_bound(n: u64) -> u64 {
    n + 32 + n.div_ceil(16_000) * 5
}

/// The tags whose files a page loads, found with `memchr` over the page's bytes: no UTF-8 check of the
/// whole page and one pass instead of a regex per kind (both were ~1 % of a build's CPU), and a regex
/// for the tag's start ran its DFA over every byte.
fn loading_tags(html: &[u8]) -> impl Iterator<Item = &str> {
    memchr::memchr_iter(b'<', html).filter_map(move |at| {
        let rest = &html[at + 1..];
        let name = [&b"link"[..], b"img", b"script"].into_iter().find(|n| rest.starts_with(n))?;
        // a whole tag name (`<linkage>` is not `<link`)
        if rest.get(name.len()).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-') {
            return None;
        }
        let end = memchr::memchr(b'>', rest)?;
        std::str::from_utf8(&html[at..=at + 1 + end]).ok()
    })
}

static STYLESHEET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^<link\b[^>]*\brel="?stylesheet"#).expect("regex"));
static HREF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\b(?:href|src)=(?:"([^"]*)"|([^\s>]+))"#).expect("regex"));

fn attr_url(tag: &str) -> Option<String> {
    let c = HREF.captures(tag)?;
    c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string())
}

/// One HTML page as written: what it loads to render, and its compressed size when known.
struct Page {
    path: String,
    raw: u64,
    /// The `.gz` size, or measured as the page was written (see [`Collector::observe`]).
    gz: Option<u64>,
    /// Its size at gzip level 1 (see [`Collector::observe`]), when its raw size proves nothing.
    gz_fast: Option<u64>,
    stylesheets: Vec<String>,
    eager_images: Vec<String>,
    blocking_scripts: Vec<String>,
}

/// Page weights, gathered while the pages are written: each page is looked at once, in memory, on the
/// core that rendered it, and nothing is read back from the disk but the few files pages load.
pub struct Collector {
    base_path: String,
    /// Compressed size of every theme file (CSS, scripts, icons) by its path: known before any page.
    statics: BTreeMap<String, u64>,
    /// Theme stylesheets that load a web font.
    web_fonts: Vec<String>,
    pages: Mutex<Vec<Page>>,
}

impl Collector {
    /// `statics`: the theme's files as they will be written.
    pub fn new(statics: &[OutFile], base_path: &str) -> Collector {
        let size = |f: &OutFile| if is_text(&f.path) { search_index::gzip(&f.bytes).len() as u64 } else { f.bytes.len() as u64 };
        Collector {
            base_path: base_path.to_string(),
            statics: statics.iter().map(|f| (f.path.clone(), size(f))).collect(),
            web_fonts: statics.iter().filter(|f| f.path.ends_with(".css") && contains(&f.bytes, b"@font-face")).map(|f| f.path.clone()).collect(),
            pages: Mutex::default(),
        }
    }

    /// A page as it is written: `bytes` as on the disk, `gz` the size of its `.gz` when precompressed.
    ///
    /// Without `.gz` files (`precompress: false`) compressing every page at level 9 took 7 % of a build's
    /// CPU, so the exact size (level 9, as the `.gz` would be) is taken for one page in [`SAMPLE_EVERY`]
    /// (the table's median) and for pages that may be over a budget; [`Collector::finish`] adds the 1 %
    /// largest. Every other page is proven within the budgets by its raw size ([`gzip_bound`]) or, when
    /// that proves nothing, by a bound of its size at gzip level 1 (the most a host that compresses on the
    /// fly sends: nginx's default level), so what a visitor gets is within the budget either way: first
    /// [`split_bound`] over as much of the page as the budget needs, then the whole page at level 1
    /// (~2.3× faster than level 9).
    pub fn observe(&self, rel: &str, bytes: &[u8], gz: Option<u64>) {
        static REDIRECT: LazyLock<regex::bytes::Regex> = LazyLock::new(|| regex::bytes::Regex::new("http-equiv=refresh").expect("regex"));
        if REDIRECT.is_match(bytes) {
            return; // an alias redirect, not a page to read
        }
        let mut page = Page {
            path: rel.to_string(),
            raw: bytes.len() as u64,
            gz,
            gz_fast: None,
            stylesheets: Vec::new(),
            eager_images: Vec::new(),
            blocking_scripts: Vec::new(),
        };
        for tag in loading_tags(bytes) {
            let list = if tag.starts_with("<img") {
                if tag.contains("lazy") { continue }
                &mut page.eager_images
            } else if tag.starts_with("<script") {
                if ["defer", "async", "module", "ld+json"].iter().any(|k| tag.contains(k)) { continue }
                &mut page.blocking_scripts
            } else if STYLESHEET.is_match(tag) {
                &mut page.stylesheets
            } else {
                continue;
            };
            list.extend(attr_url(tag));
        }
        let exact = || Some(search_index::gzip(bytes).len() as u64);
        if page.gz.is_none() {
            let room = self.room(&page, &|u| self.static_size(u));
            if search_core::format::fnv64(rel.as_bytes()).is_multiple_of(SAMPLE_EVERY) {
                page.gz = exact();
            } else if let Some(room) = room {
                if gzip_bound(page.raw) > room {
                    // The cheapest proof first: as much of the page at level 1 as the budget needs (HTML
                    // shrinks to less than half), then all of it, then the exact size.
                    let needed = (2 * (gzip_bound(page.raw) - room) + 2048).min(page.raw) as usize;
                    let mut prefixes = vec![needed];
                    if needed < bytes.len() {
                        prefixes.push(bytes.len());
                    }
                    page.gz_fast = prefixes.into_iter().map(|n| split_bound(bytes, n)).find(|&bound| bound <= room);
                    if page.gz_fast.is_none() {
                        page.gz = exact();
                    }
                }
            } else {
                page.gz = exact(); // it loads a file of unknown size: nothing is proven
            }
        }
        if let Ok(mut pages) = self.pages.lock() {
            pages.push(page);
        }
    }

    /// The compressed size of a theme file the page loads; `None` for any other file.
    fn static_size(&self, url: &str) -> Option<u64> {
        self.statics.get(self.rel(url)?.as_str()).copied()
    }

    /// A URL of the site → its path in the output.
    fn rel(&self, url: &str) -> Option<String> {
        url.strip_prefix(&self.base_path).map(|r| r.split(['?', '#']).next().unwrap_or(r).to_string())
    }

    /// Within both budgets by the page's raw size, or by its bound at level 1 when known.
    fn proven(&self, page: &Page, size: &dyn Fn(&str) -> Option<u64>) -> bool {
        self.room(page, size).is_some_and(|room| page.gz_fast.unwrap_or_else(|| gzip_bound(page.raw)) <= room)
    }

    /// How many compressed bytes the page's HTML may take within both budgets, given what else it
    /// loads; `None` when a file it loads is of unknown size (that proves nothing).
    fn room(&self, page: &Page, size: &dyn Fn(&str) -> Option<u64>) -> Option<u64> {
        let sum = |urls: &[String]| urls.iter().map(|u| size(u)).sum::<Option<u64>>();
        let (css, images, js) = (sum(&page.stylesheets)?, sum(&page.eager_images)?, sum(&page.blocking_scripts)?);
        Some(FIRST_ROUND_TRIP.saturating_sub(css).min(TO_RENDER.saturating_sub(css + images + js)))
    }

    /// Checks every page observed; `dir` is the output folder (for files pages load besides the theme's
    /// and for pages compressed only now), `sources` maps a page's output path to the content file it
    /// comes from, so a warning names what the editor can change.
    pub fn finish(self, dir: &Path, sources: &BTreeMap<String, String>, strict: bool) -> Report {
        use rayon::prelude::*;
        let mut pages = std::mem::take(&mut *self.pages.lock().unwrap_or_else(|e| e.into_inner()));
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let others: Mutex<BTreeMap<String, u64>> = Mutex::default();
        // Compressed size of a file a page loads (the theme's are known; others are read once).
        let size_of = |url: &str| -> u64 {
            if let Some(s) = self.static_size(url) {
                return s;
            }
            let Some(rel) = self.rel(url) else { return 0 };
            if let Some(s) = others.lock().ok().and_then(|c| c.get(&rel).copied()) {
                return s;
            }
            let path = dir.join(&rel);
            let s = std::fs::read(&path).map(|b| if is_text(&rel) { gz_size(&path, &b) } else { b.len() as u64 }).unwrap_or(0);
            if let Ok(mut c) = others.lock() {
                c.insert(rel, s);
            }
            s
        };
        let severity = if strict { Severity::Error } else { Severity::Warning };
        // The raw size from which a page counts among the 1 % largest.
        let mut raw: Vec<u64> = pages.iter().map(|p| p.raw).collect();
        raw.sort_unstable();
        let large = raw.len().checked_sub(raw.len() / 100 + 1).and_then(|i| raw.get(i)).copied().unwrap_or(0);
        let results: Vec<(Weight, Vec<Diagnostic>)> = pages
            .par_iter()
            .filter_map(|page| {
                let css: u64 = page.stylesheets.iter().map(|u| size_of(u)).sum();
                let eager_images: u64 = page.eager_images.iter().map(|u| size_of(u)).sum();
                let blocking_js: u64 = page.blocking_scripts.iter().map(|u| size_of(u)).sum();
                let html_gz = match page.gz {
                    Some(gz) => gz,
                    None if page.raw < large && self.proven(page, &|u| Some(size_of(u))) => return None,
                    None => std::fs::read(dir.join(&page.path)).map(|b| search_index::gzip(&b).len() as u64).unwrap_or(page.raw),
                };
                let rel = &page.path;
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
        // Web fonts: no stylesheet a page loads may load one.
        let mut loaded: Vec<String> = pages.iter().flat_map(|p| p.stylesheets.iter().filter_map(|u| self.rel(u))).collect();
        loaded.sort();
        loaded.dedup();
        for rel in loaded {
            let font = self.web_fonts.contains(&rel)
                || (!self.statics.contains_key(&rel) && std::fs::read(dir.join(&rel)).is_ok_and(|c| contains(&c, b"@font-face")));
            if font {
                problems.push(Diagnostic { severity, ..Diagnostic::error(&rel, "the stylesheet loads a web font (@font-face)") }
                    .hint("use system fonts: every phone has fonts for Latin, Arabic and Persian script, a web font costs every visitor data"));
            }
        }
        Report { weights, pages: pages.len(), problems }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The compressed size: the precompressed `.gz` beside the file, or what it would be.
fn gz_size(path: &Path, bytes: &[u8]) -> u64 {
    let gz = path.file_name().map(|n| path.with_file_name(format!("{}.gz", n.to_string_lossy())));
    gz.and_then(|gz| std::fs::metadata(gz).ok()).map(|m| m.len()).unwrap_or_else(|| search_index::gzip(bytes).len() as u64)
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
        if weights.len() < report.pages { format!(" (median of {} measured; the others are within the budgets by their raw size or their size at gzip level 1)", weights.len()) } else { String::new() },
        kb(FIRST_ROUND_TRIP), kb(median(&first)), kb(*first.last().unwrap_or(&0)), over(&first, FIRST_ROUND_TRIP),
        kb(TO_RENDER), kb(median(&render)), kb(*render.last().unwrap_or(&0)), over(&render, TO_RENDER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of ~13 KB like the bench site's articles: text that compresses to about half.
    fn page() -> Vec<u8> {
        let mut html = String::from("<!doctype html><html lang=de><head><title>Seite</title></head><body><main>");
        let mut x: u32 = 7;
        while html.len() < 13_000 {
            html.push_str("<p>");
            for _ in 0..12 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let word = ["Beratung", "Wohnung", "Sprachkurs", "Arbeit", "Anerkennung", "Kita", "Schule", "Ärztin"][(x >> 16) as usize % 8];
                html.push_str(&format!("{word}{} ", (x >> 8) % 97));
            }
            html.push_str("</p>");
        }
        html.push_str("</main></body></html>");
        html.into_bytes()
    }

    #[test]
    fn the_split_bound_is_never_below_the_size_at_level_1_and_shrinks_with_the_prefix() {
        let html = page();
        let level1 = search_index::gzip_fast(&html).len() as u64;
        let bounds: Vec<u64> = [0, 1_000, 4_000, 8_000, html.len()].iter().map(|&n| split_bound(&html, n)).collect();
        assert!(bounds.iter().all(|&b| b >= level1), "{bounds:?} vs {level1}");
        assert!(bounds.windows(2).all(|w| w[0] > w[1]), "{bounds:?}");
        let empty = search_index::gzip_fast(b"").len() as u64;
        assert_eq!(bounds[0], gzip_bound(html.len() as u64) + empty, "nothing compressed: the raw bound and an empty stream");
        assert_eq!(bounds[4], level1, "all of it compressed: its size at level 1");
    }

    #[test]
    fn a_page_above_the_raw_bound_is_proven_by_compressing_a_part_of_it() {
        let html = page();
        let room = FIRST_ROUND_TRIP - 2_000; // a stylesheet of 2 KB
        assert!(gzip_bound(html.len() as u64) > room);
        let prefix = (2 * (gzip_bound(html.len() as u64) - room) + 2048) as usize;
        assert!(prefix < html.len() / 2, "{prefix} of {}", html.len());
        assert!(split_bound(&html, prefix) <= room);
    }
}
