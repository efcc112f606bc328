//! A competency framework's gradebook template (docs/records.md): a CSV to
//! fill with one row per student and one column per competency, in teaching
//! order. The printed record and roster are `render::records`.

use super::push_row;
use crate::model::CompetencyFramework;

/// The columns before the competencies.
pub const STUDENT_COLUMNS: [&str; 3] = ["Student", "Student ID", "Class or period"];

/// `records/<framework>.csv`: a UTF-8 byte-order mark (so Excel reads UTF-8),
/// then a header row: the student columns, then one column per competency,
/// `ID: title`, in the framework's order. The column order is stable, so a
/// sheet filled with one version's template reads the same next year as long
/// as no competency is added before its last column.
pub fn csv(f: &CompetencyFramework) -> String {
    let mut out = String::from("\u{feff}");
    push_row(
        &mut out,
        STUDENT_COLUMNS.iter().map(|s| (*s).to_owned()).chain(
            f.competencies
                .iter()
                .map(|k| format!("{}: {}", k.id.value, k.title)),
        ),
    );
    out
}
