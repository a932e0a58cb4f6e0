//! Events of a portal (counselling hours, language cafés, information evenings): their local times with
//! a time zone, weekly/monthly recurrence with an end and exceptions, the occurrences in a window, and
//! iCalendar (RFC 5545) files.
//!
//! Everything here works in the *local wall-clock time* of the event's time zone, because that is what
//! editors write ("every Tuesday 18:00") and what visitors expect: a weekly 18:00 café stays at 18:00
//! across the daylight-saving switch. Time-zone arithmetic (only needed for "now", UNTIL/DTSTAMP in UTC
//! and the VTIMEZONE components) uses `chrono-tz`, which compiles the IANA database into the binary, so
//! a build needs no system zoneinfo and gives the same answer on every machine.
//!
//! Nothing reads the clock: "now" is always a parameter and DTSTAMP comes from content, so the same
//! content always gives byte-identical `.ics` files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{
    Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone,
    Timelike, Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// Upper bound on the recurrence steps one call examines (and so on the occurrences it returns), so a
/// hostile or mistaken rule (`interval: 1`, no end, a window of centuries) cannot hang the build.
/// Expansion jumps straight to the window first, so an open-ended weekly event that started years ago
/// still shows its next occurrences: the cap limits work per call, not the life of a series.
pub const MAX_OCCURRENCES: usize = 1000;

/// A local date and time as written in front matter: `2026-12-03 18:00` or `2026-12-03T18:00` (or a
/// date alone = all-day). No seconds and no offset: the zone is the event's `tz`, kept separately so
/// that recurrences keep their wall-clock time across DST switches.
///
/// The field order makes the derived `Ord` chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalDateTime {
    /// A date and time; not checked (use [`parse_local`] for input), so tests and callers can build
    /// values directly.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Self {
        LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
        }
    }

    /// The date as the `(year, month, day)` triple used for exceptions.
    pub fn date(&self) -> (i32, u32, u32) {
        (self.year, self.month, self.day)
    }

    /// `None` when the fields do not name a real date and time (possible because the fields are public).
    fn naive(&self) -> Option<NaiveDateTime> {
        let date = NaiveDate::from_ymd_opt(self.year, self.month, self.day)?;
        let time = NaiveTime::from_hms_opt(self.hour, self.minute, 0)?;
        Some(NaiveDateTime::new(date, time))
    }

    fn from_naive(n: NaiveDateTime) -> Self {
        LocalDateTime {
            year: n.year(),
            month: n.month(),
            day: n.day(),
            hour: n.hour(),
            minute: n.minute(),
        }
    }
}

impl fmt::Display for LocalDateTime {
    /// The front-matter form `2026-12-03 18:00`, so error messages quote what the editor can write.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

/// Parses `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD` (all-day: the bool is `true` and the
/// time is 00:00). Strict on purpose: a portal's dates are read by people in many languages, so
/// `3.12.26` or `12/03` are refused with a reason instead of being guessed.
pub fn parse_local(s: &str) -> Result<(LocalDateTime, bool), String> {
    const EXPECTED: &str = "expected YYYY-MM-DD HH:MM (or YYYY-MM-DD for an all-day event)";
    let s = s.trim();
    let bytes = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let bad = || format!("{EXPECTED}, found '{s}'");
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(bad());
    }
    let year = digits(0..4).ok_or_else(bad)?;
    let month = digits(5..7).ok_or_else(bad)?;
    let day = digits(8..10).ok_or_else(bad)?;
    let year = year as i32;
    if !(1..=12).contains(&month) {
        return Err(format!("month must be 01-12, found '{s}'"));
    }
    if NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return Err(format!("no such date: {year:04}-{month:02}-{day:02}"));
    }
    if bytes.len() == 10 {
        return Ok((LocalDateTime::new(year, month, day, 0, 0), true));
    }
    if bytes[10] != b' ' && bytes[10] != b'T' {
        return Err(bad());
    }
    // HH:MM, optionally :00 seconds (some editors and tools add them); other seconds are refused
    // rather than silently dropped.
    let time = &bytes[11..];
    if !(time.len() == 5 || time.len() == 8) || time[2] != b':' {
        return Err(bad());
    }
    let hour = digits(11..13).ok_or_else(bad)?;
    let minute = digits(14..16).ok_or_else(bad)?;
    if time.len() == 8 {
        if time[5] != b':' {
            return Err(bad());
        }
        match digits(17..19) {
            Some(0) => {}
            Some(_) => return Err(format!("seconds are not supported, found '{s}'")),
            None => return Err(bad()),
        }
    }
    if hour > 23 {
        return Err(format!("hour must be 00-23, found '{s}'"));
    }
    if minute > 59 {
        return Err(format!("minute must be 00-59, found '{s}'"));
    }
    Ok((LocalDateTime::new(year, month, day, hour, minute), false))
}

/// How often an event repeats. Daily and yearly are left out on purpose: portal events are weekly
/// office hours or monthly meetings, and a smaller vocabulary gives editors clearer errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Freq {
    Weekly,
    Monthly,
}

/// A recurrence rule, a subset of RFC 5545's RRULE that maps 1:1 onto it, so the listing on the site
/// and the `.ics` a visitor imports always agree.
///
/// * Weekly: same weekday and time as the first occurrence, every `interval` weeks.
/// * Monthly: same day of the month, every `interval` months. Months without that day (the 31st in
///   April, the 29th of February in most years) are skipped, exactly as RFC 5545 ignores invalid
///   dates, so calendar apps show the same dates; skipped months do not count towards `count`.
/// * `until` is inclusive (an occurrence starting at `until` still happens); `count` counts
///   occurrences from the first one, including those removed by `except` (as in RFC 5545, where
///   EXDATE removes from the set the RRULE generated).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Recurrence {
    pub freq: Freq,
    /// At least 1.
    pub interval: u32,
    /// The last moment (local time, inclusive) an occurrence may start. A date alone in front matter
    /// means the whole day, so it is stored as 23:59 of that day.
    pub until: Option<LocalDateTime>,
    pub count: Option<u32>,
    /// Dates (year, month, day) on which the event does not take place (holidays, closures).
    pub except: Vec<(i32, u32, u32)>,
}

/// Parses a recurrence from the front-matter parts (the caller reads the YAML): `freq` is `weekly`
/// or `monthly`, `until` a date or date-time, `except` a list of dates.
///
/// `until` and `count` together are refused because RFC 5545 forbids it and the two could disagree.
pub fn parse_recurrence(
    freq: &str,
    interval: Option<u32>,
    until: Option<&str>,
    count: Option<u32>,
    except: &[String],
) -> Result<Recurrence, String> {
    let freq = match freq.trim().to_ascii_lowercase().as_str() {
        "weekly" => Freq::Weekly,
        "monthly" => Freq::Monthly,
        other => {
            return Err(format!(
                "unknown frequency '{other}': expected weekly or monthly"
            ));
        }
    };
    let interval = interval.unwrap_or(1);
    if interval == 0 {
        return Err("interval must be at least 1".to_string());
    }
    if until.is_some() && count.is_some() {
        return Err("give either until or count, not both".to_string());
    }
    if count == Some(0) {
        return Err("count must be at least 1".to_string());
    }
    let until = match until {
        None => None,
        Some(u) => {
            let (mut t, all_day) = parse_local(u).map_err(|e| format!("until: {e}"))?;
            if all_day {
                t.hour = 23;
                t.minute = 59;
            }
            Some(t)
        }
    };
    let mut dates = Vec::with_capacity(except.len());
    for e in except {
        let (t, all_day) = parse_local(e).map_err(|err| format!("except: {err}"))?;
        if !all_day {
            return Err(format!(
                "except: expected a date YYYY-MM-DD without a time, found '{}'",
                e.trim()
            ));
        }
        dates.push(t.date());
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(Recurrence {
        freq,
        interval,
        until,
        count,
        except: dates,
    })
}

/// One event as the site knows it. Times are local to `tz`.
///
/// For all-day events `end` is exclusive, as DTEND;VALUE=DATE in RFC 5545: a one-day event on
/// 3 December ends on 4 December 00:00. An `end` that is not after `start` is read as "one day", so a
/// caller that only has a date need not add the day itself. For timed events an `end` before `start`
/// is read as `start` (no duration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub start: LocalDateTime,
    pub end: LocalDateTime,
    pub all_day: bool,
    /// IANA name, e.g. `Europe/Berlin`.
    pub tz: String,
    pub recurrence: Option<Recurrence>,
    /// DTSTAMP: from content (e.g. the page's date), never the clock, so output is reproducible.
    /// Local time in `tz`, written in UTC.
    pub stamp: LocalDateTime,
    pub categories: Vec<String>,
}

