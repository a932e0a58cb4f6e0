//! Resolution: links translations by key, decides which page each language shows
//! (its own or a fallback), gives every page its URL, resolves internal links and
//! renders the Markdown. The result is the whole site, ready for templates.

use crate::config::SiteConfig;
use crate::content::{Asset, Content, SourcePage};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::images::Images;
use crate::markdown::{self, LinkResolver, Rendered};
use rayon::prelude::*;
use std::collections::BTreeMap;

pub struct Site {
    pub config: SiteConfig,
    /// Published pages (drafts left out), sorted by key then language order.
    pub pages: Vec<SourcePage>,
    /// Markdown output, one per page, same order.
    pub rendered: Vec<Rendered>,
    pub assets: Vec<Asset>,
    /// Resized content images by their path in content/ (see `images`).
    pub images: Images,
    /// key → language → index in `pages`: the translations that really exist.
    pub translations: BTreeMap<String, BTreeMap<String, usize>>,
    /// (key, language) → the page shown there, own or fallback, and its URL path
    /// relative to the base path (`de/arbeit/anerkennung/`).
    pub shown: BTreeMap<(String, String), (usize, String)>,
    /// key → the keys directly below it (`""` → `arbeit`, `impressum`; `arbeit` → `arbeit/jobs`).
    pub children: BTreeMap<String, Vec<String>>,
    /// "Now" in the site's time zone: what has expired or is over (see `types::view::now`).
    pub now: portal_data::calendar::LocalDateTime,
}

impl Site {
    pub fn resolve(config: SiteConfig, mut content: Content, include_drafts: bool) -> (Site, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let images = std::mem::take(&mut content.images);
        let lang_order = |code: &str| config.languages.iter().position(|l| l.code == code).unwrap_or(usize::MAX);
        let mut pages: Vec<SourcePage> = content.pages.into_iter().filter(|p| include_drafts || !p.fm.draft).collect();
        pages.sort_by(|a, b| (&a.key, lang_order(&a.lang), &a.file).cmp(&(&b.key, lang_order(&b.lang), &b.file)));

        // Two files for the same key and language (`x.md` and `x.de.md`).
        let mut translations: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut duplicate = vec![false; pages.len()];
        for (i, p) in pages.iter().enumerate() {
            let entry = translations.entry(p.key.clone()).or_default();
            if let Some(&first) = entry.get(&p.lang) {
                errors.push(same_url_error(p, &pages[first]));
                duplicate[i] = true;
            } else {
                entry.insert(p.lang.clone(), i);
            }
        }

        // Which page each language shows for each key, and where.
        let mut shown = BTreeMap::new();
        for (key, langs) in &translations {
            for l in &config.languages {
                let idx = langs.get(&l.code).copied().or_else(|| {
                    config.fallback_chain(&l.code).iter().find_map(|c| langs.get(*c).copied())
                }).or_else(|| {
                    config.languages.iter().find_map(|o| langs.get(&o.code).copied())
                });
                if let Some(idx) = idx {
                    let url = url_path(&l.code, key, pages[idx].fm.slug.as_deref());
                    shown.insert((key.clone(), l.code.clone()), (idx, url));
                }
            }
        }
        // Two keys whose slugs make the same URL.
        let mut by_url: BTreeMap<&str, usize> = BTreeMap::new();
        for ((key, lang), (idx, url)) in &shown {
            if translations[key].get(lang) != Some(idx) {
                continue;
            }
            if let Some(&other) = by_url.get(url.as_str()) {
                if !duplicate[*idx] {
                    errors.push(same_url_error(&pages[*idx], &pages[other]));
                }
            } else {
                by_url.insert(url, *idx);
            }
        }

        let results: Vec<(Rendered, Vec<Diagnostic>)> = pages
            .par_iter()
            .map(|p| {
                let r = render_markdown(p, &p.lang, &config, &translations, &shown, &content.assets, &images);
                let at = |d: Diagnostic, offset: usize, hint: &str| d.at_offset(&p.source, p.body_offset + offset).hint(hint);
                let errs = r
                    .problems
                    .iter()
                    .map(|(offset, message, hint)| at(Diagnostic::error(&p.file, message.clone()), *offset, hint))
                    .chain(r.warnings.iter().map(|(offset, message, hint)| at(Diagnostic::warning(&p.file, message.clone()), *offset, hint)))
                    .collect();
                (r, errs)
            })
            .collect();
        let mut rendered = Vec::with_capacity(results.len());
        for (r, mut e) in results {
            errors.append(&mut e);
            rendered.push(r);
        }
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in translations.keys().filter(|k| !k.is_empty()) {
            let parent = key.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
            children.entry(parent).or_default().push(key.clone());
        }
        (Site { config, pages, rendered, assets: content.assets, images, translations, shown, children, now: portal_data::calendar::LocalDateTime::new(1970, 1, 1, 0, 0) }, errors)
    }

