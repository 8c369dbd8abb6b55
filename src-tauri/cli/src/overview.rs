//! `shifan dashboard`, `shifan report`, `shifan summary-image`, `shifan package`: the 工作台总览
//! and what it sends to leaders and to the 申报.

use shifan_core::dashboard::Dashboard;
use shifan_core::problems::today_of;
use shifan_core::{Error, Workspace};

use crate::{Out, out};

fn text(d: &Dashboard) -> String {
    let mut lines = vec![format!("{}（{}）", d.campaign_name, d.today)];
    for h in d.headlines() {
        lines.push(format!(
            "{}{}：{}{}",
            if h.alert { "！" } else { "  " },
            h.label,
            h.value,
            if h.detail.is_empty() {
                String::new()
            } else {
                format!("（{}）", h.detail)
            }
        ));
    }
    if !d.aspects.is_empty() {
        lines.push("各方面进展：".into());
        for a in &d.aspects {
            let mut parts = vec![format!("指标 {} 项", a.indicators)];
            if let Some(n) = a.assigned {
                parts.push(format!("已分解 {n}"));
            }
            if let Some(n) = a.evidence_complete {
                parts.push(format!("材料齐全 {n}"));
            }
            if let Some(n) = a.self_checked {
                parts.push(format!("已自查 {n}"));
            }
            if let Some(n) = a.open_problems {
                parts.push(format!("未完成问题 {n}"));
            }
            if let (Some(s), Some(m)) = (a.score, a.max) {
                parts.push(format!("得分 {s}/{m}"));
            }
            lines.push(format!("  {}\t{}", a.aspect, parts.join("，")));
        }
    }
    let league: Vec<_> = d.units.iter().filter(|u| u.open + u.overdue > 0).collect();
    if !league.is_empty() {
        lines.push("单位整改情况（逾期多者在前）：".into());
        for u in league.iter().take(10) {
            lines.push(format!(
                "  {}\t逾期 {}，未完成 {}，共 {}",
                u.unit_name, u.overdue, u.open, u.total
            ));
        }
    }
    if !d.risks.is_empty() {
        lines.push("失分较多的指标：".into());
        for r in d.risks.iter().take(10) {
            lines.push(format!("  {}. {}\t失分 {}/{}", r.no, r.text, r.lost, r.max));
        }
    }
    lines.join("\n")
}

pub fn dashboard(ws: &Workspace, today: Option<String>) -> Result<Out, Error> {
    let d = ws.dashboard(today_of(today.as_deref())?)?;
    let t = text(&d);
    Ok(out(&d, t))
}

pub fn report(
    ws: &Workspace,
    file: std::path::PathBuf,
    today: Option<String>,
) -> Result<Out, Error> {
    let bar = crate::job::Bar::start();
    let r = ws.export_report(&file, today_of(today.as_deref())?, &bar.job())?;
    drop(bar);
    let t = format!(
        "已生成创建工作进展情况报告：{}（截至 {}，{} 个部分，{} 张图表）",
        r.path,
        r.today,
        r.sections.len(),
        r.charts
    );
    Ok(out(&r, t))
}

pub fn summary_image(
    ws: &Workspace,
    file: std::path::PathBuf,
    today: Option<String>,
) -> Result<Out, Error> {
    let r = ws.export_summary_image(&file, today_of(today.as_deref())?)?;
    let t = format!(
        "已生成一图读懂：{}（{}×{} 像素，{} 项数据）",
        r.path, r.width, r.height, r.figures
    );
    Ok(out(&r, t))
}

pub fn package(
    ws: &Workspace,
    target: std::path::PathBuf,
    today: Option<String>,
) -> Result<Out, Error> {
    let bar = crate::job::Bar::start();
    let r = ws.export_package(&target, today_of(today.as_deref())?, &bar.job())?;
    drop(bar);
    let mut t = r.summary.clone();
    for e in &r.entries {
        t.push_str(&format!("\n  {}\t{}", e.name, e.detail));
    }
    for w in &r.warnings {
        t.push_str(&format!("\n[提示] {w}"));
    }
    Ok(out(&r, t))
}
