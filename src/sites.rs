//! Several sites in one repository: `sites/NAME/` holds a site's own `site.yaml` and `content/`
//! (and optionally `i18n/`, `static/`, `themes/`, `data/`, which override the repository's file by
//! file); the repository root holds what the sites share: `themes/`, `i18n/`, `static/`, `data/` and,
//! named in a site's `shared_content:`, content folders `shared/<name>/` laid out like `content/`.
//!
//! A site folder is a "site of a repository" when its parent folder is called `sites`; then the
//! grandparent is the repository root. Otherwise the site folder is its own root (a single site).
//! Every path shown to editors is relative to the repository root (`sites/bergheim/content/x.de.md`,
//! `shared/common/notruf.de.md`).

use crate::diagnostic::{Diagnostic, did_you_mean};
use std::path::{Path, PathBuf};

/// Where a site's files are, and where the shared ones are.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The repository root: shared `themes/`, `i18n/`, `static/`, `data/`, `shared/`, `.lotse-cache/`.
    pub root: PathBuf,
    /// The site's folder (`root` for a single site).
    pub site_dir: PathBuf,
    /// `sites/bergheim/` for a site of a repository, empty for a single site.
    pub prefix: String,
    /// `bergheim`, or `None` for a single site.
    pub name: Option<String>,
}

impl Layout {
    /// The layout of the site in `site_dir` (see the module comment).
    pub fn of(site_dir: &Path) -> Layout {
        if let Ok(canon) = site_dir.canonicalize()
            && let (Some(parent), Some(name)) = (canon.parent(), canon.file_name())
            && parent.file_name().is_some_and(|p| p == "sites")
            && let Some(root) = parent.parent()
        {
            let name = name.to_string_lossy().to_string();
            return Layout { root: root.to_path_buf(), site_dir: canon.clone(), prefix: format!("sites/{name}/"), name: Some(name) };
        }
        Layout { root: site_dir.to_path_buf(), site_dir: site_dir.to_path_buf(), prefix: String::new(), name: None }
    }

    /// A path inside the site folder as editors see it: `content/x.md` → `sites/bergheim/content/x.md`.
    pub fn shown(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// A file the site may override: its own copy if it has one, else the repository's; with the path
    /// to show. `None` when neither exists.
    pub fn find(&self, rel: &str) -> Option<(PathBuf, String)> {
        self.layers(rel).into_iter().rev().find(|(p, _)| p.exists())
    }

    /// The places of `rel` (a file or folder), lowest first: the repository's, then the site's own.
    /// Only one for a single site.
    pub fn layers(&self, rel: &str) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        if !self.prefix.is_empty() {
            out.push((self.root.join(rel), rel.to_string()));
        }
        out.push((self.site_dir.join(rel), self.shown(rel)));
        out
    }

    /// The content folders, the winner first: the site's `content/`, then each shared folder in the
    /// order of `shared_content:`. With the path to show for each.
    pub fn content_dirs(&self, shared: &[String]) -> Vec<(PathBuf, String)> {
        let mut out = vec![(self.site_dir.join("content"), self.shown("content"))];
        for s in shared {
            out.push((self.root.join("shared").join(s), format!("shared/{s}")));
        }
        out
    }

    /// Caches: `.lotse-cache/` of the site (single) or `.lotse-cache/sites/NAME/` of the repository.
    /// The image cache is keyed by content and stays shared: see `shared_cache_dir`.
    pub fn cache_dir(&self) -> PathBuf {
        match &self.name {
            Some(n) => self.root.join(".lotse-cache").join("sites").join(n),
            None => self.root.join(".lotse-cache"),
        }
    }

    /// `.lotse-cache/` at the repository root.
    pub fn shared_cache_dir(&self) -> PathBuf {
        self.root.join(".lotse-cache")
    }
}

