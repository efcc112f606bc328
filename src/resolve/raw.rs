//! The files as parsed: serde mirrors of the schemas, before ids are typed and
//! spans attached. Unknown keys (the schemas allow `x-` ones) are ignored.
//!
//! These types are deliberately tolerant: a missing field takes a default and a bad
//! enum value becomes `None`. The schema check has already reported both, and
//! tolerance lets the reference rules still run on the rest of the file instead of
//! going silent because of one typo.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{Audience, CalculationKind, Control, CoverageStatus, Level, Relation, Status};

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
    pub bundles: Vec<Bundle>,
    pub coverage: Option<Coverage>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Bundle {
    pub id: String,
    pub title: String,
    pub audience: Lenient<Audience>,
    pub description: Option<String>,
    pub lessons: Vec<String>,
    pub frameworks: Vec<String>,
    pub aligned_to: Vec<String>,
    pub levels: Vec<Lenient<Level>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Coverage {
    pub thresholds: Vec<Threshold>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Threshold {
    pub framework: String,
    pub item: Option<String>,
    pub status: Lenient<CoverageStatus>,
    pub min_percent: Lenient<f64>,
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
    pub items: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Requirements {
    pub total_hours: Lenient<f64>,
    pub max_hours_per_day: Lenient<f64>,
    pub groups: Vec<Group>,
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
    pub competencies: Vec<Competency>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Competency {
    pub id: String,
    pub title: String,
    pub statement: String,
    pub area: Option<String>,
    pub level: Lenient<Level>,
    pub hours: Lenient<f64>,
    pub criteria: Vec<String>,
    pub prerequisites: Vec<String>,
    pub alignments: Vec<Alignment>,
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
    pub teaches: Vec<String>,
    pub assesses: Vec<String>,
    pub objectives: Vec<String>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub questions: Vec<Question>,
    pub calculations: Vec<Calculation>,
    pub control: Lenient<Control>,
    pub instructor: Option<Instructor>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Calculation {
    pub id: String,
    pub kind: Lenient<CalculationKind>,
    pub inputs: std::collections::BTreeMap<String, Lenient<f64>>,
    pub answer: Lenient<f64>,
    pub tolerance: Lenient<f64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Question {
    pub id: String,
    pub prompt: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Instructor {
    pub notes: Option<String>,
    pub procedure: Vec<Step>,
    pub answer_key: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Step {
    pub minutes: Lenient<u32>,
    pub step: String,
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
