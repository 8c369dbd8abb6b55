//! Importing a 任务分解表 as offices write it: parse → plan (rows matched to indicators by
//! number, unit names resolved exactly, by guess, as catch-alls or unknown) → preview → apply in
//! one transaction.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Assignment, assignment_id, date_text, load, parse_deadline, split_evidence};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Column, Issues, find_header, is_note_row, short};
use crate::sheet::{Grid, display_name, read_tables};
use crate::text::parse_number_label;
use crate::units::{self, Directory, NameMatch, UnitInput, kind_from_name, norm};
use crate::workspace::Workspace;

/// The 任务分解表 layout (read and written).
pub const TASK_COLUMNS: &[Column] = &[
    Column::new("seq", "序号", &["序", "编号"], 6.0),
    Column::new(
        "no",
        "三级指标序号",
        &["指标序号", "三级序号", "指标编号", "三级指标编号", "指标号"],
        8.0,
    ),
    Column::new(
        "text",
        "三级指标内容",
        &[
            "三级指标",
            "指标内容",
            "具体指标",
            "指标",
            "示范指标",
            "评价指标",
        ],
        40.0,
    ),
    Column::new(
        "task",
        "创建任务",
        &[
            "工作措施",
            "具体措施",
            "工作任务",
            "创建措施",
            "任务措施",
            "主要措施",
        ],
        30.0,
    ),
    Column::new(
        "lead",
        "牵头单位",
        &["牵头部门", "牵头责任单位", "主责单位"],
        16.0,
    ),
    Column::new(
        "support",
        "责任单位",
        &[
            "配合单位",
            "协同单位",
            "参与单位",
            "责任部门",
            "配合部门",
            "协办单位",
        ],
        22.0,
    ),
    Column::new(
        "leader",
        "包靠领导",
        &["分管区领导", "包靠区领导", "责任领导", "分管领导"],
        10.0,
    ),
    Column::new(
        "deadline",
        "完成时限",
        &["时限", "完成时间", "时间节点", "办结时限", "时间要求"],
        12.0,
    ),
    Column::new(
        "evidence",
        "佐证材料要求",
        &[
            "佐证材料",
            "佐证材料清单",
            "资料清单",
            "材料清单",
            "佐证资料",
            "佐证材料目录",
            "台账资料",
        ],
        30.0,
    ),
    Column::new("note", "备注", &["说明"], 14.0),
];

/// Options of a 任务分解表 import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TasksImportOptions {
    /// Guessed unit names are errors instead of accepted guesses.
    #[serde(default)]
    pub strict: bool,
    /// Unknown units are created (otherwise they are errors).
    #[serde(default)]
    pub create_units: bool,
}

/// A unit name that did not match exactly and was guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitGuess {
    pub written: String,
    pub unit_name: String,
    pub reason: String,
    /// Places where it is written ("第5行 G列").
    pub places: Vec<String>,
}

/// A unit name that matches no unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnknownUnit {
    pub name: String,
    /// Kind it would be created with.
    pub kind: String,
    pub places: Vec<String>,
}

/// A catch-all ("各街道") and what it expands to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatchAllUse {
    pub written: String,
    pub meaning: String,
    #[ts(type = "number")]
    pub unit_count: i64,
    pub places: Vec<String>,
}

/// What changes for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AssignmentChange {
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    /// True when the indicator had no assignment before.
    pub is_new: bool,
    pub changes: Vec<String>,
}

/// What importing a 任务分解表 would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TasksImportPreview {
    pub file_name: String,
    pub sheet: String,
    #[ts(type = "number")]
    pub rows: i64,
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub unchanged: i64,
    pub changes: Vec<AssignmentChange>,
    pub guesses: Vec<UnitGuess>,
    pub unknown_units: Vec<UnknownUnit>,
    pub catch_alls: Vec<CatchAllUse>,
    /// Leaves of the system the file does not mention.
    #[ts(type = "number")]
    pub not_in_file: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

