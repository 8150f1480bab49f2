//! The stats dict of a cProfile dump, as `pstats.Stats` loads it.
//!
//! `{(file, line, function): (cc, nc, tt, ct, callers)}` where `cc` counts primitive
//! (non-recursive) calls, `nc` all calls, `tt` the time in the function itself, `ct` the time
//! in it and its callees, and `callers` maps each caller's key to the same figures for the
//! calls it made, in the order `(nc, cc, tt, ct)` (cProfile), or to a bare call count (the
//! pure-Python `profile` module). Built-ins have the file `~` and line 0.
//!
//! The entries keep the file's order: `pstats.sort_stats` sorts stably, so ties keep this
//! order, and a key given twice keeps its first place with its last value, as a Python dict
//! does.

use std::collections::HashMap;
use std::rc::Rc;

use crate::marshal::{self, Value};
use crate::{CallTree, Edge, Format, FunctionStats, Profile, Unit};

/// The most caller entries read over the whole dump (shared callers dicts are counted each
/// time they are used, so a small hostile file cannot make the work quadratic).
pub const MAX_CALLER_ENTRIES: usize = 20_000_000;

type Key = (Rc<str>, u32, Rc<str>);

/// Reads a marshalled stats dict.
pub fn parse(bytes: &[u8]) -> Result<Profile, String> {
    let value = marshal::read(bytes).map_err(|e| format!("not a readable cProfile dump: {e}"))?;
    let Value::Dict(entries) = value else {
        return Err(format!(
            "holds a marshalled {}, not the stats dict of a cProfile dump",
            value.type_name()
        ));
    };
    if entries.is_empty() {
        return Err("a cProfile dump that holds no function".to_string());
    }
    let mut index_of: HashMap<Key, usize> = HashMap::with_capacity(entries.len());
    let mut functions: Vec<FunctionStats> = Vec::with_capacity(entries.len());
    let mut callers_of: Vec<Rc<[(Value, Value)]>> = Vec::with_capacity(entries.len());
    for (position, (key, value)) in entries.iter().enumerate() {
        let entry = |problem: String| {
            format!(
                "not the stats dict of a cProfile dump: entry {}: {problem}",
                position + 1
            )
        };
        let key = function_key(key).map_err(entry)?;
        let (cc, nc, tt, ct, callers) = stats_tuple(value).map_err(entry)?;
        let stats = FunctionStats {
            file: key.0.to_string(),
            line: key.1,
            name: key.2.to_string(),
            calls: Some(nc),
            primitive_calls: Some(cc),
            total_time: tt,
            cumulative_time: ct,
        };
        match index_of.get(&key) {
            Some(&index) => {
                functions[index] = stats;
                callers_of[index] = callers;
            }
            None => {
                index_of.insert(key, functions.len());
                functions.push(stats);
                callers_of.push(callers);
            }
        }
    }
    let mut edges = Vec::new();
    let mut read_entries = 0usize;
    for (callee, callers) in callers_of.iter().enumerate() {
        read_entries = read_entries.saturating_add(callers.len());
        if read_entries > MAX_CALLER_ENTRIES {
            return Err(format!(
                "the dump's callers lists hold more than {MAX_CALLER_ENTRIES} entries"
            ));
        }
        for (key, value) in callers.iter() {
            let where_ = || format!("the callers of {}", functions[callee].std_name());
            let key = function_key(key).map_err(|p| format!("{}: {p}", where_()))?;
            let (calls, cumulative_time) =
                caller_figures(value).map_err(|p| format!("{}: {p}", where_()))?;
            // pstats keeps callers that are not functions of the dump; a flame graph has
            // nowhere to put them.
            if let Some(&caller) = index_of.get(&key) {
                edges.push(Edge {
                    caller,
                    callee,
                    calls,
                    cumulative_time,
                });
            }
        }
    }
    let total_time = functions.iter().map(|f| f.total_time).sum();
    Ok(Profile {
        format: Format::Pstats,
        unit: Unit::Seconds,
        total_time,
        functions,
        tree: CallTree::Edges(edges),
    })
}

