use crate::prelude::*;
use archlint_dist::archive::ProblemKind;

rule! {
    /// ## What it does
    /// Flags a distribution that cannot be read: not a zip or gzip file, a truncated archive, a
    /// member whose data is broken (a bad CRC, a short read). The rest of the run goes on with
    /// the next distribution.
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions`): distributions are verified before they
    /// are published, and archives are hostile input: an archive that does not open fails at
    /// install time on every user's machine, after it was published and cannot be replaced
    /// under the same version.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// VERSION = "1.0"
    /// # corrupt: truncate
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # file: demo/__init__.py
    /// VERSION = "1.0"
    /// ```
    pub static CORRUPT_ARCHIVE = Rule {
        code: "PKG019",
        name: "corrupt-archive",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("twine", "check")],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    for problem in &cx.dist.archive.problems {
        if problem.kind != ProblemKind::Corrupt {
            continue;
        }
        let message = match &problem.member {
            Some(_) => problem.message.clone(),
            None => format!("`{}` {}", cx.dist.file_name, problem.message),
        };
        cx.report(problem.member.as_deref(), message);
    }
}
