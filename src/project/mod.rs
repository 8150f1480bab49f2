//! The project: which files to check (discovery), how it is configured (the TOML mirror in
//! `options`, resolved into `settings`), and what module each file is.

pub mod discover;
pub mod distribution_name;
pub mod importlinter;
pub mod module_name;
pub mod options;
pub mod pyproject_file;
pub mod settings;
