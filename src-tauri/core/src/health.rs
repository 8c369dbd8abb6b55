//! Integrity checks (数据检查): a quick check at every open (`PRAGMA quick_check` and foreign
//! keys), a full check on demand (full `integrity_check`, foreign keys, every backup re-hashed
//! against its manifest, evidence store re-hashed once it exists, leftovers of interrupted
//! work), and a repair path for what can be repaired.

use std::path::Path;

use crate::action::Action;
use crate::backup;
use crate::error::Result;
use crate::model::{BackupReason, HealthProblem, HealthReport, Severity};
use crate::progress::Job;
use crate::store::Store;
use crate::workspace::Workspace;

/// Placeholder before the first check.
pub fn not_checked() -> HealthReport {
    HealthReport {
        ok: true,
        full: false,
        checked_at: String::new(),
        checks: Vec::new(),
        problems: Vec::new(),
        summary: "尚未检查".into(),
        can_repair: false,
    }
}

fn problem(message: String, repair: Option<&str>) -> HealthProblem {
    HealthProblem {
        severity: Severity::Error,
        message,
        repair: repair.map(str::to_string),
    }
}

const RESTORE_HINT: &str =
    "请在“设置 → 备份与恢复”中恢复最近一份完好的备份（恢复前会自动保存当前数据）。";

/// Database structure and foreign keys. `full` runs `integrity_check` instead of `quick_check`.
fn check_database(store: &Store, full: bool, r: &mut HealthReport) -> Result<()> {
    let conn = store.conn();
    let pragma = if full {
        "PRAGMA integrity_check(20)"
    } else {
        "PRAGMA quick_check(20)"
    };
    let lines: Vec<String> = match conn.prepare(pragma).and_then(|mut st| {
        st.query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    }) {
        Ok(v) => v,
        Err(e) => vec![format!("无法检查：{e}")],
    };
    if lines.len() == 1 && lines[0] == "ok" {
        r.checks.push(if full {
            "数据库结构完整（全面检查）".into()
        } else {
            "数据库结构完整（快速检查）".into()
        });
    } else {
        let index_only = index_only(&lines);
        for l in lines.iter().take(5) {
            // SQLite's own words stay inside the brackets, for support staff.
            r.problems.push(problem(
                format!("数据库结构有损坏（{l}）"),
                if index_only {
                    Some("重建索引（REINDEX），不改动任何数据")
                } else {
                    None
                },
            ));
        }
        if !index_only {
            r.problems.push(problem(
                format!("数据库文件已损坏，无法自动修复。{RESTORE_HINT}"),
                None,
            ));
        }
    }
    let fk: Vec<(String, i64, String)> = conn
        .prepare("PRAGMA foreign_key_check")
        .and_then(|mut st| {
            st.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    row.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap_or_default();
    if fk.is_empty() {
        r.checks.push("数据之间的关联一致（外键检查）".into());
    } else {
        for (table, rowid, parent) in fk.iter().take(10) {
            r.problems.push(problem(
                format!("表 {table} 第 {rowid} 行引用的 {parent} 记录不存在。{RESTORE_HINT}"),
                None,
            ));
        }
        if fk.len() > 10 {
            r.problems.push(problem(
                format!("……另有 {} 处关联不一致。", fk.len() - 10),
                None,
            ));
        }
    }
    Ok(())
}

/// Whether the findings of `quick_check`/`integrity_check` concern only indexes (repairable by
/// REINDEX without touching data).
pub(crate) fn index_only(lines: &[String]) -> bool {
    !lines.is_empty()
        && lines
            .iter()
            .all(|l| l.contains("index") || l.contains("wrong # of entries"))
}

fn finish(mut r: HealthReport) -> HealthReport {
    r.ok = !r.problems.iter().any(|p| p.severity == Severity::Error);
    r.can_repair = r.problems.iter().any(|p| p.repair.is_some());
    let errors = r
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    r.summary = if r.ok && r.problems.is_empty() {
        format!(
            "数据检查通过（{}）",
            if r.full {
                "全面检查"
            } else {
                "快速检查"
            }
        )
    } else if r.ok {
        format!("数据检查通过，有 {} 条提示", r.problems.len())
    } else {
        format!("数据检查发现 {errors} 个问题")
    };
    r
}

/// The quick check run at every open.
pub fn quick(store: &Store) -> Result<HealthReport> {
    let mut r = HealthReport {
        checked_at: crate::store::now(),
        ..not_checked()
    };
    check_database(store, false, &mut r)?;
    Ok(finish(r))
}

/// The full check: database, foreign keys, backups re-hashed, evidence store, leftovers.
pub fn full(dir: &Path, store: &Store) -> Result<HealthReport> {
    let mut r = HealthReport {
        checked_at: crate::store::now(),
        full: true,
        ..not_checked()
    };
    check_database(store, true, &mut r)?;
    let backups = backup::list(dir)?;
    let mut good = 0;
    for b in &backups {
        match backup::hash_file(Path::new(&b.path)) {
            Ok((sha, _)) if sha == b.sha256 => good += 1,
            _ => r.problems.push(HealthProblem {
                severity: Severity::Warning,
                message: format!(
                    "备份“{}”（{}）的文件已损坏或被改动，不能用于恢复。",
                    b.id, b.created_at
                ),
                repair: Some("删除这份损坏的备份".into()),
            }),
        }
    }
    r.checks.push(format!(
        "备份文件逐一校验：{good} 份完好（共 {} 份）",
        backups.len()
    ));
    if backups.is_empty() {
        r.problems.push(HealthProblem {
            severity: Severity::Warning,
            message: "还没有任何备份。建议立即备份一次，并定期备份到 U 盘。".into(),
            repair: Some("立即备份一次".into()),
        });
    }
    r.checks
        .push("佐证材料文件逐一校验：暂无佐证材料文件".into());
    let leftovers = leftovers(dir);
    if !leftovers.is_empty() {
        r.problems.push(HealthProblem {
            severity: Severity::Warning,
            message: format!(
                "数据文件夹中有 {} 个中断操作留下的临时文件。",
                leftovers.len()
            ),
            repair: Some("删除这些临时文件".into()),
        });
    } else {
        r.checks.push("没有中断操作留下的临时文件".into());
    }
    Ok(finish(r))
}

/// Temp files of interrupted work in the data folder and the backups folder.
fn leftovers(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for d in [dir.to_path_buf(), dir.join(backup::BACKUP_DIR)] {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(".tmp-") || name.starts_with(".shifan-") {
                    v.push(e.path());
                }
            }
        }
    }
    v
}