/// Checks that `tz` is an IANA time-zone name known to the compiled-in database (`Europe/Berlin`,
/// `Asia/Tehran`, `UTC`). Names without a region (`CET`, `EST`, `Iran`) are refused even where the
/// database still has them as legacy aliases: an abbreviation does not say which country's rules apply,
/// and one spelling per zone keeps TZIDs (and so VTIMEZONEs) from being duplicated under two names.
pub fn validate_tz(tz: &str) -> Result<(), String> {
    parse_tz(tz).map(|_| ())
}

fn parse_tz(tz: &str) -> Result<Tz, String> {
    let name = tz.trim();
    let known = name.parse::<Tz>().ok();
    match known {
        Some(z) if name.contains('/') || matches!(name, "UTC" | "Etc/UTC") => Ok(z),
        Some(_) => Err(format!(
            "time zone '{name}' is ambiguous: use an IANA name such as Europe/Berlin or UTC"
        )),
        None => Err(format!(
            "unknown time zone '{name}': expected an IANA name such as Europe/Berlin"
        )),
    }
}

/// Checks an event as a whole, so the pipeline can report a problem at the page instead of silently
/// showing nothing: a known zone, real dates, an end not before the start, an `until` not before it.
pub fn validate_event(ev: &Event) -> Result<(), String> {
    validate_tz(&ev.tz)?;
    let start = ev
        .start
        .naive()
        .ok_or_else(|| format!("start: no such date or time: {}", ev.start))?;
    let end = ev
        .end
        .naive()
        .ok_or_else(|| format!("end: no such date or time: {}", ev.end))?;
    if end < start && !ev.all_day {
        return Err(format!("end {} is before start {}", ev.end, ev.start));
    }
    if let Some(r) = &ev.recurrence {
        if r.interval == 0 {
            return Err("interval must be at least 1".to_string());
        }
        if let Some(u) = r.until
            && u.naive().is_none_or(|u| u < start)
        {
            return Err(format!("until {u} is before start {}", ev.start));
        }
    }
    Ok(())
}

/// The normalized span of the first occurrence: all-day events run from midnight to midnight (at
/// least one day), timed events never have a negative duration. `None` for impossible dates.
fn first_span(ev: &Event) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let start = ev.start.naive()?;
    let end = ev.end.naive()?;
    if ev.all_day {
        let s = start.date().and_time(NaiveTime::MIN);
        let mut e = end.date().and_time(NaiveTime::MIN);
        if e < end {
            e = e.checked_add_signed(TimeDelta::days(1))?;
        }
        if e <= s {
            e = s.checked_add_signed(TimeDelta::days(1))?;
        }
        Some((s, e))
    } else {
        Some((start, end.max(start)))
    }
}

/// The start of the `k`-th step of the rule. Outer `None`: past the representable range (stop);
/// inner `None`: a month without the start's day (skip, as RFC 5545 does).
fn step_start(start: NaiveDateTime, r: &Recurrence, k: i64) -> Option<Option<NaiveDateTime>> {
    let interval = i64::from(r.interval.max(1));
    match r.freq {
        Freq::Weekly => {
            let days = k.checked_mul(interval)?.checked_mul(7)?;
            let delta = TimeDelta::try_days(days)?;
            start.checked_add_signed(delta).map(Some)
        }
        Freq::Monthly => {
            let base = i64::from(start.year()) * 12 + i64::from(start.month0());
            let total = base.checked_add(k.checked_mul(interval)?)?;
            let year = total.div_euclid(12);
            if year.abs() > 200_000 {
                return None;
            }
            let month = total.rem_euclid(12) as u32 + 1;
            Some(
                NaiveDate::from_ymd_opt(year as i32, month, start.day())
                    .map(|d| d.and_time(start.time())),
            )
        }
    }
}

/// The core of [`occurrences`] and [`next_occurrence`]: occurrences overlapping `[from, to)`, at most
/// `limit` of them, in order.
fn expand(
    ev: &Event,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: usize,
) -> Vec<(LocalDateTime, LocalDateTime)> {
    let mut out = Vec::new();
    let Some((start, end)) = first_span(ev) else {
        return out;
    };
    let dur = end - start;
    // Half-open overlap; an instant (no duration) counts when it lies in the window.
    let overlaps =
        |s: NaiveDateTime, e: NaiveDateTime| s < to && (e > from || (e == s && s >= from));
    let Some(r) = &ev.recurrence else {
        if overlaps(start, end) && limit > 0 {
            out.push((
                LocalDateTime::from_naive(start),
                LocalDateTime::from_naive(end),
            ));
        }
        return out;
    };
    let interval = i64::from(r.interval.max(1));
    let until = r.until.and_then(|u| u.naive());
    // Jump close to the window: every step before `k_min` ends before `from`. Conservative (it may
    // start a step early), never late.
    let threshold = from.checked_sub_signed(dur);
    let k_min = match (r.freq, threshold) {
        (_, None) => 0,
        (Freq::Weekly, Some(t)) => (t - start).num_minutes().div_euclid(interval * 7 * 24 * 60),
        (Freq::Monthly, Some(t)) => {
            let months = (i64::from(t.year()) * 12 + i64::from(t.month0()))
                - (i64::from(start.year()) * 12 + i64::from(start.month0()));
            months.div_euclid(interval) - 1
        }
    }
    .max(0);
    // How many real occurrences the skipped steps held, for `count`. Only monthly rules on the 29th to
    // 31st skip months; the loop is bounded by the 4-digit years `parse_local` accepts (and stops as
    // soon as the count is used up).
    let mut seen: i64 = k_min;
    if let (Freq::Monthly, Some(count), true) = (r.freq, r.count, start.day() > 28) {
        seen = 0;
        let mut k = 0;
        while k < k_min && seen < i64::from(count) {
            match step_start(start, r, k) {
                None => break,
                Some(Some(_)) => seen += 1,
                Some(None) => {}
            }
            k += 1;
        }
    }
    for k in k_min..k_min.saturating_add(MAX_OCCURRENCES as i64) {
        let s = match step_start(start, r, k) {
            None => break,
            Some(None) => continue,
            Some(Some(s)) => s,
        };
        if r.count.is_some_and(|c| seen >= i64::from(c)) {
            break;
        }
        seen += 1;
        if until.is_some_and(|u| s > u) || s >= to {
            break;
        }
        let Some(e) = s.checked_add_signed(dur) else {
            break;
        };
        let date = (s.year(), s.month(), s.day());
        if r.except.contains(&date) {
            continue;
        }
        if overlaps(s, e) {
            out.push((LocalDateTime::from_naive(s), LocalDateTime::from_naive(e)));
            if out.len() >= limit {
                break;
            }
        }
    }
    out
}

/// Start/end of every occurrence overlapping `[from, to)` in local time (recurrence expanded,
/// exceptions removed), sorted. At most [`MAX_OCCURRENCES`] steps of the rule are examined per call.
/// All-day occurrences run from 00:00 to 00:00 of the day after.
pub fn occurrences(
    ev: &Event,
    from: LocalDateTime,
    to: LocalDateTime,
) -> Vec<(LocalDateTime, LocalDateTime)> {
    match (from.naive(), to.naive()) {
        (Some(f), Some(t)) => expand(ev, f, t, MAX_OCCURRENCES),
        _ => Vec::new(),
    }
}

/// The next occurrence that has not ended at `now` (local time of the event's tz; see
/// [`local_now`]): an ongoing occurrence is returned, so a café that started ten minutes ago is still
/// listed. `None` when the event is over: used to drop past events from listings.
pub fn next_occurrence(ev: &Event, now: LocalDateTime) -> Option<(LocalDateTime, LocalDateTime)> {
    let now = now.naive()?;
    expand(ev, now, NaiveDateTime::MAX, 1).into_iter().next()
}

/// `now` (UTC seconds since the epoch) as local time in a time zone. The caller passes the time (the
/// build's clock or `SOURCE_DATE_EPOCH`) so this module stays pure. An unknown zone falls back to UTC
/// (call [`validate_tz`] first to report it); seconds outside chrono's range fall back to the epoch.
pub fn local_now(tz: &str, unix_seconds: i64) -> LocalDateTime {
    let utc =
        chrono::DateTime::from_timestamp(unix_seconds, 0).unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let naive = match parse_tz(tz) {
        Ok(z) => utc.with_timezone(&z).naive_local(),
        Err(_) => utc.naive_utc(),
    };
    LocalDateTime::from_naive(naive)
}

