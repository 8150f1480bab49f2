use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags Hugging Face downloads that are not pinned to a commit: `from_pretrained` (of a
    /// `transformers` class), `datasets.load_dataset`, `huggingface_hub.hf_hub_download` and
    /// `snapshot_download`, without a `revision=` (or `commit_id=`) that is a commit hash of at
    /// least 7 hex digits. A revision given as a variable, and a local path (`./model`,
    /// `/models/x`), are not flagged.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, supply chain) and §11 (AI/ML systems): a model or
    /// dataset fetched by name is whatever its owner (or whoever took over the account)
    /// published last, and model files can carry code.
    ///
    /// ## Example
    /// ```python
    /// from transformers import AutoModel
    ///
    /// model = AutoModel.from_pretrained("org/model")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from transformers import AutoModel
    ///
    /// model = AutoModel.from_pretrained("org/model", revision="4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
    /// ```
    pub static HUGGINGFACE_UNPINNED_DOWNLOAD = Rule {
        code: "SEC615",
        name: "huggingface-unpinned-download",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B615")],
        check: Check::AnyCall { run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let parts: Vec<&str> = name.split('.').collect();
    let function = parts.last().copied().unwrap_or_default();
    let library = match function {
        "from_pretrained" => "transformers",
        "load_dataset" => "datasets",
        "hf_hub_download" | "snapshot_download" => "huggingface_hub",
        _ => return,
    };
    if !parts.contains(&library) {
        return;
    }
    let revision = call
        .keyword_value("revision")
        .or_else(|| call.keyword_value("commit_id"));
    match revision {
        // Set at run time: trust it, as bandit does.
        Some(value) if literal::str_ref(value).is_none() && !literal::is_none(value) => return,
        Some(value) => {
            let pinned = literal::str_ref(value).is_some_and(|revision| {
                revision.len() >= 7 && revision.chars().all(|c| c.is_ascii_hexdigit())
            });
            if pinned {
                return;
            }
        }
        None => {}
    }
    if call.arg(0).and_then(literal::str_ref).is_some_and(|path| {
        path.starts_with("./") || path.starts_with('/') || path.starts_with("../")
    }) {
        return;
    }
    cx.report(
        call.range(),
        format!(
            "`{function}` downloads whatever was published last; pin `revision=` to a commit hash"
        ),
    );
}