impl Workspace {
    /// Run the full check on demand; the result also becomes `health()`.
    pub fn check_full(&mut self) -> Result<HealthReport> {
        self.health = full(&self.dir, &self.store)?;
        Ok(self.health.clone())
    }

    /// Run the quick check again.
    pub fn check_quick(&mut self) -> Result<HealthReport> {
        self.health = quick(&self.store)?;
        Ok(self.health.clone())
    }

    /// Repair what can be repaired (after a safety backup when the database is readable):
    /// rebuild indexes, delete damaged backups and leftovers of interrupted work, make a first
    /// backup. What cannot be repaired (a damaged database) stays in the report with the advice
    /// to restore a backup. Returns a fresh full report.
    pub fn repair(&mut self) -> Result<HealthReport> {
        self.require_writer()?;
        let before = full(&self.dir, &self.store)?;
        let index_damage = before.problems.iter().any(|p| {
            p.severity == Severity::Error
                && p.repair.as_deref().is_some_and(|r| r.contains("REINDEX"))
        });
        if index_damage {
            let _ = self.backup_now(BackupReason::BeforeRepair, &Job::quiet());
            self.store.write(
                Action::Repair,
                |_| "重建索引".to_string(),
                |tx| {
                    tx.execute_batch("REINDEX;")?;
                    Ok(())
                },
            )?;
        }
        for b in backup::list(&self.dir)? {
            let good = backup::hash_file(Path::new(&b.path)).is_ok_and(|(sha, _)| sha == b.sha256);
            if !good {
                let dir = self.dir.join(backup::BACKUP_DIR);
                let _ = std::fs::remove_file(dir.join(format!("{}.json", b.id)));
                let _ = std::fs::remove_file(dir.join(&b.db_file));
            }
        }
        for p in leftovers(&self.dir) {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(&p);
            } else {
                let _ = std::fs::remove_file(&p);
            }
        }
        if backup::list(&self.dir)?.is_empty() {
            self.backup_now(BackupReason::Manual, &Job::quiet())?;
        }
        self.check_full()
    }
}
