//! # portal-data
//!
//! The logic behind the portal's structured content types, as pure functions (no I/O, no clock: "now"
//! is always a parameter, so builds stay reproducible):
//!
//! * [`hours`] — opening hours in OpenStreetMap syntax (`Mo-Fr 09:00-12:00; Th 14:00-18:00`): parse,
//!   validate with a position for error messages, and lay out as a week table.
//! * [`calendar`] — event times with a time zone, weekly/monthly recurrence with an end and exceptions,
//!   occurrences in a window, and iCalendar (RFC 5545) files per event and per language feed.
//! * [`map`] — a static SVG map drawn from a GeoJSON region outline and numbered markers.

pub mod calendar;
pub mod hours;
pub mod map;
