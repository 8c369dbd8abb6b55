//! The 单位名单 workbook: one sheet of units, one of the 明白人 roster. Described once
//! (`UNIT_COLUMNS`, `ROSTER_COLUMNS`), read by the [`UnitsImport`] importer and written by
//! `export_units`.
//!
//! A list changes only what it carries: a column the file does not have keeps what is stored
//! (no 单位类别 column never resets kinds), a unit written by its 简称 updates the unit it
//! names (shown as a guess), group headings ("一、区直部门") and 合计 rows are not units, hidden
//! rows and sheets are not live data, and every column the import does not read is named.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::names::{
    Choices, ChosenName, Decided, Directory, NameChoice, NameMatch, UnitGuess, UnknownUnit, norm,
    split_names,
};
use super::{
    KINDS, MAX_NAME_CHARS, MAX_ROSTER_ROWS, MAX_UNITS, RosterInput, RosterMember, UnitInfo,
    UnitInput, add_alias, insert, kind_from_name, list, parse_kind, roster, set_roster, update,
};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{IgnoredColumn, ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{
    Column, Found, Issues, find_visible_header, heading_row, is_note_row, is_total_row,
    note_unread_columns, short, unread_columns,
};
use crate::sheet::write::{Book, Style};
use crate::sheet::{Grid, display_name, read_tables};
use crate::workspace::Workspace;

/// What importing a 单位名单 would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitsImportPreview {
    pub file_name: String,
    /// Names of units that would be created.
    pub created: Vec<String>,
    /// Units that would change, each with its changes in Chinese ("类别：其他 → 行政执法单位").
    pub updated: Vec<UnitChange>,
    #[ts(type = "number")]
    pub unchanged: i64,
    /// Units whose roster the file replaces, and the number of people in it.
    #[ts(type = "number")]
    pub roster_units: i64,
    #[ts(type = "number")]
    pub roster_members: i64,
    /// Names written otherwise than stored (a 简称 in the unit list or the roster), taken as the
    /// unit shown: the user confirms or chooses otherwise.
    pub guesses: Vec<UnitGuess>,
    /// Roster units that match no unit.
    pub unknown_units: Vec<UnknownUnit>,
    /// The user's choices for names, as applied.
    pub chosen: Vec<ChosenName>,
    /// Columns the import does not read (and hidden ones), with their places.
    pub ignored_columns: Vec<IgnoredColumn>,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitChange {
    pub name: String,
    pub changes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The 单位名单 workbook: one sheet of units, one of the roster. Described once, read and written.

pub const UNIT_COLUMNS: &[Column] = &[
    Column::new("no", "序号", &["编号", "序"], 6.0),
    Column::new(
        "name",
        "单位名称",
        &["单位", "单位全称", "部门", "部门名称", "名称"],
        30.0,
    ),
    Column::new("short", "简称", &["单位简称"], 14.0),
    Column::new("aliases", "别名", &["其他名称", "曾用名", "又称"], 24.0),
    Column::new(
        "kind",
        "单位类别",
        &["类别", "单位类型", "类型", "性质", "单位性质"],
        16.0,
    ),
    Column::new(
        "contact",
        "联系人",
        &["单位联系人", "联络员", "联络人", "单位联络员"],
        10.0,
    ),
    Column::new("phone", "联系电话", &["电话", "联系方式"], 16.0),
    Column::new(
        "leader",
        "分管领导",
        &["分管负责人", "分管领导姓名", "分管单位领导"],
        10.0,
    ),
    Column::new("note", "备注", &["说明"], 20.0),
];

pub const ROSTER_COLUMNS: &[Column] = &[
    Column::new("no", "序号", &["编号", "序"], 6.0),
    Column::new(
        "unit",
        "单位",
        &["单位名称", "部门", "所在单位", "部门名称"],
        28.0,
    ),
    Column::new(
        "role",
        "角色",
        &["身份", "人员类别", "负责人/联络人", "类别"],
        10.0,
    ),
    Column::new("person", "姓名", &["名字", "人员"], 10.0),
    Column::new("title", "职务", &["职务职称", "职位"], 18.0),
    Column::new(
        "office",
        "办公电话",
        &["座机", "固定电话", "办公室电话"],
        16.0,
    ),
    Column::new(
        "mobile",
        "手机",
        &["手机号", "手机号码", "移动电话", "联系电话"],
        16.0,
    ),
    Column::new("note", "备注", &["说明"], 16.0),
];

/// Where a row's kind comes from.
#[derive(Debug, Clone, PartialEq)]
enum KindFrom {
    /// The 单位类别 cell.
    Cell(&'static str),
    /// The group heading above the row ("二、乡镇街道"), the cell being blank.
    Heading(&'static str, String),
    /// The cell holds something unrecognisable.
    Unreadable(String),
    /// A blank cell.
    Blank,
    /// The list has no 单位类别 column.
    NoColumn,
}

#[derive(Debug, Clone)]
struct UnitRow {
    input: UnitInput,
    kind: KindFrom,
    grid: usize,
    row: usize,
    name_col: usize,
    kind_col: Option<usize>,
    has_short: bool,
    has_aliases: bool,
    has_contact: bool,
    has_phone: bool,
    has_leader: bool,
    has_note: bool,
}

#[derive(Debug, Clone)]
struct RosterRow {
    unit: String,
    grid: usize,
    row: usize,
    unit_col: usize,
    person_col: usize,
    member: RosterInput,
}

/// A parsed 单位名单.
pub struct UnitsPlan {
    file: String,
    units: Vec<UnitRow>,
    roster: Vec<RosterRow>,
    grids: Vec<Grid>,
    ignored: Vec<IgnoredColumn>,
    issues: Issues,
}

/// The layout a grid holds, found among its visible columns.
enum Layout {
    Roster(Found),
    Units(Found),
}

fn layout_of(g: &Grid) -> Option<Layout> {
    if let Some(h) = find_visible_header(g, ROSTER_COLUMNS, &["unit", "person"]) {
        return Some(Layout::Roster(h));
    }
    find_visible_header(g, UNIT_COLUMNS, &["name"])
        .filter(|h| h.cols.len() >= 2)
        .map(Layout::Units)
}

/// The message for an empty cell that holds a formula never calculated.
pub(crate) fn uncalculated_hint() -> &'static str {
    "该单元格是公式，但文件中没有保存公式的计算结果（文件可能由不计算公式的程序生成），无法读取。请在 Excel 或 WPS 中打开该文件并保存，再重新导入。"
}

fn parse_units(path: &Path) -> Result<UnitsPlan> {
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    let mut units: Vec<UnitRow> = Vec::new();
    let mut roster: Vec<RosterRow> = Vec::new();
    let mut ignored = Vec::new();
    let layouts: Vec<Option<Layout>> = grids.iter().map(layout_of).collect();
    let visible = |roster: bool| {
        grids.iter().zip(&layouts).any(|(g, l)| {
            !g.hidden
                && match l {
                    Some(Layout::Roster(_)) => roster,
                    Some(Layout::Units(_)) => !roster,
                    None => false,
                }
        })
    };
    let (visible_roster, visible_units) = (visible(true), visible(false));
    // Names across every sheet: the database allows one unit per name in a campaign, so a name
    // listed twice (even on two sheets) is one unit or an error, never two creations.
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut any = false;
    for (gi, (g, layout)) in grids.iter().zip(&layouts).enumerate() {
        let Some(layout) = layout else {
            continue;
        };
        let is_roster = matches!(layout, Layout::Roster(_));
        // Two sheets of one name cannot be told apart (a damaged workbook.xml reads every
        // sheet as the first): read the first only, and refuse.
        if grids[..gi].iter().any(|o| o.name == g.name) {
            issues.at(
                Severity::Error,
                g,
                None,
                None,
                "工作簿中有两个同名的工作表，无法分清各是哪一个（文件可能已损坏），只读了第一个。请在 Excel 或 WPS 中打开该文件、另存为 .xlsx 后再导入。",
            );
            continue;
        }
        if g.hidden {
            if (is_roster && visible_roster) || (!is_roster && visible_units) {
                issues.at(
                    Severity::Warning,
                    g,
                    None,
                    None,
                    "这是隐藏的工作表，未读取（文件中另有可见的同类工作表）。",
                );
                continue;
            }
            issues.at(
                Severity::Warning,
                g,
                None,
                None,
                "这是隐藏的工作表；文件中没有可见的同类工作表，已读取其内容，请确认。",
            );
        }
        any = true;
        let h = match layout {
            Layout::Roster(h) | Layout::Units(h) => h,
        };
        let unread = unread_columns(g, h);
        note_unread_columns(&mut issues, g, h, &unread);
        ignored.extend(unread);
        let skip_hidden = |issues: &mut Issues, r: usize, what: &str| -> bool {
            if g.hidden_rows.contains(&r) {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    &format!("这是隐藏行（{what}），未导入；隐藏的内容不作为有效数据，如需导入请先取消隐藏。"),
                );
                return true;
            }
            false
        };
        if let Layout::Roster(h) = layout {
            let uc = h.col("unit").unwrap_or(0);
            let pc = h.col("person").unwrap_or(0);
            let get = |r: usize, k: &str| {
                h.col(k)
                    .map(|c| g.text(r, c).to_string())
                    .unwrap_or_default()
            };
            for r in h.row + 1..g.rows.len() {
                if g.row_is_blank(r) {
                    continue;
                }
                let unit = g.text(r, uc).replace('\n', "");
                let person = g.text(r, pc).to_string();
                if skip_hidden(
                    &mut issues,
                    r,
                    &format!("明白人“{}”", if person.is_empty() { "？" } else { &person }),
                ) {
                    continue;
                }
                if person.is_empty() {
                    if !unit.is_empty() && !get(r, "mobile").is_empty() {
                        issues.at(Severity::Error, g, Some(r), Some(pc), "姓名为空。");
                    }
                    continue;
                }
                if unit.is_empty() {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        Some(uc),
                        &format!("“{person}”没有填写所在单位。"),
                    );
                    continue;
                }
                if roster.len() == MAX_ROSTER_ROWS {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        None,
                        &format!("明白人名单超过 {MAX_ROSTER_ROWS} 人（从本行起），超出上限，请确认是否选错文件。"),
                    );
                    break;
                }
                roster.push(RosterRow {
                    unit,
                    grid: gi,
                    row: r,
                    unit_col: uc,
                    person_col: pc,
                    member: RosterInput {
                        name: person,
                        title: get(r, "title"),
                        office_phone: get(r, "office"),
                        mobile: get(r, "mobile"),
                        role: get(r, "role"),
                    },
                });
            }
            continue;
        }
        let nc = h.col("name").unwrap_or(0);
        let kind_col = h.col("kind");
        let get = |r: usize, k: &str| {
            h.col(k)
                .map(|c| g.text(r, c).to_string())
                .unwrap_or_default()
        };
        let uncalculated: HashSet<(usize, usize)> = g.uncalculated.iter().copied().collect();
        // The kind a group heading gives the units under it ("二、乡镇街道").
        let mut group: Option<(&'static str, String)> = None;
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let name = g.text(r, nc).replace('\n', "");
            if skip_hidden(
                &mut issues,
                r,
                &format!("单位“{}”", if name.is_empty() { "？" } else { &name }),
            ) {
                continue;
            }
            if is_note_row(g, r) {
                continue;
            }
            if is_total_row(g, r) {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    "这是合计行，不是单位，已跳过。",
                );
                continue;
            }
            if let Some(text) = heading_row(g, r) {
                group = parse_kind(&text).map(|k| (k, text.clone()));
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    &format!(
                        "“{}”是分组标题行，不是单位，已跳过{}。",
                        short(&text),
                        match &group {
                            Some((k, _)) => format!("；其下未填写类别的单位按“{k}”处理"),
                            None => String::new(),
                        }
                    ),
                );
                continue;
            }
            if name.is_empty() {
                let what = if uncalculated.contains(&(r, nc)) {
                    format!("单位名称为空：{}", uncalculated_hint())
                } else {
                    "单位名称为空。".to_string()
                };
                issues.at(Severity::Error, g, Some(r), Some(nc), &what);
                continue;
            }
            if units.len() == MAX_UNITS {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    None,
                    &format!("单位名单超过 {MAX_UNITS} 个单位（从本行起），超出上限，请确认是否选错文件。"),
                );
                break;
            }
            let len = name.chars().count();
            if len > MAX_NAME_CHARS {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(nc),
                    &format!(
                        "单位名称“{}”过长（{len} 个字，不超过 {MAX_NAME_CHARS} 个字），请确认是否填错列。",
                        short(&name)
                    ),
                );
                continue;
            }
            if let Some((pg, prev)) = seen.get(&norm(&name)).copied() {
                let at = if pg == gi {
                    format!("第{}行", prev + 1)
                } else {
                    grids[pg].place(prev, None)
                };
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(nc),
                    &format!("单位“{name}”与{at}重复，同一单位只能列一次，请删除重复行。"),
                );
                continue;
            }
            seen.insert(norm(&name), (gi, r));
            let kind_raw = get(r, "kind");
            let kind = match (parse_kind(&kind_raw), kind_col, &group) {
                (Some(k), ..) => KindFrom::Cell(k),
                (None, None, _) => KindFrom::NoColumn,
                (None, Some(_), Some((k, heading))) if kind_raw.is_empty() => {
                    KindFrom::Heading(k, heading.clone())
                }
                (None, Some(_), _) if kind_raw.is_empty() => KindFrom::Blank,
                (None, Some(_), _) => KindFrom::Unreadable(kind_raw.clone()),
            };
            let aliases = split_names(&get(r, "aliases"));
            units.push(UnitRow {
                input: UnitInput {
                    id: None,
                    name,
                    short_name: get(r, "short"),
                    aliases,
                    kind: String::new(),
                    contact: get(r, "contact"),
                    phone: get(r, "phone"),
                    leader: get(r, "leader"),
                    note: get(r, "note"),
                },
                kind,
                grid: gi,
                row: r,
                name_col: nc,
                kind_col,
                has_short: h.col("short").is_some(),
                has_aliases: h.col("aliases").is_some(),
                has_contact: h.col("contact").is_some(),
                has_phone: h.col("phone").is_some(),
                has_leader: h.col("leader").is_some(),
                has_note: h.col("note").is_some(),
            });
        }
    }
    if !any {
        return Err(Error::BadFile(format!(
            "无法导入“{file}”：没有找到单位名单（需要有“单位名称”列的表头），也没有明白人名单（需要“单位”“姓名”列）。"
        )));
    }
    if units.is_empty() && roster.is_empty() && !issues.has_errors() {
        issues.file(
            Severity::Error,
            "表中只有表头，没有任何单位或明白人，请确认选择的文件是否正确。",
        );
    }
    Ok(UnitsPlan {
        file,
        units,
        roster,
        grids,
        ignored,
        issues,
    })
}

