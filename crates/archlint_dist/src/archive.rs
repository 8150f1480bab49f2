//! Reading a wheel (zip) or an sdist (`.tar.gz`, legacy `.zip`) in place, never extracting
//! it, as hostile input: every member's name, kind, size and SHA-256, the content of the few
//! members the checks read, and the problems met on the way (unsafe names and links, sizes
//! past the limits, corrupt data). Nothing here panics or follows a link; a member is read
//! through a limit even when its header says it is small, because headers can lie.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use sha2::{Digest, Sha256};

/// The kind of archive, from the file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Wheel,
    TarGz,
    /// A legacy sdist in a `.zip`.
    Zip,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".whl") {
            Some(Format::Wheel)
        } else if name.ends_with(".tar.gz") {
            Some(Format::TarGz)
        } else if name.ends_with(".zip") {
            Some(Format::Zip)
        } else {
            None
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    Hardlink(String),
    /// Devices, FIFOs and other tar entries that are not files.
    Special,
}

#[derive(Clone, Debug)]
pub struct Member {
    /// The name as stored (lossily decoded when it is not UTF-8).
    pub name: String,
    pub kind: EntryKind,
    /// The bytes actually read (never more than the limits allow).
    pub size: u64,
    /// `None` when the member was not read (a link, or skipped for a limit or an error).
    pub sha256: Option<[u8; 32]>,
    /// The content, for the members the checks read (metadata files).
    pub content: Option<Vec<u8>>,
}

impl Member {
    pub fn text(&self) -> Option<String> {
        self.content
            .as_ref()
            .map(|c| String::from_utf8_lossy(c).into_owned())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A name with `..` or an absolute path, a link, a special file, a non-UTF-8 name.
    Unsafe,
    /// Past the size, ratio or count limits.
    Bomb,
    /// Not a readable archive, or a member whose data is broken.
    Corrupt,
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    pub member: Option<String>,
    pub message: String,
}

/// How much an archive may expand to before reading stops.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Total uncompressed bytes over all members.
    pub max_total: u64,
    /// Largest expansion (uncompressed / compressed) allowed for a member over `ratio_floor`.
    pub max_ratio: u64,
    pub ratio_floor: u64,
    pub max_members: usize,
    /// Largest member whose content is kept for the checks.
    pub max_kept: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total: 2 * 1024 * 1024 * 1024,
            max_ratio: 100,
            ratio_floor: 1024 * 1024,
            max_members: 100_000,
            max_kept: 16 * 1024 * 1024,
        }
    }
}

pub struct Archive {
    pub path: PathBuf,
    pub format: Format,
    pub members: Vec<Member>,
    pub problems: Vec<Problem>,
    /// Names listed more than once (for a zip, the central directory only says that some are).
    pub duplicates: Vec<String>,
    /// Whether the zip's central directory lists a name twice.
    pub zip_has_duplicates: bool,
}

impl Archive {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    fn problem(&mut self, kind: ProblemKind, member: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            member: member.map(str::to_string),
            message: message.into(),
        });
    }

    /// Checks a member's name before anything is read; `false` when it must not be read.
    fn check_name(&mut self, raw: &[u8]) -> (String, bool) {
        let name = String::from_utf8_lossy(raw).into_owned();
        if std::str::from_utf8(raw).is_err() {
            self.problem(
                ProblemKind::Unsafe,
                Some(&name),
                "name is not valid UTF-8; tools decode it differently, so it can extract to another path than the one shown",
            );
        }
        if let Some(reason) = unsafe_path(&name) {
            self.problem(ProblemKind::Unsafe, Some(&name), reason);
            return (name, false);
        }
        (name, true)
    }
}

