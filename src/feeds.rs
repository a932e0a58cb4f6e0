//! Files for hosts and machines: `sitemap.xml` with language alternates, an Atom
//! feed per language and per section, `robots.txt`, and `_headers` (cache and security headers for
//! Netlify, Cloudflare Pages and other hosts that read it).

use crate::render::{OutFile, encode_uri};
use crate::site::Site;
use std::collections::BTreeMap;
use std::fmt::Write;

const FEED_ENTRIES: usize = 30;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// Every page in every language with its translations as `xhtml:link` alternates; `taxonomy_pages`
/// (path below the language → languages that have it, see `Renderer::taxonomy_pages`) adds the
/// taxonomy lists and term pages, which have no content file.
pub fn sitemap(site: &Site, taxonomy_pages: &BTreeMap<String, Vec<String>>) -> OutFile {
    let base = &site.config.base_url;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (key, langs) in &site.translations {
        for l in &site.config.languages {
            let Some(&idx) = langs.get(&l.code) else { continue };
            let p = &site.pages[idx];
            let loc = encode_uri(&format!("{base}{}", site.url_of(key, &l.code).unwrap_or_default()));
            let _ = write!(out, "<url><loc>{}</loc>", xml(&loc));
            if let Some(d) = p.fm.updated.or(p.fm.date) {
                let _ = write!(out, "<lastmod>{d}</lastmod>");
            }
            if langs.len() > 1 {
                for other in &site.config.languages {
                    if langs.contains_key(&other.code) {
                        let href = encode_uri(&format!("{base}{}", site.url_of(key, &other.code).unwrap_or_default()));
                        let _ = write!(out, "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>", site.config.hreflang(&other.code), xml(&href));
                    }
                }
            }
            out.push_str("</url>\n");
        }
    }
    for (path, langs) in taxonomy_pages {
        for lang in langs {
            let loc = encode_uri(&format!("{base}{lang}/{path}"));
            let _ = write!(out, "<url><loc>{}</loc>", xml(&loc));
            if langs.len() > 1 {
                for other in langs {
                    let href = encode_uri(&format!("{base}{other}/{path}"));
                    let _ = write!(out, "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>", site.config.hreflang(other), xml(&href));
                }
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    OutFile { path: "sitemap.xml".into(), bytes: out.into_bytes() }
}

pub fn robots(site: &Site) -> OutFile {
    let text = format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.base_url);
    OutFile { path: "robots.txt".into(), bytes: text.into_bytes() }
}

/// The security policy every page is served with: no inline script or style anywhere in the theme,
/// and `wasm-unsafe-eval` only for the search engine.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; media-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `_headers`: fingerprinted assets cached for a year, the service worker never, security headers
/// on everything (the same as netlify.toml, for hosts that read only this file).
pub fn headers(site: &Site) -> OutFile {
    let base = &site.config.base_path;
    let text = format!(
        "{base}_assets/*\n  Cache-Control: public, max-age=31536000, immutable\n\n\
         {base}sw.js\n  Cache-Control: no-cache\n\n\
         {base}*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: DENY\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=()\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n"
    );
    OutFile { path: "_headers".into(), bytes: text.into_bytes() }
}

/// One feed per language (all its pages) and one per section and language.
pub fn atom_feeds(site: &Site) -> Vec<OutFile> {
    let mut out = Vec::new();
    for l in &site.config.languages {
        let code = &l.code;
        let own: Vec<usize> = (0..site.pages.len()).filter(|&i| site.pages[i].lang == *code && !site.pages[i].is_section).collect();
        let title = site.config.title.get(code).cloned().unwrap_or_default();
        out.push(atom(site, code, &title, &format!("{code}/"), &own));
        for (key, langs) in &site.translations {
            let Some(&sec) = langs.get(code) else { continue };
            if !site.pages[sec].is_section || key.is_empty() {
                continue;
            }
            let prefix = format!("{key}/");
            let pages: Vec<usize> = own.iter().copied().filter(|&i| site.pages[i].key.starts_with(&prefix)).collect();
            let section_url = site.url_of(key, code).unwrap_or_default().to_string();
            out.push(atom(site, code, &format!("{} · {title}", site.pages[sec].fm.title), &section_url, &pages));
        }
    }
    out
}

fn atom(site: &Site, code: &str, title: &str, rel: &str, pages: &[usize]) -> OutFile {
    let base = &site.config.base_url;
    let lang = site.config.language(code).map(|l| l.lang.as_str()).unwrap_or(code);
    let mut pages: Vec<usize> = pages.to_vec();
    pages.sort_by(|a, b| {
        let (pa, pb) = (&site.pages[*a], &site.pages[*b]);
        (pb.fm.updated.or(pb.fm.date), &pa.key).cmp(&(pa.fm.updated.or(pa.fm.date), &pb.key))
    });
    pages.truncate(FEED_ENTRIES);
    let updated = pages.iter().filter_map(|i| site.pages[*i].fm.updated.or(site.pages[*i].fm.date)).max();
    let self_url = encode_uri(&format!("{base}{rel}atom.xml"));
    let mut out = String::new();
    let _ = write!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n<title>{}</title>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n<id>{}</id>\n<updated>{}</updated>\n",
        xml(title), xml(&encode_uri(&format!("{base}{rel}"))), xml(&self_url), xml(&self_url),
        updated.map(|d| d.rfc3339()).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()));
    for i in pages {
        let p = &site.pages[i];
        let url = encode_uri(&format!("{base}{}", site.url_of(&p.key, code).unwrap_or_default()));
        let date = p.fm.updated.or(p.fm.date).map(|d| d.rfc3339()).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let _ = write!(out, "<entry>\n<title>{}</title>\n<link href=\"{}\"/>\n<id>{}</id>\n<updated>{date}</updated>\n", xml(&p.fm.title), xml(&url), xml(&url));
        if let Some(d) = p.fm.date {
            let _ = writeln!(out, "<published>{}</published>", d.rfc3339());
        }
        if let Some(desc) = &p.fm.description {
            let _ = writeln!(out, "<summary>{}</summary>", xml(desc));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    OutFile { path: format!("{rel}atom.xml"), bytes: out.into_bytes() }
}
