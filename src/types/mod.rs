//! Content types: places, offers, events, jobs, the exchange, materials and links.
//!
//! After discovery, [`apply`] gives every page its type (its own `type:`, else the nearest section's),
//! checks its fields against the type's schema ([`schema`]), fills a translation's missing fields from
//! the default-language file (an address does not change with the language), checks references to
//! other pages and files, checks that every key (category, district, …) has a name in every language,
//! and drops exchange entries that wait for moderation (`status: pending` is never published).
//! Rendering reads the result from [`SourcePage::typed`]; [`view`] turns it into template data.

pub mod schema;
pub mod view;

use crate::config::SiteConfig;
use crate::content::SourcePage;
use crate::content::frontmatter::{front_matter_end, unknown_key_error};
use crate::diagnostic::Diagnostic;
use crate::i18n::I18n;
use schema::{Kind, Problem, Schemas};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;

/// A page of a content type with its checked fields (own and inherited), normalized.
#[derive(Debug, Clone)]
pub struct Typed {
    pub kind: String,
    pub fields: Map<String, Json>,
}

impl Typed {
    pub fn str(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Json::as_str)
    }
    /// A list field as strings (`target_groups`, `languages`).
    pub fn strs(&self, name: &str) -> Vec<&str> {
        self.fields.get(name).and_then(Json::as_array).map(|a| a.iter().filter_map(Json::as_str).collect()).unwrap_or_default()
    }
}

/// Name maps in i18n for the kinds of keys a typed page uses.
const NAMED_KEYS: &[(&str, &str)] = &[
    ("categories", "category_names"),
    ("target_groups", "target_group_names"),
    ("district", "district_names"),
    ("languages", "language_names"),
];

