//! cairn's integration tests: one binary (link time on 2 cores), modules by feature.
//! Store tests run on SQLite and PostgreSQL; HTTP tests run against a real server on port 0.

mod support;

mod admin;
mod auth;
mod booking_rules;
mod catalogue;
mod check;
mod cli;
mod declarations;
mod demo;
mod endorsement;
mod isolation;
mod jobs;
mod learning;
mod nqsw;
mod openapi;
mod people;
mod plan;
mod record;
mod reminders;
mod scale_out;
mod standing;
mod store;
mod structure;
mod supervision;
mod transport;
