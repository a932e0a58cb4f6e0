//! Markdown → HTML with pulldown-cmark, plus what a portal needs on top:
//! heading ids, internal links resolved to the reader's language, and
//! left-to-right runs (phone numbers, e-mail addresses, URLs, Latin names)
//! isolated with `<bdi>` inside right-to-left text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

mod a11y;

pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The text without markup, for search and summaries.
    pub plain: String,
    /// Errors (broken links, images without alt text): (byte offset in the Markdown, message, hint).
    pub problems: Vec<(usize, String, String)>,
    /// Accessibility warnings (see `a11y`), same shape: they never fail a build.
    pub warnings: Vec<(usize, String, String)>,
    /// The Markdown held raw HTML or heading attributes (`{key=value}`): markup Lotse did not write,
    /// which `sanitize` must see unless the site trusts it.
    pub raw_html: bool,
}

/// Turns a link target written by an editor into a URL, or says why it cannot.
pub trait LinkResolver {
    /// `Ok(None)`: leave the target as it is (external, absolute, anchor).
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, String)>;

    /// The resized variants of an image target in content/, and the site's base path.
    fn image(&self, _target: &str) -> Option<(&crate::images::Image, &str)> {
        None
    }
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The alt text that marks an image as purely decorative (rendered `alt=""`, skipped by screen readers).
pub const DECORATIVE_ALT: &str = "-";

/// The heading being read: level, id, classes, attributes, inner events, text, offset.
type PendingHeading<'a> = (HeadingLevel, Option<CowStr<'a>>, Vec<CowStr<'a>>, Vec<(CowStr<'a>, Option<CowStr<'a>>)>, Vec<Event<'a>>, String, usize);

/// The image being read: its alt text is known only at its end.
struct PendingImage<'a> {
    dest: CowStr<'a>,
    title: CowStr<'a>,
    offset: usize,
    alt: String,
}

/// Renders a page's Markdown. `lang` is its HTML language (`de` for easy German), used by the
/// check for passages in another script; `rtl` isolates left-to-right runs.
pub fn render(markdown: &str, lang: &str, rtl: bool, links: &dyn LinkResolver) -> Rendered {
    let mut problems = Vec::new();
    let mut checks = a11y::Checks::new(lang);
    let mut headings = Vec::new();
    let mut used_ids = BTreeSet::new();
    let mut plain = String::new();
    let mut events: Vec<Event> = Vec::new();
    // Events of the heading being read: its id is known only at its end.
    let mut heading: Option<PendingHeading> = None;
    let mut image: Option<PendingImage> = None;
    let mut images_seen = 0usize;
    let mut in_code = false;
    let mut raw_html = false;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        // Inside an image only its alt text counts; the whole image becomes one piece of HTML.
        if let Some(img) = image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    img.alt.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        checks.event(&event, range.start, in_code);
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Heading { attrs, .. }) if !attrs.is_empty() => raw_html = true,
            _ => {}
        }
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = rewrite(dest_url, range.start, links, &mut problems);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                image = Some(PendingImage { dest: dest_url, title, offset: range.start, alt: String::new() });
                continue;
            }
            Event::End(TagEnd::Image) => {
                let Some(img) = image.take() else { continue };
                // The alt text is text of the page, for search and summaries (not of a heading).
                let alt = img.alt.trim();
                if heading.is_none() && !alt.is_empty() && alt != DECORATIVE_ALT {
                    if !plain.is_empty() {
                        plain.push(' ');
                    }
                    plain.push_str(alt);
                }
                let html = image_html(img, images_seen == 0, links, &mut problems, &mut checks);
                images_seen += 1;
                Event::InlineHtml(html.into())
            }
            other => other,
        };
        match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                heading = Some((level, id, classes, attrs, Vec::new(), String::new(), range.start));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, classes, attrs, inner, text, offset)) = heading.take() {
                    let explicit = id.is_some();
                    let base = id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&text));
                    let base = if base.is_empty() { "section".to_string() } else { base };
                    let id = unique_id(base.clone(), &mut used_ids);
                    checks.heading(level as u8, offset, &text, &base, &id, explicit);
                    headings.push(Heading { level: level as u8, id: id.clone(), text: text.clone() });
                    events.push(Event::Start(Tag::Heading { level, id: Some(id.into()), classes, attrs }));
                    events.extend(inner);
                    events.push(Event::End(TagEnd::Heading(level)));
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Table(_)) => events.push(Event::Html("<div class=\"table-scroll\">".into())),
            _ => {}
        }
        let is_table_end = matches!(event, Event::End(TagEnd::Table));
        let target = match heading.as_mut() {
            Some((.., inner, text, _)) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    text.push_str(t);
                }
                inner
            }
            None => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    if !plain.is_empty() {
                        plain.push(' ');
                    }
                    plain.push_str(t);
                }
                &mut events
            }
        };
        match event {
            Event::Text(t) if rtl && !in_code => isolate_ltr(t, target),
            e => target.push(e),
        }
        if is_table_end {
            events.push(Event::Html("</div>".into()));
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, headings, plain, problems, warnings: checks.finish(), raw_html }
}

/// A Markdown image as HTML: a `<picture>` with resized variants for images in content/, else an
/// `<img>`; lazy unless it is the page's first. An image without alt text is an error.
fn image_html(img: PendingImage, first: bool, links: &dyn LinkResolver, problems: &mut Vec<(usize, String, String)>, checks: &mut a11y::Checks) -> String {
    let alt = img.alt.trim();
    if alt.is_empty() {
        problems.push((
            img.offset,
            format!("the image `{}` has no alt text", img.dest),
            format!(
                "write what the image shows between the brackets, for people who cannot see it: `![Der Eingang des Landratsamts mit Rampe]({})`; for a purely decorative image write `![{DECORATIVE_ALT}]({})`",
                img.dest, img.dest
            ),
        ));
    }
    let alt = if alt == DECORATIVE_ALT { "" } else { alt };
    checks.link_text(alt);
    if let Some((image, base)) = links.image(&img.dest) {
        return image.html(base, alt, &img.title, first);
    }
    let src = rewrite(img.dest, img.offset, links, problems);
    crate::images::plain_html(&src, alt, &img.title, first)
}