/// Types every page, checks and completes its fields; returns the problems. Pending exchange
/// entries are removed from `pages`.
pub fn apply(pages: &mut Vec<SourcePage>, schemas: &Schemas, config: &SiteConfig, i18n: &I18n, site_dir: &Path) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // The type a section gives its pages: from its default-language `_index`, else any language's.
    let mut section_types: BTreeMap<String, String> = BTreeMap::new();
    for p in pages.iter().filter(|p| p.is_section) {
        if let Some(k) = &p.fm.kind
            && (p.lang == config.default_language || !section_types.contains_key(&p.key))
        {
            section_types.insert(p.key.clone(), k.clone());
        }
    }
    let type_of = |p: &SourcePage| -> Option<String> {
        if let Some(k) = &p.fm.kind {
            return Some(k.clone());
        }
        if p.is_section {
            return None;
        }
        let mut key = p.key.as_str();
        while let Some((parent, _)) = key.rsplit_once('/') {
            if let Some(t) = section_types.get(parent) {
                return Some(t.clone());
            }
            key = parent;
        }
        section_types.get("").cloned()
    };

    // `form: exchange` names a content type whose schema gives the submission form its fields.
    for p in pages.iter_mut() {
        let Some(name) = p.fm.form.clone() else { continue };
        match schemas.get(&name) {
            Some(s) => p.fm.form_schema = Some(s.clone()),
            None => {
                let hint = match crate::diagnostic::did_you_mean(&name, schemas.0.keys().map(String::as_str)) {
                    Some(s) => format!("did you mean `form: {s}`?"),
                    None => format!("name a content type: {}", schemas.0.keys().cloned().collect::<Vec<_>>().join(", ")),
                };
                errors.push(at_key(p, "form", format!("there is no content type `{name}` for `form:`")).hint(hint));
            }
        }
    }

    // Own fields of every page, checked one by one.
    let mut own: Vec<Option<(String, Map<String, Json>)>> = Vec::with_capacity(pages.len());
    for p in pages.iter() {
        let file = p.file.to_string_lossy().to_string();
        let kind = type_of(p);
        let schema = kind.as_deref().filter(|_| !p.is_section).and_then(|k| schemas.get(k));
        let Some(schema) = schema else {
            for (key, _) in &p.fm.extra {
                errors.push(unknown_key_error(&file, &p.source, key, None, &[]));
            }
            own.push(None);
            continue;
        };
        let kind = kind.unwrap_or_default();
        let names: Vec<&str> = schema.fields.keys().map(String::as_str).collect();
        let mut fields = Map::new();
        for (key, value) in &p.fm.extra {
            let Some(field) = schema.fields.get(key) else {
                errors.push(unknown_key_error(&file, &p.source, key, Some(&kind), &names));
                continue;
            };
            match field.check(value) {
                Ok(v) => {
                    fields.insert(key.clone(), v);
                }
                Err(problem) => errors.push(field_error(p, key, problem)),
            }
        }
        own.push(Some((kind, fields)));
    }

    // Translations inherit what they leave out from the default-language file.
    let default_of: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == config.default_language)
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    let mut typed: Vec<Option<Typed>> = vec![None; pages.len()];
    for (i, p) in pages.iter().enumerate() {
        let Some((kind, fields)) = &own[i] else { continue };
        let mut all = Map::new();
        if let Some(&d) = default_of.get(p.key.as_str()).filter(|&&d| d != i) {
            match &own[d] {
                Some((base_kind, base)) if base_kind == kind => all.extend(base.clone()),
                Some((base_kind, _)) => {
                    errors.push(at_key(p, "type", format!("this translation is a `{kind}` but {} is a `{base_kind}`", pages[d].file.display()))
                        .hint("a translation has the type of its original: remove `type:` here or fix it there"));
                }
                None => {}
            }
        }
        all.extend(fields.clone());
        let schema = &schemas.0[kind];
        for (name, field) in &schema.fields {
            if field.required && !all.contains_key(name) {
                let example = match field.kind {
                    Kind::Enum => field.values.first().cloned().unwrap_or_default(),
                    _ => "…".into(),
                };
                errors.push(Diagnostic::error(&p.file, format!("`type: {kind}` needs the field `{name}`"))
                    .at(&p.source, 2, 1)
                    .hint(format!("add a line `{name}: {example}` to the front matter (see docs/content-types.md)")));
            }
        }
        typed[i] = Some(Typed { kind: kind.clone(), fields: all });
    }

    // References to places (and other typed pages) and files beside the page.
    let kinds_by_key: BTreeMap<&str, &str> = pages
        .iter()
        .zip(&typed)
        .filter_map(|(p, t)| Some((p.key.as_str(), t.as_ref()?.kind.as_str())))
        .collect();
    let mut resolved: Vec<(usize, String, Json)> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(t) = &typed[i] else { continue };
        let schema = &schemas.0[&t.kind];
        for (name, field) in &schema.fields {
            let Some(value) = t.str(name) else { continue };
            match field.kind {
                Kind::Ref => {
                    let key = ref_key(value);
                    let want = field.to.as_deref().unwrap_or("");
                    match kinds_by_key.get(key.as_str()) {
                        Some(k) if want.is_empty() || *k == want => resolved.push((i, name.clone(), Json::String(key))),
                        Some(k) => errors.push(at_key(p, name, format!("`{name}` points to a `{k}`, not a `{want}`: {value}"))
                            .hint(format!("point `{name}` to a page of `type: {want}`"))),
                        None => {
                            let candidates: Vec<&str> = kinds_by_key.iter().filter(|(_, k)| want.is_empty() || **k == want).map(|(k, _)| *k).collect();
                            let hint = match crate::diagnostic::did_you_mean(&key, candidates.iter().copied()) {
                                Some(s) => format!("did you mean `@/{s}.md`?"),
                                None => format!("create the {want} page content/{key}.{}.md, or fix the path", config.default_language),
                            };
                            errors.push(at_key(p, name, format!("`{name}` points to a page that does not exist: {value}")).hint(hint));
                        }
                    }
                }
                Kind::File => {
                    let dir = p.key.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                    let rel = if dir.is_empty() { value.to_string() } else { format!("{dir}/{value}") };
                    // The site's own content folder first, then the shared ones (see `sites`).
                    let found = crate::sites::Layout::of(site_dir).content_dirs(&config.shared_content).into_iter().find_map(|(d, _)| std::fs::metadata(d.join(&rel)).ok().filter(|m| m.is_file()));
                    match found {
                        Some(m) => {
                            let ext = value.rsplit_once('.').map(|(_, e)| e.to_ascii_uppercase()).unwrap_or_default();
                            resolved.push((i, name.clone(), serde_json::json!({ "path": rel, "size": m.len(), "format": ext })));
                        }
                        _ => errors.push(at_key(p, name, format!("the file `{value}` does not exist beside this page"))
                            .hint(format!("put the file at content/{rel}, or fix the name"))),
                    }
                }
                _ => {}
            }
        }
    }
    for (i, name, v) in resolved {
        if let Some(t) = &mut typed[i] {
            t.fields.insert(name, v);
        }
    }

    // Opening hours that parse but lose time: a later rule replaces a whole earlier one.
    for (p, t) in pages.iter().zip(&typed) {
        let Some(oh) = t.as_ref().and_then(|t| t.str("opening_hours")).filter(|_| p.fm.extra.iter().any(|(k, _)| k == "opening_hours")) else { continue };
        if let Ok((_, warnings)) = portal_data::hours::parse_with_warnings(oh) {
            for w in warnings {
                let d = at_key(p, "opening_hours", format!("opening hours: {}", w.message));
                errors.push(Diagnostic { severity: crate::diagnostic::Severity::Warning, ..d }.hint(w.hint));
            }
        }
    }

    // Every key has a name in every language.
    let mut missing: BTreeMap<(String, String), &SourcePage> = BTreeMap::new();
    for (p, t) in pages.iter().zip(&typed) {
        let mut keys: Vec<(&str, &str)> = Vec::new();
        let t_cats: Vec<&str> = p.fm.categories.iter().map(String::as_str).collect();
        if let Some(t) = t {
            keys.extend(t_cats.iter().map(|c| ("category_names", *c)));
            for (field, names) in NAMED_KEYS.iter().filter(|(f, _)| *f != "categories") {
                keys.extend(t.strs(field).into_iter().chain(t.str(field)).map(|k| (*names, k)));
            }
            if let Some(d) = t.fields.get("address").and_then(|a| a.get("district")).and_then(Json::as_str) {
                keys.push(("district_names", d));
            }
        }
        for (map, key) in keys {
            for l in &config.languages {
                let full = format!("{map}.{key}");
                if i18n.t(&l.code, &full).is_err() {
                    missing.entry((l.code.clone(), full)).or_insert(p);
                }
            }
        }
    }
    for ((code, full), p) in missing {
        errors.push(Diagnostic::error(format!("i18n/{code}.yaml"), format!("missing UI string `{full}` in language `{code}` (used by {})", p.file.display()))
            .hint(format!("add it under `{}:` in i18n/{code}.yaml", full.split('.').next().unwrap_or_default())));
    }
    // Categories and expiry are facts of the entry too.
    let inherited: Vec<Option<(Vec<String>, Option<crate::date::Date>)>> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let d = *default_of.get(p.key.as_str())?;
            (d != i && typed[i].is_some()).then(|| (pages[d].fm.categories.clone(), pages[d].fm.expires))
        })
        .collect();
    for ((p, t), inh) in pages.iter_mut().zip(typed).zip(inherited) {
        p.typed = t;
        if let Some((cats, expires)) = inh {
            if p.fm.categories.is_empty() {
                p.fm.categories = cats;
            }
            p.fm.expires = p.fm.expires.or(expires);
        }
    }
    // Waiting for moderation: never published, in no language.
    let pending: Vec<String> = pages
        .iter()
        .filter(|p| p.typed.as_ref().is_some_and(|t| t.kind == "exchange" && t.str("status") == Some("pending")))
        .map(|p| p.key.clone())
        .collect();
    pages.retain(|p| !pending.contains(&p.key));
    errors
}

