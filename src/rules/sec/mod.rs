//! Security (guide §8): every check bandit performs, with bandit's ids recorded so `# nosec`
//! keeps working (SEC101–SEC704, numbered after bandit's B101–B704), and the guide's own
//! security advice that no other tool checks (SEC801–SEC816).

pub mod helpers;

// -- SEC1xx, SEC2xx, SEC5xx --

// -- SEC3xx, SEC4xx --

// -- SEC6xx, SEC7xx --
pub mod subprocess_shell_true;

// -- SEC8xx --
pub mod archive_extract_unfiltered;
pub mod ephemeral_signing_key;
pub mod fast_hash_for_password;
pub mod hardcoded_secret_fallback;
pub mod insecure_random_secret;
pub mod jwt_verification_disabled;
pub mod ml_unsafe_deserialization;
pub mod naive_utc_timestamp;
pub mod non_literal_sql_execute;
pub mod record_classes;
pub mod runtime_package_install;
pub mod secret_in_log;
pub mod secret_in_repr;
pub mod secret_names;
pub mod timing_unsafe_compare;
pub mod tls_verification_disabled;
pub mod truncated_digest;
pub mod weak_kdf_parameters;
