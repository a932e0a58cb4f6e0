//! Internal links and anchors, checked on the rendered HTML of every page in every language: every
//! `href`/`src` to the site itself (relative, starting with the base path, or an absolute URL under
//! `base_url`) must name a written file (or a folder with `index.html`), and a `#fragment` must be an
//! `id` (or `<a name>`) on the target page. The same walk collects the external `<a href>` links.

use crate::diagnostic::{Diagnostic, did_you_mean};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

/// What the walk found on one page.
#[derive(Default)]
pub struct PageLinks {
    /// `(tag, attribute, value)` of every `href` and `src`, entities decoded.
    pub links: Vec<(String, String, String)>,
    /// Every `id`, and `name` of `<a>`.
    pub ids: HashSet<String>,
}

/// Where a page's problems are reported: the content files it comes from (its own, then the
/// default-language file its facts are taken from), or, for a generated page (tag lists, search,
/// pagination), none: then its output path is named.
pub struct Source<'a> {
    pub files: Vec<(String, &'a str)>,
}

/// An external link and where it appears.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalUse {
    pub url: String,
    /// Output path of the page it is on.
    pub page: String,
}

#[derive(Default)]
pub struct Outcome {
    pub pages: usize,
    pub internal: usize,
    pub anchors: usize,
    pub problems: Vec<Diagnostic>,
    pub external: Vec<ExternalUse>,
}

static SCRIPT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)(<script\b[^>]*>).*?</script\s*>|(<style\b[^>]*>).*?</style\s*>|<!--.*?-->").expect("regex"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#).expect("regex"));

/// Links and ids of one HTML document.
pub fn parse(html: &str) -> PageLinks {
    // Script and style bodies and comments are not markup; a script's own tag (its `src`) is.
    let cleaned = SCRIPT.replace_all(html, |c: &regex::Captures| {
        c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string()).unwrap_or_default()
    });
    let mut out = PageLinks::default();
    for c in TAG.captures_iter(&cleaned) {
        let tag = c[1].to_ascii_lowercase();
        for (name, value) in attributes(&c[2]) {
            match name.as_str() {
                "href" | "src" => out.links.push((tag.clone(), name, decode_entities(&value))),
                "id" => {
                    out.ids.insert(decode_entities(&value));
                }
                "name" if tag == "a" => {
                    out.ids.insert(decode_entities(&value));
                }
                _ => {}
            }
        }
    }
    out
}

/// The attributes of a tag (`name`, value), names in lower case; tolerant of minified markup
/// (unquoted values, no space after a quoted value).
fn attributes(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>' | b'"' | b'\'') {
            i += 1;
        }
        if i == start {
            i += 1; // a stray quote
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[vs..i.min(b.len())].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[vs..i].to_string();
            }
        }
        out.push((name, value));
    }
    out
}

/// `&amp;`, `&quot;`, `&#39;`, `&#x27;` … in an attribute value.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `%C3%BC` → `ü` (invalid sequences stay as they are).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// File, line, column and what is broken: one problem however many pages show it.
type MergeKey = (std::path::PathBuf, usize, usize, String);

/// Where a link leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site: its path relative to the output root (decoded, no query), and the fragment.
    Internal { path: String, fragment: Option<String> },
    /// On the same host but outside the base path: never part of this site.
    Outside(String),
    External(String),
    /// `mailto:`, `tel:`, `data:`, empty …
    Skip,
}

/// Classifies `href` found on the page at output path `page` (`de/arbeit/index.html`).
pub fn classify(href: &str, page: &str, base_url: &str, base_path: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Skip;
    }
    let absolute_path: String = if let Some(frag) = href.strip_prefix('#') {
        return Target::Internal { path: page.to_string(), fragment: Some(percent_decode(frag)) };
    } else if let Some(rest) = href.strip_prefix("//") {
        return classify(&format!("https://{rest}"), page, base_url, base_path);
    } else if let Some(scheme) = scheme(href) {
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return Target::Skip;
        }
        let site = base_url.split_once("://").map(|(_, r)| r).unwrap_or(base_url);
        let this = href.split_once("://").map(|(_, r)| r).unwrap_or(href);
        // The site's own absolute URLs (canonical, alternates) under either scheme.
        match strip_prefix_ci(this, site) {
            Some(rest) => format!("{base_path}{rest}"),
            None if strip_prefix_ci(&format!("{this}/"), site) == Some("") => base_path.to_string(),
            None => return Target::External(href.to_string()),
        }
    } else if href.starts_with('/') {
        href.to_string()
    } else {
        let dir = match page.rsplit_once('/') {
            Some((d, _)) => format!("{base_path}{d}/"),
            None => base_path.to_string(),
        };
        format!("{dir}{href}")
    };
    let (before_frag, fragment) = match absolute_path.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (absolute_path.as_str(), None),
    };
    let path = before_frag.split('?').next().unwrap_or(before_frag);
    let path = normalize(path);
    match path.strip_prefix(base_path) {
        Some(rel) => Target::Internal { path: percent_decode(rel), fragment },
        None if format!("{path}/") == base_path => Target::Internal { path: String::new(), fragment },
        None => Target::Outside(path),
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn scheme(t: &str) -> Option<&str> {
    let i = t.find(':')?;
    let s = &t[..i];
    (i > 0 && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) && !t[..i].contains('/')).then_some(s)
}

