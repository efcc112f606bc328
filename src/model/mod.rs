//! The resolved curriculum: typed ids, typed values, and where each came from.
//!
//! Later stages (analyze, render, package, publish) read only these types, never raw
//! YAML. Ids are newtypes so a lesson id cannot be passed where a competency id is
//! meant; values that findings may point at carry their [`Span`].

use std::fmt;

use serde::Deserialize;

use crate::diag::{FileId, Span};

/// A value and the place in a source file it was read from.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

id_type! {
    /// A competency's globally unique id, such as `MTT-SAF-01`.
    CompetencyId;
    /// A lesson's unique id, such as `mtt-lathe-facing`.
    LessonId;
    /// The id of an external or competency framework, such as `dese-vmach`.
    FrameworkId;
    /// A bundle's id, which names its zip file.
    BundleId;
}

mod assessment;
pub mod bundle;
pub mod order;

pub use assessment::*;

/// A reference to an external framework item, written `<framework-id>:<code>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    pub framework: FrameworkId,
    pub code: String,
}

impl ItemRef {
    /// Splits `framework:code` at the first colon.
    pub fn parse(text: &str) -> Option<ItemRef> {
        let (framework, code) = text.split_once(':')?;
        (!framework.is_empty() && !code.is_empty()).then(|| ItemRef {
            framework: FrameworkId::new(framework),
            code: code.to_owned(),
        })
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework, self.code)
    }
}

/// The competency level scale when a curriculum declares none: DESE's skill
/// levels, lowest first.
pub const DESE_LEVELS: [&str; 4] = ["basic", "essential", "advanced", "advanced-plus"];

/// An id made from a title: its ASCII letters and digits in lower case, words
/// joined by `-`, at most 64 characters; `None` when the title has no such
/// word. Framework ids, program ids and catalog anchors are all made this way.
pub fn slug(title: &str) -> Option<String> {
    let mut id = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if id.len() + word.len() + 1 > 64 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_ascii_lowercase());
    }
    (!id.is_empty()).then_some(id)
}

/// How a competency relates to an external item. Three are CASE association
/// types from the competency; `hasPart` is CASE's `isPartOf` read from the
/// item, for a competency that holds several objectives whole: written the
/// other way it would claim each objective contains the competency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Relation {
    #[serde(rename = "exactMatchOf")]
    ExactMatchOf,
    #[serde(rename = "isPartOf")]
    IsPartOf,
    #[serde(rename = "hasPart")]
    HasPart,
    #[serde(rename = "isRelatedTo")]
    IsRelatedTo,
}

impl Relation {
    /// Every relation, in the order reports explain them.
    pub const ALL: [Relation; 4] = [
        Relation::ExactMatchOf,
        Relation::IsPartOf,
        Relation::HasPart,
        Relation::IsRelatedTo,
    ];

    /// Whether a competency with this relation covers the item: the same
    /// thing, a part of it, or a whole that contains it. A related
    /// competency is shown, not counted.
    pub fn covers(self) -> bool {
        !matches!(self, Relation::IsRelatedTo)
    }

    /// Whether the competency is all of the item, so that it covers a parent
    /// item by itself rather than through the parent's leaves.
    pub fn whole(self) -> bool {
        matches!(self, Relation::ExactMatchOf | Relation::HasPart)
    }

    /// In plain words, wherever a person reads it.
    pub fn words(self) -> &'static str {
        match self {
            Relation::ExactMatchOf => "same as",
            Relation::IsPartOf => "part of",
            Relation::HasPart => "contains",
            Relation::IsRelatedTo => "related to",
        }
    }

    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::ExactMatchOf => "exactMatchOf",
            Relation::IsPartOf => "isPartOf",
            Relation::HasPart => "hasPart",
            Relation::IsRelatedTo => "isRelatedTo",
        }
    }

    /// The CASE association type, and whether it runs from the item to the
    /// competency rather than the other way.
    pub fn case(self) -> (&'static str, bool) {
        match self {
            Relation::HasPart => ("isPartOf", true),
            other => (other.as_str(), false),
        }
    }
}

