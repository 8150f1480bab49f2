//! Reading a source file with the guards that keep one bad file from stopping or hanging a
//! run: only regular files are opened (a FIFO would block), the size is checked before
//! reading, NUL bytes mark a binary file, and the text must be UTF-8 (a BOM is dropped).

use std::fs;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read as Python source.
#[derive(Debug)]
pub enum SourceError {
    Io(std::io::Error),
    /// A FIFO, socket, device, link loop or dangling link.
    NotRegular(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Binary {
        offset: usize,
    },
    NotUtf8 {
        line: usize,
        /// The 1-based column (in characters) of the first bad byte.
        column: usize,
        offset: usize,
    },
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::Io(error) => write!(f, "cannot read the file: {error}"),
            SourceError::NotRegular(kind) => {
                write!(f, "skipped: the path is {kind}, not a regular file")
            }
            SourceError::TooLarge { size, limit } => write!(
                f,
                "skipped: the file is {size} bytes, over the `max-file-size` limit of {limit} bytes"
            ),
            SourceError::Binary { offset } => {
                write!(
                    f,
                    "skipped: the file holds a NUL byte at offset {offset}, so it is binary, not Python source"
                )
            }
            SourceError::NotUtf8 { line, offset, .. } => write!(
                f,
                "the file is not valid UTF-8 (first bad byte at offset {offset}, line {line}); save it as UTF-8"
            ),
        }
    }
}

/// What kind of special file `path` is, if it is not a regular file (links followed).
pub fn special_kind(path: &Path) -> Option<&'static str> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            return match (is_link, error.raw_os_error()) {
                // ELOOP
                (true, Some(40)) => Some("a symbolic link loop"),
                (true, _) => Some("a dangling symbolic link"),
                _ => None,
            };
        }
    };
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    if file_type.is_dir() {
        Some("a directory")
    } else {
        Some("a special file")
    }
}

/// Reads `path` as Python source text.
///
/// The file is opened without blocking and checked through its open handle, so a FIFO or
/// device is never waited on and a path swapped between discovery and reading is caught.
pub fn read_source(path: &Path, limit: u64) -> Result<String, SourceError> {
    let file = open_nonblocking(path).map_err(|error| match special_kind(path) {
        Some(kind) => SourceError::NotRegular(kind),
        None => SourceError::Io(error),
    })?;
    let metadata = file.metadata().map_err(SourceError::Io)?;
    if !metadata.is_file() {
        return Err(SourceError::NotRegular(
            special_kind(path).unwrap_or("a special file"),
        ));
    }
    let size = metadata.len();
    if size > limit {
        return Err(SourceError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(SourceError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    decode(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    if let Some(kind) = special_kind(path) {
        return Err(std::io::Error::other(kind));
    }
    fs::File::open(path)
}

/// Checks and decodes file contents: no NUL bytes, UTF-8, BOM removed.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, SourceError> {
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(SourceError::Binary { offset });
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        3
    } else {
        0
    };
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let valid = &error.as_bytes()[..offset];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // The bytes before the bad one are valid UTF-8, so this counts characters.
        let column = 1 + std::str::from_utf8(&valid[line_start..]).map_or(0, |s| s.chars().count());
        SourceError::NotUtf8 {
            line,
            column,
            offset: offset + bom,
        }
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}
