//! `lotse new [TYPE] PATH`: writes a page from the section's `_template.md`, or one with the fields of its
//! content type pre-filled and commented (labels in the file's language), or a minimal page. In another
//! language than the default, when the default-language page exists, it writes a translation to start
//! from instead: that page's title, description and text, and the `translated_from` hash of its version.

use crate::config::SiteConfig;
use crate::content::SourcePage;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// What `lotse new` wrote: the file, and the page it is a translation of.
pub struct Created {
    pub file: PathBuf,
    pub translation_of: Option<PathBuf>,
}

pub fn create(site_dir: &Path, kind: Option<&str>, path: &str, lang: Option<&str>) -> Result<Created, Diagnostic> {
    let config = SiteConfig::load(site_dir).map_err(|mut e| e.remove(0))?;
    let rel = path.trim_start_matches("./").trim_start_matches("content/").trim_end_matches(".md").trim_matches('/');
    if rel.is_empty() || rel.split('/').any(|s| s == ".." || s.is_empty()) || rel.contains('\\') {
        return Err(Diagnostic::error(path, "give a page path inside content/, e.g. `arbeit/praktikum`"));
    }
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let (stem, suffix_lang) = match rel.rsplit_once('.') {
        Some((s, l)) if codes.contains(&l) => (s, Some(l)),
        _ => (rel, None),
    };
    let lang = lang.or(suffix_lang).unwrap_or(&config.default_language);
    if !codes.contains(&lang) {
        return Err(Diagnostic::error(path, format!("the language `{lang}` is not declared in site.yaml"))
            .hint(format!("use one of: {}", codes.join(", "))));
    }
    let file = site_dir.join("content").join(format!("{stem}.{lang}.md"));
    if file.exists() {
        return Err(Diagnostic::error(file.display().to_string(), "this page exists already").hint("pick another name, or edit the file"));
    }
    let section_dir = file.parent().unwrap_or(Path::new("content")).to_path_buf();
    let name = stem.rsplit('/').next().unwrap_or(stem);
    let title: String = name.replace('-', " ");
    let title = title.chars().next().map(|c| c.to_uppercase().collect::<String>() + &title[c.len_utf8()..]).unwrap_or_default();
    let today = today();
    let source = match kind {
        None if lang != config.default_language => source_page(site_dir, &config, stem)?,
        _ => None,
    };
    let text = match (kind, &source, std::fs::read_to_string(section_dir.join("_template.md"))) {
        (Some(kind), _, _) => typed_page(site_dir, &config, kind, lang, &title, &today)?,
        (None, Some(source), _) => translation(source, &config),
        (None, None, Ok(t)) => t.replace("{{title}}", &title).replace("{{date}}", &today),
        (None, None, Err(_)) => format!("---\ntitle: \"{title}\"\ndescription: \"\"\ndate: {today}\ndraft: true\ntags: []\n---\n\nWrite the page here. Remove `draft: true` when it is ready.\n"),
    };
    std::fs::create_dir_all(&section_dir).map_err(|e| Diagnostic::error(section_dir.display().to_string(), format!("cannot create the folder: {e}")))?;
    std::fs::write(&file, text).map_err(|e| Diagnostic::error(file.display().to_string(), format!("cannot write: {e}")))?;
    Ok(Created { file, translation_of: source.map(|s| s.file) })
}

/// The default-language page at `stem` (`arbeit/praktikum.de.md`, or `arbeit/praktikum.md`: a file without
/// a language suffix is in the default language), when there is one. Its own errors are reported.
fn source_page(site_dir: &Path, config: &SiteConfig, stem: &str) -> Result<Option<SourcePage>, Diagnostic> {
    let default = config.default_language.as_str();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    for rel_content in [format!("{stem}.{default}.md"), format!("{stem}.md")] {
        let Ok(bytes) = std::fs::read(site_dir.join("content").join(&rel_content)) else { continue };
        let rel = Path::new("content").join(&rel_content);
        return crate::content::parse_page(&rel, &rel_content, bytes, &codes, default).map(Some).map_err(|mut e| e.remove(0));
    }
    Ok(None)
}

