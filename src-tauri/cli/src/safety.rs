//! Data-safety subcommands: backups, hand-over files, the 操作日志, integrity checks and the
//! operator name. Each calls one `Workspace` method and prints the result.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use shifan_core::model::{BackupInfo, BackupReason, OplogFilter, SnapshotSummary};
use shifan_core::{Error, Workspace};

use crate::job::Bar;
use crate::{Cmd, Out, out};

#[derive(Subcommand)]
pub enum BackupCmd {
    /// 立即备份（默认存入数据文件夹的 backups；--to 指定文件夹，如 U 盘）。
    Create {
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// 列出备份（最新在前）。
    List,
    /// 从备份恢复：备份编号或备份文件路径。恢复前会先自动做一份安全备份。
    Restore {
        source: String,
        /// 只预览备份内容，不恢复。
        #[arg(long)]
        preview: bool,
    },
}

#[derive(Subcommand)]
pub enum HandoverCmd {
    /// 把整个数据文件夹导出为一个交接文件（.shifan）。
    Export { file: PathBuf },
    /// 导入交接文件（只导入到没有创建项目的数据文件夹，绝不覆盖已有项目）。
    Import {
        file: PathBuf,
        /// 只校验并预览，不导入。
        #[arg(long)]
        preview: bool,
    },
}

/// Which 操作日志 entries `log list` shows and `log export` writes.
#[derive(Args)]
pub struct LogFilterArgs {
    /// 只看某类操作，如“导入指标体系”。
    #[arg(long)]
    action: Option<String>,
    /// 操作人、操作或内容包含的文字。
    #[arg(long)]
    search: Option<String>,
    /// 起始日期，如 2026-11-01。
    #[arg(long)]
    from: Option<String>,
    /// 截止日期，如 2026-11-30。
    #[arg(long)]
    to: Option<String>,
}

impl LogFilterArgs {
    fn filter(self, limit: Option<i64>) -> OplogFilter {
        OplogFilter {
            action: self.action,
            search: self.search,
            from: self.from,
            to: self.to,
            limit,
            offset: None,
        }
    }
}

#[derive(Subcommand)]
pub enum LogCmd {
    /// 查看操作日志（最新在前）。
    List {
        #[command(flatten)]
        filter: LogFilterArgs,
        /// 最多显示多少条（默认 200）。
        #[arg(long)]
        limit: Option<i64>,
    },
    /// 导出操作日志到 Excel（.xlsx）。
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: LogFilterArgs,
    },
}

#[derive(Subcommand)]
pub enum SettingsCmd {
    /// 设置操作人姓名（记入操作日志）。
    SetOperator { name: String },
    /// 显示或设置本项目的明白人规则（各类单位至少几名明白人）。
    RosterRule(crate::units::RosterRuleArgs),
    /// 显示当前设置。
    Show,
}

fn summary_line(s: &SnapshotSummary) -> String {
    let counts = s
        .counts
        .iter()
        .filter(|c| c.table != "setting")
        .map(|c| format!("{} {}", c.label, c.count))
        .collect::<Vec<_>>()
        .join("，");
    let campaigns = if s.campaigns.is_empty() {
        "无创建项目".to_string()
    } else {
        s.campaigns.join("、")
    };
    format!("{campaigns}（{counts}）")
}

fn backup_line(b: &BackupInfo) -> String {
    format!(
        "{}\t{}\t{}\t{} KB\t{}\t{}",
        b.id,
        b.created_at,
        b.reason_label,
        (b.size + 1023) / 1024,
        summary_line(&b.summary),
        b.kept_because
    )
}

