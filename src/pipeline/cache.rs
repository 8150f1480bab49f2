//! The cache of `archlint check`: what checking one file gave (its findings and its facts),
//! kept by the file's path and reused while the file's content, archlint itself and the
//! settings stay the same. A file reused is neither parsed nor walked; the project-wide rules
//! run on its cached facts as on fresh ones, so the output is the same, byte for byte.
//!
//! - **Key.** A folder per key, `<cache dir>/<key>/`: the key hashes the cache format,
//!   archlint's version, the size and time of its binary (a rebuilt archlint is another
//!   archlint) and every setting (the `Debug` text of [`Settings`]: selected rules, options,
//!   severities, roles, pytest's configuration…). An entry is used only when the file's path,
//!   the BLAKE3 hash of its content and what the file is (module, package, role) all match.
//!   A file whose size, times and inode are those recorded with the hash is not even read,
//!   as git's index does; times within two seconds of the hashing are not recorded, since a
//!   change in the same clock tick would not show in them.
//! - **Shards.** A file's entry goes in one of [`SHARDS`] files by its path; a shard is
//!   written whole and atomically (a temporary file renamed over it) and only when one of its
//!   entries changed, so a concurrent run reads the old shard or the new one, and two runs
//!   writing the same shard lose at most the other's new entries.
//! - **Never trusted.** A shard starts with a header naming the format and the key and ends
//!   with the hash of its body; a shard that is truncated, corrupt or written for another key
//!   is ignored, and rewritten by the next run that checks one of its files.
//! - **Bounded.** The [`KEPT_KEYS`] most recently used keys are kept and older ones deleted;
//!   entries of files that no longer exist are dropped when their shard is written.
//! - **The walk.** The folders named are not walked again while the record of their last walk
//!   holds: every folder it listed and every ignore file it read is stamped, as git's untracked
//!   cache does (see `archlint_project::discover::record`). The records are in `walks.bin`, in
//!   the key's folder, framed as a shard is.
//! - The cache folder holds a `.gitignore` (`*`) and a `CACHEDIR.TAG`, as ruff's does, so it
//!   is neither committed nor backed up.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use archlint_facts::ModuleFacts;
use archlint_project::discover::WalkRecord;
use archlint_project::settings::Settings;
use archlint_rules::registry;
use archlint_source::write::{write_cache_file, write_file};
use archlint_vocabulary::diagnostic::{Diagnostic, Location, Snippet};
use archlint_vocabulary::{Confidence, Role, Severity};

use super::FileIdentity;

/// How many files the entries are spread over: a changed file rewrites one of them.
const SHARDS: usize = 64;
/// How many keys (versions of archlint and of the settings) keep their entries.
const KEPT_KEYS: usize = 8;
/// The first bytes of a shard, then the format number.
const MAGIC: &[u8] = b"archlint check cache\n";
/// Raised whenever what a shard holds changes shape.
const FORMAT: u32 = 2;
/// The file of the walks' records, in a key's folder.
const WALKS: &str = "walks.bin";
/// The folder's name under the project when no other is configured.
pub const DEFAULT_FOLDER: &str = ".archlint_cache";

const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by archlint.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// What `stat` says of a file: while it is the same, the file is not read again (as git's
/// index does), and the content hash recorded with it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl FileStat {
    pub fn of(path: &Path) -> Option<FileStat> {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        let ns = |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Some(FileStat {
            len: metadata.len(),
            modified_ns: ns(metadata.mtime(), metadata.mtime_nsec()),
            changed_ns: ns(metadata.ctime(), metadata.ctime_nsec()),
            inode: metadata.ino(),
        })
    }

    /// Whether the file changed long enough ago that a later change would change its times:
    /// a file written in the same clock tick as it was read could change again unseen ("racy
    /// git"), so its stat is not kept and the next run reads it.
    fn settled(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as i128);
        let margin = 2_000_000_000;
        self.modified_ns.max(self.changed_ns) < now - margin
    }
}

