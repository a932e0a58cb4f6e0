//! Schemas of the content types: which fields a `place`, an `event`… has, of which kind, which are
//! required. Declared once in the theme (`schemas/<type>.yaml`, the default theme's built into the
//! binary); a site's theme adds fields or replaces them. [`Field::check`] turns a front-matter value
//! into normalized JSON for the templates, or says what is wrong with it.

use crate::diagnostic::{Diagnostic, did_you_mean};
use serde::Deserialize;
use serde_json::{Map, Value as Json};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The default theme's schemas, built into the binary.
const BUILT_IN: &[(&str, &str)] = &[
    ("place", include_str!("../../themes/default/schemas/place.yaml")),
    ("offer", include_str!("../../themes/default/schemas/offer.yaml")),
    ("event", include_str!("../../themes/default/schemas/event.yaml")),
    ("job", include_str!("../../themes/default/schemas/job.yaml")),
    ("exchange", include_str!("../../themes/default/schemas/exchange.yaml")),
    ("material", include_str!("../../themes/default/schemas/material.yaml")),
    ("link", include_str!("../../themes/default/schemas/link.yaml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Integer,
    Bool,
    Date,
    Datetime,
    Timezone,
    Url,
    Email,
    Phone,
    Geo,
    Address,
    Contact,
    OpeningHours,
    Key,
    Enum,
    List,
    Map,
    Ref,
    File,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    /// `enum`: the allowed values.
    #[serde(default)]
    pub values: Vec<String>,
    /// `list`: the kind of the items.
    #[serde(default)]
    pub of: Option<Box<Field>>,
    /// `map`: its fields.
    #[serde(default)]
    pub fields: BTreeMap<String, Field>,
    /// `ref`: the type of the page it points to.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub fields: BTreeMap<String, Field>,
}

/// Every content type by name.
#[derive(Debug, Clone, Default)]
pub struct Schemas(pub BTreeMap<String, Schema>);

impl Schemas {
    /// The built-in schemas, extended or replaced field by field by `themes/<theme>/schemas/*.yaml`.
    pub fn load(site_dir: &Path, theme: &str) -> Result<Schemas, Vec<Diagnostic>> {
        let mut out = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, text) in BUILT_IN {
            match parse(&format!("themes/default/schemas/{name}.yaml"), text) {
                Ok(s) => {
                    out.insert(name.to_string(), s);
                }
                Err(e) => errors.push(e),
            }
        }
        // The repository's schema files, each replaced by the site's own of the same name (see `sites`).
        let mut files: BTreeMap<String, (std::path::PathBuf, String)> = BTreeMap::new();
        for (dir, shown) in crate::sites::Layout::of(site_dir).layers(&format!("themes/{theme}/schemas")) {
            for path in std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()) {
                let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".yaml")) else { continue };
                files.insert(name.to_string(), (path.clone(), format!("{shown}/{name}.yaml")));
            }
        }
        for (name, (path, rel)) in files {
            use crate::diagnostic::limits;
            let text = match limits::read_data(&path, &rel, limits::MAX_DATA_BYTES, "schema files", "a schema names fields and their kinds; a few KB are plenty") {
                Ok(t) => t,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            match parse(&rel, &text) {
                Ok(s) => out.entry(name.to_string()).or_insert_with(|| Schema { fields: BTreeMap::new() }).fields.extend(s.fields),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(Schemas(out)) } else { Err(errors) }
    }

    pub fn get(&self, name: &str) -> Option<&Schema> {
        self.0.get(name)
    }
}

fn parse(file: &str, text: &str) -> Result<Schema, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| {
        crate::config::yaml_error(file, text, &e)
            .hint("a schema is `fields:` with one `name: { kind: …, required: true }` per field (see docs/content-types.md)")
    })
}

/// What is wrong with a value: the message, an example of a good value, and the nested path
/// (`address.city`) so the caller can point at the right line.
#[derive(Debug)]
pub struct Problem {
    pub path: Vec<String>,
    pub message: String,
    pub example: String,
}

fn problem(message: impl Into<String>, example: impl Into<String>) -> Problem {
    Problem { path: Vec::new(), message: message.into(), example: example.into() }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `housing`, `talbach-mitte`: lower-case letters, digits and `-`.
pub fn valid_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn valid_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 10
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"')
}

fn valid_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else { return false };
    !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        && s.chars().all(|c| c.is_alphanumeric() || "@.-_+".contains(c))
}

fn valid_phone(s: &str) -> bool {
    s.chars().filter(|c| c.is_ascii_digit()).count() >= 3 && s.chars().all(|c| c.is_ascii_digit() || " +-/()".contains(c))
}

