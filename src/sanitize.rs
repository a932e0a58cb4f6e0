//! Raw HTML written in Markdown, made harmless with `ammonia`: an allow-list of the tags and
//! attributes a help portal needs (text, tables, `abbr`, `details`, images, links, `lang`/`dir`) that
//! also keeps everything Lotse generates itself (heading ids, `<bdi dir>`, `<picture>`/`<source
//! srcset>`, task-list checkboxes, footnotes, table alignment). Scripts, styles, frames, event
//! handlers, `style` attributes and `javascript:`/`data:`/`vbscript:` URLs never survive.
//!
//! Applied to a page's rendered Markdown unless the site sets `trusted_html: true`, and always to
//! `exchange` entries (public submissions).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TAGS: &[&str] = &[
    "a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
];

/// Attributes every allowed tag may carry.
const GENERIC: &[&str] = &["lang", "dir", "class", "id", "title"];

const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"]),
    ("source", &["srcset", "sizes", "type", "media"]),
    ("input", &["checked", "disabled"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("del", &["datetime"]),
    ("ins", &["datetime"]),
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .generic_attributes(GENERIC.iter().copied().collect())
        .tag_attributes(TAG_ATTRS.iter().map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>())).collect())
        .url_schemes(["http", "https", "mailto", "tel", "geo", "sms"].into_iter().collect())
        .link_rel(None)
        .strip_comments(true);
    // Only what Lotse itself writes: task-list checkboxes and the alignment of table columns
    // (pulldown-cmark writes it as a style attribute).
    let align: HashSet<&str> = ["text-align: left", "text-align: center", "text-align: right"].into_iter().collect();
    let mut values: HashMap<&str, HashMap<&str, HashSet<&str>>> = HashMap::new();
    values.entry("input").or_default().insert("type", ["checkbox"].into_iter().collect());
    values.entry("th").or_default().insert("style", align.clone());
    values.entry("td").or_default().insert("style", align);
    b.tag_attribute_values(values);
    b
});

/// The HTML with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn scripts_handlers_and_code_urls_go() {
        let dirty = "<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">a</a>\
            <a href=\" JaVaScRiPt:alert(1)\">b</a><a href=\"data:text/html,x\">c</a><iframe src=x></iframe>\
            <style>p{}</style><p style=\"color:red\" onmouseover=\"alert(1)\">p</p><svg onload=alert(1)></svg>\
            <a href=\"vbscript:x\">d</a><input type=text autofocus onfocus=alert(1)>";
        let c = clean(dirty);
        for bad in ["<script", "onerror", "javascript", "data:", "iframe", "<style", "style=", "onmouseover", "svg", "vbscript", "onfocus", "type=\"text\""] {
            assert!(!c.to_ascii_lowercase().contains(bad), "{bad} in {c}");
        }
    }

    #[test]
    fn what_lotse_writes_and_portals_need_stays() {
        for keep in [
            "<h2 id=\"kosten\">Kosten</h2>",
            "<bdi dir=\"ltr\">+49 361</bdi>",
            "<picture><source type=\"image/webp\" srcset=\"/a-320w.webp 320w\" sizes=\"100vw\"><img src=\"/a.jpg\" width=\"320\" height=\"200\" alt=\"x\" loading=\"lazy\"></picture>",
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>",
            "<th style=\"text-align: center\">a</th>",
            "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>",
            "<div class=\"box\" lang=\"ar\" dir=\"rtl\">x</div>",
            "<details><summary>Mehr</summary><abbr title=\"Bundesamt\">BAMF</abbr></details>",
            "<a href=\"https://bamf.de/\" hreflang=\"de\" lang=\"de\" title=\"t\">BAMF</a>",
            "<a href=\"tel:+49361\">t</a>",
        ] {
            let c = clean(&format!("<table><tr>{keep}</tr></table>"));
            let c = if keep.starts_with("<th") { c } else { clean(keep) };
            assert!(c.contains(keep), "{keep} became {c}");
        }
    }
}
