//! Rendering: builds the template context of every output page (pages, section
//! lists with pagination, taxonomies, the search page, 404 pages, the language
//! chooser, alias redirects) and renders them with Tera, in parallel.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::i18n::I18n;
use crate::markdown::{isolate_plain, slugify};
use crate::site::Site;
use crate::theme::{Theme, tera_error_parts};
use crate::types;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A file of the output: path relative to the output root, and its bytes.
#[derive(Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Tags and categories of every page; districts and target groups (facets of the content types,
/// named through i18n) only when some entry has one.
/// Titles per page of the search page's A–Z list.
const SEARCH_LIST_PER_PAGE: usize = 100;

pub const TAXONOMIES: &[&str] = &["tags", "categories", "districts", "target-groups"];

#[derive(Serialize, Clone)]
struct LangCtx<'a> {
    code: &'a str,
    lang: &'a str,
    dir: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Link {
    url: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    current: bool,
}

#[derive(Serialize)]
struct Translation<'a> {
    url: String,
    name: &'a str,
    lang: &'a str,
    hreflang: String,
    current: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

#[derive(Serialize, Clone)]
struct Card {
    url: String,
    title: String,
    description: Option<String>,
    /// Set when the card's text is in another language than the page around it.
    lang: Option<String>,
    dir: Option<String>,
    only_in: Option<String>,
    /// The entry's facts (a page of a content type), see `types::view::data`.
    data: Option<serde_json::Value>,
    /// Heading of the group the card starts (events by month, links by category).
    group: Option<String>,
    /// Its number on the list's map.
    marker: Option<String>,
    #[serde(skip)]
    sort: (i64, String, String),
    /// The page shown (index in `site.pages`).
    #[serde(skip)]
    idx: usize,
}

#[derive(Serialize)]
struct TermRef {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    key: &'a str,
    lang: &'a str,
    title: &'a str,
    title_html: String,
    description: Option<&'a str>,
    content: &'a str,
    date: Option<String>,
    date_local: Option<String>,
    updated: Option<String>,
    updated_local: Option<String>,
    tags: Vec<TermRef>,
    categories: Vec<TermRef>,
    toc: Vec<TocEntry<'a>>,
    url: String,
    permalink: String,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    count: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    label: String,
    url: String,
    current: bool,
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub i18n: &'a I18n,
    /// Fingerprinted asset URLs by template name (`style_css`).
    pub assets: &'a BTreeMap<String, String>,
    pub search_js: String,
    /// The region's outline for maps (site.yaml `map_outline`).
    pub outline: Option<portal_data::map::Outline>,
    /// [`Renderer::common`] without the title, by language and current top-level section: the same for
    /// thousands of pages, and building it anew for each was 2 % of a build's CPU.
    pub common_cache: std::sync::Mutex<std::collections::HashMap<(String, Option<String>), tera::Context>>,
}

/// Everything a language's terms know: slug → (name, pages showing it).
type Terms = BTreeMap<String, (String, Vec<usize>)>;