/// Which unit a row of the list is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Existing(i64),
    /// A creation, under its provisional (negative) id.
    New(i64),
}

/// What a parsed 单位名单 resolves to against the stored units.
struct Resolved {
    preview: UnitsImportPreview,
    units: Vec<(Target, UnitInput)>,
    /// Unit id (negative: a planned creation) → members.
    roster: BTreeMap<i64, Vec<RosterInput>>,
    /// (unit id, name) the user mapped: saved as 别名.
    aliases: Vec<(i64, String)>,
}

/// Note a guess in the preview's list.
fn note_guess(guesses: &mut Vec<UnitGuess>, written: &str, unit: &str, why: &str, place: String) {
    match guesses
        .iter_mut()
        .find(|x| norm(&x.written) == norm(written))
    {
        Some(x) => x.places.push(place),
        None => guesses.push(UnitGuess {
            written: written.to_string(),
            unit_name: unit.to_string(),
            reason: why.to_string(),
            places: vec![place],
        }),
    }
}

fn resolve_units(conn: &Connection, plan: UnitsPlan, choices: &[NameChoice]) -> Result<Resolved> {
    let c = campaign::active(conn)?;
    let existing = list(conn, c.id)?;
    let by_id: HashMap<i64, &UnitInfo> = existing.iter().map(|e| (e.id, e)).collect();
    let mut dir = Directory::load(conn, c.id, &c.district)?;
    let (mut choices, problems) = Choices::new(choices, &dir);
    let mut issues = plan.issues;
    for p in problems {
        issues.file(Severity::Error, &p);
    }
    let grids = &plan.grids;
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0;
    let mut guesses: Vec<UnitGuess> = Vec::new();
    let mut units: Vec<(Target, UnitInput)> = Vec::new();
    let mut touched: HashMap<i64, (usize, usize)> = HashMap::new();
    let mut next_new = -1i64;
    for row in plan.units {
        let g = &grids[row.grid];
        let place = || g.place(row.row, Some(row.name_col));
        let written = row.input.name.clone();
        let err = |issues: &mut Issues, what: &str| {
            issues.at(Severity::Error, g, Some(row.row), Some(row.name_col), what);
        };
        // Which stored unit the row is, if any.
        let target: Option<i64> = match dir.exact(&written) {
            Some(id) if id < 0 => {
                err(
                    &mut issues,
                    &format!(
                        "单位“{written}”已是本表中单位“{}”的简称或别名，同一单位只能列一次。",
                        dir.name_of(id)
                    ),
                );
                continue;
            }
            Some(id) => Some(id),
            // Stored units only: a row of the list may be a stored unit written by its 简称,
            // never another row of the same list.
            None => match choices.decide_match(&dir, &written, dir.resolve_stored(&written), place)
            {
                Decided::Mapped(id) => Some(id),
                Decided::Create => None,
                Decided::Refused => {
                    err(
                        &mut issues,
                        &format!(
                            "已选择不接受“{written}”：请修改文件中的写法，或改为对应到某个单位、新建为单位。"
                        ),
                    );
                    continue;
                }
                Decided::Conflict(why) => {
                    err(&mut issues, &why);
                    continue;
                }
                Decided::Resolved(NameMatch::Guess(id, why)) => {
                    let unit = dir.name_of(id);
                    note_guess(&mut guesses, &written, &unit, &why, place());
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(row.row),
                        Some(row.name_col),
                        &format!("单位“{written}”按已有单位“{unit}”处理（{why}），请确认；如是另一个单位，请在预览中选择“新建单位”。"),
                    );
                    Some(id)
                }
                Decided::Resolved(_) => None,
            },
        };
        if let Some(id) = target
            && let Some((pg, prev)) = touched.insert(id, (row.grid, row.row))
        {
            let at = if pg == row.grid {
                format!("第{}行", prev + 1)
            } else {
                grids[pg].place(prev, None)
            };
            err(
                &mut issues,
                &format!(
                    "“{written}”与{at}指同一单位“{}”，同一单位只能列一次。",
                    dir.name_of(id)
                ),
            );
            continue;
        }
        let mut u = row.input.clone();
        // A 简称 or 别名 that already leads to another unit would make one written name lead
        // to two units.
        let mine = target.unwrap_or(0);
        let others: Vec<String> = std::iter::once(u.short_name.clone())
            .filter(|_| row.has_short)
            .chain(u.aliases.clone().into_iter().filter(|_| row.has_aliases))
            .filter(|x| !x.trim().is_empty())
            .collect();
        if let Some((x, id)) = others
            .iter()
            .find_map(|x| dir.exact(x).filter(|id| *id != mine).map(|id| (x, id)))
        {
            err(
                &mut issues,
                &format!(
                    "“{x}”已是单位“{}”的名称（或简称、别名），不能再作为“{written}”的简称或别名。同一写法只能指一个单位。",
                    dir.name_of(id)
                ),
            );
            continue;
        }
        match target.and_then(|id| by_id.get(&id).copied()) {
            Some(e) => {
                u.name = e.name.clone();
                if !row.has_short {
                    u.short_name = e.short_name.clone();
                }
                if !row.has_aliases {
                    u.aliases = e.aliases.clone();
                }
                if !row.has_contact {
                    u.contact = e.contact.clone();
                }
                if !row.has_phone {
                    u.phone = e.phone.clone();
                }
                if !row.has_leader {
                    u.leader = e.leader.clone();
                }
                if !row.has_note {
                    u.note = e.note.clone();
                }
                u.kind = match &row.kind {
                    KindFrom::Cell(k) => k.to_string(),
                    KindFrom::Heading(k, heading) => {
                        if *k != e.kind {
                            issues.at(
                                Severity::Warning,
                                g,
                                Some(row.row),
                                row.kind_col,
                                &format!(
                                    "未填写单位类别，已按分组标题“{}”定为“{k}”（原为“{}”）。",
                                    short(heading),
                                    e.kind
                                ),
                            );
                        }
                        k.to_string()
                    }
                    KindFrom::Unreadable(raw) => {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(row.row),
                            row.kind_col,
                            &format!(
                                "单位类别“{}”无法识别（应为 {}），保留原类别“{}”。",
                                short(raw),
                                KINDS.join("、"),
                                e.kind
                            ),
                        );
                        e.kind.clone()
                    }
                    KindFrom::Blank | KindFrom::NoColumn => e.kind.clone(),
                };
                let mut changes = Vec::new();
                let mut diff = |what: &str, a: &str, b: &str| {
                    if a != b {
                        changes.push(format!(
                            "{what}：{} → {}",
                            if a.is_empty() { "（空）" } else { a },
                            if b.is_empty() { "（空）" } else { b }
                        ));
                    }
                };
                diff("简称", &e.short_name, &u.short_name);
                diff("别名", &e.aliases.join("、"), &u.aliases.join("、"));
                diff("类别", &e.kind, &u.kind);
                diff("联系人", &e.contact, &u.contact);
                diff("联系电话", &e.phone, &u.phone);
                diff("分管领导", &e.leader, &u.leader);
                diff("备注", &e.note, &u.note);
                if changes.is_empty() {
                    unchanged += 1;
                } else {
                    updated.push(UnitChange {
                        name: e.name.clone(),
                        changes,
                    });
                }
                units.push((Target::Existing(e.id), u));
            }
            None => {
                u.kind = match &row.kind {
                    KindFrom::Cell(k) => k.to_string(),
                    KindFrom::Heading(k, heading) => {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(row.row),
                            row.kind_col,
                            &format!(
                                "未填写单位类别，已按分组标题“{}”定为“{k}”。",
                                short(heading)
                            ),
                        );
                        k.to_string()
                    }
                    other => {
                        let k = kind_from_name(&u.name);
                        let what = match other {
                            KindFrom::Unreadable(raw) => format!(
                                "单位类别“{}”无法识别（应为 {}），已定为“{k}”。",
                                short(raw),
                                KINDS.join("、")
                            ),
                            KindFrom::NoColumn => format!(
                                "表中没有“单位类别”列，新单位“{}”已按名称定为“{k}”，请确认。",
                                u.name
                            ),
                            _ => format!("未填写单位类别，已按名称定为“{k}”。"),
                        };
                        issues.at(Severity::Warning, g, Some(row.row), row.kind_col, &what);
                        k.to_string()
                    }
                };
                created.push(u.name.clone());
                let mut others = u.aliases.clone();
                others.push(u.short_name.clone());
                dir.add_planned_names(next_new, &u.name, &others, &u.kind);
                units.push((Target::New(next_new), u));
                next_new -= 1;
            }
        }
    }
    let mut roster: BTreeMap<i64, Vec<RosterInput>> = BTreeMap::new();
    let mut members = 0;
    let mut unknown: Vec<UnknownUnit> = Vec::new();
    // (unit, person) → (row, mobile) of the first mention: one person listed twice would count
    // twice towards the 明白人 rule.
    let mut people: HashMap<(i64, String), (usize, String)> = HashMap::new();
    let mut first_row: HashMap<i64, (usize, usize, usize)> = HashMap::new();
    for r in plan.roster {
        let g = &grids[r.grid];
        let place = || g.place(r.row, Some(r.unit_col));
        let err = |issues: &mut Issues, what: &str| {
            issues.at(Severity::Error, g, Some(r.row), Some(r.unit_col), what);
        };
        let id = match choices.decide(&dir, &r.unit, place) {
            Decided::Resolved(NameMatch::Exact(id)) | Decided::Mapped(id) => id,
            Decided::Resolved(NameMatch::Guess(id, why)) => {
                let unit = dir.name_of(id);
                note_guess(&mut guesses, &r.unit, &unit, &why, place());
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r.row),
                    Some(r.unit_col),
                    &format!("单位“{}”按“{unit}”处理（{why}），请确认。", r.unit),
                );
                id
            }
            Decided::Create => match dir.exact(&r.unit) {
                Some(id) => id,
                None => {
                    let kind = kind_from_name(&r.unit).to_string();
                    let name = r.unit.trim().to_string();
                    created.push(name.clone());
                    dir.add_planned(next_new, &name, &kind);
                    units.push((
                        Target::New(next_new),
                        UnitInput {
                            id: None,
                            name,
                            short_name: String::new(),
                            aliases: Vec::new(),
                            kind,
                            contact: String::new(),
                            phone: String::new(),
                            leader: String::new(),
                            note: "导入明白人名单时新建".into(),
                        },
                    ));
                    next_new -= 1;
                    next_new + 1
                }
            },
            Decided::Refused => {
                err(
                    &mut issues,
                    &format!(
                        "已选择不接受“{}”：请修改文件中的写法，或改为对应到某个单位。",
                        r.unit
                    ),
                );
                continue;
            }
            Decided::Conflict(why) => {
                err(&mut issues, &why);
                continue;
            }
            Decided::Resolved(_) => {
                match unknown.iter_mut().find(|u| norm(&u.name) == norm(&r.unit)) {
                    Some(u) => u.places.push(place()),
                    None => unknown.push(UnknownUnit {
                        name: r.unit.clone(),
                        kind: kind_from_name(&r.unit).to_string(),
                        places: vec![place()],
                    }),
                }
                err(
                    &mut issues,
                    &format!(
                        "单位“{}”不在单位名单中，请先在“单位名单”中添加该单位，或在预览中把它对应到某个单位。",
                        r.unit
                    ),
                );
                continue;
            }
        };
        let mobile = r.member.mobile.trim().to_string();
        let key = (id, norm(&r.member.name));
        if let Some((prev, m)) = people.get(&key)
            && (m.is_empty() || mobile.is_empty() || *m == mobile)
        {
            issues.at(
                Severity::Error,
                g,
                Some(r.row),
                Some(r.person_col),
                &format!(
                    "“{}”的明白人“{}”与第{}行重复（同一单位、同一人），请删除重复行。",
                    dir.name_of(id),
                    r.member.name,
                    prev + 1
                ),
            );
            continue;
        }
        people.insert(key, (r.row, mobile));
        members += 1;
        first_row.entry(id).or_insert((r.grid, r.row, r.person_col));
        roster.entry(id).or_default().push(r.member);
    }
    // The roster of each unit named is replaced: whoever it drops is said, at the unit's rows.
    let stored = super::roster(conn, c.id, None)?;
    for (id, list) in &roster {
        let before: Vec<&str> = stored
            .iter()
            .filter(|m| m.unit_id == *id)
            .map(|m| m.name.as_str())
            .collect();
        let removed: Vec<&str> = before
            .iter()
            .copied()
            .filter(|b| !list.iter().any(|m| norm(&m.name) == norm(b)))
            .collect();
        if removed.is_empty() {
            continue;
        }
        let added: Vec<&str> = list
            .iter()
            .map(|m| m.name.as_str())
            .filter(|n| !before.iter().any(|b| norm(b) == norm(n)))
            .collect();
        if let Some((gi, row, col)) = first_row.get(id) {
            issues.at(
                Severity::Warning,
                &grids[*gi],
                Some(*row),
                Some(*col),
                &format!(
                    "“{}”的明白人将按表中名单替换为 {} 人：删除 {}{}。如只是补充人员，请把原有人员也列在表中。",
                    dir.name_of(*id),
                    list.len(),
                    removed.join("、"),
                    if added.is_empty() {
                        String::new()
                    } else {
                        format!("，新增 {}", added.join("、"))
                    }
                ),
            );
        }
    }
    for w in choices.unused() {
        issues.file(
            Severity::Warning,
            &format!("对“{w}”所作的选择未用到：表中没有需要确认的这个名称。"),
        );
    }
    let can_apply = !issues.has_errors();
    Ok(Resolved {
        preview: UnitsImportPreview {
            file_name: plan.file,
            created,
            updated,
            unchanged,
            roster_units: roster.len() as i64,
            roster_members: members,
            guesses,
            unknown_units: unknown,
            chosen: choices.used(&dir),
            ignored_columns: plan.ignored,
            issues: issues.list,
            can_apply,
        },
        units,
        roster,
        aliases: choices.aliases(),
    })
}

