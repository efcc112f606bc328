//! Coverage of every external framework item: which competencies align to it,
//! which lessons teach and assess them, which assessments evidence them, the
//! hours planned, and a status.
//!
//! The rules, stated once (the reports print them):
//! - **Evidence weight**: a competency *covers* an item it is the same as
//!   (`exactMatchOf`) or a part of (`isPartOf`); one merely related to it
//!   (`isRelatedTo`) is shown but covers nothing and gets none of its hours.
//! - A **leaf** item's status is the strongest reached through competencies
//!   covering it: *demonstrated* (a performance assessment's rubric
//!   evidences one), *assessed* (a lesson or a written assessment assesses
//!   one), *taught* (a lesson teaches one), *aligned* (no lesson yet), else
//!   *gap*.
//! - A **parent** item's status is the weakest of its leaves (a topic is
//!   covered when every part of it is), raised only by competencies that are
//!   the same as the parent itself.
//! - **Exceptions** (curriculum.yaml) take an item and everything below it out
//!   of the counts: they are neither gaps nor covered, and are counted apart.
//! - **Hours**: a lesson's minutes are split equally among the competencies it
//!   teaches; a competency's minutes are split equally among the items of a
//!   framework it covers; a parent adds up its own and its children's. So
//!   hours are never counted twice within a framework.
//! - Percentages count leaf items that are not excepted; provisional items are
//!   also counted apart.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    Assessment, Competency, CompetencyId, CoverageStatus, Curriculum, Evidenced, Exception,
    Framework, Item, ItemRef, Lesson, MinHours, Relation, Spanned, Status as Verification,
    Threshold,
};

/// How far an item is covered, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Gap,
    Aligned,
    Taught,
    Assessed,
    Demonstrated,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Gap,
        Status::Aligned,
        Status::Taught,
        Status::Assessed,
        Status::Demonstrated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Gap => "gap",
            Status::Aligned => "aligned",
            Status::Taught => "taught",
            Status::Assessed => "assessed",
            Status::Demonstrated => "demonstrated",
        }
    }

    fn from_threshold(status: CoverageStatus) -> Status {
        match status {
            CoverageStatus::Aligned => Status::Aligned,
            CoverageStatus::Taught => Status::Taught,
            CoverageStatus::Assessed => Status::Assessed,
            CoverageStatus::Demonstrated => Status::Demonstrated,
        }
    }
}

/// Leaf items counted by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    counts: [usize; 5],
}

impl Tally {
    fn add(&mut self, status: Status) {
        self.counts[status as usize] += 1;
    }

    fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
    }

    fn plus(mut self, other: &Tally) -> Tally {
        self.merge(other);
        self
    }

    pub fn count(&self, status: Status) -> usize {
        self.counts[status as usize]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Percentage of items at exactly `status`; 0 when there are none.
    pub fn percent(&self, status: Status) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        self.count(status) as f64 * 100.0 / total as f64
    }

    /// Percentage of items at `status` or stronger; 100 when there are none.
    pub fn percent_at_least(&self, status: Status) -> f64 {
        let total = self.total();
        if total == 0 {
            return 100.0;
        }
        let reached: usize = self.counts[status as usize..].iter().sum();
        reached as f64 * 100.0 / total as f64
    }
}

/// One item's coverage.
pub struct ItemCoverage<'c> {
    pub item: &'c Item,
    pub leaf: bool,
    /// Competencies aligned to this item itself, with the relation.
    pub competencies: Vec<(&'c Competency, Relation)>,
    /// The crosswalk: items of other frameworks that the competencies
    /// covering this item cover too (DESE ⇄ MACWIC ⇄ OSHA ⇄ NIMS), sorted,
    /// each once.
    pub related: Vec<ItemRef>,
    /// Lessons teaching those competencies, in curriculum order.
    pub teaching: Vec<&'c Lesson>,
    /// Lessons assessing them, in curriculum order.
    pub assessing: Vec<&'c Lesson>,
    /// Assessments whose rubrics evidence them, in curriculum order, each with
    /// the criteria tied to any of those competencies.
    pub evidence: Vec<Evidenced<'c>>,
    /// Planned minutes (see the module rules); parents include their children.
    pub minutes: f64,
    /// The minutes each of `competencies` gives this item itself (none for
    /// one that does not cover it).
    pub shares: Vec<f64>,
    pub status: Status,
    /// The exception written on this item or the nearest ancestor with one.
    pub exception: Option<&'c Exception>,
    /// The leaves at or below this item (just itself for a leaf), by status;
    /// verified and provisional apart; excepted leaves only counted.
    pub verified: Tally,
    pub provisional: Tally,
    pub excepted: usize,
    /// Counted leaves at or below this item whose codes are ours, as the
    /// owner publishes none: reports count them apart.
    pub ours: usize,
}