#[derive(Debug, Clone)]
struct Row {
    indicator_id: i64,
    no: i64,
    text: String,
    task: String,
    leader: String,
    deadline_text: String,
    deadline_date: Option<String>,
    evidence: Vec<String>,
    note: String,
    /// Unit ids (negative: planned creations), lead first.
    leads: Vec<i64>,
    supports: Vec<i64>,
}

/// What the write needs beyond the preview.
pub struct TasksWork {
    rows: Vec<Row>,
    /// Planned unit creations (provisional negative ids).
    new_units: Vec<NewUnit>,
    campaign_id: i64,
}

/// A unit the import creates.
struct NewUnit {
    provisional_id: i64,
    name: String,
    kind: String,
}

fn place(g: &Grid, r: usize, c: usize) -> String {
    g.place(r, Some(c))
}

/// Read and resolve a 任务分解表 against the active campaign.
fn plan(
    ws: &Workspace,
    path: &Path,
    opts: TasksImportOptions,
) -> Result<Plan<TasksImportPreview, TasksWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    // The sheet with the best header holding an indicator number and a 牵头单位.
    let mut best: Option<(usize, crate::sheet::layout::Found)> = None;
    for (i, g) in grids.iter().enumerate() {
        let h = find_header(g, TASK_COLUMNS, &["lead"]);
        if let Some(h) = h
            && (h.col("no").is_some() || h.col("seq").is_some())
            && best
                .as_ref()
                .is_none_or(|(_, b)| h.cols.len() > b.cols.len())
        {
            best = Some((i, h));
        }
    }
    let Some((gi, h)) = best else {
        return Err(Error::BadFile(format!(
            "无法导入“{file}”：没有找到任务分解表的表头（需要“三级指标序号”或“序号”列，以及“牵头单位”列）。请确认选择的是任务分解表。"
        )));
    };
    let g = &grids[gi];
    let current = load(conn, c.id, c.system_id)?;
    let by_no: HashMap<i64, &Assignment> = current.iter().map(|a| (a.no, a)).collect();
    let mut dir = Directory::load(conn, c.id, &c.district)?;
    let no_col = h.col("no").or(h.col("seq")).unwrap_or(0);
    let lead_col = h.col("lead").unwrap_or(0);
    let get = |r: usize, k: &str| {
        h.col(k)
            .map(|c| g.text(r, c).to_string())
            .unwrap_or_default()
    };

    let mut guesses: BTreeMap<String, UnitGuess> = BTreeMap::new();
    let mut unknown: BTreeMap<String, (i64, UnknownUnit)> = BTreeMap::new();
    let mut catch_alls: BTreeMap<String, CatchAllUse> = BTreeMap::new();
    let mut next_new = -1i64;
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for r in h.row + 1..g.rows.len() {
        if g.row_is_blank(r) {
            continue;
        }
        let no_raw = g.text(r, no_col).to_string();
        let text = get(r, "text");
        let lead_raw = get(r, "lead");
        let support_raw = get(r, "support");
        if no_raw.is_empty() {
            if is_note_row(g, r) {
                continue;
            }
            if lead_raw.is_empty() && support_raw.is_empty() {
                continue; // a heading row of the hierarchy
            }
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                "缺少三级指标序号，无法对应到指标。",
            );
            continue;
        }
        // A header row repeated on a new page.
        if parse_number_label(&no_raw).is_none()
            && TASK_COLUMNS
                .iter()
                .any(|c| (c.key == "no" || c.key == "seq") && c.matches(&no_raw))
        {
            continue;
        }
        let Some(no) = parse_number_label(&no_raw) else {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("指标序号“{}”无法识别为数字。", short(&no_raw)),
            );
            continue;
        };
        let Some(a) = by_no.get(&no) else {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!(
                    "当前项目的指标体系中没有序号为 {no} 的指标（共 {} 项）。",
                    current.len()
                ),
            );
            continue;
        };
        if let Some(prev) = seen.insert(no, r) {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("指标 {no} 与第{}行重复。", prev + 1),
            );
            continue;
        }
        if !text.is_empty() && norm_text(&text) != norm_text(&a.text) {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                h.col("text"),
                &format!(
                    "指标 {no} 的内容与指标体系不一致：表中为“{}”，体系中为“{}”。请核对序号。",
                    short(&text),
                    short(&a.text)
                ),
            );
        }
        let mut resolve_cell = |raw: &str,
                                col: usize,
                                is_lead: bool,
                                issues: &mut Issues|
         -> Vec<i64> {
            let mut ids = Vec::new();
            for name in units::split_names(raw) {
                let at = place(g, r, col);
                match dir.resolve(&name) {
                    NameMatch::Exact(id) => ids.push(id),
                    NameMatch::Guess(id, why) => {
                        let unit_name = dir.name_of(id);
                        let e = guesses.entry(name.clone()).or_insert_with(|| UnitGuess {
                            written: name.clone(),
                            unit_name: unit_name.clone(),
                            reason: why.clone(),
                            places: Vec::new(),
                        });
                        e.places.push(at);
                        if opts.strict {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(col),
                                &format!("单位“{name}”与名单不完全一致（可能是“{unit_name}”，{why}）；严格模式下不接受推测。"),
                            );
                        }
                        ids.push(id);
                    }
                    NameMatch::CatchAll(list, meaning) => {
                        let e = catch_alls
                            .entry(name.clone())
                            .or_insert_with(|| CatchAllUse {
                                written: name.clone(),
                                meaning: meaning.clone(),
                                unit_count: list.len() as i64,
                                places: Vec::new(),
                            });
                        e.places.push(at);
                        if list.is_empty() {
                            issues.at(
                                Severity::Warning,
                                g,
                                Some(r),
                                Some(col),
                                &format!(
                                    "“{name}”指{meaning}，但单位名单中还没有这类单位，已忽略。"
                                ),
                            );
                        } else if is_lead {
                            issues.at(
                                Severity::Warning,
                                g,
                                Some(r),
                                Some(col),
                                &format!(
                                    "牵头单位写作“{name}”，已展开为{meaning}共 {} 个单位。",
                                    list.len()
                                ),
                            );
                        }
                        ids.extend(list);
                    }
                    NameMatch::Vague => issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(col),
                        &format!("“{name}”没有指明具体单位，已忽略；请在应用内补充具体单位。"),
                    ),
                    NameMatch::Unknown => {
                        let key = norm(&name);
                        let (id, e) = unknown.entry(key).or_insert_with(|| {
                            let kind = kind_from_name(&name).to_string();
                            let id = next_new;
                            next_new -= 1;
                            (
                                id,
                                UnknownUnit {
                                    name: name.clone(),
                                    kind,
                                    places: Vec::new(),
                                },
                            )
                        });
                        e.places.push(at);
                        if !opts.create_units {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(col),
                                &format!("单位“{name}”不在单位名单中。请先添加该单位，或选择“自动新建未知单位”后再导入。"),
                            );
                        }
                        let id = *id;
                        if !dir.name_of(id).is_empty() {
                            ids.push(id);
                        } else {
                            dir.add_planned(id, &name, &e.kind);
                            ids.push(id);
                        }
                    }
                }
            }
            ids
        };
        let leads = resolve_cell(&lead_raw, lead_col, true, &mut issues);
        let mut supports = match h.col("support") {
            Some(sc) => resolve_cell(&support_raw, sc, false, &mut issues),
            None => Vec::new(),
        };
        let mut leads_dedup: Vec<i64> = Vec::new();
        for id in leads {
            if !leads_dedup.contains(&id) {
                leads_dedup.push(id);
            }
        }
        supports.retain(|id| !leads_dedup.contains(id));
        let mut sup_dedup: Vec<i64> = Vec::new();
        for id in supports {
            if !sup_dedup.contains(&id) {
                sup_dedup.push(id);
            }
        }
        if leads_dedup.is_empty() && lead_raw.is_empty() {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(lead_col),
                &format!("指标 {no} 没有填写牵头单位。"),
            );
        }
        let deadline_text = get(r, "deadline");
        let serial = h
            .col("deadline")
            .and_then(|c| g.cell(r, c))
            .and_then(|c| c.number);
        let deadline_date = date_text(parse_deadline(&deadline_text, serial));
        rows.push(Row {
            indicator_id: a.indicator_id,
            no,
            text: a.text.clone(),
            task: get(r, "task"),
            leader: get(r, "leader"),
            deadline_text,
            deadline_date,
            evidence: split_evidence(&get(r, "evidence")),
            note: get(r, "note"),
            leads: leads_dedup,
            supports: sup_dedup,
        });
    }
    if rows.is_empty() && !issues.has_errors() {
        issues.at(
            Severity::Error,
            g,
            None,
            None,
            "表中没有任何可导入的任务行。",
        );
    }
    // Diff against what is stored.
    let names = |ids: &[i64]| -> String {
        ids.iter()
            .map(|i| dir.name_of(*i))
            .collect::<Vec<_>>()
            .join("、")
    };
    let refs = |v: &[super::UnitRef]| -> String {
        v.iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut changes = Vec::new();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for row in &rows {
        let Some(a) = by_no.get(&row.no) else {
            continue;
        };
        let mut ch = Vec::new();
        let mut diff = |what: &str, old: String, new: String| {
            if old != new {
                let show = |s: &str| {
                    if s.is_empty() {
                        "（空）".to_string()
                    } else {
                        short(s)
                    }
                };
                ch.push(format!("{what}：{} → {}", show(&old), show(&new)));
            }
        };
        diff("牵头单位", refs(&a.leads), names(&row.leads));
        diff("责任单位", refs(&a.supports), names(&row.supports));
        diff("创建任务", a.task.clone(), row.task.clone());
        diff("包靠领导", a.leader.clone(), row.leader.clone());
        diff(
            "完成时限",
            a.deadline_text.clone(),
            row.deadline_text.clone(),
        );
        diff("佐证材料", a.evidence.join("；"), row.evidence.join("；"));
        diff("备注", a.note.clone(), row.note.clone());
        let is_new = assignment_id(conn, c.id, a.indicator_id)?.is_none();
        if ch.is_empty() && !is_new {
            unchanged += 1;
            continue;
        }
        if is_new {
            created += 1;
        } else {
            updated += 1;
        }
        changes.push(AssignmentChange {
            no: row.no,
            text: short(&row.text),
            is_new,
            changes: ch,
        });
    }
    let new_units: Vec<NewUnit> = unknown
        .values()
        .map(|(id, u)| NewUnit {
            provisional_id: *id,
            name: u.name.clone(),
            kind: u.kind.clone(),
        })
        .collect();
    let not_in_file = current.len() as i64 - rows.len() as i64;
    let can_apply = !issues.has_errors();
    let preview = TasksImportPreview {
        file_name: file,
        sheet: g.name.clone(),
        rows: rows.len() as i64,
        created,
        updated,
        unchanged,
        changes,
        guesses: guesses.into_values().collect(),
        unknown_units: unknown.into_values().map(|(_, u)| u).collect(),
        catch_alls: catch_alls.into_values().collect(),
        not_in_file,
        issues: issues.list,
        can_apply,
    };
    let detail = format!(
        "“{}”：新增 {} 项、更新 {} 项、未变 {} 项，新建单位 {} 个",
        preview.file_name,
        preview.created,
        preview.updated,
        preview.unchanged,
        new_units.len()
    );
    Ok(Plan {
        preview,
        work: TasksWork {
            rows,
            new_units,
            campaign_id: c.id,
        },
        detail,
    })
}