fn write_units_book(units: &[UnitInfo], members: &[RosterMember], title: &str) -> Result<Book> {
    let mut book = Book::new("单位名单");
    {
        let mut ws = book.sheet("单位名单")?;
        let last = UNIT_COLUMNS.len() as u16 - 1;
        ws.title(0, last, &format!("{title}单位名单"))?;
        let header: Vec<(&str, f64)> = UNIT_COLUMNS.iter().map(|c| (c.header, c.width)).collect();
        ws.header(1, &header)?;
        for (i, u) in units.iter().enumerate() {
            let r = 2 + i as u32;
            ws.number(r, 0, (i + 1) as f64, Style::Center)?;
            let aliases = u.aliases.join("、");
            let vals = [
                &u.name,
                &u.short_name,
                &aliases,
                &u.kind,
                &u.contact,
                &u.phone,
                &u.leader,
                &u.note,
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.text(r, c as u16 + 1, v, Style::Body)?;
            }
        }
        ws.freeze_rows(2)?;
        ws.print_a4(true, 1, 1)?;
    }
    {
        let mut ws = book.sheet("明白人名单")?;
        let last = ROSTER_COLUMNS.len() as u16 - 1;
        ws.title(0, last, &format!("{title}明白人名单"))?;
        let header: Vec<(&str, f64)> = ROSTER_COLUMNS.iter().map(|c| (c.header, c.width)).collect();
        ws.header(1, &header)?;
        for (i, m) in members.iter().enumerate() {
            let r = 2 + i as u32;
            ws.number(r, 0, (i + 1) as f64, Style::Center)?;
            let vals = [
                &m.unit_name,
                &m.role,
                &m.name,
                &m.title,
                &m.office_phone,
                &m.mobile,
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.text(r, c as u16 + 1, v, Style::Body)?;
            }
            ws.blank(r, last, Style::Body)?;
        }
        ws.freeze_rows(2)?;
        ws.print_a4(true, 1, 1)?;
    }
    Ok(book)
}

