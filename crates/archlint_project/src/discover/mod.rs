//! Discovery: the Python files a run checks.
//!
//! Folders are walked with the `ignore` crate, so `.gitignore` and `.ignore` are honoured;
//! hidden folders, virtualenvs (any folder holding `pyvenv.cfg`) and the `exclude` globs are
//! skipped. A file named on the command line is always checked. Symbolic links to files are
//! followed; links to folders are not (they could loop). Paths that are not regular files are
//! returned as problems, never opened.

mod record;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use super::settings::{Settings, is_excluded, relative_to};
use archlint_source::read::special_kind;
use record::Trace;
pub use record::WalkRecord;

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
    fn add(&mut self, files: Vec<PathBuf>, dirs: Vec<PathBuf>, packages: Vec<PathBuf>) {
        self.files.extend(files);
        self.walked_dirs.extend(dirs);
        self.package_dirs.extend(packages);
    }

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
    discover_remembering(paths, settings, &[]).0
}

/// [`discover`], taking a folder's files from its record in `remembered` while the record
/// still holds (see [`record`]). Gives the records to keep when a folder was walked: one for
/// each folder named, when its walk could be recorded.
pub fn discover_remembering(
    paths: &[PathBuf],
    settings: &Settings,
    remembered: &[WalkRecord],
) -> (Discovered, Option<Vec<WalkRecord>>) {
    discover_with(paths, settings, remembered, record::RECENT_NS)
}

/// [`discover_remembering`], with times within `recent_ns` of now too recent to trust.
fn discover_with(
    paths: &[PathBuf],
    settings: &Settings,
    remembered: &[WalkRecord],
    recent_ns: i128,
) -> (Discovered, Option<Vec<WalkRecord>>) {
    let mut found = Discovered::default();
    // Records still holding are cloned only when another folder was walked, for the file.
    let mut records: Vec<std::borrow::Cow<WalkRecord>> = Vec::new();
    let mut walked = false;
    for path in paths {
        let is_dir = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if is_dir {
            let absolute = archlint_source::path::absolute(path).unwrap_or_else(|_| path.clone());
            let kept = remembered
                .iter()
                .find(|record| record.is_of(path, &absolute) && record.still_holds());
            match kept {
                Some(record) => {
                    found.add(
                        record.files.clone(),
                        record.dirs.clone(),
                        record.packages.clone(),
                    );
                    records.push(std::borrow::Cow::Borrowed(record));
                }
                None => {
                    walked = true;
                    let record = walk(path, &absolute, settings, recent_ns, &mut found);
                    records.extend(record.map(std::borrow::Cow::Owned));
                }
            }
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
    let records = walked.then(|| {
        records
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect()
    });
    (found, records)
}

/// What one walker thread found; merged after the walk.
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    dirs: Vec<PathBuf>,
    packages: Vec<PathBuf>,
}

/// Walks `root`, and gives the record of the walk when it can be recorded.
fn walk(
    root: &Path,
    absolute_root: &Path,
    settings: &Settings,
    recent_ns: i128,
    found: &mut Discovered,
) -> Option<WalkRecord> {
    let trace = Arc::new(Trace::new(recent_ns));
    trace.ancestors(absolute_root);
    trace.folder(root);
    let filter_trace = Arc::clone(&trace);
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
            if !is_dir {
                return true;
            }
            // Stamped before the walk lists it, so that a change after shows in the stamp.
            if path.join("pyvenv.cfg").exists() {
                filter_trace.left_out(path);
                return false;
            }
            filter_trace.folder(path);
            true
        })
        .build_parallel();
    let results: Mutex<Vec<Found>> = Mutex::new(Vec::new());
    walker.visit(&mut Collector {
        root,
        results: &results,
        trace: &trace,
    });
    let (mut files, mut dirs, mut packages) = (Vec::new(), Vec::new(), Vec::new());
    for part in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        files.extend(part.files);
        dirs.extend(part.dirs);
        packages.extend(part.packages);
        if !part.skipped.is_empty() {
            trace.unrecordable();
            found.skipped.extend(part.skipped);
        }
    }
    // Sorted, so that the record is the same for the same tree.
    for paths in [&mut files, &mut dirs, &mut packages] {
        paths.sort_unstable();
    }
    let record = Arc::into_inner(trace)
        .and_then(|trace| trace.finish(root, absolute_root, &files, &dirs, &packages));
    found.add(files, dirs, packages);
    record
}