/// Why a member name would write outside the extraction folder, if it would.
pub fn unsafe_path(name: &str) -> Option<&'static str> {
    if name.contains('\0') {
        return Some("name contains a NUL byte");
    }
    let bytes = name.as_bytes();
    if name.starts_with('/')
        || name.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
    {
        return Some("absolute path: extracting it writes outside the target folder");
    }
    if name.split(['/', '\\']).any(|part| part == "..") {
        return Some(
            "path with a `..` component: extracting it can write outside the target folder",
        );
    }
    None
}

/// Opens and reads the archive at `path`; `keep` says which members' content to keep.
pub fn read(path: &Path, format: Format, limits: &Limits, keep: &dyn Fn(&str) -> bool) -> Archive {
    let mut archive = Archive {
        path: path.to_path_buf(),
        format,
        members: Vec::new(),
        problems: Vec::new(),
        duplicates: Vec::new(),
        zip_has_duplicates: false,
    };
    match File::open(path) {
        Ok(file) => match format {
            Format::Wheel | Format::Zip => read_zip(&mut archive, file, limits, keep),
            Format::TarGz => read_tar(&mut archive, file, limits, keep),
        },
        Err(e) => archive.problem(
            ProblemKind::Corrupt,
            None,
            format!("cannot open the file: {e}"),
        ),
    }
    let mut seen = rustc_hash::FxHashSet::default();
    let mut duplicates = Vec::new();
    for member in &archive.members {
        if !seen.insert(member.name.as_str()) && member.kind != EntryKind::Dir {
            duplicates.push(member.name.clone());
        }
    }
    archive.duplicates = duplicates;
    archive
}

/// What reading one member's data gave.
struct Content {
    size: u64,
    sha256: [u8; 32],
    content: Option<Vec<u8>>,
    /// More bytes came than the header declared (reading stopped there).
    overrun: bool,
    /// `stop` asked to stop (a ratio limit).
    stopped: bool,
}

/// Reads at most `declared.min(budget)` bytes and one more (to see an overrun), hashing them;
/// `stop(bytes read so far)` is asked after each chunk.
fn read_limited(
    reader: &mut dyn Read,
    declared: u64,
    budget: u64,
    keep: bool,
    stop: &dyn Fn(u64) -> bool,
) -> io::Result<Content> {
    let limit = declared.min(budget);
    let mut limited = reader.take(limit.saturating_add(1));
    let mut hasher = Sha256::new();
    let mut kept = keep.then(Vec::new);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    let mut stopped = false;
    loop {
        let n = match limited.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        let chunk = &buffer[..n];
        hasher.update(chunk);
        if let Some(kept) = kept.as_mut() {
            kept.extend_from_slice(chunk);
        }
        if stop(size) {
            stopped = true;
            break;
        }
    }
    Ok(Content {
        size: size.min(limit),
        sha256: hasher.finalize().into(),
        content: kept,
        overrun: size > declared,
        stopped,
    })
}