// ---------------------------------------------------------------------------------------------------
// iCalendar
// ---------------------------------------------------------------------------------------------------

/// How an event's times are written: with a TZID (and a VTIMEZONE), in UTC (`Z`, needs no VTIMEZONE),
/// or floating (unknown zone: still a valid file, read in the reader's zone).
#[derive(Clone, Copy)]
enum Zone {
    Tzid(Tz),
    Utc,
    Floating,
}

fn zone_of(tz: &str) -> Zone {
    match parse_tz(tz) {
        Ok(z) if is_utc(z) => Zone::Utc,
        Ok(z) => Zone::Tzid(z),
        Err(_) => Zone::Floating,
    }
}

fn is_utc(z: Tz) -> bool {
    matches!(
        z,
        Tz::UTC
            | Tz::Etc__UTC
            | Tz::Etc__Universal
            | Tz::Universal
            | Tz::Etc__Zulu
            | Tz::Zulu
            | Tz::UCT
            | Tz::Etc__UCT
    )
}

/// A local time as a UTC instant. RFC 5545 §3.3.5: a time in a DST gap is read with the offset before
/// the gap; in a fold (ambiguous hour) `latest` picks the second one (used for UNTIL, which is
/// inclusive), otherwise the first.
fn local_to_utc(z: Tz, n: NaiveDateTime, latest: bool) -> NaiveDateTime {
    match z.from_local_datetime(&n) {
        LocalResult::Single(d) => d.naive_utc(),
        LocalResult::Ambiguous(a, b) => {
            if latest {
                b.naive_utc()
            } else {
                a.naive_utc()
            }
        }
        LocalResult::None => {
            let before = n.checked_sub_signed(TimeDelta::hours(12)).unwrap_or(n);
            let off = z.offset_from_utc_datetime(&before).fix().local_minus_utc();
            n.checked_sub_signed(TimeDelta::seconds(i64::from(off)))
                .unwrap_or(n)
        }
    }
}

fn fmt_date(n: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", n.year(), n.month(), n.day())
}

fn fmt_dt(n: NaiveDateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        fmt_date(n.date()),
        n.hour(),
        n.minute(),
        n.second()
    )
}

fn fmt_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let a = seconds.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped; other control
/// characters (not allowed in TEXT) dropped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// URIs are not TEXT (no escaping), but they must not break the line.
fn clean_uri(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control()).collect()
}

