//! Builds wheels and sdists for the tests from a small text listing, so every archive a test
//! reads is made by the test itself (`tests/fixtures/pkg/<CODE>/archives.spec`, and the
//! ```` ```archive ```` examples in the rule docs).
//!
//! The listing is lines of directives, each followed by content lines where it takes some:
//! - `# file: PATH` before any archive: a project file (`pyproject.toml`).
//! - `# archive: NAME` starts an archive (`.whl`, `.tar.gz`, `.zip`), written to `dist/`.
//! - `# expect: CODE [MEMBER]` one finding the fixture harness must see for this archive.
//! - `# file: PATH` a member whose content is the following lines.
//! - `# symlink: PATH -> TARGET`, `# hardlink: PATH -> TARGET` (tar only).
//! - `# zeros: PATH SIZE` a member of SIZE zero bytes (`3MiB`, `512KiB`).
//! - `# duplicate: PATH` the member stored a second time.
//! - `# tamper: PATH` the member changed after RECORD hashed it.
//! - `# unrecorded: PATH`, `# record-extra: PATH` RECORD leaves out, or lists an absent, member.
//! - `# no-record` no RECORD; `# bare` no default files (wheel: METADATA, WHEEL; sdist:
//!   PKG-INFO, pyproject.toml, README.md, LICENSE).
//! - `# corrupt: truncate` the archive cut in half; `# corrupt: garbage` not an archive.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256};

#[derive(Default, Debug)]
pub struct ArchiveSpec {
    pub name: String,
    pub expect: Vec<(String, Option<String>)>,
    members: Vec<MemberSpec>,
    bare: bool,
    no_record: bool,
    unrecorded: Vec<String>,
    record_extra: Vec<String>,
    corrupt: Option<String>,
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    Zeros(u64),
    Symlink(String),
    Hardlink(String),
}

#[derive(Debug, Clone)]
struct MemberSpec {
    path: String,
    body: Body,
    tampered: bool,
    duplicate: bool,
}

pub struct Spec {
    pub project_files: Vec<(String, String)>,
    pub archives: Vec<ArchiveSpec>,
}

const DIRECTIVES: &[&str] = &[
    "archive:",
    "expect:",
    "file:",
    "symlink:",
    "hardlink:",
    "zeros:",
    "duplicate:",
    "tamper:",
    "unrecorded:",
    "record-extra:",
    "no-record",
    "bare",
    "corrupt:",
];

fn size(text: &str) -> u64 {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = number.parse().expect("a size");
    n * match unit {
        "" => 1,
        "KiB" => 1024,
        "MiB" => 1024 * 1024,
        "GiB" => 1024 * 1024 * 1024,
        other => panic!("unit {other}"),
    }
}

pub fn parse(text: &str) -> Spec {
    let mut spec = Spec {
        project_files: Vec::new(),
        archives: Vec::new(),
    };
    // The content lines go to the last `file:` opened.
    let mut open: Option<(bool, usize)> = None; // (in an archive, index)
    for line in text.lines() {
        let directive = line
            .strip_prefix("# ")
            .filter(|rest| DIRECTIVES.iter().any(|d| rest.starts_with(d)));
        let Some(rest) = directive else {
            match open {
                Some((true, i)) => {
                    let archive = spec.archives.last_mut().unwrap();
                    if let Body::Bytes(bytes) = &mut archive.members[i].body {
                        bytes.extend_from_slice(line.as_bytes());
                        bytes.push(b'\n');
                    }
                }
                Some((false, i)) => {
                    spec.project_files[i].1.push_str(line);
                    spec.project_files[i].1.push('\n');
                }
                None => {}
            }
            continue;
        };
        open = None;
        let (key, value) = rest
            .split_once(':')
            .map_or((rest, ""), |(k, v)| (k, v.trim()));
        if key == "archive" {
            spec.archives.push(ArchiveSpec {
                name: value.to_string(),
                ..Default::default()
            });
            continue;
        }
        let Some(archive) = spec.archives.last_mut() else {
            assert_eq!(
                key, "file",
                "only project files come before the first archive"
            );
            spec.project_files.push((value.to_string(), String::new()));
            open = Some((false, spec.project_files.len() - 1));
            continue;
        };
        let member = |path: &str, body: Body| MemberSpec {
            path: path.to_string(),
            body,
            tampered: false,
            duplicate: false,
        };
        match key {
            "expect" => {
                let mut parts = value.split_whitespace();
                let code = parts.next().unwrap().to_string();
                archive
                    .expect
                    .push((code, parts.next().map(str::to_string)));
            }
            "file" => {
                archive.members.push(member(value, Body::Bytes(Vec::new())));
                open = Some((true, archive.members.len() - 1));
            }
            "symlink" | "hardlink" => {
                let (path, target) = value.split_once(" -> ").unwrap();
                let body = if key == "symlink" {
                    Body::Symlink(target.into())
                } else {
                    Body::Hardlink(target.into())
                };
                archive.members.push(member(path, body));
            }
            "zeros" => {
                let (path, n) = value.split_once(' ').unwrap();
                archive.members.push(member(path, Body::Zeros(size(n))));
            }
            "duplicate" => {
                archive
                    .members
                    .iter_mut()
                    .find(|m| m.path == value)
                    .unwrap()
                    .duplicate = true
            }
            "tamper" => {
                archive
                    .members
                    .iter_mut()
                    .find(|m| m.path == value)
                    .unwrap()
                    .tampered = true
            }
            "unrecorded" => archive.unrecorded.push(value.to_string()),
            "record-extra" => archive.record_extra.push(value.to_string()),
            "no-record" => archive.no_record = true,
            "bare" => archive.bare = true,
            "corrupt" => archive.corrupt = Some(value.to_string()),
            other => panic!("unknown directive {other}"),
        }
    }
    spec
}

