//! `shifan evidence …` (佐证材料库) and `shifan search …`.

use std::path::PathBuf;

use clap::Subcommand;
use shifan_core::evidence::archive::ArchivePlan;
use shifan_core::evidence::{
    EvidenceAddOptions, EvidenceAssign, EvidenceEdit, EvidenceFilter, EvidenceIntake,
    EvidenceReview, ReviewDecision,
};
use shifan_core::{Error, Workspace};

use crate::job::Bar;
use crate::preview::checked;
use crate::{Out, issue_lines, out};

#[derive(Subcommand)]
pub enum EvidenceCmd {
    /// 添加佐证材料：文件、文件夹或压缩包（可多个；报送单位默认取自文件夹或压缩包名称）。
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 全部归入该指标（序号，可重复）；不写则按文件夹名和文件名归类。
        #[arg(long)]
        indicator: Vec<i64>,
        /// 报送单位（名称、简称或别名）。
        #[arg(long)]
        unit: Option<String>,
        /// 只预览，不保存。
        #[arg(long)]
        preview: bool,
    },
    /// 列出佐证材料。
    List {
        /// 只列出归入该指标（序号）的材料。
        #[arg(long)]
        indicator: Option<i64>,
        /// 只列出该单位报送的材料。
        #[arg(long)]
        unit: Option<String>,
        /// 审核状态：待审核、已通过、退回。
        #[arg(long)]
        status: Option<String>,
        /// 只列出待归类的材料。
        #[arg(long)]
        queue: bool,
        /// 材料名称、文件名或文号中包含的文字。
        #[arg(long)]
        search: Option<String>,
    },
    /// 显示一份材料的详情和全部来源。
    Show { id: i64 },
    /// 归类：把材料（编号，可多个）归入指标（序号，可重复 --indicator）。
    Assign {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long, required = true)]
        indicator: Vec<i64>,
        /// 替换原有的指标，而不是增加。
        #[arg(long)]
        replace: bool,
    },
    /// 取消归类：材料不再归入该指标。
    Unassign {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long)]
        indicator: i64,
    },
    /// 审核：--approve 通过，--return 原因 退回，--reset 改回待审核。
    Review {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long, conflicts_with_all = ["return_reason", "reset"])]
        approve: bool,
        #[arg(long = "return", value_name = "原因", conflicts_with = "reset")]
        return_reason: Option<String>,
        #[arg(long)]
        reset: bool,
    },
    /// 修改材料信息（只改给出的项；空字符串表示清空）。
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        /// 形成日期，如 2025-03-12。
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        doc_no: Option<String>,
        /// 记录、审核、公示。
        #[arg(long)]
        category: Option<String>,
        /// 材料查证、网络检索、案卷评查。
        #[arg(long)]
        method: Option<String>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        keywords: Option<String>,
        /// 截图日期（网络检索）。
        #[arg(long)]
        captured: Option<String>,
        /// 截图材料的编号（网络检索）；0 表示清除。
        #[arg(long)]
        screenshot: Option<i64>,
        #[arg(long)]
        case_no: Option<String>,
        #[arg(long)]
        case_type: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// 删除材料（编号，可多个）。
    Remove {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// 材料齐全情况：各指标、各单位、各方面。
    Completeness,
    /// 导出某单位的退回清单（.xlsx）。
    ReturnList {
        #[arg(long)]
        unit: String,
        file: PathBuf,
    },
    /// 校验证据库：逐一重新计算文件指纹，报告缺失或被改动的文件。
    Verify,
    /// 用原文件重新关联缺失或被改动的证据文件。
    Relink { hash: String, file: PathBuf },
    /// 导出案卷（“41+1卷”）到文件夹或 .zip。
    ExportArchive {
        target: PathBuf,
        /// 按第几级标题分卷（1 为一级指标）；默认取不超过 41 卷的最细一级。
        #[arg(long)]
        level: Option<i64>,
        /// 也导出待审核的材料（默认只导出已通过的）。
        #[arg(long)]
        include_pending: bool,
        /// 不生成各卷的合订本 PDF。
        #[arg(long)]
        no_merge: bool,
        /// 不要综合卷。
        #[arg(long)]
        no_general: bool,
    },
    /// 显示材料文件在证据库中的位置（供打开查看）。
    Open { id: i64 },
}

fn item_line(i: &shifan_core::evidence::EvidenceItem) -> String {
    let inds = if i.indicators.is_empty() {
        "待归类".to_string()
    } else {
        i.indicators
            .iter()
            .map(|m| format!("指标{}", m.no))
            .collect::<Vec<_>>()
            .join("、")
    };
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        i.id,
        i.status,
        inds,
        if i.unit_name.is_empty() {
            "—"
        } else {
            &i.unit_name
        },
        i.title,
        i.file_name
    )
}

