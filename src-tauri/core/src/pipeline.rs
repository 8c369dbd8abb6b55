//! The one import pipeline. Every import (指标体系, 单位名单, 任务分解表, 收回各单位工作表, and the
//! importers of later modules) is an [`Importer`]: it knows how to *plan* (read the file, check
//! it, resolve it against what is stored; nothing written) and how to *write* a plan inside one
//! transaction. [`Workspace::preview`] and [`Workspace::apply`] do everything else, the same way
//! for all of them:
//!
//! 1. staged progress (read and check → back up → write) and cancel, always on;
//! 2. apply re-plans (the file may have changed since the preview) and refuses a plan with
//!    errors, with every issue and its place;
//! 3. an automatic backup before the write (a failed backup refuses the import);
//! 4. one `Store::write`: the change and its 操作日志 entry (typed [`Action`]) in one
//!    transaction — all or nothing.

use std::path::Path;

use rusqlite::Transaction;

use crate::action::Action;
use crate::error::{Error, Result};
use crate::model::ImportIssue;
use crate::progress::{Job, Stages};
use crate::workspace::Workspace;

/// What every preview says: which file, what was found, whether it can be applied.
pub trait ImportReport {
    /// The file (or folder, or zip) shown to the user.
    fn file_name(&self) -> &str;
    fn issues(&self) -> &[ImportIssue];
    fn can_apply(&self) -> bool;
}

/// A plan: what the user sees, what the write needs beyond it, and the 操作日志 text.
pub struct Plan<P, W> {
    pub preview: P,
    pub work: W,
    /// 操作日志 detail, e.g. "“任务分解表.xlsx”：新增 3 项、更新 2 项".
    pub detail: String,
}

/// One kind of import.
pub trait Importer {
    /// What the user sees before applying.
    type Preview: ImportReport;
    /// What the write needs beyond the preview (resolved ids, rows …).
    type Work;
    /// What `apply` returns (often the preview itself).
    type Output;
    /// How the change is recorded (and whether 撤销 can take it back).
    const ACTION: Action;

    /// The file or folder read, for progress messages.
    fn source(&self) -> &Path;

    /// Read, check and resolve; never writes. A folder importer reports each file through
    /// `job` and checks for cancel between files.
    fn plan(&self, ws: &Workspace, job: &Job) -> Result<Plan<Self::Preview, Self::Work>>;

    /// Store a plan without errors, inside the one transaction of the import.
    fn write(
        &self,
        tx: &Transaction<'_>,
        preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output>;
}

/// The refusal of a plan with errors: every issue, nothing changed.
pub fn refusal<P: ImportReport>(preview: &P) -> Error {
    Error::Import {
        file: preview.file_name().to_string(),
        issues: preview.issues().to_vec(),
    }
}

impl Workspace {
    /// Read and check an import and show what it would do. Nothing is stored.
    pub fn preview<I: Importer>(&self, importer: &I, job: &Job) -> Result<I::Preview> {
        let stages = Stages::start(importer.source(), job);
        let plan = importer.plan(self, job)?;
        stages.checked()?;
        Ok(plan.preview)
    }

    /// Apply an import: plan again, refuse a plan with errors, back up, write in one
    /// transaction. A cancel before the write changes nothing.
    pub fn apply<I: Importer>(&mut self, importer: &I, job: &Job) -> Result<I::Output> {
        self.require_writer()?;
        let stages = Stages::start(importer.source(), job);
        let plan = importer.plan(self, job)?;
        if !plan.preview.can_apply() {
            return Err(refusal(&plan.preview));
        }
        stages.backing_up()?;
        self.backup_before_import()?;
        stages.writing()?;
        let Plan {
            preview,
            work,
            detail,
        } = plan;
        self.store.write(
            I::ACTION,
            |_| detail,
            |tx| importer.write(tx, preview, work),
        )
    }
}
