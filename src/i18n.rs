//! UI strings per language from `i18n/<code>.yaml` (or the ones built into the binary),
//! with CLDR plural categories, localized dates and native digits.
//!
//! A file holds plain strings (`search: Suchen`), plural strings as a map of CLDR
//! categories (`results: {one: "{n} Treffer", other: "{n} Treffer"}`), and three
//! reserved keys: `months` (twelve names), `date_format` (`{day}. {month} {year}`)
//! and `digits` (`latn`, `arab` for Arabic-Indic, `arabext` for Persian).

use crate::config::SiteConfig;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The UI strings built into the binary, used when a site has no `i18n/<code>.yaml`.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("de", include_str!("../i18n/de.yaml")),
    ("en", include_str!("../i18n/en.yaml")),
    ("fr", include_str!("../i18n/fr.yaml")),
    ("ar", include_str!("../i18n/ar.yaml")),
    ("fa", include_str!("../i18n/fa.yaml")),
    ("ls", include_str!("../i18n/ls.yaml")),
];

/// The built-in UI strings of `code`, if Lotse ships them.
pub fn built_in(code: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, text)| *text)
}

/// The codes Lotse ships UI strings for, for hints: `de, en, fr, ar, fa, ls`.
pub fn built_in_codes() -> String {
    BUILT_IN.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

const RESERVED: &[&str] = &["months", "date_format", "digits"];

#[derive(Debug, Clone)]
enum Text {
    Plain(String),
    Plural(BTreeMap<String, String>),
}

struct LangStrings {
    file: String,
    texts: BTreeMap<String, Text>,
    months: Vec<String>,
    date_format: String,
    digits: Digits,
    rules: Option<PluralRules>,
}

#[derive(Debug, Clone, Copy)]
enum Digits {
    Latin,
    ArabicIndic,
    Persian,
}

pub struct I18n {
    langs: BTreeMap<String, LangStrings>,
}

impl I18n {
    pub fn load(site_dir: &Path, config: &SiteConfig) -> Result<I18n, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut langs = BTreeMap::new();
        for l in &config.languages {
            // The site's own file, else the repository's shared one (see `sites`), else the built-in.
            let layout = crate::sites::Layout::of(site_dir);
            let own = layout.find(&format!("i18n/{}.yaml", l.code));
            let rel = own.as_ref().map(|(_, shown)| shown.clone()).unwrap_or_else(|| layout.shown(&format!("i18n/{}.yaml", l.code)));
            let text = if let Some((own, _)) = &own {
                use crate::diagnostic::limits;
                if let Err(d) = limits::check_size(own, &rel, limits::MAX_DATA_BYTES, "i18n files", "an i18n file holds the interface's short texts; keep long texts in content/") {
                    errors.push(d);
                    continue;
                }
                match std::fs::read_to_string(own) {
                    Ok(t) => t,
                    Err(e) => {
                        errors.push(Diagnostic::error(&rel, format!("cannot read: {e}")).hint("save the file as UTF-8"));
                        continue;
                    }
                }
            } else if let Some(t) = built_in(&l.code) {
                t.to_string()
            } else {
                errors.push(Diagnostic::error(&rel, format!("no UI strings for language `{}`", l.code)).hint(format!(
                    "run `lotse add-language {}`: it writes {rel} from the English strings (or `--from de`), with the plural forms the language needs; then translate it",
                    l.code
                )));
                continue;
            };
            match parse_file(&rel, &text, &l.lang) {
                Ok(s) => {
                    langs.insert(l.code.clone(), s);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        // Every language must have every key the default language has.
        if let Some(default) = langs.get(&config.default_language) {
            for (code, strings) in &langs {
                for key in default.texts.keys() {
                    if !strings.texts.contains_key(key) {
                        errors.push(
                            Diagnostic::error(&strings.file, format!("missing UI string `{key}` in language `{code}`"))
                                .hint(format!("add `{key}: …` to {} (it is in the default language's file)", strings.file)),
                        );
                    }
                }
            }
        }
        if errors.is_empty() { Ok(I18n { langs }) } else { Err(errors) }
    }

    fn lang(&self, code: &str) -> Result<&LangStrings, String> {
        self.langs.get(code).ok_or_else(|| format!("no UI strings for language `{code}`"))
    }

    /// The keys and names of a `*_names` map (`district_names`) in a language, sorted by key.
    pub fn names(&self, code: &str, map: &str) -> Vec<(String, String)> {
        let prefix = format!("{map}.");
        let Ok(l) = self.lang(code) else { return Vec::new() };
        l.texts
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, t)| match t {
                Text::Plain(s) => Some((k[prefix.len()..].to_string(), s.clone())),
                Text::Plural(_) => None,
            })
            .collect()
    }

    /// A plain UI string.
    pub fn t(&self, code: &str, key: &str) -> Result<String, String> {
        let l = self.lang(code)?;
        match l.texts.get(key) {
            Some(Text::Plain(s)) => Ok(s.clone()),
            Some(Text::Plural(m)) => Ok(m.get("other").cloned().unwrap_or_default()),
            None => Err(format!("missing UI string `{key}` in language `{code}`: add it to {}", l.file)),
        }
    }

    /// A plural UI string for `n`, with `{n}` replaced by `n` in the language's digits.
    pub fn plural(&self, code: &str, key: &str, n: u64) -> Result<String, String> {
        let l = self.lang(code)?;
        let text = match l.texts.get(key) {
            Some(Text::Plural(m)) => {
                let cat = category_name(l.rules.as_ref().map(|r| r.select(n)).and_then(|c| c.ok()));
                m.get(cat).or_else(|| m.get("other")).cloned().unwrap_or_default()
            }
            Some(Text::Plain(s)) => s.clone(),
            None => return Err(format!("missing UI string `{key}` in language `{code}`: add it to {}", l.file)),
        };
        Ok(text.replace("{n}", &l.digits.apply(&n.to_string())))
    }

    /// All forms of a plural string, for scripts that choose the form themselves.
    pub fn plural_forms(&self, code: &str, key: &str) -> Result<BTreeMap<String, String>, String> {
        let l = self.lang(code)?;
        match l.texts.get(key) {
            Some(Text::Plural(m)) => Ok(m.clone()),
            Some(Text::Plain(s)) => Ok([("other".to_string(), s.clone())].into()),
            None => Err(format!("missing UI string `{key}` in language `{code}`: add it to {}", l.file)),
        }
    }

    /// `25. November 2016`, `25 novembre 2016`, `٢٥ نوفمبر ٢٠١٦`, `۲۵ نوامبر ۲۰۱۶`.
    pub fn format_date(&self, code: &str, date: &Date) -> String {
        let Ok(l) = self.lang(code) else { return date.to_string() };
        let month = l.months.get(date.month as usize - 1).cloned().unwrap_or_default();
        let text = l
            .date_format
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string());
        l.digits.apply(&text)
    }

    /// A month heading: `Dezember 2026`, in the language's digits.
    pub fn month_year(&self, code: &str, year: i32, month: u32) -> String {
        let Ok(l) = self.lang(code) else { return format!("{year}-{month:02}") };
        let name = l.months.get(month as usize - 1).cloned().unwrap_or_default();
        l.digits.apply(&format!("{name} {year}"))
    }

    /// `text` with its ASCII digits in the language's digits (times, sizes).
    pub fn digits(&self, code: &str, text: &str) -> String {
        self.lang(code).map(|l| l.digits.apply(text)).unwrap_or_else(|_| text.to_string())
    }

    /// The CLDR numbering system of the language's digits (`latn`, `arab`, `arabext`).
    pub fn numbering_system(&self, code: &str) -> &'static str {
        match self.lang(code).map(|l| l.digits) {
            Ok(Digits::ArabicIndic) => "arab",
            Ok(Digits::Persian) => "arabext",
            _ => "latn",
        }
    }

    /// A number in the language's digits.
    pub fn number(&self, code: &str, n: u64) -> String {
        match self.lang(code) {
            Ok(l) => l.digits.apply(&n.to_string()),
            Err(_) => n.to_string(),
        }
    }
}

