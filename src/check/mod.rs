//! `lotse check`: everything CI and editors want to know before merging, in one run.
//!
//! The site is rendered as `lotse build` renders it (schemas, accessibility checks and all), but into a
//! temporary folder that is thrown away: the output folder is never touched. Then, on the rendered
//! HTML of every page in every language: every internal link and anchor (`links`), every external
//! link over HTTP with a cache (`external`), the translations' state (`translations`) and the easy
//! language rules (`easy`). Problems are reported like the build's; a summary follows; exit 1 on errors.

pub mod easy;
pub mod external;
pub mod links;
pub mod translations;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::output::Staging;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (with site.yaml and content/).
    #[arg(long, short, default_value = ".")]
    pub source: PathBuf,
    /// Check the site `sites/NAME/` of the repository in --source (see "Several municipalities").
    #[arg(long)]
    pub site: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Do not check external links (nothing is fetched).
    #[arg(long)]
    pub offline: bool,
    /// Seconds to wait for one external request.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Hours a cached external result (.lotse-cache/links.json) is used without asking again.
    #[arg(long, default_value_t = 24)]
    pub max_age: u64,
    /// External requests at a time to one host.
    #[arg(long, default_value_t = 2)]
    pub per_host: usize,
    /// External requests at a time in all.
    #[arg(long, default_value_t = 16)]
    pub jobs: usize,
    /// Print the translation table (Markdown) too; the JSON report always has it.
    #[arg(long)]
    pub translations: bool,
    /// `text` for people, `json` (on stdout) for machines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Default, serde::Serialize)]
pub struct Summary {
    /// False when the site did not render (then only the build's problems are reported).
    pub rendered: bool,
    pub pages: usize,
    pub internal_links: usize,
    pub anchors: usize,
    pub external_links: usize,
    pub external_checked: usize,
    pub external_cached: usize,
    pub external_skipped: usize,
    pub errors: usize,
    pub warnings: usize,
}

pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    pub translations_table: String,
    pub translations: serde_json::Value,
}

/// Runs the whole check and prints it; the exit code is 1 when there is an error.
pub fn main(args: &Args) -> ExitCode {
    let report = run(args);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&json(&report)).unwrap_or_default()),
        Format::Text => {
            for d in &report.diagnostics {
                eprint!("{d}");
                eprintln!();
            }
            if args.translations && !report.translations_table.is_empty() {
                eprintln!("{}", report.translations_table.trim_end());
                eprintln!();
            }
            eprint!("{}", table(&report.summary));
        }
    }
    if report.summary.errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

pub fn run(args: &Args) -> Report {
    let mut report = Report { diagnostics: Vec::new(), summary: Summary::default(), translations_table: String::new(), translations: serde_json::Value::Null };
    let mut problems = Diagnostics::default();
    // A temporary output folder: the staging folder is created beside it and removed at the end.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let root = TempRoot(std::env::temp_dir().join(format!("lotse-check-{}-{nanos}", std::process::id())));
    let staging = match Staging::new(&root.0.join("public")) {
        Ok(s) => s,
        Err(e) => {
            problems.push(Diagnostic::error(root.0.display().to_string(), format!("cannot create a temporary folder: {e}")).hint("set TMPDIR to a writable folder"));
            return finish(report, problems);
        }
    };
    match crate::pipeline::render_site(&args.source, args.drafts, &staging, false) {
        Err(diags) => problems.extend(diags),
        Ok(crate::pipeline::Rendered { site, warnings, .. }) => {
            problems.extend(warnings);
            report.summary.rendered = true;
            check_site(args, &site, &staging, &mut report, &mut problems);
        }
    }
    staging.discard();
    finish(report, problems)
}

/// The temporary output folder, removed however the check ends (also when a stage panics).
struct TempRoot(PathBuf);

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn finish(mut report: Report, problems: Diagnostics) -> Report {
    report.diagnostics = problems.sorted();
    report.summary.errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    report.summary.warnings = report.diagnostics.len() - report.summary.errors;
    report
}

