//! The theme: Tera templates and static files. The default theme is built into the
//! binary, so a folder with only `site.yaml` and `content/` builds; a site overrides
//! any file by putting its own under `themes/<name>/templates/` or `static/`.

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::i18n::I18n;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../themes/default/templates/base.html")),
    ("macros.html", include_str!("../themes/default/templates/macros.html")),
    ("index.html", include_str!("../themes/default/templates/index.html")),
    ("section.html", include_str!("../themes/default/templates/section.html")),
    ("page.html", include_str!("../themes/default/templates/page.html")),
    ("taxonomy.html", include_str!("../themes/default/templates/taxonomy.html")),
    ("term.html", include_str!("../themes/default/templates/term.html")),
    ("search.html", include_str!("../themes/default/templates/search.html")),
    ("404.html", include_str!("../themes/default/templates/404.html")),
    ("offline.html", include_str!("../themes/default/templates/offline.html")),
    ("chooser.html", include_str!("../themes/default/templates/chooser.html")),
    ("entry.html", include_str!("../themes/default/templates/entry.html")),
    ("facts.html", include_str!("../themes/default/templates/facts.html")),
    ("form.html", include_str!("../themes/default/templates/form.html")),
    ("list.html", include_str!("../themes/default/templates/list.html")),
    ("place.html", include_str!("../themes/default/templates/place.html")),
    ("offer.html", include_str!("../themes/default/templates/offer.html")),
    ("event.html", include_str!("../themes/default/templates/event.html")),
    ("job.html", include_str!("../themes/default/templates/job.html")),
    ("exchange.html", include_str!("../themes/default/templates/exchange.html")),
    ("material.html", include_str!("../themes/default/templates/material.html")),
    ("link.html", include_str!("../themes/default/templates/link.html")),
];

pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/static/style.css")),
    ("search-ui.js", include_bytes!("../themes/default/static/search-ui.js")),
    ("open-now.js", include_bytes!("../themes/default/static/open-now.js")),
    ("offline.js", include_bytes!("../themes/default/static/offline.js")),
    ("read-aloud.js", include_bytes!("../themes/default/static/read-aloud.js")),
    // The app icons (PNG for Chrome's install prompt, SVG for the rest); not fingerprinted, so the
    // web app manifests name them by a stable path.
    ("icons/icon.svg", include_bytes!("../themes/default/static/icons/icon.svg")),
    ("icons/icon-192.png", include_bytes!("../themes/default/static/icons/icon-192.png")),
    ("icons/icon-512.png", include_bytes!("../themes/default/static/icons/icon-512.png")),
];

pub struct Theme {
    pub tera: tera::Tera,
    pub templates: BTreeSet<String>,
    /// Where each template came from, for error messages.
    pub template_files: BTreeMap<String, String>,
    /// Static files: path relative to the output root → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(site_dir: &Path, config: &SiteConfig, i18n: Arc<I18n>) -> Result<Theme, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        for (name, text) in DEFAULT_TEMPLATES {
            sources.insert(name.to_string(), text.to_string());
            files.insert(name.to_string(), format!("(built-in default theme) templates/{name}"));
        }
        let mut statics: BTreeMap<String, Vec<u8>> =
            DEFAULT_STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();

        // The theme's folders, lowest first: the repository's, then the site's own (see `sites`).
        let layout = crate::sites::Layout::of(site_dir);
        let theme_dirs = layout.layers(&format!("themes/{}", config.theme));
        if !theme_dirs.iter().any(|(d, _)| d.is_dir()) && config.theme != "default" {
            let mut known: Vec<String> = layout.layers("themes").iter().flat_map(|(d, _)| std::fs::read_dir(d).into_iter().flatten())
                .filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
            known.sort();
            known.dedup();
            let text = std::fs::read_to_string(site_dir.join("site.yaml")).unwrap_or_default();
            let (line, col) = crate::config::find_key_line(&text, "theme").unwrap_or((1, 1));
            let hint = match did_you_mean(&config.theme, known.iter().map(String::as_str).chain(["default"])) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "create themes/<name>/templates/ or remove `theme:` to use the built-in default theme".into(),
            };
            errors.push(Diagnostic::error(layout.shown("site.yaml"), format!("the theme `{}` does not exist (no folder themes/{0}/)", config.theme)).at(&text, line, col).hint(hint));
        }
        for (theme_dir, theme_shown) in &theme_dirs {
            for (sub, is_template) in [("templates", true), ("static", false)] {
                let dir = theme_dir.join(sub);
                read_tree(&dir, &mut |rel, bytes| {
                    let shown = format!("{theme_shown}/{sub}/{rel}");
                    if is_template {
                        match String::from_utf8(bytes) {
                            Ok(t) => {
                                sources.insert(rel.to_string(), t);
                                files.insert(rel.to_string(), shown);
                            }
                            Err(_) => errors.push(Diagnostic::error(&shown, "the template is not UTF-8 text").hint("save it as UTF-8")),
                        }
                    } else {
                        statics.insert(rel.to_string(), bytes);
                    }
                });
            }
        }
        // The site's own static/ folder wins over the theme's (and a site of a repository's over the
        // repository's).
        for (dir, _) in layout.layers("static") {
            read_tree(&dir, &mut |rel, bytes| {
                statics.insert(rel.to_string(), bytes);
            });
        }

        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            let (name, detail) = tera_error_parts(&e);
            let file = name.as_ref().and_then(|n| files.get(n)).cloned().unwrap_or_else(|| "templates".into());
            errors.push(Diagnostic::error(file, format!("the template cannot be read: {detail}")).hint("fix the Tera syntax at the place named above"));
        }
        register_functions(&mut tera, i18n);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Theme { tera, templates: sources.keys().cloned().collect(), template_files: files, statics })
    }
}

