//! What a walk of a folder read, so that the next run can take its result without walking
//! again, as git's untracked cache does: a folder's entries stand while its size, times and
//! inode do, and the ignore files the walk read stand while theirs do.
//!
//! - Every folder the walk listed, and every folder it left out for holding `pyvenv.cfg`, is
//!   stamped before it is listed; so is each `.gitignore`, `.ignore` and `.git/info/exclude` in
//!   them, and in the folders above the root (where the walk reads them too).
//! - A folder changed within [`RECENT_NS`] of its stamp (a change in the same clock tick would
//!   not show in its times) is stamped by its entries instead (names, kinds, inodes), read
//!   before and after the walk; they must agree. Beyond [`MAX_RECENT_FOLDERS`] of them (a tree
//!   just cloned), the walk is not recorded; nor is it with a recent ignore file, or anything
//!   else the stamps cannot vouch for: an error, a link, a `.git` file (a worktree, whose
//!   ignore files live elsewhere).
//! - A record is used only when every stamp still matches, all of them checked; otherwise the
//!   folder is walked again and recorded anew.

use std::io;
use std::os::unix::fs::{DirEntryExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How close to the moment they were read a path's times must not be: the coarsest file
/// system clocks count in two seconds.
pub(super) const RECENT_NS: i128 = 2_000_000_000;

/// The ignore files the walk reads in a folder it lists.
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// One walk of a folder: what it read and what it found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkRecord {
    /// The folder as named on the command line, and as an absolute path.
    pub(super) root: PathBuf,
    pub(super) absolute_root: PathBuf,
    stamps: Vec<(PathBuf, Stamp)>,
    pub(super) files: Vec<PathBuf>,
    pub(super) dirs: Vec<PathBuf>,
    pub(super) packages: Vec<PathBuf>,
}

impl WalkRecord {
    /// Whether the record is of a walk of `root` from the current folder.
    pub(super) fn is_of(&self, root: &Path, absolute_root: &Path) -> bool {
        self.root == root && self.absolute_root == absolute_root
    }

    /// Whether every path the walk read is as it was.
    pub(super) fn still_holds(&self) -> bool {
        self.stamps
            .par_iter()
            .all(|(path, stamp)| stamp.still_matches(path))
    }
}

/// What a path was when the walk read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Stamp {
    Missing,
    /// A folder, for a `.git` whose only part the walk reads is `info/exclude`.
    Folder,
    Stat {
        len: u64,
        modified_ns: i128,
        changed_ns: i128,
        inode: u64,
    },
    /// The BLAKE3 hash of a folder's entries (name, kind and inode), for a folder changed too
    /// recently for its times to tell.
    Listing([u8; 32]),
}

impl Stamp {
    /// The path's stamp now: its listing when `listing`, else its `stat`.
    fn of(path: &Path, listing: bool) -> Stamp {
        if listing {
            return listing_of(path).map_or(Stamp::Missing, Stamp::Listing);
        }
        match std::fs::symlink_metadata(path) {
            Ok(metadata) => {
                let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
                Stamp::Stat {
                    len: metadata.len(),
                    modified_ns: ns(metadata.mtime(), metadata.mtime_nsec()),
                    changed_ns: ns(metadata.ctime(), metadata.ctime_nsec()),
                    inode: metadata.ino(),
                }
            }
            Err(_) => Stamp::Missing,
        }
    }

    fn is_listing(&self) -> bool {
        matches!(self, Stamp::Listing(_))
    }

    /// Whether `path` is still what this stamp says.
    fn still_matches(&self, path: &Path) -> bool {
        match self {
            Stamp::Folder => std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()),
            stamp => Stamp::of(path, stamp.is_listing()) == *stamp,
        }
    }

    /// Whether the path changed within `margin` nanoseconds of now: a change in the same clock
    /// tick would not show in its times.
    fn is_recent(&self, margin: i128) -> bool {
        let Stamp::Stat {
            modified_ns,
            changed_ns,
            ..
        } = *self
        else {
            return false;
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as i128);
        modified_ns.max(changed_ns) > now - margin
    }
}

/// The hash of a folder's entries, in name order; `None` when it cannot be listed.
fn listing_of(dir: &Path) -> Option<[u8; 32]> {
    let mut entries: Vec<(std::ffi::OsString, u64, u8)> = std::fs::read_dir(dir)
        .ok()?
        .map(|entry| {
            entry.map(|entry| {
                let kind = entry.file_type().map_or(0, |t| {
                    u8::from(t.is_dir())
                        | u8::from(t.is_file()) << 1
                        | u8::from(t.is_symlink()) << 2
                });
                (entry.file_name(), entry.ino(), kind)
            })
        })
        .collect::<io::Result<_>>()
        .ok()?;
    entries.sort_unstable();
    let mut hasher = blake3::Hasher::new();
    for (name, inode, kind) in &entries {
        let name = name.as_encoded_bytes();
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name);
        hasher.update(&inode.to_le_bytes());
        hasher.update(&[*kind]);
    }
    Some(*hasher.finalize().as_bytes())
}

/// How many recently changed folders a walk stamps by their entries before it gives up
/// recording.
const MAX_RECENT_FOLDERS: usize = 64;

/// The stamps a walk takes as it goes, from its threads.
pub(super) struct Trace {
    /// How recent a change must be for its times not to be trusted ([`RECENT_NS`]).
    recent_ns: i128,
    recent_folders: AtomicUsize,
    inner: Mutex<TraceInner>,
}

