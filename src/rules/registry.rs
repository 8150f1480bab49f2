//! Every rule, in code order; adding a rule adds one line here.

use super::Rule;
use super::{engine, sec};

pub static RULES: &[&Rule] = &[
    // The tool itself.
    &engine::internal_error::INTERNAL_ERROR,
    &engine::file_unreadable::FILE_UNREADABLE,
    &engine::file_not_utf8::FILE_NOT_UTF8,
    &engine::binary_file::BINARY_FILE,
    &engine::file_too_large::FILE_TOO_LARGE,
    &engine::file_not_regular::FILE_NOT_REGULAR,
    &engine::unused_suppression::UNUSED_SUPPRESSION,
    &engine::syntax_error::SYNTAX_ERROR,
    &engine::nesting_too_deep::NESTING_TOO_DEEP,
    // Security (guide §8), in code order.
    //
    // -- SEC1xx, SEC2xx --
    //
    //
    // -- SEC3xx, SEC4xx --
    //
    //
    // -- SEC5xx --
    //
    //
    // -- SEC6xx, SEC7xx --
    &sec::subprocess_shell_true::SUBPROCESS_SHELL_TRUE,
    //
    //
    // -- SEC8xx --
    &sec::timing_unsafe_compare::TIMING_UNSAFE_COMPARE,
    &sec::insecure_random_secret::INSECURE_RANDOM_SECRET,
    &sec::naive_utc_timestamp::NAIVE_UTC_TIMESTAMP,
    &sec::runtime_package_install::RUNTIME_PACKAGE_INSTALL,
    &sec::ephemeral_signing_key::EPHEMERAL_SIGNING_KEY,
    &sec::truncated_digest::TRUNCATED_DIGEST,
    &sec::fast_hash_for_password::FAST_HASH_FOR_PASSWORD,
    &sec::weak_kdf_parameters::WEAK_KDF_PARAMETERS,
    &sec::jwt_verification_disabled::JWT_VERIFICATION_DISABLED,
    &sec::ml_unsafe_deserialization::ML_UNSAFE_DESERIALIZATION,
    &sec::archive_extract_unfiltered::ARCHIVE_EXTRACT_UNFILTERED,
    &sec::tls_verification_disabled::TLS_VERIFICATION_DISABLED,
    &sec::secret_in_log::SECRET_IN_LOG,
    &sec::secret_in_repr::SECRET_IN_REPR,
    &sec::hardcoded_secret_fallback::HARDCODED_SECRET_FALLBACK,
    &sec::non_literal_sql_execute::NON_LITERAL_SQL_EXECUTE,
    //
];

/// The rule with this code (exact match).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.code == code)
}

/// The rule with this code or name (codes case-insensitively).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// "; did you mean `X`?" for the closest code or name, or nothing.
pub fn suggestion(text: &str) -> String {
    let upper = text.to_ascii_uppercase();
    RULES
        .iter()
        .flat_map(|rule| {
            [
                (strsim::jaro_winkler(&upper, rule.code), rule.code),
                (strsim::jaro_winkler(text, rule.name), rule.name),
            ]
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.75)
        .map(|(_, candidate)| format!("; did you mean `{candidate}`?"))
        .unwrap_or_default()
}