    /// URL path (relative to the base path) of `key` as shown in `lang`.
    pub fn url_of(&self, key: &str, lang: &str) -> Option<&str> {
        self.shown.get(&(key.to_string(), lang.to_string())).map(|(_, u)| u.as_str())
    }

    /// The page shown for `key` in `lang` (its own or a fallback).
    pub fn shown_page(&self, key: &str, lang: &str) -> Option<usize> {
        self.shown.get(&(key.to_string(), lang.to_string())).map(|(i, _)| *i)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.translations.keys()
    }

    pub fn children_of(&self, key: &str) -> &[String] {
        self.children.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The Markdown of page `idx` rendered for a reader of `lang`: a fallback page's
    /// links lead to the reader's language, not to the language of its text.
    pub fn markdown_for(&self, idx: usize, lang: &str) -> Rendered {
        render_markdown(&self.pages[idx], lang, &self.config, &self.translations, &self.shown, &self.assets, &self.images)
    }
}

/// A page's Markdown as HTML, its links leading to pages in `link_lang`.
fn render_markdown(
    page: &SourcePage,
    link_lang: &str,
    config: &SiteConfig,
    translations: &BTreeMap<String, BTreeMap<String, usize>>,
    shown: &BTreeMap<(String, String), (usize, String)>,
    assets: &[Asset],
    images: &Images,
) -> Rendered {
    let resolver = Resolver { page, link_lang, config, translations, shown, assets, images };
    let language = config.language(&page.lang);
    let rtl = language.is_some_and(|l| l.is_rtl());
    let lang = language.map(|l| l.lang.as_str()).unwrap_or(&page.lang);
    let mut r = markdown::render(page.body(), lang, rtl, &resolver);
    // Without raw HTML the output is Lotse's own (text escaped, link targets checked); with it,
    // only a trusting site keeps it as written, and never for an entry the public submitted.
    let public = page.typed.as_ref().is_some_and(|t| t.kind == "exchange");
    if r.raw_html && (public || !config.trusted_html) {
        r.html = crate::sanitize::clean(&r.html);
    }
    r
}

fn same_url_error(p: &SourcePage, other: &SourcePage) -> Diagnostic {
    Diagnostic::error(&p.file, format!("this file and {} both make the page /{}/{}", other.file.display(), p.lang, p.key))
        .at(&p.source, 1, 1)
        .hint("rename one of the two files, or give one a different `slug`")
}

/// `de` + `arbeit/anerkennung` + slug `jobs` → `de/arbeit/jobs/`.
pub fn url_path(lang: &str, key: &str, slug: Option<&str>) -> String {
    let mut segments: Vec<String> = if key.is_empty() { Vec::new() } else { key.split('/').map(url_segment).collect() };
    if let (Some(slug), Some(last)) = (slug, segments.last_mut()) {
        *last = slug.to_string();
    }
    let mut url = format!("{lang}/");
    for s in segments {
        url.push_str(&s);
        url.push('/');
    }
    url
}

/// A file name as a URL segment: spaces become `-`, everything else stays.
fn url_segment(s: &str) -> String {
    s.trim().replace(char::is_whitespace, "-")
}

struct Resolver<'a> {
    page: &'a SourcePage,
    /// The language whose pages links lead to.
    link_lang: &'a str,
    config: &'a SiteConfig,
    translations: &'a BTreeMap<String, BTreeMap<String, usize>>,
    shown: &'a BTreeMap<(String, String), (usize, String)>,
    assets: &'a [Asset],
    images: &'a Images,
}

impl LinkResolver for Resolver<'_> {
    fn image(&self, target: &str) -> Option<(&crate::images::Image, &str)> {
        let base = self.config.base_path.as_str();
        let url = self.resolve(target).ok()??;
        Some((self.images.get(url.strip_prefix(base)?)?, base))
    }

    fn resolve(&self, target: &str) -> Result<Option<String>, (String, String)> {
        let t = target.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('/') || t.starts_with("//") || has_scheme(t) {
            return Ok(None);
        }
        let (path, anchor) = match t.find(['#', '?']) {
            Some(i) => (&t[..i], &t[i..]),
            None => (t, ""),
        };
        let base = &self.config.base_path;
        // `www.bamf.de/asyl` or `bamf.de/asyl`: an address on another site, written without its scheme.
        let first = path.split('/').next().unwrap_or(path);
        if path.starts_with("www.") || (path.contains('/') && first.contains('.') && first != "." && first != ".." && !path.starts_with("@/")) {
            return Err((format!("the link `{target}` is missing its https://"), format!("write `https://{path}`")));
        }
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if !path.is_empty() && (!file_name.contains('.') || file_name == "." || file_name == "..") {
            return self.page_link(target, path, anchor);
        }
        let here = self.page.rel.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        let joined = match path.strip_prefix("@/") {
            Some(abs) => Some(abs.to_string()),
            None => normalize(&here, path),
        };
        let Some(joined) = joined else {
            return Err((format!("the link `{target}` leaves the content folder"), "link to a page inside content/".into()));
        };
        if let Some(stem) = joined.strip_suffix(".md") {
            let stem = match stem.rsplit_once('.') {
                Some((s, suffix)) if self.config.language(suffix).is_some() => s,
                _ => stem,
            };
            let key = match stem.rsplit_once('/') {
                Some((dir, "_index")) => dir.to_string(),
                None if stem == "_index" => String::new(),
                _ => stem.to_string(),
            };
            return match self.shown.get(&(key.clone(), self.link_lang.to_string())) {
                Some((_, url)) => Ok(Some(format!("{base}{url}{anchor}"))),
                None => {
                    let hint = match did_you_mean(&key, self.translations.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean `@/{s}.md`?"),
                        None => "link to an existing page as `@/section/page.md` (the path inside content/, without language)".into(),
                    };
                    Err((format!("the link `{target}` points to a page that does not exist"), hint))
                }
            };
        }
        // Links to files are rare: a scan beats building a set for every page.
        if self.assets.iter().any(|a| a.rel == joined) {
            return Ok(Some(format!("{base}{joined}{anchor}")));
        }
        if file_name.contains('.') {
            return Err((format!("the link `{target}` points to a file that is not in content/"), "put the file next to the page in content/, or fix the name".into()));
        }
        Ok(None)
    }
}

