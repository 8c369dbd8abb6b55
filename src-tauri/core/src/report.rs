//! 创建工作进展情况报告: the dashboard written as a 公文 (GB/T 9704-2012, through `word/`) for
//! the district's leaders — the headline figures, a table per aspect and per unit, the indicators
//! losing most points, the overdue problems, and the charts as images drawn by `chart.rs`, so
//! the app and the CLI write the same file without a window.
//!
//! Sections whose module has stored nothing are left out, as on the dashboard. The file is
//! written atomically after every step has passed `job.check()`: a cancelled report leaves the
//! target as it was.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::campaign;
use crate::chart::Chart;
use crate::dashboard::Dashboard;
use crate::error::Result;
use crate::progress::Job;
use crate::word::{self, Block, Doc, Image, Layout, Signature, Table, chinese_date};
use crate::workspace::Workspace;

/// Rows of the 失分 and 逾期 tables at most (the rest are counted in a sentence).
const TOP: usize = 10;
/// Rows of the units' table at most.
const UNIT_ROWS: usize = 20;
/// Printed width of a chart (the 公文 版心 is 156 mm).
const CHART_MM: f64 = 150.0;
/// Pixel width charts are drawn at: the chart's 15 px labels print at about 3 mm.
const CHART_PX: u32 = 760;

/// What writing the report produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReportInfo {
    pub path: String,
    /// The day the figures are judged on.
    pub today: String,
    /// Section headings written, in order.
    pub sections: Vec<String>,
    #[ts(type = "number")]
    pub charts: i64,
}

fn pct(p: f64) -> String {
    crate::chart::num(p)
}

fn image(chart: &Chart, caption: &str) -> Result<Block> {
    Ok(Block::Image(Image {
        png: chart.png(CHART_PX)?,
        width_mm: CHART_MM,
        caption: Some(caption.to_string()),
    }))
}

/// Where a chart goes: after the aspects' table or after the units' table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Aspects,
    Units,
}

/// The charts of the report, each with its caption and place (in reading order).
fn charts(d: &Dashboard) -> Vec<(Chart, String, Place)> {
    let mut v = Vec::new();
    let labels: Vec<String> = d.aspects.iter().map(|a| a.aspect.clone()).collect();
    if let Some(e) = &d.evaluation
        && e.score.is_some()
    {
        v.push((
            Chart::Bars {
                title: format!("{}各方面得分率", e.round_name),
                labels: labels.clone(),
                values: d
                    .aspects
                    .iter()
                    .map(|a| a.rate.map(|r| r.to_f64()).unwrap_or(0.0))
                    .collect(),
                unit: "%".into(),
            },
            format!("图{}　{}各方面得分率", v.len() + 1, e.round_name),
            Place::Aspects,
        ));
    }
    if d.evidence.is_some() {
        v.push((
            Chart::Bars {
                title: "各方面材料齐全率".into(),
                labels,
                values: d
                    .aspects
                    .iter()
                    .map(|a| {
                        let n = a.evidence_complete.unwrap_or(0) as f64;
                        if a.indicators > 0 {
                            (n * 1000.0 / a.indicators as f64).round() / 10.0
                        } else {
                            0.0
                        }
                    })
                    .collect(),
                unit: "%".into(),
            },
            format!("图{}　各方面材料齐全率", v.len() + 1),
            Place::Aspects,
        ));
    }
    let late: Vec<_> = d.units.iter().filter(|u| u.overdue > 0).take(TOP).collect();
    if !late.is_empty() {
        v.push((
            Chart::Bars {
                title: "逾期问题较多的单位".into(),
                labels: late.iter().map(|u| u.unit_name.clone()).collect(),
                values: late.iter().map(|u| u.overdue as f64).collect(),
                unit: "项".into(),
            },
            format!("图{}　逾期问题较多的单位", v.len() + 1),
            Place::Units,
        ));
    }
    v
}

