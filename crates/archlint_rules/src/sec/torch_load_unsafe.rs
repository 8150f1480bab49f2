use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags `torch.load` and `torch.serialization.load` without `weights_only=True`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture) and §11 (AI/ML systems): a PyTorch checkpoint is a
    /// pickle; loading one from outside (a model hub, an upload) runs whatever code it
    /// carries. `weights_only=True` restricts loading to tensors and plain data.
    ///
    /// ## Example
    /// ```python
    /// import torch
    ///
    /// model = torch.load("checkpoint.pt")
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import torch
    ///
    /// state = torch.load("checkpoint.pt", weights_only=True)
    /// ```
    pub static TORCH_LOAD_UNSAFE = Rule {
        code: "SEC614",
        name: "torch-load-unsafe",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B614")],
        check: Check::Call { targets: &["torch.load", "torch.serialization.load"], run: check },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call
        .keyword_value("weights_only")
        .is_some_and(literal::is_true)
    {
        return;
    }
    cx.report(
        call.range(),
        format!(
            "`{}` unpickles the file and can run code from it; pass `weights_only=True`",
            call.name()
        ),
    );
}
