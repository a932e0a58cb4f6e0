//! Opening hours in OpenStreetMap `opening_hours` syntax.
//!
//! Contact points already publish their hours in this syntax (it is what OSM and many address lists
//! use), so authors can copy them into front matter unchanged and the same string can go back to OSM.
//! The full OSM grammar (solar times, months, week numbers, school holidays, fallback rules…) is far
//! more than a help portal needs and hard to show correctly in a table, so this module accepts only
//! the subset contact points actually use and rejects everything else *with a column and a hint*:
//! an author should learn at build time that `Mi` is not a weekday, not find a blank table online.
//!
//! Accepted:
//!
//! * rules separated by `;`; a later rule replaces the hours of every day it names (OSM semantics),
//!   so `Mo-Fr 09:00-12:00; We off` closes Wednesday;
//! * a weekday selector: `Mo Tu We Th Fr Sa Su`, ranges `Mo-Fr`, wrap-around ranges `Fr-Mo`
//!   (Fr, Sa, Su, Mo), lists `Mo,We,Fr` and mixtures `Mo-We,Fr`;
//! * followed by time spans `HH:MM-HH:MM` (comma-separated; `24:00` as an end), or `off` / `closed`;
//!   a selector alone (`Sa`) means the whole day, and spans without a selector mean every day, as in OSM;
//! * `24/7`;
//! * `PH off` (public holidays closed): accepted so real-world strings parse, remembered as a flag,
//!   but not applied to any date (the portal has no holiday calendar).
//!
//! Parsing is pure and has no clock: "now" is always the caller's parameter ([`OpeningHours::is_open`]).

use std::fmt;

/// Minutes in a day; `24:00` is this value and only valid as the end of a span.
const DAY: u16 = 24 * 60;

/// The two-letter OSM weekday names, Monday first (index = weekday number used everywhere here).
const WEEKDAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// One opening interval of a day, in minutes since midnight: `from` inclusive, `to` exclusive
/// (so `to` may be 1440 for `24:00`). Always `from < to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub from: u16,
    pub to: u16,
}

/// The parsed, resolved week: for each weekday the final spans after all overriding, sorted and with
/// overlapping or touching spans merged, so two strings that mean the same week compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    /// Index 0 = Monday … 6 = Sunday. An empty vector means closed that day.
    pub days: [Vec<Span>; 7],
    /// Every day is open 00:00–24:00 (from `24/7` or an equivalent set of rules). Kept as a flag so
    /// templates can say "open around the clock" instead of seven identical rows.
    pub always_open: bool,
    /// The input said `PH off`. Only recorded: there is no holiday calendar to apply it to, but the
    /// page can show "closed on public holidays".
    pub public_holidays_off: bool,
}

/// A row of a week table: consecutive days with identical spans (`Mo–Fr 09:00–12:00`).
/// Day names are indices so the caller can localize them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 0 = Monday.
    pub first_day: usize,
    /// Equal to `first_day` for a single day.
    pub last_day: usize,
    pub spans: Vec<Span>,
}

/// Why a string was refused, with a position so the build's diagnostic can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursError {
    /// 1-based, counted in chars (not bytes), so it matches what an editor shows for non-ASCII input.
    pub column: usize,
    /// What is wrong, e.g. `unknown weekday "Mi"`.
    pub message: String,
    /// How to fix it, e.g. `use Mo Tu We Th Fr Sa Su`.
    pub hint: String,
}

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {} ({})", self.message, self.column, self.hint)
    }
}

impl std::error::Error for HoursError {}

/// `09:00` for 540; `24:00` for 1440. Always two-digit hours, as OSM and the `<time>` element expect.
pub fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses an `opening_hours` string (see the module documentation for the accepted subset).
pub fn parse(s: &str) -> Result<OpeningHours, HoursError> {
    parse_with_warnings(s).map(|(hours, _)| hours)
}