/// Writes the project files into `root` and the archives into `root/dist`.
pub fn build(text: &str, root: &Path) -> Spec {
    let spec = parse(text);
    for (path, content) in &spec.project_files {
        std::fs::write(root.join(path), content).unwrap();
    }
    std::fs::create_dir_all(root.join("dist")).unwrap();
    for archive in &spec.archives {
        build_archive(archive, &root.join("dist").join(&archive.name));
    }
    spec
}

fn bytes_of(body: &Body) -> Vec<u8> {
    match body {
        Body::Bytes(b) => b.clone(),
        Body::Zeros(n) => vec![0; *n as usize],
        _ => Vec::new(),
    }
}

fn with_defaults(archive: &ArchiveSpec) -> Vec<MemberSpec> {
    let mut members = archive.members.clone();
    if archive.bare {
        return members;
    }
    let has =
        |members: &[MemberSpec], suffix: &str| members.iter().any(|m| m.path.ends_with(suffix));
    let add = |members: &mut Vec<MemberSpec>, path: String, text: String| {
        members.push(MemberSpec {
            path,
            body: Body::Bytes(text.into_bytes()),
            tampered: false,
            duplicate: false,
        });
    };
    if let Some(stem) = archive.name.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        let (name, version) = (parts[0], parts.get(1).copied().unwrap_or("0"));
        let tags = &parts[parts.len().saturating_sub(3)..];
        let dist_info = format!("{name}-{version}.dist-info");
        if !has(&members, ".dist-info/METADATA") {
            add(
                &mut members,
                format!("{dist_info}/METADATA"),
                format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"),
            );
        }
        if !has(&members, ".dist-info/WHEEL") {
            add(
                &mut members,
                format!("{dist_info}/WHEEL"),
                format!(
                    "Wheel-Version: 1.0\nGenerator: archlint-tests\nRoot-Is-Purelib: true\nTag: {}\n",
                    tags.join("-")
                ),
            );
        }
    } else {
        let stem = archive
            .name
            .trim_end_matches(".tar.gz")
            .trim_end_matches(".zip");
        let (name, version) = stem.rsplit_once('-').unwrap_or((stem, "0"));
        for (file, text) in [
            (
                "PKG-INFO",
                format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"),
            ),
            (
                "pyproject.toml",
                format!("[project]\nname = \"{name}\"\nversion = \"{version}\"\n"),
            ),
            ("README.md", "# Demo\n".to_string()),
            ("LICENSE", "MIT\n".to_string()),
        ] {
            if !has(&members, &format!("/{file}")) {
                add(&mut members, format!("{stem}/{file}"), text);
            }
        }
    }
    members
}

