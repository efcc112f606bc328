//! Performance assessments: the evidence that a student can do what a
//! competency says, scored on a rubric (docs/assessments.md).
//!
//! The student's side (task, prints, rubric descriptors, inspection rows) and
//! the instructor's ([`AssessmentInstructor`]) are separate types, so the data
//! of a task sheet is built without ever holding scoring notes or answers.

use serde::Deserialize;

use std::collections::HashMap;

use super::{CompetencyId, Curriculum, LessonId, Spanned};
use crate::diag::{FileId, Span};

id_type! {
    /// An assessment's unique id, such as `mtt-pa-lathe-step-pin`.
    AssessmentId;
}

/// What sort of evidence an assessment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssessmentKind {
    Project,
    PracticalExam,
    WrittenTest,
    CredentialExam,
    WorkBasedEvidence,
}

impl AssessmentKind {
    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::Project => "project",
            AssessmentKind::PracticalExam => "practical-exam",
            AssessmentKind::WrittenTest => "written-test",
            AssessmentKind::CredentialExam => "credential-exam",
            AssessmentKind::WorkBasedEvidence => "work-based-evidence",
        }
    }

    /// The name as printed.
    pub fn label(self) -> &'static str {
        match self {
            AssessmentKind::Project => "Project",
            AssessmentKind::PracticalExam => "Practical exam",
            AssessmentKind::WrittenTest => "Written test",
            AssessmentKind::CredentialExam => "Credential exam",
            AssessmentKind::WorkBasedEvidence => "Work-based evidence",
        }
    }

    /// What a rubric of this kind judges unless the assessment says otherwise:
    /// tests and outside exams are answered on paper or screen.
    pub fn default_evidence(self) -> Evidence {
        match self {
            AssessmentKind::WrittenTest | AssessmentKind::CredentialExam => Evidence::Written,
            _ => Evidence::Performance,
        }
    }
}

/// Whether a rubric judges what students do or what they write; only the first
/// makes a competency *demonstrated* in coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Performance,
    Written,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Performance => "performance",
            Evidence::Written => "written",
        }
    }
}

/// A named scale of performance levels (curriculum.yaml's `scales`).
#[derive(Debug)]
pub struct Scale {
    pub id: Spanned<String>,
    pub title: String,
    /// Highest first.
    pub levels: Vec<ScaleLevel>,
}

