//! The files as parsed: serde mirrors of the schemas, before ids are typed and
//! spans attached. Unknown keys (the schemas allow `x-` ones) are ignored.
//!
//! These types are deliberately tolerant: a missing field takes a default and a bad
//! enum value becomes `None`. The schema check has already reported both, and
//! tolerance lets the reference rules still run on the rest of the file instead of
//! going silent because of one typo.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{
    AnswerSpace, AssessmentKind, Audience, BundleOrder, Control, CoverageStatus, Evidence,
    ExceptionStatus, Relation, Rounding, Status,
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Curriculum {
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub date: String,
    pub license: String,
    pub language: Option<String>,
    pub description: Option<String>,
    pub school: Option<String>,
    pub cip: Option<String>,
    pub bundles: Vec<Bundle>,
    pub scales: Vec<Scale>,
    pub competency_levels: Vec<Lenient<String>>,
    pub records: Option<Records>,
    pub coverage: Option<Coverage>,
    pub shop: Option<Shop>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shop {
    pub students: Lenient<u32>,
    pub machines: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MachineTime {
    pub machine: String,
    pub minutes: Lenient<u32>,
    pub group: Lenient<u32>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Scale {
    pub id: String,
    pub title: String,
    pub levels: Vec<ScaleLevel>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScaleLevel {
    pub id: String,
    pub label: String,
    pub points: Lenient<f64>,
    pub description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Records {
    pub scale: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Bundle {
    pub id: String,
    pub title: String,
    pub audience: Lenient<Audience>,
    pub duplex: Lenient<bool>,
    pub description: Option<String>,
    pub group: Option<String>,
    pub lessons: Vec<String>,
    pub frameworks: Vec<String>,
    pub aligned_to: Vec<String>,
    pub levels: Vec<Lenient<String>>,
    pub order: Lenient<BundleOrder>,
    pub assessments: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Coverage {
    pub thresholds: Vec<Threshold>,
    pub exceptions: Vec<Exception>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Exception {
    pub framework: String,
    pub item: String,
    pub status: Lenient<ExceptionStatus>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
}

/// `min_hours`: a number, or `required`.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum MinHours {
    Hours(f64),
    Word(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Threshold {
    pub framework: String,
    pub item: Option<String>,
    pub status: Lenient<CoverageStatus>,
    pub min_percent: Lenient<f64>,
    pub min_hours: Lenient<MinHours>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Framework {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub hours: Option<f64>,
    pub requirements: Option<Requirements>,
    pub case: Option<CaseIdentity>,
    pub items: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CaseIdentity {
    pub identifier: String,
    pub uri: Option<String>,
    pub code: Option<String>,
    pub child_of: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Association {
    #[serde(rename = "type")]
    pub kind: String,
    pub to: Option<String>,
    pub node: Option<Node>,
    pub identifier: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Node {
    pub identifier: String,
    pub uri: String,
    pub title: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Requirements {
    pub total_hours: Lenient<f64>,
    pub max_hours_per_day: Lenient<f64>,
    pub groups: Vec<Group>,
    pub records: Option<DeliveryRecords>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeliveryRecords {
    pub who_may_teach: String,
    pub keep_years: Lenient<u32>,
    pub max_students: Lenient<u32>,
    pub completion_days: Lenient<u32>,
    pub completion: Option<String>,
    pub also_keep: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Group {
    pub kind: String,
    pub min_hours: Lenient<f64>,
    pub min_topics: Lenient<u32>,
    pub min_topic_hours: Lenient<f64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Item {
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub hours: Option<f64>,
    pub skill_level: Option<String>,
    pub required: Option<bool>,
    pub status: Lenient<Status>,
    pub source: Option<String>,
    pub verify_against: Option<String>,
    pub our_code: Lenient<bool>,
    pub case: Option<CaseIdentity>,
    pub associations: Vec<Association>,
    pub items: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompetencyFramework {
    pub id: String,
    pub title: String,
    pub version: String,
    pub license: String,
    pub description: Option<String>,
    pub delivers: Option<String>,
    pub case: Option<CaseIdentity>,
    pub competencies: Vec<Competency>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Competency {
    pub id: String,
    pub title: String,
    pub statement: String,
    pub area: Option<String>,
    pub level: Lenient<String>,
    pub hours: Lenient<f64>,
    pub criteria: Vec<String>,
    pub hands_on: Lenient<bool>,
    pub deferred: Option<Deferred>,
    pub prerequisites: Vec<String>,
    pub alignments: Vec<Alignment>,
    pub case: Option<CaseIdentity>,
    pub associations: Vec<Association>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Deferred {
    pub reason: String,
    pub until: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Alignment {
    pub target: String,
    pub relation: Lenient<Relation>,
    pub note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub duration: Lenient<u32>,
    pub sessions: Lenient<u32>,
    pub machine_time: Vec<MachineTime>,
    pub teaches: Vec<String>,
    pub assesses: Vec<String>,
    pub objectives: Vec<String>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub questions: Vec<Question>,
    pub calculations: Vec<Calculation>,
    pub control: Lenient<Control>,
    pub spindle_limit: Lenient<u32>,
    pub instructor: Option<Instructor>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Calculation {
    pub id: String,
    pub kind: Option<String>,
    pub expression: Option<String>,
    pub inputs: std::collections::BTreeMap<String, Lenient<Given>>,
    pub unit: Option<String>,
    pub answer: Lenient<f64>,
    pub tolerance: Lenient<f64>,
    pub rounding: Lenient<Rounding>,
    pub question: Option<String>,
}

/// A calculation's input as written: a number, or a quantity with its unit.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Given {
    Number(f64),
    Quantity(String),
}

/// `formulas.yaml`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Formulas {
    pub formulas: Vec<Formula>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Formula {
    pub name: String,
    pub title: String,
    /// Input name to unit, in the order written.
    pub inputs: serde_json::Map<String, serde_json::Value>,
    pub expression: String,
    pub unit: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub space: Lenient<AnswerSpace>,
    pub lines: Lenient<u32>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Instructor {
    pub notes: Option<String>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub procedure: Vec<Step>,
    pub answer_key: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Step {
    pub minutes: Lenient<u32>,
    pub step: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Assessment {
    pub id: String,
    pub title: String,
    pub kind: Lenient<AssessmentKind>,
    pub evidence: Lenient<Evidence>,
    pub demonstrates: Vec<String>,
    pub duration: Lenient<u32>,
    pub machine_time: Lenient<u32>,
    pub schedule: Vec<ScheduleStep>,
    pub prerequisites: Vec<String>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub signoff: Vec<String>,
    pub prints: Vec<Print>,
    pub rubric: Rubric,
    pub instructor: Option<AssessmentInstructor>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScheduleStep {
    pub step: String,
    pub minutes: Lenient<u32>,
    pub machine: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Print {
    pub src: String,
    pub alt: String,
    pub title: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Rubric {
    pub scale: Option<String>,
    pub levels: Option<Vec<ScaleLevel>>,
    pub passing: Passing,
    pub criteria: Vec<Criterion>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Passing {
    pub level: String,
    pub points: Lenient<f64>,
    pub text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub competency: String,
    pub criterion: Lenient<u32>,
    pub critical: Lenient<bool>,
    pub weight: Lenient<f64>,
    pub levels: BTreeMap<String, String>,
    pub measured: Vec<Measured>,
}

/// Sizes stay JSON values here: a number's decimals are read back from the
/// source text, so `0.750` keeps its last zero.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Measured {
    pub feature: String,
    pub nominal: Option<serde_json::Value>,
    pub tolerance: Option<serde_json::Value>,
    pub min: Option<serde_json::Value>,
    pub max: Option<serde_json::Value>,
    pub unit: Option<String>,
    pub instrument: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssessmentInstructor {
    pub setup: Option<String>,
    pub notes: Option<String>,
    pub scoring: BTreeMap<String, String>,
    pub model_answers: Option<String>,
}

/// A value that is `None` when it has the wrong shape, instead of failing the file.
pub struct Lenient<T>(pub Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Lenient(T::deserialize(value).ok()))
    }
}