fn mib(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn read_zip(archive: &mut Archive, file: File, limits: &Limits, keep: &dyn Fn(&str) -> bool) {
    let mut zip = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(zip) => zip,
        Err(e) => {
            archive.problem(
                ProblemKind::Corrupt,
                None,
                format!("is not a readable zip archive: {e}"),
            );
            return;
        }
    };
    archive.zip_has_duplicates = zip.has_duplicate_names();
    if zip.len() > limits.max_members {
        archive.problem(
            ProblemKind::Bomb,
            None,
            format!(
                "{} members, more than the limit of {}; not read",
                zip.len(),
                limits.max_members
            ),
        );
        return;
    }
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(e) => {
                archive.problem(
                    ProblemKind::Corrupt,
                    None,
                    format!("member #{index} cannot be read: {e}"),
                );
                continue;
            }
        };
        let raw = entry.name_raw().to_vec();
        let declared = entry.size();
        let compressed = entry.compressed_size();
        let is_dir = entry.is_dir();
        let is_symlink = entry.is_symlink();
        let (name, safe) = archive.check_name(&raw);
        if is_symlink {
            archive.problem(
                ProblemKind::Unsafe,
                Some(&name),
                "symbolic link: extracting it can make later members write outside the target folder",
            );
            archive.members.push(Member {
                name,
                kind: EntryKind::Symlink(String::new()),
                size: 0,
                sha256: None,
                content: None,
            });
            continue;
        }
        let kind = if is_dir {
            EntryKind::Dir
        } else {
            EntryKind::File
        };
        let mut member = Member {
            name,
            kind,
            size: declared,
            sha256: None,
            content: None,
        };
        if !safe || is_dir {
            archive.members.push(member);
            continue;
        }
        let budget = limits.max_total.saturating_sub(total);
        if declared > budget {
            let message = format!(
                "declares {} uncompressed, past the limit of {} for the whole archive; not read",
                mib(declared),
                mib(limits.max_total)
            );
            archive.problem(ProblemKind::Bomb, Some(&member.name), message);
            archive.members.push(member);
            continue;
        }
        if declared > limits.ratio_floor && declared > compressed.saturating_mul(limits.max_ratio) {
            let message = format!(
                "expands {} compressed to {} ({}:1, past the limit of {}:1); not read",
                mib(compressed),
                mib(declared),
                declared / compressed.max(1),
                limits.max_ratio
            );
            archive.problem(ProblemKind::Bomb, Some(&member.name), message);
            archive.members.push(member);
            continue;
        }
        let keep_it = keep(&member.name) && declared <= limits.max_kept;
        match read_limited(&mut entry, declared, budget, keep_it, &|_| false) {
            Ok(content) => {
                total += content.size;
                if content.overrun {
                    let message = format!(
                        "decompresses past the {} its header declares; reading stopped there",
                        mib(declared)
                    );
                    archive.problem(ProblemKind::Bomb, Some(&member.name), message);
                } else {
                    member.size = content.size;
                    member.sha256 = Some(content.sha256);
                    member.content = content.content;
                }
            }
            Err(e) => {
                let message = format!("data cannot be read: {e}");
                archive.problem(ProblemKind::Corrupt, Some(&member.name), message);
            }
        }
        archive.members.push(member);
    }
}

/// Counts the compressed bytes the gzip decoder has taken, for the per-member ratio.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

