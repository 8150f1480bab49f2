//! Performance (guide §6): complexity and maintainability over thresholds (the figures of
//! `archlint metrics`), work a loop repeats that could be done once (a list scanned for
//! membership, a string rebuilt, a pattern compiled, a front element shifted), algorithms that
//! are quadratic by construction (summing lists, joining two collections by nested loops),
//! caches that grow without bound or key on strings, wall-clock timing, profilers left on in
//! shipped code, and loops that only build a list or dict.
//!
//! `flow` holds what the rules ask about the code around a node: the loop that repeats it and
//! what a name holds there.

pub mod flow;

pub mod collection_scan_in_loop;
pub mod cyclomatic_complexity;
pub mod excessive_nesting;
pub mod linear_scan_eviction;
pub mod list_front_operation_in_loop;
pub mod low_maintainability_index;
pub mod manual_comprehension;
pub mod nested_loop_join;
pub mod profiling_in_production_code;
pub mod quadratic_list_summation;
pub mod regex_compile_in_function;
pub mod str_concat_in_loop;
pub mod stringified_cache_key;
pub mod unbounded_memo_cache;
pub mod wall_clock_duration;