impl ItemCoverage<'_> {
    /// The leaves at or below this item, verified and provisional.
    pub fn leaves(&self) -> Tally {
        self.verified.plus(&self.provisional)
    }

    /// Out of the counts: under an exception, or a parent whose every leaf is.
    pub fn is_excepted(&self) -> bool {
        self.exception.is_some() || (self.excepted > 0 && self.leaves().total() == 0)
    }

    /// The owner's required hours for this item, and whether the plan meets them.
    pub fn hours_met(&self) -> Option<bool> {
        self.item.hours.map(|h| reaches(self.minutes / 60.0, h))
    }
}

/// One framework's coverage: items in document order, and leaf totals.
pub struct FrameworkCoverage<'c> {
    pub framework: &'c Framework,
    pub items: Vec<ItemCoverage<'c>>,
    pub verified: Tally,
    pub provisional: Tally,
    /// Leaves under an exception.
    pub excepted: usize,
    /// Counted leaves with codes of ours.
    pub ours: usize,
    pub minutes: f64,
    /// The owner's hour requirements and how the plan meets them.
    pub hours: Vec<HoursCheck>,
}

/// One of a framework owner's hour requirements against the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct HoursCheck {
    /// What is required, in words ("Total hours", "Mandatory topics").
    pub requirement: String,
    pub planned: f64,
    pub required: f64,
    /// Topics counted rather than hours.
    pub topics: bool,
}

impl HoursCheck {
    pub fn met(&self) -> bool {
        reaches(self.planned, self.required)
    }
}

impl FrameworkCoverage<'_> {
    /// All leaves, verified and provisional.
    pub fn leaves(&self) -> Tally {
        self.verified.plus(&self.provisional)
    }

    /// The owner's required hours for the whole framework, and whether the
    /// plan meets them.
    pub fn hours_met(&self) -> Option<bool> {
        self.framework
            .required_hours()
            .map(|h| reaches(self.minutes / 60.0, h))
    }
}

/// Whether a reached amount (percent or hours) meets a minimum; a hair of
/// tolerance keeps sums of split minutes from missing by rounding.
pub fn reaches(reached: f64, minimum: f64) -> bool {
    reached + 1e-9 >= minimum
}

/// A coverage threshold from curriculum.yaml and whether it is met. A
/// threshold giving both a status and hours has one result for each.
pub struct ThresholdResult<'c> {
    pub threshold: &'c Threshold,
    pub reached: Reached,
    pub met: bool,
}

/// What a threshold asked for and what the curriculum reaches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reached {
    Coverage {
        status: CoverageStatus,
        min_percent: f64,
        percent: f64,
        /// The leaves counted.
        items: usize,
        /// Of those, the ones not yet confirmed in the owner's document.
        provisional: usize,
    },
    Hours {
        min_hours: f64,
        planned: f64,
    },
}

/// Coverage of every external framework of the curriculum.
pub struct Coverage<'c> {
    pub frameworks: Vec<FrameworkCoverage<'c>>,
}

/// Computes coverage. Pure: reads the curriculum only.
pub fn coverage(c: &Curriculum) -> Coverage<'_> {
    let minutes = competency_minutes(c);
    let evidence = c.evidence();
    let frameworks = c
        .frameworks
        .iter()
        .map(|f| framework_coverage(c, f, &minutes, &evidence))
        .collect();
    Coverage { frameworks }
}

