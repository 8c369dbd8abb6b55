//! `shifan`: every capability of the engine, headless, for scripts and tests.
//!
//! Each subcommand parses its arguments, calls one function of `shifan_core`, and prints the
//! result: Chinese text by default, JSON with `--json` (lists as a top-level array). Errors go
//! to stderr in Chinese with exit code 1; with `--json` they are `{"kind", "message"}` objects.

// A panic on user data is a bug: no unwrap()/expect() outside tests.
#![deny(clippy::unwrap_used, clippy::expect_used)]

mod job;
mod safety;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use shifan_core::model::NewCampaign;
use shifan_core::{Error, Workspace};

mod eval;
mod evidence;
mod overview;
mod phases;
mod preview;
mod problems;
mod tasks;
mod units;

#[derive(Parser)]
#[command(
    name = "shifan",
    version,
    about = "示范创建工作台命令行：不开窗口完成全部操作。"
)]
struct Cli {
    /// 数据文件夹（默认与桌面程序相同；也可用环境变量 SHIFAN_DATA_DIR）。
    #[arg(long, global = true, env = "SHIFAN_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 以 JSON 输出结果（列表为顶层数组）。
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 新建创建项目（首次使用）。
    Init(InitArgs),
    /// 指标体系库。
    Systems {
        #[command(subcommand)]
        cmd: SystemsCmd,
    },
    /// 创建项目。
    Campaigns {
        #[command(subcommand)]
        cmd: CampaignsCmd,
    },
    /// 当前项目的指标。
    Indicators {
        #[command(subcommand)]
        cmd: IndicatorsCmd,
    },
    /// 单位名单。
    Units {
        #[command(subcommand)]
        cmd: units::UnitsCmd,
    },
    /// 明白人名单。
    Roster {
        #[command(subcommand)]
        cmd: units::RosterCmd,
    },
    /// 任务分解。
    Tasks {
        #[command(subcommand)]
        cmd: tasks::TasksCmd,
    },
    /// 工作台总览：当前阶段、任务分解、材料齐全、自查、整改、模拟评估、各方面与各单位进展。
    Dashboard {
        /// 按该日期判断逾期（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 生成创建工作进展情况报告（.docx，公文格式，含图表）。
    Report {
        file: PathBuf,
        /// 按该日期统计（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 生成一图读懂（.png，适合发到微信群）：当前阶段、主要数据、逾期较多的单位。
    SummaryImage {
        file: PathBuf,
        /// 按该日期统计（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 生成申报材料包：41+1 卷案卷、自查评价表、创建工作进展情况报告和总目录，到文件夹或一个 .zip。
    Package {
        target: PathBuf,
        /// 按该日期统计报告（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 创建阶段：宣传动员、自查自纠、整改提升、模拟评估、集中申报、迎接验收。
    Phases {
        #[command(subcommand)]
        cmd: phases::PhasesCmd,
    },
    /// 佐证材料库：添加、归类、审核、齐全情况、退回清单、校验、导出案卷。
    Evidence {
        #[command(subcommand)]
        cmd: evidence::EvidenceCmd,
    },
    /// 搜索指标、单位和佐证材料（任意部分文字，如“复议”）。
    Search {
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// 督察轮次。
    Rounds {
        #[command(subcommand)]
        cmd: problems::RoundsCmd,
    },
    /// 督察问题清单与整改台账。
    Problems {
        #[command(subcommand)]
        cmd: problems::ProblemsCmd,
    },
    /// 生成一轮督察给各单位的督察问题反馈函（.docx）：到文件夹或一个 .zip。
    Letters {
        #[arg(long)]
        round: String,
        target: PathBuf,
    },
    /// 催办：生成可直接粘贴到微信群或短信的催办消息。
    Remind {
        /// 单位（名称、简称或编号）；不指定则为所有有未完成问题的单位。
        #[arg(long)]
        unit: Option<String>,
        /// 只催办逾期的问题。
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        round: Option<String>,
        /// 按该日期判断逾期（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 自查自纠：各指标的自查评价与审核。
    Selfcheck {
        #[command(subcommand)]
        cmd: problems::SelfcheckCmd,
    },
    /// 模拟评估：评估轮次、专家组与分工、评分、评分表导出与收回、案卷评查、结果。
    Eval {
        #[command(subcommand)]
        cmd: eval::EvalCmd,
    },
    /// 在数据文件夹中建立演示项目（演示数据，不与正式项目混用）。
    Demo,
    /// 显示数据文件夹与当前项目。
    Status,
    /// 备份与恢复。
    Backup {
        #[command(subcommand)]
        cmd: safety::BackupCmd,
    },
    /// 工作交接：导出/导入整个数据文件夹（.shifan）。
    Handover {
        #[command(subcommand)]
        cmd: safety::HandoverCmd,
    },
    /// 操作日志。
    Log {
        #[command(subcommand)]
        cmd: safety::LogCmd,
    },
    /// 数据检查（默认快速检查；--full 全面检查并逐一校验备份；--repair 修复可修复的问题）。
    Check {
        #[arg(long)]
        full: bool,
        #[arg(long)]
        repair: bool,
    },
    /// 撤销上一次导入或收回（恢复导入前的自动备份；--preview 只显示将撤销什么）。
    Undo {
        #[arg(long)]
        preview: bool,
    },
    /// 设置（操作人等）。
    Settings {
        #[command(subcommand)]
        cmd: safety::SettingsCmd,
    },
}

#[derive(Args)]
struct InitArgs {
    /// 区（县）名称，如“曾都区”。
    #[arg(long)]
    name: String,
    /// 指标体系：内置体系的键（如 demo），或官方指标体系文件（.xlsx/.xls/.ods/.docx）。
    #[arg(long, default_value = "demo")]
    system: String,
    /// 创建级别：省级 或 全国。
    #[arg(long, default_value = "省级")]
    level: String,
    /// 项目名称（默认“区名+法治政府建设示范创建（级别）”）。
    #[arg(long)]
    title: Option<String>,
}

#[derive(Subcommand)]
enum SystemsCmd {
    /// 列出指标体系库。
    List,
}

#[derive(Subcommand)]
enum CampaignsCmd {
    /// 列出创建项目。
    List,
    /// 切换当前项目。
    Switch { id: i64 },
    /// 更换当前项目的指标体系（键或编号）。
    SetSystem { system: String },
}

#[derive(Subcommand)]
enum IndicatorsCmd {
    /// 列出三级（末级）指标。
    List {
        /// 只列出包含该文字的指标（任意子串）。
        #[arg(long)]
        search: Option<String>,
        /// 指标体系的键或编号（默认当前项目的指标体系）。
        #[arg(long)]
        system: Option<String>,
    },
    /// 导出指标体系表（.xlsx）。
    Export {
        file: PathBuf,
        #[arg(long)]
        system: Option<String>,
    },
    /// 从 Excel/Word 导入指标体系到指标体系库。
    Import {
        file: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
        /// 导入后设为当前项目的指标体系。
        #[arg(long)]
        bind: bool,
    },
}

/// What a command produced: printed as JSON or as Chinese text.
pub(crate) struct Out {
    pub(crate) json: serde_json::Value,
    pub(crate) text: String,
    /// Exit code 1 although the command ran (e.g. a preview that cannot be applied).
    pub(crate) failed: bool,
}

/// Issues as text lines ("\n[错误] …").
pub(crate) fn issue_lines(issues: &[shifan_core::model::ImportIssue]) -> String {
    let mut s = String::new();
    for i in issues {
        let tag = if i.severity == shifan_core::model::Severity::Error {
            "错误"
        } else {
            "提示"
        };
        s.push_str(&format!("\n[{tag}] {}", i.message));
    }
    s
}

pub(crate) fn out<T: Serialize>(v: &T, text: String) -> Out {
    Out {
        json: serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
        text,
        failed: false,
    }
}

/// Write to stdout; a reader that went away (`shifan … | head`) ends the program quietly
/// instead of a panic about a broken pipe.
fn print_out(text: &str) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    if writeln!(o, "{text}").and_then(|_| o.flush()).is_err() {
        std::process::exit(0);
    }
}

pub(crate) fn print_err(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout, usage errors to stderr; a closed pipe is fine.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(o) => {
            if json {
                print_out(&serde_json::to_string_pretty(&o.json).unwrap_or_default());
            } else if !o.text.is_empty() {
                print_out(&o.text);
            }
            if o.failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            // Printed once: as JSON on stdout for scripts, else as Chinese text on stderr.
            if json {
                let v = serde_json::json!({ "kind": e.kind(), "message": e.to_string(), "issues": e.issues() });
                print_out(&serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print_err(&format!("错误：{e}"));
                for i in e.issues().iter().skip(5) {
                    print_err(&format!("  {}", i.message));
                }
            }
            ExitCode::from(1)
        }
    }
}

/// Preview or apply an import (one file or a folder), with the progress bar and Ctrl-C.
pub(crate) fn import<I>(
    ws: &mut Workspace,
    importer: &I,
    preview: bool,
) -> Result<I::Preview, Error>
where
    I: shifan_core::Importer<Output = <I as shifan_core::Importer>::Preview>,
{
    let bar = job::Bar::start();
    if preview {
        ws.preview(importer, &bar.job())
    } else {
        ws.apply(importer, &bar.job())
    }
}

fn data_dir(cli: &Option<PathBuf>) -> Result<PathBuf, Error> {
    cli.clone()
        .or_else(shifan_core::workspace::default_data_dir)
        .ok_or_else(|| Error::Invalid("无法确定数据文件夹，请用 --data-dir 指定。".into()))
}

fn system_arg(ws: &Workspace, s: &Option<String>) -> Result<Option<i64>, Error> {
    s.as_deref()
        .map(|k| ws.system_by_key(k).map(|s| s.id))
        .transpose()
}

fn looks_like_file(s: &str) -> bool {
    let lower = s.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".doc"]
        .iter()
        .any(|e| lower.ends_with(e))
        || Path::new(s).is_file()
}

fn run(cli: Cli) -> Result<Out, Error> {
    let dir = data_dir(&cli.data_dir)?;
    // Reads go on while the desktop app holds the folder; every write is then refused with a
    // message naming the holder (the core enforces it in Store::write).
    let mut ws = match Workspace::open_shared(&dir, shifan_core::lock::Program::Cli) {
        Ok(ws) => ws,
        // The data file is damaged or missing while backups exist: listing, restoring and
        // repairing work from the backups' manifests; everything else says so and stops.
        Err(Error::Damaged(why)) => return safety::damaged(&dir, cli.cmd, why),
        Err(e) => return Err(e),
    };
    Ok(match cli.cmd {
        Cmd::Init(a) => {
            let (key, file) = if looks_like_file(&a.system) {
                (None, Some(a.system.clone()))
            } else {
                (Some(a.system.clone()), None)
            };
            let c = ws.create_campaign(&NewCampaign {
                district: a.name,
                name: a.title,
                level: Some(a.level),
                system_key: key,
                system_file: file,
            })?;
            let text = format!(
                "已新建创建项目“{}”（编号 {}），指标体系：{}\n数据文件夹：{}",
                c.name,
                c.id,
                c.system_name,
                dir.display()
            );
            out(&c, text)
        }
        Cmd::Status => {
            let s = ws.status()?;
            let text = match &s.active {
                Some(c) => format!(
                    "数据文件夹：{}\n当前项目：{}（指标体系：{}）",
                    s.data_dir, c.name, c.system_name
                ),
                None => format!("数据文件夹：{}\n还没有创建项目。", s.data_dir),
            };
            out(&s, text)
        }
        Cmd::Systems {
            cmd: SystemsCmd::List,
        } => {
            let v = ws.list_systems()?;
            let text = v
                .iter()
                .map(|s| {
                    let tag = if s.is_demo {
                        "【演示用】"
                    } else if s.embedded {
                        "【内置】"
                    } else {
                        "【导入】"
                    };
                    format!(
                        "{}\t{}{}（{}）\t{} 项指标",
                        s.key, tag, s.name, s.version, s.leaf_count
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        Cmd::Campaigns { cmd } => match cmd {
            CampaignsCmd::List => {
                let v = ws.list_campaigns()?;
                let text = v
                    .iter()
                    .map(|c| {
                        format!(
                            "{}{}\t{}\t{}\t{}",
                            if c.active { "*" } else { " " },
                            c.id,
                            c.name,
                            c.level,
                            c.system_name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                out(&v, text)
            }
            CampaignsCmd::Switch { id } => {
                let c = ws.switch_campaign(id)?;
                let text = format!("当前项目：{}", c.name);
                out(&c, text)
            }
            CampaignsCmd::SetSystem { system } => {
                let id = ws.system_by_key(&system)?.id;
                let c = ws.set_campaign_system(id)?;
                let text = format!("“{}”的指标体系已改为：{}", c.name, c.system_name);
                out(&c, text)
            }
        },
        Cmd::Indicators { cmd } => match cmd {
            IndicatorsCmd::List { search, system } => {
                let sys = system_arg(&ws, &system)?;
                let v = ws.indicator_leaves(sys, search.as_deref())?;
                let text = v
                    .iter()
                    .map(|l| format!("{}\t{}\t{}", l.no, l.path.join(" / "), l.text))
                    .collect::<Vec<_>>()
                    .join("\n");
                out(&v, text)
            }
            IndicatorsCmd::Export { file, system } => {
                let sys = system_arg(&ws, &system)?;
                let p = ws.export_indicators(sys, &file)?;
                let text = format!("已导出指标体系表：{}", p.display());
                out(
                    &serde_json::json!({ "path": p.display().to_string() }),
                    text,
                )
            }
            IndicatorsCmd::Import {
                file,
                preview,
                bind,
            } => {
                let importer = shifan_core::IndicatorImport::new(&file, bind);
                let bar = job::Bar::start();
                if preview {
                    let p = ws.preview(&importer, &bar.job())?;
                    let mut text = format!(
                        "预览“{}”（{}）：{}（{}），{}",
                        p.file_name,
                        p.source,
                        p.name,
                        p.version,
                        shifan_core::indicators::import::summary(&p)
                    );
                    text.push_str(&issue_lines(&p.issues));
                    text.push_str(if p.can_apply {
                        "\n可以导入。"
                    } else {
                        "\n存在错误，不能导入；未做任何修改。"
                    });
                    preview::checked(&p, text, p.can_apply)
                } else {
                    let s = ws.apply(&importer, &bar.job())?;
                    let text = format!(
                        "已导入指标体系“{}”（{}），共 {} 项指标{}",
                        s.name,
                        s.version,
                        s.leaf_count,
                        if bind {
                            "，并已设为当前项目的指标体系"
                        } else {
                            ""
                        }
                    );
                    out(
                        &serde_json::json!({ "system": s, "indicatorCount": s.leaf_count }),
                        text,
                    )
                }
            }
        },
        Cmd::Units { cmd } => units::units(&mut ws, cmd)?,
        Cmd::Roster { cmd } => units::roster(&mut ws, cmd)?,
        Cmd::Tasks { cmd } => tasks::tasks(&mut ws, cmd)?,
        Cmd::Phases { cmd } => phases::phases(&mut ws, cmd)?,
        Cmd::Dashboard { today } => overview::dashboard(&ws, today)?,
        Cmd::Report { file, today } => overview::report(&ws, file, today)?,
        Cmd::Package { target, today } => overview::package(&ws, target, today)?,
        Cmd::SummaryImage { file, today } => overview::summary_image(&ws, file, today)?,
        Cmd::Evidence { cmd } => evidence::evidence(&mut ws, cmd)?,
        Cmd::Search { text } => evidence::search(&ws, &text)?,
        Cmd::Rounds { cmd } => problems::rounds(&mut ws, cmd)?,
        Cmd::Problems { cmd } => problems::problems(&mut ws, cmd)?,
        Cmd::Letters { round, target } => problems::letters(&mut ws, round, target)?,
        Cmd::Remind {
            unit,
            overdue,
            round,
            today,
        } => problems::remind(&mut ws, unit, overdue, round, today)?,
        Cmd::Selfcheck { cmd } => problems::selfcheck(&mut ws, cmd)?,
        Cmd::Eval { cmd } => eval::eval(&mut ws, cmd)?,
        Cmd::Backup { cmd } => safety::backup(&mut ws, cmd)?,
        Cmd::Handover { cmd } => safety::handover(&mut ws, cmd)?,
        Cmd::Log { cmd } => safety::log(&mut ws, cmd)?,
        Cmd::Check { full, repair } => safety::check(&mut ws, full, repair)?,
        Cmd::Settings { cmd } => safety::settings(&mut ws, cmd)?,
        Cmd::Undo { preview } => safety::undo(&mut ws, preview)?,
        Cmd::Demo => {
            let c = shifan_core::demo::create(&mut ws)?;
            let text = format!(
                "已建立演示项目“{}”（演示数据），数据文件夹：{}",
                c.name,
                dir.display()
            );
            out(&c, text)
        }
    })
}