/// [`parse`], plus a warning for every rule that has no effect because later rules replace all the
/// days it names (`Tu 14:00-17:00; Mo-Fr 09:00-12:00` drops Tuesday afternoon). OSM's "later rule
/// wins" is easy to misread as "later rule adds", and the lost hours would otherwise vanish from the
/// page silently; the build can report these as warnings at the rule's column.
pub fn parse_with_warnings(s: &str) -> Result<(OpeningHours, Vec<HoursError>), HoursError> {
    let mut p = Parser { c: s.chars().collect(), i: 0 };
    let mut days: [Vec<Span>; 7] = Default::default();
    // Which rule set each day's hours last, and each rule's (start, end, days named).
    let mut owner: [Option<usize>; 7] = [None; 7];
    let mut rules: Vec<(usize, usize, [bool; 7])> = Vec::new();
    let mut public_holidays_off = false;
    let mut any_rule = false;
    loop {
        p.skip_ws();
        match p.peek() {
            None => break,
            // Empty rules (`a;;b`, a trailing `;`) are harmless and common when strings are joined.
            Some(';') => {
                p.i += 1;
                continue;
            }
            Some(_) => {}
        }
        let start = p.i;
        match p.rule()? {
            Rule::Days(selected, spans) => {
                for (day, on) in selected.iter().enumerate() {
                    if *on {
                        days[day] = spans.clone();
                        owner[day] = Some(rules.len());
                    }
                }
                rules.push((start, p.i, selected));
            }
            Rule::PublicHolidaysOff => public_holidays_off = true,
        }
        any_rule = true;
        p.skip_ws();
        match p.peek() {
            None => break,
            Some(';') => p.i += 1,
            Some(_) => return Err(p.unexpected()),
        }
    }
    if !any_rule {
        return Err(err(1, "empty opening hours", "write e.g. Mo-Fr 09:00-17:00, or leave the field out"));
    }
    let warnings = rules
        .iter()
        .enumerate()
        .filter(|(n, _)| !owner.contains(&Some(*n)))
        .map(|(_, (start, end, _))| {
            let text: String = p.c[*start..*end].iter().collect();
            err(
                start + 1,
                format!("rule \"{}\" has no effect: later rules replace all its days", text.trim()),
                "a later rule replaces the hours of the days it names; give all of a day's times in one rule, \
                 e.g. Mo-Fr 09:00-12:00; Tu 09:00-12:00,14:00-17:00",
            )
        })
        .collect();
    let always_open = days.iter().all(|d| d.as_slice() == [Span { from: 0, to: DAY }]);
    Ok((OpeningHours { days, always_open, public_holidays_off }, warnings))
}

impl OpeningHours {
    /// Rows for a week table: consecutive days with identical spans merged (`Mo–Fr 09:00–12:00`),
    /// closed days omitted, in week order. Sunday and Monday are not merged across the week's end,
    /// because a table read top to bottom must start on Monday.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        for (day, spans) in self.days.iter().enumerate() {
            if spans.is_empty() {
                continue;
            }
            if let Some(last) = rows.last_mut()
                && last.last_day + 1 == day
                && last.spans == *spans
            {
                last.last_day = day;
                continue;
            }
            rows.push(Row { first_day: day, last_day: day, spans: spans.clone() });
        }
        rows
    }

    /// Open on `weekday` (0 = Monday) at `minute` of the day (0..1440)? Out-of-range arguments are
    /// simply "closed" rather than a panic, because they come from a browser clock or a template.
    /// Public holidays are not considered (the caller knows no holiday calendar either).
    pub fn is_open(&self, weekday: usize, minute: u16) -> bool {
        if weekday >= 7 || minute >= DAY {
            return false;
        }
        self.always_open || self.days[weekday].iter().any(|s| s.from <= minute && minute < s.to)
    }

    /// A canonical OSM string of the resolved week, e.g. `Mo-Fr 09:00-12:00; Th 14:00-18:00`
    /// (one rule per table row, no overriding left to resolve), for the browser's "open now" script
    /// and schema.org `openingHours`. Equal weeks give equal strings, and [`parse`] gives the same
    /// week back. A week closed every day is `off`; `PH off` is appended when it was given.
    pub fn normalized(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.always_open {
            parts.push("24/7".to_string());
        } else {
            for row in self.rows() {
                let mut rule = WEEKDAYS[row.first_day].to_string();
                if row.last_day != row.first_day {
                    rule.push('-');
                    rule.push_str(WEEKDAYS[row.last_day]);
                }
                rule.push(' ');
                let spans: Vec<String> =
                    row.spans.iter().map(|s| format!("{}-{}", format_time(s.from), format_time(s.to))).collect();
                rule.push_str(&spans.join(","));
                parts.push(rule);
            }
            if parts.is_empty() {
                parts.push("off".to_string());
            }
        }
        if self.public_holidays_off {
            parts.push("PH off".to_string());
        }
        parts.join("; ")
    }
}

