pub mod analysis;
pub use analysis::{analyze, analyze_query, analyze_with, Compounds, Lang, QueryWord, Token};
