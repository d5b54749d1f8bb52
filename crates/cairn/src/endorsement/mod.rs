//! Endorsement: a practitioner asks their supervisor, or a colleague they name, to endorse a
//! learning entry or a set of them; the endorser reads them and endorses (the entries are
//! marked endorsed and count for rules that ask for it) or returns them with a comment.
//! Nobody endorses their own learning, or learning of someone they neither supervise nor work
//! with.

pub mod api;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;
