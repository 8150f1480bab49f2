use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `yaml.load(...)` and `yaml.load_all(...)` unless the loader is one of
    /// `SafeLoader`, `CSafeLoader`, `BaseLoader` or `CBaseLoader`, and flags
    /// `yaml.unsafe_load`/`unsafe_load_all` always. Bandit rates it MEDIUM; archlint makes it
    /// an error, as it builds arbitrary objects.
    ///
    /// Unlike bandit, archlint accepts `BaseLoader` (it builds only strings, lists and dicts)
    /// and also checks `load_all` and the `unsafe_*` functions.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, serialisation): PyYAML's full loaders construct any
    /// Python object a document names (`!!python/object/apply:os.system`); loading YAML from
    /// outside can run code.
    ///
    /// ## Example
    /// ```python
    /// import yaml
    ///
    /// config = yaml.load(text, Loader=yaml.Loader)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import yaml
    ///
    /// config = yaml.safe_load(text)
    /// ```
    pub static YAML_UNSAFE_LOAD = Rule {
        code: "SEC506",
        name: "yaml-unsafe-load",
        severity: Severity::Error,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B506"), Peer::same("ruff", "S506")],
        check: Check::Call {
            targets: &["yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"],
            run: check,
        },
    };
}

const SAFE_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    if !name.contains("unsafe") {
        let loader = call.argument(1, "Loader").and_then(literal::terminal_name);
        if loader.is_some_and(|loader| SAFE_LOADERS.contains(&loader)) {
            return;
        }
    }
    cx.report(
        call.range(),
        format!(
            "`{name}` can build arbitrary Python objects from the document; use `yaml.safe_load`"
        ),
    );
}
