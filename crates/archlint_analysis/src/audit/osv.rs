//! The advisory database: OSV advisories (<https://ossf.github.io/osv-schema/>) read from a
//! folder of JSON files (searched recursively) or from OSV's ecosystem export `all.zip`, read
//! in place. Files are parsed in parallel and only the fields the audit needs are kept; the
//! advisories are then indexed by PEP 503-normalised package name. A file that is not a
//! valid advisory is a warning, never a stop.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::severity::Rating;
use archlint_project::distribution_name::normalize;

/// The file `--update-db` writes next to `all.zip`: when the database was downloaded
/// (seconds since the Unix epoch).
pub const TIMESTAMP_FILE: &str = "last-updated";
/// The zip `--update-db` writes in the cache folder.
pub const ZIP_FILE: &str = "all.zip";
/// A larger member or file is not an advisory (and is not read whole).
const MAX_ADVISORY_BYTES: u64 = 16 * 1024 * 1024;

/// One advisory, as much of it as the audit reads.
#[derive(Debug, Clone)]
pub struct Advisory {
    pub id: String,
    pub aliases: Vec<String>,
    /// The summary, or the first line of the details.
    pub summary: String,
    pub rating: Rating,
    /// The PyPI packages it affects.
    pub affected: Vec<Affected>,
    pub modified: Option<String>,
}

/// One `affected[]` entry of the PyPI ecosystem.
#[derive(Debug, Clone)]
pub struct Affected {
    pub normalized: String,
    /// `ECOSYSTEM` ranges (GIT and SEMVER ranges say nothing about PyPI versions).
    pub ranges: Vec<Vec<Event>>,
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
}

#[derive(Deserialize)]
struct RawAdvisory {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    summary: Option<String>,
    details: Option<String>,
    modified: Option<String>,
    withdrawn: Option<String>,
    #[serde(default)]
    severity: Vec<RawSeverity>,
    #[serde(default)]
    affected: Vec<RawAffected>,
    database_specific: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawSeverity {
    score: String,
}

#[derive(Deserialize)]
struct RawAffected {
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Vec<RawRange>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    severity: Vec<RawSeverity>,
}

#[derive(Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    introduced: Option<String>,
    fixed: Option<String>,
    last_affected: Option<String>,
}

/// What one file of the database turned out to be.
enum Parsed {
    Advisory(Box<Advisory>),
    /// Withdrawn, or about no PyPI package.
    Skipped {
        withdrawn: bool,
    },
    Malformed(String),
}

/// Parses one advisory file.
fn parse(bytes: &[u8], shown: &str) -> Parsed {
    let raw: RawAdvisory = match serde_json::from_slice(bytes) {
        Ok(raw) => raw,
        Err(error) => return Parsed::Malformed(format!("{shown}: not an OSV advisory: {error}")),
    };
    if raw.withdrawn.is_some() {
        return Parsed::Skipped { withdrawn: true };
    }
    let mut vectors: Vec<String> = raw.severity.into_iter().map(|s| s.score).collect();
    let mut affected = Vec::new();
    for entry in raw.affected {
        let Some(package) = entry.package else {
            continue;
        };
        // `PyPI`, and `PyPI:…` variants some feeds write.
        if !package.ecosystem.starts_with("PyPI") {
            continue;
        }
        vectors.extend(entry.severity.into_iter().map(|s| s.score));
        let ranges = entry
            .ranges
            .into_iter()
            .filter(|r| r.kind == "ECOSYSTEM")
            .map(|r| {
                r.events
                    .into_iter()
                    .filter_map(|e| {
                        e.introduced
                            .map(Event::Introduced)
                            .or(e.fixed.map(Event::Fixed))
                            .or(e.last_affected.map(Event::LastAffected))
                    })
                    .collect()
            })
            .collect();
        affected.push(Affected {
            normalized: normalize(&package.name),
            ranges,
            versions: entry.versions,
        });
    }
    if affected.is_empty() {
        return Parsed::Skipped { withdrawn: false };
    }
    let summary = raw
        .summary
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            raw.details
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let database_rating = raw
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str());
    Parsed::Advisory(Box::new(Advisory {
        id: raw.id,
        aliases: raw.aliases,
        summary: summary.trim().to_string(),
        rating: Rating::of(vectors.iter().map(String::as_str), database_rating),
        affected,
        modified: raw.modified,
    }))
}

/// Why a database could not be read at all.
#[derive(Debug)]
pub enum DatabaseError {
    /// Nothing at the path.
    Missing(PathBuf),
    /// A file that is not a readable zip archive.
    BadZip { path: PathBuf, message: String },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A folder without a single advisory file.
    Empty(PathBuf),
}

