//! Discovery: the Python files a run checks.
//!
//! Folders are walked with the `ignore` crate, so `.gitignore` and `.ignore` are honoured;
//! hidden folders, virtualenvs (any folder holding `pyvenv.cfg`) and the `exclude` globs are
//! skipped. A file named on the command line is always checked. Symbolic links to files are
//! followed; links to folders are not (they could loop). Paths that are not regular files are
//! returned as problems, never opened.

use std::path::{Path, PathBuf};

use super::settings::{Settings, is_excluded};
use crate::source::read::special_kind;

/// A path discovery could not use, and why.
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
    /// `true` for a special file (FIFO, socket, link loop…), `false` for an I/O error.
    pub special: bool,
}

#[derive(Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

fn is_python(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "py" || ext == "pyi")
}

pub fn discover(paths: &[PathBuf], settings: &Settings) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        let is_dir = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if is_dir {
            walk(path, settings, &mut found);
        } else if let Some(kind) = special_kind(path) {
            found.skipped.push(Skipped {
                path: path.clone(),
                reason: format!("the path is {kind}, not a regular file"),
                special: true,
            });
        } else if path.exists() {
            found.files.push(path.clone());
        } else {
            found.skipped.push(Skipped {
                path: path.clone(),
                reason: "no such file or folder".to_string(),
                special: false,
            });
        }
    }
    // `./pkg/a.py` → `pkg/a.py`: paths are shown as the user would type them.
    let tidy = |path: &mut PathBuf| {
        if let Ok(rest) = path.strip_prefix(".")
            && !rest.as_os_str().is_empty()
        {
            *path = rest.to_path_buf();
        }
    };
    found.files.iter_mut().for_each(tidy);
    found.skipped.iter_mut().for_each(|s| tidy(&mut s.path));
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, settings: &Settings, found: &mut Discovered) {
    let exclude_root = root.to_path_buf();
    let (exclude, config_root) = (settings.exclude.clone(), settings.root.clone());
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let path = entry.path();
            if entry.depth() == 0 || path == exclude_root {
                return true;
            }
            if is_excluded(&exclude, &config_root, path) {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && path.join("pyvenv.cfg").exists())
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
                found.skipped.push(Skipped {
                    path,
                    reason: error.to_string(),
                    special: false,
                });
                continue;
            }
        };
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() || !is_python(path) {
            continue;
        }
        if file_type.is_file() {
            found.files.push(path.to_path_buf());
        } else if let Some(kind) = special_kind(path) {
            found.skipped.push(Skipped {
                path: path.to_path_buf(),
                reason: format!("the path is {kind}, not a regular file"),
                special: true,
            });
        } else {
            // A link to a regular file.
            found.files.push(path.to_path_buf());
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}
