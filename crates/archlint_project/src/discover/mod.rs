//! Discovery: the Python files a run checks.
//!
//! Folders are walked with the `ignore` crate, so `.gitignore` and `.ignore` are honoured;
//! hidden folders, virtualenvs (any folder holding `pyvenv.cfg`) and the `exclude` globs are
//! skipped. A file named on the command line is always checked. Symbolic links to files are
//! followed; links to folders are not (they could loop). Paths that are not regular files are
//! returned as problems, never opened.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHashSet};

use super::settings::{Settings, is_excluded, relative_to};
use archlint_source::read::special_kind;

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
    /// YAML files named on the command line: not Python, checked by the CI rules when they
    /// are CI configuration of the project.
    pub yaml: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
    /// Every folder the walk entered, and those of them holding an `__init__.py`: module
    /// names are then worked out without a file-system call per file.
    walked_dirs: FxHashSet<PathBuf>,
    package_dirs: FxHashSet<PathBuf>,
    /// Folders outside the walk (above a root, or of files named explicitly), looked up once.
    other_dirs: Mutex<FxHashMap<PathBuf, bool>>,
}

impl Discovered {
    /// Whether `dir` is a regular package (holds `__init__.py` or `__init__.pyi`).
    pub fn is_package_dir(&self, dir: &Path) -> bool {
        if self.walked_dirs.contains(dir) {
            return self.package_dirs.contains(dir);
        }
        let mut cache = self.other_dirs.lock().unwrap_or_else(|e| e.into_inner());
        *cache.entry(dir.to_path_buf()).or_insert_with(|| {
            dir.join("__init__.py").is_file() || dir.join("__init__.pyi").is_file()
        })
    }
}

/// Whether an exclusion matches a file named explicitly or one of its folders below the root.
fn excluded_with_ancestors(path: &Path, settings: &Settings) -> bool {
    let relative = relative_to(&settings.root, path);
    if relative.is_absolute() {
        return settings.is_excluded(path);
    }
    relative
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| settings.is_excluded(&settings.root.join(p)))
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
        } else if settings.force_exclude && excluded_with_ancestors(path, settings) {
            continue;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
            && path.exists()
        {
            found.yaml.push(path.clone());
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
    found.yaml.iter_mut().for_each(tidy);
    found.skipped.iter_mut().for_each(|s| tidy(&mut s.path));
    found.files.sort();
    found.files.dedup();
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// What one walker thread found; merged after the walk.
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    dirs: Vec<PathBuf>,
    packages: Vec<PathBuf>,
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
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            // Other files are passed over by `visit` anyway: no glob to match for them.
            if !is_dir && !is_python(path) {
                return true;
            }
            if is_excluded(&exclude, &config_root, path) {
                return false;
            }
            !(is_dir && path.join("pyvenv.cfg").exists())
        })
        .build_parallel();
    let results: Mutex<Vec<Found>> = Mutex::new(Vec::new());
    walker.visit(&mut Collector {
        root,
        results: &results,
    });
    for part in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        found.files.extend(part.files);
        found.skipped.extend(part.skipped);
        found.walked_dirs.extend(part.dirs);
        found.package_dirs.extend(part.packages);
    }
}

/// Hands each walker thread its own [`Found`], merged into `results` when the thread ends.
struct Collector<'r> {
    root: &'r Path,
    results: &'r Mutex<Vec<Found>>,
}

struct ThreadCollector<'r> {
    root: &'r Path,
    results: &'r Mutex<Vec<Found>>,
    found: Found,
}

impl<'r> ignore::ParallelVisitorBuilder<'r> for Collector<'r> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 'r> {
        Box::new(ThreadCollector {
            root: self.root,
            results: self.results,
            found: Found::default(),
        })
    }
}

impl ignore::ParallelVisitor for ThreadCollector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        visit(entry, self.root, &mut self.found);
        ignore::WalkState::Continue
    }
}

impl Drop for ThreadCollector<'_> {
    fn drop(&mut self) {
        let found = std::mem::take(&mut self.found);
        self.results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(found);
    }
}

fn visit(entry: Result<ignore::DirEntry, ignore::Error>, root: &Path, found: &mut Found) {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
            found.skipped.push(Skipped {
                path,
                reason: error.to_string(),
                special: false,
            });
            return;
        }
    };
    let path = entry.path();
    let Some(file_type) = entry.file_type() else {
        return;
    };
    if file_type.is_dir() {
        found.dirs.push(path.to_path_buf());
        return;
    }
    if !is_python(path) {
        return;
    }
    if matches!(path.file_stem().and_then(|s| s.to_str()), Some("__init__"))
        && let Some(parent) = path.parent()
    {
        found.packages.push(parent.to_path_buf());
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