impl std::fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseError::Missing(path) => write!(
                f,
                "no advisory database at {}: run `archlint deps --update-db` to download it, or pass `--db PATH` (a folder of OSV JSON files or OSV's `all.zip`)",
                path.display()
            ),
            DatabaseError::BadZip { path, message } => write!(
                f,
                "{} is not a readable OSV zip archive ({message}); run `archlint deps --update-db` again or pass another `--db`",
                path.display()
            ),
            DatabaseError::Io { path, error } => {
                write!(
                    f,
                    "cannot read the advisory database {}: {error}",
                    path.display()
                )
            }
            DatabaseError::Empty(path) => write!(
                f,
                "{} holds no OSV advisory (`*.json` files or `all.zip`)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DatabaseError {}

/// The advisories, indexed by normalised package name.
pub struct Database {
    /// The folder or zip read.
    pub source: PathBuf,
    /// Sorted by id.
    pub advisories: Vec<Advisory>,
    index: FxHashMap<String, Vec<usize>>,
    /// Files skipped because they are not advisories.
    pub warnings: Vec<String>,
    pub withdrawn: usize,
    /// When the database was last updated (seconds since the epoch): the timestamp
    /// `--update-db` wrote, else the newest `modified` of its advisories.
    pub updated: Option<i64>,
    /// Whether `updated` comes from the timestamp file (rather than the newest advisory).
    pub updated_by_download: bool,
}

impl Database {
    /// Reads a folder of OSV JSON files, a folder holding `all.zip`, or a zip file.
    pub fn load(path: &Path) -> Result<Database, DatabaseError> {
        let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => DatabaseError::Missing(path.to_path_buf()),
            _ => DatabaseError::Io {
                path: path.to_path_buf(),
                error,
            },
        })?;
        let (parsed, timestamp_file) = if metadata.is_dir() {
            let zip = path.join(ZIP_FILE);
            if zip.is_file() {
                (read_zip(&zip)?, path.join(TIMESTAMP_FILE))
            } else {
                (read_folder(path)?, path.join(TIMESTAMP_FILE))
            }
        } else {
            let sibling = path.parent().unwrap_or(Path::new(".")).join(TIMESTAMP_FILE);
            (read_zip(path)?, sibling)
        };
        let mut database = Database {
            source: path.to_path_buf(),
            advisories: Vec::new(),
            index: FxHashMap::default(),
            warnings: Vec::new(),
            withdrawn: 0,
            updated: None,
            updated_by_download: false,
        };
        for item in parsed {
            match item {
                Parsed::Advisory(advisory) => database.advisories.push(*advisory),
                Parsed::Skipped { withdrawn } => database.withdrawn += usize::from(withdrawn),
                Parsed::Malformed(warning) => database.warnings.push(warning),
            }
        }
        database.advisories.sort_by(|a, b| a.id.cmp(&b.id));
        database.advisories.dedup_by(|a, b| a.id == b.id);
        database.warnings.sort();
        for (position, advisory) in database.advisories.iter().enumerate() {
            for affected in &advisory.affected {
                let entry = database
                    .index
                    .entry(affected.normalized.clone())
                    .or_default();
                if entry.last() != Some(&position) {
                    entry.push(position);
                }
            }
        }
        let downloaded = std::fs::read_to_string(&timestamp_file)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok());
        database.updated_by_download = downloaded.is_some();
        database.updated = downloaded.or_else(|| {
            database
                .advisories
                .iter()
                .filter_map(|a| a.modified.as_deref().and_then(parse_timestamp))
                .max()
        });
        Ok(database)
    }

    /// The advisories about a package (its normalised name).
    pub fn advisories_for<'d>(&'d self, normalized: &str) -> impl Iterator<Item = &'d Advisory> {
        self.index
            .get(normalized)
            .into_iter()
            .flatten()
            .map(|&i| &self.advisories[i])
    }

    /// How many days old the database is at `now` (seconds since the epoch).
    pub fn age_days(&self, now: i64) -> Option<i64> {
        self.updated.map(|t| (now - t).max(0) / 86_400)
    }
}

/// Every `*.json` below `folder`, parsed in parallel.
fn read_folder(folder: &Path) -> Result<Vec<Parsed>, DatabaseError> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|error| DatabaseError::Io {
            path: dir.clone(),
            error,
        })?;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    if files.is_empty() {
        return Err(DatabaseError::Empty(folder.to_path_buf()));
    }
    Ok(files
        .par_iter()
        .map(|file| {
            let shown = file.display().to_string();
            let mut bytes = Vec::new();
            match std::fs::File::open(file)
                .and_then(|f| f.take(MAX_ADVISORY_BYTES).read_to_end(&mut bytes))
            {
                Ok(_) => parse(&bytes, &shown),
                Err(error) => Parsed::Malformed(format!("{shown}: cannot read: {error}")),
            }
        })
        .collect())
}