fn function_key(value: &Value) -> Result<Key, String> {
    let Value::Tuple(items) = value else {
        return Err(format!(
            "a {} where a (file, line, function) key was expected",
            value.type_name()
        ));
    };
    match &items[..] {
        [Value::Str(file), Value::Int(line), Value::Str(name)] => {
            let line = u32::try_from(*line)
                .map_err(|_| format!("the line number {line} is out of range"))?;
            Ok((file.clone(), line, name.clone()))
        }
        _ => Err(format!(
            "a key of {} items where a (file, line, function) tuple was expected",
            items.len()
        )),
    }
}

fn count(value: &Value, what: &str) -> Result<u64, String> {
    match value {
        Value::Int(n) => u64::try_from(*n).map_err(|_| format!("{what} that is negative ({n})")),
        Value::Bool(b) => Ok(u64::from(*b)),
        other => Err(format!("a {} where {what} was expected", other.type_name())),
    }
}

fn time(value: &Value, what: &str) -> Result<f64, String> {
    let seconds = match value {
        Value::Float(f) => *f,
        Value::Int(n) => *n as f64,
        other => return Err(format!("a {} where {what} was expected", other.type_name())),
    };
    if seconds.is_finite() {
        Ok(seconds)
    } else {
        Err(format!("{what} that is not a finite number ({seconds})"))
    }
}

type StatsTuple = (u64, u64, f64, f64, Rc<[(Value, Value)]>);

fn stats_tuple(value: &Value) -> Result<StatsTuple, String> {
    let Value::Tuple(items) = value else {
        return Err(format!(
            "a {} where a (cc, nc, tt, ct, callers) tuple was expected",
            value.type_name()
        ));
    };
    let [cc, nc, tt, ct, callers] = &items[..] else {
        return Err(format!(
            "a tuple of {} items where (cc, nc, tt, ct, callers) was expected",
            items.len()
        ));
    };
    let Value::Dict(callers) = callers else {
        return Err(format!("callers are a {}, not a dict", callers.type_name()));
    };
    Ok((
        count(cc, "a primitive call count")?,
        count(nc, "a call count")?,
        time(tt, "an own time")?,
        time(ct, "a cumulative time")?,
        callers.clone(),
    ))
}