/// Whether an external item's code and title were confirmed in the owner's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Verified,
    Provisional,
}

/// Who a bundle is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Instructor,
    Student,
}

impl Audience {
    /// The name as written in YAML; also used in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Instructor => "instructor",
            Audience::Student => "student",
        }
    }
}

impl Status {
    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Provisional => "provisional",
        }
    }
}

/// The coverage an external item reaches, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageStatus {
    Aligned,
    Taught,
    Assessed,
    Demonstrated,
}

impl CoverageStatus {
    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Aligned => "aligned",
            CoverageStatus::Taught => "taught",
            CoverageStatus::Assessed => "assessed",
            CoverageStatus::Demonstrated => "demonstrated",
        }
    }
}

/// A named formula of the curriculum's library (`formulas.yaml`), which
/// calculations use by `kind:`; the built-in machining formulas have the same
/// shape (see `cib explain C003`).
#[derive(Debug)]
pub struct Formula {
    pub name: Spanned<String>,
    pub title: String,
    /// Each input's name and unit, as written.
    pub inputs: Vec<Spanned<(String, String)>>,
    pub expression: Spanned<String>,
    pub unit: Spanned<String>,
}

/// The formula a calculation uses.
#[derive(Debug)]
pub enum FormulaRef {
    /// A formula of the library, by name (`kind:`).
    Named(Spanned<String>),
    /// The lesson's own (`expression:`), whose inputs carry their units.
    Inline(Spanned<String>),
}

/// A value given for a calculation's input: a number in the formula's unit for
/// it, or a quantity written with its own unit ("330 ft^3").
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    Number(f64),
    Quantity(String),
}

/// The G-code dialect a lesson's ```gcode blocks are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    FanucMill,
    FanucLathe,
}

/// The whole curriculum after resolution.
#[derive(Debug)]
pub struct Curriculum {
    /// `None` when `curriculum.yaml` did not load; that is already an error, and no
    /// stage after `check` runs on a curriculum with errors.
    pub settings: Option<Settings>,
    pub frameworks: Vec<Framework>,
    pub competency_frameworks: Vec<CompetencyFramework>,
    pub lessons: Vec<Lesson>,
    pub assessments: Vec<Assessment>,
    /// The curriculum's own named formulas (`formulas.yaml`), besides the built-ins.
    pub formulas: Vec<Formula>,
    /// Which kinds of file all loaded into the model. When a file of some kind failed
    /// to load, references into that kind are not reported as dangling: the missing
    /// file, already reported, is the likelier cause.
    pub complete: Completeness,
    /// Where each competency id first appears, built on first use: rendering,
    /// packing and publishing look competencies up by id for every lesson.
    pub(crate) by_id: std::sync::OnceLock<std::collections::HashMap<String, (usize, usize)>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completeness {
    pub frameworks: bool,
    pub competencies: bool,
    pub lessons: bool,
    pub assessments: bool,
}

impl Curriculum {
    /// Every competency of every competency framework, in file order.
    pub fn competencies(&self) -> impl Iterator<Item = &Competency> {
        self.competency_frameworks
            .iter()
            .flat_map(|f| &f.competencies)
    }

