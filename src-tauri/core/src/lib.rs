//! Shifan engine (示范创建工作台): everything the app does, without any UI.
//!
//! The Tauri shell, the `shifan` CLI and the integration tests are three doors onto the public
//! functions of this crate. See ARCHITECTURE.md.

pub mod backup;
pub mod campaign;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod fault;
pub mod handover;
pub mod health;
pub mod indicators;
pub mod lock;
pub mod model;
pub mod oplog;
pub mod progress;
pub mod sheet;
pub mod store;
pub mod tasks;
pub mod text;
pub mod undo;
pub mod units;
pub mod workspace;

pub use error::{Error, Result};
pub use workspace::Workspace;