/// A translation to start from: the source's title, description and text to translate in place, the
/// source version it starts from, and `draft: true`, so nothing untranslated is published.
fn translation(source: &SourcePage, config: &SiteConfig) -> String {
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], " "));
    let name = config.languages.iter().find(|l| l.code == config.default_language).map_or(config.default_language.as_str(), |l| l.name.as_str());
    let mut out = format!("---\n# Translated from {}: translate the title, the description and the text, then remove `draft: true`.\n", source.file.display());
    out.push_str(&format!("title: {}\n", quoted(&source.fm.title)));
    if let Some(description) = &source.fm.description {
        out.push_str(&format!("description: {}\n", quoted(description)));
    }
    out.push_str(&format!(
        "translated_from: {}   # the version of the {name} page this translates; `lotse check` says when that page changes\n",
        crate::check::translations::short_hash_of(source)
    ));
    out.push_str("draft: true\n---\n");
    out.push_str(source.body());
    out
}

/// A page of content type `kind`: every field of its schema as a line to fill in (required ones
/// set, the others commented out), each labelled in the page's language where the UI has a label.
fn typed_page(site_dir: &Path, config: &SiteConfig, kind: &str, lang: &str, title: &str, today: &str) -> Result<String, Diagnostic> {
    use crate::types::schema::{Kind, Schemas};
    let schemas = Schemas::load(site_dir, &config.theme).map_err(|mut e| e.remove(0))?;
    let Some(schema) = schemas.get(kind) else {
        let names: Vec<&str> = schemas.0.keys().map(String::as_str).collect();
        let hint = match crate::diagnostic::did_you_mean(kind, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("content types: {}", names.join(", ")),
        };
        return Err(Diagnostic::error(kind, format!("there is no content type `{kind}`")).hint(hint));
    };
    let i18n = crate::i18n::I18n::load(site_dir, config).ok();
    // the UI's label for a field, where the facts box has one
    let label = |field: &str| {
        let key = match field {
            "languages" => "languages_spoken",
            "geo" => "map",
            "kind" => "exchange_kind",
            "what" => "exchange_what",
            "file" => "download",
            other => other,
        };
        i18n.as_ref().and_then(|i| i.t(lang, key).ok())
    };
    let mut out = format!("---\ntitle: \"{title}\"\ndescription: \"\"\ntype: {kind}\ndate: {today}\ndraft: true\ncategories: []   # {}\n",
        label("categories").unwrap_or_else(|| "categories".into()));
    for (name, field) in &schema.fields {
        let example = match field.kind {
            Kind::Text => "\"\"".to_string(),
            Kind::Integer => "1".into(),
            Kind::Bool => "false".into(),
            Kind::Date => today.to_string(),
            Kind::Datetime => format!("{today} 18:00"),
            Kind::Timezone => config.timezone.clone(),
            Kind::Url => "https://".into(),
            Kind::Email => "name@example.org".into(),
            Kind::Phone => "+49 ".into(),
            Kind::Geo => "{ lat: 0.0, lon: 0.0 }".into(),
            Kind::Address => "{ street: \"\", postal_code: \"\", city: \"\", district: }".into(),
            Kind::Contact => "{ name: \"\", role: \"\", phone: \"\" }".into(),
            Kind::OpeningHours => "\"Mo-Fr 09:00-12:00\"".into(),
            Kind::Key => String::new(),
            Kind::Enum => field.values.first().cloned().unwrap_or_default(),
            Kind::List => "[]".into(),
            Kind::Map => "{ }".into(),
            Kind::Ref => format!("\"@/….{}.md\"", config.default_language),
            Kind::File => "\"\"".into(),
        };
        let mut note = label(name).unwrap_or_else(|| name.replace('_', " "));
        if field.kind == Kind::Enum {
            note = format!("{note}: {}", field.values.join(" | "));
        }
        let line = format!("{name}: {example}   # {note}{}\n", if field.required { " *" } else { "" });
        out.push_str(&if field.required { line } else { format!("# {line}") });
    }
    out.push_str("---\n\nWrite the text here. Fields marked * are required; remove the `#` to use another. Remove `draft: true` when it is ready.\n");
    Ok(out)
}

/// Today's date in UTC as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    crate::date::Date::from_unix(secs).to_string()
}
