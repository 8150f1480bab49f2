//! `archlint deps --update-db`: downloads OSV's PyPI export (`all.zip`) into a temporary
//! file in the database folder and renames it into place only once it is complete and reads
//! as a zip of advisories, so an interrupted or failed download never leaves half a
//! database (a link to the database is followed, see [`archlint_source::write`]). The time
//! of the download goes to `last-updated` beside it.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use archlint_source::write::{write_file, write_file_with};

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
    let path = folder.join(ZIP_FILE);
    let (mut bytes, mut advisories) = (0, 0);
    // The download is checked before it replaces the database: a cut connection or a
    // captive portal's page leaves the old one in place.
    write_file_with(&path, |file| {
        let mut body = response.into_body().into_reader().take(MAX_BYTES);
        bytes = std::io::copy(&mut body, file).map_err(|e| {
            std::io::Error::other(format!("the download from {url} was interrupted: {e}"))
        })?;
        file.flush()?;
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut downloaded = Vec::new();
        file.read_to_end(&mut downloaded)?;
        advisories = check_zip(&downloaded).map_err(|e| {
            std::io::Error::other(format!(
                "the download from {url} is not a usable OSV zip: {e}"
            ))
        })?;
        Ok(())
    })
    .map_err(|e| format!("cannot update {}: {e}", path.display()))?;
    let timestamp = folder.join(TIMESTAMP_FILE);
    write_file(&timestamp, format!("{now}\n").as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", timestamp.display()))?;
    Ok(Updated {
        path,
        bytes,
        advisories,
    })
}

/// Whether a file is a complete zip holding advisories: its central directory reads, it
/// has `*.json` members, and the first of them decompresses whole (CRC checked).
fn check_zip(bytes: &[u8]) -> Result<usize, String> {
    let mut archive = open_zip(bytes)?;
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
