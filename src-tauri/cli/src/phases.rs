//! `shifan phases …`: the six 创建阶段, their dates and work, moving into a phase past its gates.

use clap::Subcommand;
use shifan_core::phases::{Phase, PhaseEventInput, PhaseInput, PhaseKey};
use shifan_core::{Error, Workspace};

use crate::{Out, out};

#[derive(Subcommand)]
pub enum PhasesCmd {
    /// 列出六个阶段（计划与实际日期、当前阶段、阶段工作、进入前的检查）。
    List,
    /// 修改一个阶段：日期、备注；--current 进入该阶段（检查未通过时需 --override 理由）；
    /// --plan-from 2023-05 按申报月份排出全部阶段的计划日期。
    Set {
        /// 阶段：宣传动员、自查自纠、整改提升、模拟评估、集中申报、迎接验收。
        #[arg(long)]
        phase: Option<String>,
        #[arg(long)]
        planned_start: Option<String>,
        #[arg(long)]
        planned_end: Option<String>,
        #[arg(long)]
        actual_start: Option<String>,
        #[arg(long)]
        actual_end: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// 进入该阶段（成为当前阶段）。
        #[arg(long)]
        current: bool,
        /// 检查未通过时仍然进入的理由（记入操作日志）。
        #[arg(long = "override")]
        override_reason: Option<String>,
        /// 按申报月份（如 2023-05）排出全部阶段的计划日期。
        #[arg(long)]
        plan_from: Option<String>,
    },
    /// 添加一项阶段工作（推进会、专题培训、通知、督导、其他）。
    AddEvent {
        #[arg(long)]
        phase: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        attendees: String,
        #[arg(long, default_value = "")]
        file: String,
    },
}

fn phase_arg(s: &str) -> Result<PhaseKey, Error> {
    PhaseKey::parse(s).ok_or_else(|| {
        Error::Invalid(format!(
            "没有名为“{s}”的阶段。可用的有：{}。",
            PhaseKey::ALL.map(|p| p.label()).join("、")
        ))
    })
}

fn text(v: &[Phase]) -> String {
    v.iter()
        .map(|p| {
            let d = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (None, None) => "未定".to_string(),
                (a, b) => format!(
                    "{} 至 {}",
                    a.as_deref().unwrap_or("?"),
                    b.as_deref().unwrap_or("?")
                ),
            };
            let mut line = format!(
                "{}{}\t计划：{}\t实际：{}\t工作 {} 项",
                if p.current { "▶ " } else { "  " },
                p.label,
                d(&p.planned_start, &p.planned_end),
                d(&p.actual_start, &p.actual_end),
                p.events.len()
            );
            if !p.gates.is_empty() {
                line.push_str(&format!(
                    "\t进入前检查：{}",
                    p.gates
                        .iter()
                        .map(|g| g.label())
                        .collect::<Vec<_>>()
                        .join("、")
                ));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn phases(ws: &mut Workspace, cmd: PhasesCmd) -> Result<Out, Error> {
    let v = match cmd {
        PhasesCmd::List => ws.list_phases()?,
        PhasesCmd::Set {
            phase,
            planned_start,
            planned_end,
            actual_start,
            actual_end,
            note,
            current,
            override_reason,
            plan_from,
        } => {
            if let Some(m) = plan_from {
                ws.plan_phases(&m)?;
            }
            match phase {
                None => ws.list_phases()?,
                Some(p) => {
                    let key = phase_arg(&p)?;
                    let old = ws
                        .list_phases()?
                        .into_iter()
                        .find(|x| x.key == key)
                        .ok_or_else(|| Error::NotFound(format!("阶段“{p}”不存在。")))?;
                    let pick = |new: Option<String>, old: Option<String>| match new {
                        Some(s) if s.trim().is_empty() => None,
                        Some(s) => Some(s),
                        None => old,
                    };
                    let v = ws.save_phases(&[PhaseInput {
                        key,
                        planned_start: pick(planned_start, old.planned_start),
                        planned_end: pick(planned_end, old.planned_end),
                        actual_start: pick(actual_start, old.actual_start),
                        actual_end: pick(actual_end, old.actual_end),
                        note: note.unwrap_or(old.note),
                    }])?;
                    if current {
                        ws.apply_phase_move(
                            key,
                            shifan_core::store::today(),
                            override_reason.as_deref(),
                        )?
                    } else {
                        v
                    }
                }
            }
        }
        PhasesCmd::AddEvent {
            phase,
            kind,
            date,
            title,
            attendees,
            file,
        } => ws.save_phase_event(&PhaseEventInput {
            id: None,
            phase: phase_arg(&phase)?,
            kind,
            date,
            title,
            attendees,
            file,
            note: String::new(),
        })?,
    };
    let t = text(&v);
    Ok(out(&v, t))
}
