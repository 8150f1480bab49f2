//! How bad an advisory is: the CVSS vectors of its `severity[]` (v2, v3.0, v3.1, v4.0)
//! scored with the `cvss` crate and rated on the CVSS scale, or, without a vector, the
//! qualitative rating some databases add (GitHub's `database_specific.severity`), or
//! "unknown".

use serde::Serialize;

/// The CVSS qualitative rating; `Unknown` when the advisory gives neither a vector nor a
/// rating. Ordered, so `--fail-on-severity` and counts compare levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Critical,
        Level::High,
        Level::Medium,
        Level::Low,
        Level::Unknown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// A rating written by a database (`HIGH`, GitHub's `MODERATE`).
    pub fn from_name(name: &str) -> Option<Level> {
        Some(match name.to_ascii_lowercase().as_str() {
            "low" => Level::Low,
            "medium" | "moderate" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    /// CVSS v3/v4 ranges: 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical (a
    /// score of 0 rates as low: the advisory still exists).
    pub fn of_score(score: f64) -> Level {
        match score {
            s if s >= 9.0 => Level::Critical,
            s if s >= 7.0 => Level::High,
            s if s >= 4.0 => Level::Medium,
            _ => Level::Low,
        }
    }
}

/// An advisory's rating.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rating {
    pub level: Level,
    /// The CVSS base score, when a vector was given.
    pub score: Option<f64>,
    /// The vector the score comes from (`CVSS:3.1/AV:N/…`).
    pub vector: Option<String>,
}

impl Rating {
    pub const UNKNOWN: Rating = Rating {
        level: Level::Unknown,
        score: None,
        vector: None,
    };

    /// The highest-scoring vector among `vectors` (each a `severity[].score`); the
    /// database's own rating when no vector parses; else unknown.
    pub fn of<'v>(vectors: impl IntoIterator<Item = &'v str>, database: Option<&str>) -> Rating {
        let mut best: Option<Rating> = None;
        for vector in vectors {
            let Some(score) = score_vector(vector) else {
                continue;
            };
            if best.as_ref().is_none_or(|b| b.score < Some(score)) {
                best = Some(Rating {
                    level: level_of_vector(vector, score),
                    score: Some(score),
                    vector: Some(vector.to_string()),
                });
            }
        }
        best.unwrap_or_else(|| Rating {
            level: database
                .and_then(Level::from_name)
                .unwrap_or(Level::Unknown),
            score: None,
            vector: None,
        })
    }
}

/// The base score of a CVSS vector, or `None` when it does not parse.
pub fn score_vector(vector: &str) -> Option<f64> {
    let parsed: cvss::Cvss = vector.trim().parse().ok()?;
    Some(parsed.score())
}

/// CVSS v2 has no "critical": 7.0–10 is high there.
fn level_of_vector(vector: &str, score: f64) -> Level {
    let level = Level::of_score(score);
    if !vector.trim_start().starts_with("CVSS:") && level == Level::Critical {
        Level::High
    } else {
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_v3_vector_scores_9_8_critical() {
        let rating = Rating::of(["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"], None);
        assert_eq!(rating.score, Some(9.8));
        assert_eq!(rating.level, Level::Critical);
        let medium = Rating::of(["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"], None);
        assert_eq!(medium.score, Some(6.1));
        assert_eq!(medium.level, Level::Medium);
    }

    #[test]
    fn cvss_v4_and_v2_vectors_are_scored() {
        let v4 = Rating::of(
            ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"],
            None,
        );
        assert_eq!(v4.score, Some(9.3));
        assert_eq!(v4.level, Level::Critical);
        let v2 = Rating::of(["AV:N/AC:L/Au:N/C:C/I:C/A:C"], None);
        assert_eq!(v2.score, Some(10.0));
        assert_eq!(v2.level, Level::High, "CVSS v2 tops out at high");
    }

    #[test]
    fn the_highest_vector_wins_and_no_vector_is_unknown() {
        let rating = Rating::of(
            [
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
                "not a vector",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            ],
            None,
        );
        assert_eq!(rating.level, Level::Critical);
        assert_eq!(Rating::of([], None), Rating::UNKNOWN);
        assert_eq!(
            Rating::of(["garbage"], Some("MODERATE")).level,
            Level::Medium
        );
    }
}
