use std::str::FromStr;

use crate::prelude::*;
use archlint_dist::metadata::CoreMetadata;
use archlint_project::distribution_name;

rule! {
    /// ## What it does
    /// Flags a distribution whose name or metadata is malformed: a wheel file name that is not
    /// `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427, 491) or an sdist
    /// name that is not `{name}-{version}.tar.gz`, a version that is not PEP 440; a wheel's
    /// `.dist-info` folder missing or named for another distribution, its `WHEEL` file without
    /// `Wheel-Version` 1.x, `Generator`, `Root-Is-Purelib` or `Tag` lines matching the file
    /// name's tags; and in `METADATA`/`PKG-INFO` (core metadata 1.0 to 2.4) a missing or
    /// unknown `Metadata-Version`, a missing or invalid `Name` or `Version`, a name or version
    /// other than the file name's, a `Requires-Dist` that is not PEP 508, a `Requires-Python`
    /// that is not a PEP 440 specifier set, a `License-Expression` before metadata 2.4 or
    /// malformed, and a `License-File` the wheel does not hold.
    ///
    /// ## Why it matters
    /// Guide §7 (PyPI has strict naming and metadata requirements): PyPI rejects an upload with
    /// invalid metadata, and installers resolve against what `METADATA` says, not what the
    /// project meant.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo-1.0.dist-info/METADATA
    /// Metadata-Version: 2.1
    /// Name: demo
    /// Version: 1.0
    /// Requires-Dist: requests >= 2 <3
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo-1.0.dist-info/METADATA
    /// Metadata-Version: 2.1
    /// Name: demo
    /// Version: 1.0
    /// Requires-Dist: requests<3,>=2
    /// ```
    pub static INVALID_DISTRIBUTION_METADATA = Rule {
        code: "PKG015",
        name: "invalid-distribution-metadata",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("twine", "check"), Peer::related("wheel", "unpack")],
        check: Check::Distribution { run: check },
    };
}

const METADATA_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4"];

fn check(cx: &mut DistributionContext) {
    let dist = cx.dist;
    if dist.archive.members.is_empty() {
        return; // unreadable: PKG019
    }
    let file = dist.file_name.clone();
    match (&dist.wheel_name, &dist.sdist_name) {
        (Some(Err(why)), _) | (_, Some(Err(why))) => {
            cx.report(
                None,
                format!("file name `{file}` {why}; rename it as the build backend would"),
            );
        }
        _ => {}
    }
    if let Some((_, version)) = dist.name_and_version()
        && pep440_rs::Version::from_str(version).is_err()
    {
        cx.report(None, format!("version `{version}` in the file name `{file}` is not a PEP 440 version; use one such as `1.0.post1`"));
    }
    if dist.is_wheel() {
        wheel_files(cx);
    }
    if let Some((member, metadata)) = &dist.metadata {
        fields(cx, member, metadata);
    } else if dist.is_wheel() && dist.dist_infos.len() == 1 {
        let folder = &dist.dist_infos[0];
        cx.report(
            None,
            format!("`{folder}/METADATA` is missing; build the wheel with a standard backend"),
        );
    }
}

fn wheel_files(cx: &mut DistributionContext) {
    let dist = cx.dist;
    match dist.dist_infos.as_slice() {
        [] => {
            cx.report(
                None,
                format!(
                    "`{}` has no `.dist-info` folder; build the wheel with a standard backend",
                    dist.file_name
                ),
            );
            return;
        }
        [one] => {
            if let Some(Ok(name)) = &dist.wheel_name {
                let expected = name.dist_info();
                if distribution_name::normalize(one) != distribution_name::normalize(&expected) {
                    cx.report(
                        Some(one),
                        format!("is not `{expected}` as the file name says; rebuild the wheel"),
                    );
                }
            }
        }
        several => {
            cx.report(
                None,
                format!(
                    "`{}` has {} `.dist-info` folders (`{}`); a wheel has exactly one",
                    dist.file_name,
                    several.len(),
                    several.join("`, `")
                ),
            );
        }
    }
    let Some((member, wheel)) = &dist.wheel_file else {
        if dist.dist_infos.len() == 1 {
            cx.report(
                None,
                format!(
                    "`{}/WHEEL` is missing; build the wheel with a standard backend",
                    dist.dist_infos[0]
                ),
            );
        }
        return;
    };
    match wheel.get("Wheel-Version") {
        None => cx.report(
            Some(member),
            "has no `Wheel-Version`; add `Wheel-Version: 1.0`",
        ),
        Some(v) if v.split('.').next() != Some("1") => {
            cx.report(
                Some(member),
                format!("`Wheel-Version: {v}` is not a 1.x version installers read; use `1.0`"),
            );
        }
        Some(_) => {}
    }
    if wheel.get("Generator").is_none() {
        cx.report(
            Some(member),
            "has no `Generator`; build the wheel with a standard backend",
        );
    }
    match wheel.get("Root-Is-Purelib") {
        Some("true" | "false") => {}
        Some(other) => cx.report(
            Some(member),
            format!("`Root-Is-Purelib: {other}` must be `true` or `false`"),
        ),
        None => cx.report(
            Some(member),
            "has no `Root-Is-Purelib`; add `Root-Is-Purelib: true` or `false`",
        ),
    }
    let mut tags: Vec<String> = wheel.get_all("Tag").map(str::to_string).collect();
    tags.sort();
    tags.dedup();
    if tags.is_empty() {
        cx.report(
            Some(member),
            "has no `Tag` line; add one per tag of the file name",
        );
    } else if let Some(Ok(name)) = &dist.wheel_name
        && tags != name.tags()
    {
        cx.report(
            Some(member),
            format!("`Tag` lines `{}` differ from the file name's tags `{}`; rebuild the wheel instead of renaming it", tags.join(", "), name.tags().join(", ")),
        );
    }
}

