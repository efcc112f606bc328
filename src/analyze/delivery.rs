//! The delivery of a course whose owner regulates it (OSHA's outreach
//! classes): which sessions of an instructor bundle give how many minutes to
//! each topic of the framework the course delivers. The delivery records a
//! teacher keeps are printed from this (docs/delivery-records.md).

use crate::model::{
    Audience, Bundle, CompetencyFramework, Curriculum, DeliveryRecords, Exception, Framework, Item,
    Lesson,
};

/// A bundle's delivery of a regulated course.
pub struct Delivery<'c> {
    pub course: &'c CompetencyFramework,
    pub framework: &'c Framework,
    pub records: &'c DeliveryRecords,
    /// Every item of the framework, in its order.
    pub topics: Vec<Topic<'c>>,
    /// The class periods of the bundle's lessons that give the course time,
    /// in bundle order.
    pub sessions: Vec<Session<'c>>,
}

pub struct Topic<'c> {
    pub item: &'c Item,
    pub minutes: f64,
    /// The sessions that teach it, in order.
    pub lessons: Vec<&'c Lesson>,
    /// Left out of the course on purpose, with the reason (curriculum.yaml).
    pub exception: Option<&'c Exception>,
}

/// One class period: a lesson over several periods is several sessions, its
/// minutes shared equally among them.
pub struct Session<'c> {
    pub lesson: &'c Lesson,
    pub minutes: f64,
    /// The topics it gives minutes to: code and minutes, in framework order.
    pub topics: Vec<(&'c str, f64)>,
}

impl Delivery<'_> {
    /// The contact minutes of the whole course.
    pub fn minutes(&self) -> f64 {
        self.topics.iter().map(|t| t.minutes).sum()
    }

    /// The fewest days the course can run in under the owner's daily cap.
    pub fn min_days(&self) -> Option<u32> {
        let per_day = self.framework.requirements.as_ref()?.max_hours_per_day? * 60.0;
        (per_day > 0.0).then(|| (self.minutes() / per_day - 1e-9).ceil().max(1.0) as u32)
    }
}

/// The regulated course a bundle of either audience teaches: one of its
/// frameworks `delivers` a framework whose owner requires records.
pub fn regulated_course<'c>(
    c: &'c Curriculum,
    bundle: &Bundle,
) -> Option<(&'c CompetencyFramework, &'c Framework, &'c DeliveryRecords)> {
    c.competency_frameworks.iter().find_map(|course| {
        if !bundle.frameworks.iter().any(|f| f.value == course.id.value) {
            return None;
        }
        let framework = c.framework(&course.delivers.as_ref()?.value)?;
        let records = framework.requirements.as_ref()?.records.as_ref()?;
        Some((course, framework, records))
    })
}

/// The course an instructor bundle delivers, when one of its frameworks
/// `delivers` a framework whose owner requires records; `lessons` are the
/// bundle's, in order. A lesson's minutes are split equally among the
/// competencies it teaches, and a competency's among the items it covers, as
/// coverage splits hours.
pub fn delivery<'c>(
    c: &'c Curriculum,
    bundle: &Bundle,
    lessons: &[&'c Lesson],
) -> Option<Delivery<'c>> {
    if bundle.audience != Audience::Instructor {
        return None;
    }
    let (course, framework, records) = regulated_course(c, bundle)?;
    let mut topics: Vec<Topic> = framework
        .items
        .iter()
        .map(|item| Topic {
            item,
            minutes: 0.0,
            lessons: Vec::new(),
            exception: c.settings.as_ref().and_then(|s| {
                s.exceptions.iter().find(|e| {
                    e.framework.value == framework.id.value && e.item.value == item.code.value
                })
            }),
        })
        .collect();
    let mut sessions = Vec::new();
    for &lesson in lessons {
        let mut given = vec![0.0; topics.len()];
        let per_competency =
            f64::from(lesson.duration_minutes) / lesson.teaches.len().max(1) as f64;
        for k in lesson
            .teaches
            .iter()
            .filter_map(|id| course.competencies.iter().find(|k| k.id.value == id.value))
        {
            let covered: Vec<usize> = k
                .alignments
                .iter()
                .filter(|a| a.relation.covers() && a.target.value.framework == framework.id.value)
                .filter_map(|a| {
                    framework
                        .items
                        .iter()
                        .position(|i| i.code.value == a.target.value.code)
                })
                .collect();
            for &i in &covered {
                given[i] += per_competency / covered.len() as f64;
            }
        }
        let periods = f64::from(lesson.sessions);
        let mut taught = Vec::new();
        for (topic, minutes) in topics.iter_mut().zip(given) {
            if minutes > 0.0 {
                topic.minutes += minutes;
                topic.lessons.push(lesson);
                taught.push((topic.item.code.value.as_str(), minutes / periods));
            }
        }
        if !taught.is_empty() {
            for _ in 0..lesson.sessions {
                sessions.push(Session {
                    lesson,
                    minutes: f64::from(lesson.duration_minutes) / periods,
                    topics: taught.clone(),
                });
            }
        }
    }
    Some(Delivery {
        course,
        framework,
        records,
        topics,
        sessions,
    })
}
