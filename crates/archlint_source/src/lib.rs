//! Source files: reading them safely (size, binary and UTF-8 guards, never blocking on special
//! files), parsing them, and reading their suppression comments; and writing archlint's own
//! files without damaging what is there. YAML (CI configuration) is parsed here too.

pub mod parse;
pub mod path;
pub mod read;
pub mod suppress;
pub mod write;
pub mod yaml;