fn fields(cx: &mut DistributionContext, member: &str, metadata: &CoreMetadata) {
    let dist = cx.dist;
    let metadata_version = metadata.get("Metadata-Version");
    match metadata_version {
        None => cx.report(
            Some(member),
            "has no `Metadata-Version`; build with a current backend",
        ),
        Some(v) if !METADATA_VERSIONS.contains(&v) => {
            cx.report(Some(member), format!("`Metadata-Version: {v}` is not a core metadata version (1.0 to 2.4); build with a current backend"));
        }
        Some(_) => {}
    }
    let file_name = dist.name_and_version();
    match metadata.get("Name") {
        None => cx.report(Some(member), "has no `Name`; set `name` in `[project]`"),
        Some(name) if !distribution_name::is_valid(name) => {
            cx.report(Some(member), format!("`Name: {name}` is not a valid distribution name; use letters, digits, `-`, `_` and `.`"));
        }
        Some(name) => {
            if let Some((file, _)) = file_name
                && distribution_name::normalize(name) != distribution_name::normalize(file)
            {
                cx.report(Some(member), format!("`Name: {name}` differs from `{file}` in the file name; rebuild instead of renaming"));
            }
        }
    }
    match metadata.get("Version") {
        None => cx.report(
            Some(member),
            "has no `Version`; set `version` in `[project]`",
        ),
        Some(version) => match pep440_rs::Version::from_str(version) {
            Err(_) => cx.report(
                Some(member),
                format!("`Version: {version}` is not a PEP 440 version"),
            ),
            Ok(parsed) => {
                if let Some((_, file)) = file_name
                    && pep440_rs::Version::from_str(file).is_ok_and(|f| f != parsed)
                {
                    cx.report(Some(member), format!("`Version: {version}` differs from `{file}` in the file name; rebuild instead of renaming"));
                }
            }
        },
    }
    for requirement in metadata.get_all("Requires-Dist") {
        if archlint_project::requirement::parse(requirement).is_err() {
            cx.report(Some(member), format!("`Requires-Dist: {requirement}` is not a PEP 508 requirement; write it as `name[extras] (specifiers) ; marker`"));
        }
    }
    if let Some(specifiers) = metadata.get("Requires-Python")
        && pep440_rs::VersionSpecifiers::from_str(specifiers).is_err()
    {
        cx.report(Some(member), format!("`Requires-Python: {specifiers}` is not a PEP 440 specifier set; write it like `>=3.10`"));
    }
    if let Some(expression) = metadata.get("License-Expression") {
        if metadata_version.is_some_and(|v| v != "2.4") {
            cx.report(Some(member), "`License-Expression` needs `Metadata-Version: 2.4`; build with a backend that writes 2.4");
        } else if let Err(why) = check_license_expression(expression) {
            cx.report(
                Some(member),
                format!("`License-Expression: {expression}` is not an SPDX expression ({why})"),
            );
        }
    }
    if dist.is_wheel()
        && let Some((folder, _)) = member.split_once('/')
    {
        for file in metadata.get_all("License-File") {
            let path = format!("{folder}/licenses/{file}");
            if dist.archive.member(&path).is_none() {
                cx.report(
                    Some(member),
                    format!(
                        "`License-File: {file}` is not in the wheel at `{path}`; rebuild the wheel"
                    ),
                );
            }
        }
    }
}

/// A syntax check of an SPDX license expression: identifiers joined by `AND`/`OR`, an
/// optional `WITH exception`, parentheses balanced. Identifiers are not looked up.
pub(crate) fn check_license_expression(expression: &str) -> Result<(), String> {
    let spaced = expression.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    let mut expect_operand = true;
    for token in spaced.split_whitespace() {
        match token {
            "(" if expect_operand => depth += 1,
            ")" if !expect_operand => {
                depth -= 1;
                if depth < 0 {
                    return Err("unbalanced `)`".to_string());
                }
            }
            "AND" | "OR" | "WITH" if !expect_operand => expect_operand = true,
            t if expect_operand
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.+:".contains(c))
                && !matches!(t, "AND" | "OR" | "WITH" | "and" | "or" | "with") =>
            {
                expect_operand = false;
            }
            t => return Err(format!("unexpected `{t}`")),
        }
    }
    if expect_operand {
        return Err("ends without a license".to_string());
    }
    if depth != 0 {
        return Err("unbalanced `(`".to_string());
    }
    Ok(())
}
