//! YAML front matter: the block between two `---` lines at the top of a content file.
//!
//! Parsed key by key (not into one struct) so that a file with several problems
//! reports all of them, each at the line of its key.

use crate::config::{find_key_line, yaml_error};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, did_you_mean};
use serde_yaml::Value;

pub const KNOWN_KEYS: &[&str] = &[
    "title", "description", "date", "updated", "draft", "expires", "weight", "tags", "categories", "slug", "type",
    "aliases", "translated_from", "form",
];

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub expires: Option<Date>,
    pub draft: bool,
    pub weight: i64,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub slug: Option<String>,
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    /// What a translation was translated from: the short hash of its default-language page
    /// (`check::translations::hash_of`), lower-case hex.
    pub translated_from: Option<String>,
    /// `form: exchange`: a submission form for that content type under the text (see `forms`).
    pub form: Option<String>,
    /// The schema of `form`, set by `types::apply` once the name is checked.
    pub form_schema: Option<crate::types::schema::Schema>,
    /// Keys beyond the common ones, in file order: the fields of a content type, checked against
    /// its schema once the type is known (it may come from the section), else unknown keys.
    pub extra: Vec<(String, Value)>,
}

/// A content file split into front matter and Markdown body.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML (the opening `---`), to shift YAML line numbers.
    pub yaml_line_offset: usize,
    /// Byte offset of the body in the file, to locate Markdown problems.
    pub body_offset: usize,
}

pub fn split<'a>(file: &str, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let missing = || {
        Diagnostic::error(file, "the file does not start with front matter")
            .at(source, 1, 1)
            .hint("start the file with a line `---`, then `title: …`, then another line `---`")
    };
    let first_line_end = source.find('\n').ok_or_else(missing)?;
    if source[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let yaml_start = first_line_end + 1;
    let mut pos = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = pos + line.len();
            return Ok(Split {
                yaml: &source[yaml_start..pos],
                yaml_line_offset: 1,
                body_offset,
            });
        }
        pos += line.len();
    }
    Err(Diagnostic::error(file, "the front matter is never closed")
        .at(source, 1, 1)
        .hint("end the front matter with a line that holds only `---`"))
}

