//! `site.yaml`: the site's title, base URL, languages and theme.

use crate::diagnostic::{Diagnostic, did_you_mean};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Language {
    /// The code used in file suffixes and URLs (`ar`, `ls`).
    pub code: String,
    /// Name in the language itself (`العربية`).
    pub name: String,
    /// `rtl` or `ltr`.
    pub dir: String,
    /// The HTML `lang` value (`de` for easy German whose code is `ls`).
    pub lang: String,
    /// Language whose page is shown when a page is missing in this one.
    pub fallback: Option<String>,
}

impl Language {
    pub fn is_rtl(&self) -> bool {
        self.dir == "rtl"
    }
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: BTreeMap<String, String>,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending with `/` (`/portal/`).
    pub base_path: String,
    pub default_language: String,
    /// In the order of site.yaml: the order of language switchers.
    pub languages: Vec<Language>,
    pub theme: String,
    pub paginate: usize,
    /// IANA time zone of events and of "today" (expiry, upcoming events).
    pub timezone: String,
    /// District key → its neighbours (the exchange matches within and next door).
    pub districts: BTreeMap<String, Vec<String>>,
    /// A GeoJSON file of the region's outline, relative to the site folder.
    pub map_outline: Option<String>,
    /// Write `.gz` and `.br` beside every text file (default true; hosts that compress on the fly,
    /// such as Netlify or GitHub Pages, do not need them).
    pub precompress: bool,
    /// Folders `shared/<name>/` at the repository root whose pages this site shows too (its own
    /// `content/` wins for a file of the same path); see `sites`.
    pub shared_content: Vec<String>,
    /// Raw HTML in Markdown is kept as written (default false: sanitized; `exchange` entries, written
    /// by the public, are sanitized always).
    pub trusted_html: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: RawTitle,
    base_url: String,
    default_language: String,
    languages: serde_yaml::Mapping,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    paginate: Option<usize>,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    districts: BTreeMap<String, RawDistrict>,
    #[serde(default)]
    map_outline: Option<String>,
    #[serde(default)]
    precompress: Option<bool>,
    #[serde(default)]
    shared_content: Vec<String>,
    #[serde(default)]
    trusted_html: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    #[serde(default)]
    near: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawTitle {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    #[serde(default)]
    dir: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    fallback: Option<String>,
}

const FILE: &str = "site.yaml";

impl SiteConfig {
    pub fn load(site_dir: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let layout = crate::sites::Layout::of(site_dir);
        let shown = layout.shown(FILE);
        let path = site_dir.join(FILE);
        use crate::diagnostic::limits;
        limits::check_size(&path, &shown, limits::MAX_DATA_BYTES, "site.yaml files", "site.yaml holds settings only; keep long texts in content/")
            .map_err(|d| vec![d])?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(&shown, format!("cannot read site.yaml: {e}")).hint(
                "run lotse in the site folder or pass --source DIR (or --site NAME); the folder needs a site.yaml and a content/ folder",
            )]
        })?;
        // Problems are found in `site.yaml`; a site of a repository shows its real path.
        let place = |mut errors: Vec<Diagnostic>| {
            for d in &mut errors {
                if d.file == Path::new(FILE) {
                    d.file = shown.clone().into();
                }
            }
            errors
        };
        let config = Self::parse(&text).map_err(place)?;
        let errors = crate::sites::check_shared(&layout, &config.shared_content, &text);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let raw: RawConfig = serde_yaml::from_str(text).map_err(|e| {
            let d = yaml_error(FILE, text, &e);
            // The most common wrong form here, written as other tools take it: a list of languages.
            if d.message.starts_with("wrong kind of value: languages: invalid type: sequence") {
                return vec![d.hint("`languages` is a map from each language code to its settings, not a list: write `languages:` and below it lines like `de: { name: Deutsch }` and `ar: { name: \"العربية\", dir: rtl }`")];
            }
            vec![d]
        })?;
        let mut errors = Vec::new();
        let key_pos = |key: &str| find_key_line(text, key);

        let mut languages = Vec::new();
        for (k, v) in &raw.languages {
            let code = match k.as_str() {
                Some(c) => c.to_string(),
                None => continue,
            };
            let (line, col) = key_pos(&code).unwrap_or((1, 1));
            let rl: RawLanguage = match serde_yaml::from_value(v.clone()) {
                Ok(l) => l,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(FILE, format!("language `{code}`: {e}"))
                            .at(text, line, col)
                            .hint("write e.g. `ar: { name: \"العربية\", dir: rtl }`"),
                    );
                    continue;
                }
            };
            let dir = rl.dir.unwrap_or_else(|| "ltr".into());
            if dir != "ltr" && dir != "rtl" {
                errors.push(
                    Diagnostic::error(FILE, format!("language `{code}`: dir must be `ltr` or `rtl`, not `{dir}`"))
                        .at(text, line, col),
                );
            }
            if !valid_code(&code) {
                errors.push(
                    Diagnostic::error(FILE, format!("language code `{code}` may only hold a-z, 0-9 and `-`"))
                        .at(text, line, col),
                );
            }
            languages.push(Language {
                lang: rl.lang.unwrap_or_else(|| code.clone()),
                code,
                name: rl.name,
                dir,
                fallback: rl.fallback,
            });
        }
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        if !codes.contains(&raw.default_language.as_str()) {
            let (line, col) = key_pos("default_language").unwrap_or((1, 1));
            errors.push(
                Diagnostic::error(FILE, format!("default_language `{}` is not in `languages`", raw.default_language))
                    .at(text, line, col)
                    .hint(format!("declared languages: {}", codes.join(", "))),
            );
        }
        for l in &languages {
            if let Some(f) = &l.fallback
                && (!codes.contains(&f.as_str()) || f == &l.code)
            {
                let (line, col) = key_pos(&l.code).unwrap_or((1, 1));
                let mut d = Diagnostic::error(FILE, format!("language `{}`: fallback `{f}` is not another declared language", l.code))
                    .at(text, line, col);
                if let Some(s) = did_you_mean(f, codes.iter().copied()) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                errors.push(d);
            }
        }
        let base_url = if raw.base_url.ends_with('/') { raw.base_url.clone() } else { format!("{}/", raw.base_url) };
        let base_path = base_path_of(&base_url);
        let title = match raw.title {
            RawTitle::One(t) => codes.iter().map(|c| (c.to_string(), t.clone())).collect(),
            RawTitle::PerLanguage(map) => {
                let default = map.get(&raw.default_language).cloned().unwrap_or_default();
                codes.iter().map(|c| (c.to_string(), map.get(*c).cloned().unwrap_or_else(|| default.clone()))).collect()
            }
        };
        let timezone = raw.timezone.unwrap_or_else(|| "Europe/Berlin".into());
        if let Err(e) = portal_data::calendar::validate_tz(&timezone) {
            let (line, col) = key_pos("timezone").unwrap_or((1, 1));
            errors.push(Diagnostic::error(FILE, format!("timezone: {e}")).at(text, line, col)
                .hint("use an IANA time zone name such as `Europe/Berlin`"));
        }
        for (d, raw_d) in &raw.districts {
            for n in &raw_d.near {
                if !raw.districts.contains_key(n) {
                    let (line, col) = key_pos(d).unwrap_or((1, 1));
                    let mut diag = Diagnostic::error(FILE, format!("district `{d}`: neighbour `{n}` is not a declared district")).at(text, line, col);
                    if let Some(s) = did_you_mean(n, raw.districts.keys().map(String::as_str)) {
                        diag = diag.hint(format!("did you mean `{s}`?"));
                    }
                    errors.push(diag);
                }
            }
        }
        if let Some(m) = &raw.map_outline
            && (m.starts_with('/') || m.contains("..") || m.contains('\\'))
        {
            let (line, col) = key_pos("map_outline").unwrap_or((1, 1));
            errors.push(Diagnostic::error(FILE, "map_outline must be a path inside the site folder").at(text, line, col)
                .hint("write e.g. `map_outline: data/region.geojson`"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteConfig {
            timezone,
            districts: raw.districts.into_iter().map(|(k, v)| (k, v.near)).collect(),
            map_outline: raw.map_outline,
            precompress: raw.precompress.unwrap_or(true),
            shared_content: raw.shared_content,
            trusted_html: raw.trusted_html,
            title,
            base_url,
            base_path,
            default_language: raw.default_language,
            languages,
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            paginate: raw.paginate.unwrap_or(10).max(1),
        })
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The languages whose page stands in for a missing one, best first:
    /// the declared fallback chain, then the default language.
    pub fn fallback_chain(&self, code: &str) -> Vec<&str> {
        let mut chain: Vec<&str> = Vec::new();
        let mut current = self.language(code).and_then(|l| l.fallback.as_deref());
        while let Some(c) = current {
            if chain.contains(&c) || c == code {
                break;
            }
            chain.push(c);
            current = self.language(c).and_then(|l| l.fallback.as_deref());
        }
        if code != self.default_language && !chain.contains(&self.default_language.as_str()) {
            chain.push(&self.default_language);
        }
        chain
    }

    /// `hreflang` value: the HTML lang, made unique with a private-use tag when two
    /// languages share it (easy German `ls` next to `de` becomes `de-x-ls`).
    pub fn hreflang(&self, code: &str) -> String {
        let lang = self.language(code).map(|l| l.lang.clone()).unwrap_or_else(|| code.to_string());
        let shared = self.languages.iter().filter(|l| l.lang == lang).count() > 1;
        if shared && lang != code { format!("{lang}-x-{code}") } else { lang }
    }
}

pub fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map(|(_, r)| r).unwrap_or(base_url);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Line and column of a mapping key in YAML text (first occurrence of `key:`).
pub fn find_key_line(text: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key).or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if let Some(rest) = rest
            && rest.trim_start().starts_with(':')
        {
            return Some((i + 1, line.len() - trimmed.len() + 1));
        }
    }
    None
}

