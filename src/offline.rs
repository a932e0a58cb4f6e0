//! What makes the site usable offline and installable: the service worker (`sw.js`), per language a
//! pack manifest (`<lang>/offline-pack.json`: the files a "save this language" download fetches, with
//! their total size) and a web app manifest (`<lang>/manifest.webmanifest`). Runs when every other file
//! is written, because the pack lists and sizes them and the worker's caches are named by the build's
//! hash, a hash of all those files' contents (so a new build never reuses an older build's caches).
//! The scripts in the browser are the theme's `offline.js` and `sw.js`.

use crate::output::{Staging, Written, content_hash};
use crate::render::{OutFile, encode_uri};
use crate::diagnostic::Diagnostic;
use crate::i18n::I18n;
use crate::site::Site;
use serde::Serialize;

/// The worker's path: at the root under the base path, unhashed, so its scope is the whole site and
/// the browser's update check sees a new build.
pub const SW: &str = "sw.js";
const SW_TEMPLATE: &str = include_str!("../themes/default/sw.js");
/// The theme colour of the web app manifests and `<meta name=theme-color>` (the CSS accent).
const THEME_COLOR: &str = "#0b5394";

pub fn pack_path(code: &str) -> String {
    format!("{code}/offline-pack.json")
}
pub fn manifest_path(code: &str) -> String {
    format!("{code}/manifest.webmanifest")
}
/// The offline page (rendered by `render`), shown by the worker for a page that is not cached.
pub fn page_path(code: &str) -> String {
    format!("{code}/offline/")
}

/// `<lang>/offline-pack.json`. URLs are as the browser requests them (base path, percent-encoded).
#[derive(Serialize)]
struct Pack {
    lang: String,
    /// The build hash: offline.js names the pack's cache with it, as sw.js does.
    build: String,
    /// Sum of the sizes of every listed file, shown before the download.
    bytes: u64,
    pages: Vec<String>,
    shared: Vec<String>,
    /// Exactly what `preload(lang)` in search.js fetches: search.js, the language's pack (engine and
    /// manifest), its term chunks and postings files, the doc bundle and the filter file (search-core `all_files`).
    search: Vec<String>,
    /// The UI strings offline.js shows once it has the pack (size, progress, saved), by i18n key: here,
    /// not in every page (`data-*` on the save box were ~600 bytes of each page; only `offline_failed`,
    /// shown when the pack cannot be fetched, stays in the page).
    strings: std::collections::BTreeMap<&'static str, String>,
}

/// The keys of [`Pack::strings`].
const PACK_STRINGS: [&str; 5] = ["file_size_kb", "file_size_mb", "offline_size", "offline_progress", "offline_saved"];

/// Every language's [`Pack::strings`], by language code. A missing string is reported like one a
/// template asks for (only the default language's file can lack it: the others are checked against it
/// when loaded).
pub fn pack_strings(site: &Site, i18n: &I18n) -> Result<PackStrings, Diagnostic> {
    let mut all = PackStrings::new();
    for l in &site.config.languages {
        let strings = PACK_STRINGS.iter().map(|&k| Ok((k, i18n.t(&l.code, k)?))).collect::<Result<_, String>>();
        all.insert(l.code.clone(), strings.map_err(|e| Diagnostic::error(format!("i18n/{}.yaml", l.code), e))?);
    }
    Ok(all)
}

/// See [`pack_strings`].
pub type PackStrings = std::collections::BTreeMap<String, std::collections::BTreeMap<&'static str, String>>;

