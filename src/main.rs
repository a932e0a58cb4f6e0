//! `lotse`: a static-site generator for multilingual community-help portals. The CLI; the pipeline is
//! the library (`lib.rs`).

use clap::{Parser, Subcommand};
use lotse::{add_language, check, diagnostic, new_page, pipeline, search, serve, sites};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the build allocates many small strings on every core; glibc malloc spent ~12% of the CPU
/// in malloc/free and returned memory to the kernel only to fault it in again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "lotse", version, about = "Builds multilingual help portals from Markdown")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site folder (with site.yaml and content/); with --site or --all-sites the repository.
        #[arg(long, short, default_value = ".")]
        source: PathBuf,
        /// Where the site is written; replaced only when the build succeeds (default `public`,
        /// `public/NAME` with --site; with --all-sites each site goes to `<output>/<name>`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Build the site `sites/NAME/` of the repository (into public/NAME/ by default).
        #[arg(long, conflicts_with = "all_sites")]
        site: Option<String>,
        /// Build every `sites/*/site.yaml` of the repository, in parallel, into `public/<name>/`.
        #[arg(long)]
        all_sites: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Fail when a page is over its weight budget (otherwise a warning).
        #[arg(long)]
        strict: bool,
    },
    /// Build, serve on 127.0.0.1 (or --bind) and rebuild when a file changes.
    Serve {
        #[arg(long, short, default_value = ".")]
        source: PathBuf,
        /// Default `public`, `public/NAME` with --site.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Serve the site `sites/NAME/` of the repository in --source.
        #[arg(long)]
        site: Option<String>,
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; `0.0.0.0` lets a phone in the same network open the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Leave out pages marked `draft: true` (the preview shows them by default).
        #[arg(long)]
        no_drafts: bool,
    },
    /// Write a new page, from the section's `_template.md` if it has one.
    New {
        /// `[TYPE] PATH`: the content type (place, offer, event, job, exchange, material, link) if any,
        /// then the page, e.g. `arbeit/praktikum` or `content/arbeit/praktikum.ar.md`.
        #[arg(num_args = 1..=2, required = true, value_names = ["TYPE", "PATH"])]
        args: Vec<String>,
        #[arg(long, short, default_value = ".")]
        source: PathBuf,
        /// The language (default: the suffix in PATH, else the site's default language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write i18n/CODE.yaml, the UI strings for a new language, from another language's to translate.
    AddLanguage {
        /// The new language's code, e.g. `uk`.
        code: String,
        /// The language whose strings to start from (default `en`; a built-in language starts from its own).
        #[arg(long)]
        from: Option<String>,
        #[arg(long, short, default_value = ".")]
        source: PathBuf,
    },
    /// Check the site before merging: renders it (nothing is written), then every internal link and
    /// anchor in every language, external links (cached), translations; exit 1 on errors.
    Check(check::Args),
    /// Search the site's native index, as the browser search would.
    Search {
        query: String,
        #[arg(long)]
        lang: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, short, default_value = ".")]
        source: PathBuf,
        /// Print the results as JSON, as the browser's `search()` returns them.
        #[arg(long)]
        json: bool,
    },
}

/// mimalloc asks the kernel for transparent huge pages, which the kernel then zeroes 2 MB at a time
/// although the build touches only part of each: 8 % of a 5 × 1,000-page build's samples in perf
/// (`clear_page_erms`), ~0.4 s of its wall time. Normal pages for this process.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this process; no memory is passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    without_huge_pages();
    match Cli::parse().command {
        Command::Build { source, output, site: _, drafts, strict, all_sites: true } => {
            sites::build_all(&source, &output.unwrap_or_else(|| PathBuf::from("public")), drafts, strict)
        }
        Command::Build { source, output, site, drafts, strict, all_sites: false } => {
            let (source, output) = match pick_site(source, output, site) {
                Ok(p) => p,
                Err(d) => return report_failure(&[d]),
            };
            let start = std::time::Instant::now();
            match pipeline::build(&pipeline::BuildOptions { source, output: output.clone(), drafts, strict, preview: false }) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprint!("{w}");
                    }
                    eprint!("{}", report.budgets);
                    eprintln!(
                        "Built {} pages in {} languages: {} files in {} ({} ms)",
                        report.pages,
                        report.languages,
                        report.files,
                        output.display(),
                        start.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => report_failure(&diags),
            }
        }
        Command::Serve { source, output, site, port, bind, no_drafts } => match pick_site(source, output, site)
            .map_err(|d| d.to_string())
            .and_then(|(source, output)| serve::serve(&source, &output, bind, port, !no_drafts))
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::New { args, source, lang } => match new_page::create(&source, args.get(args.len().saturating_sub(2)).filter(|_| args.len() == 2).map(String::as_str), args.last().map(String::as_str).unwrap_or_default(), lang.as_deref()) {
            Ok(created) => {
                match created.translation_of {
                    Some(source) => eprintln!(
                        "Created {}: a draft translation of {}, with its text to translate in place",
                        created.file.display(),
                        source.display()
                    ),
                    None => eprintln!("Created {}", created.file.display()),
                }
                ExitCode::SUCCESS
            }
            Err(d) => report_failure(&[d]),
        },
        Command::AddLanguage { code, from, source } => match add_language::add(&source, &code, from.as_deref()) {
            Ok(added) => {
                eprintln!(
                    "Wrote {} from the `{}` strings: translate every value. Its plural strings have the forms `{code}` needs: {}.",
                    added.file.display(),
                    added.from,
                    added.forms.join(", ")
                );
                if !added.declared {
                    eprintln!("Then declare the language in site.yaml, under `languages:`:\n  {code}: {{ name: \"…\" }}   # its name in itself; add `dir: rtl` for a right-to-left script");
                }
                ExitCode::SUCCESS
            }
            Err(d) => report_failure(&[d]),
        },
        Command::Check(mut args) => {
            if let Some(name) = args.site.take() {
                match sites::site_dir(&args.source, &name) {
                    Ok(dir) => args.source = dir,
                    Err(d) => return report_failure(&[d]),
                }
            }
            check::main(&args)
        }
        Command::Search { query, lang, limit, source, json } => match search::search_cli(&source, &lang, &query, limit, json) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(d) => report_failure(&[d]),
        },
    }
}

/// The site folder and output of `--source`/`--output`/`--site`: with a site NAME the source is the
/// repository and the site `sites/NAME/`, written to `public/NAME` unless --output says otherwise.
fn pick_site(source: PathBuf, output: Option<PathBuf>, site: Option<String>) -> Result<(PathBuf, PathBuf), diagnostic::Diagnostic> {
    match site {
        None => Ok((source, output.unwrap_or_else(|| PathBuf::from("public")))),
        Some(name) => {
            let dir = sites::site_dir(&source, &name)?;
            Ok((dir, output.unwrap_or_else(|| PathBuf::from("public").join(&name))))
        }
    }
}

fn report_failure(diags: &[diagnostic::Diagnostic]) -> ExitCode {
    for d in diags {
        eprint!("{d}");
        eprintln!();
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!("Build failed with {errors} error{}. The previous output was left as it was.", if errors == 1 { "" } else { "s" });
    ExitCode::FAILURE
}
