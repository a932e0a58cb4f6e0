//! Accessibility checks of a page's Markdown, run while it is rendered. They warn (the build
//! goes on) with the position and a hint: headings that skip a level or make a second `h1`,
//! headings that would share an id, links without text or with a vague one ("hier", "click
//! here"), and passages in another script without `lang` (a heuristic: a paragraph of a German
//! page mostly in Arabic script, or a paragraph of an Arabic or Persian page that is mostly
//! Latin words in full sentences — names, numbers and addresses are fine and isolated anyway).

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

type Warning = (usize, String, String);

pub struct Checks {
    /// The page is written in Arabic script (ar, fa, ur …).
    arabic_page: bool,
    lang: String,
    warnings: Vec<Warning>,
    /// The last heading level; the page title is the `h1`.
    level: u8,
    /// The link being read: its offset and text.
    link: Option<(usize, String)>,
    /// The text of the block being read, where it starts, and whether it is marked with `lang`.
    block: String,
    /// Where each piece of `block` came from: (byte in `block`, byte in the Markdown).
    block_starts: Vec<(usize, usize)>,
    block_marked: bool,
    /// Open inline HTML elements inside the block: whether each carries `lang`.
    open_html: Vec<bool>,
}

impl Checks {
    pub fn new(lang: &str) -> Checks {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang).to_ascii_lowercase();
        Checks {
            arabic_page: matches!(primary.as_str(), "ar" | "fa" | "ur" | "ps" | "ckb" | "prs" | "sd" | "ug"),
            lang: lang.to_string(),
            warnings: Vec::new(),
            level: 1,
            link: None,
            block: String::new(),
            block_starts: Vec::new(),
            block_marked: false,
            open_html: Vec::new(),
        }
    }

    pub fn finish(mut self) -> Vec<Warning> {
        self.flush();
        self.warnings
    }

    /// Every Markdown event outside images, before it is rewritten.
    pub fn event(&mut self, event: &Event, offset: usize, in_code: bool) {
        match event {
            // An autolink's text is its address: never vague, never empty.
            Event::Start(Tag::Link { link_type, .. }) if !matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                self.link = Some((offset, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((at, text)) = self.link.take() {
                    self.check_link(at, &text);
                }
            }
            Event::Text(t) => {
                self.link_text(t);
                if !in_code && !self.open_html.iter().any(|m| *m) {
                    self.block_starts.push((self.block.len(), offset));
                    self.block.push_str(t);
                }
            }
            Event::Code(t) => self.link_text(t),
            Event::SoftBreak | Event::HardBreak => self.block.push(' '),
            Event::InlineHtml(h) => self.inline_html(h),
            Event::Start(tag) => {
                if matches!(
                    tag,
                    Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_) | Tag::CodeBlock(_)
                ) {
                    self.flush();
                }
                if let Tag::Heading { attrs, .. } = tag {
                    self.block_marked = attrs.iter().any(|(k, _)| k.as_ref() == "lang");
                }
            }
            Event::End(tag) => {
                if matches!(
                    tag,
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition | TagEnd::CodeBlock
                ) {
                    self.flush();
                }
            }
            _ => {}
        }
    }

    /// Text that names a link (also an image's alt text inside a link).
    pub fn link_text(&mut self, text: &str) {
        if let Some((_, t)) = self.link.as_mut() {
            t.push_str(text);
        }
    }

    fn inline_html(&mut self, html: &str) {
        static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*?)(/?)>").expect("valid regex"));
        for c in TAG.captures_iter(html) {
            let name = c[2].to_ascii_lowercase();
            if matches!(name.as_str(), "br" | "wbr" | "img" | "hr" | "input" | "source") || &c[4] == "/" {
                continue;
            }
            if &c[1] == "/" {
                self.open_html.pop();
            } else {
                let attrs = c[3].to_ascii_lowercase();
                self.open_html.push(attrs.contains("lang=") || attrs.contains("lang ="));
            }
        }
    }

    fn check_link(&mut self, at: usize, text: &str) {
        let normalized: String = text
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || "…»«→←›‹–—·".contains(c))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if normalized.is_empty() {
            self.warnings.push((
                at,
                "this link has no text".into(),
                "write what the link leads to between the brackets, e.g. `[Termine des Bürgerbüros](…)`: a screen reader otherwise reads out only the address".into(),
            ));
        } else if VAGUE.contains(&normalized.as_str()) {
            self.warnings.push((
                at,
                format!("the link text `{}` does not say where the link leads", text.trim()),
                format!(
                    "describe the target in the link text, e.g. `[Antrag auf Wohngeld (PDF)](…)` instead of `{}`: screen-reader users jump from link to link and hear only the link text",
                    text.trim()
                ),
            ));
        }
    }

    /// A heading at its end: its level, its id as written or made from its text, and the unique id it got.
    pub fn heading(&mut self, level: u8, at: usize, text: &str, base: &str, id: &str, explicit: bool) {
        let hashes = |n: u8| "#".repeat(n as usize);
        if level == 1 {
            self.warnings.push((
                at,
                "a `#` heading in the text is a second top-level heading: the page title is already the page's `h1`".into(),
                "start the text's headings at `##` (and use `###` below them)".into(),
            ));
        } else if level > self.level + 1 {
            let after = if self.level == 1 { "the page title (h1)".to_string() } else { format!("`{}` (h{})", hashes(self.level), self.level) };
            self.warnings.push((
                at,
                format!("this heading skips a level: `{}` (h{level}) after {after}", hashes(level)),
                format!(
                    "use `{}` here: screen-reader users move through a page by heading levels and miss nothing only when none is skipped",
                    hashes(self.level + 1)
                ),
            ));
        }
        self.level = level;
        if id != base {
            let (message, hint) = if explicit {
                (format!("the id `{base}` is used twice on this page: this heading gets `{id}`"), "give every heading on a page its own id".to_string())
            } else {
                (
                    format!("two headings have the text `{}` and would have the same id: this one gets the id `{id}`", text.trim()),
                    format!("give the headings different texts, or this one its own id: `{} {} {{#{base}-…}}`", hashes(level), text.trim()),
                )
            };
            self.warnings.push((at, message, hint));
        }
    }

    /// The end of a block of text: is it in another script than the page, without `lang`?
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.block);
        let starts = std::mem::take(&mut self.block_starts);
        let marked = std::mem::replace(&mut self.block_marked, false);
        self.open_html.clear();
        if starts.is_empty() || marked {
            return;
        }
        if let Some((script, suggest, pos)) = foreign_script(&text, self.arabic_page) {
            // Points at the first word of the passage, through the piece of text it is in.
            let (piece, src) = starts.iter().rev().find(|(p, _)| *p <= pos).copied().unwrap_or(starts[0]);
            let at = src + (pos - piece);
            let dir = if suggest == "ar" || suggest == "fa" { "rtl" } else { "ltr" };
            self.warnings.push((
                at,
                format!("this passage is in {script}, but the page is in `{}`, and it has no `lang`", self.lang),
                format!(
                    "mark its language, so screen readers pronounce it and browsers choose the right font: `<span lang=\"{suggest}\" dir=\"{dir}\">…</span>` around it (a heading takes `{{lang={suggest}}}` at its end); names, phone numbers and addresses need nothing"
                ),
            ));
        }
    }
}

