//! Discovery: walks `content/`, reads every file, tells pages from assets, names each
//! page's language and key, and parses its front matter.

pub mod frontmatter;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, did_you_mean};
use frontmatter::FrontMatter;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One Markdown file in one language.
#[derive(Debug)]
pub struct SourcePage {
    /// Language-neutral path that links translations: `""` (home), `arbeit` (a section),
    /// `arbeit/anerkennung` (a page).
    pub key: String,
    pub lang: String,
    pub is_section: bool,
    /// As editors see it, relative to the repository: `content/arbeit/anerkennung.de.md`,
    /// `sites/bergheim/content/x.de.md`, `shared/common/notruf.de.md`.
    pub file: PathBuf,
    /// Relative to its content folder: `arbeit/anerkennung.de.md`.
    pub rel: String,
    pub source: String,
    pub fm: FrontMatter,
    /// Byte offset of the Markdown body in `source`.
    pub body_offset: usize,
    /// Set by `types::apply` for a page of a content type.
    pub typed: Option<crate::types::Typed>,
}

impl SourcePage {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }
    /// The key of the section this page or section belongs to (`None` for the home page).
    pub fn parent_key(&self) -> Option<String> {
        if self.key.is_empty() {
            return None;
        }
        Some(self.key.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default())
    }
}

/// A non-Markdown file in `content/` (image, PDF), copied to the same path in the output.
#[derive(Debug)]
pub struct Asset {
    /// Relative to `content/`, with `/` separators.
    pub rel: String,
    pub path: PathBuf,
    /// The file as messages name it (relative to the repository: `sites/bergheim/content/karte.png`).
    pub shown: String,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<SourcePage>,
    pub assets: Vec<Asset>,
    /// Resized content images (filled by `images::prepare`).
    pub images: crate::images::Images,
}

/// Files read at once when reading content (see [`discover`]).
const IO_THREADS: usize = 16;

/// Walks the site's `content/` and the shared folders it names (`shared_content:`); a file of the
/// site's own wins over a shared file with the same path (see `sites`).
pub fn discover(site_dir: &Path, config: &SiteConfig) -> (Content, Vec<Diagnostic>) {
    let layout = crate::sites::Layout::of(site_dir);
    let dirs = layout.content_dirs(&config.shared_content);
    let mut errors = Vec::new();
    if !dirs[0].0.is_dir() {
        errors.push(Diagnostic::error(&dirs[0].1, "there is no content/ folder").hint("create content/_index.de.md (one file per language) for the home page"));
        return (Content::default(), errors);
    }
    // Path relative to its content folder → (file as shown, file on disk); the first folder wins.
    let mut files: std::collections::BTreeMap<String, (PathBuf, PathBuf)> = std::collections::BTreeMap::new();
    let mut assets: std::collections::BTreeMap<String, (String, PathBuf)> = std::collections::BTreeMap::new();
    for (content_dir, shown) in &dirs {
        walk(content_dir, shown, &mut files, &mut assets, &mut errors);
    }
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let files: Vec<_> = files.into_iter().collect();
    let read_all = || -> Vec<Result<SourcePage, Vec<Diagnostic>>> {
        files.par_iter().map(|(rel_content, (rel, path))| read_page(path, rel, rel_content, &codes, &config.default_language)).collect()
    };
    // Reading thousands of small files not in the page cache waits on the disk, not on the CPU: with
    // 16 reads in flight instead of one per core, 5,105 pages that are not cached are read in ~0.1 s
    // instead of ~0.4 s (parsing on 16 threads costs nothing extra on 2 cores).
    let io_pool = rayon::ThreadPoolBuilder::new().num_threads(IO_THREADS).build().ok();
    let results = match &io_pool {
        Some(pool) => pool.install(read_all),
        None => read_all(),
    };
    let mut pages = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let assets = assets.into_iter().map(|(rel, (shown, path))| Asset { rel, path, shown }).collect();
    (Content { pages, assets, ..Default::default() }, errors)
}

