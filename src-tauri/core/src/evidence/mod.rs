//! The lowest layers of the evidence library (佐证材料库): what the ~86 units send — PDFs,
//! scans, Word files and photos, as single files, folders and zips — read safely, stored once
//! per content, and later exported under names Windows accepts.
//!
//! No database and no `Workspace` here; these are the building blocks the evidence feature is
//! wired from:
//!
//! - [`cas`] — the object store (`<data>/evidence/objects/ab/cdef…`): BLAKE3 content hashes,
//!   crash-safe puts (hash while copying into a temp file, fsync, rename), deduplication,
//!   verification, leftover temp files.
//! - [`intake`] — what a user dropped in (files, folders, zips, zips inside folders) as a
//!   [`intake::Plan`] of entries, then streamed entry by entry: GBK names decoded, path
//!   traversal, symlinks, encryption and zip bombs refused, Windows/macOS junk skipped and
//!   counted, per-file problems as [`crate::model::ImportIssue`]s.
//! - [`mod@ingest`] — a plan into the store using both cores: folder files copied by a worker pool,
//!   zip entries inflated by one thread and hashed/written by another; outcomes in plan order;
//!   [`ingest::bench_ingest`] for a later benchmark.
//! - [`classify`] — which indicator(s) a file supports, from its folder and file names as units
//!   write them, with a confidence; unsure files go to the 待归类 queue.
//! - [`pdf`] — page counts and the merged PDF of an archive volume with Chinese bookmarks.
//! - [`winpath`] — names and relative paths safe on Windows (forbidden characters, reserved
//!   device names, MAX_PATH), unique within each folder.
//!
//! Typical use (the workspace will hold the data-folder lock around it):
//!
//! ```text
//! let store = ObjectStore::open(data_dir)?;
//! store.remove_orphan_temps(Duration::ZERO);            // after a crash, under the lock
//! let plan = intake::scan(&dropped, &Limits::default(), progress, cancel)?;
//! // show plan.entries() / plan.issues() / plan.junk_skipped() as a preview
//! let report = ingest::ingest(&plan, &store, 2, progress, cancel)?;
//! // report.outcomes[i] is what became of plan.entries()[i]: bind the hashes in one transaction
//! ```
//!
//! A put that is cancelled or fails leaves nothing; objects stored by an ingest that is later
//! abandoned (cancelled before the database records them) are unreferenced but harmless, and
//! a later garbage collection over [`cas::ObjectStore::list`] can remove them.

pub mod add;
pub mod archive;
#[doc(hidden)]
pub mod bench;
pub mod cas;
pub mod classify;
pub mod completeness;
pub mod demo;
pub mod ingest;
pub mod intake;
pub mod library;
pub mod names;
pub mod pdf;
pub mod returns;
pub mod search;
pub mod store_check;
pub mod winpath;

#[cfg(test)]
pub(crate) mod testzip;

pub use add::{EvidenceAddOptions, EvidenceAddPreview, EvidenceIntake};
pub use cas::{ContentHash, ObjectStore, PutError, Stored, Verdict};
pub use ingest::{IngestReport, Outcome, ingest};
pub use intake::{Entry, Limits, Plan, scan};
pub use library::{
    EvidenceAssign, EvidenceDetail, EvidenceEdit, EvidenceFilter, EvidenceItem, EvidenceReview,
    ReviewDecision,
};

use crate::model::{ImportIssue, Severity};

/// An issue about a whole file, archive or entry (no sheet/row/column).
fn issue(severity: Severity, file: &str, message: String) -> ImportIssue {
    ImportIssue {
        severity,
        message,
        file: file.to_string(),
        sheet: None,
        row: None,
        col: None,
    }
}