/// Link texts that do not say where a link leads, in the portal's languages (lower case).
const VAGUE: &[&str] = &[
    // de
    "hier", "hier klicken", "klicken sie hier", "hier klicken sie", "siehe hier", "mehr", "mehr lesen", "mehr erfahren", "mehr infos", "mehr informationen", "weiter", "weiterlesen", "link", "dieser link", "zum link",
    // en
    "here", "click here", "click", "more", "read more", "learn more", "more info", "this", "this link", "continue",
    // fr
    "ici", "cliquez ici", "cliquer ici", "plus", "lire la suite", "en savoir plus", "la suite", "suite", "lien", "ce lien",
    // ar
    "هنا", "اضغط هنا", "انقر هنا", "المزيد", "اقرأ المزيد", "رابط", "الرابط",
    // fa
    "اینجا", "اینجا کلیک کنید", "کلیک کنید", "بیشتر", "ادامه", "لینک", "پیوند",
];

// Letters (and their vowel marks) by explicit ranges, not digits or punctuation of the blocks:
// `char::is_alphabetic` on every character of every page was 3 % of a build's CPU.
fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0620..=0x065F | 0x066E..=0x06D3 | 0x06D5..=0x06DC | 0x06E1..=0x06E8 | 0x06EA..=0x06EF
        | 0x06FA..=0x06FC | 0x06FF | 0x0750..=0x077F | 0x08A0..=0x08C9 | 0xFB50..=0xFDFB | 0xFE70..=0xFEFC)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (matches!(c as u32, 0xC0..=0x24F) && !matches!(c, '×' | '÷'))
}