/// 导入单位名单: create new units, update changed ones, replace the roster of every unit the
/// roster sheet names; names the user mapped in the preview are saved as 别名.
pub struct UnitsImport {
    pub path: PathBuf,
    /// The user's choices for names written otherwise than stored.
    pub choices: Vec<NameChoice>,
}

impl UnitsImport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        UnitsImport {
            path: path.into(),
            choices: Vec::new(),
        }
    }

    /// With the user's choices for names (see [`NameChoice`]).
    pub fn with_choices(path: impl Into<PathBuf>, choices: Vec<NameChoice>) -> Self {
        UnitsImport {
            path: path.into(),
            choices,
        }
    }
}

impl ImportReport for UnitsImportPreview {
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

/// What the write needs beyond the preview.
pub struct UnitsWork {
    campaign_id: i64,
    units: Vec<(Target, UnitInput)>,
    roster: BTreeMap<i64, Vec<RosterInput>>,
    aliases: Vec<(i64, String)>,
}

impl Importer for UnitsImport {
    type Preview = UnitsImportPreview;
    type Work = UnitsWork;
    type Output = UnitsImportPreview;
    const ACTION: Action = Action::ImportUnits;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, _job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        let conn = ws.store().conn();
        let c = campaign::active(conn)?;
        let r = resolve_units(conn, parse_units(&self.path)?, &self.choices)?;
        let detail = format!(
            "“{}”：新增 {} 个单位，更新 {} 个，明白人 {} 人",
            r.preview.file_name,
            r.preview.created.len(),
            r.preview.updated.len(),
            r.preview.roster_members
        );
        Ok(Plan {
            preview: r.preview,
            work: UnitsWork {
                campaign_id: c.id,
                units: r.units,
                roster: r.roster,
                aliases: r.aliases,
            },
            detail,
        })
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        let mut real: HashMap<i64, i64> = HashMap::new();
        for (target, u) in &work.units {
            match target {
                Target::Existing(id) => update(tx, *id, u)?,
                Target::New(p) => {
                    let id = insert(tx, work.campaign_id, u)?;
                    real.insert(*p, id);
                }
            }
        }
        let real_id = |id: i64| *real.get(&id).unwrap_or(&id);
        for (id, members) in &work.roster {
            set_roster(tx, real_id(*id), members)?;
        }
        for (id, alias) in &work.aliases {
            add_alias(tx, real_id(*id), alias)?;
        }
        Ok(preview)
    }
}

impl Workspace {
    /// Write the 单位名单 (units and roster sheets) of the active campaign.
    pub fn export_units(&self, path: &Path) -> Result<PathBuf> {
        let c = campaign::active(self.store().conn())?;
        let units = list(self.store().conn(), c.id)?;
        let members = roster(self.store().conn(), c.id, None)?;
        write_units_book(&units, &members, &c.district)?.save(path)
    }
}
