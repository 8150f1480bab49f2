use crate::prelude::*;
use archlint_dist::archive::ProblemKind;

rule! {
    /// ## What it does
    /// Flags archives that expand past the limits: more than 2 GiB uncompressed in total, a
    /// member over 1 MiB that expands more than 100:1, a member that decompresses past the size
    /// its header declares, or more than 100,000 members. Sizes are read from the headers and
    /// the data is read through the same limits, so a lying header stops the read too.
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions`): distributions are verified before they
    /// are published, and archives are hostile input: a decompression bomb exhausts the disk or
    /// memory of whatever unpacks it (an installer, a mirror, a scanner); a real distribution
    /// is compressed a few times, never a hundred.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # zeros: demo/data.bin 3MiB
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0-py3-none-any.whl
    /// # zeros: demo/data.bin 512KiB
    /// ```
    pub static ARCHIVE_BOMB = Rule {
        code: "PKG013",
        name: "archive-bomb",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    for problem in &cx.dist.archive.problems {
        if problem.kind != ProblemKind::Bomb {
            continue;
        }
        let message = match &problem.member {
            Some(_) => problem.message.clone(),
            None => format!("`{}` {}", cx.dist.file_name, problem.message),
        };
        cx.report(problem.member.as_deref(), message);
    }
}
