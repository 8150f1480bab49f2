use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports licence metadata PEP 639 deprecates or that contradicts itself: the table
    /// form `license = {file = …}` / `{text = …}`, and `License ::` classifiers next to an
    /// SPDX `license` expression (redundant when they agree, misleading when they name
    /// another licence).
    ///
    /// ## Why it matters
    /// Guide §7: its sample has `license = {file = "LICENSE"}` and an MIT classifier.
    /// PEP 639 makes the SPDX expression the one source; build backends warn about the
    /// table form and will drop it, and PyPI rejects uploads that mix an expression with
    /// licence classifiers.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// license = {file = "LICENSE"}
    /// classifiers = ["License :: OSI Approved :: MIT License"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// license = "MIT"
    /// license-files = ["LICEN[CS]E*"]
    /// ```
    pub static LICENSE_METADATA_CONFLICT = Rule {
        code: "PKG005",
        name: "license-metadata-conflict",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::related("validate-pyproject", "pep639"),
            Peer::related("pyroma", "Licensing"),
        ],
        check: Check::Pyproject { run: check },
    };
}

/// `License ::` classifiers and the SPDX identifiers they stand for.
const CLASSIFIER_LICENSES: &[(&str, &[&str])] = &[
    ("License :: OSI Approved :: MIT License", &["MIT"]),
    (
        "License :: OSI Approved :: MIT No Attribution License (MIT-0)",
        &["MIT-0"],
    ),
    (
        "License :: OSI Approved :: Apache Software License",
        &["Apache-2.0", "Apache-1.1"],
    ),
    (
        "License :: OSI Approved :: BSD License",
        &[
            "BSD-2-Clause",
            "BSD-3-Clause",
            "0BSD",
            "BSD-3-Clause-Clear",
            "BSD-4-Clause",
        ],
    ),
    ("License :: OSI Approved :: ISC License (ISCL)", &["ISC"]),
    (
        "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)",
        &["MPL-2.0"],
    ),
    (
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
        &["GPL-2.0-only", "GPL-2.0-or-later"],
    ),
    (
        "License :: OSI Approved :: GNU General Public License v3 (GPLv3)",
        &["GPL-3.0-only", "GPL-3.0-or-later"],
    ),
    (
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        &["LGPL-3.0-only", "LGPL-3.0-or-later"],
    ),
    (
        "License :: OSI Approved :: GNU Affero General Public License v3",
        &["AGPL-3.0-only", "AGPL-3.0-or-later"],
    ),
    (
        "License :: OSI Approved :: Python Software Foundation License",
        &["PSF-2.0", "Python-2.0"],
    ),
    (
        "License :: OSI Approved :: The Unlicense (Unlicense)",
        &["Unlicense"],
    ),
    ("License :: OSI Approved :: zlib/libpng License", &["Zlib"]),
];

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let Some(license) = file.item(&["project", "license"]) else {
        return;
    };
    let expression = license.as_str();
    if expression.is_none() && license.as_table_like().is_some() {
        let suggestion = if license.get("file").is_some() {
            "`license = \"<SPDX expression>\"` and `license-files = [\"LICENSE*\"]`"
        } else {
            "`license = \"<SPDX expression>\"`"
        };
        cx.report(
            file.range(license),
            format!("the table form of `license` is deprecated by PEP 639: write {suggestion}"),
        );
    }
    let Some(classifiers) = file.item(&["project", "classifiers"]) else {
        return;
    };
    let identifiers: Vec<String> = expression
        .and_then(|text| spdx::Expression::parse(text).ok())
        .map(|parsed| {
            parsed
                .requirements()
                .map(|r| r.req.license.to_string())
                .collect()
        })
        .unwrap_or_default();
    for (classifier, value) in super::strings(classifiers) {
        if !classifier.starts_with("License ::") {
            continue;
        }
        let Some(expression) = expression else {
            continue;
        };
        let contradicts = CLASSIFIER_LICENSES
            .iter()
            .find(|(known, _)| *known == classifier)
            .is_some_and(|(_, ids)| !identifiers.iter().any(|id| ids.contains(&id.as_str())));
        let message = if contradicts {
            format!(
                "`{classifier}` contradicts `license = \"{expression}\"`: remove the classifier, the SPDX expression is the licence (PEP 639)"
            )
        } else {
            format!(
                "`{classifier}` repeats `license = \"{expression}\"`: remove it; PEP 639 deprecates licence classifiers and PyPI rejects both together"
            )
        };
        cx.report(file.value_range(value), message);
    }
}