#[derive(Default)]
struct TraceInner {
    stamps: Vec<(PathBuf, Stamp)>,
    unrecordable: bool,
}

impl Trace {
    pub(super) fn new(recent_ns: i128) -> Trace {
        Trace {
            recent_ns,
            recent_folders: AtomicUsize::new(0),
            inner: Mutex::default(),
        }
    }

    /// Stamps a folder about to be listed, with the ignore files the walk will read in it.
    pub(super) fn folder(&self, dir: &Path) {
        let mut stamps = vec![(dir.to_path_buf(), self.folder_stamp(dir))];
        // A missing ignore file needs no stamp: creating one changes the folder's.
        let unrecordable = !self.ignore_file_stamps(dir, false, &mut stamps);
        self.add(stamps, unrecordable);
    }

    /// Stamps a folder left out for holding `pyvenv.cfg`: it is walked once it no longer does.
    pub(super) fn left_out(&self, dir: &Path) {
        self.add(vec![(dir.to_path_buf(), self.folder_stamp(dir))], false);
    }

    /// Stamps the ignore files of the folders above the root, which the walk reads too; their
    /// absence is stamped as well, since those folders are not.
    pub(super) fn ancestors(&self, absolute_root: &Path) {
        let mut stamps = Vec::new();
        let mut unrecordable = false;
        for dir in absolute_root.ancestors().skip(1) {
            unrecordable |= !self.ignore_file_stamps(dir, true, &mut stamps);
        }
        self.add(stamps, unrecordable);
    }

    /// Stamps the ignore files the walk reads in `dir`: `.gitignore`, `.ignore` (the missing
    /// ones and `.git` too when `missing`) and, when `dir` holds a `.git` folder,
    /// `.git/info/exclude`.
    /// `false` when the stamps cannot vouch for them: one changed too recently, or a `.git`
    /// that is not a folder (a worktree's file points elsewhere).
    fn ignore_file_stamps(
        &self,
        dir: &Path,
        missing: bool,
        stamps: &mut Vec<(PathBuf, Stamp)>,
    ) -> bool {
        let mut vouched = true;
        // `keep_missing`: whether the file's absence is stamped too.
        let mut stamp_file = |path: PathBuf, keep_missing: bool, stamps: &mut Vec<_>| {
            let stamp = Stamp::of(&path, false);
            vouched &= !stamp.is_recent(self.recent_ns);
            if keep_missing || stamp != Stamp::Missing {
                stamps.push((path, stamp));
            }
        };
        for name in IGNORE_FILES {
            stamp_file(dir.join(name), missing, stamps);
        }
        let git = dir.join(".git");
        match std::fs::symlink_metadata(&git) {
            Err(_) => {
                if missing {
                    stamps.push((git, Stamp::Missing));
                }
            }
            Ok(metadata) if metadata.is_dir() => {
                // Created inside `.git`, an exclude file changes none of the walk's folders.
                stamp_file(git.join("info").join("exclude"), true, stamps);
                stamps.push((git, Stamp::Folder));
            }
            Ok(_) => return false,
        }
        vouched
    }

    /// A folder's stamp: its `stat`, or its entries when it changed too recently. A tree with
    /// many recent folders (just cloned or copied) is not recorded: listing each twice would
    /// cost more than the walk, and the next run records it.
    fn folder_stamp(&self, dir: &Path) -> Stamp {
        let stamp = Stamp::of(dir, false);
        if !stamp.is_recent(self.recent_ns) {
            return stamp;
        }
        if self.recent_folders.fetch_add(1, Ordering::Relaxed) >= MAX_RECENT_FOLDERS {
            self.unrecordable();
            return stamp;
        }
        Stamp::of(dir, true)
    }

    /// Marks the walk as one its stamps cannot vouch for.
    pub(super) fn unrecordable(&self) {
        self.lock().unrecordable = true;
    }

    fn add(&self, stamps: Vec<(PathBuf, Stamp)>, unrecordable: bool) {
        let mut inner = self.lock();
        inner.stamps.extend(stamps);
        inner.unrecordable |= unrecordable;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TraceInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The record of the walk, unless something in it cannot be vouched for: the folders
    /// stamped by their entries are listed again, and must not have changed during the walk.
    pub(super) fn finish(
        self,
        root: &Path,
        absolute_root: &Path,
        files: &[PathBuf],
        dirs: &[PathBuf],
        packages: &[PathBuf],
    ) -> Option<WalkRecord> {
        let inner = self.inner.into_inner().unwrap_or_else(|e| e.into_inner());
        // Paths are stored as text: a walk that met a name that is not UTF-8 is not recorded.
        let not_text = [root, absolute_root]
            .into_iter()
            .chain(inner.stamps.iter().map(|(path, _)| path.as_path()))
            .chain(
                [files, dirs, packages]
                    .into_iter()
                    .flatten()
                    .map(PathBuf::as_path),
            )
            .any(|path| path.to_str().is_none());
        if inner.unrecordable
            || not_text
            || !inner
                .stamps
                .iter()
                .filter(|(_, stamp)| stamp.is_listing())
                .all(|(path, stamp)| stamp.still_matches(path))
        {
            return None;
        }
        Some(WalkRecord {
            root: root.to_path_buf(),
            absolute_root: absolute_root.to_path_buf(),
            stamps: inner.stamps,
            files: files.to_vec(),
            dirs: dirs.to_vec(),
            packages: packages.to_vec(),
        })
    }
}