/// Resolves `.` and `..` in an absolute path, keeping a trailing `/`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The written file a site path names: itself, or `index.html` in it.
fn existing(path: &str, files: &HashSet<String>) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return files.contains(&index).then_some(index);
    }
    if files.contains(path) {
        return Some(path.to_string());
    }
    let index = format!("{path}/index.html");
    files.contains(&index).then_some(index)
}

/// The page's URL as a reader sees it (`/de/arbeit/`).
fn page_url(page: &str, base_path: &str) -> String {
    format!("{base_path}{}", page.strip_suffix("index.html").unwrap_or(page))
}

/// Checks every HTML page of `dir`. `files`: every written path; `sources`: output path of a page →
/// its content file and text.
pub fn check(dir: &Path, files: &[String], base_url: &str, base_path: &str, sources: &BTreeMap<String, Source>) -> Outcome {
    use rayon::prelude::*;
    let html: Vec<&String> = files.iter().filter(|p| p.ends_with(".html")).collect();
    let parsed: HashMap<String, PageLinks> = html
        .par_iter()
        .map(|p| {
            let text = std::fs::read(dir.join(p.as_str())).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            ((*p).clone(), parse(&text))
        })
        .collect();
    let file_set: HashSet<String> = files.iter().cloned().collect();
    let mut out = Outcome { pages: html.len(), ..Default::default() };
    let mut merged: BTreeMap<MergeKey, (Diagnostic, usize)> = BTreeMap::new();
    let mut external = BTreeSet::new();
    let mut pages: Vec<&String> = parsed.keys().collect();
    pages.sort();
    for page in pages {
        let links = &parsed[page];
        let source = sources.get(page.as_str());
        for (tag, _attr, value) in &links.links {
            // One link in a content file is on the page in every language: reported once, with a count.
            let mut report = |message: String, hint: String, needles: &[&str], same: String| {
                let d = locate(Diagnostic::error("", message).hint(hint), source, page, needles);
                let key = (d.file.clone(), d.line, d.column, same);
                merged.entry(key).or_insert((d, 0)).1 += 1;
            };
            match classify(value, page, base_url, base_path) {
                Target::Skip => {}
                Target::External(url) => {
                    if tag == "a" || tag == "area" {
                        external.insert(ExternalUse { url, page: page.clone() });
                    }
                }
                Target::Outside(path) => {
                    out.internal += 1;
                    report(
                        format!("the link `{value}` on {} leaves the site: it is outside the base path `{base_path}`", page_url(page, base_path)),
                        "link to pages by their path inside content/ (`@/section/page.md`), so the base path is added for you".to_string(),
                        &[value, &path],
                        format!("outside {value}"),
                    );
                }
                Target::Internal { path, fragment } => {
                    if !value.starts_with('#') {
                        out.internal += 1;
                    }
                    let Some(target) = existing(&path, &file_set) else {
                        let wanted = format!("{path}index.html");
                        // Not the page the link is on, in any language: its URL is close to every relative link's target.
                        let without_lang = |f: &str| f.split_once('/').map_or(f, |(_, rest)| rest).to_string();
                        let here = without_lang(page);
                        let pages_here = file_set.iter().filter(|f| f.ends_with("index.html") && without_lang(f) != here).map(|f| f.as_str());
                        let guess = did_you_mean(if path.ends_with('/') || path.is_empty() { &wanted } else { &path }, pages_here);
                        let hint = match guess {
                            Some(g) => format!("did you mean {}?", page_url(g, base_path)),
                            None => "link to an existing page as `@/section/page.md` (the path inside content/, without language); Lotse then checks it at build time".into(),
                        };
                        let tail = path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
                        report(
                            format!("the link `{value}` on {} points to /{path}, which the site does not have", page_url(page, base_path)),
                            hint,
                            &[value, &format!("{base_path}{path}"), &tail],
                            format!("missing {}", path.split_once('/').map(|(_, r)| r).unwrap_or(&path)),
                        );
                        continue;
                    };
                    let Some(fragment) = fragment else { continue };
                    if fragment.is_empty() || !target.ends_with(".html") {
                        continue;
                    }
                    out.anchors += 1;
                    let Some(ids) = parsed.get(&target).map(|p| &p.ids) else { continue };
                    if ids.contains(&fragment) || fragment.eq_ignore_ascii_case("top") {
                        continue;
                    }
                    let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
                    known.sort();
                    let hint = match did_you_mean(&fragment, known.iter().copied()) {
                        Some(s) => format!("did you mean `#{s}`?"),
                        None => {
                            let headings: Vec<&str> = known.iter().copied().filter(|k| !is_theme_id(k)).take(8).collect();
                            if headings.is_empty() {
                                "that page has no headings with ids; link to the page without `#…`".into()
                            } else {
                                format!("link to an id that page has (translations have their own heading ids), such as {}", headings.iter().map(|h| format!("`#{h}`")).collect::<Vec<_>>().join(", "))
                            }
                        }
                    };
                    let target_url = page_url(&target, base_path);
                    let where_ = if target == *page { "this page".to_string() } else { target_url };
                    report(
                        format!("the link `{value}` on {} points to the anchor `#{fragment}`, which {where_} does not have", page_url(page, base_path)),
                        hint,
                        &[&format!("#{fragment})"), &format!("#{fragment}\""), &format!("#{fragment}"), value],
                        format!("anchor {fragment}"),
                    );
                }
            }
        }
    }
    for (_, (mut d, n)) in merged {
        if n > 1 {
            d.message.push_str(&format!(" (and on {} more page{})", n - 1, if n == 2 { "" } else { "s" }));
        }
        out.problems.push(d);
    }
    out.external = external.into_iter().collect();
    out
}

