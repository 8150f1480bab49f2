//! Writing files without damaging what is there: reports, baselines, stubs, checksums, the
//! advisory database and source files given suppression comments all go through
//! [`write_file`].
//!
//! - A regular file, or a path that does not exist yet, is replaced atomically: the contents go
//!   to a temporary file in the same folder, which is renamed over the path once complete, so
//!   a reader sees the old file or the new one, never half of one. The new file keeps the old
//!   one's mode (and owner, when archlint may set it); a new file gets `0666` less the umask.
//! - A symbolic link is followed: the link stays, and the file it names is replaced, in that
//!   file's own folder.
//! - A character or block device, a FIFO or a socket, and anything reached through `/dev` or
//!   `/proc` (`/dev/stdout`, `/dev/fd/3`), is opened and written through, never replaced:
//!   renaming a file over `/dev/null` would turn the device into a regular file for every
//!   program on the machine.
//! - When the folder refuses a temporary file but the file itself may be written (a read-only
//!   folder holding a writable file), the file is rewritten in place: the only way left that
//!   does not fail.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many links are followed before giving up, as the kernel's own limit (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Writes `contents` to `path` as the module documentation says.
pub fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_file_with(path, |file| file.write_all(contents))
}

/// [`write_file`] without waiting for the disk, for a cache: a file a crash loses or cuts
/// short is only a miss for a reader that checks what it reads.
pub fn write_cache_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    write(path, false, |file| file.write_all(contents))
}

/// Writes what `fill` writes to `path` as the module documentation says. `fill` gets the file
/// being written (a temporary one when the path is replaced); when it fails, nothing is
/// replaced. A FIFO or device is written as `fill` goes.
pub fn write_file_with(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    write(path, true, fill)
}

/// Writes as the module documentation says, waiting for the disk when `durable`.
fn write(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let target = match resolve(path)? {
        Target::WriteThrough(path) => return write_through(&path, fill),
        Target::File(path) => path,
    };
    let existing = match fs::metadata(&target) {
        Ok(metadata) if metadata.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a folder", target.display()),
            ));
        }
        Ok(metadata) if !metadata.is_file() => return write_through(&target, fill),
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = match new_temporary_file(folder) {
        Ok(temporary) => temporary,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && existing.is_some() => {
            return write_in_place(&target, durable, fill).map_err(|_| e);
        }
        Err(e) => return Err(e),
    };
    fill(temporary.as_file_mut())?;
    temporary.as_file_mut().flush()?;
    if let Some(existing) = &existing {
        keep_mode_and_owner(temporary.as_file(), existing)?;
    }
    if durable {
        temporary.as_file().sync_all()?;
    }
    temporary.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// What a path leads to once its links are followed.
enum Target {
    /// A file to replace (or create) at this path, which is not a link.
    File(PathBuf),
    /// A path to open and write through.
    WriteThrough(PathBuf),
}

fn resolve(path: &Path) -> io::Result<Target> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_kernel_path(&current) {
            return Ok(Target::WriteThrough(current));
        }
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(Target::File(current)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::File(current)),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{} is a chain of more than {MAX_LINKS} symbolic links",
        path.display()
    )))
}

/// `/dev` and `/proc` hold devices and the kernel's links to open files (`/dev/stdout` names
/// `/proc/self/fd/1`, which names a pipe or a terminal): never files to replace.
fn is_kernel_path(path: &Path) -> bool {
    cfg!(unix) && (path.starts_with("/dev") || path.starts_with("/proc"))
}

fn write_through(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    fill(&mut file)?;
    file.flush()
}

fn write_in_place(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    fill(&mut file)?;
    file.flush()?;
    if durable {
        file.sync_all()?;
    }
    Ok(())
}

fn new_temporary_file(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".archlint-");
    // A new file gets the mode any new file gets (0666 less the umask), not the 0600 of a
    // temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

fn keep_mode_and_owner(file: &fs::File, existing: &fs::Metadata) -> io::Result<()> {
    // The owner first: changing it clears the set-user-ID and set-group-ID bits.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata()?;
        if (mine.uid(), mine.gid()) != (existing.uid(), existing.gid()) {
            // Only root may give a file away; anyone else keeps the file as theirs, which is
            // what writing it in place would have given too.
            let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
        }
    }
    file.set_permissions(existing.permissions())
}

#[cfg(all(test, unix))]
mod tests;