#[derive(Clone, Debug)]
pub struct ScaleLevel {
    pub id: String,
    pub label: String,
    pub points: Option<f64>,
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct Assessment {
    pub id: Spanned<AssessmentId>,
    pub file: FileId,
    pub title: String,
    pub kind: AssessmentKind,
    pub evidence: Evidence,
    pub demonstrates: Vec<Spanned<CompetencyId>>,
    pub duration_minutes: u32,
    /// Where the duration is written, for findings about timing.
    pub duration: Span,
    pub machine_minutes: u32,
    pub machine_time: Option<Span>,
    pub schedule: Vec<ScheduleStep>,
    pub prerequisites: Vec<Spanned<LessonId>>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub signoff: Vec<String>,
    pub prints: Vec<Print>,
    pub rubric: Rubric,
    pub instructor: AssessmentInstructor,
    /// The folder holding the assessment, as a path cib can open (prints resolve here).
    pub folder: String,
    /// The curriculum root, as a path cib can open.
    pub root: String,
    /// The student's task (the Markdown body), and its byte offset in the file.
    pub body: String,
    pub body_offset: usize,
}

impl Assessment {
    /// Whether the rubric judges performance, which coverage counts as
    /// *demonstrated*.
    pub fn is_performance(&self) -> bool {
        self.evidence == Evidence::Performance
    }
}

#[derive(Debug)]
pub struct ScheduleStep {
    pub text: String,
    pub minutes: u32,
    pub machine: Option<String>,
}

/// A drawing the student works from.
#[derive(Debug)]
pub struct Print {
    pub src: Spanned<String>,
    pub alt: String,
    pub title: Option<String>,
}

#[derive(Debug)]
pub struct Rubric {
    pub scale: RubricScale,
    pub passing: Passing,
    pub criteria: Vec<Criterion>,
    /// Where `rubric:` is written, for findings about the rubric as a whole.
    pub span: Span,
}

/// Where a rubric's levels come from.
#[derive(Debug)]
pub enum RubricScale {
    /// A scale of curriculum.yaml, by id.
    Named(Spanned<String>),
    /// The rubric's own levels.
    Own(Vec<ScaleLevel>),
    /// A scale named and levels given too: the named scale counts, and C011
    /// asks for one of the two.
    Both(Spanned<String>),
    /// Neither (C011 says so).
    Missing,
}

#[derive(Debug)]
pub struct Passing {
    pub level: Spanned<String>,
    pub points: Option<Spanned<f64>>,
    pub text: Option<String>,
}

/// One row of a rubric.
#[derive(Debug)]
pub struct Criterion {
    pub id: Spanned<String>,
    pub title: String,
    pub competency: Spanned<CompetencyId>,
    /// The competency's own performance criterion this row judges, from 1.
    pub criterion: Option<Spanned<u32>>,
    pub critical: bool,
    pub weight: f64,
    /// Descriptors by level id, in the order written.
    pub descriptors: Vec<(Spanned<String>, String)>,
    /// Where `levels:` is written.
    pub descriptors_span: Span,
    pub measured: Vec<Measured>,
}

impl Criterion {
    /// The descriptor for level `id`.
    pub fn descriptor(&self, id: &str) -> Option<&str> {
        self.descriptors
            .iter()
            .find(|(level, _)| level.value == id)
            .map(|(_, text)| text.as_str())
    }
}

/// A feature inspected with an instrument: a row of the inspection sheet.
#[derive(Debug)]
pub struct Measured {
    pub feature: String,
    pub nominal: Option<Spanned<String>>,
    pub tolerance: Option<Spanned<String>>,
    pub min: Option<Spanned<String>>,
    pub max: Option<Spanned<String>>,
    pub unit: Option<String>,
    pub instrument: String,
    /// Where the row starts.
    pub span: Span,
}

/// The accepted range of a measured feature, as printed: each limit with the
/// decimals its nominal and tolerance were written with.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    pub lower: Option<String>,
    pub upper: Option<String>,
}

/// Why a measured feature has no usable limits, and where.
#[derive(Debug)]
pub struct LimitsError {
    pub span: Span,
    pub message: String,
    pub hint: &'static str,
}

const TOLERANCE_FORMS: &str = "write `±0.002` (or a plain number, read as ±), or upper and lower deviations such as `+0.002/-0.001` or `+0.000/-0.002`";