/// The sites of the repository at `root`: every `sites/*/site.yaml`, sorted by name.
pub fn list(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("sites"))
        .map(|d| d.filter_map(|e| e.ok()).filter(|e| e.path().join("site.yaml").is_file()).map(|e| e.file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The folder of site `name` in the repository at `root`, or an error that lists the sites.
pub fn site_dir(root: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let names = list(root);
    if !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && names.iter().any(|n| n == name) {
        return Ok(root.join("sites").join(name));
    }
    let mut hint = match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    if names.is_empty() {
        hint.push_str("this repository has no sites/: a site NAME is a folder sites/NAME/ with a site.yaml and content/");
    } else {
        hint.push_str(&format!("the sites are: {}", names.join(", ")));
    }
    Err(Diagnostic::error("sites", format!("there is no site `{name}` (no sites/{name}/site.yaml)")).hint(hint))
}

/// Checks the `shared_content:` names of a site: each must be a folder `shared/<name>/`.
pub fn check_shared(layout: &Layout, shared: &[String], site_yaml: &str) -> Vec<Diagnostic> {
    let known: Vec<String> = std::fs::read_dir(layout.root.join("shared"))
        .map(|d| d.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default();
    let (line, col) = crate::config::find_key_line(site_yaml, "shared_content").unwrap_or((1, 1));
    let mut out = Vec::new();
    for s in shared {
        let safe = !s.is_empty() && !s.contains(['/', '\\']) && s != "." && s != "..";
        if safe && layout.root.join("shared").join(s).is_dir() {
            continue;
        }
        let hint = match did_you_mean(s, known.iter().map(String::as_str)) {
            Some(k) => format!("did you mean `{k}`?"),
            None if known.is_empty() => "create the folder shared/<name>/ at the repository root (laid out like content/)".to_string(),
            None => format!("the shared folders are: {}", known.join(", ")),
        };
        out.push(Diagnostic::error(layout.shown("site.yaml"), format!("shared_content: there is no folder shared/{s}/")).at(site_yaml, line, col).hint(hint));
    }
    out
}

/// What `lotse serve` watches for the site in `site_dir`: each folder or file with its kind
/// (`content`, `themes`, `i18n`, `static`, `data`, `site.yaml`); a site of a repository also
/// watches the repository's shared folders and `shared/`.
pub fn watched(site_dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let layout = Layout::of(site_dir);
    let mut out = Vec::new();
    for kind in ["content", "themes", "i18n", "static", "data", "site.yaml"] {
        if kind == "content" || kind == "site.yaml" {
            out.push((layout.site_dir.join(kind), kind));
        } else {
            out.extend(layout.layers(kind).into_iter().map(|(p, _)| (p, kind)));
        }
    }
    out.push((layout.root.join("shared"), "content"));
    out.dedup();
    out
}

/// `lotse build --all-sites`: every site of the repository at `root`, in parallel, each into
/// `<output>/<name>/`. Each site's result is reported (in name order); a site that fails keeps its
/// previous output and makes the exit code 1, the others are still built.
pub fn build_all(root: &Path, output: &Path, drafts: bool, strict: bool) -> std::process::ExitCode {
    use rayon::prelude::*;
    let names = list(root);
    if names.is_empty() {
        eprint!("{}", Diagnostic::error("sites", "there are no sites to build (no sites/*/site.yaml)")
            .hint("a site NAME is a folder sites/NAME/ with a site.yaml and content/; see the README, \"Several municipalities in one repository\""));
        eprintln!();
        return std::process::ExitCode::FAILURE;
    }
    let start = std::time::Instant::now();
    let results: Vec<(String, PathBuf, Result<crate::pipeline::BuildReport, Vec<Diagnostic>>, u128)> = names
        .par_iter()
        .map(|name| {
            let t = std::time::Instant::now();
            let out = output.join(name);
            let opts = crate::pipeline::BuildOptions { source: root.join("sites").join(name), output: out.clone(), drafts, strict, preview: false };
            let r = crate::pipeline::build(&opts);
            (name.clone(), out, r, t.elapsed().as_millis())
        })
        .collect();
    let mut failed = Vec::new();
    for (name, out, result, ms) in &results {
        eprintln!("── site {name} ──");
        match result {
            Ok(report) => {
                for w in &report.warnings {
                    eprint!("{w}");
                }
                eprintln!("Built {name}: {} pages in {} languages: {} files in {} ({ms} ms)", report.pages, report.languages, report.files, out.display());
            }
            Err(diags) => {
                for d in diags {
                    eprint!("{d}");
                    eprintln!();
                }
                let errors = diags.iter().filter(|d| d.is_error()).count();
                eprintln!("Site {name} failed with {errors} error{}. Its previous output in {} was left as it was.", if errors == 1 { "" } else { "s" }, out.display());
                failed.push(name.as_str());
            }
        }
    }
    eprintln!(
        "{} of {} sites built ({} ms){}",
        results.len() - failed.len(),
        results.len(),
        start.elapsed().as_millis(),
        if failed.is_empty() { String::new() } else { format!("; failed: {}", failed.join(", ")) }
    );
    if failed.is_empty() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE }
}