    /// A competency by id; the first, should two share it (an error `check`
    /// reports).
    pub fn competency(&self, id: &str) -> Option<&Competency> {
        let index = self.by_id.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for (f, framework) in self.competency_frameworks.iter().enumerate() {
                for (k, competency) in framework.competencies.iter().enumerate() {
                    index
                        .entry(competency.id.value.as_str().to_owned())
                        .or_insert((f, k));
                }
            }
            index
        });
        let &(f, k) = index.get(id)?;
        Some(&self.competency_frameworks[f].competencies[k])
    }

    /// An external framework, by id.
    pub fn framework(&self, id: &FrameworkId) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id.value == *id)
    }

    /// An external framework's item, by reference.
    pub fn item(&self, target: &ItemRef) -> Option<&Item> {
        self.framework(&target.framework)?
            .items
            .iter()
            .find(|i| i.code.value == target.code)
    }

    /// One of our competency frameworks, by id.
    pub fn competency_framework(&self, id: &FrameworkId) -> Option<&CompetencyFramework> {
        self.competency_frameworks
            .iter()
            .find(|f| f.id.value == *id)
    }

    /// An assessment, by id.
    pub fn assessment(&self, id: &str) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.id.value.as_str() == id)
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id.value.as_str() == id)
    }

    /// A level scale of curriculum.yaml, by id.
    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.settings
            .as_ref()?
            .scales
            .iter()
            .find(|s| s.id.value == id)
    }

    /// The levels a rubric is scored on, highest first: its own, or those of
    /// the scale it names. `None` when it has neither (C011) or names a scale
    /// that does not exist (R002).
    pub fn rubric_levels<'a>(&'a self, rubric: &'a Rubric) -> Option<&'a [ScaleLevel]> {
        match &rubric.scale {
            RubricScale::Own(levels) => Some(levels),
            RubricScale::Named(id) | RubricScale::Both(id) => {
                self.scale(&id.value).map(|s| s.levels.as_slice())
            }
            RubricScale::Missing => None,
        }
    }

    /// The scale competency records print boxes for: `records.scale`, else
    /// the first scale; `None` when there are no scales.
    pub fn records_scale(&self) -> Option<&Scale> {
        let settings = self.settings.as_ref()?;
        match &settings.records_scale {
            Some(id) => self.scale(&id.value),
            None => settings.scales.first(),
        }
    }
}

/// `curriculum.yaml`.
#[derive(Debug)]
pub struct Settings {
    pub file: FileId,
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub date: String,
    pub license: String,
    pub language: String,
    pub description: Option<String>,
    /// Printed on the coverage report's cover, for the auditor who signs it.
    pub school: Option<String>,
    pub cip: Option<String>,
    pub bundles: Vec<Bundle>,
    pub thresholds: Vec<Threshold>,
    pub exceptions: Vec<Exception>,
    pub scales: Vec<Scale>,
    /// The level names competencies use, lowest first: `competency_levels`, or
    /// [`DESE_LEVELS`].
    pub competency_levels: Vec<String>,
    /// `records.scale`: the scale competency records print.
    pub records_scale: Option<Spanned<String>>,
    pub shop: Option<Shop>,
}

/// The room lessons are taught in: a section's size and its machines.
#[derive(Debug)]
pub struct Shop {
    pub students: u32,
    /// How many of each machine or station, by id, in the order written.
    pub machines: Vec<(String, u32)>,
}

/// Machine or station time a lesson needs from each student (or group).
#[derive(Debug)]
pub struct MachineTime {
    pub machine: Spanned<String>,
    pub minutes: u32,
    /// Students sharing one machine at a time.
    pub group: u32,
}

/// How a bundle orders its lessons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleOrder {
    /// Teaching order: a lesson after those teaching what it requires or
    /// assesses ([`order::teaching_order`]).
    #[default]
    Prerequisites,
    /// As the author lists them; C027 warns where that teaches too late.
    Listed,
}

#[derive(Debug)]
pub struct Bundle {
    pub id: Spanned<BundleId>,
    pub title: String,
    pub audience: Audience,
    /// Laid out for double-sided printing: every part starts on a front page.
    pub duplex: bool,
    pub description: Option<String>,
    /// The catalog heading it is listed under, when the author names one.
    pub group: Option<String>,
    pub lessons: Vec<Spanned<LessonId>>,
    pub frameworks: Vec<Spanned<FrameworkId>>,
    /// Lessons teaching competencies aligned to these items or their descendants.
    pub aligned_to: Vec<Spanned<ItemRef>>,
    /// Competency levels, as named on the curriculum's scale.
    pub levels: Vec<Spanned<String>>,
    pub order: BundleOrder,
    /// Assessments listed by id, besides those its frameworks select.
    pub assessments: Vec<Spanned<AssessmentId>>,
}

