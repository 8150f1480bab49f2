//! The project: which files to check (discovery), how it is configured (`options` resolved into
//! `settings`, with the rules selected in `selection`), what each file is (its module, its role).

pub mod ci;
pub mod discover;
pub mod distribution_name;
pub mod importlinter;
pub mod ini;
pub mod layout;
pub mod module_name;
pub mod options;
pub mod pyproject_file;
pub mod pytest;
pub mod requirement;
pub mod roles;
pub mod selection;
pub mod settings;
pub mod tach;
