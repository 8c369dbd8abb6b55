//! 创建阶段: the six phases of the district's own plan — 宣传动员、自查自纠、整改提升、模拟评估、
//! 集中申报、迎接验收 — with planned and actual dates, the current phase, the work of each phase
//! (推进会, 专题培训, 通知 …: date, title, attendees, a linked file), and the gates that hold the
//! campaign back from a phase while the checklist says it is not ready (an open veto item, an
//! indicator with no approved evidence, overdue problems). The office chooses which gates apply;
//! moving past a failing gate needs an explicit override, which is logged with the reasons.
//!
//! Phases are not fixed nationally and no source gives their dates (work-documents.md §5.3):
//! the defaults count from M, the month the 申报 window opens, and everything is editable.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// One of the six phases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PhaseKey {
    /// 宣传动员.
    #[default]
    Mobilize,
    /// 自查自纠.
    SelfCheck,
    /// 整改提升.
    Rectify,
    /// 模拟评估.
    MockEvaluation,
    /// 集中申报.
    Apply,
    /// 迎接验收.
    Acceptance,
}

impl PhaseKey {
    pub const ALL: [PhaseKey; 6] = [
        PhaseKey::Mobilize,
        PhaseKey::SelfCheck,
        PhaseKey::Rectify,
        PhaseKey::MockEvaluation,
        PhaseKey::Apply,
        PhaseKey::Acceptance,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PhaseKey::Mobilize => "宣传动员",
            PhaseKey::SelfCheck => "自查自纠",
            PhaseKey::Rectify => "整改提升",
            PhaseKey::MockEvaluation => "模拟评估",
            PhaseKey::Apply => "集中申报",
            PhaseKey::Acceptance => "迎接验收",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PhaseKey::Mobilize => "mobilize",
            PhaseKey::SelfCheck => "selfCheck",
            PhaseKey::Rectify => "rectify",
            PhaseKey::MockEvaluation => "mockEvaluation",
            PhaseKey::Apply => "apply",
            PhaseKey::Acceptance => "acceptance",
        }
    }

    pub fn position(self) -> usize {
        PhaseKey::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// A phase from its code or its Chinese name (the CLI accepts both).
    pub fn parse(s: &str) -> Option<PhaseKey> {
        let t = s.trim();
        PhaseKey::ALL
            .into_iter()
            .find(|p| p.code() == t || p.label() == t)
    }

    /// Default window in months relative to M (the month the 申报 window opens): (from, to).
    fn default_window(self) -> (i32, i32) {
        match self {
            PhaseKey::Mobilize => (-6, -5),
            PhaseKey::SelfCheck => (-5, -4),
            PhaseKey::Rectify => (-4, -2),
            PhaseKey::MockEvaluation => (-2, -1),
            PhaseKey::Apply => (0, 0),
            PhaseKey::Acceptance => (1, 3),
        }
    }
}

/// A gate that can hold the campaign back from entering a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum GateKind {
    /// 否决项未消除: a veto condition of a mock evaluation is still triggered.
    OpenVeto,
    /// 有指标尚无已通过的佐证材料.
    IndicatorWithoutEvidence,
    /// 仍有逾期未整改的问题.
    OverdueProblems,
}

impl GateKind {
    pub const ALL: [GateKind; 3] = [
        GateKind::OpenVeto,
        GateKind::IndicatorWithoutEvidence,
        GateKind::OverdueProblems,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GateKind::OpenVeto => "否决项未消除",
            GateKind::IndicatorWithoutEvidence => "有指标尚无已通过的佐证材料",
            GateKind::OverdueProblems => "仍有逾期未整改的问题",
        }
    }

    fn code(self) -> &'static str {
        match self {
            GateKind::OpenVeto => "openVeto",
            GateKind::IndicatorWithoutEvidence => "indicatorWithoutEvidence",
            GateKind::OverdueProblems => "overdueProblems",
        }
    }
}

/// One phase of the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Phase {
    pub key: PhaseKey,
    /// 宣传动员 …
    pub label: String,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub note: String,
    /// The phase the campaign is in now.
    pub current: bool,
    /// The work of the phase, by date.
    pub events: Vec<PhaseEvent>,
    /// Gates that hold the campaign back from entering this phase (configured ones only).
    pub gates: Vec<GateKind>,
}