impl<'c> Coverage<'c> {
    pub fn framework(&self, id: &str) -> Option<&FrameworkCoverage<'c>> {
        self.frameworks
            .iter()
            .find(|f| f.framework.id.value.as_str() == id)
    }

    /// Evaluates the curriculum's thresholds, in the order written.
    pub fn thresholds(&self, c: &'c Curriculum) -> Vec<ThresholdResult<'c>> {
        let Some(settings) = &c.settings else {
            return Vec::new();
        };
        let mut results = Vec::new();
        for t in &settings.thresholds {
            let Some(f) = self.framework(t.framework.value.as_str()) else {
                continue;
            };
            let item = match &t.item {
                None => None,
                Some(code) => match f.items.iter().find(|i| i.item.code.value == code.value) {
                    Some(item) => Some(item),
                    None => continue,
                },
            };
            if let Some((status, min_percent)) = t.coverage {
                let (tally, provisional) = match item {
                    Some(i) => (i.leaves(), i.provisional.total()),
                    None => (f.leaves(), f.provisional.total()),
                };
                let percent = tally.percent_at_least(Status::from_threshold(status));
                results.push(ThresholdResult {
                    threshold: t,
                    reached: Reached::Coverage {
                        status,
                        min_percent,
                        percent,
                        items: tally.total(),
                        provisional,
                    },
                    met: reaches(percent, min_percent),
                });
            }
            let min_hours = t.min_hours.as_ref().and_then(|h| match h.value {
                MinHours::Hours(h) => Some(h),
                MinHours::Required => match item {
                    Some(i) => i.item.hours,
                    None => f.framework.required_hours(),
                },
            });
            if let Some(min_hours) = min_hours {
                let planned = item.map_or(f.minutes, |i| i.minutes) / 60.0;
                results.push(ThresholdResult {
                    threshold: t,
                    reached: Reached::Hours { min_hours, planned },
                    met: reaches(planned, min_hours),
                });
            }
        }
        results
    }
}

/// Planned minutes per competency: each lesson's minutes split equally among
/// the competencies it teaches.
pub fn competency_minutes(c: &Curriculum) -> BTreeMap<&str, f64> {
    let mut minutes = BTreeMap::new();
    for lesson in &c.lessons {
        if lesson.teaches.is_empty() {
            continue;
        }
        let share = f64::from(lesson.duration_minutes) / lesson.teaches.len() as f64;
        for id in &lesson.teaches {
            *minutes.entry(id.value.as_str()).or_insert(0.0) += share;
        }
    }
    minutes
}

/// For each competency id, the indexes of the lessons that name it in the
/// list `field` picks (teaches or assesses), in lesson order.
fn lesson_index<'c>(
    lessons: &'c [Lesson],
    field: impl Fn(&'c Lesson) -> &'c [Spanned<CompetencyId>],
) -> HashMap<&'c str, Vec<usize>> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, lesson) in lessons.iter().enumerate() {
        for id in field(lesson) {
            let entry = index.entry(id.value.as_str()).or_default();
            if entry.last() != Some(&i) {
                entry.push(i);
            }
        }
    }
    index
}

/// The lessons that name any of `ids`, in lesson order, once each.
fn lessons_of<'c>(
    lessons: &'c [Lesson],
    index: &HashMap<&str, Vec<usize>>,
    ids: &BTreeSet<&str>,
) -> Vec<&'c Lesson> {
    let mut found: Vec<usize> = ids
        .iter()
        .filter_map(|id| index.get(id))
        .flatten()
        .copied()
        .collect();
    found.sort_unstable();
    found.dedup();
    found.into_iter().map(|i| &lessons[i]).collect()
}

