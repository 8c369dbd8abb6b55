//! `shifan eval …`: 模拟评估 — rounds, the expert team and who scores what, marks, the scoring
//! sheets out and back, 案卷评查, 否决项, 附加项, the scoring model, results and the 整改台账
//! drafts of the deductions.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use shifan_core::evaluation::model::{ModelInput, PointsSource, ScoringMethod};
use shifan_core::evaluation::scale::ScaleImportOptions;
use shifan_core::evaluation::{
    BonusInput, CaseInput, EvalRoundInput, ExpertInput, Grade, MarkInput, PickInput, Points,
    RoundKind, VetoInput,
};
use shifan_core::{Error, ScaleImport, ScoreSheetsImport, Workspace};

use crate::job::Bar;
use crate::preview::{change_line, checked, collect_head, conflict_line};
use crate::{Out, import, issue_lines, out};

#[derive(Subcommand)]
pub enum EvalCmd {
    /// 列出评估轮次；--add 新增一轮（如“模拟评估一”）。
    Rounds {
        #[arg(long)]
        add: Option<String>,
        /// 新增的是正式评估结果（而非模拟评估）。
        #[arg(long)]
        official: bool,
        /// 评估时间（如“2025年9月”）。
        #[arg(long)]
        held_on: Option<String>,
        /// 删除一轮（编号或名称）及其全部评分。
        #[arg(long)]
        delete: Option<String>,
    },
    /// 列出专家组；--add 新增专家。
    Experts {
        #[arg(long)]
        add: Option<String>,
        /// 单位。
        #[arg(long, default_value = "")]
        org: String,
        /// 专业 / 职称。
        #[arg(long, default_value = "")]
        field: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// 列出某轮各专家评分的指标；带 --expert 和 --indicators 时设置（如 "1-40,55"，或“全部”）。
    Assign {
        #[arg(long)]
        round: String,
        #[arg(long)]
        expert: Option<String>,
        #[arg(long)]
        indicators: Option<String>,
    },
    /// 列出某轮的评分表格；带 --indicator 时录入一条评分。
    Score(ScoreArgs),
    /// 多位专家评同一指标时，确定采用哪位专家的评分或取平均。
    Pick {
        #[arg(long)]
        round: String,
        #[arg(long)]
        indicator: i64,
        #[arg(long)]
        expert: Option<String>,
        #[arg(long)]
        average: bool,
        /// 取消选择。
        #[arg(long)]
        clear: bool,
    },
    /// 导出某轮的专家评分表：到文件夹（每位专家一个 .xlsx）或一个 .zip。
    ExportSheets {
        #[arg(long)]
        round: String,
        target: PathBuf,
    },
    /// 收回专家填好的评分表（文件夹、.zip 或单个文件）。
    Collect {
        source: PathBuf,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
    },
    /// 评估结果：总分、各一级指标、各指标的得分和失分，失分排名，对比上一轮。
    Results {
        #[arg(long)]
        round: String,
    },
    /// 各轮总分与各一级指标得分率（趋势）。
    Trend,
    /// 把某轮的扣分生成问题（整改台账）草稿：指标、牵头单位、扣分理由作为整改要求。
    ToProblems {
        #[arg(long)]
        round: String,
        /// 只列出将生成的问题，不写入整改台账。
        #[arg(long)]
        preview: bool,
    },
    /// 评分方案：查看；或修改分值来源、评分方式、附加项上限、三部分权重，或按总分、按指标体系中标题（分组）的分值分配各指标分值。
    Model(ModelArgs),
    /// 从 Excel 导入分值表（指标序号 + 分值或权重，可含评分标准）。
    ScaleImport {
        file: PathBuf,
        #[arg(long)]
        preview: bool,
        /// 权重折算的总分（默认 1000）。
        #[arg(long)]
        total: Option<String>,
    },
    /// 导出分值表（可修改后再导入）。
    ScaleExport { file: PathBuf },
    /// 案卷评查：列出某轮评查的案卷；--add 案卷号 录入一份。
    Cases(CaseArgs),
    /// 否决项：列出；--add 新增；--round 与 --hit/--clear 标记某轮触发或取消。
    Veto {
        #[arg(long)]
        add: Option<String>,
        #[arg(long)]
        round: Option<String>,
        #[arg(long)]
        hit: Option<i64>,
        #[arg(long)]
        clear: Option<i64>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 附加项：列出某轮的附加项；--add 新增（--points 可为负数）。
    Bonus {
        #[arg(long)]
        round: String,
        #[arg(long)]
        add: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        points: Option<String>,
    },
}

#[derive(Args)]
pub struct ScoreArgs {
    #[arg(long)]
    round: String,
    /// 专家（编号或姓名）；不写则为依法治区办录入。
    #[arg(long)]
    expert: Option<String>,
    /// 指标序号。
    #[arg(long)]
    indicator: Option<i64>,
    #[arg(long)]
    score: Option<String>,
    #[arg(long)]
    deduction: Option<String>,
    /// 达标 / 基本达标 / 未达标。
    #[arg(long)]
    grade: Option<String>,
    #[arg(long, default_value = "")]
    reason: String,
    #[arg(long, default_value = "")]
    method: String,
    #[arg(long, default_value = "")]
    evidence: String,
    /// 删除这条评分。
    #[arg(long)]
    delete: bool,
}

#[derive(Args)]
pub struct ModelArgs {
    /// system（指标体系的分值）或 office（依法治区办自定分值）。
    #[arg(long)]
    source: Option<String>,
    /// points（按分值）或 grade（按等次）。
    #[arg(long)]
    method: Option<String>,
    /// 按总分平均分配各指标分值（如 1000）。
    #[arg(long)]
    distribute: Option<String>,
    /// 按指标体系中各标题（如二级指标）的分值，把分值平均分给其下各指标（自定分值，参考）。
    #[arg(long, conflicts_with = "distribute")]
    distribute_by_headings: bool,
    /// 三部分权重：材料书面评审,实地评估,群众满意度测评（如 50,30,20）。
    #[arg(long)]
    weights: Option<String>,
    /// 附加项上限。
    #[arg(long)]
    bonus_cap: Option<String>,
}

#[derive(Args)]
pub struct CaseArgs {
    #[arg(long)]
    round: String,
    /// 案卷号。
    #[arg(long)]
    add: Option<String>,
    /// 单位名称。
    #[arg(long)]
    unit: Option<String>,
    #[arg(long, default_value = "行政处罚")]
    r#type: String,
    #[arg(long)]
    score: Option<String>,
    #[arg(long)]
    full: Option<String>,
    /// 计入的指标序号。
    #[arg(long)]
    indicator: Option<i64>,
    #[arg(long, default_value = "")]
    problems: String,
    #[arg(long, default_value = "")]
    reviewer: String,
}

fn points(s: &str, what: &str) -> Result<Points, Error> {
    Points::parse(s).map_err(|why| Error::Invalid(format!("{what}“{s}”{why}。")))
}

fn indicator_id(ws: &Workspace, no: i64) -> Result<i64, Error> {
    ws.indicator_leaves(None, None)?
        .into_iter()
        .find(|l| l.no == no)
        .map(|l| l.id)
        .ok_or_else(|| Error::NotFound(format!("当前指标体系中没有序号为 {no} 的指标。")))
}

fn opt(p: Option<Points>) -> String {
    p.map_or("—".to_string(), |p| p.to_string())
}

pub fn eval(ws: &mut Workspace, cmd: EvalCmd) -> Result<Out, Error> {
    Ok(match cmd {
        EvalCmd::Rounds {
            add,
            official,
            held_on,
            delete,
        } => {
            if let Some(key) = delete {
                let r = ws.eval_round_by_key(&key)?;
                ws.delete_eval_round(r.id)?;
            }
            if let Some(name) = add {
                let mut input = EvalRoundInput::named(&name);
                input.kind = if official {
                    RoundKind::Official
                } else {
                    RoundKind::Mock
                };
                input.held_on = held_on.unwrap_or_default();
                ws.save_eval_round(&input)?;
            }
            let v = ws.eval_rounds()?;
            let text = v
                .iter()
                .map(|r| {
                    format!(
                        "{}\t{}\t{}\t{}\t专家 {} 位，评分 {} 条",
                        r.id,
                        r.name,
                        r.kind.label(),
                        r.held_on,
                        r.expert_count,
                        r.mark_count
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::Experts {
            add,
            org,
            field,
            phone,
        } => {
            if let Some(name) = add {
                ws.save_expert(&ExpertInput {
                    id: None,
                    name,
                    org,
                    field,
                    phone,
                    note: String::new(),
                })?;
            }
            let v = ws.eval_experts()?;
            let text = v
                .iter()
                .map(|e| format!("{}\t{}\t{}\t{}", e.id, e.name, e.org, e.field))
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::Assign {
            round,
            expert,
            indicators,
        } => {
            let r = ws.eval_round_by_key(&round)?;
            match (expert, indicators) {
                (Some(e), Some(nos)) => {
                    let e = ws.eval_expert_by_key(&e)?;
                    ws.assign_expert_nos(r.id, e.id, &nos)?;
                }
                (None, None) => {}
                _ => {
                    return Err(Error::Invalid(
                        "设置分工需要同时写 --expert 和 --indicators。".into(),
                    ));
                }
            }
            let v = ws.eval_assignments(r.id)?;
            let text = v
                .iter()
                .map(|a| {
                    format!(
                        "{}\t{}\t{} 项：{}",
                        a.expert_name,
                        a.org,
                        a.nos.len(),
                        a.ranges
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::Score(a) => {
            let r = ws.eval_round_by_key(&a.round)?;
            let expert_id = a
                .expert
                .as_deref()
                .map(|e| ws.eval_expert_by_key(e).map(|x| x.id))
                .transpose()?;
            if let Some(no) = a.indicator {
                let ind = indicator_id(ws, no)?;
                if a.delete {
                    ws.delete_mark(r.id, ind, expert_id)?;
                } else {
                    let grade = a
                        .grade
                        .as_deref()
                        .map(|g| {
                            Grade::from_label(g).ok_or_else(|| {
                                Error::Invalid(format!(
                                    "等次“{g}”不是可选值（{}）。",
                                    Grade::LABELS.join("、")
                                ))
                            })
                        })
                        .transpose()?;
                    ws.save_mark(&MarkInput {
                        round_id: r.id,
                        indicator_id: ind,
                        expert_id,
                        score: a.score.as_deref().map(|s| points(s, "评分")).transpose()?,
                        deduction: a
                            .deduction
                            .as_deref()
                            .map(|s| points(s, "扣分"))
                            .transpose()?,
                        grade,
                        rules: Vec::new(),
                        reason: a.reason,
                        method: a.method,
                        evidence: a.evidence,
                        note: String::new(),
                    })?;
                }
            }
            let grid = ws.eval_grid(r.id)?;
            let rows: Vec<_> = match a.indicator {
                Some(no) => grid.rows.into_iter().filter(|x| x.no == no).collect(),
                None => grid.rows,
            };
            let text = rows
                .iter()
                .map(|x| {
                    let marks = x
                        .marks
                        .iter()
                        .map(|m| format!("{} {}", m.expert_name, opt(m.score)))
                        .collect::<Vec<_>>()
                        .join("；");
                    format!(
                        "{}\t分值 {}\t得分 {}\t{}\t{}",
                        x.no,
                        opt(x.max),
                        opt(x.score),
                        x.source_label,
                        marks
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&rows, text)
        }
        EvalCmd::Pick {
            round,
            indicator,
            expert,
            average,
            clear,
        } => {
            let r = ws.eval_round_by_key(&round)?;
            let ind = indicator_id(ws, indicator)?;
            let (choice, expert_id) = match (expert, average, clear) {
                (Some(e), false, false) => (
                    Some("expert".to_string()),
                    Some(ws.eval_expert_by_key(&e)?.id),
                ),
                (None, true, false) => (Some("average".to_string()), None),
                (None, false, true) => (None, None),
                _ => {
                    return Err(Error::Invalid(
                        "请只写 --expert、--average、--clear 中的一个。".into(),
                    ));
                }
            };
            let row = ws.pick_mark(&PickInput {
                round_id: r.id,
                indicator_id: ind,
                choice,
                expert_id,
            })?;
            let text = format!(
                "指标 {}：得分 {}（{}）",
                row.no,
                opt(row.score),
                row.source_label
            );
            out(&row, text)
        }
        EvalCmd::ExportSheets { round, target } => {
            let r = ws.eval_round_by_key(&round)?;
            let bar = Bar::start();
            let e = ws.export_score_sheets(r.id, &target, &bar.job())?;
            let text = format!("已导出 {} 位专家的评分表到：{}", e.expert_count, e.path);
            out(&e, text)
        }
        EvalCmd::Collect { source, preview } => {
            let p = import(ws, &ScoreSheetsImport::new(&source), preview)?;
            let mut text = collect_head(
                preview,
                &p.source,
                p.sheets.len(),
                "份评分表",
                p.change_count,
                p.conflict_count,
            );
            for s in &p.sheets {
                text.push_str(&format!(
                    "\n{} · {}（{}，{}）：{} 行，已评 {} 项，修改 {} 处，冲突 {} 处",
                    s.round_name,
                    s.expert_name,
                    s.file,
                    s.matched_by_label,
                    s.rows,
                    s.scored,
                    s.changes.len(),
                    s.conflicts.len()
                ));
                for c in &s.changes {
                    let item = format!("指标 {}", c.no);
                    text.push_str(&change_line(&item, &c.field, &c.old, &c.new));
                }
                for c in &s.conflicts {
                    let item = format!("指标 {}", c.no);
                    let line =
                        conflict_line(&item, &c.field, &c.sent, &c.office, "专家", &c.expert);
                    text.push_str(&line);
                }
            }
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        EvalCmd::Results { round } => {
            let r = ws.eval_round_by_key(&round)?;
            let res = ws.eval_results(r.id)?;
            let t = &res.total;
            let mut text = format!(
                "{}：{} {} / {} 分（失 {} 分，得分率 {}%），已评 {}/{} 项{}",
                res.round.name,
                res.score_label,
                t.score,
                t.max,
                t.lost,
                opt(t.rate),
                t.scored,
                t.count,
                if res.bonus.applied.is_zero() {
                    String::new()
                } else {
                    format!(
                        "；附加项 {}，含附加项 {} 分",
                        res.bonus.applied, res.total_with_bonus
                    )
                }
            );
            if let Some(p) = &res.previous {
                text.push_str(&format!(
                    "\n上一轮“{}”：{} / {} 分",
                    p.name, p.total.score, p.total.max
                ));
            }
            if let Some(c) = res.composite.total {
                text.push_str(&format!("\n综合成绩：{c}"));
            }
            for v in &res.vetoes {
                text.push_str(&format!("\n[否决项] {}：{}", v.text, v.note));
            }
            for a in &res.aspects {
                text.push_str(&format!(
                    "\n{}\t{} / {}\t失 {}",
                    a.label, a.score, a.max, a.lost
                ));
            }
            text.push_str("\n失分最多的指标：");
            for l in res.lost_ranking.iter().take(10) {
                text.push_str(&format!(
                    "\n  {}\t失 {}\t{}\t{}",
                    l.no,
                    l.lost,
                    l.leads
                        .iter()
                        .map(|u| u.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                    shifan_core::sheet::layout::short(&l.text)
                ));
            }
            for n in &res.notes {
                text.push_str(&format!("\n[提示] {n}"));
            }
            out(&res, text)
        }
        EvalCmd::Trend => {
            let v = ws.eval_trend()?;
            let text = v
                .iter()
                .map(|t| {
                    format!(
                        "{}\t{} / {}\t得分率 {}%{}",
                        t.name,
                        t.total.score,
                        t.total.max,
                        opt(t.total.rate),
                        if t.flagged { "\t[否决项]" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::ToProblems { round, preview } if !preview => {
            let r = ws.eval_round_by_key(&round)?;
            let done = ws.create_problems_from_deductions(r.id)?;
            let mut text = format!(
                "已在整改台账“{}”中生成 {} 个问题",
                done.round.name,
                done.created.len()
            );
            if done.already > 0 {
                text.push_str(&format!("，{} 个此前已生成", done.already));
            }
            text.push('。');
            if !done.unassigned.is_empty() {
                text.push_str(&format!(
                    "\n{} 未分解到牵头单位，未生成问题：{}",
                    done.unassigned.len(),
                    done.unassigned.join("、")
                ));
            }
            for p in &done.created {
                text.push_str(&format!("\n{}\t{}", p.seq, p.description));
            }
            out(&done, text)
        }
        EvalCmd::ToProblems { round, .. } => {
            let r = ws.eval_round_by_key(&round)?;
            let v = ws.deductions_for_problems(r.id)?;
            let mut text = format!(
                "“{}”的扣分将生成 {} 个问题（预览，未写入整改台账）：",
                r.name,
                v.len()
            );
            for d in &v {
                text.push_str(&format!(
                    "\n{}\t{}\t整改要求：{}",
                    d.description,
                    if d.lead_units.is_empty() {
                        "（未分解）".to_string()
                    } else {
                        d.lead_units.join("、")
                    },
                    d.requirement
                ));
            }
            out(&v, text)
        }
        EvalCmd::Model(a) => {
            if let Some(total) = &a.distribute {
                ws.distribute_points(points(total, "总分")?)?;
            }
            if a.distribute_by_headings {
                ws.distribute_heading_points()?;
            }
            if a.source.is_some()
                || a.method.is_some()
                || a.weights.is_some()
                || a.bonus_cap.is_some()
            {
                let m = ws.scoring_model()?;
                let mut input = ModelInput {
                    points_source: m.points_source,
                    method: m.method,
                    grade_shares: m.grade_shares,
                    bonus_cap: m.bonus_cap,
                    weights: m.weights,
                };
                match a.source.as_deref() {
                    Some("system") => input.points_source = PointsSource::System,
                    Some("office") => input.points_source = PointsSource::Office,
                    Some(o) => {
                        return Err(Error::Invalid(format!(
                            "--source “{o}”应为 system 或 office。"
                        )));
                    }
                    None => {}
                }
                match a.method.as_deref() {
                    Some("points") => input.method = ScoringMethod::Points,
                    Some("grade") => input.method = ScoringMethod::Grade,
                    Some(o) => {
                        return Err(Error::Invalid(format!(
                            "--method “{o}”应为 points 或 grade。"
                        )));
                    }
                    None => {}
                }
                if let Some(w) = &a.weights {
                    let parts: Vec<&str> = w.split([',', '，']).collect();
                    if parts.len() != 3 {
                        return Err(Error::Invalid("--weights 应为三个数，如 50,30,20。".into()));
                    }
                    input.weights.written = Some(points(parts[0], "权重")?);
                    input.weights.site = Some(points(parts[1], "权重")?);
                    input.weights.satisfaction = Some(points(parts[2], "权重")?);
                }
                if let Some(c) = &a.bonus_cap {
                    input.bonus_cap = Some(points(c, "附加项上限")?);
                }
                ws.save_scoring_model(&input)?;
            }
            let m = ws.scoring_model()?;
            let mut text = format!(
                "{}；{}；分值合计：指标体系 {}，自定 {}；{} 项未设分值；否决项 {} 项",
                m.label,
                match m.method {
                    ScoringMethod::Points => "按分值评分",
                    ScoringMethod::Grade => "按等次评分",
                },
                m.system_total,
                m.office_total,
                m.missing,
                m.vetoes.len()
            );
            if m.heading_groups > 0 {
                text.push_str(&format!(
                    "\n指标体系中有 {} 个标题带分值（可用 --distribute-by-headings 按其分配各指标分值）",
                    m.heading_groups
                ));
            }
            for n in &m.heading_notes {
                text.push_str(&format!("\n提示：{n}"));
            }
            out(&m, text)
        }
        EvalCmd::ScaleImport {
            file,
            preview,
            total,
        } => {
            let opts = ScaleImportOptions {
                total: total.as_deref().map(|t| points(t, "总分")).transpose()?,
            };
            let p = import(ws, &ScaleImport::new(&file, opts), preview)?;
            let mut text = format!(
                "{}“{}”（工作表“{}”，按{}）：{} 项指标，合计 {} 分",
                if preview { "预览" } else { "已导入" },
                p.file_name,
                p.sheet,
                p.basis,
                p.rows.len(),
                p.total
            );
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        EvalCmd::ScaleExport { file } => {
            let p = ws.export_scale(&file)?;
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                format!("已导出分值表：{}", p.display()),
            )
        }
        EvalCmd::Cases(a) => {
            let r = ws.eval_round_by_key(&a.round)?;
            if let Some(case_no) = a.add {
                let unit_id = match &a.unit {
                    Some(n) => Some(
                        ws.list_units()?
                            .into_iter()
                            .find(|u| &u.name == n || &u.short_name == n)
                            .ok_or_else(|| Error::NotFound(format!("单位名单中没有“{n}”。")))?
                            .id,
                    ),
                    None => None,
                };
                let score = a
                    .score
                    .as_deref()
                    .ok_or_else(|| Error::Invalid("请用 --score 填写评查得分。".into()))?;
                ws.save_case_file(&CaseInput {
                    id: None,
                    round_id: r.id,
                    unit_id,
                    case_no,
                    case_type: a.r#type,
                    score: points(score, "评查得分")?,
                    full: a.full.as_deref().map(|f| points(f, "满分")).transpose()?,
                    problems: a.problems,
                    indicator_id: a.indicator.map(|n| indicator_id(ws, n)).transpose()?,
                    reviewer: a.reviewer,
                })?;
            }
            let v = ws.case_files(r.id)?;
            let text = v
                .iter()
                .map(|c| {
                    format!(
                        "{}\t{}\t{}\t{} / {}\t指标 {}\t{}",
                        c.case_no,
                        c.unit_name,
                        c.case_type,
                        c.score,
                        c.full,
                        c.indicator_no.map_or("—".to_string(), |n| n.to_string()),
                        c.problems
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::Veto {
            add,
            round,
            hit,
            clear,
            note,
        } => {
            if let Some(text) = add {
                let mut items: Vec<VetoInput> = ws
                    .scoring_model()?
                    .vetoes
                    .into_iter()
                    .map(|v| VetoInput {
                        id: Some(v.id),
                        text: v.text,
                        indicator_id: v.indicator_id,
                        note: v.note,
                    })
                    .collect();
                items.push(VetoInput {
                    id: None,
                    text,
                    indicator_id: None,
                    note: String::new(),
                });
                ws.save_vetoes(&items)?;
            }
            if hit.is_some() || clear.is_some() {
                let key = round
                    .ok_or_else(|| Error::Invalid("标记触发或取消否决项需要 --round。".into()))?;
                let r = ws.eval_round_by_key(&key)?;
                if let Some(id) = hit {
                    ws.set_veto_hit(r.id, id, true, &note)?;
                }
                if let Some(id) = clear {
                    ws.set_veto_hit(r.id, id, false, "")?;
                }
            }
            let v = ws.scoring_model()?.vetoes;
            let text = v
                .iter()
                .map(|x| format!("{}\t{}", x.id, x.text))
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
        EvalCmd::Bonus {
            round,
            add,
            points: p,
        } => {
            let r = ws.eval_round_by_key(&round)?;
            if let Some(text) = add {
                let p = p
                    .as_deref()
                    .ok_or_else(|| Error::Invalid("请用 --points 填写附加项分值。".into()))?;
                ws.save_bonus(&BonusInput {
                    id: None,
                    round_id: r.id,
                    text,
                    points: points(p, "附加项分值")?,
                    note: String::new(),
                })?;
            }
            let v = ws.eval_bonus(r.id)?;
            let text = v
                .iter()
                .map(|b| format!("{}\t{}\t{}", b.id, b.points, b.text))
                .collect::<Vec<_>>()
                .join("\n");
            out(&v, text)
        }
    })
}
