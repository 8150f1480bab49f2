use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags machine-learning loaders that unpickle their input: `numpy.load(...,
    /// allow_pickle=True)`, `cloudpickle.load`/`loads`, `keras.models.load_model(...,
    /// safe_mode=False)`, and `joblib.load` / `pandas.read_pickle` on a path that is not a
    /// literal. Bandit's pickle checks (B301) do not know these loaders.
    ///
    /// ## Why it matters
    /// Guide §8 (security) and ch. 11 (AI/ML): model files and datasets are downloaded and
    /// shared; a pickled one runs arbitrary code the moment it is loaded.
    ///
    /// ## Example
    /// ```python
    /// import numpy as np
    /// def features(path):
    ///     return np.load(path, allow_pickle=True)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import numpy as np
    /// def features(path):
    ///     return np.load(path)
    /// ```
    pub static ML_UNSAFE_DESERIALIZATION = Rule {
        code: "SEC810",
        name: "ml-unsafe-deserialization",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "S301")],
        check: Check::Call {
            targets: &[
                "numpy.load",
                "cloudpickle.load",
                "cloudpickle.loads",
                "joblib.load",
                "pandas.read_pickle",
                "keras.models.load_model",
                "keras.saving.load_model",
                "tensorflow.keras.models.load_model",
            ],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    let name = call.name();
    let message = match name.as_str() {
        "numpy.load" => {
            if !call
                .keyword_value("allow_pickle")
                .is_some_and(literal::is_truthy_literal)
            {
                return;
            }
            format!(
                "`{name}` with `allow_pickle=True` runs code stored in the file; save arrays without objects and load with `allow_pickle=False`"
            )
        }
        "cloudpickle.load" | "cloudpickle.loads" => {
            format!(
                "`{name}` runs code stored in its input; load only data you produced and signed, or use a data-only format"
            )
        }
        "joblib.load" | "pandas.read_pickle" => {
            let path = call.argument(
                0,
                if name == "joblib.load" {
                    "filename"
                } else {
                    "filepath_or_buffer"
                },
            );
            if path.is_none_or(|p| literal::is_literal_string_expr(cx.follow(p))) {
                return;
            }
            format!(
                "`{name}` unpickles a file chosen at run time, which runs code stored in it; load only files you produced, or use a data-only format (safetensors, parquet, JSON)"
            )
        }
        _ => {
            if !call
                .keyword_value("safe_mode")
                .is_some_and(literal::is_false)
            {
                return;
            }
            format!(
                "`{name}` with `safe_mode=False` runs Python code stored in the model (lambda layers); keep `safe_mode=True`"
            )
        }
    };
    cx.report(call.range(), message);
}