#[derive(Debug)]
pub struct Threshold {
    pub framework: Spanned<FrameworkId>,
    pub item: Option<Spanned<String>>,
    /// The status and share of leaves that must reach it, when given.
    pub coverage: Option<(CoverageStatus, f64)>,
    pub min_hours: Option<Spanned<MinHours>>,
}

/// A threshold's minimum of planned hours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MinHours {
    Hours(f64),
    /// The hours the framework's owner requires of the item or framework.
    Required,
}

/// A framework item (and everything below it) a program leaves out on purpose.
#[derive(Debug)]
pub struct Exception {
    pub framework: Spanned<FrameworkId>,
    pub item: Spanned<String>,
    pub status: ExceptionStatus,
    /// `None` or blank is C019's finding: an auditor cannot sign an unexplained gap.
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
}

/// Why an exception's item is not covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionStatus {
    NotApplicable,
    OutOfScope,
    ElectiveNotSelected,
}

impl ExceptionStatus {
    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionStatus::NotApplicable => "not-applicable",
            ExceptionStatus::OutOfScope => "out-of-scope",
            ExceptionStatus::ElectiveNotSelected => "elective-not-selected",
        }
    }

    /// In words, for people.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionStatus::NotApplicable => "not applicable",
            ExceptionStatus::OutOfScope => "out of scope",
            ExceptionStatus::ElectiveNotSelected => "elective not selected",
        }
    }
}

/// An external framework (DESE, MACWIC, OSHA, NIMS).
#[derive(Debug)]
pub struct Framework {
    pub id: Spanned<FrameworkId>,
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub hours: Option<f64>,
    pub requirements: Option<Requirements>,
    pub case: Option<CaseIdentity>,
    /// Items in document order (a pre-order walk of the tree).
    pub items: Vec<Item>,
}

/// Who a framework, item or competency is in its publisher's CASE package,
/// so that a re-published framework is the same framework to every system
/// aligned to the original (docs/case.md).
#[derive(Clone, Debug, Default)]
pub struct CaseIdentity {
    pub identifier: String,
    pub uri: Option<String>,
    /// The publisher's code, where the item's `code` had to differ from it.
    pub code: Option<String>,
    /// The identifier of the `isChildOf` association to the item's parent.
    pub child_of: Option<String>,
}

/// A CASE association from an item, other than its place in the tree.
#[derive(Clone, Debug)]
pub struct Association {
    /// A CASE 1.1 association type, or `ext:<name>`.
    pub kind: String,
    pub to: AssociationEnd,
    pub identifier: Option<String>,
    pub note: Option<String>,
}

/// Where an association leads.
#[derive(Clone, Debug)]
pub enum AssociationEnd {
    /// An item of the same framework, by code.
    Item(Spanned<String>),
    /// A node outside the framework, as the package names it.
    Node {
        identifier: String,
        uri: String,
        title: String,
    },
}

impl Framework {
    /// The hours the owner requires of a whole program or course: the delivery
    /// requirements' total when stated, else the framework's own hours.
    pub fn required_hours(&self) -> Option<f64> {
        self.requirements
            .as_ref()
            .and_then(|r| r.total_hours)
            .or(self.hours)
    }
}

/// Hour rules an owner sets for a course delivering its framework (OSHA outreach).
#[derive(Debug, Default)]
pub struct Requirements {
    pub total_hours: Option<f64>,
    pub max_hours_per_day: Option<f64>,
    pub groups: Vec<RequirementGroup>,
    pub records: Option<DeliveryRecords>,
}

/// What the owner requires a course's teacher to keep and to know: the
/// instructor bundles of a course that delivers the framework print them as
/// forms (docs/delivery-records.md).
#[derive(Debug)]
pub struct DeliveryRecords {
    /// Who may teach the course and issue its completion documents.
    pub who_may_teach: String,
    pub keep_years: Option<u32>,
    pub max_students: Option<u32>,
    /// Days after the last session within which each student who completed
    /// receives the completion document.
    pub completion_days: Option<u32>,
    /// What that document is ("DOL course completion card").
    pub completion: Option<String>,
    /// What else the teacher keeps, made outside cib (the report sent to the
    /// owner's agent), so the class record is not taken for it.
    pub also_keep: Option<String>,
}

