//! The live preview's shortcut. Most edits change the text of one page and nothing else; then only
//! that page (in every language that shows it) is rendered again and written over the served output,
//! which takes tens of milliseconds instead of a full build. Anything else — front matter (titles
//! appear in lists and menus), a new or removed file, a template, UI strings, site.yaml, data —
//! needs the full build, which `serve` also runs after the shortcut, so feeds and search catch up.
//! A change to the theme or the UI strings alone re-renders every page in place (no search, feeds or
//! swap), the second shortcut.

use crate::diagnostic::Diagnostic;
use crate::pipeline::prepare;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the sources looked like: per content file the hashes of its front matter and its body, and
/// one hash over every other watched file's name, size and modification time.
#[derive(Default, Clone, PartialEq)]
pub struct Snapshot {
    pages: BTreeMap<PathBuf, (u64, u64)>,
    /// themes/, i18n/, static/: what the pages look like.
    look: u64,
    /// site.yaml, data/, files in content/ that are not pages.
    others: u64,
}

fn hash(bytes: &[u8]) -> u64 {
    search_core::format::fnv64(bytes)
}

pub fn snapshot(source: &Path) -> Snapshot {
    let mut snap = Snapshot::default();
    let mut others = Vec::new();
    let mut look = Vec::new();
    for (place, dir) in crate::sites::watched(source) {
        for entry in walkdir::WalkDir::new(place).sort_by_file_name().into_iter().flatten() {
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
                let line = format!("{}:{}:{stamp}", path.display(), meta.map(|m| m.len()).unwrap_or(0));
                if matches!(dir, "themes" | "i18n" | "static") { look.push(line) } else { others.push(line) }
            }
        }
    }
    snap.others = hash(others.join("\n").as_bytes());
    snap.look = hash(look.join("\n").as_bytes());
    snap
}

/// The content files whose body alone changed, or None when anything else changed (the look aside).
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
    let look_changed = before.look != after.look;
    if edited.is_empty() && !look_changed || !output.is_dir() {
        return None;
    }
    let prepared = match prepare(source, drafts) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    if look_changed {
        return Some(render_all_in_place(&prepared, output));
    }
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
                if let Err(e) = write_in_place(output, &f) {
                    return Some(Err(vec![Diagnostic::error(&f.path, format!("cannot write the output: {e}"))]));
                }
                written += 1;
            }
        }
    }
    Some(Ok(written))
}

fn write_in_place(output: &Path, f: &crate::render::OutFile) -> std::io::Result<()> {
    let target = output.join(&f.path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&target, crate::output::minify(&f.path, &f.bytes))
}

/// The theme or UI strings changed: every page again, and the theme's static files, over the served
/// output (search, feeds and the offline files do not depend on them).
fn render_all_in_place(prepared: &crate::pipeline::Prepared, output: &Path) -> Result<usize, Vec<Diagnostic>> {
    let count = std::sync::atomic::AtomicUsize::new(0);
    let write = |f: &crate::render::OutFile| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        write_in_place(output, f)
    };
    for f in &prepared.statics {
        write(f).map_err(|e| vec![Diagnostic::error(&f.path, format!("cannot write the output: {e}"))])?;
    }
    let problems: Vec<Diagnostic> = prepared.renderer().render_all(&write);
    if problems.iter().any(|d| d.is_error()) { Err(problems) } else { Ok(count.into_inner()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(pages: &[(&str, u64, u64)], others: u64) -> Snapshot {
        Snapshot { pages: pages.iter().map(|(p, f, b)| (PathBuf::from(p), (*f, *b))).collect(), others, look: 0 }
    }

    #[test]
    fn only_text_edits_take_the_shortcut() {
        let before = snap(&[("a.md", 1, 1), ("b.md", 2, 2)], 7);
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 9), ("b.md", 2, 2)], 7)), Some(vec![PathBuf::from("a.md")]));
        assert_eq!(body_edits(&before, &snap(&[("a.md", 5, 1), ("b.md", 2, 2)], 7)), None, "front matter");
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 1), ("b.md", 2, 2)], 8)), None, "site.yaml, data or an asset");
        assert_eq!(body_edits(&before, &snap(&[("a.md", 1, 1)], 7)), None, "a file removed");
    }
}
