//! `shifan rounds …`, `shifan problems …`, `shifan letters`, `shifan remind`, `shifan selfcheck …`:
//! 督察 rounds, the 问题清单/整改台账, per-unit 问题整改表, 反馈函, 催办 and 自查.

use std::path::PathBuf;

use clap::Subcommand;
use shifan_core::problems::import::ProblemsImportOptions;
use shifan_core::problems::remind::RemindOptions;
use shifan_core::problems::selfcheck::SelfAssessmentInput;
use shifan_core::problems::{
    PartEdit, ProblemEdit, ProblemFilter, ProblemInfo, RoundInput, StatusChange,
};
use shifan_core::{Error, ProblemsCollect, ProblemsImport, Workspace};

use crate::job::Bar;
use crate::preview::{
    catch_all_lines, change_line, checked, collect_head, conflict_line, guess_lines, unknown_lines,
};
use crate::{Out, import, issue_lines, out};

#[derive(Subcommand)]
pub enum RoundsCmd {
    /// 新增督察轮次。
    Add {
        /// 轮次名称，如“2023年专项督察”。
        #[arg(long)]
        name: String,
        /// 类型：专项督察、实地督查、自查、模拟评估、其他（默认按名称推断）。
        #[arg(long, default_value = "")]
        kind: String,
        /// 开始日期（2023-04-10）。
        #[arg(long)]
        start: Option<String>,
        /// 结束日期。
        #[arg(long)]
        end: Option<String>,
        /// 督察组成员。
        #[arg(long, default_value = "")]
        team: String,
        /// 被督察单位（名称、简称或编号，用“、”或“,”分隔）。
        #[arg(long, default_value = "")]
        units: String,
    },
    /// 列出督察轮次。
    List,
}