#[derive(Debug)]
pub struct RequirementGroup {
    pub kind: String,
    pub min_hours: Option<f64>,
    pub min_topics: Option<u32>,
    pub min_topic_hours: Option<f64>,
}

#[derive(Debug)]
pub struct Item {
    pub code: Spanned<String>,
    pub title: String,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub hours: Option<f64>,
    pub skill_level: Option<String>,
    pub required: Option<bool>,
    pub status: Status,
    pub source: Option<String>,
    pub verify_against: Option<String>,
    /// The owner publishes no code for this item; the code is ours.
    pub our_code: bool,
    /// Index of the parent item in [`Framework::items`].
    pub parent: Option<usize>,
    pub depth: usize,
    pub case: Option<CaseIdentity>,
    pub associations: Vec<Association>,
}

impl Item {
    /// What a reader must know before trusting the code: it is unconfirmed
    /// in the owner's document, or the owner publishes none and it is ours.
    /// Printed beside the code wherever one is printed.
    pub fn marks(&self) -> Vec<&'static str> {
        let mut marks = Vec::new();
        if self.status == Status::Provisional {
            marks.push("provisional");
        }
        if self.our_code {
            marks.push("our code");
        }
        marks
    }
}

/// One of our competency frameworks.
#[derive(Debug)]
pub struct CompetencyFramework {
    pub id: Spanned<FrameworkId>,
    pub title: String,
    pub version: String,
    pub license: String,
    pub description: Option<String>,
    /// The external framework whose delivery requirements these hours must meet.
    pub delivers: Option<Spanned<FrameworkId>>,
    pub case: Option<CaseIdentity>,
    pub competencies: Vec<Competency>,
}

#[derive(Debug)]
pub struct Competency {
    pub id: Spanned<CompetencyId>,
    pub framework: FrameworkId,
    pub title: String,
    pub statement: Spanned<String>,
    pub area: Option<String>,
    /// A level of the curriculum's scale ([`Settings::competency_levels`]).
    pub level: Spanned<String>,
    pub hours: f64,
    pub criteria: Vec<String>,
    /// A skill shown by doing it: a performance assessment should demonstrate it.
    pub hands_on: bool,
    /// Taught later or elsewhere, on purpose: no lesson or assessment here
    /// is expected for it yet.
    pub deferred: Option<Deferred>,
    pub prerequisites: Vec<Spanned<CompetencyId>>,
    pub alignments: Vec<Alignment>,
    pub case: Option<CaseIdentity>,
    /// CASE associations besides prerequisites and alignments; `to` names a
    /// competency of the same framework.
    pub associations: Vec<Association>,
}

/// Why a competency is not taught in this curriculum yet, and until when.
#[derive(Debug)]
pub struct Deferred {
    pub reason: String,
    pub until: Option<String>,
}

#[derive(Debug)]
pub struct Alignment {
    pub target: Spanned<ItemRef>,
    pub relation: Relation,
    pub note: Option<String>,
}

#[derive(Debug)]
pub struct Lesson {
    pub id: Spanned<LessonId>,
    pub file: FileId,
    pub title: String,
    pub duration_minutes: u32,
    /// Where the duration is written, for findings about timing.
    pub duration: Spanned<()>,
    /// The class periods `duration_minutes` is spread over: a lesson that
    /// needs a rotation on few machines runs over several.
    pub sessions: u32,
    pub machine_time: Vec<MachineTime>,
    pub teaches: Vec<Spanned<CompetencyId>>,
    pub assesses: Vec<Spanned<CompetencyId>>,
    pub objectives: Vec<String>,
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub questions: Vec<Question>,
    pub calculations: Vec<Calculation>,
    pub control: Option<Control>,
    /// The highest spindle speed the lesson's setup allows, rev/min.
    pub spindle_limit: Option<Spanned<u32>>,
    pub instructor: Instructor,
    /// The folder holding the lesson, as a path cib can open (images resolve here).
    pub folder: String,
    /// The curriculum root, as a path cib can open: no image may lead outside it.
    pub root: String,
    /// The Markdown body, and its byte offset in the file.
    pub body: String,
    pub body_offset: usize,
    /// Where each front-matter text is, by its JSON pointer
    /// (`/objectives/0`, `/instructor/answer_key/q1`).
    pub text_spans: std::collections::HashMap<String, crate::diag::Span>,
}

