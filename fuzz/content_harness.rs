// The body of the `content` fuzz target, shared by `cargo fuzz` (fuzz/fuzz_targets/content.rs, nightly)
// and the stable test that runs it on the seed corpus and on every crash found
// (tests/fuzz_content_corpus.rs): both `include!` this file.
//
// The input is one content file: YAML front matter and a Markdown body, any bytes. It goes through
// what `lotse build` does with a file of content/, with the `lotse` library's own functions:
// `content::parse_page` (UTF-8, byte-order mark, name → key and language, front matter split and
// parsed key by key), `types::apply` (its type's fields checked against the built-in schemas),
// `Site::resolve` (links resolved, Markdown rendered with the accessibility checks, raw HTML through
// `sanitize::clean`), and every diagnostic formatted as the CLI prints it (snippet and caret).
// The file is read twice, as a German page and as its Arabic translation, so right-to-left text
// takes its own path (`<bdi>` around left-to-right runs).
//
// Errors are fine; a panic, an HTML output with a script, an event handler outside Lotse's own
// markup or a `javascript:`/`vbscript:`/`data:` link is a crash.

#[allow(unused_imports)]
use lotse::{config::SiteConfig, content::Content, i18n::I18n, site::Site, types::schema::Schemas};

/// Languages as in the demo portal: an LTR default, an RTL one and easy German (`lang: de`).
const CONTENT_SITE_YAML: &str = "title: Fuzz
base_url: https://fuzz.example.org/
default_language: de
languages:
  de: { name: Deutsch, dir: ltr }
  ar: { name: العربية, dir: rtl }
  ls: { name: Leichte Sprache, dir: ltr, lang: de, fallback: de }
timezone: Europe/Berlin
districts:
  mitte: { near: [nord] }
  nord: { near: [mitte] }
";

/// A site folder that does not exist: i18n and schemas are the built-in ones, referenced files are
/// missing (an error, as for a wrong path).
const CONTENT_SITE_DIR: &str = "/nonexistent/lotse-fuzz-site";

pub struct ContentSite {
    pub config: SiteConfig,
    pub i18n: I18n,
    pub schemas: Schemas,
}

/// The site every input is built in, read once.
pub fn content_site() -> &'static ContentSite {
    static SITE: std::sync::OnceLock<ContentSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let config = SiteConfig::parse(CONTENT_SITE_YAML).expect("the fuzz site.yaml is valid");
        let dir = std::path::Path::new(CONTENT_SITE_DIR);
        let i18n = I18n::load(dir, &config).expect("built-in UI strings");
        let schemas = Schemas::load(dir, &config.theme).expect("built-in schemas");
        ContentSite { config, i18n, schemas }
    })
}

/// One content file through discovery, the type check and Markdown rendering.
pub fn fuzz_content(data: &[u8]) {
    if data.len() as u64 > lotse::diagnostic::limits::MAX_PAGE_BYTES {
        return; // refused from its size before it is read
    }
    let site = content_site();
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let mut problems = Vec::new();
    let mut pages = Vec::new();
    for rel in ["beratung/seite.de.md", "beratung/seite.ar.md"] {
        let shown = std::path::PathBuf::from(format!("content/{rel}"));
        match lotse::content::parse_page(&shown, rel, data.to_vec(), &codes, &site.config.default_language) {
            Ok(page) => pages.push(page),
            Err(e) => problems.extend(e),
        }
    }
    problems.extend(lotse::types::apply(&mut pages, &site.schemas, &site.config, &site.i18n, std::path::Path::new(CONTENT_SITE_DIR)));
    // The pipeline stops here when a file or its fields are wrong; so does the target.
    if !problems.iter().any(|d| d.is_error()) {
        let (resolved, errs) = Site::resolve(site.config.clone(), Content { pages, ..Default::default() }, true);
        problems.extend(errs);
        for (page, rendered) in resolved.pages.iter().zip(&resolved.rendered) {
            check_html(&rendered.html, &page.source);
            for h in &rendered.headings {
                assert!(!h.id.is_empty(), "a heading without id");
            }
        }
    }
    for d in &problems {
        let text = d.to_string();
        assert!(text.contains(&d.message), "a diagnostic prints its message");
    }
}

/// A URL that runs code when followed, read as a browser's URL parser does: leading and trailing
/// C0 controls and spaces dropped, tabs and line breaks removed anywhere, the scheme in any case.
/// (Another control character inside, as in `jav\x08ascript:`, makes it a relative URL.)
pub fn code_url(v: &str) -> bool {
    let v: String = v.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let v = v.to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

/// The rendered HTML of a page, parsed as a browser would (trusted_html is off, so raw HTML was
/// sanitized): no element that runs or embeds anything, no event handler, no style but Lotse's
/// table alignment, no link that runs code.
pub fn check_html(html: &str, source: &str) {
    let doc = scraper::Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        let Some(e) = node.value().as_element() else { continue };
        let name = e.name();
        let fail = |what: String| -> ! { panic!("{what} in the rendered HTML:\n{html}\n--- of the file ---\n{source}") };
        if ["script", "iframe", "frame", "object", "embed", "svg", "math", "style", "base", "form", "link", "meta"].contains(&name) {
            fail(format!("<{name}>"));
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                fail(format!("the event handler {attr}={value:?} on <{name}>"));
            }
            if attr == "style" && !value.starts_with("text-align") {
                fail(format!("style={value:?} on <{name}>"));
            }
            if ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "cite"].contains(&attr.as_str()) && code_url(value) {
                fail(format!("{attr}={value:?} on <{name}>"));
            }
        }
    }
}
