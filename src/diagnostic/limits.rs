//! Size limits on input files, checked before a file is read or parsed, so that a mistaken
//! 50 MB export, a 10,000-level front matter or a YAML alias bomb ends in a clear error instead of
//! a build that runs for minutes or runs out of memory.
//!
//! Nesting depth and alias expansion of YAML are limited by serde_yaml itself (128 levels; a
//! "repetition limit" on aliases); `config::yaml_error` turns its messages into ones with a hint.
//! JSON (the map outline) is limited by serde_json's recursion limit of 128.

use super::Diagnostic;
use std::path::Path;

const MB: u64 = 1024 * 1024;

/// A content page (Markdown). A help page is a few KB, the longest real ones about 100 KB;
/// 10 MB is a hundred times that and still builds in seconds (rendering is linear: ≈ 0.7 s per MB
/// in a debug build), while a 50 MB file would take half a minute and a gigabyte of memory.
pub const MAX_PAGE_BYTES: u64 = 10 * MB;
/// The front matter of a page: a title, dates and some facts are under 2 KB.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
/// site.yaml, an i18n file, a schema: the largest real ones are about 20 KB.
pub const MAX_DATA_BYTES: u64 = MB;
/// The GeoJSON map outline: a simplified district border is a few hundred KB; a detailed one
/// a few MB.
pub const MAX_OUTLINE_BYTES: u64 = 20 * MB;

/// `50.0 MB`, `80.0 KB`, in the units the limits are written in (1 MB = 1024 KB).
pub fn size(bytes: u64) -> String {
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// A limit as written in messages: `10 MB`, `64 KB`.
pub fn limit(bytes: u64) -> String {
    if bytes >= MB { format!("{} MB", bytes / MB) } else { format!("{} KB", bytes / 1024) }
}

/// An error when the file at `path` is larger than `max` (checked from its metadata, before
/// reading); `what` names the kind of file in the plural ("pages", "i18n files").
pub fn check_size(path: &Path, shown: &str, max: u64, what: &str, hint: &str) -> Result<(), Diagnostic> {
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) }; // reading it reports the problem
    if meta.len() <= max {
        return Ok(());
    }
    Err(Diagnostic::error(shown, format!("the file is {}; {what} may be at most {}", size(meta.len()), limit(max))).hint(hint))
}

/// Reads a YAML/JSON data file after checking its size.
pub fn read_data(path: &Path, shown: &str, max: u64, what: &str, hint: &str) -> Result<String, Diagnostic> {
    check_size(path, shown, max, what, hint)?;
    std::fs::read_to_string(path).map_err(|e| Diagnostic::error(shown, format!("cannot read: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(50 * MB), "50.0 MB");
        assert_eq!(size(80 * 1024), "80.0 KB");
        assert_eq!(limit(MAX_PAGE_BYTES), "10 MB");
        assert_eq!(limit(MAX_FRONT_MATTER_BYTES as u64), "64 KB");
    }
}