pub fn parse(file: &str, source: &str, split: &Split) -> Result<FrontMatter, Vec<Diagnostic>> {
    let max = crate::diagnostic::limits::MAX_FRONT_MATTER_BYTES;
    if split.yaml.len() > max {
        use crate::diagnostic::limits::{limit, size};
        return Err(vec![Diagnostic::error(file, format!("the front matter is {}; front matter may be at most {}", size(split.yaml.len() as u64), limit(max as u64)))
            .at(source, 1, 1)
            .hint("front matter holds the title, dates and a few facts; put long text below the closing `---`")]);
    }
    let value: Value = match serde_yaml::from_str(split.yaml) {
        Ok(v) => v,
        Err(e) => {
            let mut d = yaml_error(file, split.yaml, &e);
            if d.line > 0 {
                let (line, column) = (d.line + split.yaml_line_offset, d.column);
                d = d.at(source, line, column);
            }
            return Err(vec![d]);
        }
    };
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => Default::default(),
        _ => {
            return Err(vec![Diagnostic::error(file, "front matter must be a list of `key: value` lines")
                .at(source, 2, 1)
                .hint("write e.g. `title: Arbeit finden`")]);
        }
    };
    let mut errors = Vec::new();
    let mut fm = FrontMatter::default();
    // Position of `key:` in the whole file, and of its value.
    let locate = |key: &str| -> (usize, usize) {
        match find_key_line(split.yaml, key) {
            Some((line, col)) => (line + split.yaml_line_offset, col),
            None => (split.yaml_line_offset + 1, 1),
        }
    };
    let value_col = |line: usize, key_col: usize, key: &str| -> usize {
        let text = source.lines().nth(line - 1).unwrap_or("");
        let after_key = key_col - 1 + key.len();
        let rest: String = text.chars().skip(after_key).collect();
        let spaces = rest.chars().skip(1).take_while(|c| *c == ' ').count();
        after_key + 2 + spaces
    };
    let mut wrong_type = |key: &str, expected: &str, example: &str| {
        let (line, col) = locate(key);
        errors.push(
            Diagnostic::error(file, format!("`{key}` must be {expected}"))
                .at(source, line, value_col(line, col, key))
                .hint(format!("write e.g. `{key}: {example}`")),
        );
    };
    let mut unknown = Vec::new();
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            unknown.push(format!("{k:?}"));
            continue;
        };
        match key {
            "title" => match scalar_string(v) {
                Some(s) if !s.trim().is_empty() => fm.title = s,
                _ => wrong_type("title", "a non-empty text", "Arbeit finden"),
            },
            "description" => match scalar_string(v) {
                Some(s) => fm.description = Some(s),
                None => wrong_type("description", "a text", "Wie Sie eine Arbeit finden."),
            },
            "date" | "updated" | "expires" => match scalar_string(v).as_deref().and_then(Date::parse) {
                Some(d) => match key {
                    "date" => fm.date = Some(d),
                    "updated" => fm.updated = Some(d),
                    _ => fm.expires = Some(d),
                },
                None => wrong_type(key, "a date in the form YYYY-MM-DD", "2024-05-31"),
            },
            "draft" => match v.as_bool() {
                Some(b) => fm.draft = b,
                None => wrong_type("draft", "true or false", "true"),
            },
            "weight" => match v.as_i64() {
                Some(w) => fm.weight = w,
                None => wrong_type("weight", "a whole number", "10"),
            },
            "tags" | "categories" => match string_list(v) {
                Some(list) => {
                    if key == "tags" {
                        fm.tags = list
                    } else {
                        fm.categories = list
                    }
                }
                None => wrong_type(key, "a list of texts", "[Arbeit, Ausbildung]"),
            },
            "aliases" => match string_list(v) {
                Some(list) => fm.aliases = list,
                None => wrong_type("aliases", "a list of old URL paths", "[/de/alte-seite/]"),
            },
            "slug" => match scalar_string(v) {
                Some(s) if valid_slug(&s) => fm.slug = Some(s),
                _ => wrong_type("slug", "one URL segment: letters, digits, `-` and `_` only", "jobs-finden"),
            },
            // Read from the line itself: YAML would turn `012345678901` or `123e45678901` into numbers.
            "translated_from" => match raw_value(source, locate("translated_from").0) {
                Some(h) if (4..=64).contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit()) => {
                    fm.translated_from = Some(h.to_ascii_lowercase())
                }
                _ => wrong_type("translated_from", "the short hash of the page it was translated from (hex digits)", "3f2a9c1b7d4e"),
            },
            "form" => match scalar_string(v) {
                Some(s) => fm.form = Some(s),
                None => wrong_type("form", "the name of a content type", "exchange"),
            },
            "type" => match scalar_string(v) {
                Some(s) => fm.kind = Some(s),
                None => wrong_type("type", "the name of a content type", "page"),
            },
            _ => fm.extra.push((key.to_string(), v.clone())),
        }
    }
    for key in unknown {
        let (line, col) = locate(&key);
        errors.push(Diagnostic::error(file, format!("unknown front-matter key `{key}`")).at(source, line, col)
            .hint(format!("known keys: {}", KNOWN_KEYS.join(", "))));
    }
    if !map.contains_key("title") {
        errors.push(
            Diagnostic::error(file, "the front matter has no `title`")
                .at(source, split.yaml_line_offset + 1, 1)
                .hint("add a line `title: …` between the `---` lines: every page needs a title"),
        );
    }
    if !errors.is_empty() {
        // The page never reaches the type check: report the keys that look like typos of common keys now.
        for (key, _) in &fm.extra {
            if did_you_mean(key, KNOWN_KEYS.iter().copied()).is_some() {
                errors.push(unknown_key_error(file, source, key, None, &[]));
            }
        }
        return Err(errors);
    }
    Ok(fm)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value of a one-line `key: value` at `line` (1-based) of `source`, unquoted, without a comment.