/// A serde_yaml error as a diagnostic at its location.
pub fn yaml_error(file: &str, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; the location is shown separately.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    // serde_yaml's own limits (see `diagnostic::limits`): nesting and alias expansion.
    if message.starts_with("recursion limit exceeded") {
        let d = Diagnostic::error(file, "invalid YAML: nested more than 128 levels deep");
        return match e.location() {
            Some(loc) => d.at(text, loc.line(), loc.column()),
            None => d,
        }
        .hint("write flat `key: value` lines and short lists; check that every `[` and `{` is closed");
    }
    if message.starts_with("repetition limit exceeded") {
        let d = Diagnostic::error(file, "invalid YAML: its aliases (`*name`) repeat other values too often (an alias bomb)");
        let alias = text.lines().position(|l| l.contains(" *") || l.contains("[*") || l.contains(",*"));
        return match alias {
            Some(i) => d.at(text, i + 1, 1),
            None => d,
        }
        .hint("write the values out instead of repeating anchors (`&name`) with aliases (`*name`)");
    }
    // Well-formed YAML with a misspelt key or a value of the wrong kind is not fixed by indentation or quotes.
    let (message, hint) = if let Some(hint) = unknown_name_hint(&message) {
        (message, hint)
    } else if let Some(hint) = wrong_form_hint(&message) {
        (format!("wrong kind of value: {message}"), hint)
    } else if message.contains("tab character") {
        (format!("invalid YAML: {message}"), "indent with spaces: YAML does not allow tabs (many editors can insert spaces when you press Tab)".into())
    } else {
        (format!("invalid YAML: {message}"), "check the indentation and quote values that contain `:` or start with a special character".into())
    };
    let d = Diagnostic::error(file, message);
    match e.location() {
        Some(loc) => d.at(text, loc.line(), loc.column()),
        None => d,
    }
    .hint(hint)
}

