//! Where the seeds come from: the test fixtures (every rule's fixture is a small, varied file
//! of its format), the benchmark scripts and the project's own TOML (real files), the
//! archives the package fixtures describe, built the way `tests/rules.rs` builds them, and a
//! sample of real advisories from the vendored OSV export.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::engine::Seed;
use crate::support;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `dir` (relative to the repository) whose name `keep` accepts, sorted,
/// none larger than `max` bytes.
pub fn files(dir: &str, max: usize, keep: impl Fn(&str) -> bool) -> Vec<Seed> {
    let mut paths = Vec::new();
    walk(&repo().join(dir), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|n| keep(&n.to_string_lossy())))
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            (bytes.len() <= max).then(|| {
                let name = path.strip_prefix(repo()).unwrap_or(&path);
                Seed::new(name.to_string_lossy(), bytes)
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out);
        } else if kind.is_file() {
            out.push(path);
        }
    }
}

/// The archives of every `tests/fixtures/pkg/*/archives.spec`, built once: (file name, bytes).
pub fn built_archives() -> &'static [(String, Vec<u8>)] {
    static ARCHIVES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ARCHIVES.get_or_init(|| {
        let mut archives = Vec::new();
        for spec in archive_specs() {
            let dir = tempfile::tempdir().unwrap();
            let text = String::from_utf8(spec.bytes).unwrap();
            support::build(&text, dir.path());
            let mut built = Vec::new();
            walk(&dir.path().join("dist"), &mut built);
            built.sort();
            for path in built {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                archives.push((name, std::fs::read(&path).unwrap()));
            }
        }
        archives
    })
}

/// The listings the package fixtures build their archives from.
pub fn archive_specs() -> Vec<Seed> {
    files("tests/fixtures/pkg", 1 << 20, |name| {
        name == "archives.spec"
    })
}

/// The members named `wanted` (the last part of their path) of every built archive.
pub fn archive_members(wanted: &[&str]) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (name, bytes) in built_archives() {
        if name.ends_with(".tar.gz") {
            let Some(tar) = gunzip(bytes) else {
                continue;
            };
            let mut archive = tar::Archive::new(tar.as_slice());
            let Ok(entries) = archive.entries() else {
                continue;
            };
            for mut entry in entries.flatten() {
                let path = entry.path().map(|p| p.to_string_lossy().into_owned());
                if let Ok(path) = path
                    && wanted.iter().any(|w| path.rsplit('/').next() == Some(w))
                {
                    let mut content = Vec::new();
                    if entry.read_to_end(&mut content).is_ok() {
                        seeds.push(Seed::new(format!("{name}/{path}"), content));
                    }
                }
            }
        } else if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            for i in 0..zip.len() {
                let Ok(mut file) = zip.by_index(i) else {
                    continue;
                };
                let Ok(path) = file.name().map(|n| n.to_string()) else {
                    continue;
                };
                if wanted.iter().any(|w| path.rsplit('/').next() == Some(w)) {
                    let mut content = Vec::new();
                    if file.read_to_end(&mut content).is_ok() {
                        seeds.push(Seed::new(format!("{name}/{path}"), content));
                    }
                }
            }
        }
    }
    seeds
}

/// The decompressed bytes, `None` for the fixtures' deliberately corrupt archives.
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()
        .map(|_| out)
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The first `count` advisories of the vendored OSV export that are under 4 KiB, and the
/// advisories of the unit fixtures.
pub fn advisories(count: usize) -> Vec<Seed> {
    let mut seeds = files("tests/fixtures/osv/unit", 1 << 20, |n| n.ends_with(".json"));
    let bytes = std::fs::read(repo().join("tests/fixtures/osv/pypi-2024-10-10.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut taken = 0;
    for i in 0..zip.len() {
        if taken == count {
            break;
        }
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        if file.size() > 4096 || !name.ends_with(".json") {
            continue;
        }
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        seeds.push(Seed::new(name, content));
        taken += 1;
    }
    seeds
}

/// A zip of `files` (name, bytes), deflated.
pub fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}
