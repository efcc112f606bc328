//! What answering a request needs of the server, and how it can refuse.

use std::collections::HashMap;
use std::path::PathBuf;

use super::engine::Engine;
use super::text::Encoding;

/// Why a request gets an error instead of an answer.
pub enum Refusal {
    /// Its parameters do not say what to do.
    Params(String),
    /// It is understood but cannot be done (a rename to a taken id).
    Failed(String),
}

/// What the server needs of itself to answer.
pub struct Context<'s> {
    pub engine: Option<&'s Engine>,
    pub encoding: Encoding,
    pub open: &'s HashMap<PathBuf, String>,
}