impl Field {
    /// Checks `v` and returns it normalized: dates as `YYYY-MM-DD`, datetimes as `YYYY-MM-DD HH:MM`,
    /// keys and texts trimmed, maps with their known fields only.
    pub fn check(&self, v: &Value) -> Result<Json, Problem> {
        let text = || scalar(v).filter(|s| !s.is_empty());
        match self.kind {
            Kind::Text => text().map(Json::String).ok_or_else(|| problem("must be a text", "Caritas Talbach")),
            Kind::Integer => match v {
                Value::Number(n) if n.is_u64() => Ok(Json::from(n.as_u64().unwrap_or(0))),
                _ => Err(problem("must be a whole number", "2")),
            },
            Kind::Bool => match v {
                Value::Bool(b) => Ok(Json::Bool(*b)),
                _ => Err(problem("must be true or false", "true")),
            },
            Kind::Date => match text().and_then(|s| crate::date::Date::parse(&s).filter(|_| s.len() == 10)) {
                Some(d) => Ok(Json::String(d.to_string())),
                None => Err(problem("must be a date in the form YYYY-MM-DD", "2026-12-31")),
            },
            Kind::Datetime => {
                let s = text().ok_or_else(|| problem("must be a date and time", "2026-12-03 18:00"))?;
                portal_data::calendar::parse_local(&s)
                    .map(|_| Json::String(s.replace('T', " ")))
                    .map_err(|e| problem(format!("must be a date and time ({e})"), "2026-12-03 18:00"))
            }
            Kind::Timezone => {
                let s = text().ok_or_else(|| problem("must be a time zone", "Europe/Berlin"))?;
                portal_data::calendar::validate_tz(&s).map(|_| Json::String(s)).map_err(|e| problem(format!("is not a time zone ({e})"), "Europe/Berlin"))
            }
            Kind::Url => text().filter(|s| valid_url(s)).map(Json::String)
                .ok_or_else(|| problem("must be a web address starting with https:// or http://", "https://beratung.example.org/")),
            Kind::Email => text().filter(|s| valid_email(s)).map(Json::String)
                .ok_or_else(|| problem("must be an e-mail address", "beratung@example.org")),
            Kind::Phone => text().filter(|s| valid_phone(s)).map(Json::String)
                .ok_or_else(|| problem("must be a phone number (digits, spaces and + - / ( ) only)", "+49 361 555-0123")),
            Kind::Key => text().filter(|s| valid_key(s)).map(Json::String)
                .ok_or_else(|| problem("must be a key: lower-case letters, digits and `-`", "housing")),
            Kind::Enum => match text() {
                Some(s) if self.values.contains(&s) => Ok(Json::String(s)),
                Some(s) => {
                    let hint = did_you_mean(&s, self.values.iter().map(String::as_str)).map(|m| format!(" (did you mean `{m}`?)")).unwrap_or_default();
                    Err(problem(format!("must be one of {}, not `{s}`{hint}", self.values.join(", ")), self.values.first().cloned().unwrap_or_default()))
                }
                None => Err(problem(format!("must be one of {}", self.values.join(", ")), self.values.first().cloned().unwrap_or_default())),
            },
            Kind::OpeningHours => {
                let s = text().ok_or_else(|| problem("must be opening hours", "\"Mo-Fr 09:00-12:00; Th 14:00-18:00\""))?;
                portal_data::hours::parse(&s).map(|_| Json::String(s)).map_err(|e| {
                    problem(format!("opening hours: {} ({})", e.message, e.hint), "\"Mo-Fr 09:00-12:00; Th 14:00-18:00\"")
                })
            }
            Kind::Ref => match text() {
                Some(s) if s.starts_with("@/") && s.ends_with(".md") && !s.contains("..") => Ok(Json::String(s)),
                _ => Err(problem(format!("must point to a {} page as `@/path/file.md`", self.to.as_deref().unwrap_or("content")), "\"@/orte/beratungszentrum.md\"")),
            },
            Kind::File => match text() {
                Some(s) if !s.contains("..") && !s.starts_with('/') && !s.contains('\\') && !s.contains('\0') => Ok(Json::String(s)),
                _ => Err(problem("must name a file beside this one in the content folder", "leitfaden.pdf")),
            },
            Kind::Geo => {
                let Value::Mapping(m) = v else { return Err(problem("must be a map with lat and lon", "{ lat: 50.97, lon: 11.03 }")) };
                let num = |k: &str, max: f64| -> Result<f64, Problem> {
                    let n = m.get(k).and_then(|x| x.as_f64()).ok_or_else(|| problem(format!("needs `{k}` as a number"), "{ lat: 50.97, lon: 11.03 }"))?;
                    if n.is_finite() && n.abs() <= max { Ok(n) } else { Err(problem(format!("`{k}` must lie between -{max} and {max}"), "{ lat: 50.97, lon: 11.03 }")) }
                };
                let (lat, lon) = (num("lat", 90.0)?, num("lon", 180.0)?);
                if let Some(k) = m.keys().filter_map(|k| k.as_str()).find(|k| *k != "lat" && *k != "lon") {
                    return Err(problem(format!("has an unknown key `{k}` (only lat and lon)"), "{ lat: 50.97, lon: 11.03 }"));
                }
                Ok(serde_json::json!({ "lat": lat, "lon": lon }))
            }
            Kind::Address => Field::map_of(&[
                ("street", Kind::Text, false),
                ("postal_code", Kind::Text, false),
                ("city", Kind::Text, true),
                ("district", Kind::Key, false),
            ])
            .check_map(v, "{ street: Marktplatz 3, postal_code: \"98765\", city: Talbach }"),
            Kind::Contact => Field::map_of(&[
                ("name", Kind::Text, true),
                ("role", Kind::Text, false),
                ("phone", Kind::Phone, false),
                ("email", Kind::Email, false),
            ])
            .check_map(v, "{ name: Samira Haddad, role: Beratung }"),
            Kind::Map => self.check_map(v, "{ … }"),
            Kind::List => {
                let item = self.of.as_deref().cloned().unwrap_or(Field { kind: Kind::Text, ..Field::map_of(&[]) });
                let items: Vec<&Value> = match v {
                    Value::Sequence(s) => s.iter().collect(),
                    Value::Null => Vec::new(),
                    other if !matches!(item.kind, Kind::Contact | Kind::Map) => vec![other],
                    _ => return Err(problem("must be a list", "[a, b]")),
                };
                let mut out = Vec::new();
                for (i, x) in items.into_iter().enumerate() {
                    out.push(item.check(x).map_err(|mut p| {
                        p.message = format!("item {}: {}", i + 1, p.message);
                        p
                    })?);
                }
                Ok(Json::Array(out))
            }
        }
    }