/// `@/orte/caritas.md`, `@/orte/caritas.de.md` → `orte/caritas`.
fn ref_key(value: &str) -> String {
    let path = value.trim_start_matches("@/").trim_end_matches(".md");
    let path = match path.rsplit_once('.') {
        Some((p, suffix)) if suffix.len() <= 3 && !suffix.contains('/') => p,
        _ => path,
    };
    path.strip_suffix("/_index").or_else(|| (path == "_index").then_some("")).unwrap_or(path).to_string()
}

/// An error pointing at a top-level front-matter key.
fn at_key(p: &SourcePage, key: &str, message: String) -> Diagnostic {
    let front = &p.source[..front_matter_end(&p.source)];
    let (line, col) = crate::content::frontmatter::top_level_key(front, key).unwrap_or((2, 1));
    Diagnostic::error(&p.file, message).at(&p.source, line, col)
}

/// An error for a field value, pointing at the innermost key of its path when it can be found.
fn field_error(p: &SourcePage, key: &str, problem: Problem) -> Diagnostic {
    let front = &p.source[..front_matter_end(&p.source)];
    let (mut line, mut col) = crate::content::frontmatter::top_level_key(front, key).unwrap_or((2, 1));
    let mut shown = key.to_string();
    for part in &problem.path {
        shown = format!("{shown}.{part}");
        // the first `part:` after the parent's line (nested block or flow map)
        let needle = format!("{part}:");
        let found = front.lines().enumerate().skip(line - 1).find_map(|(i, l)| {
            l.find(&needle).filter(|&c| c == 0 || !l.as_bytes()[c - 1].is_ascii_alphanumeric()).map(|c| (i + 1, l[..c].chars().count() + 1))
        });
        if let Some((l, c)) = found {
            (line, col) = (l, c);
        }
    }
    Diagnostic::error(&p.file, format!("`{shown}` {}", problem.message))
        .at(&p.source, line, col)
        .hint(format!("write e.g. `{}: {}`", problem.path.last().map(String::as_str).unwrap_or(key), problem.example))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_page_key() {
        assert_eq!(ref_key("@/orte/caritas.md"), "orte/caritas");
        assert_eq!(ref_key("@/orte/caritas.de.md"), "orte/caritas");
        assert_eq!(ref_key("@/orte/_index.md"), "orte");
    }
}