pub fn backup(ws: &mut Workspace, cmd: BackupCmd) -> Result<Out, Error> {
    let bar = Bar::start();
    let job = bar.job();
    Ok(match cmd {
        BackupCmd::Create { to: Some(dir) } => {
            let b = ws.backup_to_folder(&dir, &job)?;
            let text = format!("已备份到：{}\n内容：{}", b.path, summary_line(&b.summary));
            out(&b, text)
        }
        BackupCmd::Create { to: None } => {
            let b = ws.backup_now(BackupReason::Manual, &job)?;
            let text = format!(
                "已备份：{}（{}）\n内容：{}",
                b.id,
                b.path,
                summary_line(&b.summary)
            );
            out(&b, text)
        }
        BackupCmd::List => {
            let v = ws.list_backups()?;
            let text = if v.is_empty() {
                "还没有备份。".to_string()
            } else {
                v.iter().map(backup_line).collect::<Vec<_>>().join("\n")
            };
            out(&v, text)
        }
        BackupCmd::Restore {
            source,
            preview: true,
        } => {
            let pv = ws.preview_restore(&source)?;
            let mut text = format!(
                "备份：{}（{}，{}）\n备份内容：{}\n当前数据：{}\n完整性：{}",
                pv.backup.id,
                pv.backup.created_at,
                pv.backup.reason_label,
                summary_line(&pv.backup.summary),
                summary_line(&pv.current),
                pv.integrity
            );
            for n in &pv.notes {
                text.push_str(&format!("\n提示：{n}"));
            }
            text.push_str(if pv.can_restore {
                "\n可以恢复。"
            } else {
                "\n不能恢复。"
            });
            let failed = !pv.can_restore;
            let mut o = out(&pv, text);
            o.failed = failed;
            o
        }
        BackupCmd::Restore {
            source,
            preview: false,
        } => {
            let r = ws.restore_backup(&source, &job)?;
            let text = r.message.clone();
            out(&r, text)
        }
    })
}

pub fn handover(ws: &mut Workspace, cmd: HandoverCmd) -> Result<Out, Error> {
    let bar = Bar::start();
    let job = bar.job();
    Ok(match cmd {
        HandoverCmd::Export { file } => {
            let m = ws.export_handover(&file, &job)?;
            let text = format!(
                "已导出交接文件：{}\n内容：{}",
                file.display(),
                summary_line(&m.summary)
            );
            out(&m, text)
        }
        HandoverCmd::Import { file, preview } => {
            let r = if preview {
                ws.preview_handover(&file, &job)?
            } else {
                ws.import_handover(&file, &job)?
            };
            let mut text = format!(
                "交接文件：{}（{} 由 {} 导出）\n内容：{}",
                r.file,
                r.manifest.created_at,
                r.manifest.operator,
                summary_line(&r.manifest.summary)
            );
            for n in &r.notes {
                text.push_str(&format!("\n{n}"));
            }
            if let Some(b) = &r.safety_backup {
                text.push_str(&format!("\n导入前的数据已保存为安全备份：{}", b.id));
            }
            let failed = preview && !r.can_import;
            let mut o = out(&r, text);
            o.failed = failed;
            o
        }
    })
}

pub fn log(ws: &mut Workspace, cmd: LogCmd) -> Result<Out, Error> {
    Ok(match cmd {
        LogCmd::List { filter, limit } => {
            let page = ws.list_oplog(&filter.filter(limit))?;
            let mut text = page
                .entries
                .iter()
                .map(|e| format!("{}\t{}\t{}\t{}", e.at, e.operator, e.action, e.detail))
                .collect::<Vec<_>>()
                .join("\n");
            if page.total as usize > page.entries.len() {
                text.push_str(&format!(
                    "\n（共 {} 条，只显示最新 {} 条）",
                    page.total,
                    page.entries.len()
                ));
            }
            if page.entries.is_empty() {
                text = "没有符合条件的操作记录。".into();
            }
            out(&page.entries, text)
        }
        LogCmd::Export { file, filter } => {
            let p = ws.export_oplog(&filter.filter(None), &file)?;
            let text = format!("已导出操作日志：{}", p.display());
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                text,
            )
        }
    })
}

pub fn check(ws: &mut Workspace, full: bool, repair: bool) -> Result<Out, Error> {
    let r = if repair {
        ws.repair()?
    } else if full {
        ws.check_full()?
    } else {
        ws.check_quick()?
    };
    Ok(check_out(r))
}

/// A check report as text (✓/✗ lines) and JSON; exit code 1 when it found errors.
fn check_out(r: shifan_core::model::HealthReport) -> Out {
    let mut text = r.summary.clone();
    for c in &r.checks {
        text.push_str(&format!("\n✓ {c}"));
    }
    for p in &r.problems {
        text.push_str(&format!("\n✗ {}", p.message));
        if let Some(fix) = &p.repair {
            text.push_str(&format!("（可修复：{fix}；运行 shifan check --repair）"));
        }
    }
    let failed = !r.ok;
    let mut o = out(&r, text);
    o.failed = failed;
    o
}

