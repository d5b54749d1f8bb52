//! cairn, the application: one module per feature (its routes, service, SQL and pages side by
//! side) over small shared plumbing (`db`, `web`, `authz`). `main.rs` is a thin shim over
//! [`cli::run`]. See docs/ARCHITECTURE.md for the map.
#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod authz;
pub mod booking;
pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod endorsement;
pub mod evaluation;
pub mod home;
pub mod jobs;
pub mod learning;
pub mod notifications;
pub mod nqsw;
pub mod ops;
pub mod people;
pub mod plan;
pub mod record;
pub mod reminders;
pub mod server;
pub mod spend;
pub mod standing;
pub mod supervision;
pub mod web;
pub mod worker;
pub mod zone;

pub use app::AppState;
pub use clock::Clock;
pub use config::Config;
pub use db::Db;
pub use server::{router, serve};