    fn map_of(fields: &[(&str, Kind, bool)]) -> Field {
        Field {
            kind: Kind::Map,
            required: false,
            values: Vec::new(),
            of: None,
            fields: fields.iter().map(|(n, k, r)| (n.to_string(), Field { kind: *k, required: *r, values: Vec::new(), of: None, fields: BTreeMap::new(), to: None })).collect(),
            to: None,
        }
    }

    fn check_map(&self, v: &Value, example: &str) -> Result<Json, Problem> {
        let Value::Mapping(m) = v else { return Err(problem("must be a map of `key: value`", example)) };
        let mut out = Map::new();
        for (k, x) in m {
            let Some(k) = k.as_str() else { return Err(problem("has a key that is not a text", example)) };
            let Some(f) = self.fields.get(k) else {
                let names: Vec<&str> = self.fields.keys().map(String::as_str).collect();
                let hint = did_you_mean(k, names.iter().copied()).map(|s| format!("did you mean `{s}`?")).unwrap_or_else(|| format!("known: {}", names.join(", ")));
                return Err(Problem { path: vec![k.to_string()], message: format!("unknown key `{k}` ({hint})"), example: example.into() });
            };
            let value = f.check(x).map_err(|mut p| {
                p.path.insert(0, k.to_string());
                p
            })?;
            out.insert(k.to_string(), value);
        }
        for (name, f) in &self.fields {
            if f.required && !out.contains_key(name) {
                return Err(problem(format!("needs `{name}`"), example));
            }
        }
        Ok(Json::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind_yaml: &str, value: &str) -> Result<Json, Problem> {
        let f: Field = serde_yaml::from_str(kind_yaml).unwrap();
        f.check(&serde_yaml::from_str(value).unwrap())
    }

    #[test]
    fn built_in_schemas_parse() {
        let s = Schemas::load(Path::new("/nonexistent"), "default").unwrap();
        for t in ["place", "offer", "event", "job", "exchange", "material", "link"] {
            assert!(s.get(t).is_some(), "{t}");
        }
        assert!(s.get("place").unwrap().fields["address"].required);
    }

    #[test]
    fn values_are_checked_and_normalized() {
        assert_eq!(check("{kind: date}", "2026-12-31").unwrap(), Json::String("2026-12-31".into()));
        assert!(check("{kind: date}", "31.12.2026").unwrap_err().message.contains("YYYY-MM-DD"));
        assert!(check("{kind: url}", "javascript:alert(1)").is_err());
        assert!(check("{kind: email}", "not-an-address").is_err());
        assert!(check("{kind: phone}", "+49 361 555-0123").is_ok());
        assert!(check("{kind: phone}", "call me").is_err());
        let e = check("{kind: enum, values: [full_time, part_time]}", "fulltime").unwrap_err();
        assert!(e.message.contains("did you mean `full_time`"), "{}", e.message);
        assert!(check("{kind: geo}", "{lat: 91, lon: 11}").is_err());
        let e = check("{kind: address}", "{street: Markt 1, cty: Talbach}").unwrap_err();
        assert_eq!(e.path, ["cty"]);
        assert!(e.message.contains("did you mean `city`"), "{}", e.message);
        assert!(check("{kind: address}", "{street: Markt 1}").unwrap_err().message.contains("needs `city`"));
        let e = check("{kind: list, of: {kind: contact}}", "[{name: A}, {role: B}]").unwrap_err();
        assert!(e.message.starts_with("item 2: needs `name`"), "{}", e.message);
        assert_eq!(check("{kind: list, of: {kind: key}}", "housing").unwrap(), serde_json::json!(["housing"]));
    }
}
