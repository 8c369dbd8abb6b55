//! `shifan tasks …`: 任务分解 import/export, per-unit sheets, collecting them back.

use std::path::PathBuf;

use clap::Subcommand;
use shifan_core::tasks::AssignmentFilter;
use shifan_core::tasks::collect::{CollectChoice, CollectOptions, CollectPreview};
use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::{CollectImport, Error, TasksImport, Workspace};

use crate::job::Bar;
use crate::preview::{
    catch_all_lines, change_line, checked, collect_head, conflict_line, guess_lines, unknown_lines,
};
use crate::{Out, import, issue_lines, out};

#[derive(Subcommand)]
pub enum TasksCmd {
    /// 导入任务分解表（.xlsx/.xls/.ods）。
    Import {
        file: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
        /// 单位名称不完全一致时不接受推测，作为错误处理。
        #[arg(long)]
        strict: bool,
        /// 自动新建单位名单中没有的单位（否则作为错误列出）。
        #[arg(long)]
        create_units: bool,
        #[command(flatten)]
        names: crate::units::NameChoiceArgs,
    },
    /// 导出任务分解表（.xlsx）。
    Export { file: PathBuf },
    /// 导出各单位工作表：到文件夹（每单位一个 .xlsx）或一个 .zip。
    ExportUnits { target: PathBuf },
    /// 收回各单位填好的工作表（文件夹、.zip 或单个文件）。
    Collect {
        source: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
        /// 指定收回哪个文件（可重复）。“文件”：同一单位有多份时收回这一份；“文件=单位名”：
        /// 文件中写的单位不一致时，按该单位收回。文件写预览中显示的名称（含文件夹）或完整路径。
        #[arg(long = "use", value_name = "文件[=单位名]")]
        uses: Vec<String>,
        /// 不收回这个文件（可重复）。
        #[arg(long, value_name = "文件")]
        skip: Vec<String>,
    },
    /// 列出任务分解（指标 × 单位）。
    List {
        /// 只列出未分解的指标。
        #[arg(long)]
        unassigned: bool,
    },
    /// 各单位承担任务数。
    Summary,
}