impl Digits {
    fn apply(self, s: &str) -> String {
        let zero = match self {
            Digits::Latin => return s.to_string(),
            Digits::ArabicIndic => '\u{0660}',
            Digits::Persian => '\u{06F0}',
        };
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(zero as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }
}

fn category_name(c: Option<PluralCategory>) -> &'static str {
    match c {
        Some(PluralCategory::ZERO) => "zero",
        Some(PluralCategory::ONE) => "one",
        Some(PluralCategory::TWO) => "two",
        Some(PluralCategory::FEW) => "few",
        Some(PluralCategory::MANY) => "many",
        _ => "other",
    }
}

/// The plural categories a language uses for whole numbers, found by asking its rules.
fn categories_used(rules: &PluralRules) -> BTreeSet<&'static str> {
    (0..=1000u64).map(|n| category_name(rules.select(n).ok())).collect()
}

/// The plural categories the HTML language `lang` needs, in CLDR's order, and `other`, which every language
/// has (for `uk` whole numbers need `one, few, many`; `other` is for fractions); only `other` for a language
/// CLDR does not know.
pub fn plural_categories(lang: &str) -> Vec<&'static str> {
    let mut used = plural_rules(lang).as_ref().map(categories_used).unwrap_or_default();
    used.insert("other");
    ["zero", "one", "two", "few", "many", "other"].into_iter().filter(|c| used.contains(c)).collect()
}

fn plural_rules(lang: &str) -> Option<PluralRules> {
    lang.parse::<unic_langid::LanguageIdentifier>().ok().and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok())
}