/// 推进会, 专题培训, 通知 …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub phase: PhaseKey,
    /// 推进会 / 专题培训 / 通知 / 其他.
    pub kind: String,
    /// "2023-03-15".
    pub date: String,
    pub title: String,
    pub attendees: String,
    /// A linked file (a path or an evidence item), as the user gave it.
    pub file: String,
    pub note: String,
}

/// Input of "保存阶段" (dates as "2023-03-15" or empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseInput {
    pub key: PhaseKey,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub actual_start: Option<String>,
    #[serde(default)]
    pub actual_end: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// Input of one phase event (new when `id` is None).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseEventInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub phase: PhaseKey,
    pub kind: String,
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub attendees: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub note: String,
}

/// A gate found failing, with what the user must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GateFailure {
    pub gate: GateKind,
    pub label: String,
    /// "指标 12、15 等 8 项尚无已通过的佐证材料".
    pub reason: String,
}

/// What entering a phase would meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseMove {
    pub to: PhaseKey,
    pub failures: Vec<GateFailure>,
    /// True when no configured gate fails.
    pub can_enter: bool,
}

const EVENT_KINDS: &[&str] = &["推进会", "专题培训", "通知", "督导", "其他"];

fn check_date(d: &Option<String>, what: &str) -> Result<Option<String>> {
    match d.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| {
                Error::Invalid(format!(
                    "{what}“{s}”格式不对，请写成“2023-03-15”这样的日期。"
                ))
            }),
    }
}

fn setting_key(campaign_id: i64, what: &str) -> String {
    format!("phases:{campaign_id}:{what}")
}

/// Gates configured for entering `to` (default: all three before 集中申报, none elsewhere).
fn gates_for(conn: &Connection, campaign_id: i64, to: PhaseKey) -> Result<Vec<GateKind>> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [setting_key(campaign_id, &format!("gates:{}", to.code()))],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match stored {
        Some(v) => GateKind::ALL
            .into_iter()
            .filter(|g| v.split(',').any(|c| c == g.code()))
            .collect(),
        None if to == PhaseKey::Apply => GateKind::ALL.to_vec(),
        None => Vec::new(),
    })
}