fn read_tar(archive: &mut Archive, file: File, limits: &Limits, keep: &dyn Fn(&str) -> bool) {
    let count = Rc::new(Cell::new(0u64));
    let counting = Counting {
        inner: file,
        count: Rc::clone(&count),
    };
    let mut tar = tar::Archive::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
        16 * 1024,
        counting,
    )));
    let entries = match tar.entries() {
        Ok(entries) => entries,
        Err(e) => {
            archive.problem(
                ProblemKind::Corrupt,
                None,
                format!("is not a readable tar.gz archive: {e}"),
            );
            return;
        }
    };
    let mut total = 0u64;
    for entry in entries {
        if archive.members.len() >= limits.max_members {
            let message = format!("more than {} members; reading stopped", limits.max_members);
            archive.problem(ProblemKind::Bomb, None, message);
            return;
        }
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let message = if archive.members.is_empty() {
                    format!("is not a readable tar.gz archive: {e}")
                } else {
                    format!("broken after {} members: {e}", archive.members.len())
                };
                archive.problem(ProblemKind::Corrupt, None, message);
                return;
            }
        };
        let header = entry.header();
        let entry_type = header.entry_type();
        if entry_type.is_pax_global_extensions() || entry_type.is_pax_local_extensions() {
            continue;
        }
        let declared = header.size().unwrap_or(u64::MAX);
        let raw = entry.path_bytes().into_owned();
        let link = entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default();
        let (name, safe) = archive.check_name(&raw);
        let kind = if entry_type.is_dir() {
            EntryKind::Dir
        } else if entry_type.is_symlink() {
            EntryKind::Symlink(link)
        } else if entry_type.is_hard_link() {
            EntryKind::Hardlink(link)
        } else if entry_type.is_file() || entry_type.is_contiguous() {
            EntryKind::File
        } else {
            EntryKind::Special
        };
        let mut member = Member {
            name,
            kind,
            size: declared,
            sha256: None,
            content: None,
        };
        match &member.kind {
            EntryKind::Symlink(target) | EntryKind::Hardlink(target) => {
                let what = if matches!(member.kind, EntryKind::Symlink(_)) {
                    "symbolic"
                } else {
                    "hard"
                };
                let message = format!(
                    "{what} link to `{target}`: extracting it can make later members write outside the target folder"
                );
                archive.problem(ProblemKind::Unsafe, Some(&member.name), message);
                archive.members.push(member);
                continue;
            }
            EntryKind::Special => {
                let message =
                    "device, FIFO or other special file: an sdist holds files and folders only";
                archive.problem(ProblemKind::Unsafe, Some(&member.name), message);
                archive.members.push(member);
                continue;
            }
            EntryKind::Dir => {
                archive.members.push(member);
                continue;
            }
            EntryKind::File => {}
        }
        let budget = limits.max_total.saturating_sub(total);
        if declared > budget {
            // Skipping the member means decompressing it: stop reading the archive.
            let message = format!(
                "declares {} uncompressed, past the limit of {} for the whole archive; reading stopped",
                mib(declared),
                mib(limits.max_total)
            );
            archive.problem(ProblemKind::Bomb, Some(&member.name), message);
            archive.members.push(member);
            return;
        }
        let start = count.get();
        let ratio_exceeded = |read: u64| {
            // The decoder reads ahead by one buffer; give it that much slack.
            let consumed = count.get().saturating_sub(start) + 16 * 1024;
            read > limits.ratio_floor && read > consumed.saturating_mul(limits.max_ratio)
        };
        let keep_it = keep(&member.name) && declared <= limits.max_kept;
        let safe_to_keep = keep_it && safe;
        match read_limited(&mut entry, declared, budget, safe_to_keep, &ratio_exceeded) {
            Ok(content) if content.stopped => {
                let message = format!(
                    "expands more than {}:1 (past {} read); reading stopped",
                    limits.max_ratio,
                    mib(content.size)
                );
                archive.problem(ProblemKind::Bomb, Some(&member.name), message);
                archive.members.push(member);
                return;
            }
            Ok(content) => {
                total += content.size;
                if content.size < declared {
                    let message = format!(
                        "data ends after {} of the {} bytes its header declares",
                        content.size, declared
                    );
                    archive.problem(ProblemKind::Corrupt, Some(&member.name), message);
                    archive.members.push(member);
                    return;
                }
                member.sha256 = Some(content.sha256);
                member.content = content.content;
                archive.members.push(member);
            }
            Err(e) => {
                let message = format!("data cannot be read: {e}");
                archive.problem(ProblemKind::Corrupt, Some(&member.name), message);
                archive.members.push(member);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_after_the_declared_size() {
        let data = vec![7u8; 1000];
        let content = read_limited(&mut data.as_slice(), 10, u64::MAX, true, &|_| false).unwrap();
        assert!(content.overrun);
        assert_eq!(content.size, 10);
        assert!(content.content.unwrap().len() <= 11);
    }

    #[test]
    fn reading_stops_at_the_budget() {
        let data = vec![7u8; 1000];
        let content = read_limited(&mut data.as_slice(), 1000, 100, false, &|_| false).unwrap();
        assert_eq!(content.size, 100);
        assert!(!content.overrun);
    }

    #[test]
    fn unsafe_names() {
        assert!(unsafe_path("../x").is_some());
        assert!(unsafe_path("a/../../x").is_some());
        assert!(unsafe_path("/etc/passwd").is_some());
        assert!(unsafe_path("C:\\x").is_some());
        assert!(unsafe_path("a/..b/c").is_none());
        assert!(unsafe_path("pkg/__init__.py").is_none());
    }
}