/// Every `*.json` member of a zip, read in place (never extracted) and parsed in parallel:
/// the archive is read into memory once and each thread walks its own view of it.
fn read_zip(path: &Path) -> Result<Vec<Parsed>, DatabaseError> {
    let bytes = std::fs::read(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => DatabaseError::Missing(path.to_path_buf()),
        _ => DatabaseError::Io {
            path: path.to_path_buf(),
            error,
        },
    })?;
    let archive = open_zip(&bytes).map_err(|message| DatabaseError::BadZip {
        path: path.to_path_buf(),
        message,
    })?;
    let zip_name = path.display().to_string();
    Ok((0..archive.len())
        .into_par_iter()
        .map_init(
            || archive.clone(),
            |archive, index| {
                let mut member = match archive.by_index(index) {
                    Ok(member) => member,
                    Err(error) => {
                        return Some(Parsed::Malformed(format!(
                            "{zip_name}: member {index}: {error}"
                        )));
                    }
                };
                let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
                if !member.is_file() || !name.ends_with(".json") {
                    return None;
                }
                let shown = format!("{zip_name}:{name}");
                let mut text = Vec::with_capacity(member.size().min(MAX_ADVISORY_BYTES) as usize);
                if let Err(error) = (&mut member)
                    .take(MAX_ADVISORY_BYTES)
                    .read_to_end(&mut text)
                {
                    return Some(Parsed::Malformed(format!("{shown}: cannot read: {error}")));
                }
                Some(parse(&text, &shown))
            },
        )
        .flatten()
        .collect())
}

/// Opens a zip held in memory; the message says why it is not one.
pub fn open_zip(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, String> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())
}

/// Seconds since the epoch of an RFC 3339 UTC timestamp (`2021-06-22T04:54:55.381670Z`).
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (
        date_parts.next()??,
        date_parts.next()??,
        date_parts.next()??,
    );
    let mut time_parts = time.splitn(3, ':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let second: i64 = time_parts
        .next()?
        .get(..2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// `YYYY-MM-DD` of a time in seconds since the epoch.
pub fn format_date(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/osv/unit")
    }

    #[test]
    fn timestamps_round_trip() {
        let t = parse_timestamp("2021-06-22T04:54:55.381670Z").unwrap();
        assert_eq!(t, 1_624_337_695);
        assert_eq!(format_date(t), "2021-06-22");
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn folder_is_indexed_by_normalised_name_and_bad_files_are_warnings() {
        let db = Database::load(&fixtures()).unwrap();
        let ids: Vec<&str> = db.advisories.iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"TEST-RANGES"), "{ids:?}");
        assert!(
            !ids.contains(&"TEST-WITHDRAWN"),
            "withdrawn advisories are skipped"
        );
        assert_eq!(db.withdrawn, 1);
        assert_eq!(db.warnings.len(), 1, "{:?}", db.warnings);
        assert!(
            db.warnings[0].contains("malformed.json"),
            "{:?}",
            db.warnings
        );
        // `Example_Pkg` in the advisory, `example.pkg` asked.
        assert!(
            db.advisories_for("example-pkg")
                .any(|a| a.id == "TEST-RANGES")
        );
        // The summary falls back to the first line of the details.
        let details = db
            .advisories
            .iter()
            .find(|a| a.id == "TEST-VERSIONS")
            .unwrap();
        assert_eq!(details.summary, "First line of the details.");
        // GIT ranges are dropped, ECOSYSTEM kept.
        let git = db.advisories.iter().find(|a| a.id == "TEST-GIT").unwrap();
        assert_eq!(git.affected[0].ranges.len(), 1);
    }

    #[test]
    fn a_missing_or_corrupt_database_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Database::load(&dir.path().join("nothing")),
            Err(DatabaseError::Missing(_))
        ));
        assert!(matches!(
            Database::load(dir.path()),
            Err(DatabaseError::Empty(_))
        ));
        let corrupt = dir.path().join("all.zip");
        std::fs::write(&corrupt, b"PK\x03\x04 truncated").unwrap();
        let error = Database::load(&corrupt).err().unwrap();
        assert!(matches!(error, DatabaseError::BadZip { .. }), "{error}");
        assert!(error.to_string().contains("--update-db"));
    }
}