/// The calls and cumulative time of one caller entry: `(nc, cc, tt, ct)` from cProfile, a
/// bare count from `profile` (no time: the flame graph then splits by calls).
fn caller_figures(value: &Value) -> Result<(u64, f64), String> {
    match value {
        Value::Tuple(items) => match &items[..] {
            [nc, cc, tt, ct] => {
                count(cc, "a primitive call count")?;
                time(tt, "an own time")?;
                Ok((count(nc, "a call count")?, time(ct, "a cumulative time")?))
            }
            _ => Err(format!(
                "a tuple of {} items where (nc, cc, tt, ct) was expected",
                items.len()
            )),
        },
        Value::Int(_) => Ok((count(value, "a call count")?, f64::NAN)),
        other => Err(format!(
            "a {} where a caller's figures were expected",
            other.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(version: &str) -> Vec<u8> {
        let path = format!(
            "{}/../../tests/fixtures/profile/shop-{version}.prof",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(path).unwrap()
    }

    /// What `pstats.Stats(path)` says of the fixtures: functions, total and primitive calls,
    /// and `total_tt`.
    const FIXTURES: [(&str, usize, u64, u64, f64); 3] = [
        ("3.8.18", 113, 3371, 2904, 0.006360392000000001),
        ("3.11.7", 120, 3414, 2947, 0.006242485999999999),
        ("3.13.0", 125, 3406, 2939, 0.008011585999999998),
    ];

    #[test]
    fn reads_the_dumps_of_python_3_8_to_3_13_as_pstats_does() {
        for (version, functions, calls, primitive, total) in FIXTURES {
            let profile = parse(&fixture(version)).unwrap();
            assert_eq!(profile.functions.len(), functions, "{version}");
            let nc: u64 = profile.functions.iter().map(|f| f.calls.unwrap()).sum();
            let cc: u64 = profile
                .functions
                .iter()
                .map(|f| f.primitive_calls.unwrap())
                .sum();
            assert_eq!((nc, cc), (calls, primitive), "{version}");
            assert!((profile.total_time - total).abs() < 1e-12, "{version}");
            let eval = profile
                .functions
                .iter()
                .find(|f| f.name == "<built-in method builtins.eval>")
                .unwrap();
            assert_eq!((eval.file.as_str(), eval.line), ("~", 0));
            assert_eq!(eval.std_name(), "{built-in method builtins.eval}");
            let CallTree::Edges(edges) = &profile.tree else {
                panic!("edges")
            };
            assert!(!edges.is_empty());
        }
    }

    #[test]
    fn every_truncation_of_a_real_dump_is_an_error() {
        let bytes = fixture("3.11.7");
        for end in 0..bytes.len() {
            assert!(
                parse(&bytes[..end]).is_err(),
                "the first {end} bytes were read as a dump"
            );
        }
    }

    #[test]
    fn flipped_bytes_never_panic() {
        let bytes = fixture("3.11.7");
        // A fixed xorshift sequence: the same flips on every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..500 {
            let mut copy = bytes.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() % copy.len() as u64) as usize;
                copy[at] ^= 1 << (next() % 8);
            }
            let _ = parse(&copy);
        }
        // Every single byte set to each of the type codes.
        for at in (0..bytes.len()).step_by(29) {
            for code in [b'(', b')', b'{', b'[', b'r', b'l', b'u', 0xff, 0x00] {
                let mut copy = bytes.clone();
                copy[at] = code;
                let _ = parse(&copy);
            }
        }
    }

    #[test]
    fn refuses_dicts_that_are_not_stats() {
        for (data, expected) in [
            (&b"N"[..], "holds a marshalled None"),
            (b"{0", "holds no function"),
            (b"{N0" as &[u8], "dict key without a value"),
            (b"{NN0", "entry 1: a None where a (file, line, function) key"),
            (
                b"{)\x03z\x01ai\x01\x00\x00\x00z\x01fN0",
                "entry 1: a None where a (cc, nc, tt, ct, callers) tuple",
            ),
            (
                b"{)\x03z\x01ai\xff\xff\xff\xffz\x01f)\x05i\x01\x00\x00\x00i\x01\x00\x00\x00i\x00\x00\x00\x00i\x00\x00\x00\x00{00",
                "line number -1 is out of range",
            ),
            (
                b"{)\x03z\x01ai\x01\x00\x00\x00z\x01f)\x05i\xff\xff\xff\xffi\x01\x00\x00\x00i\x00\x00\x00\x00i\x00\x00\x00\x00{00",
                "a primitive call count that is negative",
            ),
        ] {
            let error = parse(data).unwrap_err();
            assert!(error.contains(expected), "{error} (expected {expected})");
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_takes_the_last_value() {
        let entry = |name: &[u8], calls: u8| {
            let mut e = b")\x03z\x01ai\x01\x00\x00\x00z\x01".to_vec();
            e.extend_from_slice(name);
            e.extend_from_slice(b")\x05i");
            e.extend_from_slice(&[calls, 0, 0, 0]);
            e.push(b'i');
            e.extend_from_slice(&[calls, 0, 0, 0]);
            e.extend_from_slice(b"i\x00\x00\x00\x00i\x00\x00\x00\x00{0");
            e
        };
        let mut data = b"{".to_vec();
        data.extend(entry(b"f", 1));
        data.extend(entry(b"g", 2));
        data.extend(entry(b"f", 3));
        data.push(b'0');
        let profile = parse(&data).unwrap();
        let names: Vec<(&str, Option<u64>)> = profile
            .functions
            .iter()
            .map(|f| (f.name.as_str(), f.calls))
            .collect();
        assert_eq!(names, [("f", Some(3)), ("g", Some(2))]);
    }
}
