//! `archlint deps --update-db`: downloads OSV's PyPI export (`all.zip`) into a temporary
//! file in the database folder and renames it into place only once it is complete and reads
//! as a zip of advisories, so an interrupted or failed download never leaves half a
//! database. The time of the download goes to `last-updated` beside it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::osv::{TIMESTAMP_FILE, ZIP_FILE, open_zip};

/// OSV's export of every PyPI advisory.
pub const DEFAULT_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";
/// A larger download is refused (the PyPI export is a few tens of megabytes).
const MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// What an update wrote.
#[derive(Debug)]
pub struct Updated {
    pub path: PathBuf,
    pub bytes: u64,
    /// The `*.json` members of the zip.
    pub advisories: usize,
}

/// Downloads `url` into `folder/all.zip` (the folder is created). `now` is written as the
/// update time (seconds since the epoch).
pub fn update(url: &str, folder: &Path, now: i64) -> Result<Updated, String> {
    std::fs::create_dir_all(folder).map_err(|e| {
        format!(
            "cannot create the database folder {}: {e}",
            folder.display()
        )
    })?;
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(20)))
            .timeout_global(Some(Duration::from_secs(600)))
            .build(),
    );
    let response = agent.get(url).call().map_err(|e| {
        format!("cannot download the advisory database from {url}: {e} (no network? pass a local database with `--db PATH` instead)")
    })?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".all.zip.")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(|e| format!("cannot write to {}: {e}", folder.display()))?;
    let mut body = response.into_body().into_reader().take(MAX_BYTES);
    let bytes = std::io::copy(&mut body, temporary.as_file_mut())
        .map_err(|e| format!("the download from {url} was interrupted: {e}"))?;
    temporary
        .as_file_mut()
        .flush()
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| format!("cannot write to {}: {e}", folder.display()))?;
    let advisories = check_zip(temporary.path())
        .map_err(|e| format!("the download from {url} is not a usable OSV zip: {e}"))?;
    let path = folder.join(ZIP_FILE);
    temporary
        .persist(&path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    write_atomically(&folder.join(TIMESTAMP_FILE), format!("{now}\n").as_bytes()).map_err(|e| {
        format!(
            "cannot write {}: {e}",
            folder.join(TIMESTAMP_FILE).display()
        )
    })?;
    Ok(Updated {
        path,
        bytes,
        advisories,
    })
}

/// Whether a file is a complete zip holding advisories: its central directory reads, it
/// has `*.json` members, and the first of them decompresses whole (CRC checked).
fn check_zip(path: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut archive = open_zip(&bytes)?;
    let json: Vec<usize> = (0..archive.len())
        .filter(|&i| {
            archive
                .name_for_index(i)
                .is_some_and(|name| name.is_ok_and(|n| n.ends_with(".json")))
        })
        .collect();
    let Some(&first) = json.first() else {
        return Err("it holds no `*.json` advisory".to_string());
    };
    let mut member = archive.by_index(first).map_err(|e| e.to_string())?;
    std::io::copy(&mut member, &mut std::io::sink()).map_err(|e| e.to_string())?;
    Ok(json.len())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
