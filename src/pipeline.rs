//! The build, stage by stage: config → i18n → discover → theme → resolve →
//! render → feeds and search → publish. Each stage collects its problems; the
//! build stops before writing anything if there is any error.

use crate::budgets;
use crate::config::SiteConfig;
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::feeds;
use crate::i18n::I18n;
use crate::output::{self, Staging};
use crate::render::{OutFile, Renderer};
use crate::site::Site;
use crate::theme::Theme;
use crate::types;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct BuildOptions {
    pub source: PathBuf,
    pub output: PathBuf,
    pub drafts: bool,
    /// Pages over their weight budget fail the build instead of warning.
    pub strict: bool,
    /// `lotse serve`: no precompressed copies and no budget table, so an edit shows sooner.
    pub preview: bool,
}

pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub languages: usize,
    pub warnings: Vec<Diagnostic>,
    /// The page-weight table (see `budgets`).
    pub budgets: String,
}

/// With `LOTSE_TIMINGS=1`, prints how long each stage took, in wall time and in CPU time of all
/// threads (for `bench/`: CPU time over wall time shows how well a stage keeps the cores busy).
struct Timings {
    on: bool,
    last: std::time::Instant,
    last_cpu: f64,
}

/// CPU seconds (user and system) of the whole process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

impl Timings {
    fn new() -> Self {
        let on = std::env::var_os("LOTSE_TIMINGS").is_some();
        Timings { on, last: std::time::Instant::now(), last_cpu: if on { cpu_seconds() } else { 0.0 } }
    }
    fn lap(&mut self, stage: &str) {
        if self.on {
            let cpu = cpu_seconds();
            eprintln!("{:>8.1} ms  {stage}  [CPU {:.0} ms]", self.last.elapsed().as_secs_f64() * 1000.0, (cpu - self.last_cpu) * 1000.0);
            self.last_cpu = cpu;
        }
        self.last = std::time::Instant::now();
    }
}

/// Everything rendering needs, read and checked: the resolved site, theme, UI strings, asset URLs
/// and the map outline; with the warnings so far.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
    pub i18n: Arc<I18n>,
    pub statics: Vec<OutFile>,
    pub asset_urls: std::collections::BTreeMap<String, String>,
    pub outline: Option<portal_data::map::Outline>,
    pub problems: Diagnostics,
}

impl Prepared {
    pub fn renderer(&self) -> Renderer<'_> {
        let search_js = format!("{}_search/search.js", self.site.config.base_path);
        Renderer { site: &self.site, theme: &self.theme, i18n: &self.i18n, assets: &self.asset_urls, search_js, outline: self.outline.clone(), common_cache: Default::default() }
    }
}

/// Reads config, UI strings, content, images, theme and types, and resolves the site.
pub fn prepare(source: &Path, drafts: bool) -> Result<Prepared, Vec<Diagnostic>> {
    let mut t = Timings::new();
    let config = SiteConfig::load(source)?;
    let mut problems = Diagnostics::default();
    let i18n = match I18n::load(source, &config) {
        Ok(i) => Some(Arc::new(i)),
        Err(e) => {
            problems.extend(e);
            None
        }
    };
    t.lap("config and i18n");
    let (mut content, errs) = content::discover(source, &config);
    problems.extend(errs);
    t.lap("discover and parse");
    problems.extend(crate::images::prepare(source, &mut content));
    t.lap("images");
    let theme = match &i18n {
        Some(i) => match Theme::load(source, &config, i.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.extend(e);
                None
            }
        },
        None => None,
    };
    let (Some(i18n), Some(theme)) = (i18n, theme) else { return Err(problems.sorted()) };
    // Drafts are checked only when they are built (`lotse new` writes drafts with empty fields).
    if !drafts {
        content.pages.retain(|p| !p.fm.draft);
    }
    match types::schema::Schemas::load(source, &config.theme) {
        Ok(schemas) => problems.extend(types::apply(&mut content.pages, &schemas, &config, &i18n, source)),
        Err(e) => problems.extend(e),
    }
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    t.lap("theme and content types");
    let now = types::view::now(&config.timezone);
    let (mut site, errs) = Site::resolve(config, content, drafts);
    site.now = now;
    problems.extend(errs);
    t.lap("resolve and render Markdown");
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    let (statics, asset_urls) = output::fingerprint(&theme.statics, &site.config.base_path);
    let outline = match load_outline(source, &site.config) {
        Ok(o) => o,
        Err(e) => {
            problems.push(e);
            return Err(problems.sorted());
        }
    };
    Ok(Prepared { site, theme, i18n, statics, asset_urls, outline, problems })
}

/// What [`render_site`] made: the site, the warnings, and for a site to publish the page weights.
pub struct Rendered {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    pub weights: Option<budgets::Collector>,
}