enum Rule {
    Days([bool; 7], Vec<Span>),
    PublicHolidaysOff,
}

fn err(column: usize, message: impl Into<String>, hint: impl Into<String>) -> HoursError {
    HoursError { column, message: message.into(), hint: hint.into() }
}

/// A hand-written recursive-descent parser over chars, so every error knows its char column.
struct Parser {
    c: Vec<char>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.c.get(self.i + n).copied()
    }

    fn col(&self) -> usize {
        self.i + 1
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(n, ch)| self.peek_at(n) == Some(ch))
    }

    /// The run of letters at the cursor (not consumed).
    fn word(&self) -> String {
        self.c[self.i..].iter().take_while(|c| c.is_alphabetic()).collect()
    }

    /// End of a rule: whitespace then `;` or the end of input.
    fn at_rule_end(&self) -> bool {
        let mut j = self.i;
        while self.c.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        matches!(self.c.get(j), None | Some(';'))
    }

    fn rule(&mut self) -> Result<Rule, HoursError> {
        if self.starts_with("24/7") {
            self.i += 4;
            return Ok(Rule::Days([true; 7], vec![Span { from: 0, to: DAY }]));
        }
        let start = self.col();
        let word = self.word();
        if word == "PH" {
            self.i += 2;
            self.skip_ws();
            let w = self.word();
            if (w == "off" || w == "closed") && {
                self.i += w.chars().count();
                self.at_rule_end()
            } {
                return Ok(Rule::PublicHolidaysOff);
            }
            return Err(err(
                start,
                "hours on public holidays are not supported",
                "write \"PH off\", or leave public holidays out",
            ));
        }
        // Without a weekday selector a rule applies to every day (OSM).
        let selected = if weekday(&word).is_some() {
            self.weekdays()?
        } else {
            let is_time = self.peek().is_some_and(|c| c.is_ascii_digit());
            if !is_time && word != "off" && word != "closed" {
                return Err(if word.is_empty() { self.unexpected() } else { self.unknown_word(&word) });
            }
            [true; 7]
        };
        self.skip_ws();
        // A selector alone means the whole day (OSM: `Sa` = `Sa 00:00-24:00`).
        if self.at_rule_end() {
            return Ok(Rule::Days(selected, vec![Span { from: 0, to: DAY }]));
        }
        let w = self.word();
        if w == "off" || w == "closed" {
            self.i += w.chars().count();
            return Ok(Rule::Days(selected, Vec::new()));
        }
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            let spans = self.spans()?;
            return Ok(Rule::Days(selected, spans));
        }
        if !w.is_empty() {
            return Err(self.unknown_word(&w));
        }
        Err(self.unexpected())
    }

    /// `Mo`, `Mo-Fr`, `Fr-Mo` (wraps over the weekend), `Mo,We,Fr`, `Mo-We,Fr`; spaces around `,` and
    /// `-` are tolerated because people type them.
    fn weekdays(&mut self) -> Result<[bool; 7], HoursError> {
        let mut selected = [false; 7];
        loop {
            let first = self.day()?;
            let save = self.i;
            self.skip_ws();
            if self.peek() == Some('-') {
                self.i += 1;
                self.skip_ws();
                let last = self.day()?;
                let mut d = first;
                loop {
                    selected[d] = true;
                    if d == last {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            } else {
                self.i = save;
                selected[first] = true;
            }
            if self.peek() == Some('[') {
                return Err(err(
                    self.col(),
                    "nth weekday of the month (\"[1]\") is not supported",
                    "give weekly hours and put the exception in the page text",
                ));
            }
            let save = self.i;
            self.skip_ws();
            if self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                continue;
            }
            self.i = save;
            return Ok(selected);
        }
    }

    fn day(&mut self) -> Result<usize, HoursError> {
        let w = self.word();
        if w.is_empty() {
            return Err(match self.peek() {
                None => err(self.col(), "a weekday is missing at the end", "use Mo Tu We Th Fr Sa Su"),
                Some(c) => err(self.col(), format!("expected a weekday, found \"{c}\""), "use Mo Tu We Th Fr Sa Su"),
            });
        }
        match weekday(&w) {
            Some(d) => {
                self.i += 2;
                Ok(d)
            }
            None => Err(self.unknown_word(&w)),
        }
    }

    /// `HH:MM-HH:MM[,HH:MM-HH:MM…]`, returned sorted with overlaps merged.
    fn spans(&mut self) -> Result<Vec<Span>, HoursError> {
        let mut spans = Vec::new();
        loop {
            let start = self.col();
            let from = self.time(false)?;
            if self.peek() != Some('-') {
                return Err(err(self.col(), "a time span needs an end", "write spans as 09:00-12:00"));
            }
            self.i += 1;
            let to = self.time(true)?;
            if self.peek() == Some('+') {
                return Err(err(self.col(), "open end (\"+\") is not supported", "give a closing time"));
            }
            if to <= from {
                return Err(err(
                    start,
                    format!("span {}-{} ends before it starts", format_time(from), format_time(to)),
                    "spans past midnight are not supported: split them, e.g. Fr 22:00-24:00; Sa 00:00-02:00",
                ));
            }
            spans.push(Span { from, to });
            let save = self.i;
            self.skip_ws();
            if self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return Err(err(
                        self.col(),
                        "expected a time after \",\"",
                        "separate rules with \";\", e.g. Mo 09:00-12:00; We 14:00-16:00",
                    ));
                }
                continue;
            }
            self.i = save;
            break;
        }
        spans.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.from <= last.to => last.to = last.to.max(s.to),
                _ => merged.push(s),
            }
        }
        Ok(merged)
    }

    /// `HH:MM` with two-digit hours; `24:00` only as an end.
    fn time(&mut self, is_end: bool) -> Result<u16, HoursError> {
        let start = self.col();
        let digits = |p: &Parser, at: usize| -> Option<u16> {
            let a = p.peek_at(at)?.to_digit(10)?;
            let b = p.peek_at(at + 1)?.to_digit(10)?;
            Some((a * 10 + b) as u16)
        };
        let shape = "write times as HH:MM with two-digit hours, e.g. 09:00";
        let Some(h) = digits(self, 0) else {
            return Err(match self.peek() {
                Some(c) if c.is_ascii_digit() => err(start, "hours need two digits", shape),
                Some(c) => err(start, format!("expected a time, found \"{c}\""), shape),
                None => err(start, "a time is missing at the end", shape),
            });
        };
        // Four digits and no colon at the start of a rule is a year (`2024 Mo-Fr …`).
        if !is_end && digits(self, 2).is_some() && self.peek_at(4) != Some(':') {
            return Err(err(start, "years are not supported", "give weekly hours only"));
        }
        if self.peek_at(2) != Some(':') {
            return Err(err(start, "expected \":\" in the time", shape));
        }
        let Some(m) = digits(self, 3) else {
            return Err(err(start, "minutes need two digits", shape));
        };
        if self.peek_at(5).is_some_and(|c| c.is_ascii_digit()) {
            return Err(err(start, "too many digits in the time", shape));
        }
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(err(start, format!("{h:02}:{m:02} is not a time of day"), "use 00:00 to 24:00"));
        }
        if h == 24 && !is_end {
            return Err(err(start, "24:00 can only end a span", "start the day at 00:00"));
        }
        self.i += 5;
        Ok(h * 60 + m)
    }

    /// The error for a word that is not part of the subset, naming the OSM feature when it is one,
    /// so the author knows it is deliberately unsupported rather than misspelled.
    fn unknown_word(&self, w: &str) -> HoursError {
        let col = self.col();
        let lower = w.to_lowercase();
        let (message, hint) = match lower.as_str() {
            "sunrise" | "sunset" | "dawn" | "dusk" => {
                (format!("solar times like \"{w}\" are not supported"), "give clock times like 07:00".to_string())
            }
            "jan" | "feb" | "mar" | "apr" | "may" | "jun" | "jul" | "aug" | "sep" | "oct" | "nov" | "dec" => (
                format!("month selectors like \"{w}\" are not supported"),
                "give weekly hours and put seasonal changes in the page text".to_string(),
            ),
            "week" => (
                "week numbers are not supported".to_string(),
                "give weekly hours and put exceptions in the page text".to_string(),
            ),
            "sh" => (
                "school holidays (\"SH\") are not supported".to_string(),
                "give weekly hours and put holiday changes in the page text".to_string(),
            ),
            "easter" => (
                "\"easter\" is not supported".to_string(),
                "give weekly hours and put holiday changes in the page text".to_string(),
            ),
            "open" | "unknown" => {
                (format!("\"{w}\" is not supported"), "give time spans like 09:00-12:00, or \"off\"".to_string())
            }
            _ => {
                let hint = match suggest_weekday(w) {
                    Some(d) => format!("use Mo Tu We Th Fr Sa Su; \"{w}\" is probably {d}"),
                    None => "use Mo Tu We Th Fr Sa Su".to_string(),
                };
                if w.chars().count() == 2 || suggest_weekday(w).is_some() {
                    (format!("unknown weekday \"{w}\""), hint)
                } else {
                    (format!("unknown word \"{w}\""), hint)
                }
            }
        };
        err(col, message, hint)
    }

    /// The error for a stray character where a rule should end or go on.
    fn unexpected(&self) -> HoursError {
        let col = self.col();
        match self.peek() {
            Some('|') => err(col, "fallback rules (\"||\") are not supported", "separate rules with \";\""),
            Some('"') => err(col, "comments in quotes are not supported", "put notes in the page text"),
            Some(',') => err(
                col,
                "unexpected \",\" between rules",
                "separate rules with \";\", e.g. Mo 09:00-12:00; We 14:00-16:00",
            ),
            Some(c) if c.is_alphabetic() => {
                let w = self.word();
                if weekday(&w).is_some() {
                    err(
                        col,
                        format!("missing \";\" before \"{w}\""),
                        "separate rules with \";\", e.g. Mo 09:00-12:00; We 14:00-16:00",
                    )
                } else if w == "off" || w == "closed" {
                    err(col, format!("\"{w}\" after times"), "give either times or \"off\" in one rule")
                } else {
                    self.unknown_word(&w)
                }
            }
            Some(c) => err(col, format!("unexpected \"{c}\""), "write rules like Mo-Fr 09:00-12:00; Sa 10:00-13:00"),
            None => err(col, "unexpected end", "write rules like Mo-Fr 09:00-12:00"),
        }
    }
}

