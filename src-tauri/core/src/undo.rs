//! 撤销上一次导入: an import (指标体系, 单位名单, 任务分解表, 收回各单位工作表) is preceded by an
//! automatic backup, so as long as nothing else changed since, undoing it is restoring that
//! backup. Cheap, exact, and it goes through the same checked restore (with its own safety
//! backup), so an undo can itself be undone from the backup list.

use rusqlite::OptionalExtension;

use crate::action::Action;
use crate::backup;
use crate::error::{Error, Result};
use crate::model::{RestoreReport, UndoInfo};
use crate::progress::Job;
use crate::workspace::Workspace;

impl Workspace {
    /// The last change, when it is an import that can be undone; None otherwise (the last
    /// change was something else, or the backup before it is gone).
    pub fn undo_info(&self) -> Result<Option<UndoInfo>> {
        let conn = self.store().conn();
        let last: Option<(i64, String, String, String, String, String)> = conn
            .query_row(
                "SELECT id, action, at, operator, detail, code FROM oplog ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, action, at, operator, detail, code)) = last else {
            return Ok(None);
        };
        // What the change was comes from its typed code, never from its Chinese label.
        if !Action::from_code(&code).is_some_and(Action::is_import) {
            return Ok(None);
        }
        let before: i64 = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM oplog WHERE id < ?1",
            [id],
            |r| r.get(0),
        )?;
        let schema = backup::summarize(conn)?.schema_version;
        let found = backup::list(self.data_dir())?
            .into_iter()
            .find(|b| b.summary.last_change_id == before && b.summary.schema_version == schema);
        Ok(found.map(|b| UndoInfo {
            action,
            at,
            operator,
            detail,
            backup_id: b.id,
        }))
    }

    /// Undo the last import by restoring the backup taken just before it (after a safety
    /// backup of the current state). Refused when the last change is not an undoable import.
    pub fn undo_last_import(&mut self, job: &Job) -> Result<RestoreReport> {
        let Some(info) = self.undo_info()? else {
            return Err(Error::Invalid(
                "没有可以撤销的导入：只能撤销最近一次操作，且它必须是导入或收回，之后没有做过其他修改。"
                    .into(),
            ));
        };
        let mut r = self.restore_backup(&info.backup_id, job)?;
        r.message = format!(
            "已撤销 {} 的“{}”（{}）。撤销前的数据已保存为安全备份“{}”，如需可再恢复回去。",
            info.at, info.action, info.detail, r.safety_backup.id
        );
        Ok(r)
    }
}