/// How a file is looked up: by what `stat` says before reading it, or by its content.
pub enum Lookup<'a> {
    Stat(&'a FileStat),
    Content(&'a ContentHash),
}

/// Every rule by its code: each cached finding is given its rule back.
static RULES_BY_CODE: std::sync::LazyLock<
    FxHashMap<&'static str, &'static archlint_vocabulary::Rule>,
> = std::sync::LazyLock::new(|| {
    registry::RULES
        .iter()
        .map(|definition| (definition.rule.code, &definition.rule))
        .collect()
});

/// The BLAKE3 hash of a file's text.
pub type ContentHash = [u8; 32];

pub fn content_hash(source: &str) -> ContentHash {
    *blake3::hash(source.as_bytes()).as_bytes()
}

/// The cache of one run: the entries read for its key, and the ones the run adds.
pub struct Cache {
    /// The cache folder (holding one folder per key).
    root: PathBuf,
    key: ContentHash,
    /// The entries read, by shard: read by a thread of their own while the run discovers
    /// its files, and waited for at the first lookup.
    shards: OnceLock<Vec<Shard>>,
    reading: Mutex<Option<std::thread::JoinHandle<Vec<Shard>>>>,
    fresh: Mutex<Vec<Entry>>,
    /// The walks of the folders checked, as the last run that walked them recorded them, and
    /// the records of this run's walks when it walked.
    walks: Vec<WalkRecord>,
    fresh_walks: Mutex<Option<Vec<WalkRecord>>>,
    asked: AtomicUsize,
    reused: AtomicUsize,
}

/// The entries of one shard file, by absolute path.
type Shard = FxHashMap<PathBuf, Entry>;

/// What checking one file gave, with what identifies the file and its content.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The file's absolute path: the shard is chosen by it and it is checked for existence.
    absolute: PathBuf,
    /// The path as the run named it, which the findings carry.
    path: PathBuf,
    content: ContentHash,
    /// The file's size, times and inode when its content was hashed, unless it changed too
    /// recently for them to tell a later change (see [`FileStat::settled`]).
    stat: Option<FileStat>,
    module: Option<String>,
    is_package: bool,
    role: Role,
    /// [`Outcome`], encoded: decoded only when the entry is used.
    #[serde(with = "serde_bytes")]
    outcome: Vec<u8>,
}

#[derive(Deserialize)]
struct Outcome {
    diagnostics: Vec<CachedDiagnostic>,
    facts: Option<ModuleFacts>,
}

/// [`Outcome`] as written: borrowed from what the check gave, in the same encoding.
#[derive(Serialize)]
struct OutcomeRef<'a> {
    diagnostics: Vec<CachedDiagnosticRef<'a>>,
    facts: Option<&'a ModuleFacts>,
}

/// A finding without what its rule code gives back (name, chapter) or the path (the file's).
#[derive(Deserialize)]
struct CachedDiagnostic {
    code: String,
    severity: Severity,
    confidence: Option<Confidence>,
    message: String,
    start: Location,
    end: Location,
    offset: (u32, u32),
    snippet: Option<Snippet>,
}

#[derive(Serialize)]
struct CachedDiagnosticRef<'a> {
    code: &'a str,
    severity: Severity,
    confidence: Option<Confidence>,
    message: &'a str,
    start: Location,
    end: Location,
    offset: (u32, u32),
    snippet: &'a Option<Snippet>,
}

impl Cache {
    /// The cache for `settings` in `folder` (created when missing), with the entries of its key
    /// that can be read. Fails only when the folder cannot be created.
    pub fn open(folder: &Path, settings: &Settings) -> io::Result<Cache> {
        std::fs::create_dir_all(folder)?;
        for (name, text) in [
            (".gitignore", "# Created by archlint.\n*\n"),
            ("CACHEDIR.TAG", CACHEDIR_TAG),
        ] {
            let path = folder.join(name);
            if std::fs::symlink_metadata(&path).is_err() {
                write_file(&path, text.as_bytes())?;
            }
        }
        let key = key(settings);
        let keyed = folder.join(hex(&key));
        let walks = std::fs::read(keyed.join(WALKS))
            .ok()
            .and_then(|bytes| decode_framed(&bytes, &key))
            .unwrap_or_default();
        let read_all = move || {
            (0..SHARDS)
                .into_par_iter()
                .map(|index| read_shard(&keyed.join(shard_name(index)), &key))
                .collect()
        };
        let shards = OnceLock::new();
        let reading = match std::thread::Builder::new().spawn(read_all.clone()) {
            Ok(thread) => Some(thread),
            Err(_) => {
                let _ = shards.set(read_all());
                None
            }
        };
        Ok(Cache {
            root: folder.to_path_buf(),
            key,
            shards,
            reading: Mutex::new(reading),
            fresh: Mutex::new(Vec::new()),
            walks,
            fresh_walks: Mutex::new(None),
            asked: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        })
    }