/// Writes one content line, folded at 75 octets (continuation lines start with a space, which counts)
/// and never inside a UTF-8 sequence, ended by CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut first = true;
    loop {
        let max = if first { 75 } else { 74 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= max {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = max;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

/// The offset state at a UTC instant: (total offset, DST part, abbreviation).
fn offset_at(z: Tz, utc: NaiveDateTime) -> (i32, i64, String) {
    let o = z.offset_from_utc_datetime(&utc);
    (
        o.fix().local_minus_utc(),
        o.dst_offset().num_seconds(),
        o.abbreviation().unwrap_or("").to_string(),
    )
}

/// UTC instants in `(from, to]` at which the offset (or DST flag) changes, found by a daily scan and a
/// binary search to the second. Zones never switch twice within a day, so a daily scan finds them all.
fn transitions(z: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<NaiveDateTime> {
    let key = |t: NaiveDateTime| {
        let (off, dst, _) = offset_at(z, t);
        (off, dst != 0)
    };
    let mut out = Vec::new();
    let mut a = from;
    let mut ka = key(a);
    while a < to {
        let b = (a + TimeDelta::days(1)).min(to);
        let kb = key(b);
        if kb != ka {
            // The change lies in (lo, hi].
            let (mut lo, mut hi) = (a, b);
            while (hi - lo).num_seconds() > 1 {
                let mid = lo + TimeDelta::seconds((hi - lo).num_seconds() / 2);
                if key(mid) == ka { lo = mid } else { hi = mid }
            }
            out.push(hi);
        }
        a = b;
        ka = kb;
    }
    out
}

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    match (
        NaiveDate::from_ymd_opt(ny, nm, 1),
        NaiveDate::from_ymd_opt(year, month, 1),
    ) {
        (Some(a), Some(b)) => (a - b).num_days() as u32,
        _ => 30,
    }
}

/// A yearly rule "n-th (or last) weekday of a month at this local time", as BYMONTH/BYDAY.
#[derive(Clone, Copy)]
struct YearlyRule {
    month: u32,
    nth: i32, // 1..=4, or -1 = last
    weekday: Weekday,
    time: NaiveTime,
}

impl YearlyRule {
    fn infer(local: NaiveDateTime) -> YearlyRule {
        let d = local.day();
        let nth = if d + 7 > days_in_month(local.year(), local.month()) {
            -1
        } else {
            ((d - 1) / 7 + 1) as i32
        };
        YearlyRule {
            month: local.month(),
            nth,
            weekday: local.weekday(),
            time: local.time(),
        }
    }

    fn in_year(&self, year: i32) -> Option<NaiveDateTime> {
        let d = if self.nth > 0 {
            NaiveDate::from_weekday_of_month_opt(year, self.month, self.weekday, self.nth as u8)?
        } else {
            let last = NaiveDate::from_ymd_opt(year, self.month, days_in_month(year, self.month))?;
            let back = (7 + last.weekday().num_days_from_monday()
                - self.weekday.num_days_from_monday())
                % 7;
            last - TimeDelta::days(i64::from(back))
        };
        Some(d.and_time(self.time))
    }

    fn rrule(&self) -> String {
        format!(
            "RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.nth,
            WEEKDAYS[self.weekday.num_days_from_monday() as usize]
        )
    }
}

/// One transition: UTC instant, offsets before/after, DST after, name after.
struct Transition {
    utc: NaiveDateTime,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
}

impl Transition {
    /// DTSTART of an observance is the local time in the offset *before* it (RFC 5545 §3.6.5).
    fn local_start(&self) -> NaiveDateTime {
        self.utc + TimeDelta::seconds(i64::from(self.from))
    }
}

fn transition_at(z: Tz, utc: NaiveDateTime) -> Transition {
    let (from, _, _) = offset_at(z, utc - TimeDelta::seconds(1));
    let (to, dst, name) = offset_at(z, utc);
    Transition {
        utc,
        from,
        to,
        dst: dst != 0,
        name,
    }
}

fn push_observance(out: &mut String, t: &Transition, rrule: Option<&str>) {
    let kind = if t.dst { "DAYLIGHT" } else { "STANDARD" };
    push_line(out, &format!("BEGIN:{kind}"));
    push_line(out, &format!("DTSTART:{}", fmt_dt(t.local_start())));
    if let Some(r) = rrule {
        push_line(out, r);
    }
    push_line(out, &format!("TZOFFSETFROM:{}", fmt_offset(t.from)));
    push_line(out, &format!("TZOFFSETTO:{}", fmt_offset(t.to)));
    if !t.name.is_empty() {
        push_line(out, &format!("TZNAME:{}", escape_text(&t.name)));
    }
    push_line(out, &format!("END:{kind}"));
}

/// A VTIMEZONE for `z` that is exact for the years `first..=last`, generated from the compiled-in
/// tz database rather than copied from a template, so zones that changed their rules (Tehran dropped
/// DST in 2022) come out right.
///
/// It starts with an observance at the beginning of `first` (the offset then, FROM = TO), lists each
/// transition up to `last` explicitly, and writes the transitions of `last` as yearly RRULEs when
/// they follow an "n-th/last weekday" pattern that the database confirms for the following years, so
/// open-ended series stay correct after `last` too.
fn vtimezone(out: &mut String, z: Tz, first: i32, last: i32) {
    let day = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).map(|d| d.and_time(NaiveTime::MIN))
    };
    let (Some(from), Some(to)) = (day(first - 1, 12, 31), day(last + 1, 1, 2)) else {
        return;
    };
    let (off0, dst0, name0) = offset_at(z, from);
    let ts: Vec<Transition> = transitions(z, from, to)
        .into_iter()
        .map(|t| transition_at(z, t))
        .collect();

    // The transitions of the last year as yearly rules, if the database agrees for the next years.
    let tail_start = ts
        .iter()
        .position(|t| t.local_start().year() == last)
        .unwrap_or(ts.len());
    let tail = &ts[tail_start..];
    let rules: Option<Vec<YearlyRule>> = if tail.len() == 2 {
        let rules: Vec<YearlyRule> = tail
            .iter()
            .map(|t| YearlyRule::infer(t.local_start()))
            .collect();
        let confirmed = rules.iter().zip(tail).all(|(r, t)| {
            (last + 1..=last + 3).all(|y| {
                r.in_year(y).is_some_and(|local| {
                    let utc = local - TimeDelta::seconds(i64::from(t.from));
                    let tr = transition_at(z, utc);
                    tr.from == t.from && tr.to == t.to
                })
            })
        });
        confirmed.then_some(rules)
    } else {
        None
    };

    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{}", z.name()));
    let initial = Transition {
        utc: from,
        from: off0,
        to: off0,
        dst: dst0 != 0,
        name: name0,
    };
    push_observance(out, &initial, None);
    match &rules {
        Some(rules) => {
            for t in &ts[..tail_start] {
                push_observance(out, t, None);
            }
            for (t, r) in tail.iter().zip(rules) {
                push_observance(out, t, Some(&r.rrule()));
            }
        }
        None => {
            for t in &ts {
                push_observance(out, t, None);
            }
        }
    }
    push_line(out, "END:VTIMEZONE");
}

/// The last year an event's times may reach, for the VTIMEZONE range (the RRULE tail of the
/// VTIMEZONE covers open-ended series beyond it).
fn last_year(ev: &Event) -> i32 {
    let mut y = ev.end.year.max(ev.start.year);
    if let Some(r) = &ev.recurrence {
        match (r.until, r.count) {
            (Some(u), _) => y = y.max(u.year),
            (None, Some(c)) => {
                let months = match r.freq {
                    Freq::Weekly => i64::from(c) * i64::from(r.interval) * 7 / 28,
                    Freq::Monthly => i64::from(c) * i64::from(r.interval) * 2, // room for skipped months
                };
                y = y.max(
                    ev.start
                        .year
                        .saturating_add((months / 12 + 1).min(100) as i32),
                );
            }
            (None, None) => y = y.max(ev.start.year + 1),
        }
    }
    y
}

/// A date-time property value with its parameters for the event's zone: `;TZID=…:…`, `:…Z` or
/// floating; all-day as `;VALUE=DATE:…`.
fn dt_prop(name: &str, zone: Zone, all_day: bool, n: NaiveDateTime) -> String {
    if all_day {
        return format!("{name};VALUE=DATE:{}", fmt_date(n.date()));
    }
    match zone {
        Zone::Tzid(z) => format!("{name};TZID={}:{}", z.name(), fmt_dt(n)),
        Zone::Utc => format!("{name}:{}Z", fmt_dt(n)),
        Zone::Floating => format!("{name}:{}", fmt_dt(n)),
    }
}

fn push_event(out: &mut String, ev: &Event) {
    let Some((start, end)) = first_span(ev) else {
        return; // impossible dates: validate_event reports them; an ics never carries them
    };
    let zone = zone_of(&ev.tz);
    push_line(out, "BEGIN:VEVENT");
    let uid = if ev.uid.trim().is_empty() {
        format!(
            "{}-{}@lotse",
            fmt_dt(start),
            ev.title
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        )
    } else {
        ev.uid.trim().to_string()
    };
    push_line(out, &format!("UID:{}", escape_text(&uid)));
    let stamp = ev.stamp.naive().unwrap_or(start);
    let stamp_utc = match zone {
        Zone::Tzid(z) => local_to_utc(z, stamp, false),
        Zone::Utc | Zone::Floating => stamp,
    };
    push_line(out, &format!("DTSTAMP:{}Z", fmt_dt(stamp_utc)));
    push_line(out, &dt_prop("DTSTART", zone, ev.all_day, start));
    push_line(out, &dt_prop("DTEND", zone, ev.all_day, end));
    if let Some(r) = &ev.recurrence {
        let mut rule = format!(
            "RRULE:FREQ={}",
            match r.freq {
                Freq::Weekly => "WEEKLY",
                Freq::Monthly => "MONTHLY",
            }
        );
        if r.interval > 1 {
            rule.push_str(&format!(";INTERVAL={}", r.interval));
        }
        if let Some(u) = r.until.and_then(|u| u.naive()) {
            // RFC 5545 §3.3.10: UNTIL has DTSTART's value type, and is in UTC when DTSTART has a TZID.
            let value = if ev.all_day {
                fmt_date(u.date())
            } else {
                match zone {
                    Zone::Tzid(z) => format!("{}Z", fmt_dt(local_to_utc(z, u, true))),
                    Zone::Utc => format!("{}Z", fmt_dt(u)),
                    Zone::Floating => fmt_dt(u),
                }
            };
            rule.push_str(&format!(";UNTIL={value}"));
        } else if let Some(c) = r.count {
            rule.push_str(&format!(";COUNT={c}"));
        }
        push_line(out, &rule);
        let exdates: Vec<NaiveDateTime> = r
            .except
            .iter()
            .filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
            .map(|d| d.and_time(start.time()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !exdates.is_empty() {
            // One EXDATE line with all dates, each in DTSTART's form.
            let prop = dt_prop("EXDATE", zone, ev.all_day, exdates[0]);
            let (head, _) = prop.rsplit_once(':').unwrap_or((prop.as_str(), ""));
            let head = if matches!(zone, Zone::Utc) && !ev.all_day {
                "EXDATE"
            } else {
                head
            };
            let values: Vec<String> = exdates
                .iter()
                .map(|&n| {
                    if ev.all_day {
                        fmt_date(n.date())
                    } else if matches!(zone, Zone::Utc) {
                        format!("{}Z", fmt_dt(n))
                    } else {
                        fmt_dt(n)
                    }
                })
                .collect();
            push_line(out, &format!("{head}:{}", values.join(",")));
        }
    }
    push_line(out, &format!("SUMMARY:{}", escape_text(&ev.title)));
    if !ev.description.trim().is_empty() {
        push_line(
            out,
            &format!("DESCRIPTION:{}", escape_text(&ev.description)),
        );
    }
    if !ev.location.trim().is_empty() {
        push_line(out, &format!("LOCATION:{}", escape_text(&ev.location)));
    }
    let url = clean_uri(&ev.url);
    if !url.is_empty() {
        push_line(out, &format!("URL:{url}"));
    }
    let cats: Vec<String> = ev
        .categories
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| escape_text(c.trim()))
        .collect();
    if !cats.is_empty() {
        push_line(out, &format!("CATEGORIES:{}", cats.join(",")));
    }
    push_line(out, "END:VEVENT");
}

/// A complete VCALENDAR with one VEVENT per event, in the given order, and one VTIMEZONE per zone
/// used (sorted by name) covering the years the events span. Byte-deterministic: no clock, no hash
/// order. Events in UTC are written with `Z` (no VTIMEZONE needed); events with an unknown zone as
/// floating local time, so one bad page does not break a whole feed (validate first to report it).
pub fn ics(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Lotse//Lotse//EN");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    let mut zones: BTreeMap<&'static str, (Tz, i32, i32)> = BTreeMap::new();
    for ev in events {
        if ev.all_day || first_span(ev).is_none() {
            continue;
        }
        if let Zone::Tzid(z) = zone_of(&ev.tz) {
            let (first, last) = (ev.start.year, last_year(ev));
            let entry = zones.entry(z.name()).or_insert((z, first, last));
            entry.1 = entry.1.min(first);
            entry.2 = entry.2.max(last);
        }
    }
    for (z, first, last) in zones.values() {
        // Bounded so a far-off date cannot make the file (or the scan) huge.
        vtimezone(&mut out, *z, *first, (*last).min(first.saturating_add(100)));
    }
    for ev in events {
        push_event(&mut out, ev);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> LocalDateTime {
        LocalDateTime::new(y, mo, d, h, mi)
    }

    fn event(start: &str, end: &str, tz: &str, rec: Option<Recurrence>) -> Event {
        let (s, all_day) = parse_local(start).expect("start");
        let (e, _) = parse_local(end).expect("end");
        Event {
            uid: "cafe-1@example.org".into(),
            title: "Sprachcafé".into(),
            description: String::new(),
            location: String::new(),
            url: String::new(),
            start: s,
            end: e,
            all_day,
            tz: tz.into(),
            recurrence: rec,
            stamp: dt(2026, 1, 1, 12, 0),
            categories: vec![],
        }
    }

    #[test]
    fn parse_local_good() {
        assert_eq!(
            parse_local("2026-12-03 18:00"),
            Ok((dt(2026, 12, 3, 18, 0), false))
        );
        assert_eq!(
            parse_local("2026-12-03T18:05"),
            Ok((dt(2026, 12, 3, 18, 5), false))
        );
        assert_eq!(
            parse_local(" 2026-12-03 "),
            Ok((dt(2026, 12, 3, 0, 0), true))
        );
        assert_eq!(
            parse_local("2028-02-29 23:59:00"),
            Ok((dt(2028, 2, 29, 23, 59), false))
        );
    }

    #[test]
    fn parse_local_bad() {
        for (input, reason) in [
            ("", "expected YYYY-MM-DD"),
            ("3.12.2026", "expected YYYY-MM-DD"),
            ("2026-12-3 18:00", "expected YYYY-MM-DD"),
            ("2026-13-01", "month must be 01-12"),
            ("2026-02-30", "no such date: 2026-02-30"),
            ("2026-12-03 24:00", "hour must be 00-23"),
            ("2026-12-03 18:60", "minute must be 00-59"),
            ("2026-12-03 18:00:30", "seconds are not supported"),
            ("2026-12-03 18", "expected YYYY-MM-DD"),
            ("2026-12-03x18:00", "expected YYYY-MM-DD"),
            ("2026-12-03 18:00+01:00", "expected YYYY-MM-DD"),
            ("2026-12-03 1８:00", "expected YYYY-MM-DD"),
            ("+026-12-03", "expected YYYY-MM-DD"),
        ] {
            let err = parse_local(input).expect_err(input);
            assert!(err.contains(reason), "{input}: {err}");
        }
    }

    #[test]
    fn parse_recurrence_good_and_bad() {
        let r = parse_recurrence(
            "Weekly",
            Some(2),
            Some("2026-12-31"),
            None,
            &["2026-12-24".into(), "2026-12-10".into()],
        )
        .expect("rule");
        assert_eq!(r.freq, Freq::Weekly);
        assert_eq!(r.interval, 2);
        assert_eq!(r.until, Some(dt(2026, 12, 31, 23, 59)));
        assert_eq!(r.except, vec![(2026, 12, 10), (2026, 12, 24)]);
        assert_eq!(
            parse_recurrence("monthly", None, None, Some(3), &[]).map(|r| r.interval),
            Ok(1)
        );
        for (f, i, u, c, e, reason) in [
            ("daily", None, None, None, vec![], "unknown frequency"),
            ("weekly", Some(0), None, None, vec![], "interval"),
            (
                "weekly",
                None,
                Some("2026-12-31"),
                Some(3),
                vec![],
                "not both",
            ),
            ("weekly", None, None, Some(0), vec![], "count"),
            (
                "weekly",
                None,
                Some("31.12.2026"),
                None,
                vec![],
                "until: expected",
            ),
            (
                "weekly",
                None,
                None,
                None,
                vec!["2026-02-30".to_string()],
                "except: no such date",
            ),
            (
                "weekly",
                None,
                None,
                None,
                vec!["2026-12-24 18:00".to_string()],
                "without a time",
            ),
        ] {
            let err = parse_recurrence(f, i, u, c, &e).expect_err(reason);
            assert!(err.contains(reason), "{err}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(validate_tz("Europe/Berlin").is_ok());
        assert!(validate_tz("Asia/Tehran").is_ok());
        assert!(validate_tz("UTC").is_ok());
        assert!(
            validate_tz("Europe/Berlni")
                .unwrap_err()
                .contains("unknown time zone")
        );
        assert!(validate_tz("CET").unwrap_err().contains("ambiguous"));
        // 2026-07-01 12:00 UTC
        let t = 1_782_907_200;
        assert_eq!(local_now("Europe/Berlin", t), dt(2026, 7, 1, 14, 0));
        assert_eq!(local_now("Asia/Tehran", t), dt(2026, 7, 1, 15, 30));
        assert_eq!(local_now("UTC", t), dt(2026, 7, 1, 12, 0));
        assert_eq!(local_now("Nowhere/Else", t), dt(2026, 7, 1, 12, 0));
        // 2026-12-01 12:00 UTC: winter in Berlin
        assert_eq!(
            local_now("Europe/Berlin", 1_796_126_400),
            dt(2026, 12, 1, 13, 0)
        );
        assert_eq!(local_now("UTC", i64::MAX), dt(1970, 1, 1, 0, 0));
    }

    #[test]
    fn single_event_window() {
        let ev = event(
            "2026-12-03 18:00",
            "2026-12-03 20:00",
            "Europe/Berlin",
            None,
        );
        let all = occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2027, 1, 1, 0, 0));
        assert_eq!(all, vec![(dt(2026, 12, 3, 18, 0), dt(2026, 12, 3, 20, 0))]);
        // Half-open window: ending exactly at `from` or starting at `to` is outside.
        assert!(occurrences(&ev, dt(2026, 12, 3, 20, 0), dt(2027, 1, 1, 0, 0)).is_empty());
        assert!(occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2026, 12, 3, 18, 0)).is_empty());
        assert_eq!(
            occurrences(&ev, dt(2026, 12, 3, 19, 0), dt(2026, 12, 3, 19, 1)).len(),
            1
        );
    }

    #[test]
    fn weekly_with_interval_until_and_exceptions() {
        let rec = parse_recurrence(
            "weekly",
            Some(2),
            Some("2026-12-31"),
            None,
            &["2026-11-19".into()],
        )
        .expect("rule");
        let ev = event(
            "2026-11-05 18:00",
            "2026-11-05 20:00",
            "Europe/Berlin",
            Some(rec),
        );
        let got: Vec<_> = occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2028, 1, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(
            got,
            vec![
                dt(2026, 11, 5, 18, 0),
                dt(2026, 12, 3, 18, 0),
                dt(2026, 12, 17, 18, 0),
                dt(2026, 12, 31, 18, 0)
            ]
        );
        // A window in the middle.
        let mid: Vec<_> = occurrences(&ev, dt(2026, 12, 1, 0, 0), dt(2026, 12, 18, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(mid, vec![dt(2026, 12, 3, 18, 0), dt(2026, 12, 17, 18, 0)]);
    }

    #[test]
    fn weekly_with_count_counts_exceptions() {
        let rec =
            parse_recurrence("weekly", None, None, Some(3), &["2026-11-12".into()]).expect("rule");
        let ev = event(
            "2026-11-05 18:00",
            "2026-11-05 20:00",
            "Europe/Berlin",
            Some(rec),
        );
        let got: Vec<_> = occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2028, 1, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(got, vec![dt(2026, 11, 5, 18, 0), dt(2026, 11, 19, 18, 0)]);
        // A window after the jump still respects the count.
        assert!(occurrences(&ev, dt(2026, 12, 1, 0, 0), dt(2028, 1, 1, 0, 0)).is_empty());
    }

    #[test]
    fn monthly_interval_and_count() {
        let rec = parse_recurrence("monthly", Some(2), None, Some(4), &[]).expect("rule");
        let ev = event(
            "2026-10-15 10:00",
            "2026-10-15 12:00",
            "Europe/Berlin",
            Some(rec),
        );
        let got: Vec<_> = occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2030, 1, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(
            got,
            vec![
                dt(2026, 10, 15, 10, 0),
                dt(2026, 12, 15, 10, 0),
                dt(2027, 2, 15, 10, 0),
                dt(2027, 4, 15, 10, 0)
            ]
        );
    }

    /// A monthly rule on the 31st skips months without a 31st (RFC 5545 ignores invalid dates), and
    /// skipped months do not use up the count.
    #[test]
    fn monthly_on_the_31st_skips_short_months() {
        let rec = parse_recurrence("monthly", None, None, Some(4), &[]).expect("rule");
        let ev = event(
            "2026-01-31 18:00",
            "2026-01-31 19:00",
            "Europe/Berlin",
            Some(rec),
        );
        let got: Vec<_> = occurrences(&ev, dt(2026, 1, 1, 0, 0), dt(2030, 1, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(
            got,
            vec![
                dt(2026, 1, 31, 18, 0),
                dt(2026, 3, 31, 18, 0),
                dt(2026, 5, 31, 18, 0),
                dt(2026, 7, 31, 18, 0)
            ]
        );
        // The same count seen through a later window (the count of skipped steps is recomputed).
        let late: Vec<_> = occurrences(&ev, dt(2026, 6, 1, 0, 0), dt(2030, 1, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(late, vec![dt(2026, 7, 31, 18, 0)]);
        // Open-ended on the 30th: February is skipped.
        let rec = parse_recurrence("monthly", None, None, None, &[]).expect("rule");
        let ev = event(
            "2027-01-30 18:00",
            "2027-01-30 19:00",
            "Europe/Berlin",
            Some(rec),
        );
        let got: Vec<_> = occurrences(&ev, dt(2027, 1, 1, 0, 0), dt(2027, 4, 1, 0, 0))
            .into_iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(got, vec![dt(2027, 1, 30, 18, 0), dt(2027, 3, 30, 18, 0)]);
    }

    /// 18:00 stays 18:00 in Berlin across both DST switches (29 March and 25 October 2026).
    #[test]
    fn dst_switch_keeps_local_time() {
        let rec = parse_recurrence("weekly", None, None, None, &[]).expect("rule");
        let ev = event(
            "2026-03-19 18:00",
            "2026-03-19 20:00",
            "Europe/Berlin",
            Some(rec),
        );
        let march = occurrences(&ev, dt(2026, 3, 20, 0, 0), dt(2026, 4, 10, 0, 0));
        assert_eq!(march.len(), 3);
        assert!(
            march
                .iter()
                .all(|(s, e)| s.hour == 18 && s.minute == 0 && e.hour == 20)
        );
        let autumn = occurrences(&ev, dt(2026, 10, 15, 0, 0), dt(2026, 11, 10, 0, 0));
        assert_eq!(
            autumn.iter().map(|o| o.0.day).collect::<Vec<_>>(),
            vec![15, 22, 29, 5]
        );
        assert!(autumn.iter().all(|(s, _)| s.hour == 18));
        // and in the .ics the wall-clock time is written with TZID, not converted.
        let out = ics("x", &[ev]);
        assert!(out.contains("DTSTART;TZID=Europe/Berlin:20260319T180000\r\n"));
    }

    #[test]
    fn next_occurrence_past_ongoing_future() {
        let rec = parse_recurrence(
            "weekly",
            None,
            Some("2026-12-31"),
            None,
            &["2026-12-10".into()],
        )
        .expect("rule");
        let ev = event(
            "2026-11-05 18:00",
            "2026-11-05 20:00",
            "Europe/Berlin",
            Some(rec),
        );
        // Future: before the first.
        assert_eq!(
            next_occurrence(&ev, dt(2026, 1, 1, 0, 0)),
            Some((dt(2026, 11, 5, 18, 0), dt(2026, 11, 5, 20, 0)))
        );
        // Ongoing: started, not ended.
        assert_eq!(
            next_occurrence(&ev, dt(2026, 11, 12, 19, 0)).map(|o| o.0),
            Some(dt(2026, 11, 12, 18, 0))
        );
        // Just ended: the next week's.
        assert_eq!(
            next_occurrence(&ev, dt(2026, 11, 12, 20, 0)).map(|o| o.0),
            Some(dt(2026, 11, 19, 18, 0))
        );
        // Skips the exception.
        assert_eq!(
            next_occurrence(&ev, dt(2026, 12, 4, 0, 0)).map(|o| o.0),
            Some(dt(2026, 12, 17, 18, 0))
        );
        // Past: the series is over.
        assert_eq!(next_occurrence(&ev, dt(2027, 1, 1, 0, 0)), None);
        // A single event, far in the past.
        let single = event("2020-05-01", "2020-05-01", "Europe/Berlin", None);
        assert_eq!(
            next_occurrence(&single, dt(2020, 5, 1, 23, 59)).map(|o| o.1),
            Some(dt(2020, 5, 2, 0, 0))
        );
        assert_eq!(next_occurrence(&single, dt(2026, 1, 1, 0, 0)), None);
        // An open-ended series that began long ago still has a next occurrence (the jump, not the cap).
        let open = event(
            "2000-01-06 18:00",
            "2000-01-06 20:00",
            "Europe/Berlin",
            Some(parse_recurrence("weekly", None, None, None, &[]).expect("rule")),
        );
        let next = next_occurrence(&open, dt(2026, 11, 23, 12, 0)).expect("open-ended");
        assert_eq!(next.0, dt(2026, 11, 26, 18, 0));
    }

    #[test]
    fn hostile_rules_terminate() {
        let rec = Recurrence {
            freq: Freq::Weekly,
            interval: 1,
            until: None,
            count: None,
            except: vec![],
        };
        let ev = event("2026-01-01 10:00", "2026-01-01 11:00", "UTC", Some(rec));
        assert_eq!(
            occurrences(&ev, dt(1, 1, 1, 0, 0), dt(9999, 12, 31, 0, 0)).len(),
            MAX_OCCURRENCES
        );
        let huge = Recurrence {
            freq: Freq::Monthly,
            interval: u32::MAX,
            until: None,
            count: Some(u32::MAX),
            except: vec![],
        };
        let ev = event("2026-01-31 10:00", "2026-01-31 11:00", "UTC", Some(huge));
        assert_eq!(
            occurrences(&ev, dt(1, 1, 1, 0, 0), dt(9999, 12, 31, 0, 0)).len(),
            1
        );
        let huge = Recurrence {
            freq: Freq::Weekly,
            interval: u32::MAX,
            until: None,
            count: None,
            except: vec![],
        };
        let ev = event("2026-01-31 10:00", "2026-01-31 11:00", "UTC", Some(huge));
        assert_eq!(next_occurrence(&ev, dt(9999, 1, 1, 0, 0)), None);
        // Impossible dates in a hand-built event give nothing rather than a panic.
        let mut bad = event("2026-01-31 10:00", "2026-01-31 11:00", "UTC", None);
        bad.start.month = 2;
        assert!(occurrences(&bad, dt(2026, 1, 1, 0, 0), dt(2027, 1, 1, 0, 0)).is_empty());
        assert!(validate_event(&bad).is_err());
        let _ = ics("x", &[bad]);
    }

    // --- iCalendar, parsed back -------------------------------------------------------------------

    #[derive(Debug)]
    struct Prop {
        name: String,
        params: Vec<(String, String)>,
        value: String,
    }

    /// A small RFC 5545 reader for the tests: checks CRLF and line length, unfolds, and splits each
    /// line into name, parameters and value (parameter values here never contain `:` or `;`).
    fn parse_ics(text: &str) -> Vec<Prop> {
        assert!(text.ends_with("\r\n"));
        let body = &text[..text.len() - 2];
        let physical: Vec<&str> = body.split("\r\n").collect();
        let mut logical: Vec<String> = Vec::new();
        for line in physical {
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "bare LF/CR in {line:?}"
            );
            assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
            if let Some(cont) = line.strip_prefix(' ') {
                logical
                    .last_mut()
                    .expect("continuation first")
                    .push_str(cont);
            } else {
                logical.push(line.to_string());
            }
        }
        logical
            .into_iter()
            .map(|l| {
                let (head, value) = l.split_once(':').expect("name:value");
                let mut parts = head.split(';');
                let name = parts.next().unwrap_or_default().to_string();
                let params = parts
                    .map(|p| {
                        let (k, v) = p.split_once('=').expect("param=value");
                        (k.to_string(), v.to_string())
                    })
                    .collect();
                Prop {
                    name,
                    params,
                    value: value.to_string(),
                }
            })
            .collect()
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => panic!("dangling backslash"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Splits a TEXT list on unescaped commas.
    fn split_list(s: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut esc = false;
        for c in s.chars() {
            if esc {
                out.last_mut().expect("nonempty").extend(['\\', c]);
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == ',' {
                out.push(String::new());
            } else {
                out.last_mut().expect("nonempty").push(c);
            }
        }
        out.iter().map(|s| unescape(s)).collect()
    }

    /// Components as (name, properties), flattened in order, with nesting checked.
    fn components(props: &[Prop]) -> Vec<(String, Vec<&Prop>)> {
        let mut stack: Vec<(String, Vec<&Prop>)> = Vec::new();
        let mut done = Vec::new();
        for p in props {
            match p.name.as_str() {
                "BEGIN" => stack.push((p.value.clone(), Vec::new())),
                "END" => {
                    let c = stack.pop().expect("END without BEGIN");
                    assert_eq!(c.0, p.value);
                    done.push(c);
                }
                _ => stack
                    .last_mut()
                    .expect("property outside a component")
                    .1
                    .push(p),
            }
        }
        assert!(stack.is_empty());
        done
    }

    fn sample_events() -> Vec<Event> {
        let title = "Café; Treff, \"offen\"\nfür alle";
        let mut a = event(
            "2026-11-05 18:00",
            "2026-11-05 20:00",
            "Europe/Berlin",
            Some(
                parse_recurrence(
                    "weekly",
                    Some(2),
                    Some("2027-03-31"),
                    None,
                    &["2026-12-31".into(), "2026-12-17".into()],
                )
                .expect("rule"),
            ),
        );
        a.title = title.into();
        a.description = "Beratung auf Deutsch, فارسی und Українська. Bitte bringen Sie Ihre Dokumente mit; Kinderbetreuung vorhanden. ".repeat(3);
        a.location = "Haus der Begegnung, Raum 2\\3".into();
        a.url = "https://example.org/de/termine/cafe/".into();
        a.categories = vec!["Sprache".into(), "Treff, offen".into()];
        let mut b = event(
            "2026-12-03 10:00",
            "2026-12-03 12:00",
            "Asia/Tehran",
            Some(parse_recurrence("monthly", None, None, Some(5), &[]).expect("rule")),
        );
        b.uid = "b@example.org".into();
        b.title = "جلسه اطلاع‌رسانی".repeat(6);
        let mut c = event(
            "2026-12-24",
            "2026-12-26",
            "Europe/Berlin",
            Some(
                parse_recurrence(
                    "weekly",
                    None,
                    Some("2027-01-31"),
                    None,
                    &["2027-01-07".into()],
                )
                .expect("rule"),
            ),
        );
        c.uid = "c@example.org".into();
        let mut d = event(
            "2026-06-01 09:00",
            "2026-06-01 10:00",
            "UTC",
            Some(
                parse_recurrence(
                    "weekly",
                    None,
                    Some("2026-07-01 09:00"),
                    None,
                    &["2026-06-15".into()],
                )
                .expect("rule"),
            ),
        );
        d.uid = "d@example.org".into();
        vec![a, b, c, d]
    }

    #[test]
    fn ics_parses_back() {
        let events = sample_events();
        let out = ics("Termine, Berlin; \"alle\"", &events);
        assert_eq!(
            out,
            ics("Termine, Berlin; \"alle\"", &events),
            "deterministic"
        );
        let props = parse_ics(&out);
        let comps = components(&props);
        let cal = comps
            .iter()
            .find(|c| c.0 == "VCALENDAR")
            .expect("VCALENDAR");
        let get = |c: &(String, Vec<&Prop>), n: &str| {
            c.1.iter().find(|p| p.name == n).map(|p| p.value.clone())
        };
        assert_eq!(get(cal, "VERSION").as_deref(), Some("2.0"));
        assert_eq!(get(cal, "PRODID").as_deref(), Some("-//Lotse//Lotse//EN"));
        assert_eq!(get(cal, "CALSCALE").as_deref(), Some("GREGORIAN"));
        assert_eq!(get(cal, "METHOD").as_deref(), Some("PUBLISH"));
        assert_eq!(
            get(cal, "X-WR-CALNAME").map(|v| unescape(&v)).as_deref(),
            Some("Termine, Berlin; \"alle\"")
        );

        let vevents: Vec<_> = comps.iter().filter(|c| c.0 == "VEVENT").collect();
        assert_eq!(vevents.len(), events.len());
        let tzids: BTreeSet<String> = comps
            .iter()
            .filter(|c| c.0 == "VTIMEZONE")
            .filter_map(|c| get(c, "TZID"))
            .collect();
        for ev in &vevents {
            for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
                assert!(get(ev, required).is_some(), "{required} missing");
            }
            assert!(get(ev, "DTSTAMP").is_some_and(|v| v.ends_with('Z')));
            for p in &ev.1 {
                for (k, v) in &p.params {
                    if k == "TZID" {
                        assert!(tzids.contains(v), "no VTIMEZONE for {v}");
                    }
                }
            }
        }
        assert_eq!(
            tzids.iter().map(String::as_str).collect::<Vec<_>>(),
            vec!["Asia/Tehran", "Europe/Berlin"]
        );

        let a = vevents[0];
        assert_eq!(
            get(a, "SUMMARY").map(|v| unescape(&v)).as_deref(),
            Some("Café; Treff, \"offen\"\nfür alle")
        );
        assert_eq!(
            get(a, "DESCRIPTION").map(|v| unescape(&v)),
            Some(events[0].description.clone())
        );
        assert_eq!(
            get(a, "LOCATION").map(|v| unescape(&v)).as_deref(),
            Some("Haus der Begegnung, Raum 2\\3")
        );
        assert_eq!(
            get(a, "URL").as_deref(),
            Some("https://example.org/de/termine/cafe/")
        );
        assert_eq!(
            split_list(&get(a, "CATEGORIES").expect("categories")),
            vec!["Sprache", "Treff, offen"]
        );
        assert_eq!(get(a, "DTSTART").as_deref(), Some("20261105T180000"));
        assert_eq!(get(a, "DTEND").as_deref(), Some("20261105T200000"));
        // 2027-03-31 23:59 CEST = 21:59 UTC
        assert_eq!(
            get(a, "RRULE").as_deref(),
            Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270331T215900Z")
        );
        let ex = a.1.iter().find(|p| p.name == "EXDATE").expect("EXDATE");
        assert_eq!(
            ex.params,
            vec![("TZID".to_string(), "Europe/Berlin".to_string())]
        );
        assert_eq!(ex.value, "20261217T180000,20261231T180000");
        // DTSTAMP: 2026-01-01 12:00 Berlin = 11:00 UTC
        assert_eq!(get(a, "DTSTAMP").as_deref(), Some("20260101T110000Z"));

        let b = vevents[1];
        assert_eq!(get(b, "RRULE").as_deref(), Some("FREQ=MONTHLY;COUNT=5"));
        assert_eq!(
            get(b, "SUMMARY").map(|v| unescape(&v)),
            Some(events[1].title.clone())
        );

        let c = vevents[2];
        let start = c.1.iter().find(|p| p.name == "DTSTART").expect("DTSTART");
        assert_eq!(
            start.params,
            vec![("VALUE".to_string(), "DATE".to_string())]
        );
        assert_eq!(start.value, "20261224");
        assert_eq!(get(c, "DTEND").as_deref(), Some("20261226"));
        assert_eq!(
            get(c, "RRULE").as_deref(),
            Some("FREQ=WEEKLY;UNTIL=20270131")
        );
        let ex = c.1.iter().find(|p| p.name == "EXDATE").expect("EXDATE");
        assert_eq!(ex.params, vec![("VALUE".to_string(), "DATE".to_string())]);
        assert_eq!(ex.value, "20270107");

        let d = vevents[3];
        assert_eq!(get(d, "DTSTART").as_deref(), Some("20260601T090000Z"));
        assert_eq!(
            get(d, "RRULE").as_deref(),
            Some("FREQ=WEEKLY;UNTIL=20260701T090000Z")
        );
        assert_eq!(get(d, "EXDATE").as_deref(), Some("20260615T090000Z"));
    }

    /// The VTIMEZONEs agree with the tz database at every event time: Berlin switches on the last
    /// Sundays of March and October, Tehran is +03:30 all year since 2022.
    #[test]
    fn vtimezones_are_correct() {
        let out = ics("x", &sample_events());
        let props = parse_ics(&out);
        let comps = components(&props);
        // Observances (STANDARD/DAYLIGHT) appear before their VTIMEZONE closes; regroup by order.
        let mut zones: BTreeMap<String, Vec<(String, Vec<&Prop>)>> = BTreeMap::new();
        let mut pending = Vec::new();
        for c in comps {
            match c.0.as_str() {
                "STANDARD" | "DAYLIGHT" => pending.push(c),
                "VTIMEZONE" => {
                    let id =
                        c.1.iter()
                            .find(|p| p.name == "TZID")
                            .expect("TZID")
                            .value
                            .clone();
                    zones.insert(id, std::mem::take(&mut pending));
                }
                _ => {}
            }
        }
        let tehran = &zones["Asia/Tehran"];
        assert!(tehran.iter().all(|o| {
            o.1.iter()
                .any(|p| p.name == "TZOFFSETTO" && p.value == "+0330")
        }));
        assert!(tehran.iter().all(|o| o.0 == "STANDARD"));
        let berlin = &zones["Europe/Berlin"];
        assert!(berlin.iter().any(|o| o.0 == "DAYLIGHT"));
        let text = |o: &(String, Vec<&Prop>)| {
            o.1.iter()
                .map(|p| format!("{}:{}", p.name, p.value))
                .collect::<Vec<_>>()
        };
        let all: Vec<Vec<String>> = berlin.iter().map(text).collect();
        assert!(
            all.iter()
                .any(|o| o.contains(&"DTSTART:20260329T020000".to_string())
                    && o.contains(&"TZOFFSETFROM:+0100".to_string())
                    && o.contains(&"TZOFFSETTO:+0200".to_string()))
        );
        assert!(
            all.iter()
                .any(|o| o.contains(&"DTSTART:20261025T030000".to_string())
                    && o.contains(&"TZOFFSETTO:+0100".to_string()))
        );
        // The rules for the future.
        assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"));
        assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"));

        // Evaluate the Berlin VTIMEZONE at a few instants and compare with chrono-tz.
        let observances: Vec<(NaiveDateTime, i32, i32, Option<YearlyRule>)> = berlin
            .iter()
            .map(|o| {
                let v = |n: &str| {
                    o.1.iter()
                        .find(|p| p.name == n)
                        .map(|p| p.value.clone())
                        .expect(n)
                };
                let start =
                    NaiveDateTime::parse_from_str(&v("DTSTART"), "%Y%m%dT%H%M%S").expect("dtstart");
                let off = |s: String| {
                    let sign = if s.starts_with('-') { -1 } else { 1 };
                    sign * (s[1..3].parse::<i32>().expect("h") * 3600
                        + s[3..5].parse::<i32>().expect("m") * 60)
                };
                let rule =
                    o.1.iter()
                        .find(|p| p.name == "RRULE")
                        .map(|_| YearlyRule::infer(start));
                (start, off(v("TZOFFSETFROM")), off(v("TZOFFSETTO")), rule)
            })
            .collect();
        let z: Tz = "Europe/Berlin".parse().expect("zone");
        for utc in [
            (2026, 3, 29, 0, 59),
            (2026, 3, 29, 1, 0),
            (2026, 10, 25, 0, 59),
            (2026, 10, 25, 1, 0),
            (2027, 7, 1, 0, 0),
            (2031, 3, 30, 1, 30),
            (2031, 12, 1, 0, 0),
        ] {
            let u = dt(utc.0, utc.1, utc.2, utc.3, utc.4).naive().expect("utc");
            // The latest observance onset (in UTC) at or before u.
            let mut best: Option<(NaiveDateTime, i32)> = None;
            for (start, from, to, rule) in &observances {
                let onsets: Vec<NaiveDateTime> = match rule {
                    None => vec![*start],
                    Some(r) => (start.year()..=u.year())
                        .filter_map(|y| r.in_year(y))
                        .collect(),
                };
                for local in onsets {
                    let onset = local - TimeDelta::seconds(i64::from(*from));
                    if onset <= u && best.is_none_or(|b| onset >= b.0) {
                        best = Some((onset, *to));
                    }
                }
            }
            let want = z.offset_from_utc_datetime(&u).fix().local_minus_utc();
            assert_eq!(best.map(|b| b.1), Some(want), "at {u}");
        }
    }

    /// Evaluates a generated VTIMEZONE at an instant the way a reader does (the latest observance
    /// onset at or before it) and returns the offset it gives.
    fn vtimezone_offset(text: &str, u: NaiveDateTime) -> Option<i32> {
        let props = parse_ics(text);
        let mut best: Option<(NaiveDateTime, i32)> = None;
        for c in components(&props)
            .iter()
            .filter(|c| c.0 == "STANDARD" || c.0 == "DAYLIGHT")
        {
            let v = |n: &str| {
                c.1.iter()
                    .find(|p| p.name == n)
                    .map(|p| p.value.clone())
                    .expect(n)
            };
            let start =
                NaiveDateTime::parse_from_str(&v("DTSTART"), "%Y%m%dT%H%M%S").expect("dtstart");
            let off = |s: String| {
                let sign = if s.starts_with('-') { -1 } else { 1 };
                let n = |r: std::ops::Range<usize>| {
                    s.get(r).map_or(0, |x| x.parse::<i32>().expect("digits"))
                };
                sign * (n(1..3) * 3600 + n(3..5) * 60 + n(5..7))
            };
            let (from, to) = (off(v("TZOFFSETFROM")), off(v("TZOFFSETTO")));
            let onsets: Vec<NaiveDateTime> = match c.1.iter().any(|p| p.name == "RRULE") {
                false => vec![start],
                true => {
                    let r = YearlyRule::infer(start);
                    (start.year()..=u.year())
                        .filter_map(|y| r.in_year(y))
                        .collect()
                }
            };
            for local in onsets {
                let onset = local - TimeDelta::seconds(i64::from(from));
                if onset <= u && best.is_none_or(|b| onset >= b.0) {
                    best = Some((onset, to));
                }
            }
        }
        best.map(|b| b.1)
    }

    /// Zones with and without DST, northern and southern, rules by weekday and by fixed date, and a
    /// zone that dropped DST inside the range: the VTIMEZONE matches the tz database every six hours
    /// over the range, and (where it has yearly rules) for three years after it.
    #[test]
    fn vtimezones_match_tz_database() {
        for (name, first, last) in [
            ("Europe/Berlin", 2026, 2027),
            ("Asia/Tehran", 2021, 2023),
            ("Asia/Tehran", 2026, 2026),
            ("America/New_York", 2026, 2026),
            ("Australia/Sydney", 2025, 2027),
            ("America/Sao_Paulo", 2018, 2020),
            ("Asia/Kolkata", 2026, 2026),
        ] {
            let z: Tz = name.parse().expect("zone");
            let mut text = String::new();
            vtimezone(&mut text, z, first, last);
            let end_year = if text.contains("RRULE") {
                last + 3
            } else {
                last
            };
            let mut u = NaiveDate::from_ymd_opt(first, 1, 1)
                .expect("date")
                .and_time(NaiveTime::MIN);
            let end = NaiveDate::from_ymd_opt(end_year, 12, 31)
                .expect("date")
                .and_time(NaiveTime::MIN);
            while u < end {
                let want = z.offset_from_utc_datetime(&u).fix().local_minus_utc();
                assert_eq!(
                    vtimezone_offset(&text, u),
                    Some(want),
                    "{name} at {u} UTC\n{text}"
                );
                u += TimeDelta::hours(6);
            }
        }
    }

    #[test]
    fn validate_event_and_unknown_zone() {
        let mut ev = event(
            "2026-12-03 18:00",
            "2026-12-03 20:00",
            "Europe/Berlin",
            None,
        );
        assert_eq!(validate_event(&ev), Ok(()));
        ev.end = dt(2026, 12, 3, 17, 0);
        assert!(validate_event(&ev).unwrap_err().contains("before start"));
        ev.end = dt(2026, 12, 3, 20, 0);
        ev.recurrence = parse_recurrence("weekly", None, Some("2026-01-01"), None, &[]).ok();
        assert!(validate_event(&ev).unwrap_err().contains("until"));
        ev.recurrence = None;
        ev.tz = "Nowhere/Else".into();
        assert!(
            validate_event(&ev)
                .unwrap_err()
                .contains("unknown time zone")
        );
        // An unknown zone still gives a valid file: floating local time, no VTIMEZONE.
        let out = ics("x", &[ev]);
        assert!(out.contains("\r\nDTSTART:20261203T180000\r\n"));
        assert!(!out.contains("VTIMEZONE"));
        let _ = parse_ics(&out);
    }

    #[test]
    fn folding_never_splits_utf8() {
        let mut ev = event(
            "2026-12-03 18:00",
            "2026-12-03 20:00",
            "Europe/Berlin",
            None,
        );
        ev.title = "ü".repeat(200) + &"😀".repeat(50);
        let out = ics("x", &[ev.clone()]);
        let props = parse_ics(&out); // asserts ≤ 75 octets and CRLF
        let summary = props.iter().find(|p| p.name == "SUMMARY").expect("SUMMARY");
        assert_eq!(unescape(&summary.value), ev.title);
        let mut line = String::new();
        push_line(&mut line, &"a".repeat(75));
        assert_eq!(line, format!("{}\r\n", "a".repeat(75)));
        let mut line = String::new();
        push_line(&mut line, &"a".repeat(76));
        assert_eq!(line, format!("{}\r\n a\r\n", "a".repeat(75)));
    }

    #[test]
    fn ics_parses_with_icalendar_crate() {
        let out = ics("Termine", &sample_events());
        let unfolded = icalendar::parser::unfold(&out);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("icalendar parses the output");
        let events: Vec<_> = cal
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        assert_eq!(events.len(), 4);
        let summary = events[0].find_prop("SUMMARY").expect("SUMMARY");
        // The crate unescapes TEXT values itself: the title round-trips.
        assert_eq!(summary.val.as_str(), "Café; Treff, \"offen\"\nfür alle");
        for e in &events {
            assert!(
                e.find_prop("UID").is_some()
                    && e.find_prop("DTSTAMP").is_some()
                    && e.find_prop("DTSTART").is_some()
            );
        }
        let tz = cal
            .components
            .iter()
            .filter(|c| c.name == "VTIMEZONE")
            .count();
        assert_eq!(tz, 2);
    }
}
