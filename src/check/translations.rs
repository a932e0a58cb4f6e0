//! Translation status: for every page (key) and language, whether the translation is missing, up to
//! date or outdated against the default-language page it was translated from.
//!
//! A translation names its source version in its front matter, `translated_from: <hash>`, the short
//! hash of the source page's title and text (its first 12 hex digits). When it does not, and the site folder is a
//! git repository, its history decides: a translation is outdated "by git history" when the source
//! was committed after it and its title or text differ from the version committed before the
//! translation (two git processes in all: one `git log`, one `git cat-file --batch`). Everything
//! else is "unknown".

use crate::content::SourcePage;
use crate::content::frontmatter::top_level_key;
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Hex digits of the hash written into `translated_from`.
pub const HASH_LEN: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    UpToDate,
    Outdated,
    Missing,
    Unknown,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::UpToDate => "up_to_date",
            Status::Outdated => "outdated",
            Status::Missing => "missing",
            Status::Unknown => "unknown",
        }
    }
    fn cell(self) -> &'static str {
        match self {
            Status::UpToDate => "✓",
            Status::Outdated => "outdated",
            Status::Missing => "missing",
            Status::Unknown => "?",
        }
    }
}

/// How a status was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `translated_from` compared with the source's current hash.
    Hash,
    /// No `translated_from`: the last commit times of source and translation.
    Git { source_time: i64, translation_time: i64 },
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub lang: String,
    pub status: Status,
    pub basis: Option<Basis>,
    /// The translation's file (`None` when missing).
    pub file: Option<PathBuf>,
    /// `translated_from` as written in the translation.
    pub translated_from: Option<String>,
    /// Index of the translation in `site.pages`.
    page: Option<usize>,
}

/// One page (key) of the default language and its translations, in the order of `languages`.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub source: PathBuf,
    pub hash: String,
    pub cells: Vec<Cell>,
}

/// What git knows about `content/`: the commits of every file, newest first, and the hash of a
/// source page's text as it was when its translation was last committed.
#[derive(Debug, Default)]
pub struct GitHistory {
    /// Path relative to the site folder (`content/arbeit/anerkennung.de.md`) → (commit, Unix time).
    pub commits: BTreeMap<PathBuf, Vec<(String, i64)>>,
    /// (commit, source path) → the short hash of the source's text in that commit.
    old_hashes: BTreeMap<(String, PathBuf), String>,
}

impl GitHistory {
    /// Last commit time of a file.
    pub fn time(&self, file: &Path) -> Option<i64> {
        self.commits.get(file)?.first().map(|c| c.1)
    }
}

fn git_command(site_dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("git");
    c.arg("-C").arg(site_dir).args(["-c", "core.quotepath=off"]).stderr(std::process::Stdio::null());
    c
}

/// The history of every file under `content/` of the site folder from one `git log`.
/// `None` when `git` is missing or the folder is not in a git repository.
#[cfg_attr(not(test), allow(dead_code))]
pub fn git_history(site_dir: &Path) -> Option<GitHistory> {
    git_history_in(site_dir, &["content".to_string()])
}

/// The history of the files under `folders` (relative to `root`), with paths relative to `root`:
/// a site of a repository names its files from the repository root (see `sites`).
fn git_history_in(root: &Path, folders: &[String]) -> Option<GitHistory> {
    let out = git_command(root)
        .args(["log", "--format=%x00%H %ct", "--name-only", "--relative", "--no-renames", "--"])
        .args(folders)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(GitHistory { commits: parse_git_log(&String::from_utf8_lossy(&out.stdout)), old_hashes: BTreeMap::new() })
}

/// Newest first, as `git log` prints it.
fn parse_git_log(log: &str) -> BTreeMap<PathBuf, Vec<(String, i64)>> {
    let mut commits: BTreeMap<PathBuf, Vec<(String, i64)>> = BTreeMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(c) = line.strip_prefix('\0') {
            current = c.split_once(' ').and_then(|(h, t)| Some((h.to_string(), t.trim().parse::<i64>().ok()?)));
        } else if !line.trim().is_empty()
            && let Some(c) = &current
        {
            commits.entry(PathBuf::from(line)).or_default().push(c.clone());
        }
    }
    commits
}

