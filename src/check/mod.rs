//! Stage 2: everything `cib check` reports beyond load and parse problems — schema
//! violations per file, then rules over the resolved curriculum.

pub mod formula;
pub mod placeholder;
pub mod rules;
pub mod schema;
