//! Submission forms for the public: a page with `form: exchange` (or `event`, `offer`, any content
//! type) gets a form under its text whose fields come from that type's schema, labelled in the
//! reader's language. The markup is Netlify Forms (`data-netlify`, a honeypot, a hidden `form-name`),
//! so it works on a static host without JavaScript; a submission is never published by itself: an
//! editor turns it into a content file with `status: pending` and reviews it (README, "Submissions";
//! `scripts/submission-to-file.py`). The template is the theme's `form.html`.

use crate::content::SourcePage;
use crate::i18n::I18n;
use crate::site::Site;
use crate::types::schema::{Field, Kind};
use serde_json::{Value as Json, json};

/// Fields the public never sets: moderation state and what needs a map or an editor.
const EDITORIAL: &[&str] = &["status", "timezone", "geo", "repeat", "opening_hours", "contacts", "file"];

/// Sibling pages that thank for a submission: `mitmachen/danke` for `mitmachen/melden`.
const THANKS: &[&str] = &["danke", "thanks", "merci"];

/// The template data of the form of page `p` shown as `key` in language `code`, if it has one.
/// `href` turns a site-relative URL into the one to write in the page.
pub fn context(site: &Site, i18n: &I18n, p: &SourcePage, key: &str, code: &str, href: &dyn Fn(&str) -> String) -> Option<Json> {
    let name = p.fm.form.as_deref()?;
    let schema = p.fm.form_schema.as_ref()?;
    let parent = key.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let action = THANKS
        .iter()
        .map(|t| if parent.is_empty() { t.to_string() } else { format!("{parent}/{t}") })
        .find_map(|k| site.url_of(&k, code).map(href));
    let mut fields: Vec<(&String, &Field)> = schema.fields.iter().filter(|(n, f)| !EDITORIAL.contains(&n.as_str()) && rank(f).is_some()).collect();
    fields.sort_by_key(|(n, f)| (rank(f), !f.required, n.as_str() == "contact", n.as_str()));
    let fields: Vec<Json> = fields.into_iter().map(|(n, f)| field(i18n, name, n, f, code)).collect();
    Some(json!({ "name": name, "action": action, "lang": code, "fields": fields }))
}

/// Order of the fields by kind: choices first, then dates, places, texts, ways to reach someone;
/// `None` for kinds a public form does not ask for.
fn rank(f: &Field) -> Option<u8> {
    Some(match f.kind {
        Kind::Enum => 0,
        Kind::Date | Kind::Datetime => 1,
        Kind::Key => 2,
        Kind::Ref | Kind::Address => 3,
        Kind::Text | Kind::Integer | Kind::Bool => 4,
        Kind::List => match f.of.as_deref().map(|o| o.kind) {
            Some(Kind::Key) => 5,
            Some(Kind::Text) => 4,
            _ => return None,
        },
        Kind::Url | Kind::Email | Kind::Phone => 6,
        _ => return None,
    })
}

/// The first of `keys` that is a UI string of `code`.
fn first(i18n: &I18n, code: &str, keys: &[String]) -> Option<String> {
    keys.iter().find_map(|k| i18n.t(code, k).ok())
}

/// The name map of a key field: `district` → `district_names`, `target_groups` → `target_group_names`.
fn names_of(i18n: &I18n, code: &str, kind: &str, field: &str) -> Vec<(String, String)> {
    let singular = field.strip_suffix('s').unwrap_or(field);
    for map in [format!("{kind}_{field}_names"), format!("{field}_names"), format!("{singular}_names")] {
        let n = i18n.names(code, &map);
        if !n.is_empty() {
            return n;
        }
    }
    Vec::new()
}

fn field(i18n: &I18n, kind: &str, name: &str, f: &Field, code: &str) -> Json {
    let mut keys = vec![format!("{kind}_{name}"), format!("form_{name}"), name.to_string()];
    if name == "languages" {
        keys.push("languages_spoken".into());
    }
    let label = first(i18n, code, &keys).unwrap_or_else(|| name.replace('_', " "));
    let id = format!("form-{name}");
    let (input, typ) = match f.kind {
        Kind::Enum | Kind::Key => ("select", ""),
        Kind::List if f.of.as_deref().is_some_and(|o| o.kind == Kind::Key) => ("checkboxes", "checkbox"),
        Kind::Address => ("textarea", ""),
        Kind::Date => ("input", "date"),
        Kind::Datetime => ("input", "datetime-local"),
        Kind::Email => ("input", "email"),
        Kind::Url => ("input", "url"),
        Kind::Phone => ("input", "tel"),
        Kind::Integer => ("input", "number"),
        Kind::Bool => ("input", "checkbox"),
        _ => ("input", "text"),
    };
    let options: Vec<Json> = match f.kind {
        Kind::Enum => {
            let named = names_of(i18n, code, kind, name);
            f.values
                .iter()
                .map(|v| json!({ "value": v, "name": named.iter().find(|(k, _)| k == v).map(|(_, n)| n.clone()).unwrap_or_else(|| v.clone()) }))
                .collect()
        }
        Kind::Key | Kind::List => {
            let mut named = names_of(i18n, code, kind, name);
            named.sort_by(|a, b| a.1.cmp(&b.1));
            named.into_iter().map(|(k, n)| json!({ "value": k, "name": n })).collect()
        }
        _ => Vec::new(),
    };
    let autocomplete = match (name, f.kind) {
        (_, Kind::Email) => Some("email"),
        (_, Kind::Phone) => Some("tel"),
        (_, Kind::Url) => Some("url"),
        (_, Kind::Address) => Some("street-address"),
        _ => None,
    };
    json!({
        "name": name, "id": id, "label": label, "input": input, "type": typ,
        "required": f.required, "options": options, "autocomplete": autocomplete,
        "list": f.kind == Kind::List,
    })
}
