//! The 单位名单 workbook: one sheet of units, one of the 明白人 roster. Described once
//! (`UNIT_COLUMNS`, `ROSTER_COLUMNS`), read by the [`UnitsImport`] importer and written by
//! `export_units`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::names::{Directory, NameMatch, norm, split_names};
use super::{
    KINDS, MAX_NAME_CHARS, MAX_ROSTER_ROWS, MAX_UNITS, RosterInput, RosterMember, UnitInfo,
    UnitInput, insert, kind_from_name, list, parse_kind, roster, set_roster, update,
};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Column, Issues, find_header, is_note_row, short};
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
    Column::new("contact", "联系人", &["单位联系人"], 10.0),
    Column::new("phone", "联系电话", &["电话", "联系方式"], 16.0),
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

#[derive(Debug, Clone)]
struct UnitRow {
    input: UnitInput,
    has_short: bool,
    has_aliases: bool,
    has_contact: bool,
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
    issues: Issues,
}

fn parse_units(path: &Path) -> Result<UnitsPlan> {
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    let mut units: Vec<UnitRow> = Vec::new();
    let mut roster: Vec<RosterRow> = Vec::new();
    let mut any = false;
    for (gi, g) in grids.iter().enumerate() {
        if let Some(h) = find_header(g, ROSTER_COLUMNS, &["unit", "person"]) {
            any = true;
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
        let Some(h) = find_header(g, UNIT_COLUMNS, &["name"]) else {
            continue;
        };
        if h.cols.len() < 2 {
            continue;
        }
        any = true;
        let nc = h.col("name").unwrap_or(0);
        let get = |r: usize, k: &str| {
            h.col(k)
                .map(|c| g.text(r, c).to_string())
                .unwrap_or_default()
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let name = g.text(r, nc).replace('\n', "");
            if is_note_row(g, r) {
                continue;
            }
            if name.is_empty() {
                issues.at(Severity::Error, g, Some(r), Some(nc), "单位名称为空。");
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
            if let Some(prev) = seen.insert(norm(&name), r) {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(nc),
                    &format!("单位“{name}”与第{}行重复。", prev + 1),
                );
                continue;
            }
            let kind_raw = get(r, "kind");
            let kind = match parse_kind(&kind_raw) {
                Some(k) => k,
                None => {
                    let k = kind_from_name(&name);
                    let col = h.col("kind");
                    let what = if kind_raw.is_empty() {
                        format!("未填写单位类别，已按名称定为“{k}”。")
                    } else {
                        format!(
                            "单位类别“{}”无法识别（应为 {}），已定为“{k}”。",
                            short(&kind_raw),
                            KINDS.join("、")
                        )
                    };
                    issues.at(Severity::Warning, g, Some(r), col, &what);
                    k
                }
            };
            let aliases = split_names(&get(r, "aliases"));
            units.push(UnitRow {
                input: UnitInput {
                    id: None,
                    name,
                    short_name: get(r, "short"),
                    aliases,
                    kind: kind.to_string(),
                    contact: get(r, "contact"),
                    phone: get(r, "phone"),
                    note: get(r, "note"),
                },
                has_short: h.col("short").is_some(),
                has_aliases: h.col("aliases").is_some(),
                has_contact: h.col("contact").is_some(),
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
        issues,
    })
}

/// What a parsed 单位名单 resolves to against the stored units.
struct Resolved {
    preview: UnitsImportPreview,
    /// (existing id or None, unit) in file order.
    units: Vec<(Option<i64>, UnitInput)>,
    /// Unit name (as resolved) → members.
    roster: BTreeMap<String, Vec<RosterInput>>,
}

fn resolve_units(conn: &Connection, plan: UnitsPlan) -> Result<Resolved> {
    let c = campaign::active(conn)?;
    let existing = list(conn, c.id)?;
    let mut dir = Directory::load(conn, c.id, &c.district)?;
    let mut issues = plan.issues;
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0;
    let mut units = Vec::new();
    let mut next_new = -1i64;
    for row in plan.units {
        let u = row.input;
        let found = dir.exact(&u.name).and_then(|id| {
            existing
                .iter()
                .find(|e| e.id == id && norm(&e.name) == norm(&u.name))
        });
        match found {
            Some(e) => {
                let mut merged = u.clone();
                if !row.has_short {
                    merged.short_name = e.short_name.clone();
                }
                if !row.has_aliases {
                    merged.aliases = e.aliases.clone();
                }
                if !row.has_contact {
                    merged.contact = e.contact.clone();
                }
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
                diff("简称", &e.short_name, &merged.short_name);
                diff("别名", &e.aliases.join("、"), &merged.aliases.join("、"));
                diff("类别", &e.kind, &merged.kind);
                diff("联系人", &e.contact, &merged.contact);
                diff("联系电话", &e.phone, &merged.phone);
                diff("备注", &e.note, &merged.note);
                if changes.is_empty() {
                    unchanged += 1;
                } else {
                    updated.push(UnitChange {
                        name: e.name.clone(),
                        changes,
                    });
                }
                units.push((Some(e.id), merged));
            }
            None => {
                created.push(u.name.clone());
                let mut others = u.aliases.clone();
                others.push(u.short_name.clone());
                dir.add_planned_names(next_new, &u.name, &others, &u.kind);
                next_new -= 1;
                units.push((None, u));
            }
        }
    }
    let mut roster: BTreeMap<String, Vec<RosterInput>> = BTreeMap::new();
    let mut members = 0;
    // (unit, person) → (row, mobile) of the first mention: one person listed twice would count
    // twice towards the 明白人 rule.
    let mut people: HashMap<(i64, String), (usize, String)> = HashMap::new();
    for r in plan.roster {
        let g = &plan.grids[r.grid];
        let id = match dir.resolve(&r.unit) {
            NameMatch::Exact(id) => Some(id),
            NameMatch::Guess(id, why) => {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r.row),
                    Some(r.unit_col),
                    &format!(
                        "单位“{}”按“{}”处理（{why}），请确认。",
                        r.unit,
                        dir.name_of(id)
                    ),
                );
                Some(id)
            }
            _ => None,
        };
        match id {
            Some(id) => {
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
                roster.entry(dir.name_of(id)).or_default().push(r.member);
            }
            None => issues.at(
                Severity::Error,
                g,
                Some(r.row),
                Some(r.unit_col),
                &format!(
                    "单位“{}”不在单位名单中，请先在“单位名单”中添加该单位。",
                    r.unit
                ),
            ),
        }
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
            issues: issues.list,
            can_apply,
        },
        units,
        roster,
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
/// roster sheet names.
pub struct UnitsImport {
    pub path: PathBuf,
}

impl UnitsImport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        UnitsImport { path: path.into() }
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
    /// (existing id or None, unit) in file order.
    units: Vec<(Option<i64>, UnitInput)>,
    /// Unit name (as resolved) → members.
    roster: BTreeMap<String, Vec<RosterInput>>,
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
        let r = resolve_units(conn, parse_units(&self.path)?)?;
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
        let mut ids: HashMap<String, i64> = HashMap::new();
        for (id, u) in &work.units {
            let id = match id {
                Some(id) => {
                    update(tx, *id, u)?;
                    *id
                }
                None => insert(tx, work.campaign_id, u)?,
            };
            ids.insert(u.name.clone(), id);
        }
        for (name, members) in &work.roster {
            let id = match ids.get(name) {
                Some(id) => *id,
                None => tx.query_row(
                    "SELECT id FROM unit WHERE campaign_id = ?1 AND name = ?2",
                    params![work.campaign_id, name],
                    |r| r.get(0),
                )?,
            };
            set_roster(tx, id, members)?;
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
