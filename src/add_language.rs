//! `lotse add-language CODE`: the UI strings for a language Lotse has none for (Ukrainian, Turkish, Dari …),
//! written to `i18n/CODE.yaml` from another language's strings (English by default) for a translator to
//! translate, with every plural string given exactly the forms the new language needs.

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

/// What `add` wrote.
pub struct Added {
    pub file: PathBuf,
    /// The language the strings were copied from.
    pub from: String,
    /// The plural categories the new language needs.
    pub forms: Vec<&'static str>,
    /// Whether site.yaml declares the language already.
    pub declared: bool,
}

pub fn add(site_dir: &Path, code: &str, from: Option<&str>) -> Result<Added, Diagnostic> {
    let config = SiteConfig::load(site_dir).map_err(|mut e| e.remove(0))?;
    if !crate::config::valid_code(code) {
        return Err(Diagnostic::error(code, format!("`{code}` is not a language code")).hint("use the code of the language in lowercase, e.g. `uk`, `tr`, `ti` or `prs`"));
    }
    let shown = format!("i18n/{code}.yaml");
    let file = site_dir.join(&shown);
    if file.exists() {
        return Err(Diagnostic::error(&shown, "this file exists already").hint("edit it, or delete it first to start again"));
    }
    let built_in = |c: &str| crate::i18n::built_in(c).map(str::to_string);
    // Customizing a built-in language starts from its own strings; a new one from English.
    let from = from.unwrap_or(if built_in(code).is_some() { code } else { "en" });
    if !crate::config::valid_code(from) {
        return Err(Diagnostic::error(from, format!("`{from}` is not a language code")).hint("name the language to start from by its code, e.g. `--from de`"));
    }
    let source = match std::fs::read_to_string(site_dir.join(format!("i18n/{from}.yaml"))) {
        Ok(text) => text,
        Err(_) => built_in(from).ok_or_else(|| {
            Diagnostic::error(format!("i18n/{from}.yaml"), format!("there are no UI strings for `{from}` to start from"))
                .hint(format!("use --from with a language that has them: {}, or one with its own i18n file", crate::i18n::built_in_codes()))
        })?,
    };
    let mut strings: Mapping = serde_yaml::from_str(&source).map_err(|e| crate::config::yaml_error(&format!("i18n/{from}.yaml"), &source, &e))?;
    let declared = config.language(code);
    let html_lang = declared.map_or(code, |l| l.lang.as_str());
    let forms = crate::i18n::plural_categories(html_lang);
    for (key, value) in strings.iter_mut() {
        let is_names = key.as_str().is_some_and(|k| k.ends_with("_names"));
        if let (Value::Mapping(plural), false) = (value, is_names) {
            *plural = with_forms(plural, &forms);
        }
    }
    let name = config.language(from).map_or(from.to_string(), |l| format!("{} ({from})", l.name));
    let header = format!(
        "# UI strings for `{code}`, copied from {name} by `lotse add-language`: translate every value and keep\n\
         # the {{placeholders}}. Plural strings have the forms `{}` needs: {}.\n\
         # months: the 12 month names; date_format: the order of {{day}} {{month}} {{year}}; digits: latn, arab or\n\
         # persian.\n",
        html_lang,
        forms.join(", ")
    );
    let body = serde_yaml::to_string(&strings).map_err(|e| Diagnostic::error(&shown, format!("cannot write the strings: {e}")))?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Diagnostic::error("i18n", format!("cannot create the folder: {e}")))?;
    }
    std::fs::write(&file, header + &body).map_err(|e| Diagnostic::error(&shown, format!("cannot write: {e}")))?;
    Ok(Added { file: PathBuf::from(shown), from: from.to_string(), forms, declared: declared.is_some() })
}

/// A plural string with exactly `forms`: the source's text for a form it has, else its `other` text.
fn with_forms(plural: &Mapping, forms: &[&str]) -> Mapping {
    let text = |form: &str| plural.get(form).or_else(|| plural.get("other")).cloned().unwrap_or(Value::String(String::new()));
    forms.iter().map(|form| (Value::String(form.to_string()), text(form))).collect()
}