fn current_key(conn: &Connection, campaign_id: i64) -> Result<Option<PhaseKey>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [setting_key(campaign_id, "current")],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|c| PhaseKey::parse(&c)))
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Evaluate one gate against what the other modules store. A gate whose module has stored
/// nothing yet does not fail (a figure whose module is not there is not a zero).
fn gate_failure(
    conn: &Connection,
    campaign_id: i64,
    gate: GateKind,
    today: NaiveDate,
) -> Result<Option<String>> {
    match gate {
        GateKind::OverdueProblems => {
            // 逾期 as the 整改台账 judges it (a unit's own deadline, 立行立改, the round's end).
            let n: i64 = crate::problems::load(conn, campaign_id, None, today)?
                .iter()
                .map(|p| p.overdue_count)
                .sum();
            Ok((n > 0).then(|| format!("还有 {n} 项整改任务已逾期未完成")))
        }
        GateKind::IndicatorWithoutEvidence => {
            if !table_exists(conn, "evidence_link")? {
                return Ok(None);
            }
            let c = campaign::get(conn, campaign_id)?;
            let missing: Vec<i64> = conn
                .prepare(
                    "SELECT i.no FROM indicator i WHERE i.system_id = ?1 AND i.is_leaf = 1
                       AND NOT EXISTS (SELECT 1 FROM evidence_link l JOIN evidence e ON e.id = l.evidence_id
                                       WHERE l.indicator_id = i.id AND e.campaign_id = ?2 AND e.status = '已通过')
                     ORDER BY i.no",
                )?
                .query_map(params![c.system_id, campaign_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((!missing.is_empty()).then(|| {
                let shown: Vec<String> = missing.iter().take(8).map(i64::to_string).collect();
                format!(
                    "指标 {}{} 共 {} 项尚无已通过的佐证材料",
                    shown.join("、"),
                    if missing.len() > 8 { " 等" } else { "" },
                    missing.len()
                )
            }))
        }
        GateKind::OpenVeto => {
            // The 否决项 the latest 模拟评估 round (as the dashboard lists them, the last one)
            // records as triggered.
            let latest = crate::evaluation::list_rounds(conn, campaign_id)?.pop();
            let Some(round) = latest.map(|r| r.id) else {
                return Ok(None);
            };
            let hits = crate::evaluation::list_veto_hits(conn, round)?;
            let names: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
            Ok((!names.is_empty()).then(|| format!("否决项仍被触发：{}", names.join("；"))))
        }
    }
}

fn load_events(conn: &Connection, campaign_id: i64) -> Result<Vec<PhaseEvent>> {
    let mut st = conn.prepare(
        "SELECT id, phase, kind, date, title, attendees, file, note FROM phase_event
         WHERE campaign_id = ?1 ORDER BY date, id",
    )?;
    let v = st
        .query_map([campaign_id], |r| {
            let phase: String = r.get(1)?;
            Ok(PhaseEvent {
                id: r.get(0)?,
                phase: PhaseKey::parse(&phase).unwrap_or_default(),
                kind: r.get(2)?,
                date: r.get(3)?,
                title: r.get(4)?,
                attendees: r.get(5)?,
                file: r.get(6)?,
                note: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The phases of a campaign (all six, stored or not yet).
pub fn list(conn: &Connection, campaign_id: i64) -> Result<Vec<Phase>> {
    let current = current_key(conn, campaign_id)?;
    let events = load_events(conn, campaign_id)?;
    let mut out = Vec::new();
    for key in PhaseKey::ALL {
        let row: Option<(
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        )> = conn
            .query_row(
                "SELECT planned_start, planned_end, actual_start, actual_end, note FROM phase
                 WHERE campaign_id = ?1 AND key = ?2",
                params![campaign_id, key.code()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (planned_start, planned_end, actual_start, actual_end, note) = row.unwrap_or_default();
        out.push(Phase {
            key,
            label: key.label().into(),
            planned_start,
            planned_end,
            actual_start,
            actual_end,
            note,
            current: current == Some(key),
            events: events.iter().filter(|e| e.phase == key).cloned().collect(),
            gates: gates_for(conn, campaign_id, key)?,
        });
    }
    Ok(out)
}

fn upsert(tx: &Transaction<'_>, campaign_id: i64, p: &PhaseInput) -> Result<()> {
    tx.execute(
        "INSERT INTO phase (campaign_id, key, planned_start, planned_end, actual_start, actual_end, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(campaign_id, key) DO UPDATE SET planned_start = excluded.planned_start,
           planned_end = excluded.planned_end, actual_start = excluded.actual_start,
           actual_end = excluded.actual_end, note = excluded.note",
        params![
            campaign_id,
            p.key.code(),
            p.planned_start,
            p.planned_end,
            p.actual_start,
            p.actual_end,
            p.note
        ],
    )?;
    Ok(())
}

/// First and last day of the month `offset` months from (year, month).
fn month_window(year: i32, month: u32, offset: i32) -> Option<(NaiveDate, NaiveDate)> {
    let idx = year * 12 + month as i32 - 1 + offset;
    let (y, m) = (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// The default plan counted from M, the month the 申报 window opens ("2023-05").
pub fn default_plan(apply_month: &str) -> Result<Vec<PhaseInput>> {
    let d = NaiveDate::parse_from_str(&format!("{}-01", apply_month.trim()), "%Y-%m-%d").map_err(
        |_| {
            Error::Invalid(format!(
                "申报月份“{apply_month}”格式不对，请写成“2023-05”这样的年月。"
            ))
        },
    )?;
    PhaseKey::ALL
        .into_iter()
        .map(|k| {
            let (a, b) = k.default_window();
            let start = month_window(d.year(), d.month(), a).map(|w| w.0);
            let end = month_window(d.year(), d.month(), b).map(|w| w.1);
            Ok(PhaseInput {
                key: k,
                planned_start: start.map(|x| x.format("%Y-%m-%d").to_string()),
                planned_end: end.map(|x| x.format("%Y-%m-%d").to_string()),
                ..PhaseInput::default()
            })
        })
        .collect()
}

impl Workspace {
    /// The six phases of the active campaign, with their work and gates.
    pub fn list_phases(&self) -> Result<Vec<Phase>> {
        let c = campaign::active(self.store().conn())?;
        list(self.store().conn(), c.id)
    }

    /// Save the dates and note of phases.
    pub fn save_phases(&mut self, input: &[PhaseInput]) -> Result<Vec<Phase>> {
        let c = campaign::active(self.store().conn())?;
        let mut clean = Vec::new();
        for p in input {
            let x = PhaseInput {
                key: p.key,
                planned_start: check_date(&p.planned_start, "计划开始日期")?,
                planned_end: check_date(&p.planned_end, "计划结束日期")?,
                actual_start: check_date(&p.actual_start, "实际开始日期")?,
                actual_end: check_date(&p.actual_end, "实际结束日期")?,
                note: p.note.trim().to_string(),
            };
            for (a, b, what) in [
                (&x.planned_start, &x.planned_end, "计划"),
                (&x.actual_start, &x.actual_end, "实际"),
            ] {
                if let (Some(a), Some(b)) = (a, b)
                    && b < a
                {
                    return Err(Error::Invalid(format!(
                        "“{}”的{what}结束日期（{b}）早于开始日期（{a}）。",
                        p.key.label()
                    )));
                }
            }
            clean.push(x);
        }
        let detail = clean
            .iter()
            .map(|p| p.key.label())
            .collect::<Vec<_>>()
            .join("、");
        self.store_mut().write(
            Action::SetPhases,
            |_| detail,
            |tx| {
                for p in &clean {
                    upsert(tx, c.id, p)?;
                }
                Ok(())
            },
        )?;
        self.list_phases()
    }

    /// Fill the planned dates of every phase from M, the month the 申报 window opens; actual
    /// dates and notes are kept.
    pub fn plan_phases(&mut self, apply_month: &str) -> Result<Vec<Phase>> {
        let current = self.list_phases()?;
        let plan: Vec<PhaseInput> = default_plan(apply_month)?
            .into_iter()
            .map(|mut p| {
                if let Some(old) = current.iter().find(|c| c.key == p.key) {
                    p.actual_start = old.actual_start.clone();
                    p.actual_end = old.actual_end.clone();
                    p.note = old.note.clone();
                }
                p
            })
            .collect();
        self.save_phases(&plan)
    }

    /// Which configured gates entering `to` would meet today.
    pub fn preview_phase_move(&self, to: PhaseKey, today: NaiveDate) -> Result<PhaseMove> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let mut failures = Vec::new();
        for g in gates_for(conn, c.id, to)? {
            if let Some(reason) = gate_failure(conn, c.id, g, today)? {
                failures.push(GateFailure {
                    gate: g,
                    label: g.label().into(),
                    reason,
                });
            }
        }
        Ok(PhaseMove {
            to,
            can_enter: failures.is_empty(),
            failures,
        })
    }

    /// Enter phase `to` (its actual start is today unless set; the phase before ends). A failing
    /// gate refuses the move, naming every reason — unless `override_reason` is given, which is
    /// recorded in the 操作日志 with the reasons overridden.
    pub fn apply_phase_move(
        &mut self,
        to: PhaseKey,
        today: NaiveDate,
        override_reason: Option<&str>,
    ) -> Result<Vec<Phase>> {
        let check = self.preview_phase_move(to, today)?;
        let why = override_reason.map(str::trim).filter(|s| !s.is_empty());
        if !check.can_enter && why.is_none() {
            let reasons: Vec<String> = check
                .failures
                .iter()
                .map(|f| format!("{}：{}", f.label, f.reason))
                .collect();
            return Err(Error::Invalid(format!(
                "暂不能进入“{}”阶段：{}。如确需进入，请填写理由后强制进入（将记入操作日志）。",
                to.label(),
                reasons.join("；")
            )));
        }
        let c = campaign::active(self.store().conn())?;
        let phases = self.list_phases()?;
        let day = today.format("%Y-%m-%d").to_string();
        let (action, detail) = match why {
            Some(w) if !check.can_enter => (
                Action::OverridePhaseGate,
                format!(
                    "强制进入“{}”阶段，理由：{w}；未满足：{}",
                    to.label(),
                    check
                        .failures
                        .iter()
                        .map(|f| f.reason.clone())
                        .collect::<Vec<_>>()
                        .join("；")
                ),
            ),
            _ => (Action::SetPhases, format!("进入“{}”阶段", to.label())),
        };
        self.store_mut().write(
            action,
            |_| detail,
            |tx| {
                for p in &phases {
                    let mut input = PhaseInput {
                        key: p.key,
                        planned_start: p.planned_start.clone(),
                        planned_end: p.planned_end.clone(),
                        actual_start: p.actual_start.clone(),
                        actual_end: p.actual_end.clone(),
                        note: p.note.clone(),
                    };
                    if p.key == to && input.actual_start.is_none() {
                        input.actual_start = Some(day.clone());
                    }
                    if p.current && p.key != to && input.actual_end.is_none() {
                        input.actual_end = Some(day.clone());
                    }
                    upsert(tx, c.id, &input)?;
                }
                crate::store::set_setting(tx, &setting_key(c.id, "current"), to.code())
            },
        )?;
        self.list_phases()
    }

    /// Which gates apply before entering `to`.
    pub fn set_phase_gates(&mut self, to: PhaseKey, gates: &[GateKind]) -> Result<Vec<Phase>> {
        let c = campaign::active(self.store().conn())?;
        let value = gates.iter().map(|g| g.code()).collect::<Vec<_>>().join(",");
        let detail = format!(
            "进入“{}”前检查：{}",
            to.label(),
            if gates.is_empty() {
                "不检查".to_string()
            } else {
                gates
                    .iter()
                    .map(|g| g.label())
                    .collect::<Vec<_>>()
                    .join("、")
            }
        );
        self.store_mut().write(
            Action::SetPhases,
            |_| detail,
            |tx| {
                crate::store::set_setting(
                    tx,
                    &setting_key(c.id, &format!("gates:{}", to.code())),
                    &value,
                )
            },
        )?;
        self.list_phases()
    }

    /// Add or change one piece of work of a phase (a meeting, a training, a notice).
    pub fn save_phase_event(&mut self, e: &PhaseEventInput) -> Result<Vec<Phase>> {
        let c = campaign::active(self.store().conn())?;
        let title = e.title.trim().to_string();
        if title.is_empty() {
            return Err(Error::Invalid("请填写标题，例如“第一次推进会”。".into()));
        }
        let date = check_date(&Some(e.date.clone()), "日期")?
            .ok_or_else(|| Error::Invalid("请填写日期。".into()))?;
        let kind = e.kind.trim();
        if !EVENT_KINDS.contains(&kind) {
            return Err(Error::Invalid(format!(
                "类别“{kind}”无效，只能是：{}。",
                EVENT_KINDS.join("、")
            )));
        }
        let detail = format!("{}：{date} {title}", e.phase.label());
        self.store_mut().write(Action::SetPhases, |_| detail, |tx| {
            match e.id {
                Some(id) => {
                    let n = tx.execute(
                        "UPDATE phase_event SET phase = ?3, kind = ?4, date = ?5, title = ?6,
                           attendees = ?7, file = ?8, note = ?9 WHERE id = ?1 AND campaign_id = ?2",
                        params![
                            id,
                            c.id,
                            e.phase.code(),
                            kind,
                            date,
                            title,
                            e.attendees.trim(),
                            e.file.trim(),
                            e.note.trim()
                        ],
                    )?;
                    if n == 0 {
                        return Err(Error::NotFound(format!("阶段工作（编号 {id}）不存在。")));
                    }
                }
                None => {
                    tx.execute(
                        "INSERT INTO phase_event (campaign_id, phase, kind, date, title, attendees, file, note)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            c.id,
                            e.phase.code(),
                            kind,
                            date,
                            title,
                            e.attendees.trim(),
                            e.file.trim(),
                            e.note.trim()
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        self.list_phases()
    }

    pub fn delete_phase_event(&mut self, id: i64) -> Result<Vec<Phase>> {
        let c = campaign::active(self.store().conn())?;
        self.store_mut().write(
            Action::SetPhases,
            |_| format!("删除阶段工作（编号 {id}）"),
            |tx| {
                let n = tx.execute(
                    "DELETE FROM phase_event WHERE id = ?1 AND campaign_id = ?2",
                    params![id, c.id],
                )?;
                if n == 0 {
                    return Err(Error::NotFound(format!("阶段工作（编号 {id}）不存在。")));
                }
                Ok(())
            },
        )?;
        self.list_phases()
    }
}

/// The demo campaign's plan: the 申报 window opens three months from `today`, so the campaign
/// is in 整改提升, with the phases before it done, and 7 推进会 and 7 专题培训 spread over the
/// months so far (as the 2023 district ran them).
pub(crate) fn seed_demo(ws: &mut Workspace, today: NaiveDate) -> Result<()> {
    let m = month_window(today.year(), today.month(), 3)
        .map(|w| w.0)
        .ok_or_else(|| Error::Invalid("演示日期无效。".into()))?;
    ws.plan_phases(&m.format("%Y-%m").to_string())?;
    let plan = ws.list_phases()?;
    let start = |k: PhaseKey| {
        plan.iter()
            .find(|p| p.key == k)
            .and_then(|p| p.planned_start.clone())
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    };
    for k in [PhaseKey::Mobilize, PhaseKey::SelfCheck, PhaseKey::Rectify] {
        let d = start(k).unwrap_or(today).min(today);
        ws.apply_phase_move(k, d, None)?;
    }
    let first = start(PhaseKey::Mobilize).unwrap_or(today);
    let span = (today - first).num_days().max(14);
    let meetings = [
        (
            "推进会",
            "全区法治政府建设示范创建工作动员部署会",
            PhaseKey::Mobilize,
        ),
        ("专题培训", "示范指标体系解读专题培训", PhaseKey::Mobilize),
        (
            "推进会",
            "第二次推进会：任务分解与责任落实",
            PhaseKey::Mobilize,
        ),
        ("专题培训", "佐证材料收集整理规范培训", PhaseKey::SelfCheck),
        (
            "推进会",
            "第三次推进会：自查自纠情况通报",
            PhaseKey::SelfCheck,
        ),
        ("专题培训", "行政执法案卷评查标准培训", PhaseKey::SelfCheck),
        (
            "推进会",
            "第四次推进会：专项督察问题反馈",
            PhaseKey::SelfCheck,
        ),
        ("专题培训", "重大行政决策程序专题培训", PhaseKey::Rectify),
        (
            "推进会",
            "第五次推进会：整改推进情况调度",
            PhaseKey::Rectify,
        ),
        ("专题培训", "行政复议与应诉能力提升培训", PhaseKey::Rectify),
        (
            "推进会",
            "第六次推进会：问题销号情况通报",
            PhaseKey::Rectify,
        ),
        ("专题培训", "政务公开与网络检索迎检培训", PhaseKey::Rectify),
        (
            "推进会",
            "第七次推进会：模拟评估准备部署",
            PhaseKey::Rectify,
        ),
        (
            "专题培训",
            "法治素养提升专题培训（全体明白人）",
            PhaseKey::Rectify,
        ),
    ];
    for (i, (kind, title, phase)) in meetings.iter().enumerate() {
        let d = first + chrono::Days::new((span * i as i64 / meetings.len() as i64) as u64);
        ws.save_phase_event(&PhaseEventInput {
            id: None,
            phase: *phase,
            kind: (*kind).into(),
            date: d.format("%Y-%m-%d").to_string(),
            title: (*title).into(),
            attendees: if *kind == "推进会" {
                "区委依法治区办、各牵头单位主要负责人".into()
            } else {
                "各责任单位分管领导、联络员、明白人".into()
            },
            file: String::new(),
            note: String::new(),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_plan_counts_from_the_apply_month() {
        let plan = default_plan("2023-05").expect("plan");
        let get = |k: PhaseKey| plan.iter().find(|p| p.key == k).expect("phase");
        assert_eq!(
            get(PhaseKey::Mobilize).planned_start.as_deref(),
            Some("2022-11-01")
        );
        assert_eq!(
            get(PhaseKey::Mobilize).planned_end.as_deref(),
            Some("2022-12-31")
        );
        assert_eq!(
            get(PhaseKey::Apply).planned_start.as_deref(),
            Some("2023-05-01")
        );
        assert_eq!(
            get(PhaseKey::Apply).planned_end.as_deref(),
            Some("2023-05-31")
        );
        assert_eq!(
            get(PhaseKey::Acceptance).planned_end.as_deref(),
            Some("2023-08-31")
        );
        assert!(default_plan("2023年5月").is_err());
    }

    #[test]
    fn phases_parse_from_code_or_name() {
        assert_eq!(PhaseKey::parse("集中申报"), Some(PhaseKey::Apply));
        assert_eq!(PhaseKey::parse("apply"), Some(PhaseKey::Apply));
        assert_eq!(PhaseKey::parse("申报"), None);
    }
}