/// The report as a document; `images` are the rendered charts in the order of [`charts`].
fn document(
    d: &Dashboard,
    office: &str,
    today: NaiveDate,
    overdue: &[crate::problems::ProblemInfo],
    images: Vec<(Place, Block)>,
) -> (Doc, Vec<String>) {
    let images_at = |doc: &mut Doc, place: Place| {
        for (_, b) in images.iter().filter(|(p, _)| *p == place) {
            doc.push(b.clone());
        }
    };
    let mut doc = Doc::new();
    let mut sections = Vec::new();
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八"];
    let mut heading = |doc: &mut Doc, text: &str| {
        let n = numerals.get(sections.len()).copied().unwrap_or("十");
        doc.push(Block::Heading1(format!("{n}、{text}")));
        sections.push(text.to_string());
    };
    doc.push(Block::Title(format!(
        "{}法治政府建设示范创建\n工作进展情况报告",
        d.district
    )));
    doc.push(Block::Para(format!(
        "现将截至{}{}工作进展情况报告如下。",
        chinese_date(today),
        d.campaign_name
    )));

    // 一、总体进展
    heading(&mut doc, "总体进展");
    let h = d.headlines();
    if h.is_empty() {
        doc.push(Block::Para(
            "各项工作尚未录入数据，暂无可报告的进展。".into(),
        ));
    }
    let mut figures = Vec::new();
    if let Some(p) = &d.phase {
        figures.push(format!(
            "创建工作目前处于“{}”阶段{}",
            p.label,
            match (&p.planned_start, &p.planned_end) {
                (Some(a), Some(b)) => format!("（计划{a}至{b}）"),
                _ => String::new(),
            }
        ));
    }
    if let Some(a) = &d.assigned {
        figures.push(format!(
            "{} 项指标中已有 {} 项明确牵头单位，占 {}%",
            a.total,
            a.done,
            pct(a.percent)
        ));
    }
    if let Some(e) = &d.evidence {
        figures.push(format!(
            "佐证材料已齐全的指标 {} 项，齐全率 {}%，部分齐全 {} 项，尚无材料 {} 项；材料库共收录 {} 份，已审核通过 {} 份",
            e.complete.done,
            pct(e.complete.percent),
            e.partial,
            e.none,
            e.items,
            e.approved
        ));
    }
    if let Some(s) = &d.self_check {
        figures.push(format!(
            "已完成自查评价的指标 {} 项，占 {}%",
            s.done,
            pct(s.percent)
        ));
    }
    if let Some(p) = &d.problems {
        figures.push(format!(
            "督察发现问题 {} 项，已整改 {} 项，尚未完成 {} 项，其中逾期 {} 项（涉及 {} 个单位次）",
            p.total, p.done, p.open, p.overdue, p.overdue_parts
        ));
    }
    if let Some(e) = &d.evaluation {
        figures.push(match e.score {
            Some(s) => format!(
                "{}{} {}分（满分 {}），{}{}",
                e.round_name,
                e.score_label,
                s,
                e.max,
                e.rate.map(|r| format!("得分率 {r}%")).unwrap_or_default(),
                if e.flagged {
                    format!("，触发否决项 {} 项", e.vetoes.len())
                } else {
                    "，未触发否决项".into()
                }
            ),
            None => format!("{}尚未评分", e.round_name),
        });
    }
    for f in &figures {
        doc.push(Block::Para(format!("{f}。")));
    }

    // 二、各方面进展
    if d.assigned.is_some()
        || d.evidence.is_some()
        || d.self_check.is_some()
        || d.problems.is_some()
        || d.evaluation.is_some()
    {
        heading(&mut doc, "各方面进展情况");
        let mut headers = vec!["方面", "指标数"];
        let a0 = d.aspects.first();
        let has = |f: fn(&crate::dashboard::AspectProgress) -> bool| a0.is_some_and(f);
        let cols: [(bool, &str); 5] = [
            (has(|a| a.assigned.is_some()), "已分解"),
            (has(|a| a.evidence_complete.is_some()), "材料齐全"),
            (has(|a| a.self_checked.is_some()), "已自查"),
            (has(|a| a.open_problems.is_some()), "未完成问题"),
            (has(|a| a.max.is_some()), "得分/分值"),
        ];
        headers.extend(cols.iter().filter(|c| c.0).map(|c| c.1));
        let mut widths = vec![52.0, 16.0];
        widths.extend(
            cols.iter()
                .filter(|c| c.0)
                .map(|c| if c.1 == "得分/分值" { 26.0 } else { 18.0 }),
        );
        let mut t = Table::new(headers).widths_mm(&widths);
        for a in &d.aspects {
            let mut row = vec![a.aspect.clone(), a.indicators.to_string()];
            let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
            if cols[0].0 {
                row.push(opt(a.assigned));
            }
            if cols[1].0 {
                row.push(opt(a.evidence_complete));
            }
            if cols[2].0 {
                row.push(opt(a.self_checked));
            }
            if cols[3].0 {
                row.push(opt(a.open_problems));
            }
            if cols[4].0 {
                row.push(match (a.score, a.max) {
                    (Some(s), Some(m)) => format!("{s}/{m}"),
                    (None, Some(m)) => format!("—/{m}"),
                    _ => String::new(),
                });
            }
            t = t.row(row);
        }
        doc.push(Block::Table(t));
        images_at(&mut doc, Place::Aspects);
    }

    // 三、各单位整改情况
    if !d.units.is_empty() {
        heading(&mut doc, "各单位问题整改情况");
        let busy: Vec<_> = d.units.iter().filter(|u| u.open + u.overdue > 0).collect();
        let rest = d.units.len() - busy.len();
        doc.push(Block::Para(format!(
            "涉及整改任务的单位 {} 个{}，尚有未完成问题的单位 {} 个，按逾期问题数、未完成问题数排列{}：",
            d.units.len(),
            if rest > 0 {
                format!("，其中 {rest} 个单位的问题已全部整改")
            } else {
                String::new()
            },
            busy.len(),
            if busy.len() > UNIT_ROWS {
                format!("，前 {UNIT_ROWS} 个如下")
            } else {
                "如下".into()
            }
        )));
        let mut t = Table::new(["序号", "单位", "问题数", "未完成", "逾期", "完成率"])
            .widths_mm(&[12.0, 62.0, 18.0, 18.0, 18.0, 22.0]);
        for (i, u) in busy.iter().take(UNIT_ROWS).enumerate() {
            t = t.row([
                (i + 1).to_string(),
                u.unit_name.clone(),
                u.total.to_string(),
                u.open.to_string(),
                u.overdue.to_string(),
                format!("{}%", pct(u.done_rate)),
            ]);
        }
        doc.push(Block::Table(t));
        images_at(&mut doc, Place::Units);
    }

    // 四、主要风险
    let vetoes = d.evaluation.as_ref().filter(|e| e.flagged);
    if !d.risks.is_empty() || vetoes.is_some() {
        heading(&mut doc, "主要风险");
        if let Some(e) = vetoes {
            doc.push(Block::Para(format!(
                "{}触发否决项：{}。否决项未消除前不具备申报条件，须优先整改。",
                e.round_name,
                e.vetoes.join("；")
            )));
        }
        if !d.risks.is_empty() {
            let round = d
                .evaluation
                .as_ref()
                .map(|e| e.round_name.clone())
                .unwrap_or_default();
            doc.push(Block::Para(format!(
                "{round}中失分较多的指标如下{}：",
                if d.risks.len() > TOP {
                    format!("（列前 {TOP} 项）")
                } else {
                    String::new()
                }
            )));
            let mut t = Table::new(["序号", "指标", "分值", "失分", "牵头单位"])
                .widths_mm(&[12.0, 78.0, 14.0, 14.0, 38.0]);
            for (i, r) in d.risks.iter().take(TOP).enumerate() {
                t = t.row([
                    (i + 1).to_string(),
                    format!("第{}项　{}", r.no, r.text),
                    r.max.to_string(),
                    r.lost.to_string(),
                    r.leads
                        .iter()
                        .map(|u| u.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                ]);
            }
            doc.push(Block::Table(t));
        }
    }

    // 五、逾期问题
    if !overdue.is_empty() {
        heading(&mut doc, "逾期未整改问题");
        doc.push(Block::Para(format!(
            "截至{}，逾期未完成整改的问题共 {} 项{}：",
            chinese_date(today),
            overdue.len(),
            if overdue.len() > TOP {
                format!("，逾期最久的 {TOP} 项如下")
            } else {
                "，具体如下".into()
            }
        )));
        let mut t = Table::new(["序号", "问题描述", "逾期单位", "完成时限", "逾期天数"])
            .widths_mm(&[12.0, 62.0, 44.0, 24.0, 14.0]);
        for (i, p) in overdue.iter().take(TOP).enumerate() {
            t = t.row([
                (i + 1).to_string(),
                p.description.clone(),
                p.units
                    .iter()
                    .filter(|u| u.overdue)
                    .map(|u| u.unit_name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                p.deadline_text.clone(),
                p.overdue_days.map(|n| n.to_string()).unwrap_or_default(),
            ]);
        }
        doc.push(Block::Table(t));
    }
    doc.push(Block::Para("特此报告。".into()));
    doc.push(Block::Signature(Signature {
        org: office.to_string(),
        date: today,
    }));
    (doc, sections)
}

impl Workspace {
    /// Write the 创建工作进展情况报告 (.docx, 公文 layout) of the figures on `today` to `path`.
    pub fn export_report(&self, path: &Path, today: NaiveDate, job: &Job) -> Result<ReportInfo> {
        let bytes = self.report_bytes(today, job)?;
        job.check()?;
        crate::atomic::write_atomic(path, &bytes.0)?;
        let info = ReportInfo {
            path: path.display().to_string(),
            today: today.format("%Y-%m-%d").to_string(),
            sections: bytes.1,
            charts: bytes.2,
        };
        job.report(4, 4, "报告已生成");
        Ok(info)
    }

    /// The report's bytes, its sections and chart count (also put into the 申报 package).
    pub(crate) fn report_bytes(
        &self,
        today: NaiveDate,
        job: &Job,
    ) -> Result<(Vec<u8>, Vec<String>, i64)> {
        job.report(0, 4, "正在汇总各项数据");
        let (d, _, problems) = self.dashboard_and_problems(today)?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let office = crate::problems::letters::load_settings(conn, &c)?.office;
        let mut overdue: Vec<_> = problems
            .into_iter()
            .filter(|p| p.overdue_count > 0)
            .collect();
        overdue.sort_by_key(|p| (std::cmp::Reverse(p.overdue_days.unwrap_or(0)), p.id));
        job.check()?;
        job.report(1, 4, "正在绘制图表");
        let list = charts(&d);
        let mut images = Vec::new();
        for (chart, caption, place) in &list {
            job.check()?;
            images.push((*place, image(chart, caption)?));
        }
        job.check()?;
        job.report(2, 4, "正在排版报告");
        let (doc, sections) = document(&d, &office, today, &overdue, images);
        let bytes = word::render(&doc, Layout::Gongwen)?;
        job.check()?;
        job.report(3, 4, "正在写入文件");
        Ok((bytes, sections, list.len() as i64))
    }
}

/// The file name the report is offered under ("曾都区创建工作进展情况报告（2023-06-01）.docx").
pub fn default_file_name(district: &str, today: NaiveDate) -> PathBuf {
    PathBuf::from(format!(
        "{district}创建工作进展情况报告（{}）.docx",
        today.format("%Y-%m-%d")
    ))
}
