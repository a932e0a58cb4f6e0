pub mod easy;
pub mod translations;
