use crate::prelude::*;
use archlint_dist::archive::EntryKind;
use archlint_dist::wheel::{is_record_file, record_digest};

rule! {
    /// ## What it does
    /// Flags a wheel whose `RECORD` does not match its members: a member whose SHA-256 or
    /// size differs from the one `RECORD` lists, a member missing from `RECORD`, an entry for a
    /// member the wheel does not hold, or no `RECORD` at all (`RECORD` itself and its
    /// signatures `RECORD.jws`/`RECORD.p7s` are exempt).
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions`): a wheel is verified before it is
    /// published. Installers check every file against `RECORD`; a mismatch means the wheel was
    /// edited after the build, or damaged, and `pip` refuses it or installs files it cannot
    /// uninstall.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// VERSION = "1.0"
    /// # tamper: demo/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// VERSION = "1.0"
    /// ```
    pub static WHEEL_RECORD_MISMATCH = Rule {
        code: "PKG011",
        name: "wheel-record-mismatch",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("wheel", "unpack"), Peer::related("pip", "install")],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    let dist = cx.dist;
    if !dist.is_wheel() || dist.dist_infos.is_empty() {
        return;
    }
    let Some((record_name, entries)) = &dist.record else {
        cx.report(
            None,
            format!(
                "`{}` has no `.dist-info/RECORD`; build the wheel with a standard backend",
                dist.file_name
            ),
        );
        return;
    };
    let mut listed = rustc_hash::FxHashSet::default();
    for entry in entries {
        listed.insert(entry.path.as_str());
        if is_record_file(&entry.path) {
            continue;
        }
        let Some(member) = dist.archive.member(&entry.path) else {
            cx.report(
                Some(&entry.path),
                format!("listed in `{record_name}` but not in the wheel; rebuild the wheel"),
            );
            continue;
        };
        if member.kind != EntryKind::File {
            continue;
        }
        let Some(sha256) = member.sha256 else {
            continue; // not read: the archive rules say why
        };
        match &entry.hash {
            None => cx.report(
                Some(&entry.path),
                format!("has no hash in `{record_name}`; rebuild the wheel"),
            ),
            Some((algorithm, _)) if matches!(algorithm.as_str(), "md5" | "sha1" | "") => {
                cx.report(
                    Some(&entry.path),
                    format!("is hashed with `{algorithm}` in `{record_name}`; installers need `sha256` or stronger, so rebuild the wheel"),
                );
            }
            Some((algorithm, digest)) if algorithm == "sha256" => {
                let actual = record_digest(&sha256);
                if *digest != actual {
                    cx.report(
                        Some(&entry.path),
                        format!("`{record_name}` lists SHA-256 `{digest}` but the member hashes to `{actual}`; rebuild the wheel instead of editing it after the build"),
                    );
                    continue;
                }
            }
            Some(_) => {} // sha384/sha512: valid, not recomputed here
        }
        if let Some(size) = &entry.size
            && size.parse::<u64>().ok() != Some(member.size)
        {
            cx.report(
                Some(&entry.path),
                format!("`{record_name}` lists size `{size}` but the member has {} bytes; rebuild the wheel", member.size),
            );
        }
    }
    for member in &dist.archive.members {
        if member.kind == EntryKind::File
            && !is_record_file(&member.name)
            && !listed.contains(member.name.as_str())
        {
            cx.report(
                Some(&member.name),
                format!("is not listed in `{record_name}`, so installers cannot verify or uninstall it; rebuild the wheel"),
            );
        }
    }
}
