use crate::prelude::*;
use archlint_dist::archive::ProblemKind;

rule! {
    /// ## What it does
    /// Flags archive members that would write outside the folder they are extracted to: names
    /// with a `..` component or an absolute path, symbolic and hard links, device and FIFO
    /// entries, and names that are not UTF-8. They are reported, never followed.
    ///
    /// ## Why it matters
    /// Guide §7 (`PackageBuilder.verify_distributions`): distributions are verified before they
    /// are published, and archives are hostile input: a member that escapes the extraction
    /// folder overwrites files anywhere the installing user can write (the tar "path traversal"
    /// of CVE-2007-4559); nothing a build backend produces needs one.
    ///
    /// ## Example
    /// ```archive
    /// # archive: demo-1.0.tar.gz
    /// # file: demo-1.0/../evil.py
    /// print("outside")
    /// # symlink: demo-1.0/link -> /etc/passwd
    /// ```
    ///
    /// ## Use instead
    /// ```archive
    /// # archive: demo-1.0.tar.gz
    /// # file: demo-1.0/demo/__init__.py
    /// print("inside")
    /// ```
    pub static UNSAFE_ARCHIVE_MEMBER = Rule {
        code: "PKG012",
        name: "unsafe-archive-member",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("tarfile", "data_filter")],
        check: Check::Distribution { run: check },
    };
}

fn check(cx: &mut DistributionContext) {
    for problem in &cx.dist.archive.problems {
        if problem.kind != ProblemKind::Unsafe {
            continue;
        }
        let message = match &problem.member {
            Some(_) => problem.message.clone(),
            None => format!("`{}` {}", cx.dist.file_name, problem.message),
        };
        cx.report(problem.member.as_deref(), message);
    }
}
