use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports packages far from the main sequence: the distance D = |A + I − 1| between a
    /// package's abstractness A (the share of its classes that are ABCs or Protocols) and its
    /// instability I = Ce / (Ca + Ce) (Ca: modules elsewhere that import it; Ce: its modules
    /// that import other project packages) is above `[tool.archlint.coupling] max-distance`
    /// (0.7). Packages with fewer than `min-modules` (3) modules, or coupled to nothing, are
    /// left out. `archlint graph --metrics` prints the table for every package.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns) lays a package out as a stable core with
    /// plugins around it. A package many others depend on (stable, I near 0) that is all
    /// concrete classes (A near 0) is in the "zone of pain": every change to it ripples into
    /// its importers, and nothing lets them depend on an interface instead. A package of
    /// abstractions nobody depends on (A and I near 1) is in the "zone of uselessness".
    ///
    /// ## Example
    /// ```python
    /// # file: app/__init__.py
    /// # file: app/core/__init__.py
    /// # file: app/core/store.py
    /// class Store: ...
    /// # file: app/core/clock.py
    /// class Clock: ...
    /// # file: app/api.py
    /// from app.core.store import Store
    /// # file: app/jobs.py
    /// from app.core.clock import Clock
    /// # file: app/cli.py
    /// from app.core.store import Store
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: app/__init__.py
    /// # file: app/core/__init__.py
    /// # file: app/core/store.py
    /// from typing import Protocol
    ///
    /// class Store(Protocol): ...
    /// # file: app/core/clock.py
    /// from abc import ABC
    ///
    /// class Clock(ABC): ...
    /// # file: app/api.py
    /// from app.core.store import Store
    /// # file: app/jobs.py
    /// from app.core.clock import Clock
    /// # file: app/cli.py
    /// from app.core.store import Store
    /// ```
    pub static FAR_FROM_MAIN_SEQUENCE = Rule {
        code: "ARCH003",
        name: "far-from-main-sequence",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Metrics],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let options = project.options;
    for package in project.metrics() {
        if package.modules < options.min_modules
            || package.afferent + package.efferent == 0
            || package.distance <= options.max_distance
        {
            continue;
        }
        // The package's `__init__`, else its first module, carries the finding.
        let Some(node) = project
            .graph
            .find(&package.package)
            .or_else(|| project.graph.modules_under(&package.package).next())
        else {
            continue;
        };
        let advice = if package.abstractness + package.instability < 1.0 {
            format!(
                "stable and concrete, so every change reaches its {} importers; put ABCs or Protocols in front of what they use, or split it",
                package.afferent
            )
        } else {
            "abstract and depended on by nothing; fold its interfaces into their implementations, or remove them".to_string()
        };
        let message = format!(
            "package `{}` is far from the main sequence (D = {:.2}: abstractness {:.2}, instability {:.2}, Ca {}, Ce {}): {advice}",
            package.package,
            package.distance,
            package.abstractness,
            package.instability,
            package.afferent,
            package.efferent
        );
        cx.report(project.path_of(node), 1, 1, message);
    }
}
