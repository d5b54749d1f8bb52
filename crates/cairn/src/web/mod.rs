//! Web plumbing shared by every feature: the error type, CSRF, static assets and page layout.

pub mod assets;
pub mod csrf;
pub mod error;
pub mod json;
pub mod page;

pub use error::{AppError, PageError};
pub use json::ApiJson;