pub fn evidence(ws: &mut Workspace, cmd: EvidenceCmd) -> Result<Out, Error> {
    Ok(match cmd {
        EvidenceCmd::Add {
            paths,
            indicator,
            unit,
            preview,
        } => {
            let options = EvidenceAddOptions {
                unit,
                indicator_nos: indicator,
                ..EvidenceAddOptions::default()
            };
            let bar = Bar::start();
            let p = if preview {
                ws.preview(&EvidenceIntake::new(paths, options), &bar.job())?
            } else {
                ws.apply(&EvidenceIntake::ingesting(paths, options), &bar.job())?
            };
            drop(bar);
            let mut text = format!(
                "{}“{}”：{}。",
                if preview { "预览" } else { "已添加" },
                p.source,
                p.summary
            );
            for g in &p.groups {
                let unit = match g.unit_from.as_str() {
                    "none" => "未识别报送单位".to_string(),
                    "guess" => format!("报送单位：{}（按名称推断）", g.unit_name),
                    _ => format!("报送单位：{}", g.unit_name),
                };
                text.push_str(&format!("\n[{}] {} 个文件，{unit}", g.name, g.files));
            }
            for f in p.files.iter().take(200) {
                let inds = if f.indicators.is_empty() {
                    format!("待归类（{}）", f.queue_note)
                } else {
                    f.indicators
                        .iter()
                        .map(|m| format!("指标{}", m.no))
                        .collect::<Vec<_>>()
                        .join("、")
                };
                let state = match f.state.as_str() {
                    "known" => format!("，{}", f.same_as),
                    "repeat" => format!("，{}", f.same_as),
                    "failed" => "，未能收取".to_string(),
                    _ => String::new(),
                };
                text.push_str(&format!("\n  {} → {inds}{state}", f.location));
            }
            if p.files.len() > 200 {
                text.push_str(&format!("\n  ……另有 {} 个文件", p.files.len() - 200));
            }
            for a in &p.answers {
                text.push_str(&format!(
                    "\n[补交] “{}”对应此前退回的“{}”（原因：{}）",
                    a.location, a.returned_title, a.return_reason
                ));
            }
            text.push_str(&issue_lines(&p.issues));
            checked(&p, text, p.can_apply)
        }
        EvidenceCmd::List {
            indicator,
            unit,
            status,
            queue,
            search,
        } => {
            let v = ws.list_evidence(&EvidenceFilter {
                indicator_no: indicator,
                unit,
                status,
                queue,
                text: search,
                ..EvidenceFilter::default()
            })?;
            let text = v.iter().map(item_line).collect::<Vec<_>>().join("\n");
            out(&v, text)
        }
        EvidenceCmd::Show { id } => {
            let d = ws.evidence_detail(id)?;
            let mut text = item_line(&d.item);
            for (k, v) in [
                ("形成日期", d.item.formed_on.clone().unwrap_or_default()),
                ("文号", d.item.doc_no.clone()),
                ("类别", d.item.category.clone()),
                ("评估方式", d.item.method.clone()),
                ("网址", d.item.url.clone()),
                ("案卷号", d.item.case_no.clone()),
                ("退回原因", d.item.return_reason.clone()),
                ("待归类原因", d.item.queue_note.clone()),
            ] {
                if !v.is_empty() {
                    text.push_str(&format!("\n{k}：{v}"));
                }
            }
            for s in &d.sources {
                text.push_str(&format!(
                    "\n来源：{}（{}，{} 由 {} 添加）",
                    s.original_path,
                    if s.unit_name.is_empty() {
                        "未记报送单位"
                    } else {
                        &s.unit_name
                    },
                    s.added_at,
                    s.operator
                ));
            }
            for m in &d.candidates {
                text.push_str(&format!(
                    "\n可能属于：指标{}（{}%，{}）",
                    m.no, m.confidence, m.reason
                ));
            }
            out(&d, text)
        }
        EvidenceCmd::Assign {
            ids,
            indicator,
            replace,
        } => {
            let n = ws.assign_evidence(&EvidenceAssign {
                ids,
                indicator_nos: indicator,
                replace,
                ..EvidenceAssign::default()
            })?;
            out(
                &serde_json::json!({ "changed": n }),
                format!("已归类 {n} 份材料。"),
            )
        }
        EvidenceCmd::Unassign { ids, indicator } => {
            let n = ws.unassign_evidence(&EvidenceAssign {
                ids,
                indicator_nos: vec![indicator],
                ..EvidenceAssign::default()
            })?;
            out(
                &serde_json::json!({ "changed": n }),
                format!("已取消 {n} 份材料的归类。"),
            )
        }
        EvidenceCmd::Review {
            ids,
            approve,
            return_reason,
            reset,
        } => {
            let (decision, reason) = match (approve, return_reason, reset) {
                (true, None, false) => (ReviewDecision::Approve, String::new()),
                (false, Some(r), false) => (ReviewDecision::Return, r),
                (false, None, true) => (ReviewDecision::Reset, String::new()),
                _ => {
                    return Err(Error::Invalid(
                        "请选择一种审核结果：--approve（通过）、--return 原因（退回）或 --reset（改回待审核）。"
                            .into(),
                    ));
                }
            };
            let n = ws.review_evidence(&EvidenceReview {
                ids,
                decision,
                reason,
            })?;
            out(
                &serde_json::json!({ "changed": n }),
                format!("已审核 {n} 份材料。"),
            )
        }
        EvidenceCmd::Edit {
            id,
            title,
            date,
            doc_no,
            category,
            method,
            url,
            keywords,
            captured,
            screenshot,
            case_no,
            case_type,
            note,
        } => {
            let it = ws.update_evidence(
                id,
                &EvidenceEdit {
                    title,
                    formed_on: date,
                    doc_no,
                    category,
                    method,
                    url,
                    keywords,
                    captured_on: captured,
                    screenshot_id: screenshot,
                    case_no,
                    case_type,
                    note,
                    unit_id: None,
                },
            )?;
            let text = format!("已修改：{}", item_line(&it));
            out(&it, text)
        }
        EvidenceCmd::Remove { ids } => {
            let n = ws.remove_evidence(&ids)?;
            out(
                &serde_json::json!({ "removed": n }),
                format!("已删除 {n} 份材料。"),
            )
        }
        EvidenceCmd::Completeness => {
            let r = ws.evidence_completeness()?;
            let mut text = r.summary.clone();
            for i in r.indicators.iter().take(30) {
                let state = match i.state {
                    shifan_core::evidence::completeness::CompletenessState::None => "尚无材料",
                    shifan_core::evidence::completeness::CompletenessState::Partial => "部分",
                    shifan_core::evidence::completeness::CompletenessState::Complete => "齐全",
                };
                text.push_str(&format!(
                    "\n指标{}\t{state}\t已通过 {}/{}（共 {} 份）\t{}",
                    i.no, i.approved, i.required_count, i.present, i.text
                ));
            }
            if r.indicators.len() > 30 {
                text.push_str(&format!(
                    "\n……另有 {} 项指标（--json 查看全部）",
                    r.indicators.len() - 30
                ));
            }
            out(&r, text)
        }
        EvidenceCmd::ReturnList { unit, file } => {
            let id = ws.unit_id_by_name(&unit)?;
            let p = ws.export_return_list(id, &file)?;
            out(
                &serde_json::json!({ "path": p.display().to_string() }),
                format!("已导出“{unit}”的退回清单：{}", p.display()),
            )
        }
        EvidenceCmd::Verify => {
            let bar = Bar::start();
            let r = ws.verify_evidence(&bar.job())?;
            drop(bar);
            let mut text = r.summary.clone();
            for p in &r.problems {
                text.push_str(&format!(
                    "\n[{}] {}（{}）",
                    if p.problem == shifan_core::evidence::store_check::ObjectFault::Missing {
                        "缺失"
                    } else {
                        "被改动"
                    },
                    p.message,
                    p.hash
                ));
            }
            let failed = !r.ok;
            let mut o = out(&r, text);
            o.failed = failed;
            o
        }
        EvidenceCmd::Relink { hash, file } => {
            let r = ws.relink_evidence(&hash, &file)?;
            let text = r.message.clone();
            out(&r, text)
        }
        EvidenceCmd::ExportArchive {
            target,
            level,
            include_pending,
            no_merge,
            no_general,
        } => {
            let plan = ArchivePlan {
                include_pending,
                merge_pdf: !no_merge,
                general_volume: !no_general,
                ..ws.archive_plan(level)?
            };
            let bar = Bar::start();
            let r = ws.export_archive(&target, &plan, &bar.job())?;
            drop(bar);
            let mut text = r.summary.clone();
            for v in &r.volumes {
                text.push_str(&format!(
                    "\n第{:02}卷 {}：{} 份材料，{} 页",
                    v.no, v.title, v.items, v.pages
                ));
            }
            for w in &r.warnings {
                text.push_str(&format!("\n[提示] {w}"));
            }
            out(&r, text)
        }
        EvidenceCmd::Open { id } => {
            let f = ws.evidence_file(id)?;
            let text = f.path.clone();
            out(&f, text)
        }
    })
}

/// `shifan search TEXT…`.
pub fn search(ws: &Workspace, words: &[String]) -> Result<Out, Error> {
    let hits = ws.search(&words.join(" "))?;
    let text = if hits.is_empty() {
        "没有找到。".to_string()
    } else {
        hits.iter()
            .map(|h| {
                format!(
                    "[{}] {}\t{}\t{}",
                    h.kind_label, h.title, h.detail, h.snippet
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(out(&hits, text))
}