/// Escaping for HTML, the templates' autoescape and the markup `render` writes itself: `&`, `<`, `>`,
/// `"` and `'`, which is all that text and quoted attribute values need. Tera's own also escapes `/` (`&#x2F;` in every URL), which minify-html then had to
/// decode again: the output is the same, the build 2 % faster.
pub fn escape(s: &str) -> String {
    let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if !s.bytes().any(special) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    search_core::engine::escape_html(s, &mut out);
    out
}

fn read_tree(dir: &Path, f: &mut dyn FnMut(&str, Vec<u8>)) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            if let Ok(bytes) = std::fs::read(entry.path()) {
                f(&rel, bytes);
            }
        }
    }
}

/// The template named in a Tera error, and the whole chain of causes as one line.
pub fn tera_error_parts(e: &tera::Error) -> (Option<String>, String) {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let name = parts.iter().find_map(|p| {
        let start = p.find('\'')? + 1;
        let end = start + p[start..].find('\'')?;
        let n = &p[start..end];
        n.ends_with(".html").then(|| n.to_string())
    });
    (name, parts.join(": "))
}

/// `t(key, lang)` and `plural(key, n, lang)` for templates.
fn register_functions(tera: &mut tera::Tera, i18n: Arc<I18n>) {
    let i = i18n.clone();
    tera.register_function("t", move |args: &HashMap<String, tera::Value>| {
        let key = str_arg(args, "key")?;
        let lang = str_arg(args, "lang")?;
        i.t(&lang, &key).map(tera::Value::String).map_err(tera::Error::msg)
    });
    let i = i18n.clone();
    tera.register_function("plural_forms", move |args: &HashMap<String, tera::Value>| {
        let key = str_arg(args, "key")?;
        let lang = str_arg(args, "lang")?;
        i.plural_forms(&lang, &key).map(|m| serde_json::json!(m)).map_err(tera::Error::msg)
    });
    let i = i18n;
    tera.register_function("plural", move |args: &HashMap<String, tera::Value>| {
        let key = str_arg(args, "key")?;
        let lang = str_arg(args, "lang")?;
        let n = args.get("n").and_then(|v| v.as_u64()).ok_or_else(|| tera::Error::msg("plural() needs a whole number `n`"))?;
        i.plural(&lang, &key, n).map(tera::Value::String).map_err(tera::Error::msg)
    });
}

fn str_arg(args: &HashMap<String, tera::Value>, name: &str) -> tera::Result<String> {
    args.get(name)
        .and_then(|v| v.as_str())
        .map(String::from)
        .ok_or_else(|| tera::Error::msg(format!("missing text argument `{name}`")))
}