/// A worked calculation a lesson states, recomputed by `cib check`.
#[derive(Debug)]
pub struct Calculation {
    pub id: Spanned<String>,
    pub formula: FormulaRef,
    pub inputs: std::collections::BTreeMap<String, Spanned<Given>>,
    /// The unit the answer is stated in, when the lesson names one; a named
    /// formula's own unit otherwise.
    pub unit: Option<Spanned<String>>,
    pub answer: Spanned<f64>,
    /// The decimal places the answer is written with ("0.0020" has four),
    /// which a number alone forgets.
    pub answer_places: usize,
    pub tolerance: f64,
    pub rounding: Option<Rounding>,
    /// What the calculation works out, as a quiz asks it, when the formula's
    /// title does not say it.
    pub question: Option<String>,
}

/// The direction a calculation's stated answer was rounded, when the lesson
/// says so: a converted tolerance rounded down is never wider than the
/// original, a speed rounded down never faster than the tool allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rounding {
    Down,
    Up,
}

/// A check-for-understanding question: students see the prompt only.
#[derive(Debug)]
pub struct Question {
    pub id: Spanned<String>,
    pub prompt: String,
    /// What the question sheet leaves for the answer; `None` lets the layout
    /// choose from the answer key (see [`Lesson::answer_space`]).
    pub space: Option<AnswerSpace>,
    /// The height of the answer space in ruled lines, when the author set it.
    pub lines: Option<u32>,
}

/// The room a question sheet leaves for an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerSpace {
    Lines,
    Grid,
    None,
}

impl AnswerSpace {
    /// The name as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerSpace::Lines => "lines",
            AnswerSpace::Grid => "grid",
            AnswerSpace::None => "none",
        }
    }
}

impl Lesson {
    /// The answer space of question `q` and its height in lines. Unset, both
    /// follow the answer key: an answer that shows arithmetic is worked on a
    /// grid, eight lines tall; any other gets a ruled line for every nine words
    /// of the key's answer and one more (three to twelve), room for a
    /// student's handwriting. Reading the key decides only the size of the
    /// space, as a teacher leaves more room for a longer answer.
    pub fn answer_space(&self, q: &Question) -> (AnswerSpace, u32) {
        let answer = self
            .instructor
            .answer_key
            .iter()
            .find(|(id, _)| id.value == q.id.value)
            .map_or("", |(_, answer)| answer.as_str());
        let space = q.space.unwrap_or(if answer.contains(['=', '×', '÷']) {
            AnswerSpace::Grid
        } else {
            AnswerSpace::Lines
        });
        let words = answer.split_whitespace().count() as u32;
        let lines = match space {
            AnswerSpace::Lines => q.lines.unwrap_or((words.div_ceil(9) + 1).clamp(3, 12)),
            AnswerSpace::Grid => q.lines.unwrap_or(8),
            AnswerSpace::None => 0,
        };
        (space, lines)
    }
}

/// Material that never reaches a student artifact.
#[derive(Debug, Default)]
pub struct Instructor {
    pub notes: Option<String>,
    /// Materials and safety notes for the instructor plan alone.
    pub materials: Vec<String>,
    pub safety: Vec<String>,
    pub procedure: Vec<Step>,
    pub answer_key: Vec<(Spanned<String>, String)>,
}

#[derive(Debug)]
pub struct Step {
    pub minutes: u32,
    pub text: String,
}