#[derive(Subcommand)]
pub enum ProblemsCmd {
    /// 导入问题清单（.xlsx/.xls/.ods）。
    Import {
        file: PathBuf,
        /// 导入到的督察轮次（编号或名称；名称不存在时新建）。默认按表格标题。
        #[arg(long)]
        round: Option<String>,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
        /// 单位名称不完全一致时不接受推测。
        #[arg(long)]
        strict: bool,
        /// 自动新建单位名单中没有的单位。
        #[arg(long)]
        create_units: bool,
        #[command(flatten)]
        names: crate::units::NameChoiceArgs,
    },
    /// 列出问题（逾期的在前）。
    List {
        #[arg(long)]
        round: Option<String>,
        /// 整改状态：待整改、整改中、已整改待核验、已销号。
        #[arg(long)]
        status: Option<String>,
        /// 单位（名称、简称或编号）。
        #[arg(long)]
        unit: Option<String>,
        /// 只列出逾期的。
        #[arg(long)]
        overdue: bool,
        /// 所涉指标序号。
        #[arg(long)]
        indicator: Option<i64>,
        /// 包含该文字的问题。
        #[arg(long)]
        search: Option<String>,
        /// 按该日期判断逾期（默认今天）。
        #[arg(long)]
        today: Option<String>,
    },
    /// 查看一个问题及其整改记录。
    Show { id: i64 },
    /// 修改问题：整改状态（--status，销号需 --close-date）、单位填报内容或问题本身。
    Update {
        /// 问题编号（见 problems list）。
        id: i64,
        /// 单位（多个责任单位时修改其中一个；不指定则改全部单位的状态）。
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// 销号日期（2023-06-30）。
        #[arg(long)]
        close_date: Option<String>,
        /// 销号说明、重新打开或修改的理由。
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        measures: Option<String>,
        #[arg(long)]
        progress: Option<String>,
        #[arg(long)]
        completion: Option<String>,
        /// 佐证材料（编号或名称，可多次给出）。
        #[arg(long)]
        evidence: Vec<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        requirement: Option<String>,
        /// 完成时限（原文，如“2023年6月底前”“立行立改”）。
        #[arg(long)]
        deadline: Option<String>,
        #[arg(long)]
        indicators: Option<String>,
    },
    /// 导出一轮督察的反馈意见整改表（.xlsx）。
    Export {
        #[arg(long)]
        round: String,
        file: PathBuf,
    },
    /// 导出各单位问题整改表：到文件夹（每单位一个 .xlsx）或一个 .zip。
    ExportUnits {
        #[arg(long)]
        round: String,
        target: PathBuf,
    },
    /// 收回各单位填好的问题整改表（文件夹、.zip 或单个文件）。
    Collect {
        source: PathBuf,
        #[arg(long)]
        preview: bool,
    },
    /// 各单位整改情况排名（逾期、未完成多的在前）。
    League {
        #[arg(long)]
        round: Option<String>,
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum SelfcheckCmd {
    /// 列出各指标的自查评价（未确认的显示单位工作表中的填报）。
    List,
    /// 填写或审核一项指标的自查评价。
    Update {
        /// 指标序号。
        no: i64,
        /// 达标、基本达标、未达标、不适用。
        #[arg(long)]
        rating: Option<String>,
        #[arg(long)]
        score: Option<f64>,
        #[arg(long)]
        explanation: Option<String>,
        /// 佐证材料（编号或名称，可多次给出）。
        #[arg(long)]
        evidence: Vec<String>,
        /// 审核：同意 或 退回。
        #[arg(long)]
        review: Option<String>,
        #[arg(long)]
        review_note: Option<String>,
    },
}

fn round_id(ws: &Workspace, r: &Option<String>) -> Result<Option<i64>, Error> {
    r.as_deref()
        .map(|k| ws.round_by_key(k).map(|r| r.id))
        .transpose()
}

fn unit_id(ws: &Workspace, u: &Option<String>) -> Result<Option<i64>, Error> {
    u.as_deref()
        .map(|k| ws.unit_by_key(k).map(|u| u.id))
        .transpose()
}

fn problem_line(p: &ProblemInfo) -> String {
    let units = p
        .units
        .iter()
        .map(|u| u.unit_name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let late = p
        .overdue_days
        .map(|d| format!("【逾期{d}天】"))
        .unwrap_or_default();
    format!(
        "{}\t{}第{}号\t{}{}\t{}\t{}\t{}\t{}",
        p.id,
        p.round_name,
        p.seq,
        late,
        p.kind,
        shifan_core::sheet::layout::short(&p.description),
        units,
        if p.deadline_text.is_empty() {
            "（未定）"
        } else {
            &p.deadline_text
        },
        p.progress_text
    )
}

pub fn rounds(ws: &mut Workspace, cmd: RoundsCmd) -> Result<Out, Error> {
    Ok(match cmd {
        RoundsCmd::Add {
            name,
            kind,
            start,
            end,
            team,
            units,
        } => {
            let mut ids = Vec::new();
            for n in shifan_core::units::split_names(&units) {
                ids.push(ws.unit_by_key(&n)?.id);
            }
            let r = ws.save_round(&RoundInput {
                id: None,
                name,
                kind,
                start_date: start,
                end_date: end,
                team,
                note: String::new(),
                unit_ids: ids,
            })?;
            let text = format!("已新增督察轮次“{}”（编号 {}，{}）", r.name, r.id, r.kind);
            out(&r, text)
        }
        RoundsCmd::List => {
            let v = ws.list_rounds()?;
            let text = v
                .iter()
                .map(|r| {
                    format!(
                        "{}\t{}\t{}\t{}~{}\t问题 {} 个（共性 {}），已整改 {}/{}，逾期 {}",
                        r.id,
                        r.name,
                        r.kind,
                        r.start_date.as_deref().unwrap_or(""),
                        r.end_date.as_deref().unwrap_or(""),
                        r.problem_count,
                        r.common_count,
                        r.done_count,
                        r.part_count,
                        r.overdue_count
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
    })
}

pub fn problems(ws: &mut Workspace, cmd: ProblemsCmd) -> Result<Out, Error> {
    Ok(match cmd {
        ProblemsCmd::Import {
            file,
            round,
            preview,
            strict,
            create_units,
            names,
        } => {
            let opts = ProblemsImportOptions {
                round,
                strict,
                create_units,
                name_choices: names.choices()?,
            };
            let p = import(ws, &ProblemsImport::new(&file, opts), preview)?;
            let mut text = format!(
                "{}“{}”（工作表“{}”）→ 督察轮次“{}”{}：问题 {} 个（共性 {}、个性 {}），涉及 {} 个单位；新增 {}、更新 {}、未变 {}。",
                if preview { "预览" } else { "已导入" },
                p.file_name,
                p.sheet,
                p.round.name,
                if p.round.is_new { "（新建）" } else { "" },
                p.problem_count,
                p.common_count,
                p.single_count,
                p.unit_count,
                p.created,
                p.updated,
                p.unchanged
            );
            text.push_str(&guess_lines(&p.guesses));
            text.push_str(&unknown_lines(&p.unknown_units, false));
            text.push_str(&crate::units::chosen_lines(&p.chosen));
            text.push_str(&catch_all_lines(&p.catch_alls));
            for d in &p.deadline_notes {
                text.push_str(&format!(
                    "\n[完成时限] “{}” → {}（{}）：{}",
                    d.written,
                    d.date.as_deref().unwrap_or("不计逾期"),
                    d.meaning,
                    d.places.join("、")
                ));
            }
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        ProblemsCmd::List {
            round,
            status,
            unit,
            overdue,
            indicator,
            search,
            today,
        } => {
            let filter = ProblemFilter {
                round_id: round_id(ws, &round)?,
                status,
                unit_id: unit_id(ws, &unit)?,
                indicator_no: indicator,
                kind: None,
                overdue_only: overdue.then_some(true),
                search,
                today,
            };
            let v = ws.list_problems(&filter)?;
            let text = v.iter().map(problem_line).collect::<Vec<_>>().join("\n");
            out(&v, text)
        }
        ProblemsCmd::Show { id } => {
            let d = ws.problem_detail(id, None)?;
            let mut text = problem_line(&d.problem);
            for u in &d.problem.units {
                text.push_str(&format!(
                    "\n  {}：{}{}",
                    u.unit_name,
                    u.status,
                    u.closed_on
                        .as_deref()
                        .map(|c| format!("（{c} 销号）"))
                        .unwrap_or_default()
                ));
            }
            for e in &d.history {
                text.push_str(&format!(
                    "\n  {} {} {}{}：{} → {}{}",
                    e.at,
                    e.operator,
                    e.unit_name
                        .as_deref()
                        .map(|n| format!("{n} "))
                        .unwrap_or_default(),
                    e.field_label,
                    e.old,
                    e.new,
                    if e.note.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", e.note)
                    }
                ));
            }
            out(&d, text)
        }
        ProblemsCmd::Update {
            id,
            unit,
            status,
            close_date,
            note,
            measures,
            progress,
            completion,
            evidence,
            description,
            requirement,
            deadline,
            indicators,
        } => {
            let unit = unit_id(ws, &unit)?;
            let mut p = None;
            if description.is_some()
                || requirement.is_some()
                || deadline.is_some()
                || indicators.is_some()
            {
                p = Some(ws.edit_problem(&ProblemEdit {
                    id,
                    description,
                    requirement,
                    deadline_text: deadline,
                    indicators_text: indicators,
                    reason: note.clone(),
                    ..ProblemEdit::default()
                })?);
            }
            if measures.is_some()
                || progress.is_some()
                || completion.is_some()
                || !evidence.is_empty()
            {
                let uid = match unit {
                    Some(u) => u,
                    None => {
                        let d = ws.problem_detail(id, None)?;
                        match d.problem.units.as_slice() {
                            [one] => one.unit_id,
                            _ => {
                                return Err(Error::Invalid(
                                    "该问题有多个整改责任单位，请用 --unit 指定是哪个单位的填报。"
                                        .into(),
                                ));
                            }
                        }
                    }
                };
                p = Some(ws.edit_problem_part(&PartEdit {
                    problem_id: id,
                    unit_id: uid,
                    measures,
                    progress,
                    completion,
                    evidence: (!evidence.is_empty()).then_some(evidence),
                })?);
            }
            if let Some(s) = status {
                p = Some(ws.set_problem_status(&StatusChange {
                    problem_id: id,
                    unit_id: unit,
                    status: s,
                    closed_on: close_date,
                    note,
                })?);
            }
            let p = match p {
                Some(p) => p,
                None => {
                    return Err(Error::Invalid(
                        "没有要修改的内容：请给出 --status、--measures、--deadline 等。".into(),
                    ));
                }
            };
            let text = format!("已修改：{}", problem_line(&p));
            out(&p, text)
        }
        ProblemsCmd::Export { round, file } => {
            let r = ws.round_by_key(&round)?;
            let p = ws.export_problems(r.id, &file)?;
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                format!("已导出“{}”反馈意见整改表：{}", r.name, p.display()),
            )
        }
        ProblemsCmd::ExportUnits { round, target } => {
            let r = ws.round_by_key(&round)?;
            let bar = Bar::start();
            let e = ws.export_problem_sheets(r.id, &target, &bar.job())?;
            let text = format!(
                "已导出 {} 个单位的问题整改表（“{}”，{} 个问题）到：{}",
                e.unit_count, r.name, e.problem_count, e.path
            );
            out(&e, text)
        }
        ProblemsCmd::Collect { source, preview } => {
            let p = import(ws, &ProblemsCollect::new(&source), preview)?;
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
                    "\n{}（{}，{}，{}）：{} 行，修改 {} 处，冲突 {} 处",
                    s.unit_name,
                    s.round_name,
                    s.file,
                    s.matched_by_label,
                    s.rows,
                    s.changes.len(),
                    s.conflicts.len()
                ));
                for c in &s.changes {
                    let item = format!("问题 {}", c.seq);
                    text.push_str(&change_line(&item, &c.field, &c.old, &c.new));
                }
                for c in &s.conflicts {
                    let item = format!("问题 {}", c.seq);
                    let line = conflict_line(&item, &c.field, &c.sent, &c.office, "单位", &c.unit);
                    text.push_str(&line);
                }
            }
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        ProblemsCmd::League { round, today } => {
            let v = ws.problem_league(round_id(ws, &round)?, today.as_deref())?;
            let text = v
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        "{}\t{}\t共 {}，未完成 {}，逾期 {}，已整改 {}%",
                        i + 1,
                        s.unit_name,
                        s.total,
                        s.open,
                        s.overdue,
                        s.done_rate
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
    })
}

pub fn letters(ws: &mut Workspace, round: String, target: PathBuf) -> Result<Out, Error> {
    let r = ws.round_by_key(&round)?;
    let bar = Bar::start();
    let e = ws.export_letters(r.id, &target, &bar.job())?;
    let mut text = format!(
        "已生成 {} 份反馈函（“{}”）到：{}",
        e.letters.len(),
        r.name,
        e.path
    );
    for l in &e.letters {
        text.push_str(&format!(
            "\n{}\t{}\t{} 个问题\t{}",
            l.doc_no, l.unit_name, l.problem_count, l.file
        ));
    }
    Ok(out(&e, text))
}

pub fn remind(
    ws: &mut Workspace,
    unit: Option<String>,
    overdue: bool,
    round: Option<String>,
    today: Option<String>,
) -> Result<Out, Error> {
    let opts = RemindOptions {
        unit_id: unit_id(ws, &unit)?,
        overdue_only: overdue,
        round_id: round_id(ws, &round)?,
        today,
    };
    let r = ws.remind(&opts)?;
    let text = if opts.unit_id.is_none() && overdue {
        let mut t = if r.combined.is_empty() {
            "没有逾期未整改的问题。".to_string()
        } else {
            r.combined.clone()
        };
        for m in &r.reminders {
            t.push_str("\n\n");
            t.push_str(&m.text);
        }
        t
    } else if r.reminders.is_empty() {
        "没有未完成整改的问题。".to_string()
    } else {
        r.reminders
            .iter()
            .map(|m| m.text.clone())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    Ok(out(&r, text))
}

pub fn selfcheck(ws: &mut Workspace, cmd: SelfcheckCmd) -> Result<Out, Error> {
    Ok(match cmd {
        SelfcheckCmd::List => {
            let v = ws.list_self_assessments()?;
            let text = v
                .iter()
                .map(|a| {
                    format!(
                        "{}\t{}\t{}{}\t{}\t{}",
                        a.no,
                        shifan_core::sheet::layout::short(&a.text),
                        if a.rating.is_empty() {
                            "（未评价）"
                        } else {
                            &a.rating
                        },
                        if a.from_reports.is_empty() {
                            ""
                        } else {
                            "（来自单位填报）"
                        },
                        a.score.map(|s| format!("{s} 分")).unwrap_or_default(),
                        if a.review.is_empty() {
                            "待审核"
                        } else {
                            &a.review
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        SelfcheckCmd::Update {
            no,
            rating,
            score,
            explanation,
            evidence,
            review,
            review_note,
        } => {
            let a = ws.save_self_assessment(&SelfAssessmentInput {
                no,
                rating,
                score,
                clear_score: false,
                explanation,
                evidence: (!evidence.is_empty()).then_some(evidence),
                review,
                review_note,
            })?;
            let text = format!(
                "第{}项：{}{}",
                a.no,
                if a.rating.is_empty() {
                    "（未评价）"
                } else {
                    &a.rating
                },
                if a.review.is_empty() {
                    "，待审核".to_string()
                } else {
                    format!("，审核：{}", a.review)
                }
            );
            out(&a, text)
        }
    })
}