/// Ids the theme puts on every page (skip link target, menus): not worth suggesting.
fn is_theme_id(id: &str) -> bool {
    matches!(id, "main" | "content" | "nav" | "menu" | "search" | "top" | "footer" | "header") || id.starts_with("fn") || id.starts_with("fnref")
}

/// The first of `needles` in the page's content files (its own first): file, text, byte offset.
pub fn find<'a>(source: Option<&Source<'a>>, needles: &[&str]) -> Option<(String, &'a str, usize)> {
    for (file, text) in &source?.files {
        for n in needles.iter().filter(|n| n.len() > 1) {
            if let Some(i) = text.find(n) {
                return Some((file.clone(), text, i));
            }
        }
    }
    None
}

/// Points `d` at the first of `needles` found in the page's content files (its own first), else at
/// line 1 of its own file; a generated page is named by its output path.
pub fn locate(mut d: Diagnostic, source: Option<&Source>, page: &str, needles: &[&str]) -> Diagnostic {
    if let Some((file, text, i)) = find(source, needles) {
        d.file = file.into();
        // `#frag)` and `#frag"`: point at the `#`.
        return d.at_offset(text, i);
    }
    match source.and_then(|s| s.files.first()) {
        Some((file, text)) => {
            d.file = file.into();
            d.at(text, 1, 1)
        }
        None => {
            d.file = format!("{page} (generated page)").into();
            d
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_attributes() {
        let p = parse(r#"<a href=/de/x/#y class=a>x</a><h2 id="kosten"class=b>K</h2><img src='/a.png'><script>var s="<a href=/nope>"</script><a name=alt></a>"#);
        assert_eq!(p.links.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(), ["/de/x/#y", "/a.png"]);
        assert!(p.ids.contains("kosten") && p.ids.contains("alt"));
    }

    #[test]
    fn classifies_links() {
        let b = "https://example.org/portal/";
        assert_eq!(classify("#a", "de/x/index.html", b, "/portal/"), Target::Internal { path: "de/x/index.html".into(), fragment: Some("a".into()) });
        assert_eq!(classify("/portal/de/y/#k", "de/x/index.html", b, "/portal/"), Target::Internal { path: "de/y/".into(), fragment: Some("k".into()) });
        assert_eq!(classify("../y/", "de/x/index.html", b, "/portal/"), Target::Internal { path: "de/y/".into(), fragment: None });
        assert_eq!(classify("https://example.org/portal/ar/", "de/index.html", b, "/portal/"), Target::Internal { path: "ar/".into(), fragment: None });
        assert_eq!(classify("/other/", "de/index.html", b, "/portal/"), Target::Outside("/other/".into()));
        assert_eq!(classify("https://www.bamf.de/", "de/index.html", b, "/portal/"), Target::External("https://www.bamf.de/".into()));
        assert_eq!(classify("mailto:a@b.de", "de/index.html", b, "/portal/"), Target::Skip);
        assert_eq!(classify("/portal/de/gr%C3%B6%C3%9Fe/", "de/index.html", b, "/portal/"), Target::Internal { path: "de/größe/".into(), fragment: None });
    }

    #[test]
    fn entities_and_percent() {
        assert_eq!(decode_entities("a&amp;b&#39;c&#x27;"), "a&b'c'");
        assert_eq!(percent_decode("gr%C3%B6%C3%9Fe%zz"), "größe%zz");
    }
}