fn record(archive: &ArchiveSpec, members: &[MemberSpec]) -> Option<MemberSpec> {
    if archive.no_record || !archive.name.ends_with(".whl") {
        return None;
    }
    let dist_info = members.iter().find_map(|m| {
        m.path
            .split_once(".dist-info/")
            .map(|(d, _)| format!("{d}.dist-info"))
    })?;
    let mut text = String::new();
    for m in members {
        if archive.unrecorded.contains(&m.path)
            || matches!(m.body, Body::Symlink(_) | Body::Hardlink(_))
        {
            continue;
        }
        let data = bytes_of(&m.body);
        let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(&data));
        text.push_str(&format!("{},sha256={digest},{}\n", m.path, data.len()));
    }
    for extra in &archive.record_extra {
        text.push_str(&format!("{extra},sha256=AAAA,4\n"));
    }
    text.push_str(&format!("{dist_info}/RECORD,,\n"));
    Some(MemberSpec {
        path: format!("{dist_info}/RECORD"),
        body: Body::Bytes(text.into_bytes()),
        tampered: false,
        duplicate: false,
    })
}

fn build_archive(archive: &ArchiveSpec, path: &Path) {
    if archive.corrupt.as_deref() == Some("garbage") {
        std::fs::write(path, b"this is not an archive at all\n").unwrap();
        return;
    }
    let mut members = with_defaults(archive);
    if let Some(record) = record(archive, &members) {
        members.push(record);
    }
    for m in &mut members {
        if m.tampered
            && let Body::Bytes(bytes) = &mut m.body
        {
            bytes.extend_from_slice(b"# changed after the build\n");
        }
    }
    if archive.name.ends_with(".tar.gz") {
        write_tar(&members, path);
    } else {
        write_zip(&members, path);
    }
    if archive.corrupt.as_deref() == Some("truncate") {
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
    }
}

/// A placeholder name of the same length, patched back into the bytes to make a duplicate.
fn placeholder(path: &str) -> String {
    let mut p = path.to_string();
    p.pop();
    p.push('\u{7}');
    p
}

fn write_zip(members: &[MemberSpec], path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut patches = Vec::new();
    for m in members {
        let names: Vec<String> = if m.duplicate {
            patches.push((placeholder(&m.path), m.path.clone()));
            vec![m.path.clone(), placeholder(&m.path)]
        } else {
            vec![m.path.clone()]
        };
        for name in names {
            match &m.body {
                Body::Symlink(target) => zip.add_symlink(name, target, options).unwrap(),
                Body::Zeros(n) => {
                    zip.start_file(name, options).unwrap();
                    let chunk = vec![0u8; 1 << 20];
                    let mut left = *n;
                    while left > 0 {
                        let step = left.min(chunk.len() as u64) as usize;
                        zip.write_all(&chunk[..step]).unwrap();
                        left -= step as u64;
                    }
                }
                body => {
                    zip.start_file(name, options).unwrap();
                    zip.write_all(&bytes_of(body)).unwrap();
                }
            }
        }
    }
    zip.finish().unwrap();
    if !patches.is_empty() {
        let mut bytes = std::fs::read(path).unwrap();
        for (from, to) in patches {
            let (from, to) = (from.as_bytes(), to.as_bytes());
            let mut i = 0;
            while i + from.len() <= bytes.len() {
                if &bytes[i..i + from.len()] == from {
                    bytes[i..i + from.len()].copy_from_slice(to);
                }
                i += 1;
            }
        }
        std::fs::write(path, bytes).unwrap();
    }
}

fn write_tar(members: &[MemberSpec], path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    for m in members {
        for _ in 0..if m.duplicate { 2 } else { 1 } {
            let mut header = tar::Header::new_old();
            // Raw names: `set_path` refuses `..`, and these tests need it.
            let name = m.path.as_bytes();
            header.as_old_mut().name[..name.len()].copy_from_slice(name);
            header.set_mode(0o644);
            header.set_mtime(0);
            let data = bytes_of(&m.body);
            match &m.body {
                Body::Symlink(target) | Body::Hardlink(target) => {
                    header.set_entry_type(if matches!(m.body, Body::Symlink(_)) {
                        tar::EntryType::Symlink
                    } else {
                        tar::EntryType::Link
                    });
                    header.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
                    header.set_size(0);
                }
                _ => {
                    header.set_entry_type(tar::EntryType::Regular);
                    header.set_size(data.len() as u64);
                }
            }
            header.set_cksum();
            tar.append(&header, data.as_slice()).unwrap();
        }
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// A temporary project with the spec built into it.
pub fn project(text: &str) -> (tempfile::TempDir, PathBuf, Spec) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let spec = build(text, &root);
    (dir, root, spec)
}