/// The script of a block that is mostly in another script than the page, the `lang` to suggest
/// and the byte where the passage starts.
fn foreign_script(text: &str, arabic_page: bool) -> Option<(&'static str, &'static str, usize)> {
    static ADDRESSES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"https?://\S+|www\.\S+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").expect("valid regex"));
    // Blanked out with as many spaces, so byte positions stay those of the block.
    // Every address has one of these; most blocks have none, and the regex has no literal to skip by.
    let text = if text.contains('@') || text.contains("://") || text.contains("www.") {
        ADDRESSES.replace_all(text, |c: &regex::Captures| " ".repeat(c[0].len()))
    } else {
        text.into()
    };
    let (mut arabic, mut latin) = (0, 0);
    for c in text.chars() {
        arabic += is_arabic(c) as usize;
        latin += is_latin(c) as usize;
    }
    if arabic_page {
        // Full sentences, not names: four Latin words in a row, at least two of them lower case.
        if latin <= arabic || latin < 20 {
            return None;
        }
        let mut run = 0;
        let mut lower = 0;
        let mut run_start = 0;
        for (pos, word) in words(&text) {
            let w = word.trim_matches(|c: char| !c.is_alphanumeric());
            if !w.is_empty() && w.chars().all(is_latin) {
                if run == 0 {
                    run_start = pos + word.find(w).unwrap_or(0);
                }
                run += 1;
                if w.chars().count() >= 2 && w.chars().next().is_some_and(char::is_lowercase) {
                    lower += 1;
                }
                if run >= 4 && lower >= 2 {
                    return Some(("Latin letters", latin_language(&text), run_start));
                }
            } else {
                run = 0;
                lower = 0;
            }
        }
        None
    } else if arabic >= 12 && arabic > latin {
        // Letters only Persian uses (پ چ ژ گ ک ی) tell Persian from Arabic.
        let persian = text.chars().any(|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی'));
        let first = text.find(is_arabic).unwrap_or(0);
        Some(("Arabic script", if persian { "fa" } else { "ar" }, first))
    } else {
        None
    }
}

/// Words with their byte positions.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace).scan(0, |pos, w| {
        let at = *pos;
        *pos += w.len() + 1;
        Some((at, w))
    }).filter(|(_, w)| !w.is_empty())
}

/// German, French or English, from their letters and most common words (for the hint only).
fn latin_language(text: &str) -> &'static str {
    let lower = text.to_lowercase();
    let count = |letters: &str, common: &[&str]| {
        lower.chars().filter(|c| letters.contains(*c)).count() * 2
            + lower.split(|c: char| !c.is_alphabetic()).filter(|w| common.contains(w)).count()
    };
    let de = count("äöüß", &["der", "die", "das", "und", "mit", "nur", "für", "nicht", "ist", "ein", "eine", "von", "bei", "zu", "den"]);
    let fr = count("éèêàçùâîô", &["le", "la", "les", "et", "des", "du", "pour", "avec", "est", "une", "un", "pas", "vous"]);
    let en = count("", &["the", "and", "of", "to", "with", "for", "is", "your", "you", "please", "a", "in"]);
    if de >= fr && de > en {
        "de"
    } else if fr > en {
        "fr"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(foreign_script("مرحباً بكم في مكتب المواطنين في تالباخ", false), Some(("Arabic script", "ar", 0)));
        assert_eq!(foreign_script("به دفتر شهروندان خوش آمدید، لطفاً وقت بگیرید", false), Some(("Arabic script", "fa", 0)));
        assert_eq!(foreign_script("Sagen Sie „مرحبا“ zur Begrüßung.", false), None);
        assert_eq!(foreign_script("Please bring your passport and the letter from the office.", true), Some(("Latin letters", "en", 0)));
        let de = "انظروا: «Beschäftigung nur mit Erlaubnis der Ausländerbehörde»";
        let (_, lang, at) = foreign_script(de, true).unwrap();
        assert_eq!((lang, &de[at..at + 5]), ("de", "Besch"));
        assert_eq!(foreign_script("Jobcenter Talbach, Bahnhofstraße 12, 07001 Talbach, https://jobcenter.example.org/termine", true), None);
        assert_eq!(foreign_script("اتصلوا بـ Caritas Talbach على الرقم +49 361 555-0123", true), None);
    }
}