/// One content folder: its pages and assets not already found in a folder that wins over it.
fn walk(
    content_dir: &Path,
    shown: &str,
    files: &mut std::collections::BTreeMap<String, (PathBuf, PathBuf)>,
    assets: &mut std::collections::BTreeMap<String, (String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    let show = |p: &Path| PathBuf::from(shown).join(p.strip_prefix(content_dir).unwrap_or(p));
    let root = content_dir.canonicalize().unwrap_or(content_dir.to_path_buf());
    for entry in walkdir::WalkDir::new(content_dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(show).unwrap_or_else(|| PathBuf::from(shown));
                errors.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let rel = show(path);
        if entry.path_is_symlink() {
            // A link may point anywhere on the machine; only follow it inside content/.
            match path.canonicalize() {
                Ok(target) if target.starts_with(&root) && target.is_file() => {}
                _ => {
                    errors.push(Diagnostic::error(&rel, "this symbolic link points outside the content folder")
                        .hint("copy the file into content/ instead of linking to it"));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        // Hidden files, and the templates `lotse new` starts pages from.
        if name.starts_with('.') || name == "_template.md" {
            continue;
        }
        let rel_content = path.strip_prefix(content_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        if name.ends_with(".md") {
            files.entry(rel_content).or_insert((rel, path.to_path_buf()));
        } else {
            assets.entry(rel_content).or_insert((rel.to_string_lossy().replace('\\', "/"), path.to_path_buf()));
        }
    }
}

fn read_page(path: &Path, rel: &Path, rel_content: &str, codes: &[&str], default: &str) -> Result<SourcePage, Vec<Diagnostic>> {
    let file = rel.to_string_lossy().replace('\\', "/");
    use crate::diagnostic::limits;
    limits::check_size(path, &file, limits::MAX_PAGE_BYTES, "pages", "split it into several pages, or put the material in a download (a PDF in the same folder) and link to it")
        .map_err(|d| vec![d])?;
    let bytes = std::fs::read(path).map_err(|e| vec![Diagnostic::error(&file, format!("cannot read: {e}"))])?;
    parse_page(rel, rel_content, bytes, codes, default)
}

/// One page from the bytes of its file (`rel` as shown in messages, `rel_content` inside its content
/// folder): UTF-8, language and key from the name, front matter. What `discover` does with every
/// Markdown file once it is read; the `content` fuzz target (`fuzz/`) calls it with arbitrary bytes.
pub fn parse_page(rel: &Path, rel_content: &str, bytes: Vec<u8>, codes: &[&str], default: &str) -> Result<SourcePage, Vec<Diagnostic>> {
    let file = rel.to_string_lossy().replace('\\', "/");
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let text = String::from_utf8_lossy(&bytes[..valid]).to_string();
            return Err(vec![Diagnostic::error(&file, "the file is not UTF-8 text")
                .at_offset(&text, valid)
                .hint("save the file with the encoding UTF-8 (in most editors: File → Save with encoding → UTF-8)")]);
        }
    };
    let source = source.strip_prefix('\u{feff}').map(String::from).unwrap_or(source);
    let (key, lang, is_section) = name_page(&file, rel_content, codes, default)?;
    let split = frontmatter::split(&file, &source).map_err(|d| vec![d])?;
    let fm = frontmatter::parse(&file, &source, &split)?;
    let body_offset = split.body_offset;
    Ok(SourcePage { key, lang, is_section, file: rel.to_path_buf(), rel: rel_content.to_string(), fm, body_offset, source, typed: None })
}

/// `arbeit/anerkennung.ar.md` → (`arbeit/anerkennung`, `ar`, false).
fn name_page(file: &str, rel_content: &str, codes: &[&str], default: &str) -> Result<(String, String, bool), Vec<Diagnostic>> {
    let stem = rel_content.strip_suffix(".md").unwrap_or(rel_content);
    let (path, lang) = match stem.rsplit_once('.') {
        Some((path, suffix)) if codes.contains(&suffix) => (path, suffix.to_string()),
        Some((_, suffix)) if looks_like_language(suffix) => {
            let hint = match did_you_mean(suffix, codes.iter().copied()) {
                Some(s) => format!("did you mean `.{s}.md`? Or declare `{suffix}` under `languages:` in site.yaml"),
                None => format!("declare `{suffix}` under `languages:` in site.yaml, or use one of: {}", codes.join(", ")),
            };
            return Err(vec![Diagnostic::error(file, format!("the language suffix `.{suffix}` is not declared in site.yaml")).hint(hint)]);
        }
        _ => (stem, default.to_string()),
    };
    let (key, is_section) = match path.rsplit_once('/') {
        Some((dir, "_index")) => (dir.to_string(), true),
        None if path == "_index" => (String::new(), true),
        _ => (path.to_string(), false),
    };
    Ok((key, lang, is_section))
}

fn looks_like_language(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pages_sections_and_languages() {
        let codes = ["de", "ar", "ls"];
        assert_eq!(name_page("f", "arbeit/anerkennung.ar.md", &codes, "de").unwrap(), ("arbeit/anerkennung".into(), "ar".into(), false));
        assert_eq!(name_page("f", "arbeit/_index.md", &codes, "de").unwrap(), ("arbeit".into(), "de".into(), true));
        assert_eq!(name_page("f", "_index.ls.md", &codes, "de").unwrap(), ("".into(), "ls".into(), true));
        assert_eq!(name_page("f", "v1.2-notes.md", &codes, "de").unwrap().0, "v1.2-notes");
        let e = name_page("f", "arbeit/jobs.fa.md", &codes, "de").unwrap_err();
        assert!(e[0].message.contains("`.fa`"));
    }
}
