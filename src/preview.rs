//! The live preview's shortcut. Most edits change the text of one page and nothing else; then only
//! that page (in every language that shows it) is rendered again and written over the served output,
//! which takes tens of milliseconds instead of a full build. Anything else — front matter (titles
//! appear in lists and menus), a new or removed file, a template, UI strings, site.yaml, data —
//! needs the full build, which `serve` also runs after the shortcut, so feeds and search catch up.

use crate::diagnostic::Diagnostic;
use crate::pipeline::prepare;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the sources looked like: per content file the hashes of its front matter and its body, and
/// one hash over every other watched file's name, size and modification time.
#[derive(Default, Clone, PartialEq)]
pub struct Snapshot {
    pages: BTreeMap<PathBuf, (u64, u64)>,
    others: u64,
}

fn hash(bytes: &[u8]) -> u64 {
    search_core::format::fnv64(bytes)
}

pub fn snapshot(source: &Path) -> Snapshot {
    let mut snap = Snapshot::default();
    let mut others = Vec::new();
    for dir in ["content", "themes", "i18n", "static", "data", "site.yaml"] {
        for entry in walkdir::WalkDir::new(source.join(dir)).sort_by_file_name().into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path().to_path_buf();
            if dir == "content" && path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read(&path).unwrap_or_default();
                let split = crate::content::frontmatter::front_matter_end(&String::from_utf8_lossy(&text)).min(text.len());
                snap.pages.insert(path, (hash(&text[..split]), hash(&text[split..])));
            } else {
                let meta = entry.metadata().ok();
                let stamp = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos()).unwrap_or(0);
                others.push(format!("{}:{}:{stamp}", path.display(), meta.map(|m| m.len()).unwrap_or(0)));
            }
        }
    }
    snap.others = hash(others.join("\n").as_bytes());
    snap
}

/// The content files whose body alone changed, or None when anything else changed.
fn body_edits(before: &Snapshot, after: &Snapshot) -> Option<Vec<PathBuf>> {
    if before.others != after.others || before.pages.len() != after.pages.len() {
        return None;
    }
    let mut edited = Vec::new();
    for (path, (front, body)) in &after.pages {
        let (old_front, old_body) = before.pages.get(path)?;
        if old_front != front {
            return None;
        }
        if old_body != body {
            edited.push(path.clone());
        }
    }
    Some(edited)
}

/// Renders the pages whose text alone changed straight into `output`. `None`: the shortcut does not
/// apply; `Some(Ok(n))`: n files written; `Some(Err)`: the edit broke something (a link, a heading…).
pub fn render_edited(source: &Path, output: &Path, drafts: bool, before: &Snapshot, after: &Snapshot) -> Option<Result<usize, Vec<Diagnostic>>> {
    let edited = body_edits(before, after)?;
    if edited.is_empty() || !output.is_dir() {
        return None;
    }
    let prepared = match prepare(source, drafts) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    let site = &prepared.site;
    let keys: Vec<&String> = site
        .pages
        .iter()
        .filter(|p| edited.iter().any(|e| e.ends_with(&p.file)))
        .map(|p| &p.key)
        .collect();
    if keys.is_empty() {
        return None;
    }
    let renderer = prepared.renderer();
    let mut written = 0;
    for key in keys {
        for l in &site.config.languages {
            let files = match renderer.render_key(key, &l.code) {
                Ok(f) => f,
                Err(e) => return Some(Err(vec![e])),
            };
            for f in files {
                let target = output.join(&f.path);
                let bytes = crate::output::minify(&f.path, &f.bytes);
                if let Err(e) = target.parent().map(std::fs::create_dir_all).unwrap_or(Ok(())).and_then(|_| std::fs::write(&target, bytes)) {
                    return Some(Err(vec![Diagnostic::error(&f.path, format!("cannot write the output: {e}"))]));
                }
                written += 1;
            }
        }
    }
    Some(Ok(written))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(pages: &[(&str, u64, u64)], others: u64) -> Snapshot {
        Snapshot { pages: pages.iter().map(|(p, f, b)| (PathBuf::from(p), (*f, *b))).collect(), others }
    }

    #[test]
    fn only_text_edits_take_the_shortcut() {
        let before = snap(&[("a.md", 1, 1), ("b.md", 2, 2)], 7);
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 9), ("b.md", 2, 2)], 7)), Some(vec![PathBuf::from("a.md")]));
        assert_eq!(body_edits(&before, &snap(&[("a.md", 5, 1), ("b.md", 2, 2)], 7)), None, "front matter");
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 1), ("b.md", 2, 2)], 8)), None, "a template or UI string");
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 1)], 7)), None, "a file removed");
    }
}