/// Writes the web app manifests, the pack manifests and `sw.js` into `staging`; returns the build hash.
/// Call it when every other output file has been written.
pub fn write(site: &Site, strings: &PackStrings, staging: &Staging) -> std::io::Result<String> {
    let cfg = &site.config;
    let base = cfg.base_path.as_str();
    let url = |rel: &str| encode_uri(&format!("{base}{rel}"));
    // The web app manifests first: they belong to the shell and the packs list them with their size.
    for l in &cfg.languages {
        staging.write(&OutFile { path: manifest_path(&l.code), bytes: web_manifest(site, &l.code).into_bytes() })?;
    }
    // Every file as written (HTML minified): its size and content hash, taken when it was written.
    let files = staging.files_written();
    // Deterministic: the list is sorted, and paths and contents are all that go in.
    let mut all = Vec::with_capacity(files.len() * 64);
    for f in &files {
        all.extend_from_slice(f.path.as_bytes());
        all.push(0);
        all.extend_from_slice(&f.hash);
    }
    let build = content_hash(&all);

    let shared: Vec<&str> =
        files.iter().map(|f| f.path.as_str()).filter(|p| p.starts_with("_assets/") || p.starts_with("icons/")).collect();
    for l in &cfg.languages {
        let code = &l.code;
        let strings = strings.get(code).cloned().unwrap_or_default();
        let mut pack = Pack { lang: code.clone(), build: build.clone(), bytes: 0, pages: vec![], shared: vec![], search: vec![], strings };
        let own = format!("{code}/");
        let search_dir = format!("_search/{code}/");
        for Written { path: p, size, .. } in &files {
            let list = if p.starts_with(&own) && p.ends_with("index.html") {
                pack.pages.push(url(&p[..p.len() - "index.html".len()]));
                true
            } else if p == "_search/search.js"
                || p.strip_prefix(&search_dir).is_some_and(|f| !f.contains('/') && f.starts_with(['e', 't', 'p', 'b', 'f']))
            {
                pack.search.push(url(p));
                true
            } else if shared.contains(&p.as_str()) || *p == manifest_path(code) {
                pack.shared.push(url(p));
                true
            } else {
                false
            };
            if list {
                pack.bytes += size;
            }
        }
        let json = serde_json::to_vec(&pack).map_err(std::io::Error::other)?;
        staging.write(&OutFile { path: pack_path(code), bytes: json })?;
    }

    // The shell, cached when the worker installs: assets, icons, every language's offline page and manifest.
    let mut shell: Vec<String> = shared.iter().map(|s| url(s)).collect();
    for l in &cfg.languages {
        shell.push(url(&page_path(&l.code)));
        shell.push(url(&manifest_path(&l.code)));
    }
    let langs: Vec<&str> = cfg.languages.iter().map(|l| l.code.as_str()).collect();
    let sw = SW_TEMPLATE
        .replace("/*BUILD*/''", &js(&build))
        .replace("/*BASE*/'/'", &js(&base))
        .replace("/*SHELL*/[]", &js(&shell))
        .replace("/*LANGS*/[]", &js(&langs));
    staging.write(&OutFile { path: SW.into(), bytes: sw.into_bytes() })?;
    Ok(build)
}

/// A JSON literal for one of the worker's constants (JSON is valid JavaScript).
fn js<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `<lang>/manifest.webmanifest`: the site installed as an app in one language (its own start page,
/// name, `lang` and `dir`); the scope is the whole site, so the language switcher stays in the app.
fn web_manifest(site: &Site, code: &str) -> String {
    let cfg = &site.config;
    let l = cfg.language(code).expect("declared language");
    let name = cfg.title.get(code).or_else(|| cfg.title.get(&cfg.default_language)).cloned().unwrap_or_default();
    // site.yaml has no short name: a short title as it is, else its last word (usually the place:
    // "Willkommen im Landkreis Talbach" → "Talbach"), which fits under a home-screen icon.
    let short = if name.chars().count() <= 15 { name.clone() } else { name.split_whitespace().last().unwrap_or(&name).to_string() };
    let base = &cfg.base_path;
    let icon = |file: &str, sizes: &str, kind: &str| serde_json::json!({
        "src": encode_uri(&format!("{base}icons/{file}")), "sizes": sizes, "type": kind, "purpose": "any maskable"
    });
    let m = serde_json::json!({
        "name": name,
        "short_name": short,
        "lang": l.lang,
        "dir": l.dir,
        "id": encode_uri(&format!("{base}{code}/")),
        "start_url": encode_uri(&format!("{base}{code}/")),
        "scope": encode_uri(base),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [icon("icon.svg", "any", "image/svg+xml"), icon("icon-192.png", "192x192", "image/png"), icon("icon-512.png", "512x512", "image/png")],
    });
    m.to_string()
}