fn raw_value(source: &str, line: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let value = text.split_once(':')?.1;
    let value = match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    }
    .trim();
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some(value.trim().to_string())
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items.iter().map(scalar_string).collect(),
        Value::String(s) => Some(vec![s.clone()]),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// The error for a key that is neither common nor a field of the page's type (`fields`).
pub fn unknown_key_error(file: &str, source: &str, key: &str, kind: Option<&str>, fields: &[&str]) -> Diagnostic {
    let front = &source[..front_matter_end(source)];
    let (line, col) = top_level_key(front, key).unwrap_or((2, 1));
    let candidates = KNOWN_KEYS.iter().chain(fields.iter()).copied();
    let hint = match did_you_mean(key, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None if fields.is_empty() => format!("known keys: {}", KNOWN_KEYS.join(", ")),
        None => format!("fields of `{}`: {}; common keys: {}", kind.unwrap_or("page"), fields.join(", "), KNOWN_KEYS.join(", ")),
    };
    let what = match kind {
        Some(k) => format!("unknown front-matter key `{key}` for `type: {k}`"),
        None => format!("unknown front-matter key `{key}`"),
    };
    Diagnostic::error(file, what).at(source, line, col).hint(hint)
}

/// Byte offset just after the closing `---` of the front matter (0 when there is none).
pub fn front_matter_end(source: &str) -> usize {
    split("", source).map(|s| s.body_offset).unwrap_or(0)
}

/// Line and column of a top-level `key:` (no indentation) in YAML text.
pub fn top_level_key(yaml: &str, key: &str) -> Option<(usize, usize)> {
    yaml.lines().position(|l| {
        let rest = l.strip_prefix(key).or_else(|| l.strip_prefix(&format!("\"{key}\"")));
        rest.is_some_and(|r| r.trim_start().starts_with(':'))
    }).map(|i| (i + 1, 1))
}

/// A slug is one path segment and can never climb out of its folder.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !s.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let s = split("x.md", src).map_err(|d| vec![d])?;
        parse("x.md", src, &s)
    }

    #[test]
    fn reads_known_keys() {
        let fm = run("---\ntitle: Arbeit\ndate: 2024-05-31\ntags: [Job, Arbeit]\nweight: 3\n---\nText").unwrap();
        assert_eq!(fm.title, "Arbeit");
        assert_eq!(fm.tags, ["Job", "Arbeit"]);
        assert_eq!(fm.weight, 3);
    }

    #[test]
    fn reports_every_problem_at_its_line() {
        let e = run("---\ntitel: Arbeit\ndate: gestern\n---\n").unwrap_err();
        let msgs: Vec<String> = e.iter().map(|d| format!("{}:{} {}", d.line, d.column, d.message)).collect();
        assert!(msgs.iter().any(|m| m.starts_with("3:7 `date` must be a date")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("no `title`")), "{msgs:?}");
    }

    #[test]
    fn translated_from_is_read_from_the_line() {
        let fm = run("---\ntitle: A\ntranslated_from: 012345678e90 # from de\n---\n").unwrap();
        assert_eq!(fm.translated_from.as_deref(), Some("012345678e90"));
        let fm = run("---\ntitle: A\ntranslated_from: \"ABCDEF123456\"\n---\n").unwrap();
        assert_eq!(fm.translated_from.as_deref(), Some("abcdef123456"));
        let e = run("---\ntitle: A\ntranslated_from: gestern\n---\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (3, 18));
        assert!(e[0].message.contains("`translated_from` must be"), "{}", e[0].message);
    }

    #[test]
    fn slugs_cannot_climb() {
        assert!(!valid_slug(".."));
        assert!(!valid_slug("a/b"));
        assert!(!valid_slug("a\\b"));
        assert!(valid_slug("arbeit-finden"));
        assert!(valid_slug("عمل"));
    }
}
