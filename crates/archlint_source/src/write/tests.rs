use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::Path;

use super::{write_file, write_file_with};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The names in a folder, to show no temporary file was left behind.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A field of `/proc/self/status` (`Uid`, `Umask`): its first value.
fn process_status(field: &str) -> String {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .unwrap();
    line.split_whitespace().next().unwrap().to_string()
}

fn is_root() -> bool {
    process_status("Uid") == "0"
}

fn umask() -> u32 {
    u32::from_str_radix(&process_status("Umask"), 8).unwrap()
}

#[test]
fn a_new_file_gets_the_umask_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    write_file(&path, b"{}").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"{}");
    assert_eq!(mode(&path), 0o666 & !umask());
    assert_eq!(names(dir.path()), ["report.json"]);
}

#[test]
fn a_regular_file_is_replaced_and_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    fs::write(&path, "old contents, longer than the new").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let old_inode = fs::metadata(&path).unwrap().ino();
    write_file(&path, b"new").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(mode(&path), 0o640);
    // Replaced, not rewritten: a reader holding the old file still has all of it.
    assert_ne!(fs::metadata(&path).unwrap().ino(), old_inode);
    assert_eq!(names(dir.path()), ["report.json"]);
}

#[test]
fn a_read_only_file_is_replaced_and_stays_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    fs::write(&path, "old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    write_file(&path, b"new").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(mode(&path), 0o444);
}

#[test]
fn a_link_is_kept_and_the_file_it_names_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.json");
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("report.json");
    symlink("real.json", &link).unwrap();
    write_file(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real.json"));
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(names(dir.path()), ["real.json", "report.json"]);
}

#[test]
fn a_link_into_another_folder_writes_there() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    let target = there.path().join("sub").join("real.json");
    fs::create_dir(there.path().join("sub")).unwrap();
    fs::write(&target, "old").unwrap();
    // Two hops, the second relative to the first link's own folder.
    symlink(&target, there.path().join("hop.json")).unwrap();
    let link = here.path().join("report.json");
    symlink(there.path().join("hop.json"), &link).unwrap();
    write_file(&link, b"new").unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(there.path().join("hop.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(names(here.path()), ["report.json"]);
    assert_eq!(names(&there.path().join("sub")), ["real.json"]);
}

#[test]
fn a_dangling_link_gets_its_file_created() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("report.json");
    symlink("made.json", &link).unwrap();
    write_file(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(dir.path().join("made.json")).unwrap(), b"new");
}

#[test]
fn a_loop_of_links_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    symlink("b", dir.path().join("a")).unwrap();
    symlink("a", dir.path().join("b")).unwrap();
    let error = write_file(&dir.path().join("a"), b"x").unwrap_err();
    assert!(error.to_string().contains("symbolic links"), "{error}");
}

#[test]
fn a_fifo_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    write_file(&fifo, b"through the pipe").unwrap();
    assert_eq!(reader.join().unwrap(), b"through the pipe");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names(dir.path()), ["pipe"]);
}

#[test]
fn a_character_device_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("null");
    // A private copy of /dev/null (character device 1:3), so a regression cannot break the
    // machine's own. Only root may make devices.
    let made = std::process::Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(made || !is_root(), "mknod failed as root");
    if !made {
        return;
    }
    write_file(&device, b"thrown away").unwrap();
    assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
    assert_eq!(names(dir.path()), ["null"]);
}

#[test]
fn paths_under_dev_are_written_through() {
    // `/dev/stdout` is a link to `/proc/self/fd/1`; replacing either is never right. The
    // test process's own standard output may be a file, so write to /dev/null instead, which
    // is a device: a regression would make it a regular file, which this test sees.
    write_file(Path::new("/dev/null"), b"thrown away").unwrap();
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = write_file(dir.path(), b"x").unwrap_err();
    assert!(error.to_string().contains("is a folder"), "{error}");
}

#[test]
fn a_failed_fill_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.zip");
    fs::write(&path, "the old database").unwrap();
    let error = write_file_with(&path, |file| {
        use std::io::Write;
        file.write_all(b"half a download")?;
        Err(std::io::Error::other("interrupted"))
    })
    .unwrap_err();
    assert_eq!(error.to_string(), "interrupted");
    assert_eq!(fs::read(&path).unwrap(), b"the old database");
    assert_eq!(names(dir.path()), ["all.zip"]);
}

#[test]
fn a_read_only_folder_still_has_its_writable_file_written() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("locked");
    fs::create_dir(&folder).unwrap();
    let path = folder.join("report.json");
    fs::write(&path, "old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes in any folder, but not in an immutable one (where the file system has the
    // attribute).
    let chattr = |flag: &str| {
        std::process::Command::new("chattr")
            .arg(flag)
            .arg(&folder)
            .status()
            .is_ok_and(|s| s.success())
    };
    let locked = !is_root() || chattr("+i");
    let written = write_file(&path, b"new");
    let made_new = write_file(&folder.join("new.json"), b"new");
    if is_root() {
        chattr("-i");
    }
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    written.unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(mode(&path), 0o644);
    if locked {
        let error = made_new.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(names(&folder), ["report.json"]);
    } else {
        made_new.unwrap();
        assert_eq!(names(&folder), ["new.json", "report.json"]);
    }
}
