//! The only stage that writes files: fingerprints CSS and JS, minifies HTML, writes
//! everything into a fresh folder next to the output as it is rendered, and swaps it in
//! only when the whole build succeeded, so a failed or killed build never leaves half a site.

use crate::render::OutFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use rayon::prelude::*;
use std::sync::Mutex;

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

/// One file as written: what the offline packs (size) and the build hash (content) need, so nothing
/// is read back from the disk.
#[derive(Clone)]
pub struct Written {
    pub path: String,
    pub size: u64,
    /// XXH3-128 of the bytes: only the build hash of the offline packs uses it, so it need not resist
    /// forgery, and SHA-256 over every byte of the site was 1 % of a build's CPU.
    pub hash: [u8; 16],
}

/// A file as it went to the disk: its bytes (HTML minified) and, when precompressed, the size of its `.gz`.
pub struct Stored<'a> {
    pub bytes: std::borrow::Cow<'a, [u8]>,
    pub gz: Option<u64>,
}

/// A fresh folder beside the output that the build writes into as it renders (so no page
/// waits in memory), swapped in by [`Staging::publish`] only when the whole build succeeded.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// Write `.gz` and `.br` beside every text file (see [`Staging::write`]); set by
    /// [`Staging::precompress`] once the site's config is known.
    precompress: std::sync::atomic::AtomicBool,
    /// Every file written, to list them and to find two outputs for one path.
    written: Mutex<Vec<Written>>,
    /// Folders made so far: tens of thousands of files share a few thousand folders.
    dirs: Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    pub fn new(output: &Path) -> std::io::Result<Staging> {
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.lotse-new"));
        if dir.exists() {
            remove_tree(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging { dir, output: output.to_path_buf(), precompress: Default::default(), written: Mutex::default(), dirs: Mutex::default() })
    }

    /// From now on, write `.gz` and `.br` copies of text files (off until called).
    pub fn precompress(&self, on: bool) {
        self.precompress.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Writes one file (HTML minified with minify-html), with its `.gz` and `.br` when precompressing:
    /// hosts such as nginx `gzip_static`/`brotli_static` or Caddy `precompressed` serve them without
    /// compressing on every request. Search shards are gzip already and stay as they are. Compressing
    /// here, while the pages are rendered, keeps both cores busy and reads nothing back. Deterministic:
    /// no file names or times in the headers.
    pub fn write<'a>(&self, f: &'a OutFile) -> std::io::Result<Stored<'a>> {
        let target = self.target(&f.path)?;
        let bytes = minify(&f.path, &f.bytes);
        std::fs::write(&target, &bytes)?;
        let gz = if self.precompress.load(std::sync::atomic::Ordering::Relaxed) && is_text(&f.path) {
            let gz = search_index::gzip(&bytes);
            std::fs::write(target.with_file_name(format!("{}.gz", file_name(&f.path))), &gz)?;
            std::fs::write(target.with_file_name(format!("{}.br", file_name(&f.path))), brotli_best(&bytes))?;
            Some(gz.len() as u64)
        } else {
            None
        };
        self.record(&f.path, &bytes)?;
        Ok(Stored { bytes, gz })
    }

    /// Copies a file of content/ (an image, a PDF) to `rel`.
    pub fn copy(&self, src: &Path, rel: &str) -> std::io::Result<()> {
        let target = self.target(rel)?;
        let bytes = std::fs::read(src)?;
        std::fs::write(target, &bytes)?;
        self.record(rel, &bytes)
    }

    fn record(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let w = Written { path: rel.to_string(), size: bytes.len() as u64, hash: xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes() };
        self.written.lock().map_err(|_| std::io::Error::other("poisoned"))?.push(w);
        Ok(())
    }

    fn target(&self, rel: &str) -> std::io::Result<PathBuf> {
        let target = self.dir.join(rel);
        if let Some(parent) = target.parent() {
            let known = self.dirs.lock().map(|d| d.contains(parent)).unwrap_or(false);
            if !known {
                std::fs::create_dir_all(parent)?;
                if let Ok(mut d) = self.dirs.lock() {
                    d.insert(parent.to_path_buf());
                }
            }
        }
        Ok(target)
    }

    /// The folder being written (for checks that read the output before it is published).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every file written so far, sorted by path (one entry per path).
    pub fn files_written(&self) -> Vec<Written> {
        let mut files = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        files
    }

    /// Every path written so far, sorted.
    pub fn written(&self) -> Vec<String> {
        self.files_written().into_iter().map(|w| w.path).collect()
    }

    /// Paths that two outputs were written to.
    pub fn duplicates(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.written.lock().map(|w| w.iter().map(|w| w.path.clone()).collect()).unwrap_or_default();
        paths.sort();
        let mut dups: Vec<String> = paths.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0].clone()).collect();
        dups.dedup();
        dups
    }

    pub fn files(&self) -> usize {
        self.written.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// The new site takes the place of the old one; the old one goes.
    pub fn publish(self) -> std::io::Result<()> {
        let parent = self.dir.parent().unwrap_or(Path::new("."));
        let name = self.output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let old = parent.join(format!(".{name}.lotse-old"));
        if old.exists() {
            remove_tree(&old)?;
        }
        if self.output.exists() {
            std::fs::rename(&self.output, &old)?;
        }
        std::fs::rename(&self.dir, &self.output)?;
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(())
    }

    /// A failed build leaves nothing behind and the previous output as it was.
    pub fn discard(self) {
        let _ = remove_tree(&self.dir);
    }
}

/// HTML minified with minify-html (closing tags and `<html>`/`<head>` kept for old browsers; the
/// theme has no inline CSS), other files as they are.
pub fn minify<'a>(path: &str, bytes: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    static CFG: std::sync::LazyLock<minify_html::Cfg> = std::sync::LazyLock::new(|| {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        cfg.keep_html_and_head_opening_tags = true;
        cfg.minify_css = false;
        cfg
    });
    if path.ends_with(".html") { minify_html::minify(bytes, &CFG).into() } else { bytes.into() }
}

/// Files worth compressing: text.
pub fn is_text(rel: &str) -> bool {
    matches!(rel.rsplit_once('.').map(|(_, e)| e), Some("html" | "css" | "js" | "mjs" | "xml" | "json" | "txt" | "ics" | "svg" | "webmanifest"))
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}


/// Brotli at quality 5: on pages of this size within a few per cent of quality 11, at a small
/// fraction of its time (quality 9 made precompression the slowest stage of the build).
pub fn brotli_best(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    let params = brotli::enc::BrotliEncoderParams { quality: 5, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params);
    out
}

/// `remove_dir_all`, with the top-level entries removed in parallel (a site has tens of thousands of files).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.par_iter().try_for_each(|p| if p.is_dir() { std::fs::remove_dir_all(p) } else { std::fs::remove_file(p) })?;
    std::fs::remove_dir(dir)
}
