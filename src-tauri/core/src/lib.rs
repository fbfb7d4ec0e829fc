//! Seatdesk's core: the domain rules, the SQLite store and the service layer
//! that the window and the command line share. No Tauri here, so it builds
//! and tests in seconds.

pub mod domain;
pub mod error;
pub mod service;
pub mod store;

pub use error::{Error, ErrorCode, Result};
pub use service::{Clock, Scope, Seatdesk};