fn check_site(args: &Args, site: &crate::site::Site, staging: &Staging, report: &mut Report, problems: &mut Diagnostics) {
    // Output path of each page → its content file and text (a fallback page names the file it shows).
    let mut sources = BTreeMap::new();
    let default = &site.config.default_language;
    for ((key, _), (idx, url)) in &site.shown {
        let mut files = vec![*idx];
        // A translation's facts (addresses, websites) come from the default-language file.
        if let Some(&d) = site.translations.get(key).and_then(|t| t.get(default)) && d != *idx {
            files.push(d);
        }
        let files = files.into_iter().map(|i| (site.pages[i].file.display().to_string(), site.pages[i].source.as_str())).collect();
        sources.insert(format!("{url}index.html"), links::Source { files });
    }
    let files = staging.written();
    let found = links::check(staging.dir(), &files, &site.config.base_url, &site.config.base_path, &sources);
    report.summary.pages = found.pages;
    report.summary.internal_links = found.internal;
    report.summary.anchors = found.anchors;
    problems.extend(found.problems);

    let (t_problems, t_table, t_json) = translations::report_at(site, Some(&args.source));
    problems.extend(t_problems);
    report.translations_table = t_table;
    report.translations = t_json;
    problems.extend(easy::check(site));

    let urls: BTreeSet<String> = found.external.iter().map(|u| external::cache_key(&u.url).to_string()).collect();
    report.summary.external_links = urls.len();
    if args.offline {
        report.summary.external_skipped = urls.len();
        return;
    }
    let opts = external::Options {
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_age: Duration::from_secs(args.max_age.saturating_mul(3600)),
        per_host: args.per_host,
        jobs: args.jobs,
        cache: crate::sites::Layout::of(&args.source).shared_cache_dir().join("links.json"),
    };
    let urls: Vec<String> = urls.into_iter().collect();
    let checked = external::check(&urls, &opts);
    report.summary.external_checked = checked.fetched;
    report.summary.external_cached = checked.cached;
    // Per URL: one problem where it is written in content/; a link written nowhere (the theme makes
    // it, as the map links) once, at the first page that shows it.
    let mut by_url: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for u in &found.external {
        by_url.entry(u.url.as_str()).or_default().push(u.page.as_str());
    }
    for (url, pages) in by_url {
        let Some(r) = checked.results.get(external::cache_key(url)) else { continue };
        let detail = r.detail.clone().unwrap_or_default();
        let d = match r.kind {
            external::Kind::Ok => continue,
            external::Kind::Moved => {
                let to = r.location.clone().unwrap_or_default();
                Diagnostic::warning("", format!("the link `{url}` redirects permanently to {to}")).hint(format!("link to `{to}` directly"))
            }
            external::Kind::Dead if r.status == 0 => Diagnostic::error("", format!("the link `{url}` is dead: {detail}"))
                .hint("check the spelling of the address; if the site is gone, remove the link or link to another source"),
            external::Kind::Dead => Diagnostic::error("", format!("the link `{url}` is dead: {detail}"))
                .hint("find where the page moved (search the site it was on) and link there, or remove the link"),
            external::Kind::Unsure => Diagnostic::warning("", format!("the link `{url}` could not be checked: {detail}"))
                .hint("the server may only be down today: open the link in a browser; it is checked again on the next run"),
        };
        let needles = [url, url.trim_end_matches('/')];
        let mut located = BTreeSet::new();
        for page in &pages {
            if let Some((file, text, offset)) = links::find(sources.get(*page), &needles)
                && located.insert((file.clone(), offset))
            {
                let mut d = d.clone().at_offset(text, offset);
                d.file = file.into();
                problems.push(d);
            }
        }
        if located.is_empty() {
            // Prefer a page that shows its own file only (the original, not a translation).
            let first = pages.iter().filter(|p| sources.contains_key(**p)).min_by_key(|p| sources[**p].files.len()).unwrap_or(&pages[0]);
            let mut d = links::locate(d, sources.get(*first), first, &[]);
            if pages.len() > 1 {
                d.message.push_str(&format!(" (and on {} more pages)", pages.len() - 1));
            }
            problems.push(d);
        }
    }
}

/// The summary for people.
pub fn table(s: &Summary) -> String {
    let mut out = String::new();
    let row = |out: &mut String, k: &str, v: String| out.push_str(&format!("  {k:<16} {v}\n"));
    out.push_str("lotse check\n");
    if !s.rendered {
        out.push_str("  the site did not render: links were not checked (fix the errors above first)\n");
    }
    row(&mut out, "pages checked", s.pages.to_string());
    row(&mut out, "internal links", s.internal_links.to_string());
    row(&mut out, "anchors", s.anchors.to_string());
    row(
        &mut out,
        "external links",
        format!("{} (checked {}, cached {}, skipped {})", s.external_links, s.external_checked, s.external_cached, s.external_skipped),
    );
    row(&mut out, "errors", s.errors.to_string());
    row(&mut out, "warnings", s.warnings.to_string());
    out.push_str(if s.errors > 0 { "check failed\n" } else { "check passed\n" });
    out
}

/// The report for machines.
pub fn json(r: &Report) -> serde_json::Value {
    let diags: Vec<serde_json::Value> = r
        .diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "file": d.file.display().to_string(),
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "hint": d.hint,
                "snippet": d.snippet,
            })
        })
        .collect();
    serde_json::json!({
        "ok": r.summary.errors == 0,
        "summary": r.summary,
        "diagnostics": diags,
        "translations": r.translations,
    })
}