/// Hands each walker thread its own [`Found`], merged into `results` when the thread ends.
struct Collector<'r> {
    root: &'r Path,
    results: &'r Mutex<Vec<Found>>,
    trace: &'r Trace,
}

struct ThreadCollector<'r> {
    root: &'r Path,
    results: &'r Mutex<Vec<Found>>,
    trace: &'r Trace,
    found: Found,
}

impl<'r> ignore::ParallelVisitorBuilder<'r> for Collector<'r> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 'r> {
        Box::new(ThreadCollector {
            root: self.root,
            results: self.results,
            trace: self.trace,
            found: Found::default(),
        })
    }
}

impl ignore::ParallelVisitor for ThreadCollector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        if !visit(entry, self.root, &mut self.found) {
            self.trace.unrecordable();
        }
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

/// Adds what `entry` is to `found`; `false` when the folder stamps cannot vouch for it (an
/// error, or a link, whose target can change while its folder does not).
fn visit(entry: Result<ignore::DirEntry, ignore::Error>, root: &Path, found: &mut Found) -> bool {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error_path(&error).unwrap_or_else(|| root.to_path_buf());
            found.skipped.push(Skipped {
                path,
                reason: error.to_string(),
                special: false,
            });
            return false;
        }
    };
    let path = entry.path();
    let Some(file_type) = entry.file_type() else {
        return true;
    };
    if file_type.is_dir() {
        found.dirs.push(path.to_path_buf());
        return true;
    }
    if !is_python(path) {
        return true;
    }
    if matches!(path.file_stem().and_then(|s| s.to_str()), Some("__init__"))
        && let Some(parent) = path.parent()
    {
        found.packages.push(parent.to_path_buf());
    }
    if file_type.is_file() {
        found.files.push(path.to_path_buf());
        return true;
    }
    if let Some(kind) = special_kind(path) {
        found.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: format!("the path is {kind}, not a regular file"),
            special: true,
        });
    } else {
        // A link to a regular file.
        found.files.push(path.to_path_buf());
    }
    false
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selection::Catalogue;

    /// A tree with a package, a folder the `.gitignore` leaves out and a virtualenv.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("pkg/__init__.py", ""),
            ("pkg/a.py", ""),
            ("pkg/sub/b.py", ""),
            ("scratch/c.py", ""),
            ("tools/pyvenv.cfg", ""),
            ("tools/lib/d.py", ""),
            (".gitignore", "scratch/\n"),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// The files found under `root`, relative to it, and the records to keep.
    fn run(
        root: &Path,
        remembered: &[WalkRecord],
        recent_ns: i128,
    ) -> (Vec<String>, Option<Vec<WalkRecord>>) {
        let settings = Settings::isolated(Catalogue(&[]), root, None);
        let (found, records) =
            discover_with(&[root.to_path_buf()], &settings, remembered, recent_ns);
        let files = found
            .files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().display().to_string())
            .collect();
        (files, records)
    }

    /// A change made in the clock tick of the stamp would not show in its times; the tests
    /// that trust times wait for the next one.
    fn next_tick() {
        std::thread::sleep(std::time::Duration::from_millis(30));
    }

    /// A change to a tree, by what it is.
    type Change = (&'static str, fn(&Path));

    /// Each change, after a recorded walk: the record must not hold, and the walk again must
    /// find what a walk without a record finds.
    fn each_change_is_seen(recent_ns: i128) {
        let changes: [Change; 7] = [
            ("a file added", |root| {
                std::fs::write(root.join("pkg/sub/new.py"), "").unwrap()
            }),
            ("a file removed", |root| {
                std::fs::remove_file(root.join("pkg/a.py")).unwrap()
            }),
            ("a folder added", |root| {
                std::fs::create_dir(root.join("more")).unwrap();
                std::fs::write(root.join("more/e.py"), "").unwrap();
            }),
            ("a virtualenv no longer one", |root| {
                std::fs::remove_file(root.join("tools/pyvenv.cfg")).unwrap()
            }),
            ("a folder made a virtualenv", |root| {
                std::fs::write(root.join("pkg/sub/pyvenv.cfg"), "").unwrap()
            }),
            ("the .gitignore edited in place", |root| {
                let mut file = std::fs::File::options()
                    .write(true)
                    .open(root.join(".gitignore"))
                    .unwrap();
                std::io::Write::write_all(&mut file, b"pkg/sub\n").unwrap();
            }),
            ("a .gitignore added in a folder", |root| {
                std::fs::write(root.join("pkg/.gitignore"), "a.py\n").unwrap()
            }),
        ];
        for (change, make) in changes {
            let dir = tree();
            let root = dir.path();
            let (before, records) = run(root, &[], recent_ns);
            let records = records.expect("the walk is recorded");
            assert_eq!(
                before,
                ["pkg/__init__.py", "pkg/a.py", "pkg/sub/b.py"],
                "{change}"
            );
            // Unchanged, the record holds: nothing walked, the same files.
            assert_eq!(run(root, &records, recent_ns), (before.clone(), None));
            next_tick();
            make(root);
            let expected = run(root, &[], recent_ns).0;
            assert_ne!(expected, before, "{change} should change the files found");
            let (after, walked) = run(root, &records, recent_ns);
            assert!(walked.is_some(), "{change}: the record still held");
            assert_eq!(after, expected, "{change}");
        }
    }

    #[test]
    fn a_walk_is_taken_from_its_record_until_a_folder_or_ignore_file_changes() {
        // Times older than the margin are trusted: folders and ignore files are stamped by them.
        each_change_is_seen(0);
    }

    #[test]
    fn folders_changed_too_recently_for_their_times_are_stamped_by_their_entries() {
        // Every folder is recent: each is stamped by its entries, and the ignore files, recent
        // too, leave the walk unrecorded; the ones without an ignore file are still recorded.
        let dir = tree();
        let root = dir.path();
        assert!(run(root, &[], record::RECENT_NS).1.unwrap().is_empty());
        std::fs::remove_file(root.join(".gitignore")).unwrap();
        let (before, records) = run(root, &[], record::RECENT_NS);
        let records = records.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(
            run(root, &records, record::RECENT_NS),
            (before.clone(), None)
        );
        // A file added, in the same clock tick: its folder's entries tell.
        std::fs::write(root.join("pkg/sub/new.py"), "").unwrap();
        let (after, walked) = run(root, &records, record::RECENT_NS);
        assert!(walked.is_some());
        assert_eq!(after.len(), before.len() + 1);
    }

    #[test]
    fn a_tree_of_many_recent_folders_is_not_recorded() {
        let dir = tree();
        let root = dir.path();
        std::fs::remove_file(root.join(".gitignore")).unwrap();
        for index in 0..70 {
            std::fs::create_dir_all(root.join(format!("many/f{index}"))).unwrap();
        }
        let (files, records) = run(root, &[], record::RECENT_NS);
        assert_eq!(files.len(), 4);
        assert!(records.unwrap().is_empty());
        // The same tree, trusted by its times, is recorded.
        assert_eq!(run(root, &[], 0).1.unwrap().len(), 1);
    }

    #[test]
    fn a_link_leaves_the_walk_unrecorded() {
        let dir = tree();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("pkg/a.py"), root.join("pkg/link.py")).unwrap();
        let (files, records) = run(root, &[], 0);
        assert!(files.contains(&"pkg/link.py".to_string()));
        assert!(records.unwrap().is_empty());
    }
}
