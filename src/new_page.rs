//! `lotse new`: writes a page from the section's `_template.md`, or a minimal one.

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

pub fn create(site_dir: &Path, path: &str, lang: Option<&str>) -> Result<PathBuf, Diagnostic> {
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
    let text = match std::fs::read_to_string(section_dir.join("_template.md")) {
        Ok(t) => t.replace("{{title}}", &title).replace("{{date}}", &today),
        Err(_) => format!("---\ntitle: \"{title}\"\ndescription: \"\"\ndate: {today}\ndraft: true\ntags: []\n---\n\nWrite the page here. Remove `draft: true` when it is ready.\n"),
    };
    std::fs::create_dir_all(&section_dir).map_err(|e| Diagnostic::error(section_dir.display().to_string(), format!("cannot create the folder: {e}")))?;
    std::fs::write(&file, text).map_err(|e| Diagnostic::error(file.display().to_string(), format!("cannot write: {e}")))?;
    Ok(file)
}

/// Today's date in UTC as YYYY-MM-DD (civil-from-days, Howard Hinnant's algorithm).
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
