//! Leichte Sprache (easy German) checks: being written.
use crate::diagnostic::Diagnostic;
use crate::site::Site;

pub fn check(_site: &Site) -> Vec<Diagnostic> {
    Vec::new()
}