impl Resolver<'_> {
    /// A link written as a URL, not a file: `../arbeit/`, `kontakt`, `@/arbeit/`. A browser resolves a relative
    /// one against the page's own URL, which is where the page is shown, so the link must lead to a page
    /// there; before, such links were left as they were and broke without an error.
    fn page_link(&self, target: &str, path: &str, anchor: &str) -> Result<Option<String>, (String, String)> {
        let base = &self.config.base_path;
        // `%C3%BCber-uns` is `über-uns`, as the pages' URLs are kept.
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map(|p| p.into_owned());
        let path = decoded.as_deref().unwrap_or(path);
        let lang = self.link_lang;
        let missing = |leads_to: String| {
            // What the editor may have meant: the path taken from the page's file, as `.md` links are.
            let file_key = normalize(self.page.rel.rsplit_once('/').map_or("", |(dir, _)| dir), path);
            let hint = match file_key.filter(|k| self.translations.contains_key(k)) {
                Some(k) => {
                    // A key with pages below it is a section, whose file is `_index` (`@/k.md` would work too).
                    let prefix = format!("{k}/");
                    let section = self.translations.range(prefix.clone()..).next().is_some_and(|(next, _)| next.starts_with(&prefix));
                    let file = if section { format!("{k}/_index.md") } else { format!("{k}.md") };
                    format!("links between pages name the page's file: write `@/{file}`")
                }
                None => "link to an existing page as `@/section/page.md` (the path inside content/, without language)".into(),
            };
            Err((format!("the link `{target}` points to a page that does not exist (it leads to {leads_to})"), hint))
        };
        if let Some(abs) = path.strip_prefix("@/") {
            let key = abs.trim_matches('/').to_string();
            return match self.shown.get(&(key.clone(), lang.to_string())) {
                Some((_, url)) => Ok(Some(format!("{base}{url}{anchor}"))),
                None => missing(format!("content/{key}")),
            };
        }
        let Some((_, here)) = self.shown.get(&(self.page.key.clone(), lang.to_string())) else { return Ok(None) };
        let Some(joined) = normalize(here, path) else {
            return Err((format!("the link `{target}` leaves the site"), "link to a page as `@/section/page.md` (the path inside content/, without language)".into()));
        };
        let url = if joined.is_empty() { String::new() } else { format!("{joined}/") };
        // Pages the build makes besides the content: the language chooser, search, taxonomies, the offline
        // page, and the further pages of a list.
        let mut segments = joined.split('/');
        let generated = joined.is_empty()
            || (self.config.language(segments.next().unwrap_or_default()).is_some()
                && segments.next().is_none_or(|s| ["search", "offline"].contains(&s) || crate::render::TAXONOMIES.contains(&s)))
            || joined.contains("/page/");
        if generated || self.shown.values().any(|(_, u)| *u == url) {
            return Ok(Some(format!("{base}{url}{anchor}")));
        }
        missing(format!("/{url}"))
    }
}

fn has_scheme(t: &str) -> bool {
    match t.find(':') {
        Some(i) => t[..i].chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') && i > 0,
        None => false,
    }
}

/// Joins a relative path to a folder; `None` if it climbs above content/.
fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_slugs() {
        assert_eq!(url_path("de", "", None), "de/");
        assert_eq!(url_path("de", "arbeit/anerkennung", None), "de/arbeit/anerkennung/");
        assert_eq!(url_path("ar", "arbeit/anerkennung", Some("x")), "ar/arbeit/x/");
    }

    #[test]
    fn relative_paths_stay_inside() {
        assert_eq!(normalize("arbeit", "../wohnen/miete.md").as_deref(), Some("wohnen/miete.md"));
        assert_eq!(normalize("", "../../etc/passwd"), None);
    }
}