/// The newest commit of `source` not after `time`: the version a translation committed at `time` saw.
fn seen_version<'a>(git: &'a GitHistory, source: &Path, time: i64) -> Option<&'a String> {
    git.commits.get(source)?.iter().find(|c| c.1 <= time).map(|c| &c.0)
}

/// Reads, with one `git cat-file --batch`, the source versions the translations without
/// `translated_from` were made from, and keeps their hashes.
fn fill_old_hashes(site: &Site, site_dir: &Path, git: &mut GitHistory) {
    let default = &site.config.default_language;
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    for langs in site.translations.values() {
        let Some(&src) = langs.get(default) else { continue };
        let source = &site.pages[src].file;
        for (_, &t) in langs.iter().filter(|(l, _)| *l != default) {
            let tr = &site.pages[t];
            if tr.fm.translated_from.is_some() {
                continue;
            }
            let (Some(s), Some(t)) = (git.time(source), git.time(&tr.file)) else { continue };
            if s > t
                && let Some(rev) = seen_version(git, source, t)
            {
                wanted.push((rev.clone(), source.clone()));
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return;
    }
    let Ok(mut child) = git_command(site_dir)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    let input: String = wanted.iter().map(|(rev, path)| format!("{rev}:./{}\n", path.to_string_lossy().replace('\\', "/"))).collect();
    let mut stdin = child.stdin.take();
    // Written from another thread: git answers while it reads, and a full pipe would block both.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let Ok(out) = child.wait_with_output() else { return };
    let _ = writer.join();
    let mut rest = &out.stdout[..];
    for key in wanted {
        let Some(nl) = rest.iter().position(|b| *b == b'\n') else { break };
        let header = String::from_utf8_lossy(&rest[..nl]).to_string();
        rest = &rest[nl + 1..];
        let mut parts = header.split(' ');
        let (Some(_), Some("blob"), Some(size)) = (parts.next(), parts.next(), parts.next().and_then(|s| s.parse::<usize>().ok())) else { continue };
        let Some(blob) = rest.get(..size) else { break };
        rest = rest.get(size + 1..).unwrap_or(&[]);
        let text = String::from_utf8_lossy(blob);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if let Ok(split) = crate::content::frontmatter::split("", text)
            && let Ok(fm) = crate::content::frontmatter::parse("", text, &split)
        {
            git.old_hashes.insert(key, text_hash(&fm.title, &text[split.body_offset..])[..HASH_LEN].to_string());
        }
    }
}

/// The status of every translation. `git`: see `git_history`.
pub fn statuses(site: &Site, git: Option<&GitHistory>) -> Vec<Row> {
    let default = &site.config.default_language;
    let mut rows = Vec::new();
    for (key, langs) in &site.translations {
        let Some(&src) = langs.get(default) else { continue };
        let source = &site.pages[src];
        let full_hash = full_hash_of(source);
        let hash = full_hash[..HASH_LEN].to_string();
        let mut cells = Vec::new();
        for l in site.config.languages.iter().filter(|l| &l.code != default) {
            let Some(&t) = langs.get(&l.code) else {
                cells.push(Cell { lang: l.code.clone(), status: Status::Missing, basis: None, file: None, translated_from: None, page: None });
                continue;
            };
            let tr = &site.pages[t];
            let (status, basis) = match &tr.fm.translated_from {
                Some(h) if full_hash.starts_with(h.as_str()) || h.starts_with(&full_hash) => (Status::UpToDate, Some(Basis::Hash)),
                Some(_) => (Status::Outdated, Some(Basis::Hash)),
                None => match git.and_then(|g| Some((g, g.time(&source.file)?, g.time(&tr.file)?))) {
                    Some((g, s, t)) => {
                        // Committed later, but is the text different from the version the translator saw?
                        // (A change of opening hours or dates alone leaves the translation current.)
                        let text_changed = s > t
                            && seen_version(g, &source.file, t)
                                .and_then(|rev| g.old_hashes.get(&(rev.clone(), source.file.clone())))
                                .is_none_or(|old| *old != hash);
                        let status = if text_changed { Status::Outdated } else { Status::UpToDate };
                        (status, Some(Basis::Git { source_time: s, translation_time: t }))
                    }
                    None => (Status::Unknown, None),
                },
            };
            cells.push(Cell {
                lang: l.code.clone(),
                status,
                basis,
                file: Some(tr.file.clone()),
                translated_from: tr.fm.translated_from.clone(),
                page: Some(t),
            });
        }
        rows.push(Row { key: key.clone(), source: source.file.clone(), hash, cells });
    }
    rows
}

/// The hash of a page's text as a translation's `translated_from` names it: SHA-256 of the title and
/// the Markdown body with all whitespace runs made one space (other front matter does not count, so
/// changing a fact does not make translations outdated). All 64 hex digits; `translated_from` gives
/// the first 12 (or a longer prefix).
fn full_hash_of(page: &SourcePage) -> String {
    text_hash(&page.fm.title, page.body())
}

/// What a new translation of `page` writes as `translated_from` (`lotse new`).
pub fn short_hash_of(page: &SourcePage) -> String {
    full_hash_of(page)[..HASH_LEN].to_string()
}

fn text_hash(title: &str, body: &str) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = format!("{}\n{}", norm(title), norm(body));
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Warnings (outdated and unknown translations), the Markdown table and the JSON report.
/// `site_dir`: the site folder, for the git fallback when a translation has no `translated_from`.
pub fn report_at(site: &Site, site_dir: Option<&Path>) -> (Vec<Diagnostic>, String, Value) {
    let git = site_dir.and_then(|dir| {
        let layout = crate::sites::Layout::of(dir);
        let folders: Vec<String> = layout.content_dirs(&site.config.shared_content).into_iter().map(|(_, shown)| shown).collect();
        let mut g = git_history_in(&layout.root, &folders)?;
        fill_old_hashes(site, &layout.root, &mut g);
        Some(g)
    });
    let rows = statuses(site, git.as_ref());
    (diagnostics(site, &rows), table(site, &rows), to_json(site, &rows))
}

fn diagnostics(site: &Site, rows: &[Row]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for row in rows {
        for cell in &row.cells {
            let (Some(idx), Some(file)) = (cell.page, &cell.file) else { continue };
            let page = &site.pages[idx];
            let src = row.source.display();
            match (cell.status, cell.basis) {
                (Status::Outdated, Some(Basis::Hash)) => {
                    let (line, col) = value_pos(&page.source, "translated_from");
                    out.push(
                        Diagnostic::warning(file, format!("outdated translation: {src} changed after this was translated (`translated_from: {}`, now `{}`)",
                            cell.translated_from.as_deref().unwrap_or(""), row.hash))
                            .at(&page.source, line, col)
                            .hint(format!("update the translation, then set `translated_from: {}`", row.hash)),
                    );
                }
                (Status::Outdated, Some(Basis::Git { source_time, translation_time })) => {
                    let (line, col) = title_pos(&page.source);
                    out.push(
                        Diagnostic::warning(file, format!(
                            "outdated translation (by git history): the text of {src} changed on {}, after this translation was last committed ({})",
                            day(source_time), day(translation_time)
                        ))
                        .at(&page.source, line, col)
                        .hint(format!("update the translation, then add `translated_from: {}` to its front matter", row.hash)),
                    );
                }
                (Status::Unknown, _) => {
                    let (line, col) = title_pos(&page.source);
                    out.push(
                        Diagnostic::warning(file, format!("translation status unknown: this file does not say which version of {src} it was translated from"))
                            .at(&page.source, line, col)
                            .hint(format!("if it matches {src} now, add the line `translated_from: {}` to its front matter", row.hash)),
                    );
                }
                _ => {}
            }
        }
    }
    out
}

/// Line and column of a top-level key's value (line 2, column 1 when the key is not there).
fn value_pos(source: &str, key: &str) -> (usize, usize) {
    let front = &source[..crate::content::frontmatter::front_matter_end(source)];
    match top_level_key(front, key) {
        Some((line, _)) => {
            let text = source.lines().nth(line - 1).unwrap_or("");
            let after = text.find(':').map(|i| i + 1).unwrap_or(0);
            let spaces = text[after..].chars().take_while(|c| *c == ' ').count();
            (line, text[..after].chars().count() + spaces + 1)
        }
        None => (2, 1),
    }
}

/// Where a `translated_from` line belongs: at the title.
fn title_pos(source: &str) -> (usize, usize) {
    let front = &source[..crate::content::frontmatter::front_matter_end(source)];
    top_level_key(front, "title").unwrap_or((2, 1))
}

/// Unix seconds as `YYYY-MM-DD` (UTC).
fn day(t: i64) -> String {
    crate::date::Date::from_unix(t).to_string()
}

fn languages(site: &Site) -> Vec<&str> {
    site.config.languages.iter().map(|l| l.code.as_str()).filter(|c| *c != site.config.default_language).collect()
}

fn counts(rows: &[Row], lang: &str) -> [usize; 4] {
    let mut c = [0; 4];
    for cell in rows.iter().flat_map(|r| &r.cells).filter(|c| c.lang == lang) {
        c[cell.status as usize] += 1;
    }
    c
}

fn table(site: &Site, rows: &[Row]) -> String {
    let langs = languages(site);
    let mut t = format!("Translations of the `{}` pages\n\n| page |", site.config.default_language);
    for l in &langs {
        let _ = write!(t, " {l} |");
    }
    t.push_str("\n|---|");
    t.push_str(&"---|".repeat(langs.len()));
    t.push('\n');
    let mut by_git = false;
    for row in rows {
        let key = if row.key.is_empty() { "/".to_string() } else { format!("{}/", row.key) };
        let _ = write!(t, "| `{key}` |");
        for cell in &row.cells {
            let git = matches!(cell.basis, Some(Basis::Git { .. }));
            by_git |= git;
            let _ = write!(t, " {}{} |", cell.status.cell(), if git { "*" } else { "" });
        }
        t.push('\n');
    }
    t.push_str("\n| |");
    for l in &langs {
        let _ = write!(t, " {l} |");
    }
    t.push_str("\n|---|");
    t.push_str(&"---|".repeat(langs.len()));
    t.push('\n');
    let per_lang: Vec<[usize; 4]> = langs.iter().map(|l| counts(rows, l)).collect();
    for (i, name) in ["✓ up to date", "outdated", "missing", "? unknown"].iter().enumerate() {
        let _ = write!(t, "| {name} |");
        for c in &per_lang {
            let _ = write!(t, " {} |", c[i]);
        }
        t.push('\n');
    }
    if by_git {
        t.push_str("\n\\* by git history (the translation has no `translated_from`)\n");
    }
    t
}

fn to_json(site: &Site, rows: &[Row]) -> Value {
    let langs = languages(site);
    let pages: Vec<Value> = rows
        .iter()
        .map(|row| {
            let translations: serde_json::Map<String, Value> = row
                .cells
                .iter()
                .map(|c| {
                    let mut v = json!({ "status": c.status.name() });
                    if let Some(f) = &c.file {
                        v["file"] = json!(f.to_string_lossy().replace('\\', "/"));
                    }
                    if let Some(h) = &c.translated_from {
                        v["translated_from"] = json!(h);
                    }
                    match c.basis {
                        Some(Basis::Hash) => v["basis"] = json!("hash"),
                        Some(Basis::Git { source_time, translation_time }) => {
                            v["basis"] = json!("git");
                            v["source_committed"] = json!(source_time);
                            v["translation_committed"] = json!(translation_time);
                        }
                        None => {}
                    }
                    (c.lang.clone(), v)
                })
                .collect();
            json!({
                "key": row.key,
                "source": row.source.to_string_lossy().replace('\\', "/"),
                "hash": row.hash,
                "translations": translations,
            })
        })
        .collect();
    let counts: serde_json::Map<String, Value> = langs
        .iter()
        .map(|l| {
            let c = counts(rows, l);
            (l.to_string(), json!({ "up_to_date": c[0], "outdated": c[1], "missing": c[2], "unknown": c[3] }))
        })
        .collect();
    json!({
        "source_language": site.config.default_language,
        "languages": langs,
        "pages": pages,
        "counts": counts,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The short hash, as `translated_from` names it.
    fn hash_of(page: &SourcePage) -> String {
        full_hash_of(page)[..HASH_LEN].to_string()
    }
    use crate::config::SiteConfig;

    pub const SITE_YAML: &str = "title: T\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  de: { name: Deutsch }\n  en: { name: English }\n  ar: { name: العربية, dir: rtl }\n  ls: { name: Leichte Sprache, lang: de, fallback: de }\n";

    /// A site in a temporary folder, through the real loader (`content::discover`, `Site::resolve`).
    pub fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE_YAML).unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let config = SiteConfig::load(dir.path()).unwrap();
        let (content, errors) = crate::content::discover(dir.path(), &config);
        assert!(errors.is_empty(), "{errors:?}");
        let (site, errors) = Site::resolve(config, content, false);
        assert!(errors.iter().all(|e| !e.is_error()), "{errors:?}");
        (dir, site)
    }

    const SOURCE: &str = "---\ntitle: Arbeit finden\ndate: 2024-01-01\n---\nSo finden Sie\n  eine Arbeit.\n";

    fn hash_of_source() -> String {
        let (_d, s) = site(&[("content/arbeit.de.md", SOURCE)]);
        hash_of(&s.pages[0])
    }

    #[test]
    fn hash_ignores_whitespace_and_other_keys() {
        let h = hash_of_source();
        assert_eq!(h.len(), HASH_LEN);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        let (_d, s) = site(&[("content/arbeit.de.md", "---\ntitle:   Arbeit  finden\ndate: 2025-02-02\n---\n\nSo finden Sie eine\nArbeit.")]);
        assert_eq!(hash_of(&s.pages[0]), h);
        let (_d, s) = site(&[("content/arbeit.de.md", "---\ntitle: Arbeit finden\n---\nSo finden Sie eine neue Arbeit.\n")]);
        assert_ne!(hash_of(&s.pages[0]), h);
    }

    #[test]
    fn up_to_date_outdated_missing_unknown() {
        let h = hash_of_source();
        let (_d, s) = site(&[
            ("content/arbeit.de.md", SOURCE),
            ("content/arbeit.en.md", &format!("---\ntitle: Finding work\ntranslated_from: {h}\n---\nHow to find work.\n")),
            ("content/arbeit.ar.md", "---\ntitle: العمل\ntranslated_from: 0123456789ab\n---\nنص\n"),
            ("content/arbeit.ls.md", "---\ntitle: Arbeit\n---\nText.\n"),
            ("content/wohnen.de.md", "---\ntitle: Wohnen\n---\nText.\n"),
        ]);
        let rows = statuses(&s, None);
        assert_eq!(rows.len(), 2);
        fn st(r: &Row) -> Vec<(&str, Status)> {
            r.cells.iter().map(|c| (c.lang.as_str(), c.status)).collect()
        }
        assert_eq!(st(&rows[0]), [("en", Status::UpToDate), ("ar", Status::Outdated), ("ls", Status::Unknown)]);
        assert_eq!(st(&rows[1]), [("en", Status::Missing), ("ar", Status::Missing), ("ls", Status::Missing)]);

        let (diags, table, json) = report_at(&s, None);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        let outdated = &diags[0];
        assert_eq!(outdated.file, PathBuf::from("content/arbeit.ar.md"));
        assert_eq!((outdated.line, outdated.column), (3, 18));
        assert!(!outdated.is_error());
        assert!(outdated.message.contains("content/arbeit.de.md changed after this was translated"), "{}", outdated.message);
        assert_eq!(outdated.hint.as_deref(), Some(format!("update the translation, then set `translated_from: {h}`").as_str()));
        let unknown = &diags[1];
        assert_eq!((unknown.file.to_str().unwrap(), unknown.line, unknown.column), ("content/arbeit.ls.md", 2, 1));
        assert!(unknown.hint.as_ref().unwrap().contains(&format!("`translated_from: {h}`")));

        assert!(table.contains("| page | en | ar | ls |"), "{table}");
        assert!(table.contains("| `arbeit/` | ✓ | outdated | ? |"), "{table}");
        assert!(table.contains("| `wohnen/` | missing | missing | missing |"), "{table}");
        assert!(table.contains("| missing | 1 | 1 | 1 |"), "{table}");
        assert_eq!(json["pages"][0]["hash"], h.as_str());
        assert_eq!(json["pages"][0]["translations"]["ar"]["status"], "outdated");
        assert_eq!(json["pages"][0]["translations"]["en"]["basis"], "hash");
        assert_eq!(json["counts"]["en"]["up_to_date"], 1);
        assert_eq!(json["counts"]["ls"]["unknown"], 1);
    }

    #[test]
    fn a_longer_hash_prefix_also_matches() {
        let (_d, s) = site(&[("content/arbeit.de.md", SOURCE)]);
        let full = full_hash_of(&s.pages[0]);
        let (_d, s) = site(&[
            ("content/arbeit.de.md", SOURCE),
            ("content/arbeit.en.md", &format!("---\ntitle: Work\ntranslated_from: {}\n---\nx\n", &full[..20])),
        ]);
        assert_eq!(statuses(&s, None)[0].cells[0].status, Status::UpToDate);
    }

    #[test]
    fn git_log_is_parsed_newest_first() {
        let log = "\0c3 300\n\ncontent/a.de.md\n\0c2 200\n\ncontent/a.en.md\ncontent/a.de.md\n\0c1 100\n\ncontent/a.ar.md\n";
        let g = GitHistory { commits: parse_git_log(log), ..Default::default() };
        assert_eq!(g.time(Path::new("content/a.de.md")), Some(300));
        assert_eq!(g.time(Path::new("content/a.en.md")), Some(200));
        assert_eq!(g.time(Path::new("content/a.ar.md")), Some(100));
        assert_eq!(seen_version(&g, Path::new("content/a.de.md"), 250).map(String::as_str), Some("c2"));
        assert_eq!(seen_version(&g, Path::new("content/a.de.md"), 150), None);
    }

    #[test]
    fn days_from_unix_time() {
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(1_795_000_000), "2026-11-18");
    }

    fn git(dir: &Path, args: &[&str], time: &str) {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_AUTHOR_DATE", time)
            .env("GIT_COMMITTER_DATE", time)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn git_history_decides_without_translated_from() {
        if std::process::Command::new("git").arg("--version").output().is_err() {
            eprintln!("git is not installed: skipped");
            return;
        }
        let (dir, _) = site(&[
            ("content/arbeit.de.md", SOURCE),
            ("content/arbeit.en.md", "---\ntitle: Work\n---\nx\n"),
            ("content/arbeit.ar.md", "---\ntitle: عمل\n---\nx\n"),
            ("content/wohnen.de.md", SOURCE),
            ("content/wohnen.en.md", "---\ntitle: Housing\n---\nx\n"),
        ]);
        let d = dir.path();
        git(d, &["init", "-q"], "2024-01-01T00:00:00Z");
        git(d, &["add", "."], "2024-01-01T00:00:00Z");
        git(d, &["commit", "-q", "-m", "one"], "2024-01-01T00:00:00Z");
        std::fs::write(d.join("content/arbeit.de.md"), SOURCE.replace("eine Arbeit", "eine gute Arbeit")).unwrap();
        // Only a date and the line breaks change: the translation stays current.
        std::fs::write(d.join("content/wohnen.de.md"), SOURCE.replace("2024-01-01", "2024-05-05").replace("\n  eine", " eine")).unwrap();
        git(d, &["commit", "-q", "-am", "two"], "2024-02-01T00:00:00Z");
        std::fs::write(d.join("content/arbeit.en.md"), "---\ntitle: Work\n---\nx y\n").unwrap();
        git(d, &["commit", "-q", "-am", "three"], "2024-03-01T00:00:00Z");
        let history = git_history(d).expect("a git repository");
        assert_eq!(history.commits.len(), 5, "{history:?}");
        assert_eq!(history.commits[Path::new("content/arbeit.de.md")].len(), 2);

        let config = SiteConfig::load(d).unwrap();
        let (content, _) = crate::content::discover(d, &config);
        let (s, _) = Site::resolve(config, content, false);
        let (diags, table, json) = report_at(&s, Some(d));
        assert!(table.contains("| `arbeit/` | ✓* | outdated* | missing |"), "{table}");
        assert!(table.contains("| `wohnen/` | ✓* | missing | missing |"), "{table}");
        assert!(table.contains("by git history"), "{table}");
        assert_eq!(json["pages"][0]["translations"]["ar"]["basis"], "git");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].file, PathBuf::from("content/arbeit.ar.md"));
        assert!(diags[0].message.starts_with("outdated translation (by git history): the text of content/arbeit.de.md changed on 2024-02-01, after this translation was last committed (2024-01-01)"), "{}", diags[0].message);
        // Not a repository: unknown.
        let (d2, s2) = site(&[("content/arbeit.de.md", SOURCE), ("content/arbeit.en.md", "---\ntitle: W\n---\nx\n")]);
        if git_history(d2.path()).is_none() {
            assert_eq!(statuses(&s2, None)[0].cells[0].status, Status::Unknown);
        }
    }
}