/// For serde's "unknown field `X`, expected one of `a`, `b`" (and "unknown variant", for a value from a
/// fixed list): the closest known name, and all of them.
fn unknown_name_hint(message: &str) -> Option<String> {
    let rest = message.split_once("unknown field `").or_else(|| message.split_once("unknown variant `"))?.1;
    let (name, known) = rest.split_once('`')?;
    let known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
    if known.is_empty() {
        return Some(format!("`{name}` is not known here; check its spelling"));
    }
    // The message lists the known names already.
    Some(match crate::diagnostic::did_you_mean(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "check the spelling against the names listed above".into(),
    })
}

/// For serde's "KEY: invalid type: FOUND, expected WANTED": the YAML is well-formed but a value has the wrong
/// form, which indentation and quoting do not fix. The common case is a list where a map belongs.
fn wrong_form_hint(message: &str) -> Option<String> {
    let (key, rest) = message.split_once(": invalid type: ")?;
    let (found, wanted) = rest.split_once(", expected ")?;
    let key = key.rsplit(": ").next().unwrap_or(key);
    let hint = if found.starts_with("sequence") && takes_map(wanted) {
        format!("`{key}` takes `name: value` lines, not a list of `- ` items")
    } else {
        format!("`{key}` has the wrong kind of value: it takes {}, not {}", plain(wanted), plain(found))
    };
    Some(hint)
}

