//! Calendar dates from front matter (`2024-05-31`, optionally with a time).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The UTC calendar day of a Unix time (Howard Hinnant's civil_from_days).
    pub fn from_unix(secs: i64) -> Date {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Accepts `YYYY-MM-DD`, optionally followed by `T`/space and a time, which is ignored.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let date = s.split(['T', ' ']).next()?;
        let mut parts = date.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= days_in_month(date.year, date.month))
            .then_some(date)
    }

    /// RFC 3339 at midnight UTC, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates_only() {
        assert_eq!(Date::parse("2016-11-25").unwrap().to_string(), "2016-11-25");
        assert!(Date::parse("2016-11-25T10:00:00+01:00").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("gestern").is_none());
        assert!(Date::parse("25.11.2016").is_none());
    }
}