fn parse_file(rel: &str, text: &str, html_lang: &str) -> Result<LangStrings, Vec<Diagnostic>> {
    let map: serde_yaml::Mapping =
        serde_yaml::from_str(text).map_err(|e| vec![crate::config::yaml_error(rel, text, &e)])?;
    let rules = plural_rules(html_lang);
    let needed: BTreeSet<&str> = rules.as_ref().map(categories_used).unwrap_or_else(|| ["other"].into());
    let mut errors = Vec::new();
    let mut texts = BTreeMap::new();
    let at = |key: &str| {
        let (line, col) = crate::config::find_key_line(text, key).unwrap_or((1, 1));
        (line, col)
    };
    for (k, v) in &map {
        let Some(key) = k.as_str() else { continue };
        if RESERVED.contains(&key) {
            continue;
        }
        match v {
            serde_yaml::Value::String(s) => {
                texts.insert(key.to_string(), Text::Plain(s.clone()));
            }
            // Names of keys (`category_names: {housing: Wohnen}`) and lists (`weekdays`): one string
            // each, as `category_names.housing` and `weekdays.0`, so a missing one is reported like
            // any other missing string.
            serde_yaml::Value::Mapping(m) if key.ends_with("_names") => {
                for (name, value) in m {
                    match (name.as_str(), value.as_str()) {
                        (Some(n), Some(v)) => {
                            texts.insert(format!("{key}.{n}"), Text::Plain(v.to_string()));
                        }
                        _ => {
                            let (line, col) = at(key);
                            errors.push(Diagnostic::error(rel, format!("`{key}` must map keys to names, e.g. `housing: Wohnen`")).at(text, line, col));
                        }
                    }
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    texts.insert(format!("{key}.{i}"), Text::Plain(item.as_str().unwrap_or_default().to_string()));
                }
            }
            serde_yaml::Value::Mapping(m) => {
                let forms: BTreeMap<String, String> = m
                    .iter()
                    .filter_map(|(c, s)| Some((c.as_str()?.to_string(), s.as_str()?.to_string())))
                    .collect();
                let missing: Vec<&str> = needed.iter().copied().filter(|c| !forms.contains_key(*c)).collect();
                if !missing.is_empty() {
                    let (line, col) = at(key);
                    errors.push(
                        Diagnostic::error(rel, format!("plural string `{key}` lacks the form(s) {}", missing.join(", ")))
                            .at(text, line, col)
                            .hint(format!("language `{html_lang}` uses the plural categories {}", needed.iter().copied().collect::<Vec<_>>().join(", "))),
                    );
                }
                texts.insert(key.to_string(), Text::Plural(forms));
            }
            _ => {
                let (line, col) = at(key);
                errors.push(
                    Diagnostic::error(rel, format!("UI string `{key}` must be text or a map of plural forms"))
                        .at(text, line, col),
                );
            }
        }
    }
    let months: Vec<String> = map
        .get("months")
        .and_then(|m| m.as_sequence())
        .map(|s| s.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    if months.len() != 12 {
        let (line, col) = at("months");
        errors.push(Diagnostic::error(rel, "`months` must list the twelve month names").at(text, line, col));
    }
    let digits = match map.get("digits").and_then(|d| d.as_str()).unwrap_or("latn") {
        "arab" => Digits::ArabicIndic,
        "arabext" => Digits::Persian,
        _ => Digits::Latin,
    };
    let date_format = map.get("date_format").and_then(|d| d.as_str()).unwrap_or("{year}-{month}-{day}").to_string();
    if errors.is_empty() {
        Ok(LangStrings { file: rel.to_string(), texts, months, date_format, digits, rules })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in() -> I18n {
        let config = SiteConfig::parse(
            "title: T\nbase_url: https://x.org/\ndefault_language: de\nlanguages:\n  de: {name: Deutsch}\n  en: {name: English}\n  fr: {name: Français}\n  ar: {name: العربية, dir: rtl}\n  fa: {name: فارسی, dir: rtl}\n  ls: {name: Leichte Sprache, lang: de}\n",
        )
        .unwrap();
        I18n::load(Path::new("/nonexistent"), &config).unwrap()
    }

    #[test]
    fn dates_in_every_language() {
        let i = built_in();
        let d = Date::parse("2016-11-25").unwrap();
        assert_eq!(i.format_date("de", &d), "25. November 2016");
        assert_eq!(i.format_date("fr", &d), "25 novembre 2016");
        assert_eq!(i.format_date("en", &d), "25 November 2016");
        assert_eq!(i.format_date("ar", &d), "٢٥ نوفمبر ٢٠١٦");
        assert_eq!(i.format_date("fa", &d), "۲۵ نوامبر ۲۰۱۶");
    }

    #[test]
    fn arabic_has_six_plural_forms() {
        let i = built_in();
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100].iter().map(|n| i.plural("ar", "pages_count", *n).unwrap()).collect();
        let distinct: BTreeSet<&String> = forms.iter().collect();
        assert_eq!(distinct.len(), 6, "{forms:?}");
    }

    #[test]
    fn missing_key_names_language_and_key() {
        let i = built_in();
        let e = i.t("fr", "no_such_key").unwrap_err();
        assert!(e.contains("no_such_key") && e.contains("`fr`"), "{e}");
    }
}