    /// The walks recorded by the last run that walked the folders checked.
    pub fn walks(&self) -> &[WalkRecord] {
        &self.walks
    }

    /// Keeps the records of this run's walks, to be written by [`Cache::save`].
    pub fn keep_walks(&self, walks: Vec<WalkRecord>) {
        *self.fresh_walks.lock().unwrap_or_else(|e| e.into_inner()) = Some(walks);
    }

    /// Whether this run walked a folder (rather than taking its files from the record).
    pub fn walked(&self) -> bool {
        self.fresh_walks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Waits for the thread reading the entries. It reads them on rayon's pool, so it must
    /// be waited for by a thread outside the pool before the pool's threads look files up:
    /// they would otherwise all wait for a reading no thread is left to do.
    pub fn wait_until_read(&self) {
        self.shards();
    }

    /// The entries read, once the thread reading them is done (none if it failed).
    fn shards(&self) -> &[Shard] {
        self.shards.get_or_init(|| {
            let thread = self
                .reading
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            thread
                .and_then(|thread| thread.join().ok())
                .unwrap_or_else(|| (0..SHARDS).map(|_| Shard::default()).collect())
        })
    }

    /// How many files this run took from the cache, of how many it looked up.
    pub fn reused(&self) -> (usize, usize) {
        (
            self.reused.load(Ordering::Relaxed),
            self.asked.load(Ordering::Relaxed),
        )
    }

    /// Counts a file looked up (once, whether by stat, content or both).
    pub fn ask(&self) {
        self.asked.fetch_add(1, Ordering::Relaxed);
    }

    /// The findings and facts cached for the file at `path` with this identity, when its
    /// stat or its content is the one recorded.
    pub fn get(
        &self,
        path: &Path,
        lookup: Lookup,
        identity: &FileIdentity,
    ) -> Option<(Vec<Diagnostic>, Option<ModuleFacts>)> {
        let absolute = archlint_source::path::absolute(path).ok()?;
        let entry = self.shards()[shard_of(&absolute)].get(&absolute)?;
        let same = match lookup {
            Lookup::Stat(stat) => entry.stat.as_ref() == Some(stat),
            Lookup::Content(content) => entry.content == *content,
        };
        if !same
            || entry.path != path
            || entry.module != identity.module
            || entry.is_package != identity.is_package
            || entry.role != identity.role
        {
            return None;
        }
        let outcome: Outcome = postcard::from_bytes(&entry.outcome).ok()?;
        let diagnostics = outcome
            .diagnostics
            .into_iter()
            .map(|cached| {
                let rule = *RULES_BY_CODE.get(cached.code.as_str())?;
                let mut d = Diagnostic::for_file(rule, path.to_path_buf(), cached.message);
                d.severity = cached.severity;
                d.confidence = cached.confidence;
                d.start = cached.start;
                d.end = cached.end;
                d.offset = cached.offset;
                d.snippet = cached.snippet;
                Some(d)
            })
            .collect::<Option<Vec<_>>>()?;
        let facts = outcome.facts.map(|mut facts| {
            facts.path = path.to_path_buf();
            facts
        });
        if facts.as_ref().is_some_and(|facts| {
            facts.module != identity.module
                || facts.is_package != identity.is_package
                || facts.role != identity.role
        }) {
            return None;
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some((diagnostics, facts))
    }

    /// Keeps what checking the file at `path` gave, to be written by [`Cache::save`]. A file
    /// whose findings could not be rebuilt exactly from the entry is not kept.
    pub fn put(
        &self,
        path: &Path,
        content: ContentHash,
        stat: Option<FileStat>,
        identity: &FileIdentity,
        diagnostics: &[Diagnostic],
        facts: Option<&ModuleFacts>,
    ) {
        let rebuilt = |d: &Diagnostic| {
            d.path == path
                && d.role.is_none()
                && RULES_BY_CODE.get(d.code).is_some_and(|rule| {
                    std::ptr::eq(*rule, d.rule)
                        && d.name == rule.name
                        && d.chapter == rule.chapter()
                })
        };
        // Paths are stored as text: a file whose name is not UTF-8 is checked every time.
        if path.to_str().is_none() || !diagnostics.iter().all(rebuilt) {
            return;
        }
        let Ok(absolute) = archlint_source::path::absolute(path) else {
            return;
        };
        let outcome = OutcomeRef {
            diagnostics: diagnostics
                .iter()
                .map(|d| CachedDiagnosticRef {
                    code: d.code,
                    severity: d.severity,
                    confidence: d.confidence,
                    message: &d.message,
                    start: d.start,
                    end: d.end,
                    offset: d.offset,
                    snippet: &d.snippet,
                })
                .collect(),
            facts,
        };
        let Ok(outcome) = postcard::to_allocvec(&outcome) else {
            return;
        };
        let entry = Entry {
            absolute,
            path: path.to_path_buf(),
            content,
            stat: stat.filter(FileStat::settled),
            module: identity.module.clone(),
            is_package: identity.is_package,
            role: identity.role,
            outcome,
        };
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
    }

    /// Writes the shards this run changed, then deletes the folders of the keys least
    /// recently used beyond [`KEPT_KEYS`].
    pub fn save(self) -> io::Result<()> {
        self.wait_until_read();
        let keyed = self.root.join(hex(&self.key));
        std::fs::create_dir_all(&keyed)?;
        let mut changed: Vec<Vec<Entry>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for entry in self.fresh.into_inner().unwrap_or_else(|e| e.into_inner()) {
            changed[shard_of(&entry.absolute)].push(entry);
        }
        let written: io::Result<()> = self
            .shards
            .into_inner()
            .unwrap_or_default()
            .into_par_iter()
            .zip(changed)
            .enumerate()
            .filter(|(_, (_, fresh))| !fresh.is_empty())
            .map(|(index, (mut old, fresh))| {
                for entry in &fresh {
                    old.remove(&entry.absolute);
                }
                let mut entries: Vec<Entry> = old
                    .into_values()
                    .filter(|entry| std::fs::symlink_metadata(&entry.absolute).is_ok())
                    .chain(fresh)
                    .collect();
                // The same bytes for the same entries, whatever order the threads kept.
                entries.sort_by(|a, b| a.absolute.cmp(&b.absolute));
                write_framed(&keyed.join(shard_name(index)), &self.key, &entries)
            })
            .collect();
        let walks = match self
            .fresh_walks
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
        {
            Some(walks) => write_framed(&keyed.join(WALKS), &self.key, &walks),
            None => Ok(()),
        };
        touch(&keyed);
        prune(&self.root);
        written.and(walks)
    }
}

/// The hash that names the folder of this archlint's entries for these settings.
fn key(settings: &Settings) -> ContentHash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(binary) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    {
        hasher.update(&binary.len().to_le_bytes());
        if let Some(since) = binary
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        {
            hasher.update(&since.as_nanos().to_le_bytes());
        }
    }
    hasher.update(format!("{settings:?}").as_bytes());
    *hasher.finalize().as_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn shard_name(index: usize) -> String {
    format!("shard-{index:02}.bin")
}

fn shard_of(absolute: &Path) -> usize {
    usize::from(blake3::hash(absolute.as_os_str().as_encoded_bytes()).as_bytes()[0]) % SHARDS
}

/// The entries of a shard, or none when it is missing or cannot be trusted.
fn read_shard(path: &Path, key: &ContentHash) -> Shard {
    let Ok(bytes) = std::fs::read(path) else {
        return FxHashMap::default();
    };
    decode_framed::<Entry>(&bytes, key)
        .map(|entries| {
            entries
                .into_iter()
                .map(|entry| (entry.absolute.clone(), entry))
                .collect()
        })
        .unwrap_or_default()
}

/// The items a cache file holds, when its header names this format and key and its body is
/// whole.
fn decode_framed<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    key: &ContentHash,
) -> Option<Vec<T>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (format, rest) = rest.split_first_chunk::<4>()?;
    let (stored_key, rest) = rest.split_first_chunk::<32>()?;
    let (body, checksum) = rest.split_last_chunk::<32>()?;
    if u32::from_le_bytes(*format) != FORMAT
        || stored_key != key
        || blake3::hash(body).as_bytes() != checksum
    {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// Writes `items` with the header and checksum [`decode_framed`] checks.
fn write_framed<T: Serialize>(path: &Path, key: &ContentHash, items: &[T]) -> io::Result<()> {
    let body = postcard::to_allocvec(items).map_err(io::Error::other)?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + 4 + 32 + body.len() + 32);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(key);
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(blake3::hash(&body).as_bytes());
    write_cache_file(path, &bytes)
}

/// Marks the key's folder as used now (its time orders the keys for [`prune`]).
fn touch(folder: &Path) {
    if let Ok(file) = std::fs::File::open(folder) {
        let _ = file.set_modified(std::time::SystemTime::now());
    }
}

/// Deletes the folders of the keys least recently used beyond [`KEPT_KEYS`]: only folders
/// named as keys are, never a link or anything else in the cache folder.
fn prune(root: &Path) {
    let Ok(listing) = std::fs::read_dir(root) else {
        return;
    };
    let mut keys: Vec<(std::time::SystemTime, PathBuf)> = listing
        .flatten()
        .filter(|item| {
            let name = item.file_name();
            let name = name.to_string_lossy();
            name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
        })
        .filter_map(|item| {
            let metadata = std::fs::symlink_metadata(item.path()).ok()?;
            if !metadata.is_dir() {
                return None;
            }
            Some((metadata.modified().ok()?, item.path()))
        })
        .collect();
    keys.sort_by_key(|(used, _)| std::cmp::Reverse(*used));
    for (_, folder) in keys.into_iter().skip(KEPT_KEYS) {
        let _ = std::fs::remove_dir_all(folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_most_recently_used_keys_are_kept_and_nothing_else_is_touched() {
        let root = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let mut keys = Vec::new();
        for index in 0..KEPT_KEYS + 3 {
            let folder = root.path().join(hex(&[index as u8; 32]));
            std::fs::create_dir(&folder).unwrap();
            std::fs::write(folder.join(shard_name(0)), "entries").unwrap();
            let time = old + std::time::Duration::from_secs(index as u64 * 60);
            std::fs::File::open(&folder)
                .unwrap()
                .set_modified(time)
                .unwrap();
            keys.push(folder);
        }
        let elsewhere = tempfile::tempdir().unwrap();
        let linked = root.path().join(hex(&[0xee; 32]));
        std::os::unix::fs::symlink(elsewhere.path(), &linked).unwrap();
        std::fs::create_dir(root.path().join("mine")).unwrap();
        prune(root.path());
        let kept: Vec<bool> = keys.iter().map(|folder| folder.exists()).collect();
        assert_eq!(kept.iter().filter(|kept| **kept).count(), KEPT_KEYS);
        assert!(kept[..3].iter().all(|kept| !kept), "the oldest go first");
        assert!(linked.exists() && elsewhere.path().exists());
        assert!(root.path().join("mine").exists());
    }

    #[test]
    fn a_shard_is_read_back_only_with_its_key_and_checksum() {
        let key = [7; 32];
        let entry = Entry {
            absolute: PathBuf::from("/p/a.py"),
            path: PathBuf::from("a.py"),
            content: content_hash("x = 1\n"),
            stat: None,
            module: Some("a".to_string()),
            is_package: false,
            role: Role::Package,
            outcome: vec![1, 2, 3],
        };
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(shard_name(0));
        write_framed(&path, &key, &[entry]).unwrap();
        let read = read_shard(&path, &key);
        assert_eq!(read[Path::new("/p/a.py")].outcome, [1, 2, 3]);
        assert!(read_shard(&path, &[8; 32]).is_empty());
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, MAGIC.len(), bytes.len() - 1] {
            assert!(decode_framed::<Entry>(&bytes[..cut], &key).is_none());
        }
        let mut flipped = bytes.clone();
        flipped[MAGIC.len() + 40] ^= 1;
        assert!(decode_framed::<Entry>(&flipped, &key).is_none());
    }
}