/// `shifan undo [--preview]`: with --preview, the undoable import or `null` (exit 1 when there
/// is none); without, the restore report.
pub fn undo(ws: &mut Workspace, preview: bool) -> Result<Out, Error> {
    if preview {
        let info = ws.undo_info()?;
        let text = match &info {
            Some(u) => format!(
                "可以撤销：{} 的“{}”（{}，操作人：{}）。\n将恢复到导入前的自动备份“{}”。",
                u.at, u.action, u.detail, u.operator, u.backup_id
            ),
            None => "没有可以撤销的导入。".to_string(),
        };
        let failed = info.is_none();
        let mut o = out(&info, text);
        o.failed = failed;
        return Ok(o);
    }
    let bar = Bar::start();
    let r = ws.undo_last_import(&bar.job())?;
    let text = r.message.clone();
    Ok(out(&r, text))
}

pub fn settings(ws: &mut Workspace, cmd: SettingsCmd) -> Result<Out, Error> {
    Ok(match cmd {
        SettingsCmd::RosterRule(a) => crate::units::roster_rule(ws, a)?,
        SettingsCmd::SetOperator { name } => {
            let n = ws.set_operator(&name)?;
            let text = format!("操作人已设为：{n}");
            out(&serde_json::json!({ "operator": n }), text)
        }
        SettingsCmd::Show => {
            let n = ws.operator();
            let text = format!("操作人：{n}\n数据文件夹：{}", ws.data_dir().display());
            out(
                &serde_json::json!({ "operator": n, "dataDir": ws.data_dir().display().to_string() }),
                text,
            )
        }
    })
}

/// The commands that work while the data file is damaged or missing (backups exist): `backup
/// list` (from the manifests), `backup restore` (the damaged file kept aside), `check` and
/// `check --repair` (restores the newest good backup). Every other command stops with `why`,
/// the Chinese explanation naming `shifan.db` and the newest good backup.
pub fn damaged(dir: &Path, cmd: Cmd, why: String) -> Result<Out, Error> {
    use shifan_core::lock::Program;
    use shifan_core::recovery::{self, Recovery};
    match cmd {
        Cmd::Backup {
            cmd: BackupCmd::List,
        } => {
            let v = recovery::list_backups(dir)?;
            // Scripts get the list on stdout as usual; the warning always goes to stderr.
            crate::print_err(&format!("注意：{why}"));
            let text = if v.is_empty() {
                "还没有备份。".to_string()
            } else {
                v.iter().map(backup_line).collect::<Vec<_>>().join("\n")
            };
            Ok(out(&v, text))
        }
        Cmd::Backup {
            cmd:
                BackupCmd::Restore {
                    source,
                    preview: true,
                },
        } => {
            let pv = Recovery::open(dir, Program::Cli)?.preview_restore(&source)?;
            let mut text = format!(
                "备份：{}（{}，{}）\n备份内容：{}\n完整性：{}",
                pv.backup.id,
                pv.backup.created_at,
                pv.backup.reason_label,
                summary_line(&pv.backup.summary),
                pv.integrity
            );
            for n in &pv.notes {
                text.push_str(&format!("\n提示：{n}"));
            }
            text.push_str(if pv.can_restore {
                "\n可以恢复。"
            } else {
                "\n不能恢复。"
            });
            let failed = !pv.can_restore;
            let mut o = out(&pv, text);
            o.failed = failed;
            Ok(o)
        }
        Cmd::Backup {
            cmd:
                BackupCmd::Restore {
                    source,
                    preview: false,
                },
        } => {
            let bar = Bar::start();
            let r = Recovery::open(dir, Program::Cli)?.restore(&source, &bar.job())?;
            let text = r.message.clone();
            Ok(out(&r, text))
        }
        Cmd::Check { repair: true, .. } => {
            let bar = Bar::start();
            let r = Recovery::open(dir, Program::Cli)?.restore_newest(&bar.job())?;
            drop(bar);
            // The folder opens again: the full check of what was restored, headed by what the
            // repair did.
            let mut ws = Workspace::open(dir)?;
            let mut report = ws.check_full()?;
            report.checks.insert(0, r.message.clone());
            report.summary = format!("已从备份恢复；{}", report.summary);
            Ok(check_out(report))
        }
        Cmd::Check { repair: false, .. } => {
            match recovery::status(dir)? {
                Some(s) => Ok(check_out(recovery::health(&s))),
                // Repaired meanwhile (by another process): the normal check.
                None => check(
                    &mut Workspace::open_shared(dir, Program::Cli)?,
                    false,
                    false,
                ),
            }
        }
        Cmd::Handover {
            cmd: HandoverCmd::Import { .. },
        } => Err(Error::Damaged(format!(
            "数据文件损坏时不能导入交接文件：无法确认这里有没有不能被替换的工作。未做任何修改。{why}"
        ))),
        _ => Err(Error::Damaged(why)),
    }
}
