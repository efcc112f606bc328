//! C015: an assessment's duration, machine time and schedule add up.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for a in &c.assessments {
        let finding = |span: &crate::diag::Span, message: String, hint: &str| {
            Diagnostic::new(Code::AssessmentTime, span.clone(), message)
                .with_label("does not add up")
                .with_hint(hint.to_owned())
        };
        let machine_span = a.machine_time.as_ref().unwrap_or(&a.duration);
        if a.machine_minutes > a.duration_minutes {
            out.push(finding(
                machine_span,
                format!(
                    "`{}` has {} minutes of machine time in a {}-minute duration",
                    a.id.value, a.machine_minutes, a.duration_minutes
                ),
                "machine time is part of the duration: shorten it or lengthen the duration",
            ));
        }
        if a.schedule.is_empty() {
            continue;
        }
        let total: u32 = a.schedule.iter().map(|s| s.minutes).sum();
        if total != a.duration_minutes {
            out.push(finding(
                &a.duration,
                format!(
                    "the schedule of `{}` takes {total} minutes, but its duration is {}",
                    a.id.value, a.duration_minutes
                ),
                "make the steps' minutes add up to the duration",
            ));
        }
        let machine: u32 = a
            .schedule
            .iter()
            .filter(|s| s.machine.is_some())
            .map(|s| s.minutes)
            .sum();
        if machine != a.machine_minutes {
            out.push(finding(
                machine_span,
                format!(
                    "the schedule's steps on a machine take {machine} minutes, but the machine time is {}",
                    a.machine_minutes
                ),
                "set `machine_time` to the minutes of the steps that name a `machine`",
            ));
        }
    }
}
