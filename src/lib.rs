//! `lotse` as a library: the site pipeline's modules, for the `lotse` binary (`main.rs`, the CLI) and
//! for the `content` fuzz target in `fuzz/`, which runs one content file through the same front-matter,
//! type and Markdown code as a build.

pub mod add_language;
pub mod budgets;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod feeds;
pub mod forms;
pub mod i18n;
pub mod images;
pub mod markdown;
pub mod new_page;
pub mod offline;
pub mod output;
pub mod pipeline;
pub mod preview;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod site;
pub mod sites;
pub mod theme;
pub mod types;