impl<'a> Renderer<'a> {
    fn base(&self) -> &str {
        &self.site.config.base_path
    }
    fn href(&self, rel: &str) -> String {
        encode_uri(&format!("{}{rel}", self.base()))
    }
    fn permalink(&self, rel: &str) -> String {
        encode_uri(&format!("{}{rel}", self.site.config.base_url))
    }
    fn lang_ctx(&self, code: &str) -> LangCtx<'_> {
        let l = self.site.config.language(code).expect("declared language");
        LangCtx { code: &l.code, lang: &l.lang, dir: &l.dir, name: &l.name }
    }

    /// Renders every page and hands each file to `write` as soon as it is rendered.
    /// Returns the problems.
    pub fn render_all(&self, write: &(dyn Fn(&OutFile) -> std::io::Result<()> + Sync)) -> Vec<Diagnostic> {
        let site = self.site;
        let terms = self.taxonomies();
        let mut jobs: Vec<Box<dyn Fn() -> Result<Vec<OutFile>, Diagnostic> + Sync + '_>> = Vec::new();
        for key in site.keys() {
            for l in &site.config.languages {
                let code = l.code.as_str();
                jobs.push(Box::new(move || self.render_key(key, code)));
            }
        }
        for ((lang, tax), t) in &terms {
            jobs.push(Box::new(move || self.render_taxonomy(lang, tax, t)));
            for (slug, (name, pages)) in t {
                jobs.push(Box::new(move || self.render_term(lang, tax, slug, name, pages)));
            }
        }
        for l in &site.config.languages {
            let code = l.code.as_str();
            jobs.push(Box::new(move || self.render_search(code)));
            jobs.push(Box::new(move || self.render_404(code)));
            jobs.push(Box::new(move || self.render_offline(code)));
        }
        jobs.push(Box::new(|| self.render_chooser()));
        jobs.push(Box::new(|| self.render_aliases()));

        jobs.par_iter()
            .filter_map(|j| match j() {
                // A job's files (pages of a list) are minified and written in parallel too.
                Ok(files) => files.par_iter().find_map_first(|f| {
                    write(f).err().map(|e| Diagnostic::error(&f.path, format!("cannot write the output: {e}"))
                        .hint("check that the output folder is writable and the disk is not full"))
                }),
                Err(e) => Some(e),
            })
            .collect()
    }

    /// The taxonomies that get pages, per language: tags and categories always (an empty list says so),
    /// districts and target groups only when some entry has one.
    fn taxonomies(&self) -> BTreeMap<(&'a str, &'static str), Terms> {
        self.site
            .config
            .languages
            .iter()
            .flat_map(|l| TAXONOMIES.iter().map(move |t| (l.code.as_str(), *t)))
            .map(|(lang, tax)| ((lang, tax), self.collect_terms(lang, tax)))
            .filter(|((_, tax), t)| !t.is_empty() || ["tags", "categories"].contains(tax))
            .collect()
    }

    /// The taxonomy and term pages (first page of each), for the sitemap: path below the language
    /// (`categories/`, `categories/health/`) → the languages that have it.
    pub fn taxonomy_pages(&self) -> BTreeMap<String, Vec<String>> {
        let mut pages: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((lang, tax), terms) in self.taxonomies() {
            pages.entry(format!("{tax}/")).or_default().push(lang.to_string());
            for slug in terms.keys() {
                pages.entry(format!("{tax}/{slug}/")).or_default().push(lang.to_string());
            }
        }
        let order = |code: &String| self.site.config.languages.iter().position(|l| &l.code == code);
        for langs in pages.values_mut() {
            langs.sort_by_key(order);
        }
        pages
    }

    fn collect_terms(&self, lang: &str, tax: &str) -> Terms {
        let mut terms: Terms = BTreeMap::new();
        // Every page shown in this language, own or standing in for a missing translation, in page order.
        let mut shown: Vec<usize> = self.site.shown.iter().filter(|((_, l), _)| l == lang).map(|(_, (idx, _))| *idx).collect();
        shown.sort_unstable();
        shown.dedup();
        for idx in shown {
            let p = &self.site.pages[idx];
            // A page in another language counts only with a typed entry's keys (category, district, target
            // group), which are the same in every language; its free-text tags are words of its own language.
            // So a language with few translations still gets the filter pages its list pages link to.
            if p.lang != lang && p.typed.is_none() {
                continue;
            }
            // (name as written, i18n name map for a typed entry's keys)
            let (list, names): (Vec<&str>, Option<&str>) = match (tax, &p.typed) {
                ("tags", _) if p.lang == lang => (p.fm.tags.iter().map(String::as_str).collect(), None),
                ("categories", t) => (p.fm.categories.iter().map(String::as_str).collect(), t.as_ref().map(|_| "category_names")),
                ("districts", Some(t)) => {
                    let address = t.fields.get("address").and_then(|a| a.get("district")).and_then(|d| d.as_str());
                    (t.str("district").or(address).into_iter().collect(), Some("district_names"))
                }
                ("target-groups", Some(t)) => (t.strs("target_groups"), Some("target_group_names")),
                _ => (Vec::new(), None),
            };
            for written in list {
                let slug = slugify(written);
                if slug.is_empty() {
                    continue;
                }
                let name = names.and_then(|m| self.i18n.t(lang, &format!("{m}.{written}")).ok()).unwrap_or_else(|| written.to_string());
                let entry = terms.entry(slug).or_insert_with(|| (name, Vec::new()));
                entry.1.push(idx);
            }
        }
        terms
    }

    /// The context every page shares: language, site, navigation, assets.
    fn common(&self, code: &str, title: &str, key_for_nav: Option<&str>) -> tera::Context {
        // Top-level sections, in the reader's language, with the one the page is in marked.
        let current_top = key_for_nav.map(|k| k.split('/').next().unwrap_or(""));
        let cache_key = (code.to_string(), current_top.map(str::to_string));
        let cached = self.common_cache.lock().ok().and_then(|c| c.get(&cache_key).cloned());
        let mut ctx = cached.unwrap_or_else(|| {
            let ctx = self.common_uncached(code, current_top);
            if let Ok(mut c) = self.common_cache.lock() {
                c.insert(cache_key, ctx.clone());
            }
            ctx
        });
        ctx.insert("title", title);
        ctx
    }

    fn common_uncached(&self, code: &str, current_top: Option<&str>) -> tera::Context {
        let site = self.site;
        let mut ctx = tera::Context::new();
        ctx.insert("lang", &self.lang_ctx(code));
        ctx.insert("site", &serde_json::json!({
            "title": site.config.title.get(code).cloned().unwrap_or_default(),
            "base_url": site.config.base_url,
            "base_path": site.config.base_path,
            "timezone": site.config.timezone,
        }));
        ctx.insert("assets", self.assets);
        ctx.insert("home_url", &self.href(&format!("{code}/")));
        ctx.insert("search_url", &self.href(&format!("{code}/search/")));
        ctx.insert("tags_url", &self.href(&format!("{code}/tags/")));
        ctx.insert("feed_url", &self.href(&format!("{code}/atom.xml")));
        ctx.insert("chooser_url", &self.href(""));
        ctx.insert("search_js", &self.search_js);
        ctx.insert("numbering_system", self.i18n.numbering_system(code));
        // What the offline scripts need (see `offline`): the worker, the pack and the app manifest.
        ctx.insert("offline", &serde_json::json!({
            "sw_url": self.href(crate::offline::SW),
            "pack_url": self.href(&crate::offline::pack_path(code)),
            "manifest_url": self.href(&crate::offline::manifest_path(code)),
            "page_url": self.href(&crate::offline::page_path(code)),
        }));
        let mut nav: Vec<(i64, String, Link)> = Vec::new();
        for key in site.children_of("") {
            let Some(idx) = site.shown_page(key, code) else { continue };
            let p = &site.pages[idx];
            if !p.is_section {
                continue;
            }
            let lang = (p.lang != code).then(|| self.lang_ctx(&p.lang).lang.to_string());
            nav.push((p.fm.weight, p.fm.title.clone(), Link {
                url: self.href(site.url_of(key, code).unwrap_or_default()),
                title: p.fm.title.clone(),
                lang,
                current: current_top == Some(key.as_str()),
            }));
        }
        nav.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        ctx.insert("nav", &nav.into_iter().map(|n| n.2).collect::<Vec<_>>());
        ctx.insert("translations", &Vec::<Translation>::new());
        ctx.insert("alternates", &Vec::<Alternate>::new());
        ctx.insert("breadcrumbs", &Vec::<Link>::new());
        ctx.insert("description", &Option::<String>::None);
        ctx.insert("canonical", &Option::<String>::None);
        ctx.insert("noindex", &false);
        ctx.insert("fallback", &Option::<LangCtx>::None);
        ctx
    }

    /// The page's bytes: rendered straight into a buffer of a page's usual size (`Tera::render` starts at
    /// 2 KB, regrows, and checks the whole page for UTF-8 once more, 1 % of a build's CPU; the output of
    /// templates and escaped strings is UTF-8 anyway).
    fn render_template(&self, template: &str, ctx: &tera::Context, what: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.theme.tera.render_to(template, ctx, &mut out).map(|()| out).map_err(|e| {
            let (name, detail) = tera_error_parts(&e);
            let name = name.unwrap_or_else(|| template.to_string());
            let file = self.theme.template_files.get(&name).cloned().unwrap_or(name);
            let hint = if detail.contains("missing UI string") {
                "add the missing string to the language's i18n file".to_string()
            } else {
                format!("the template failed while rendering {what}")
            };
            Diagnostic::error(file, format!("template error: {detail}")).hint(hint)
        })
    }

    fn card(&self, key: &str, code: &str) -> Option<Card> {
        let site = self.site;
        let idx = site.shown_page(key, code)?;
        let p = &site.pages[idx];
        let other = p.lang != code;
        let other_lang = other.then(|| self.lang_ctx(&p.lang));
        let only_in = other_lang.as_ref().and_then(|l| self.i18n.t(code, "only_in").ok().map(|s| s.replace("{language}", l.name)));
        Some(Card {
            url: self.href(site.url_of(key, code)?),
            title: p.fm.title.clone(),
            description: p.fm.description.clone(),
            lang: other_lang.as_ref().map(|l| l.lang.to_string()),
            dir: other_lang.as_ref().map(|l| l.dir.to_string()),
            only_in,
            data: None,
            group: None,
            marker: None,
            idx,
            sort: (p.fm.weight, p.fm.date.map(|d| format!("{:08}", 99_999_999 - (d.year as i64 * 10_000 + d.month as i64 * 100 + d.day as i64))).unwrap_or_default(), p.fm.title.to_lowercase()),
        })
    }

    pub fn render_key(&self, key: &str, code: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let Some(idx) = site.shown_page(key, code) else { return Ok(Vec::new()) };
        let p = &site.pages[idx];
        let for_reader;
        let r = if p.lang == code {
            &site.rendered[idx]
        } else {
            for_reader = site.markdown_for(idx, code);
            &for_reader
        };
        let rel = site.url_of(key, code).unwrap_or_default().to_string();
        let is_fallback = p.lang != code;
        let list_type = p.fm.kind.clone().filter(|_| p.is_section);
        let template = match &p.fm.kind {
            Some(kind) if p.typed.is_some() => format!("{kind}.html"),
            Some(kind) if p.is_section && self.theme.templates.contains(&format!("{kind}-list.html")) => format!("{kind}-list.html"),
            Some(_) if p.is_section => "list.html".into(),
            Some(kind) => {
                let name = format!("{kind}.html");
                if !self.theme.templates.contains(&name) {
                    let (line, col) = find_fm_key(&p.source, "type");
                    let types: Vec<&str> = self.theme.templates.iter().filter_map(|t| t.strip_suffix(".html")).collect();
                    let hint = match did_you_mean(kind, types.iter().copied()) {
                        Some(s) => format!("did you mean `type: {s}`? Or add templates/{name} to the theme"),
                        None => format!("add templates/{name} to the theme, or use one of: {}", types.join(", ")),
                    };
                    return Err(Diagnostic::error(&p.file, format!("there is no template `{name}` for `type: {kind}`")).at(&p.source, line, col).hint(hint));
                }
                name
            }
            None if key.is_empty() => "index.html".into(),
            None if p.is_section => "section.html".into(),
            None => "page.html".into(),
        };
        let mut ctx = self.common(code, &p.fm.title, Some(key));
        let page_lang = p.lang.as_str();
        let term_refs = |tax: &str, list: &[String]| -> Vec<TermRef> {
            list.iter()
                .filter(|n| !slugify(n).is_empty())
                .map(|n| {
                    // a typed entry's categories are keys, named in the page's language
                    let named = (tax == "categories" && p.typed.is_some()).then(|| self.i18n.t(page_lang, &format!("category_names.{n}")).ok()).flatten();
                    TermRef { name: named.unwrap_or_else(|| n.clone()), url: self.href(&format!("{page_lang}/{tax}/{}/", slugify(n))) }
                })
                .collect()
        };
        let rtl = self.site.config.language(page_lang).is_some_and(|l| l.is_rtl());
        let page = PageCtx {
            key,
            lang: page_lang,
            title: &p.fm.title,
            title_html: if rtl { isolate_plain(&p.fm.title) } else { crate::theme::escape(&p.fm.title) },
            description: p.fm.description.as_deref(),
            content: &r.html,
            date: p.fm.date.map(|d| d.to_string()),
            date_local: p.fm.date.map(|d| self.i18n.format_date(page_lang, &d)),
            updated: p.fm.updated.map(|d| d.to_string()),
            updated_local: p.fm.updated.map(|d| self.i18n.format_date(page_lang, &d)),
            tags: term_refs("tags", &p.fm.tags),
            categories: term_refs("categories", &p.fm.categories),
            toc: r.headings.iter().filter(|h| h.level == 2 || h.level == 3).map(|h| TocEntry { level: h.level, id: &h.id, text: &h.text }).collect(),
            url: self.href(&rel),
            permalink: self.permalink(&rel),
        };
        ctx.insert("page", &page);
        ctx.insert("description", &p.fm.description);
        ctx.insert("data", &types::view::data(site, self.i18n, idx, code));
        ctx.insert("form", &crate::forms::context(site, self.i18n, p, key, code, &|rel| self.href(rel)));
        ctx.insert("list_type", &list_type);
        ctx.insert("calendar_url", &self.href(&format!("{code}/calendar.ics")));
        let translations = &site.translations[key];
        let langs: Vec<Translation> = site
            .config
            .languages
            .iter()
            .filter(|l| translations.contains_key(&l.code))
            .map(|l| Translation {
                url: self.href(site.url_of(key, &l.code).unwrap_or_default()),
                name: &l.name,
                lang: &l.lang,
                hreflang: site.config.hreflang(&l.code),
                current: l.code == code,
            })
            .collect();
        ctx.insert("translations", &langs);
        let mut alternates: Vec<Alternate> = site
            .config
            .languages
            .iter()
            .filter(|l| translations.contains_key(&l.code))
            .map(|l| Alternate { hreflang: site.config.hreflang(&l.code), href: self.permalink(site.url_of(key, &l.code).unwrap_or_default()) })
            .collect();
        let default = &site.config.default_language;
        let x_default = if translations.contains_key(default) { default.as_str() } else { &p.lang };
        alternates.push(Alternate { hreflang: "x-default".into(), href: self.permalink(site.url_of(key, x_default).unwrap_or_default()) });
        ctx.insert("alternates", &alternates);
        if is_fallback {
            let from = self.lang_ctx(&p.lang);
            // The notice in the reader's language, naming the language of the text in that language.
            let notice = self.i18n.t(code, "fallback_notice").map_err(|e| Diagnostic::error(format!("i18n/{code}.yaml"), e))?;
            let (before, after) = notice.split_once("{language}").unwrap_or((&notice, ""));
            let notice_html = format!("{}<bdi lang=\"{}\">{}</bdi>{}", crate::theme::escape(before), from.lang, crate::theme::escape(from.name), crate::theme::escape(after));
            ctx.insert("fallback", &serde_json::json!({"code": from.code, "lang": from.lang, "dir": from.dir, "name": from.name, "notice_html": notice_html}));
            ctx.insert("noindex", &true);
            ctx.insert("canonical", &self.permalink(site.url_of(key, &p.lang).unwrap_or_default()));
        }
        // Breadcrumbs: the ancestors of this key, in the reader's language.
        let mut crumbs = Vec::new();
        let mut ancestor = p.parent_key();
        while let Some(a) = ancestor {
            if let Some(i) = site.shown_page(&a, code) {
                let ap = &site.pages[i];
                crumbs.push(Link {
                    url: self.href(site.url_of(&a, code).unwrap_or_default()),
                    title: if a.is_empty() { self.i18n.t(code, "home").unwrap_or_default() } else { ap.fm.title.clone() },
                    lang: (ap.lang != code && !a.is_empty()).then(|| self.lang_ctx(&ap.lang).lang.to_string()),
                    current: false,
                });
            }
            ancestor = if a.is_empty() { None } else { Some(a.rsplit_once('/').map(|(x, _)| x.to_string()).unwrap_or_default()) };
        }
        crumbs.reverse();
        ctx.insert("breadcrumbs", &crumbs);

        let what = format!("{} ({code})", p.file.display());
        if !p.is_section {
            let html = self.render_template(&template, &ctx, &what)?;
            return Ok(vec![OutFile { path: format!("{rel}index.html"), bytes: html }]);
        }
        // A section: its direct subsections, and its pages paginated.
        let mut subsections = Vec::new();
        let mut children = Vec::new();
        for k in site.children_of(key) {
            let Some(child_idx) = site.shown_page(k, code) else { continue };
            if let Some(card) = self.card(k, code) {
                if site.pages[child_idx].is_section { subsections.push(card) } else { children.push(card) }
            }
        }
        subsections.sort_by(|a, b| a.sort.cmp(&b.sort));
        children.sort_by(|a, b| a.sort.cmp(&b.sort));
        if let Some(kind) = &list_type {
            let map = self.typed_list(kind, key, code, &mut children);
            ctx.insert("map_svg", &map);
        }
        ctx.insert("subsections", &subsections);
        self.paginate(&template, ctx, &rel, children, &what)
    }

    /// A list of one content type: only entries still listed (no past events, expired jobs…), events
    /// by date under month headings, links under their first category; places and offers numbered
    /// on a map. Returns the map's SVG.
    fn typed_list(&self, kind: &str, key: &str, code: &str, cards: &mut Vec<Card>) -> Option<String> {
        let site = self.site;
        // Facts only for the entries shown here (other card lists — the A–Z search page, terms — show none).
        let mut entries: Vec<(Card, usize)> = std::mem::take(cards)
            .into_iter()
            .map(|c| (c.idx, c))
            .filter(|(i, _)| types::view::listed(site, *i))
            .map(|(i, mut c)| {
                c.data = types::view::data(site, self.i18n, i, code);
                (c, i)
            })
            .collect();
        match kind {
            "event" => {
                entries.sort_by_cached_key(|(c, i)| (types::view::sort_key(site, *i), c.title.clone()));
                for (c, i) in &mut entries {
                    let next = types::view::sort_key(site, *i);
                    let (y, m) = (next.get(0..4).and_then(|y| y.parse::<i32>().ok()), next.get(5..7).and_then(|m| m.parse::<u32>().ok()));
                    if let (Some(y), Some(m)) = (y, m) {
                        c.group = Some(self.i18n.month_year(code, y, m));
                    }
                }
            }
            "link" => {
                for (c, i) in &mut entries {
                    let cat = site.pages[*i].fm.categories.first().cloned().unwrap_or_default();
                    c.group = Some(self.i18n.t(code, &format!("category_names.{cat}")).unwrap_or(cat));
                }
                entries.sort_by(|a, b| (&a.0.group, &a.0.sort).cmp(&(&b.0.group, &b.0.sort)));
            }
            _ => {}
        }
        let mut markers = Vec::new();
        if kind == "place" || kind == "offer" {
            for (c, _) in entries.iter_mut() {
                let geo = c.data.as_ref().and_then(|d| d.get("geo")).cloned();
                if let Some(g) = geo {
                    let label = self.i18n.digits(code, &(markers.len() + 1).to_string());
                    markers.push(portal_data::map::Marker {
                        lat: g["lat"].as_f64().unwrap_or(0.0),
                        lon: g["lon"].as_f64().unwrap_or(0.0),
                        label: label.clone(),
                        title: c.title.clone(),
                        href: c.url.clone(),
                    });
                    c.marker = Some(label);
                }
            }
        }
        *cards = entries.into_iter().map(|(c, _)| c).collect();
        if markers.is_empty() {
            return None;
        }
        let caption = self.i18n.t(code, "map_caption").unwrap_or_default().replace("{title}", &site.pages[site.shown_page(key, code)?].fm.title);
        Some(portal_data::map::svg(self.outline.as_ref(), &markers, &caption))
    }

    /// Renders a list in pages of `paginate` items: `rel`, `rel/page/2/`, …
    fn paginate(&self, template: &str, ctx: tera::Context, rel: &str, items: Vec<Card>, what: &str) -> Result<Vec<OutFile>, Diagnostic> {
        self.paginate_by(self.site.config.paginate, template, ctx, rel, items, what)
    }

    /// [`Self::paginate`] with `per` items a page.
    ///
    /// The pages are rendered in parallel: the A–Z list of a large site or a tag on hundreds of pages is
    /// one job of many pages, which would otherwise keep one core busy after all other jobs are done.
    fn paginate_by(&self, per: usize, template: &str, ctx: tera::Context, rel: &str, items: Vec<Card>, what: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let total = items.len().div_ceil(per).max(1);
        let code = ctx.get("lang").and_then(|l| l.get("code")).and_then(|c| c.as_str()).unwrap_or("").to_string();
        let page_rel = |n: usize| if n == 1 { rel.to_string() } else { format!("{rel}page/{n}/") };
        let base_title = ctx.get("title").and_then(|t| t.as_str()).unwrap_or("").to_string();
        (1..=total).into_par_iter().map(|n| {
            let mut ctx = ctx.clone();
            let chunk = &items[((n - 1) * per).min(items.len())..(n * per).min(items.len())];
            ctx.insert("children", chunk);
            ctx.insert("paginator", &Paginator {
                current: n,
                total,
                count: items.len(),
                prev_url: (n > 1).then(|| self.href(&page_rel(n - 1))),
                next_url: (n < total).then(|| self.href(&page_rel(n + 1))),
                pages: (1..=total).map(|i| PageLink { label: self.i18n.number(&code, i as u64), url: self.href(&page_rel(i)), current: i == n }).collect(),
            });
            if n > 1 {
                // Page 2 and on: its own title and canonical URL, so they are told apart.
                let page_n = self.i18n.t(&code, "page_n").unwrap_or_default().replace("{n}", &self.i18n.number(&code, n as u64));
                ctx.insert("title", &format!("{base_title} – {page_n}"));
                ctx.insert("canonical", &self.permalink(&page_rel(n)));
            }
            let html = self.render_template(template, &ctx, what)?;
            Ok(OutFile { path: format!("{}index.html", page_rel(n)), bytes: html })
        })
        .collect()
    }

    fn render_taxonomy(&self, code: &str, tax: &str, terms: &Terms) -> Result<Vec<OutFile>, Diagnostic> {
        let title = self.i18n.t(code, &tax.replace('-', "_")).map_err(|e| Diagnostic::error(format!("i18n/{code}.yaml"), e))?;
        let mut ctx = self.common(code, &title, None);
        let mut list: Vec<serde_json::Value> = terms
            .iter()
            .map(|(slug, (name, pages))| serde_json::json!({"name": name, "url": self.href(&format!("{code}/{tax}/{slug}/")), "count": pages.len()}))
            .collect();
        list.sort_by_key(|v| v["name"].as_str().unwrap_or("").to_lowercase());
        ctx.insert("terms", &list);
        let html = self.render_template("taxonomy.html", &ctx, &format!("the {tax} list ({code})"))?;
        Ok(vec![OutFile { path: format!("{code}/{tax}/index.html"), bytes: html }])
    }

    fn render_term(&self, code: &str, tax: &str, slug: &str, name: &str, pages: &[usize]) -> Result<Vec<OutFile>, Diagnostic> {
        let label = self.i18n.t(code, &tax.replace('-', "_")).map_err(|e| Diagnostic::error(format!("i18n/{code}.yaml"), e))?;
        let title = format!("{label}: {name}");
        let ctx = self.common(code, &title, None);
        let mut cards: Vec<Card> = pages.iter().filter_map(|i| self.card(&self.site.pages[*i].key, code)).collect();
        cards.sort_by(|a, b| a.sort.cmp(&b.sort));
        self.paginate("term.html", ctx, &format!("{code}/{tax}/{slug}/"), cards, &format!("the {tax} page `{name}` ({code})"))
    }

    fn render_search(&self, code: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let title = self.i18n.t(code, "search").unwrap_or_default();
        let mut ctx = self.common(code, &title, None);
        ctx.insert("description", &self.i18n.t(code, "search_all_pages").ok());
        let mut cards: Vec<Card> = self.site.keys().filter_map(|k| self.card(k, code)).collect();
        cards.sort_by_key(|a| a.title.to_lowercase());
        // Filters by content type and by category, for the types this language has.
        let mut kinds = std::collections::BTreeSet::new();
        let mut cats = std::collections::BTreeSet::new();
        for p in self.site.pages.iter().filter(|p| p.lang == code) {
            if let Some(t) = &p.typed {
                kinds.insert(t.kind.clone());
                cats.extend(p.fm.categories.iter().cloned());
            }
        }
        let named = |map: &str, keys: std::collections::BTreeSet<String>| -> Vec<serde_json::Value> {
            keys.into_iter().map(|k| serde_json::json!({ "name": self.i18n.t(code, &format!("{map}.{k}")).unwrap_or_else(|_| k.clone()), "key": k })).collect()
        };
        ctx.insert("filter_types", &named("type_names", kinds));
        ctx.insert("filter_categories", &named("category_names", cats));
        // The A–Z list for readers without JavaScript, 100 titles a page so each stays within its budget.
        self.paginate_by(SEARCH_LIST_PER_PAGE, "search.html", ctx, &format!("{code}/search/"), cards, &format!("the search page ({code})"))
    }

    fn render_404(&self, code: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let title = self.i18n.t(code, "not_found_title").unwrap_or_default();
        let mut ctx = self.common(code, &title, None);
        ctx.insert("noindex", &true);
        let html = self.render_template("404.html", &ctx, &format!("the 404 page ({code})"))?;
        let mut out = vec![OutFile { path: format!("{code}/404.html"), bytes: html.clone() }];
        if code == self.site.config.default_language {
            out.push(OutFile { path: "404.html".into(), bytes: html });
        }
        Ok(out)
    }

    /// The page the service worker shows for a page that is not saved, when offline.
    fn render_offline(&self, code: &str) -> Result<Vec<OutFile>, Diagnostic> {
        let title = self.i18n.t(code, "offline_title").unwrap_or_default();
        let mut ctx = self.common(code, &title, None);
        ctx.insert("noindex", &true);
        let html = self.render_template("offline.html", &ctx, &format!("the offline page ({code})"))?;
        Ok(vec![OutFile { path: format!("{}index.html", crate::offline::page_path(code)), bytes: html }])
    }

    fn render_chooser(&self) -> Result<Vec<OutFile>, Diagnostic> {
        let config = &self.site.config;
        let mut ctx = self.common(&config.default_language, "", None);
        let languages: Vec<serde_json::Value> = config
            .languages
            .iter()
            .map(|l| serde_json::json!({
                "code": l.code, "name": l.name, "lang": l.lang, "dir": l.dir,
                "hreflang": config.hreflang(&l.code),
                "url": self.href(&format!("{}/", l.code)),
                "title": config.title.get(&l.code),
            }))
            .collect();
        ctx.insert("languages", &languages);
        let mut alternates: Vec<Alternate> = config.languages.iter().map(|l| Alternate { hreflang: config.hreflang(&l.code), href: self.permalink(&format!("{}/", l.code)) }).collect();
        alternates.push(Alternate { hreflang: "x-default".into(), href: self.permalink("") });
        ctx.insert("alternates", &alternates);
        let html = self.render_template("chooser.html", &ctx, "the language chooser")?;
        Ok(vec![OutFile { path: "index.html".into(), bytes: html }])
    }

    /// Old URLs named in `aliases` redirect to the page.
    fn render_aliases(&self) -> Result<Vec<OutFile>, Diagnostic> {
        let mut out = Vec::new();
        for p in &self.site.pages {
            for alias in &p.fm.aliases {
                let Some(path) = safe_output_path(alias) else {
                    let (line, col) = find_fm_key(&p.source, "aliases");
                    return Err(Diagnostic::error(&p.file, format!("the alias `{alias}` is not a path inside the site"))
                        .at(&p.source, line, col)
                        .hint("write an old URL path such as `/de/alte-seite/`"));
                };
                let target = self.href(self.site.url_of(&p.key, &p.lang).unwrap_or_default());
                let t = crate::theme::escape(&target);
                let html = format!("<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"></head><body><a href=\"{t}\">{}</a></body></html>",
                    self.lang_ctx(&p.lang).lang, crate::theme::escape(&p.fm.title), crate::theme::escape(&p.fm.title));
                out.push(OutFile { path: format!("{path}index.html"), bytes: html.into_bytes() });
            }
        }
        Ok(out)
    }
}

/// An alias as a folder path inside the output (`de/alt/`), or `None` if it would leave it.
pub fn safe_output_path(alias: &str) -> Option<String> {
    if alias.contains('\0') || alias.contains('\\') || alias.contains(':') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in alias.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.iter().map(|s| format!("{s}/")).collect())
}

/// Line and column of a front-matter key in a content file.
fn find_fm_key(source: &str, key: &str) -> (usize, usize) {
    crate::config::find_key_line(source, key).unwrap_or((1, 1))
}

/// Percent-encodes what may not stand in a URI (non-ASCII, spaces, quotes).
pub fn encode_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cannot_leave_the_output() {
        assert_eq!(safe_output_path("/de/alt/").as_deref(), Some("de/alt/"));
        assert_eq!(safe_output_path("../../etc"), None);
        assert_eq!(safe_output_path("C:\\x"), None);
        assert_eq!(safe_output_path("/"), None);
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_uri("/ar/tags/عمل/"), "/ar/tags/%D8%B9%D9%85%D9%84/");
    }
}