impl Measured {
    /// The limits this row accepts: nominal plus its deviations, or the
    /// `min`/`max` given. `Err` for a tolerance cib cannot read, limits that
    /// are inverted, or a row that states none.
    pub fn limits(&self) -> Result<Limits, LimitsError> {
        let fail = |span: &Span, message: String, hint| {
            Err(LimitsError {
                span: span.clone(),
                message,
                hint,
            })
        };
        let both = self.min.is_some() || self.max.is_some();
        match (&self.nominal, &self.tolerance) {
            (Some(nominal), Some(tolerance)) => {
                if both {
                    return fail(
                        &tolerance.span,
                        format!("`{}` has both a tolerance and limits", self.feature),
                        "give either nominal and tolerance, or `min`/`max`",
                    );
                }
                let (upper, lower) = match deviations(&tolerance.value) {
                    Some(found) => found,
                    None => {
                        return fail(
                            &tolerance.span,
                            format!("cannot read the tolerance `{}`", tolerance.value),
                            TOLERANCE_FORMS,
                        );
                    }
                };
                let Some(base) = number(&nominal.value) else {
                    return fail(
                        &nominal.span,
                        format!("the nominal `{}` is not a number", nominal.value),
                        "write the size as a decimal number, such as \"0.750\"",
                    );
                };
                if upper.value <= lower.value {
                    return fail(
                        &tolerance.span,
                        format!(
                            "the tolerance `{}` is inverted: its upper deviation is not above its lower one",
                            tolerance.value
                        ),
                        "write the upper deviation first: `+0.002/-0.001`",
                    );
                }
                let places = decimals(&nominal.value).max(upper.places).max(lower.places);
                Ok(Limits {
                    lower: Some(fixed(base + lower.value, places)),
                    upper: Some(fixed(base + upper.value, places)),
                })
            }
            (None, Some(tolerance)) => fail(
                &tolerance.span,
                format!("`{}` has a tolerance but no nominal size", self.feature),
                "add `nominal:`, the size on the print",
            ),
            (nominal, None) => {
                if !both {
                    let span = nominal.as_ref().map_or(&self.span, |n| &n.span);
                    return fail(
                        span,
                        format!("`{}` has no tolerance or limits", self.feature),
                        "add `tolerance:` to the nominal, or a `min`, a `max` or both",
                    );
                }
                if let Some(nominal) = nominal {
                    return fail(
                        &nominal.span,
                        format!("`{}` has a nominal size and limits", self.feature),
                        "give either nominal and tolerance, or `min`/`max`",
                    );
                }
                for side in [&self.min, &self.max].into_iter().flatten() {
                    if number(&side.value).is_none() {
                        return fail(
                            &side.span,
                            format!("the limit `{}` is not a number", side.value),
                            "write the limit as a decimal number",
                        );
                    }
                }
                if let (Some(min), Some(max)) = (&self.min, &self.max)
                    && number(&min.value) >= number(&max.value)
                {
                    return fail(
                        &max.span,
                        format!(
                            "the limits of `{}` are inverted: max {} is not above min {}",
                            self.feature, max.value, min.value
                        ),
                        "swap `min` and `max`",
                    );
                }
                Ok(Limits {
                    lower: self.min.as_ref().map(|m| m.value.clone()),
                    upper: self.max.as_ref().map(|m| m.value.clone()),
                })
            }
        }
    }
}

/// A number as written, and how many decimals it was written with.
struct Written {
    value: f64,
    places: usize,
}

fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits = text.trim_start_matches(['+', '-']);
    let plain = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && digits != ".";
    plain.then(|| text.parse().ok()).flatten()
}

fn decimals(text: &str) -> usize {
    text.trim()
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

fn written(text: &str) -> Option<Written> {
    Some(Written {
        value: number(text)?,
        places: decimals(text),
    })
}

/// A tolerance's upper and lower deviations: `±t`, `+/-t`, a plain `t`, or
/// `upper/lower`.
fn deviations(text: &str) -> Option<(Written, Written)> {
    let text = text.trim();
    if let Some((upper, lower)) = text.split_once('/')
        && !text.starts_with("+/-")
    {
        return Some((written(upper)?, written(lower)?));
    }
    let magnitude = ["±", "+/-", "+-"]
        .iter()
        .find_map(|sign| text.strip_prefix(sign))
        .unwrap_or(text)
        .trim();
    if magnitude.starts_with(['+', '-']) {
        return None;
    }
    let t = written(magnitude)?;
    Some((
        Written {
            value: t.value,
            places: t.places,
        },
        Written {
            value: -t.value,
            places: t.places,
        },
    ))
}

/// `value` with exactly `places` decimals; `-0.000` prints as `0.000`.
fn fixed(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    }
}

/// An assessment's evidence of one competency: the rubric criteria tied to it.
#[derive(Clone, Debug)]
pub struct Evidenced<'c> {
    pub assessment: &'c Assessment,
    /// Ids of the criteria tied to the competency, in rubric order.
    pub criteria: Vec<&'c str>,
}

impl Curriculum {
    /// For each competency id, the assessments whose rubric evidences it, in
    /// curriculum order. An assessment counts for a competency it claims
    /// (`demonstrates`) and ties at least one criterion to; coverage, the
    /// records and C016 read evidence from here alone.
    pub fn evidence(&self) -> HashMap<&str, Vec<Evidenced<'_>>> {
        let mut evidence: HashMap<&str, Vec<Evidenced>> = HashMap::new();
        for a in &self.assessments {
            for id in &a.demonstrates {
                let criteria: Vec<&str> = a
                    .rubric
                    .criteria
                    .iter()
                    .filter(|k| k.competency.value == id.value)
                    .map(|k| k.id.value.as_str())
                    .collect();
                if criteria.is_empty() {
                    continue;
                }
                let entry = evidence.entry(id.value.as_str()).or_default();
                if !entry.iter().any(|e| e.assessment.id.value == a.id.value) {
                    entry.push(Evidenced {
                        assessment: a,
                        criteria,
                    });
                }
            }
        }
        evidence
    }
}