pub fn tasks(ws: &mut Workspace, cmd: TasksCmd) -> Result<Out, Error> {
    Ok(match cmd {
        TasksCmd::Import {
            file,
            preview,
            strict,
            create_units,
            names,
        } => {
            let opts = TasksImportOptions {
                strict,
                create_units,
                name_choices: names.choices()?,
            };
            let p = import(ws, &TasksImport::new(&file, opts), preview)?;
            let mut text = format!(
                "{}“{}”（工作表“{}”）：{} 行，新增 {} 项、更新 {} 项、未变 {} 项；表中未出现的指标 {} 项。",
                if preview { "预览" } else { "已导入" },
                p.file_name,
                p.sheet,
                p.rows,
                p.created,
                p.updated,
                p.unchanged,
                p.not_in_file
            );
            text.push_str(&guess_lines(&p.guesses));
            text.push_str(&unknown_lines(&p.unknown_units, create_units));
            text.push_str(&crate::units::chosen_lines(&p.chosen));
            for m in &p.matched_by_text {
                text.push_str(&format!(
                    "\n[按内容对应] {}：序号写作 {}，内容为指标 {}，已对应到指标 {}",
                    m.place, m.written_no, m.no, m.no
                ));
            }
            text.push_str(&catch_all_lines(&p.catch_alls));
            if preview {
                for c in &p.changes {
                    text.push_str(&format!(
                        "\n[{}] 指标 {} {}：{}",
                        if c.is_new { "新增" } else { "修改" },
                        c.no,
                        c.text,
                        c.changes.join("；")
                    ));
                }
            }
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        TasksCmd::Export { file } => {
            let p = ws.export_tasks(&file)?;
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                format!("已导出任务分解表：{}", p.display()),
            )
        }
        TasksCmd::ExportUnits { target } => {
            let bar = Bar::start();
            let r = ws.export_unit_sheets(&target, &bar.job())?;
            let text = format!("已导出 {} 个单位的工作表到：{}", r.unit_count, r.path);
            out(&r, text)
        }
        TasksCmd::Collect {
            source,
            preview,
            uses,
            skip,
        } => {
            let options = collect_options(ws, &uses, &skip)?;
            let p = import(ws, &CollectImport::with(&source, options), preview)?;
            let mut text = collect_head(
                preview,
                &p.source,
                p.sheets.len(),
                "个单位",
                p.change_count,
                p.conflict_count,
            );
            for s in &p.sheets {
                text.push_str(&format!(
                    "\n{}（{}，{}）：{} 行，修改 {} 处，冲突 {} 处",
                    s.unit_name,
                    s.file,
                    s.matched_by_label,
                    s.rows,
                    s.changes.len(),
                    s.conflicts.len()
                ));
                for c in &s.changes {
                    let item = format!("指标 {}", c.no);
                    text.push_str(&change_line(&item, &c.field, &c.old, &c.new));
                }
                for c in &s.conflicts {
                    let item = format!("指标 {}", c.no);
                    let line = conflict_line(&item, &c.field, &c.sent, &c.office, "单位", &c.unit);
                    text.push_str(&line);
                }
                for r in &s.inserted_rows {
                    let below = r
                        .below_indicator
                        .map_or(String::new(), |n| format!("（指标 {n} 下方）"));
                    text.push_str(&format!(
                        "\n  [插入行] 第{}行{} {}“{}”：{}",
                        r.row,
                        below,
                        r.field,
                        r.text,
                        if r.attached {
                            "并入上方指标的同一栏"
                        } else {
                            "未收回"
                        }
                    ));
                }
            }
            text.push_str(&collect_choices_text(&p));
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        TasksCmd::List { unassigned } => {
            let v = ws.list_assignments(&AssignmentFilter {
                unassigned_only: unassigned,
                ..Default::default()
            })?;
            let text = v
                .iter()
                .map(|a| {
                    let n = |u: &[shifan_core::tasks::UnitRef]| {
                        u.iter()
                            .map(|x| x.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    format!(
                        "{}\t牵头：{}\t责任：{}\t{}",
                        a.no,
                        n(&a.leads),
                        n(&a.supports),
                        a.deadline_text
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        TasksCmd::Summary => {
            let v = ws.unit_task_summary()?;
            let text = v
                .iter()
                .map(|s| s.text.clone())
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
    })
}

/// The file of a `--use`/`--skip`: as written, or its full path when it names a file on disk
/// (the core matches it against the folder collected from).
fn choice_file(written: &str) -> String {
    let p = std::path::Path::new(written.trim());
    if p.exists()
        && let Ok(abs) = std::path::absolute(p)
    {
        return abs.display().to_string();
    }
    written.trim().to_string()
}

/// `--use 文件[=单位名]` and `--skip 文件` as the core's choices.
fn collect_options(
    ws: &Workspace,
    uses: &[String],
    skip: &[String],
) -> Result<CollectOptions, Error> {
    let units = if uses.iter().any(|u| u.contains('=')) {
        ws.list_units()?
    } else {
        Vec::new()
    };
    let mut choices = Vec::new();
    for u in uses {
        let split = u.rsplit_once('=').map(|(f, n)| (f, n.trim()));
        let named = split.and_then(|(f, n)| {
            units
                .iter()
                .find(|x| x.name == n || x.short_name == n || x.aliases.iter().any(|a| a == n))
                .map(|x| (f, x.id))
        });
        let (file, unit_id) = match (split, named) {
            (_, Some((f, id))) => (f, Some(id)),
            // "a=b.xlsx": a file name holding "=".
            (Some((_, n)), None) if !n.contains('.') => {
                return Err(Error::Invalid(format!(
                    "--use “{u}”：单位名单中没有“{n}”。请写单位的全称、简称或别名。"
                )));
            }
            _ => (u.as_str(), None),
        };
        choices.push(CollectChoice {
            file: choice_file(file),
            unit_id,
            skip: false,
        });
    }
    for f in skip {
        choices.push(CollectChoice {
            file: choice_file(f),
            unit_id: None,
            skip: true,
        });
    }
    Ok(CollectOptions { choices })
}

/// What the user may choose, with the flags to do it.
fn collect_choices_text(p: &CollectPreview) -> String {
    let mut text = String::new();
    for d in &p.duplicates {
        let why = match d.reason.as_str() {
            "newest" => "默认收回最近修改的一份",
            "first" => "修改时间无法区分，默认收回排在前面的一份",
            _ => "按您的选择",
        };
        text.push_str(&format!(
            "\n[同一单位多份] {}（{} 份，{why}）：",
            d.unit_name,
            d.files.len()
        ));
        for f in &d.files {
            let mark = if d.chosen.as_ref() == Some(&f.file) {
                "收回"
            } else {
                "不收回"
            };
            text.push_str(&format!(
                "\n  [{mark}] {}（{}修改 {} 处，冲突 {} 处）",
                f.file,
                f.modified
                    .as_ref()
                    .map_or(String::new(), |t| format!("修改于 {t}，")),
                f.changes,
                f.conflicts
            ));
        }
        if let Some(other) = d.files.iter().find(|f| d.chosen.as_ref() != Some(&f.file)) {
            text.push_str(&format!("\n  收回另一份：--use “{}”", other.path));
        }
    }
    for m in &p.mismatches {
        let units = m
            .units
            .iter()
            .map(|u| format!("“{}”（{}）", u.unit_name, u.places.join("、")))
            .collect::<Vec<_>>()
            .join("、");
        let state = match (m.skipped, m.chosen_unit_id) {
            (true, _) => "不收回".to_string(),
            (false, Some(id)) => format!(
                "收回为“{}”的工作表",
                m.units
                    .iter()
                    .find(|u| u.unit_id == id)
                    .map_or("", |u| u.unit_name.as_str())
            ),
            (false, None) => "未选择，暂不收回".to_string(),
        };
        text.push_str(&format!("\n[单位不一致] {}：{units}；{state}", m.file));
        let options = m
            .units
            .iter()
            .map(|u| format!("--use “{}={}”", m.path, u.unit_name))
            .collect::<Vec<_>>()
            .join(" 或 ");
        text.push_str(&format!(
            "\n  选择单位：{options}；不收回：--skip “{}”",
            m.path
        ));
    }
    text
}
