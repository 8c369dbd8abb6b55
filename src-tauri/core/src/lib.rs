//! Shifan engine (示范创建工作台): everything the app does, without any UI.
//!
//! The Tauri shell, the `shifan` CLI and the integration tests are three doors onto the public
//! functions of this crate. See ARCHITECTURE.md.

// A panic on user data is a bug: no unwrap()/expect() outside tests (clippy.toml allows them
// in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod action;
pub mod atomic;
pub mod backup;
pub mod campaign;
pub mod chart;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod evaluation;
pub mod evidence;
pub mod fault;
pub mod handover;
pub mod health;
pub mod indicators;
pub mod lock;
pub mod model;
pub mod oplog;
pub mod package;
pub mod phases;
pub mod pipeline;
pub mod problems;
pub mod progress;
pub mod recovery;
pub mod report;
pub mod sheet;
pub mod store;
pub mod summary;
pub mod tasks;
pub mod text;
pub mod undo;
pub mod units;
pub mod vocabulary;
pub mod word;
pub mod workspace;

pub use action::Action;
pub use error::{Error, Result};
pub use evaluation::{ScaleImport, ScoreSheetsImport};
pub use indicators::import::IndicatorImport;
pub use pipeline::{ImportReport, Importer};
pub use problems::{ProblemsCollect, ProblemsImport};
pub use progress::Job;
pub use tasks::collect::CollectImport;
pub use tasks::import::TasksImport;
pub use units::book::UnitsImport;
pub use workspace::Workspace;