/// Everything only instructors see.
#[derive(Debug, Default)]
pub struct AssessmentInstructor {
    pub setup: Option<String>,
    pub notes: Option<String>,
    /// Scoring notes by criterion id, in the order written.
    pub scoring: Vec<(Spanned<String>, String)>,
    pub model_answers: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        nominal: Option<&str>,
        tolerance: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Measured {
        let file = crate::diag::Sources::default().add("a.md".into(), String::new());
        let at = |text: Option<&str>| {
            text.map(|t| Spanned {
                value: t.to_owned(),
                span: Span::whole(file),
            })
        };
        Measured {
            feature: "f".into(),
            nominal: at(nominal),
            tolerance: at(tolerance),
            min: at(min),
            max: at(max),
            unit: None,
            instrument: "i".into(),
            span: Span::whole(file),
        }
    }

    fn limits(
        nominal: Option<&str>,
        tolerance: Option<&str>,
        min: Option<&str>,
        max: Option<&str>,
    ) -> Result<(Option<String>, Option<String>), String> {
        row(nominal, tolerance, min, max)
            .limits()
            .map(|l| (l.lower, l.upper))
            .map_err(|e| e.message)
    }

    fn both(lower: &str, upper: &str) -> Result<(Option<String>, Option<String>), String> {
        Ok((Some(lower.into()), Some(upper.into())))
    }

    #[test]
    fn tolerances_give_limits_with_the_decimals_written() {
        assert_eq!(
            limits(Some("0.750"), Some("±0.002"), None, None),
            both("0.748", "0.752")
        );
        assert_eq!(
            limits(Some("0.75"), Some("+/-0.002"), None, None),
            both("0.748", "0.752")
        );
        assert_eq!(
            limits(Some("1.000"), Some("+0.000/-0.002"), None, None),
            both("0.998", "1.000")
        );
        assert_eq!(
            limits(Some(".5000"), Some("+0.0005/0"), None, None),
            both("0.5000", "0.5005")
        );
        assert_eq!(
            limits(Some("25"), Some("0.1"), None, None),
            both("24.9", "25.1")
        );
        assert_eq!(
            limits(Some("0.003"), Some("+0.003/-0.003"), None, None),
            both("0.000", "0.006")
        );
        assert_eq!(
            limits(None, None, None, Some("125")),
            Ok((None, Some("125".into())))
        );
        assert_eq!(
            limits(None, None, Some("0.25"), Some("0.30")),
            both("0.25", "0.30")
        );
    }

    #[test]
    fn malformed_inverted_and_missing_tolerances_are_refused() {
        for (nominal, tolerance, min, max, says) in [
            (Some("0.750"), Some("0.002 max"), None, None, "cannot read"),
            (Some("0.750"), Some("±-0.002"), None, None, "cannot read"),
            (Some("0.750"), Some("-0.002/+0.001"), None, None, "inverted"),
            (Some("0.750"), Some("+0.001/+0.001"), None, None, "inverted"),
            (Some("0.750"), Some("±0"), None, None, "inverted"),
            (None, None, Some("0.752"), Some("0.748"), "inverted"),
            (Some("0.750"), None, None, None, "no tolerance"),
            (None, Some("±0.002"), None, None, "no nominal"),
            (Some("0.750"), Some("±0.002"), Some("0.748"), None, "both"),
            (Some("3/4"), Some("±0.002"), None, None, "not a number"),
        ] {
            let found = limits(nominal, tolerance, min, max).unwrap_err();
            assert!(found.contains(says), "{nominal:?} {tolerance:?}: {found}");
        }
    }
}
