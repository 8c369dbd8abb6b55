//! Importing a 任务分解表 as offices write it: parse → plan (rows matched to indicators by
//! number, unit names resolved exactly, by guess, as catch-alls or unknown) → preview → apply in
//! one transaction.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Assignment, assignment_id, date_text, load, parse_deadline, split_evidence};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::IgnoredColumn;
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{
    Column, Found, Issues, find_visible_header, heading_row, is_note_row, note_unread_columns,
    row_list, short, unread_columns,
};
use crate::sheet::{Grid, display_name, read_tables};
use crate::text::parse_number_label;
use crate::units::{
    self, Choices, ChosenName, Decided, Directory, NameChoice, NameLedger, Next, Taken, UnitInput,
};
pub use crate::units::{CatchAllUse, UnitGuess, UnknownUnit};
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TasksImportOptions {
    /// Guessed unit names are errors instead of accepted guesses.
    #[serde(default)]
    pub strict: bool,
    /// Unknown units are created (otherwise they are errors).
    #[serde(default)]
    pub create_units: bool,
    /// The user's choice for each unit name that did not match exactly (map to a unit — saved
    /// as its 别名 —, create, or refuse), made in the preview.
    #[serde(default)]
    pub name_choices: Vec<NameChoice>,
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
    /// The header cell of the column read as the indicator number ("工作表“任务分解”第1行 B列").
    pub number_column: String,
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
    /// The user's choices for names, as applied.
    pub chosen: Vec<ChosenName>,
    /// Rows whose 序号 disagrees with their text, the text being another indicator's: stored on
    /// the indicator the text names.
    pub matched_by_text: Vec<TextMatch>,
    /// Columns the import does not read (and hidden ones), with their places.
    pub ignored_columns: Vec<IgnoredColumn>,
    /// Leaves of the system the file does not mention.
    #[ts(type = "number")]
    pub not_in_file: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

/// A row whose 序号 says one indicator and whose text is another's (a row deleted above and the
/// numbers refilled): it is stored on the indicator of its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TextMatch {
    pub sheet: String,
    /// 1-based row as Excel shows it.
    pub row: u32,
    /// The number written in the row.
    #[ts(type = "number")]
    pub written_no: i64,
    /// The indicator the text is, and the row is stored on.
    #[ts(type = "number")]
    pub no: i64,
    pub place: String,
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

/// The names of a 责任单位 cell marked as leading ("区司法局（牵头）", "区司法局(牵头单位)"),
/// without the mark, and the rest of the cell.
fn lead_marked(cell: &str) -> (Vec<String>, String) {
    let mut marked = Vec::new();
    let mut rest = Vec::new();
    for piece in crate::units::split_names(cell) {
        let p = crate::text::to_half_width(&piece);
        match p.find("(牵头") {
            Some(i) if p.ends_with(')') => marked.push(p[..i].trim().to_string()),
            _ => rest.push(piece),
        }
    }
    (marked, rest.join("、"))
}

/// A hierarchical code in a 序号 cell ("1.1.2", "2．3"), as some offices number indicators.
fn is_hierarchical_code(raw: &str) -> bool {
    crate::text::code_parts(raw).is_some_and(|p| p >= 2)
}

/// What the write needs beyond the preview.
pub struct TasksWork {
    rows: Vec<Row>,
    /// Planned unit creations (provisional negative ids).
    new_units: Vec<NewUnit>,
    campaign_id: i64,
    /// (unit id, written name) the user mapped in the preview: saved as 别名.
    aliases: Vec<(i64, String)>,
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

/// How a row's text relates to the indicator its number names.
#[derive(Debug, Clone, PartialEq)]
enum TextCheck {
    /// The same text (after folding), or no text.
    Same,
    /// An edited wording of the same indicator.
    Edited,
    /// Exactly another indicator's text: the row is that indicator.
    Other(i64),
    /// Neither this indicator's nor any other's: the number cannot be trusted.
    Unrelated,
}

/// Character pairs of a folded text, for comparing wordings.
fn bigrams(s: &str) -> HashSet<(char, char)> {
    let v: Vec<char> = s.chars().collect();
    v.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Whether `written` is an edited wording of `stored` (folded, remarks in brackets removed):
/// one contains the other, or half the character pairs of the shorter one are in the other.
fn similar_text(written: &str, stored: &str) -> bool {
    let strip = |s: &str| -> String {
        let mut out = String::new();
        let mut depth = 0i32;
        for c in crate::text::to_half_width(s).chars() {
            match c {
                '(' | '【' | '[' => depth += 1,
                ')' | '】' | ']' => depth -= 1,
                _ if depth <= 0 => out.push(c),
                _ => {}
            }
        }
        norm_text(&out)
    };
    let (a, b) = (strip(written), strip(stored));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a.contains(&b) || b.contains(&a) {
        return true;
    }
    let (x, y) = (bigrams(&a), bigrams(&b));
    let small = x.len().min(y.len());
    small > 0 && x.intersection(&y).count() * 2 >= small
}

/// One data row of the sheet, before its units are resolved.
struct Candidate {
    r: usize,
    written_no: i64,
    no: i64,
    check: TextCheck,
}

/// Read and resolve a 任务分解表 against the active campaign.
fn plan(
    ws: &Workspace,
    path: &Path,
    opts: &TasksImportOptions,
) -> Result<Plan<TasksImportPreview, TasksWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    // The sheet with the best header holding an indicator number and a 牵头单位, among the
    // visible sheets (a hidden sheet is an old version kept aside) and their visible columns.
    // A table with only a 责任单位 column ("区司法局（牵头）、区财政局", or the lead listed
    // first) is a 任务分解表 too.
    let header = |g: &Grid| {
        find_visible_header(g, TASK_COLUMNS, &["lead"])
            .or_else(|| find_visible_header(g, TASK_COLUMNS, &["support"]))
            .filter(|h| h.col("no").is_some() || h.col("seq").is_some())
    };
    let found: Vec<Option<Found>> = grids.iter().map(header).collect();
    let any_visible = grids
        .iter()
        .zip(&found)
        .any(|(g, h)| !g.hidden && h.is_some());
    let mut best: Option<(usize, Found)> = None;
    for (i, (g, h)) in grids.iter().zip(&found).enumerate() {
        let Some(h) = h else {
            continue;
        };
        if g.hidden && any_visible {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|(_, b)| h.cols.len() > b.cols.len())
        {
            best = Some((i, h.clone()));
        }
    }
    let Some((gi, h)) = best else {
        return Err(Error::BadFile(format!(
            "无法导入“{file}”：没有找到任务分解表的表头（需要“三级指标序号”或“序号”列，以及“牵头单位”或“责任单位”列）。请确认选择的是任务分解表。"
        )));
    };
    for (i, (g, f)) in grids.iter().zip(&found).enumerate() {
        if i != gi && g.hidden && f.is_some() {
            issues.at(
                Severity::Warning,
                g,
                None,
                None,
                &format!(
                    "这是隐藏的工作表，未读取（已读取可见的工作表“{}”）。",
                    grids[gi].name
                ),
            );
        }
    }
    let g = &grids[gi];
    if g.hidden {
        issues.at(
            Severity::Warning,
            g,
            None,
            None,
            "这是隐藏的工作表；文件中没有可见的任务分解表，已读取其内容，请确认。",
        );
    }
    let ignored = unread_columns(g, &h);
    note_unread_columns(&mut issues, g, &h, &ignored);
    let current = load(conn, c.id, c.system_id)?;
    let by_no: HashMap<i64, &Assignment> = current.iter().map(|a| (a.no, a)).collect();
    // Indicator texts that name one indicator only, built when a row's text first differs
    // from its number's indicator (most sheets never need it).
    let mut by_text: Option<HashMap<String, Option<i64>>> = None;
    let mut text_owner = |folded: &str| -> Option<i64> {
        by_text
            .get_or_insert_with(|| {
                let mut m: HashMap<String, Option<i64>> = HashMap::new();
                for a in &current {
                    m.entry(norm_text(&a.text))
                        .and_modify(|v| *v = None)
                        .or_insert(Some(a.no));
                }
                m
            })
            .get(folded)
            .copied()
            .flatten()
    };
    let dir = Directory::load(conn, c.id, &c.district)?;
    let (mut choices, problems) = Choices::new(&opts.name_choices, &dir);
    for p in problems {
        issues.file(Severity::Error, &p);
    }
    let no_col = h.col("no").or(h.col("seq")).unwrap_or(0);
    // Without a 牵头单位 column the leads are in the 责任单位 cells.
    let lead_col = h.col("lead").or(h.col("support")).unwrap_or(0);
    let no_lead_column = h.col("lead").is_none();
    // Rows whose lead is taken as the unit listed first (no 牵头单位 column, no "（牵头）").
    let mut first_as_lead: Vec<usize> = Vec::new();
    let text_col = h.col("text");
    let get = |r: usize, k: &str| {
        h.col(k)
            .map(|c| g.text(r, c).to_string())
            .unwrap_or_default()
    };
    let uncalculated: HashSet<(usize, usize)> = g.uncalculated.iter().copied().collect();
    let formula_rows: Vec<usize> = (h.row + 1..g.rows.len())
        .filter(|r| uncalculated.contains(&(*r, no_col)) && g.text(*r, no_col).is_empty())
        .collect();

    // Pass 1: which indicator each row is.
    let mut candidates: Vec<Candidate> = Vec::new();
    for r in h.row + 1..g.rows.len() {
        if g.row_is_blank(r) {
            continue;
        }
        let no_raw = g.text(r, no_col).to_string();
        let text = get(r, "text");
        if no_raw.is_empty() {
            if formula_rows.first() == Some(&r) {
                let last = formula_rows.last().copied().unwrap_or(r);
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!(
                        "缺少三级指标序号：序号列是公式，但文件中没有保存公式的计算结果（共 {} 行，第{}行至第{}行），无法对应到指标。请在 Excel 或 WPS 中打开该文件并保存（让公式算出序号），再重新导入。",
                        formula_rows.len(),
                        r + 1,
                        last + 1
                    ),
                );
                continue;
            }
            if formula_rows.contains(&r) || is_note_row(g, r) {
                continue;
            }
            if get(r, "lead").is_empty() && get(r, "support").is_empty() {
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
        if parse_number_label(&no_raw).is_none() && heading_row(g, r).is_some() {
            continue; // "一、政府职能依法全面履行" merged across the table
        }
        // A 序号 that is no number ("1.1.1", a hierarchical code the office's own list
        // uses): the row is the indicator whose text it carries, said at the cell.
        let by_text = || {
            if !is_hierarchical_code(&no_raw) {
                return None;
            }
            let m = text_owner(&norm_text(&text))?;
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &format!(
                    "序号“{}”不是指标体系中的序号，按指标内容对应到指标 {m}。请确认。",
                    short(&no_raw)
                ),
            );
            Some(m)
        };
        let Some(written_no) = parse_number_label(&no_raw).or_else(by_text) else {
            if is_hierarchical_code(&no_raw)
                && get(r, "lead").is_empty()
                && get(r, "support").is_empty()
            {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!(
                        "序号“{}”是分级编号，这一行也没有填写单位，已作为标题行跳过。",
                        short(&no_raw)
                    ),
                );
                continue;
            }
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("指标序号“{}”无法识别为数字。", short(&no_raw)),
            );
            continue;
        };
        let folded = norm_text(&text);
        let check = match by_no.get(&written_no) {
            _ if text.is_empty() => TextCheck::Same,
            Some(a) if norm_text(&a.text) == folded => TextCheck::Same,
            stored => match text_owner(&folded) {
                Some(m) if m != written_no => TextCheck::Other(m),
                _ => match stored {
                    Some(a) if similar_text(&text, &a.text) => TextCheck::Edited,
                    Some(_) => TextCheck::Unrelated,
                    None => TextCheck::Same,
                },
            },
        };
        let no = match check {
            TextCheck::Other(m) => m,
            _ => written_no,
        };
        if !by_no.contains_key(&no) {
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
        }
        candidates.push(Candidate {
            r,
            written_no,
            no,
            check,
        });
    }
    // A hidden row is an old version kept aside when its indicator is also on a visible row.
    let visible: HashSet<i64> = candidates
        .iter()
        .filter(|x| !g.hidden_rows.contains(&x.r))
        .map(|x| x.no)
        .collect();

    // Pass 2: the rows as stored.
    let mut ledger = NameLedger::new();
    let mut matched_by_text: Vec<TextMatch> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for Candidate {
        r,
        written_no,
        no,
        check,
    } in candidates
    {
        let Some(a) = by_no.get(&no).copied() else {
            continue;
        };
        if g.hidden_rows.contains(&r) {
            if visible.contains(&no) {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    &format!(
                        "这是隐藏行（指标 {no} 的另一行），已跳过，未导入；以可见的那一行为准。"
                    ),
                );
                continue;
            }
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                None,
                &format!("这是隐藏行；指标 {no} 只出现在这一行，已按有效数据导入，请确认（如已作废，请删除该行后再导入）。"),
            );
        }
        // One indicator over several rows under its merged 序号 (a task and its units a row).
        let continues = g.cell(r, no_col).is_some_and(|c| c.merged_copy)
            && seen.get(&no).is_some_and(|p| *p + 1 == r);
        if continues {
            seen.insert(no, r);
        } else if let Some(prev) = seen.insert(no, r) {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("指标 {no} 与第{}行重复。", prev + 1),
            );
            continue;
        }
        let text = get(r, "text");
        match check {
            TextCheck::Same => {}
            TextCheck::Edited => issues.at(
                Severity::Warning,
                g,
                Some(r),
                text_col,
                &format!(
                    "指标 {no} 的内容与指标体系不一致：表中为“{}”，体系中为“{}”。请核对序号。",
                    short(&text),
                    short(&a.text)
                ),
            ),
            TextCheck::Other(_) => {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!(
                        "序号写作 {written_no}，但指标内容是指标 {no} 的原文，已按内容对应到指标 {no}（可能删除过行后重新编号）。请确认。"
                    ),
                );
                matched_by_text.push(TextMatch {
                    sheet: g.name.clone(),
                    row: r as u32 + 1,
                    written_no,
                    no,
                    place: g.place(r, Some(no_col)),
                });
            }
            TextCheck::Unrelated => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    text_col.or(Some(no_col)),
                    &format!(
                        "序号 {written_no} 与指标内容不一致：表中内容为“{}”，指标 {no} 为“{}”，也不是其他任何一项指标的原文，无法判断这一行属于哪项指标。请核对序号和指标内容后再导入。",
                        short(&text),
                        short(&a.text)
                    ),
                );
                continue;
            }
        }
        // "区司法局（牵头）" among the 责任单位 is a 牵头单位.
        let (marked, rest) = lead_marked(&get(r, "support"));
        // Without a 牵头单位 column or a mark, the unit listed first leads ("排在首位的为牵头
        // 单位", as 公文 say). The cell is split as its units are resolved, so that
        // "区审计局 区财政局" gives one lead, not two.
        let listed_first = if no_lead_column && !continues && marked.is_empty() {
            let mut pieces = dir
                .split_cell(&rest, |p| dir.knows(p) || choices.accepts(p))
                .into_iter();
            pieces
                .next()
                .map(|first| (first, pieces.collect::<Vec<_>>().join("、")))
        } else {
            None
        };
        let mut resolve_cell = |raw: &str,
                                col: usize,
                                is_lead: bool,
                                issues: &mut Issues|
         -> Vec<i64> {
            let mut ids = Vec::new();
            let pieces = dir.split_cell(raw, |p| dir.knows(p) || choices.accepts(p));
            for name in pieces {
                let at = place(g, r, col);
                let decided = choices.decide(&dir, &name, || at.clone());
                let create = opts.create_units || decided == Decided::Create;
                let m = match decided.next(&name, g, r, col, issues) {
                    Next::Match(m) => m,
                    Next::Unit(id) => {
                        ids.push(id);
                        continue;
                    }
                    Next::Stop => continue,
                };
                match ledger.take(&dir, m, &name, opts.strict, g, r, col, issues) {
                    Taken::Units(list) => ids.extend(list),
                    Taken::CatchAll(list, meaning) => {
                        if is_lead && !list.is_empty() {
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
                    Taken::Unknown => {
                        let chosen = choices.accepts(&name);
                        let (id, _) = ledger.unknown(&name, (!chosen).then_some(at));
                        if !create {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(col),
                                &format!("单位“{name}”不在单位名单中。请先添加该单位，或在预览中把它对应到某个单位、新建为单位，或选择“自动新建未知单位”后再导入。"),
                            );
                        }
                        ids.push(id);
                    }
                }
            }
            ids
        };
        let lead_raw = get(r, "lead");
        let mut leads = resolve_cell(&lead_raw, lead_col, true, &mut issues);
        // A column the file does not have keeps what is stored.
        let mut supports = match h.col("support") {
            Some(sc) => {
                if !marked.is_empty() {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(sc),
                        &format!(
                            "责任单位中标明“牵头”的{}已作为牵头单位。",
                            marked.join("、")
                        ),
                    );
                    leads.extend(resolve_cell(&marked.join("、"), sc, true, &mut issues));
                    resolve_cell(&rest, sc, false, &mut issues)
                } else if let Some((first, others)) = &listed_first {
                    first_as_lead.push(r);
                    leads.extend(resolve_cell(first, sc, true, &mut issues));
                    resolve_cell(others, sc, false, &mut issues)
                } else {
                    resolve_cell(&rest, sc, false, &mut issues)
                }
            }
            None => a.supports.iter().map(|u| u.id).collect(),
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
                &if no_lead_column {
                    format!("指标 {no} 没有填写责任单位。")
                } else {
                    format!("指标 {no} 没有填写牵头单位。")
                },
            );
        }
        let keep = |k: &str, stored: &str| -> String {
            if h.col(k).is_some() {
                get(r, k)
            } else {
                stored.to_string()
            }
        };
        let (deadline_text, deadline_date) = match h.col("deadline") {
            Some(dc) => {
                let t = get(r, "deadline");
                let serial = g.cell(r, dc).and_then(|c| c.number);
                let d = date_text(parse_deadline(&t, serial));
                (t, d)
            }
            None => (a.deadline_text.clone(), a.deadline_date.clone()),
        };
        if continues && let Some(first) = rows.iter_mut().find(|x| x.no == no) {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &format!(
                    "指标 {no} 分多行填写（序号单元格合并），本行的单位和创建任务已并入同一项指标。"
                ),
            );
            for id in leads_dedup {
                if !first.leads.contains(&id) {
                    first.leads.push(id);
                }
            }
            for id in sup_dedup {
                if !first.supports.contains(&id) && !first.leads.contains(&id) {
                    first.supports.push(id);
                }
            }
            let lead_ids = first.leads.clone();
            first.supports.retain(|id| !lead_ids.contains(id));
            let task = keep("task", "");
            if !task.is_empty() && !first.task.lines().any(|l| l == task) {
                if !first.task.is_empty() {
                    first.task.push('\n');
                }
                first.task.push_str(&task);
            }
            if h.col("deadline").is_some()
                && !deadline_text.is_empty()
                && deadline_text != first.deadline_text
            {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    h.col("deadline"),
                    &format!(
                        "指标 {no} 各行的完成时限不同（本行为“{}”），按第一行的“{}”记录。",
                        short(&deadline_text),
                        short(&first.deadline_text)
                    ),
                );
            }
            if h.col("evidence").is_some() {
                for e in split_evidence(&get(r, "evidence")) {
                    if !first.evidence.contains(&e) {
                        first.evidence.push(e);
                    }
                }
            }
            continue;
        }
        rows.push(Row {
            indicator_id: a.indicator_id,
            no,
            text: a.text.clone(),
            task: keep("task", &a.task),
            leader: keep("leader", &a.leader),
            deadline_text,
            deadline_date,
            evidence: match h.col("evidence") {
                Some(_) => split_evidence(&get(r, "evidence")),
                None => a.evidence.clone(),
            },
            note: keep("note", &a.note),
            leads: leads_dedup,
            supports: sup_dedup,
        });
    }
    if !first_as_lead.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            None,
            Some(lead_col),
            &format!(
                "表中没有“牵头单位”列，{}的责任单位也没有标明“（牵头）”：已按“排在首位的为牵头单位”，将每行列在第一位的单位作为牵头单位，其余为责任单位（共 {} 行）。如不是这样，请在表中加“牵头单位”列或在牵头单位后注明“（牵头）”，再重新导入。",
                row_list(&first_as_lead),
                first_as_lead.len()
            ),
        );
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
    for w in choices.unused() {
        issues.file(
            Severity::Warning,
            &format!("对“{w}”所作的选择未用到：表中没有需要确认的这个名称。"),
        );
    }
    // Issues in the order of the sheet (file-level ones first).
    issues.list.sort_by_key(|i| i.row.unwrap_or(0));
    // Diff against what is stored.
    let planned: HashMap<i64, String> = ledger
        .unknown
        .values()
        .map(|(id, u)| (*id, u.name.clone()))
        .collect();
    let names = |ids: &[i64]| -> String {
        ids.iter()
            .map(|i| planned.get(i).cloned().unwrap_or_else(|| dir.name_of(*i)))
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
    let new_units: Vec<NewUnit> = ledger
        .unknown
        .values()
        .map(|(id, u)| NewUnit {
            provisional_id: *id,
            name: u.name.clone(),
            kind: u.kind.clone(),
        })
        .collect();
    let not_in_file = current.len() as i64 - rows.len() as i64;
    let can_apply = !issues.has_errors();
    let chosen = choices.used(&dir);
    let names = ledger.into_names();
    let preview = TasksImportPreview {
        file_name: file,
        sheet: g.name.clone(),
        number_column: g.place(h.row, Some(no_col)),
        rows: rows.len() as i64,
        created,
        updated,
        unchanged,
        changes,
        guesses: names.guesses,
        unknown_units: names.unknown_units,
        catch_alls: names.catch_alls,
        chosen,
        matched_by_text,
        ignored_columns: ignored,
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
            aliases: choices.aliases(),
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
        plan(ws, &self.path, &self.options)
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
                    leader: String::new(),
                    note: "导入任务分解表时新建".into(),
                },
            )?;
            map.insert(u.provisional_id, id);
        }
        let real = |v: &[i64]| -> Vec<i64> { v.iter().map(|i| *map.get(i).unwrap_or(i)).collect() };
        for (id, alias) in &work.aliases {
            units::add_alias(tx, *map.get(id).unwrap_or(id), alias)?;
        }
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