/// The evidence for any of `ids`, one entry per assessment (in curriculum
/// order) with its criteria for all of them.
fn evidence_of<'c>(
    c: &'c Curriculum,
    evidence: &HashMap<&str, Vec<Evidenced<'c>>>,
    ids: &BTreeSet<&str>,
) -> Vec<Evidenced<'c>> {
    let mut found: Vec<Evidenced<'c>> = Vec::new();
    for e in ids.iter().filter_map(|id| evidence.get(id)).flatten() {
        match found
            .iter_mut()
            .find(|f| f.assessment.id.value == e.assessment.id.value)
        {
            Some(f) => f.criteria.extend(e.criteria.iter().copied()),
            None => found.push(e.clone()),
        }
    }
    let order = |a: &Assessment| c.assessments.iter().position(|x| std::ptr::eq(x, a));
    found.sort_by_key(|e| order(e.assessment));
    for f in &mut found {
        let rubric = &f.assessment.rubric.criteria;
        f.criteria
            .sort_by_key(|k| rubric.iter().position(|r| r.id.value == *k));
        f.criteria.dedup();
    }
    found
}

fn framework_coverage<'c>(
    c: &'c Curriculum,
    f: &'c Framework,
    minutes: &BTreeMap<&str, f64>,
    evidence: &HashMap<&str, Vec<Evidenced<'c>>>,
) -> FrameworkCoverage<'c> {
    // Competencies aligned to each item, and how many items of this framework
    // each competency covers (for splitting its minutes).
    let mut aligned: Vec<Vec<(&Competency, Relation)>> = vec![Vec::new(); f.items.len()];
    let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    for (i, item) in f.items.iter().enumerate() {
        by_code.entry(item.code.value.as_str()).or_insert(i);
    }
    for k in c.competencies() {
        for a in &k.alignments {
            if a.target.value.framework != f.id.value {
                continue;
            }
            let index = by_code.get(a.target.value.code.as_str()).copied();
            if let Some(i) = index
                && !aligned[i]
                    .iter()
                    .any(|(seen, _)| seen.id.value == k.id.value)
            {
                aligned[i].push((k, a.relation));
                if a.relation.covers() {
                    *targets.entry(k.id.value.as_str()).or_insert(0) += 1;
                }
            }
        }
    }
    let has_children: BTreeSet<usize> = f.items.iter().filter_map(|i| i.parent).collect();
    // Parents come before their children: each item inherits its parent's exception.
    let mut exceptions: Vec<Option<&Exception>> = Vec::with_capacity(f.items.len());
    for item in &f.items {
        let own = c
            .settings
            .iter()
            .flat_map(|s| &s.exceptions)
            .find(|e| e.framework.value == f.id.value && e.item.value == item.code.value);
        let inherited = item.parent.and_then(|p| exceptions[p]);
        exceptions.push(own.or(inherited));
    }
    let taught_in = lesson_index(&c.lessons, |l| &l.teaches);
    let assessed_in = lesson_index(&c.lessons, |l| &l.assesses);
    let mut items: Vec<ItemCoverage<'c>> = f
        .items
        .iter()
        .zip(aligned)
        .zip(exceptions)
        .enumerate()
        .map(|(index, ((item, competencies), exception))| {
            let leaf = !has_children.contains(&index);
            let ids = |keep: fn(Relation) -> bool| -> BTreeSet<&str> {
                competencies
                    .iter()
                    .filter(|(_, relation)| keep(*relation))
                    .map(|(k, _)| k.id.value.as_str())
                    .collect()
            };
            let covering = ids(Relation::covers);
            let teaching = lessons_of(&c.lessons, &taught_in, &covering);
            let assessing = lessons_of(&c.lessons, &assessed_in, &covering);
            let found = evidence_of(c, evidence, &covering);
            // A leaf is covered by its parts; a parent only by competencies
            // that are the whole of it (its leaves raise it below).
            let own = if leaf {
                reach(&covering, &teaching, &assessing, &found)
            } else {
                let whole = ids(Relation::whole);
                reach(
                    &whole,
                    &lessons_of(&c.lessons, &taught_in, &whole),
                    &lessons_of(&c.lessons, &assessed_in, &whole),
                    &evidence_of(c, evidence, &whole),
                )
            };
            let shares: Vec<f64> = competencies
                .iter()
                .map(|(k, relation)| {
                    let id = k.id.value.as_str();
                    if relation.covers() {
                        minutes.get(id).copied().unwrap_or(0.0) / targets[id] as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            let own_minutes: f64 = shares.iter().sum();
            // Only competencies covering this item, through alignments that
            // cover the other: a related competency credits neither end.
            let related: Vec<ItemRef> = competencies
                .iter()
                .filter(|(_, relation)| relation.covers())
                .flat_map(|(k, _)| &k.alignments)
                .filter(|a| a.relation.covers())
                .map(|a| a.target.value.clone())
                .filter(|target| target.framework != f.id.value)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            ItemCoverage {
                item,
                leaf,
                related,
                competencies,
                teaching,
                assessing,
                evidence: found,
                minutes: own_minutes,
                shares,
                status: own,
                exception,
                verified: Tally::default(),
                provisional: Tally::default(),
                excepted: 0,
                ours: 0,
            }
        })
        .collect();
    // Children come after their parent in document order: walk backwards to
    // fold each item into its parent.
    for index in (0..items.len()).rev() {
        if items[index].leaf {
            let item = &mut items[index];
            let status = item.status;
            match (item.exception, item.item.status) {
                (Some(_), _) => item.excepted += 1,
                (None, Verification::Verified) => item.verified.add(status),
                (None, Verification::Provisional) => item.provisional.add(status),
            }
            if item.exception.is_none() && item.item.our_code {
                item.ours += 1;
            }
        } else {
            let all = items[index].leaves();
            let weakest = Status::ALL
                .into_iter()
                .find(|s| all.count(*s) > 0)
                .unwrap_or(Status::Gap);
            let item = &mut items[index];
            item.status = item.status.max(weakest);
        }
        if let Some(parent) = f.items[index].parent {
            let (verified, provisional, excepted, ours, minutes) = {
                let child = &items[index];
                (
                    child.verified,
                    child.provisional,
                    child.excepted,
                    child.ours,
                    child.minutes,
                )
            };
            let parent = &mut items[parent];
            parent.verified.merge(&verified);
            parent.provisional.merge(&provisional);
            parent.excepted += excepted;
            parent.ours += ours;
            parent.minutes += minutes;
        }
    }
    let mut verified = Tally::default();
    let mut provisional = Tally::default();
    let mut excepted = 0;
    let mut ours = 0;
    let mut total = 0.0;
    for (item, coverage) in f.items.iter().zip(&items) {
        if item.parent.is_none() {
            verified.merge(&coverage.verified);
            provisional.merge(&coverage.provisional);
            excepted += coverage.excepted;
            ours += coverage.ours;
            total += coverage.minutes;
        }
    }
    let hours = hour_checks(f, &items, total);
    FrameworkCoverage {
        framework: f,
        items,
        verified,
        provisional,
        excepted,
        ours,
        minutes: total,
        hours,
    }
}

/// The status a set of competencies reaches through the lessons and
/// assessments found for them.
fn reach(
    ids: &BTreeSet<&str>,
    teaching: &[&Lesson],
    assessing: &[&Lesson],
    evidence: &[Evidenced<'_>],
) -> Status {
    if evidence.iter().any(|e| e.assessment.is_performance()) {
        Status::Demonstrated
    } else if !assessing.is_empty() || !evidence.is_empty() {
        Status::Assessed
    } else if !teaching.is_empty() {
        Status::Taught
    } else if !ids.is_empty() {
        Status::Aligned
    } else {
        Status::Gap
    }
}

/// The owner's hour requirements against the plan: the framework's total, each
/// group of the delivery requirements (hours, topics taught, hours per topic
/// taught), then every item with required hours that is not excepted. A
/// group that counts topics (OSHA's electives) lists them as items; in one
/// that does not (OSHA's optional block, a single item), each competency
/// covering an item is a topic of its own.
fn hour_checks(f: &Framework, items: &[ItemCoverage<'_>], minutes: f64) -> Vec<HoursCheck> {
    let hours = |required: f64, planned_minutes: f64, requirement: String| HoursCheck {
        requirement,
        planned: planned_minutes / 60.0,
        required,
        topics: false,
    };
    let named = |i: &ItemCoverage<'_>| {
        let marks = i.item.marks();
        if marks.is_empty() {
            format!("{} {}", i.item.code.value, i.item.title)
        } else {
            format!(
                "{} {} ({})",
                i.item.code.value,
                i.item.title,
                marks.join(", ")
            )
        }
    };
    let mut checks = Vec::new();
    if let Some(required) = f.required_hours() {
        checks.push(hours(required, minutes, "Total hours".to_owned()));
    }
    for group in f.requirements.iter().flat_map(|r| &r.groups) {
        let kind = capitalized(&group.kind);
        let members: Vec<&ItemCoverage<'_>> = items
            .iter()
            .filter(|i| i.item.kind.as_deref() == Some(group.kind.as_str()))
            .collect();
        let taught: Vec<&&ItemCoverage<'_>> = members.iter().filter(|i| i.minutes > 0.0).collect();
        if let Some(required) = group.min_hours {
            let planned = members.iter().map(|i| i.minutes).sum();
            checks.push(hours(required, planned, format!("{kind} topics")));
        }
        if let Some(required) = group.min_topics {
            checks.push(HoursCheck {
                requirement: format!("{kind} topics taught"),
                planned: taught.len() as f64,
                required: f64::from(required),
                topics: true,
            });
        }
        let Some(required) = group.min_topic_hours else {
            continue;
        };
        for i in taught {
            if group.min_topics.is_some() {
                checks.push(hours(
                    required,
                    i.minutes,
                    format!("{kind} topic {}", named(i)),
                ));
                continue;
            }
            for ((k, relation), share) in i.competencies.iter().zip(&i.shares) {
                if relation.covers() {
                    checks.push(hours(
                        required,
                        *share,
                        format!("{kind} topic in {}: {}", i.item.code.value, k.title),
                    ));
                }
            }
        }
    }
    for i in items.iter().filter(|i| !i.is_excepted()) {
        if let Some(required) = i.item.hours {
            checks.push(hours(required, i.minutes, named(i)));
        }
    }
    checks
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The base fixture with `edit` applied to a temporary copy.
    fn checked(edit: impl FnOnce(&Path)) -> crate::Checked {
        let dir = tempfile::tempdir().unwrap();
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        for entry in walkdir::WalkDir::new(&base) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&base).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        edit(dir.path());
        let checked = crate::check(dir.path()).unwrap();
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        checked
    }

    fn replace(root: &Path, file: &str, from: &str, to: &str) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// A third objective under topic A that nothing is aligned to.
    fn add_gap(root: &Path) {
        replace(
            root,
            "frameworks/ext.yaml",
            "        source: Test document, page 2\n",
            "        source: Test document, page 2\n      - code: A.2\n        title: Objective A.2\n        status: verified\n        source: Test document, page 3\n",
        );
    }

    fn statuses(f: &FrameworkCoverage<'_>) -> Vec<(String, Status)> {
        f.items
            .iter()
            .map(|i| (i.item.code.value.clone(), i.status))
            .collect()
    }

    #[test]
    fn statuses_hours_and_tallies_follow_the_rules() {
        let checked = checked(|_| {});
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        // C-ONE (assessed) is the same as A.1; C-TWO is only related to B,
        // which it does not cover; A is the weakest of its leaves.
        assert_eq!(
            statuses(ext),
            [
                ("A".into(), Status::Assessed),
                ("A.1".into(), Status::Assessed),
                ("B".into(), Status::Gap),
            ]
        );
        // The 45-minute lesson teaches two competencies: 22.5 minutes each;
        // C-TWO's go nowhere in this framework, as it covers nothing here.
        let minutes: Vec<f64> = ext.items.iter().map(|i| i.minutes).collect();
        assert_eq!(minutes, [22.5, 22.5, 0.0]);
        assert_eq!(ext.minutes, 22.5);
        assert_eq!(ext.verified.count(Status::Assessed), 1);
        assert_eq!(ext.provisional.count(Status::Gap), 1);
        assert_eq!(ext.leaves().total(), 2);
        assert_eq!(ext.leaves().percent_at_least(Status::Taught), 50.0);
        assert!(!ext.items[0].leaf && ext.items[1].leaf);
        assert_eq!(ext.items[1].teaching[0].id.value.as_str(), "lesson-one");
        // The related competency is listed, but no lesson is shown as teaching B.
        assert_eq!(ext.items[2].competencies.len(), 1);
        assert!(ext.items[2].teaching.is_empty());
        assert_eq!(ext.items[2].assessing.len(), 0);
    }

    #[test]
    fn a_related_competency_becomes_coverage_only_as_the_same_a_part_or_a_whole() {
        for (relation, status) in [
            ("isPartOf", Status::Taught),
            ("exactMatchOf", Status::Taught),
            ("hasPart", Status::Taught),
            ("isRelatedTo", Status::Gap),
        ] {
            let checked = checked(|root| {
                replace(
                    root,
                    "competencies/comp.yaml",
                    "      - target: ext:B\n        relation: isRelatedTo\n",
                    &format!("      - target: ext:B\n        relation: {relation}\n"),
                )
            });
            let cov = coverage(&checked.curriculum);
            let b = &cov.framework("ext").unwrap().items[2];
            assert_eq!(b.status, status, "{relation}");
        }
    }

    #[test]
    fn a_parent_is_raised_only_by_a_competency_that_is_all_of_it() {
        let with = |relation: &str| {
            let checked = checked(|root| {
                add_gap(root);
                replace(
                    root,
                    "competencies/comp.yaml",
                    "      - target: ext:B\n        relation: isRelatedTo\n",
                    &format!("      - target: ext:A\n        relation: {relation}\n"),
                );
            });
            let cov = coverage(&checked.curriculum);
            cov.framework("ext").unwrap().items[0].status
        };
        // A.2 is a gap: a part of A does not cover A; the whole of it does,
        // alone or inside a larger competency.
        assert_eq!(with("isPartOf"), Status::Gap);
        assert_eq!(with("exactMatchOf"), Status::Taught);
        assert_eq!(with("hasPart"), Status::Taught);
    }

    #[test]
    fn an_exception_takes_its_item_and_those_below_out_of_the_counts() {
        let excepting = |item: &str| {
            let block = format!(
                "  exceptions:\n    - framework: ext\n      item: {item}\n      status: elective-not-selected\n      reason: Another elective was chosen.\nx-owner: cib tests\n"
            );
            checked(|root| replace(root, "curriculum.yaml", "x-owner: cib tests\n", &block))
        };
        let on_b = excepting("B");
        let cov = coverage(&on_b.curriculum);
        let ext = cov.framework("ext").unwrap();
        let b = &ext.items[2];
        assert!(b.is_excepted());
        assert_eq!(b.exception.unwrap().item.value, "B");
        assert_eq!(ext.leaves().total(), 1);
        assert_eq!(ext.excepted, 1);
        assert_eq!(ext.leaves().count(Status::Gap), 0);
        assert_eq!(ext.leaves().percent_at_least(Status::Taught), 100.0);

        // On a parent, the exception reaches its children.
        let on_a = excepting("A");
        let cov = coverage(&on_a.curriculum);
        let ext = cov.framework("ext").unwrap();
        assert!(ext.items[0].is_excepted() && ext.items[1].is_excepted());
        assert_eq!(ext.items[1].exception.unwrap().item.value, "A");
        assert_eq!(ext.excepted, 1);
        // The base threshold on A now counts no leaves: nothing is left to miss.
        let results = cov.thresholds(&on_a.curriculum);
        assert!(matches!(
            results[0].reached,
            Reached::Coverage { items: 0, .. }
        ));
        assert!(results[0].met);
    }

    #[test]
    fn hours_thresholds_compare_planned_with_a_number_or_the_required_hours() {
        let checked = checked(|root| {
            replace(
                root,
                "frameworks/ext.yaml",
                "version: \"2020\"\n",
                "version: \"2020\"\nhours: 1\n",
            );
            replace(
                root,
                "curriculum.yaml",
                "x-owner: cib tests\n",
                "    - framework: ext\n      min_hours: required\n    - framework: ext\n      item: A\n      min_hours: 0.25\nx-owner: cib tests\n",
            );
        });
        let cov = coverage(&checked.curriculum);
        let results = cov.thresholds(&checked.curriculum);
        let hours: Vec<(f64, f64, bool)> = results
            .iter()
            .filter_map(|r| match r.reached {
                Reached::Hours { min_hours, planned } => Some((min_hours, planned, r.met)),
                Reached::Coverage { .. } => None,
            })
            .collect();
        // 22.5 planned minutes are 0.375 h: short of the framework's 1 h,
        // enough for A's 0.25 h.
        assert_eq!(hours, [(1.0, 0.375, false), (0.25, 0.375, true)]);
        let ext = cov.framework("ext").unwrap();
        assert_eq!(ext.hours.len(), 1);
        assert_eq!(ext.hours[0].requirement, "Total hours");
        assert!(!ext.hours[0].met());
    }

    #[test]
    fn an_item_nothing_aligns_to_is_a_gap_and_pulls_its_parent_down() {
        let checked = checked(add_gap);
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        assert_eq!(
            statuses(ext),
            [
                ("A".into(), Status::Gap),
                ("A.1".into(), Status::Assessed),
                ("A.2".into(), Status::Gap),
                ("B".into(), Status::Gap),
            ]
        );
        let a = &ext.items[0];
        assert_eq!(a.verified.total(), 2);
        assert_eq!(a.verified.percent_at_least(Status::Taught), 50.0);
        // The base threshold (every leaf of A taught) now fails.
        let results = cov.thresholds(&checked.curriculum);
        assert_eq!(results.len(), 1);
        assert!(!results[0].met);
        assert!(matches!(
            results[0].reached,
            Reached::Coverage {
                percent: 50.0,
                items: 2,
                ..
            }
        ));
    }

    #[test]
    fn a_competency_aligned_to_two_items_splits_its_hours() {
        let checked = checked(|root| {
            replace(
                root,
                "competencies/comp.yaml",
                "      - target: ext:B\n        relation: isRelatedTo\n",
                "      - target: ext:A.1\n        relation: isPartOf\n      - target: ext:B\n        relation: isPartOf\n",
            )
        });
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        let minutes: Vec<f64> = ext.items.iter().map(|i| i.minutes).collect();
        // C-ONE 22.5 → A.1; C-TWO 22.5 split between A.1 and B.
        assert_eq!(minutes, [33.75, 33.75, 11.25]);
        assert_eq!(ext.minutes, 45.0);
        assert_eq!(ext.items[1].competencies.len(), 2);
    }

    #[test]
    fn the_crosswalk_links_items_of_different_frameworks_through_shared_competencies() {
        // C-TWO is related to ext:B; `relation` is how it stands to other:X.
        let crosswalk = |relation: &str| -> Vec<(String, Vec<String>)> {
            let checked = checked(|root| {
                std::fs::write(
                    root.join("frameworks/other.yaml"),
                    "id: other\ntitle: Other\npublisher: P\nversion: \"1\"\nitems:\n  - code: X\n    title: X\n    status: verified\n    source: p. 1\n",
                )
                .unwrap();
                replace(
                    root,
                    "competencies/comp.yaml",
                    "      - target: ext:B\n        relation: isRelatedTo\n",
                    &format!(
                        "      - target: other:X\n        relation: {relation}\n      - target: ext:B\n        relation: isPartOf\n"
                    ),
                )
            });
            let cov = coverage(&checked.curriculum);
            ["ext:A.1", "ext:B", "other:X"]
                .iter()
                .map(|target| {
                    let (fw, code) = target.split_once(':').unwrap();
                    let item = cov
                        .framework(fw)
                        .unwrap()
                        .items
                        .iter()
                        .find(|i| i.item.code.value == code)
                        .unwrap();
                    let related = item.related.iter().map(ToString::to_string).collect();
                    ((*target).to_owned(), related)
                })
                .collect()
        };
        let linked = crosswalk("exactMatchOf");
        assert_eq!(linked[0].1, Vec::<String>::new());
        assert_eq!(linked[1].1, ["other:X"]);
        assert_eq!(linked[2].1, ["ext:B"]);
        // A related competency credits neither end.
        let related = crosswalk("isRelatedTo");
        assert!(related.iter().all(|(_, r)| r.is_empty()), "{related:?}");
    }
}
