//! The only stage that writes files: minifies HTML, fingerprints CSS and JS, writes
//! everything into a fresh folder next to the output and swaps it in only when the
//! whole build succeeded, so a failed or killed build never leaves half a site.

use crate::render::OutFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use rayon::prelude::*;

/// First 10 hex digits of the SHA-256 of `bytes`: the content hash in file names.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Static files with CSS and JS fingerprinted and moved under `_assets/`
/// (`style.css` → `_assets/style.3f2a9c01de.css`), where hosts may cache them forever.
/// Returns the files and the URL of each fingerprinted file by template name (`style_css`).
pub fn fingerprint(statics: &BTreeMap<String, Vec<u8>>, base_path: &str) -> (Vec<OutFile>, BTreeMap<String, String>) {
    let mut files = Vec::new();
    let mut urls = BTreeMap::new();
    for (rel, bytes) in statics {
        let fingerprinted = match rel.rsplit_once('.') {
            Some((stem, ext)) if ext == "css" || ext == "js" => format!("_assets/{stem}.{}.{ext}", content_hash(bytes)),
            _ => rel.clone(),
        };
        let name = rel.replace(['.', '-', '/'], "_");
        urls.insert(name, format!("{base_path}{fingerprinted}"));
        files.push(OutFile { path: fingerprinted, bytes: bytes.clone() });
    }
    (files, urls)
}

pub fn minify(files: &mut [OutFile]) {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = false; // the theme has no inline CSS; lightningcss per page costs time
    files.par_iter_mut().filter(|f| f.path.ends_with(".html")).for_each(|f| {
        f.bytes = minify_html::minify(&f.bytes, &cfg);
    });
}

/// Writes `files` and copies `copies` (source → output path) into `output`, atomically.
pub fn publish(output: &Path, files: &[OutFile], copies: &[(PathBuf, String)]) -> std::io::Result<()> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.lotse-new"));
    let old = parent.join(format!(".{name}.lotse-old"));
    if staging.exists() {
        remove_tree(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let mut dirs: Vec<PathBuf> = files.iter().map(|f| f.path.as_str()).chain(copies.iter().map(|c| c.1.as_str()))
        .filter_map(|p| Path::new(p).parent().map(|d| staging.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|f| std::fs::write(staging.join(&f.path), &f.bytes))?;
    copies.par_iter().try_for_each(|(src, dest)| std::fs::copy(src, staging.join(dest)).map(|_| ()))?;
    // Swap: the old output moves aside, the new one takes its place, the old one goes.
    if old.exists() {
        remove_tree(&old)?;
    }
    if output.exists() {
        std::fs::rename(output, &old)?;
    }
    std::fs::rename(&staging, output)?;
    if old.exists() {
        remove_tree(&old)?;
    }
    Ok(())
}

/// `remove_dir_all`, with the top-level entries removed in parallel (a site has tens of thousands of files).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.par_iter().try_for_each(|p| if p.is_dir() { std::fs::remove_dir_all(p) } else { std::fs::remove_file(p) })?;
    std::fs::remove_dir(dir)
}