fn weekday(w: &str) -> Option<usize> {
    WEEKDAYS.iter().position(|d| *d == w)
}

/// A likely meaning of a wrong weekday: wrong case (`mo`, `MO`), an English three-letter or full name,
/// or the German abbreviations authors of German-first portals type by habit (`Di`, `Mi`, `Do`, `So`).
fn suggest_weekday(w: &str) -> Option<&'static str> {
    let lower = w.to_lowercase();
    if let Some(d) = WEEKDAYS.iter().find(|d| d.to_lowercase() == lower) {
        return Some(d);
    }
    let english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if let Some(n) = english.iter().position(|e| lower.starts_with(e)) {
        return Some(WEEKDAYS[n]);
    }
    match lower.as_str() {
        "di" => Some("Tu"),
        "mi" => Some("We"),
        "do" => Some("Th"),
        "so" => Some("Su"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(from: &str, to: &str) -> Span {
        let m = |t: &str| t[..2].parse::<u16>().unwrap() * 60 + t[3..].parse::<u16>().unwrap();
        Span { from: m(from), to: m(to) }
    }

    fn e(s: &str) -> HoursError {
        parse(s).expect_err(s)
    }

    #[test]
    fn range_and_single_day() {
        let h = parse("Mo-Fr 09:00-12:00; Th 14:00-18:00").unwrap();
        for d in [0, 1, 2, 4] {
            assert_eq!(h.days[d], vec![sp("09:00", "12:00")]);
        }
        // Th is overridden by the later rule (OSM semantics), not added to.
        assert_eq!(h.days[3], vec![sp("14:00", "18:00")]);
        assert!(h.days[5].is_empty() && h.days[6].is_empty());
        assert!(!h.always_open && !h.public_holidays_off);
    }

    #[test]
    fn list_and_several_spans() {
        let h = parse("Mo,We 08:30-12:00,13:00-15:30").unwrap();
        let want = vec![sp("08:30", "12:00"), sp("13:00", "15:30")];
        assert_eq!(h.days[0], want);
        assert_eq!(h.days[2], want);
        assert!(h.days[1].is_empty());
        // Spaces after commas and around selectors are tolerated.
        assert_eq!(parse("Mo , We 08:30-12:00, 13:00-15:30").unwrap(), h);
        // Mixed list and range.
        let h = parse("Mo-We,Fr 10:00-11:00").unwrap();
        assert_eq!(h.days.iter().filter(|d| !d.is_empty()).count(), 4);
        assert!(h.days[3].is_empty());
    }

    #[test]
    fn later_off_overrides() {
        let h = parse("Tu 10:00-12:00; Tu off").unwrap();
        assert!(h.days.iter().all(Vec::is_empty));
        assert_eq!(h.normalized(), "off");
        let h = parse("Mo-Fr 09:00-17:00; We closed").unwrap();
        assert!(h.days[2].is_empty());
        assert_eq!(h.normalized(), "Mo-Tu 09:00-17:00; Th-Fr 09:00-17:00");
        // An earlier rule does not override a later one.
        let h = parse("We off; Mo-Fr 09:00-17:00").unwrap();
        assert_eq!(h.days[2], vec![sp("09:00", "17:00")]);
    }

    #[test]
    fn wrap_around_range() {
        let h = parse("Fr-Mo 10:00-14:00").unwrap();
        let open: Vec<usize> = (0..7).filter(|&d| !h.days[d].is_empty()).collect();
        assert_eq!(open, vec![0, 4, 5, 6]);
        // Rows stay in week order and do not merge over the week's end.
        let rows = h.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].first_day, rows[0].last_day), (0, 0));
        assert_eq!((rows[1].first_day, rows[1].last_day), (4, 6));
        let h = parse("Su-Su 10:00-11:00").unwrap();
        assert_eq!((0..7).filter(|&d| !h.days[d].is_empty()).count(), 1);
    }

    #[test]
    fn always_open_and_public_holidays() {
        let h = parse("24/7").unwrap();
        assert!(h.always_open);
        assert!(h.is_open(6, 1439) && h.is_open(0, 0));
        assert_eq!(h.normalized(), "24/7");
        let h = parse("24/7; PH off").unwrap();
        assert!(h.always_open && h.public_holidays_off);
        assert_eq!(h.normalized(), "24/7; PH off");
        // An override makes it no longer always open.
        let h = parse("24/7; Su off").unwrap();
        assert!(!h.always_open);
        assert_eq!(h.normalized(), "Mo-Sa 00:00-24:00");
        let h = parse("Mo-Fr 09:00-12:00; PH closed").unwrap();
        assert!(h.public_holidays_off);
        assert_eq!(h.normalized(), "Mo-Fr 09:00-12:00; PH off");
    }

    #[test]
    fn osm_shorthands() {
        // A selector alone is the whole day; times alone are every day; `off` alone closes all.
        let h = parse("Sa").unwrap();
        assert_eq!(h.days[5], vec![Span { from: 0, to: 1440 }]);
        let h = parse("10:00-12:00").unwrap();
        assert!(h.days.iter().all(|d| *d == vec![sp("10:00", "12:00")]));
        assert_eq!(h.normalized(), "Mo-Su 10:00-12:00");
        let h = parse("Mo-Fr 08:00-20:00; off").unwrap();
        assert!(h.days.iter().all(Vec::is_empty));
        // Empty rules and a trailing `;` are ignored.
        assert_eq!(parse("Mo 09:00-10:00;; ").unwrap(), parse("Mo 09:00-10:00").unwrap());
    }

    #[test]
    fn spans_end_at_24_and_merge() {
        let h = parse("Sa 18:00-24:00").unwrap();
        assert_eq!(h.days[5], vec![Span { from: 1080, to: 1440 }]);
        assert!(h.is_open(5, 1439) && !h.is_open(6, 0));
        let h = parse("Mo 13:00-15:00,09:00-12:00,11:00-12:30,15:00-16:00").unwrap();
        assert_eq!(h.days[0], vec![sp("09:00", "12:30"), sp("13:00", "16:00")]);
    }

    #[test]
    fn is_open_bounds() {
        let h = parse("Mo-Fr 09:00-12:00").unwrap();
        assert!(!h.is_open(0, 539));
        assert!(h.is_open(0, 540));
        assert!(h.is_open(4, 719));
        assert!(!h.is_open(4, 720));
        assert!(!h.is_open(5, 600));
        assert!(!h.is_open(7, 600));
        assert!(!h.is_open(0, 5000));
    }

    #[test]
    fn rows_merge_identical_consecutive_days() {
        let h = parse("Mo-Fr 09:00-12:00; Th 14:00-18:00; Sa 10:00-12:00").unwrap();
        let rows = h.rows();
        let shape: Vec<(usize, usize)> = rows.iter().map(|r| (r.first_day, r.last_day)).collect();
        assert_eq!(shape, vec![(0, 2), (3, 3), (4, 4), (5, 5)]);
        assert_eq!(rows[1].spans, vec![sp("14:00", "18:00")]);
        assert!(parse("Mo off").unwrap().rows().is_empty());
    }

    #[test]
    fn normalized_round_trips() {
        for s in [
            "Mo-Fr 09:00-12:00; Th 14:00-18:00",
            "Mo,We 08:30-12:00,13:00-15:30",
            "Fr-Mo 10:00-14:00; Su off; PH off",
            "24/7",
            "Tu 10:00-12:00; Tu off",
            "Mo-Su 00:00-24:00",
        ] {
            let h = parse(s).unwrap();
            let n = h.normalized();
            assert_eq!(parse(&n).unwrap(), h, "{s} -> {n}");
            assert_eq!(parse(&n).unwrap().normalized(), n);
        }
        assert_eq!(
            parse("Mo-Fr 09:00-12:00; Th 14:00-18:00").unwrap().normalized(),
            "Mo-We 09:00-12:00; Th 14:00-18:00; Fr 09:00-12:00"
        );
        assert_eq!(parse("Mo-Su 00:00-24:00").unwrap().normalized(), "24/7");
    }

    #[test]
    fn warns_about_rules_without_effect() {
        let (h, w) = parse_with_warnings("Tu 14:00-17:00; Mo-Fr 09:00-12:00").unwrap();
        assert_eq!(h.days[1], vec![sp("09:00", "12:00")]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].column, 1);
        assert_eq!(w[0].message, "rule \"Tu 14:00-17:00\" has no effect: later rules replace all its days");
        let (_, w) = parse_with_warnings("Mo 08:00-09:00; Tu 10:00-12:00; Tu off").unwrap();
        assert_eq!((w.len(), w[0].column), (1, 17));
        // A partial override is the normal OSM idiom, not a warning.
        for s in ["Mo-Fr 09:00-12:00; Th 14:00-18:00", "Mo-Fr 08:00-12:00; We off", "24/7; PH off"] {
            assert!(parse_with_warnings(s).unwrap().1.is_empty(), "{s}");
        }
    }

    #[test]
    fn format_time_pads() {
        assert_eq!(format_time(0), "00:00");
        assert_eq!(format_time(545), "09:05");
        assert_eq!(format_time(1440), "24:00");
    }

    #[test]
    fn errors_have_columns() {
        let x = e("Mi 10:00-12:00");
        assert_eq!((x.column, x.message.as_str()), (1, "unknown weekday \"Mi\""));
        assert!(x.hint.contains("Mo Tu We Th Fr Sa Su") && x.hint.contains("We"), "{}", x.hint);
        assert_eq!(x.to_string(), format!("unknown weekday \"Mi\" at column 1 ({})", x.hint));

        let cases: &[(&str, usize, &str)] = &[
            ("Mo-Fr 09:00-12:00; Xy 10:00-11:00", 20, "unknown weekday \"Xy\""),
            ("Mo-Di 09:00-12:00", 4, "unknown weekday \"Di\""),
            ("mo 09:00-12:00", 1, "unknown weekday \"mo\""),
            ("Mo-Fr sunrise-sunset", 7, "solar times like \"sunrise\" are not supported"),
            ("Jan-Mar Mo 09:00-12:00", 1, "month selectors like \"Jan\" are not supported"),
            ("week 1-20 Mo 09:00-12:00", 1, "week numbers are not supported"),
            ("Mo 09:00-12:00 || Tu 10:00-11:00", 16, "fallback rules (\"||\") are not supported"),
            ("SH off", 1, "school holidays (\"SH\") are not supported"),
            ("PH 10:00-12:00", 1, "hours on public holidays are not supported"),
            ("Mo[1] 09:00-12:00", 3, "nth weekday of the month (\"[1]\") is not supported"),
            ("Mo 9:00-12:00", 4, "hours need two digits"),
            ("Mo 09:00", 9, "a time span needs an end"),
            ("Mo 09:00-25:00", 10, "25:00 is not a time of day"),
            ("Mo 09:60-10:00", 4, "09:60 is not a time of day"),
            ("Mo 24:00-24:00", 4, "24:00 can only end a span"),
            ("Fr 22:00-02:00", 4, "span 22:00-02:00 ends before it starts"),
            ("Mo 10:00-10:00", 4, "span 10:00-10:00 ends before it starts"),
            ("Mo 10:00+", 9, "a time span needs an end"),
            ("Mo 10:00-12:00+", 15, "open end (\"+\") is not supported"),
            ("Mo 10:00-12:00, We 14:00-16:00", 17, "expected a time after \",\""),
            ("Mo 10:00-12:00 We 14:00-16:00", 16, "missing \";\" before \"We\""),
            ("Mo 10:00-12:00 off", 16, "\"off\" after times"),
            ("Mon-Fri 10:00-12:00", 1, "unknown weekday \"Mon\""),
            ("Feiertag off", 1, "unknown word \"Feiertag\""),
            ("Mo-Fr 10:00-12:00; 24/7 Su off", 25, "missing \";\" before \"Su\""),
            ("Mo - ; Tu 10:00-11:00", 6, "expected a weekday, found \";\""),
            ("Mo-", 4, "a weekday is missing at the end"),
            ("Mo-Fr 09.00-12.00", 7, "expected \":\" in the time"),
            ("2024 Mo-Fr 09:00-12:00", 1, "years are not supported"),
            ("Mo \"by appointment\"", 4, "comments in quotes are not supported"),
            ("Mo open", 4, "\"open\" is not supported"),
            ("", 1, "empty opening hours"),
            (" ; ", 1, "empty opening hours"),
            ("Mo 10:00-12:00; Tu 10:00-1", 26, "hours need two digits"),
            ("Mo 10:00-12:0", 10, "minutes need two digits"),
            ("Mo 10:00-12:000", 10, "too many digits in the time"),
        ];
        for (input, column, message) in cases {
            let x = e(input);
            assert_eq!((x.column, x.message.as_str()), (*column, *message), "{input}: {x}");
            assert!(!x.hint.is_empty());
        }
    }

    #[test]
    fn error_column_counts_chars_not_bytes() {
        // "ö" and "ü" are two bytes each; the column counts them as one.
        let x = e("Mo 10:00-12:00; Dö 10:00-11:00");
        assert_eq!(x.column, 17);
        assert_eq!(x.message, "unknown weekday \"Dö\"");
        let x = e("Mo 10:00-12:00 ü");
        assert_eq!(x.column, 16);
        let x = e("Mo 10:00-12:00 ü; Tu x");
        assert_eq!(x.column, 16);
    }
}