/// serde says "a map", "a YAML mapping" or "struct RawDistrict" for what YAML writes as `name: value` lines.
fn takes_map(kind: &str) -> bool {
    kind.contains("map") || kind.starts_with("struct")
}

/// serde's names of YAML kinds in an editor's words.
fn plain(kind: &str) -> String {
    let k = kind.trim_start_matches("a ").trim_start_matches("an ");
    let said = if k.starts_with("sequence") {
        "a list (`- ` items or `[a, b]`)"
    } else if takes_map(k) {
        "`name: value` lines"
    } else if k.starts_with("string") {
        return format!("the text {}", k.trim_start_matches("string").trim());
    } else if k.starts_with("boolean") {
        "`true` or `false`"
    } else if k.starts_with("integer") || k.starts_with("i64") || k.starts_with("u64") || k.starts_with("u32") || k.starts_with("usize") {
        "a whole number"
    } else if k.starts_with("floating point") || k.starts_with("f64") {
        "a number"
    } else {
        return kind.to_string();
    };
    said.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: T\nbase_url: https://x.org/portal\ndefault_language: de\nlanguages:\n  de: {name: Deutsch}\n  ar: {name: العربية, dir: rtl}\n  ls: {name: Leichte Sprache, lang: de, fallback: de}\n";

    #[test]
    fn a_list_of_languages_is_refused_with_the_map_it_should_be() {
        let text = "title: T\nbase_url: https://x.org/\nlanguages:\n  - code: de\n  - code: ar\n";
        let errors = SiteConfig::parse(text).expect_err("a list of languages is an error");
        let d = &errors[0];
        assert_eq!((d.line, d.column), (4, 3), "{d:?}");
        assert!(d.message.contains("invalid type: sequence"), "{}", d.message);
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("not a list") && hint.contains("de: { name: Deutsch }"), "{hint}");
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_named_in_plain_words() {
        let text = "title: T\nbase_url: https://x.org/\npaginate: viele\nlanguages:\n  de: { name: Deutsch }\n";
        let errors = SiteConfig::parse(text).expect_err("a word for a number is an error");
        let hint = errors[0].hint.as_deref().unwrap_or_default();
        assert!(hint.contains("`paginate`") && hint.contains("a whole number") && hint.contains("\"viele\""), "{hint}");
        assert!(!hint.contains("indentation"), "{hint}");
    }

    #[test]
    fn a_misspelt_key_gets_did_you_mean() {
        let text = "title: T\nbase_url: https://x.org/\ndefault_langauge: de\nlanguages:\n  de: { name: Deutsch }\n";
        let errors = SiteConfig::parse(text).expect_err("an unknown key is an error");
        let d = &errors[0];
        assert_eq!((d.line, d.column), (3, 1), "{d:?}");
        assert!(d.message.starts_with("unknown field `default_langauge`"), "{}", d.message);
        let hint = d.hint.as_deref().unwrap_or_default();
        assert_eq!(hint, "did you mean `default_language`?");
        assert!(d.message.contains("`base_url`"), "the known names: {}", d.message);
    }

    #[test]
    fn reads_languages_in_order_and_sub_path() {
        let c = SiteConfig::parse(YAML).unwrap();
        assert_eq!(c.base_path, "/portal/");
        assert_eq!(c.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["de", "ar", "ls"]);
        assert!(c.language("ar").unwrap().is_rtl());
        assert_eq!(c.hreflang("ls"), "de-x-ls");
        assert_eq!(c.hreflang("de"), "de");
        assert_eq!(c.fallback_chain("ls"), ["de"]);
        assert_eq!(c.fallback_chain("ar"), ["de"]);
    }

    #[test]
    fn unknown_default_language_is_an_error_at_its_line() {
        let y = YAML.replace("default_language: de", "default_language: dx");
        let e = SiteConfig::parse(&y).unwrap_err();
        assert_eq!(e[0].line, 3);
    }
}