fn rewrite<'a>(dest: CowStr<'a>, offset: usize, links: &dyn LinkResolver, problems: &mut Vec<(usize, String, String)>) -> CowStr<'a> {
    let lower = dest.trim().to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:") {
        problems.push((offset, format!("the link `{dest}` would run code"), "link to a page or a web address instead".into()));
        return "#".into();
    }
    match links.resolve(&dest) {
        Ok(Some(url)) => url.into(),
        Ok(None) => dest,
        Err((message, hint)) => {
            problems.push((offset, message, hint));
            dest
        }
    }
}

/// Heading anchor: lowercase, letters and digits of any script kept, spaces to `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn unique_id(base: String, used: &mut BTreeSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Runs that must read left to right even inside Arabic or Persian text.
static LTR_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"https?://[^\s<>]*[^\s<>.,;:!?()]",                       // URLs
        r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",   // e-mail addresses
        r"|\+?[0-9][0-9 ()/-]{4,}[0-9]",                           // phone numbers
        r"|\p{Latin}[\p{Latin}0-9]*(?:[ .&'/-]+[\p{Latin}0-9]+)*",  // Latin-script names (Bürgerbüro, Café)
    ))
    .expect("valid regex")
});

fn isolate_ltr<'a>(text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for m in LTR_RUN.find_iter(&text) {
        if m.start() > last {
            out.push(Event::Text(text[last..m.start()].to_string().into()));
        }
        out.push(Event::InlineHtml("<bdi dir=\"ltr\">".into()));
        out.push(Event::Text(m.as_str().to_string().into()));
        out.push(Event::InlineHtml("</bdi>".into()));
        last = m.end();
    }
    if last == 0 {
        out.push(Event::Text(text));
    } else if last < text.len() {
        out.push(Event::Text(text[last..].to_string().into()));
    }
}

/// Isolates left-to-right runs in a plain string (titles, descriptions) and escapes it.
pub fn isolate_plain(text: &str) -> String {
    let mut events = Vec::new();
    isolate_ltr(CowStr::Borrowed(text), &mut events);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, target: &str) -> Result<Option<String>, (String, String)> {
            if target.starts_with("@/") {
                Err(("no such page".into(), "hint".into()))
            } else {
                Ok(None)
            }
        }
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render("## Kosten und Dauer\n\n## Kosten und Dauer\n\n## Größe? Ja!\n", "de", false, &NoLinks);
        assert!(r.html.contains("<h2 id=\"kosten-und-dauer\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"kosten-und-dauer-2\">"));
        assert!(r.html.contains("<h2 id=\"größe-ja\">"));
    }

    #[test]
    fn phone_numbers_are_isolated_in_rtl_text() {
        let r = render("اتصل على +49 361 555-0123 أو info@talbach.example.org لدى Jobcenter Talbach.", "ar", true, &NoLinks);
        assert!(r.html.contains("<bdi dir=\"ltr\">+49 361 555-0123</bdi>"), "{}", r.html);
        assert!(r.html.contains("<bdi dir=\"ltr\">info@talbach.example.org</bdi>"));
        assert!(r.html.contains("<bdi dir=\"ltr\">Jobcenter Talbach</bdi>"));
        // German words keep their umlauts inside one run
        let r = render("راجعوا Bürgerbüro Talbach اليوم.", "ar", true, &NoLinks);
        assert!(r.html.contains("<bdi dir=\"ltr\">Bürgerbüro Talbach</bdi>"), "{}", r.html);
        let ltr = render("Call +49 361 555-0123.", "de", false, &NoLinks);
        assert!(!ltr.html.contains("bdi"));
    }

    #[test]
    fn broken_and_dangerous_links_are_reported() {
        let r = render("[a](@/nope.md) [b](javascript:alert(1))", "de", false, &NoLinks);
        assert_eq!(r.problems.len(), 2);
        assert_eq!(r.problems[0].0, 0);
        assert!(!r.html.contains("javascript"));
    }

    #[test]
    fn images_need_alt_text_which_is_searchable() {
        let r = render("Vor ![Ein Stadtplan](karte.png) und ![-](linie.png) und ![](x.png)", "de", false, &NoLinks);
        assert_eq!(r.problems.len(), 1, "only the empty alt is an error");
        assert!(r.problems[0].1.contains("`x.png` has no alt text"));
        assert_eq!(r.plain.split_whitespace().collect::<Vec<_>>().join(" "), "Vor Ein Stadtplan und und");
        assert!(r.html.contains("<img src=\"karte.png\" alt=\"Ein Stadtplan\">"), "{}", r.html);
        assert!(r.html.contains("<img src=\"linie.png\" alt=\"\" loading=\"lazy\""), "{}", r.html);
    }

    #[test]
    fn tables_footnotes_tasks_strikethrough() {
        let r = render("|a|b|\n|-|-|\n|1|2|\n\n- [x] done\n\n~~alt~~ text[^1]\n\n[^1]: note\n", "de", false, &NoLinks);
        for needle in ["<table>", "type=\"checkbox\"", "<del>", "footnote-definition"] {
            assert!(r.html.contains(needle), "{needle} in {}", r.html);
        }
    }
}