/// Renders the whole site into `staging`, file by file. For a site to publish (`lotse build`, not the
/// preview or `lotse check`), every page is weighed as it is written (see `budgets`) and text files get
/// precompressed copies when the config asks for them. Publishing is the caller's.
pub fn render_site(source: &Path, drafts: bool, staging: &Staging, to_publish: bool) -> Result<Rendered, Vec<Diagnostic>> {
    let prepared = prepare(source, drafts)?;
    staging.precompress(to_publish && prepared.site.config.precompress);
    let mut t = Timings::new();
    let renderer = prepared.renderer();
    let (site, mut problems, mut statics) = (&prepared.site, Diagnostics::default(), prepared.statics.clone());
    let weights = to_publish.then(|| budgets::Collector::new(&statics, &site.config.base_path));
    let write = |f: &OutFile| {
        let stored = staging.write(f)?;
        if let Some(w) = &weights
            && f.path.ends_with(".html") {
                w.observe(&f.path, &stored.bytes, stored.gz);
            }
        Ok(())
    };
    let io = |path: &str, e: std::io::Error| {
        Diagnostic::error(path, format!("cannot write the output: {e}")).hint("check that the output folder is writable and the disk is not full")
    };
    let write_all = |files: &[OutFile]| -> Vec<Diagnostic> { files.par_iter().filter_map(|f| write(f).err().map(|e| io(&f.path, e))).collect() };
    // Pages, the search index and the other files need only the resolved site: make and write them side
    // by side, so that one keeps the cores busy while another waits on the disk or on its serial parts.
    let (render_problems, (search_problems, rest_problems)) = rayon::join(
        || renderer.render_all(&write),
        || {
            rayon::join(
                || match crate::search::export(site, source) {
                    Ok(files) => write_all(&files),
                    Err(e) => vec![e],
                },
                || {
                    let mut files = std::mem::take(&mut statics);
                    files.push(feeds::sitemap(site, &renderer.taxonomy_pages()));
                    files.push(feeds::robots(site));
                    files.push(feeds::headers(site));
                    files.extend(feeds::atom_feeds(site));
                    files.extend(types::view::ics_files(site));
                    let mut problems = write_all(&files);
                    problems.par_extend(site.assets.par_iter().filter_map(|a| staging.copy(&a.path, &a.rel).err().map(|e| io(&a.rel, e))));
                    problems
                },
            )
        },
    );
    problems.extend(render_problems);
    problems.extend(search_problems);
    problems.extend(rest_problems);
    t.lap("templates, minify and write pages; search index and export; sitemap, feeds and the rest");
    if problems.has_errors() {
        return Err(problems.sorted());
    }
    // Last, when every other file is known: the worker, the pack manifests (sizes), the app manifests.
    match crate::offline::pack_strings(site, &prepared.i18n) {
        Ok(strings) => {
            if let Err(e) = crate::offline::write(site, &strings, staging) {
                problems.push(io("sw.js", e));
            }
        }
        Err(d) => problems.push(d),
    }
    t.lap("offline: sw.js and packs");
    // Two outputs for one path: a page that takes the place of a generated one.
    for f in staging.duplicates() {
        problems.push(Diagnostic::error("content", format!("two outputs would be written to /{f}"))
            .hint("a page or file in content/ uses a path the site generates itself (tags/, categories/, search/, _search/, 404.html); rename it"));
    }
    drop(renderer);
    let mut all = prepared.problems;
    all.extend(problems.sorted());
    if all.has_errors() {
        return Err(all.sorted());
    }
    Ok(Rendered { site: prepared.site, warnings: all.sorted(), weights })
}

/// The region's outline for maps, when site.yaml names one.
fn load_outline(source: &Path, config: &crate::config::SiteConfig) -> Result<Option<portal_data::map::Outline>, Diagnostic> {
    let Some(rel) = &config.map_outline else { return Ok(None) };
    // The site's own file, else the repository's (`data/` is shared, see `sites`).
    let layout = crate::sites::Layout::of(source);
    let (path, shown) = layout.find(rel).unwrap_or_else(|| (source.join(rel), layout.shown(rel)));
    let rel = &shown;
    use crate::diagnostic::limits;
    limits::check_size(&path, rel, limits::MAX_OUTLINE_BYTES, "map outlines", "simplify the outline (e.g. mapshaper -simplify 10%): a map on a phone needs no more detail")?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(rel, format!("cannot read the map outline: {e}")).hint("fix `map_outline` in site.yaml or add the GeoJSON file"))?;
    portal_data::map::parse_geojson(&text)
        .map(Some)
        .map_err(|e| Diagnostic::error(rel, format!("the map outline is not usable GeoJSON: {e}")).hint("export the region as a GeoJSON Polygon or MultiPolygon (lon, lat)"))
}

/// Output path of every page (`de/arbeit/index.html`) → the content file it shows.
fn page_sources(site: &Site) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for ((key, lang), (idx, _)) in &site.shown {
        if let Some(url) = site.url_of(key, lang) {
            out.insert(format!("{url}index.html"), site.pages[*idx].file.display().to_string());
        }
    }
    out
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let staging = Staging::new(&opts.output).map_err(|e| {
        vec![Diagnostic::error(opts.output.display().to_string(), format!("cannot create the output folder: {e}"))
            .hint("check that the output folder's parent is writable")]
    })?;
    let Rendered { site, mut warnings, weights } = match render_site(&opts.source, opts.drafts, &staging, !opts.preview) {
        Ok(r) => r,
        Err(e) => {
            staging.discard();
            return Err(e);
        }
    };
    let mut t = Timings::new();
    let mut budget = match weights {
        Some(w) => w.finish(staging.dir(), &page_sources(&site), opts.strict),
        None => budgets::Report { weights: Vec::new(), pages: 0, problems: Vec::new() },
    };
    warnings.append(&mut budget.problems);
    if warnings.iter().any(|d| d.is_error()) {
        staging.discard();
        return Err(warnings);
    }
    t.lap("budgets");
    let files = staging.files();
    staging.publish().map_err(|e| {
        vec![Diagnostic::error(opts.output.display().to_string(), format!("cannot replace the output: {e}"))
            .hint("check that the output folder is writable and the disk is not full")]
    })?;
    t.lap("swap");
    Ok(BuildReport { pages: site.pages.len(), files, languages: site.config.languages.len(), warnings, budgets: budgets::table(&budget) })
}
