//! Security (guide §8): every check bandit performs, with bandit's ids recorded so `# nosec`
//! keeps working (SEC101–SEC704, numbered after bandit's B101–B704), and the guide's own
//! security advice that no other tool checks (SEC801–SEC816).

pub mod helpers;

pub mod assert_used;
pub mod subprocess_shell_true;