/// Indicator text as compared: no white space or punctuation, half-width.
fn norm_text(s: &str) -> String {
    crate::text::to_half_width(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The fields of one assignment as stored (units aside).
#[derive(Debug, Clone, Default)]
pub(crate) struct AssignmentFields<'a> {
    pub task: &'a str,
    pub leader: &'a str,
    pub deadline_text: &'a str,
    pub deadline_date: Option<&'a str>,
    /// 佐证材料, one item per line.
    pub evidence: &'a str,
    pub note: &'a str,
}

/// Write one assignment (fields and units) in a transaction.
pub(crate) fn store_row(
    tx: &Transaction<'_>,
    campaign_id: i64,
    indicator_id: i64,
    f: &AssignmentFields<'_>,
    leads: &[i64],
    supports: &[i64],
) -> Result<i64> {
    tx.execute(
        "INSERT INTO assignment (campaign_id, indicator_id, task, leader, deadline_text, deadline_date, evidence, note, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(campaign_id, indicator_id) DO UPDATE SET task = excluded.task, leader = excluded.leader,
           deadline_text = excluded.deadline_text, deadline_date = excluded.deadline_date,
           evidence = excluded.evidence, note = excluded.note, updated_at = excluded.updated_at",
        params![
            campaign_id,
            indicator_id,
            f.task,
            f.leader,
            f.deadline_text,
            f.deadline_date,
            f.evidence,
            f.note,
            crate::store::now()
        ],
    )?;
    let id = assignment_id(tx, campaign_id, indicator_id)?
        .ok_or_else(|| Error::Db("任务分解记录写入后未找到。".into()))?;
    tx.execute("DELETE FROM assignment_unit WHERE assignment_id = ?1", [id])?;
    for (i, u) in leads.iter().enumerate() {
        tx.execute(
            "INSERT OR IGNORE INTO assignment_unit (assignment_id, unit_id, role, position) VALUES (?1, ?2, 'lead', ?3)",
            params![id, u, i as i64],
        )?;
    }
    for (i, u) in supports.iter().enumerate() {
        tx.execute(
            "INSERT OR IGNORE INTO assignment_unit (assignment_id, unit_id, role, position) VALUES (?1, ?2, 'support', ?3)",
            params![id, u, (leads.len() + i) as i64],
        )?;
    }
    Ok(id)
}

/// 导入任务分解表: re-reads the file, refuses a plan with errors, creates unknown units when
/// asked, and writes every row in one transaction.
pub struct TasksImport {
    pub path: PathBuf,
    pub options: TasksImportOptions,
}

impl TasksImport {
    pub fn new(path: impl Into<PathBuf>, options: TasksImportOptions) -> Self {
        TasksImport {
            path: path.into(),
            options,
        }
    }
}

impl ImportReport for TasksImportPreview {
    fn file_name(&self) -> &str {
        &self.file_name
    }
    fn issues(&self) -> &[ImportIssue] {
        &self.issues
    }
    fn can_apply(&self) -> bool {
        self.can_apply
    }
}

impl Importer for TasksImport {
    type Preview = TasksImportPreview;
    type Work = TasksWork;
    type Output = TasksImportPreview;
    const ACTION: Action = Action::ImportTasks;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, _job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        plan(ws, &self.path, self.options)
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        let mut map: HashMap<i64, i64> = HashMap::new();
        for u in &work.new_units {
            let id = units::insert(
                tx,
                work.campaign_id,
                &UnitInput {
                    id: None,
                    name: u.name.clone(),
                    short_name: String::new(),
                    aliases: Vec::new(),
                    kind: u.kind.clone(),
                    contact: String::new(),
                    phone: String::new(),
                    note: "导入任务分解表时新建".into(),
                },
            )?;
            map.insert(u.provisional_id, id);
        }
        let real = |v: &[i64]| -> Vec<i64> { v.iter().map(|i| *map.get(i).unwrap_or(i)).collect() };
        for r in &work.rows {
            let evidence = r.evidence.join("\n");
            store_row(
                tx,
                work.campaign_id,
                r.indicator_id,
                &AssignmentFields {
                    task: &r.task,
                    leader: &r.leader,
                    deadline_text: &r.deadline_text,
                    deadline_date: r.deadline_date.as_deref(),
                    evidence: &evidence,
                    note: &r.note,
                },
                &real(&r.leads),
                &real(&r.supports),
            )?;
        }
        Ok(preview)
    }
}
