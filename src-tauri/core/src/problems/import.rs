//! Importing a 问题清单 / 整改台账 / 反馈意见整改表 as offices write it: parse → plan (the round
//! from `--round` or from the title; rows to problems; unit names resolved exactly, by guess,
//! as catch-alls or unknown; indicator references and 完成时限 read) → preview → apply in one
//! transaction.
//!
//! Office habits it reads: a title and a 督察时间 line above the header; 问题类型 merged over
//! blocks, or block heading rows ("一、共性问题", "（一）行政执法方面"); 序号 restarting per block
//! (kept as written; problems are numbered afresh within the round); several units in one cell
//! (、，；line breaks, 简称 and aliases, "各街道"); a unit cell merged over that unit's
//! consecutive problems; one 共性 problem written over several rows with its description merged
//! and one unit per row; 所涉指标 as "第43项", "指标15、16", "第36、37项", or places in the tree
//! ("1.1.1", "2-5-17", read by `indicators::refs` and told in the preview); every 完成时限 form
//! (see `deadline`). Importing the same list again updates what changed (a problem is the same
//! when its description and units are), recording each change in the history.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::deadline::{self, Deadline, DeadlineContext};
use super::{
    Event, KIND_COMMON, KIND_SINGLE, RoundInput, STATUS_TODO, find_round, guess_round_kind,
    insert_round, operator, parse_status, record, round_context, round_of, set_indicators,
    set_part_status, set_part_text,
};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators::refs::{IndicatorIndex, Resolved};
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Column, Found, Issues, find_header, is_note_row, row_list, short};
use crate::sheet::{Grid, display_name, read_tables};
use crate::tasks::date_text;
use crate::tasks::import::{CatchAllUse, UnitGuess, UnknownUnit};
use crate::text::split_heading;
use crate::units::{
    self, Choices, ChosenName, Decided, Directory, NameChoice, NameLedger, Next, Taken, UnitInput,
    norm,
};
use crate::workspace::Workspace;

/// The 问题清单 / 反馈意见整改表 layout (read, and written by the export).
pub const PROBLEM_COLUMNS: &[Column] = &[
    Column::new("seq", "序号", &["编号", "序", "问题序号", "问题编号"], 6.0),
    Column::new(
        "kind",
        "问题类型",
        &["类型", "问题性质", "共性/个性", "共性个性", "共性或个性"],
        9.0,
    ),
    Column::new(
        "category",
        "问题类别",
        &["类别", "问题分类", "所属领域", "领域", "问题方面"],
        10.0,
    ),
    Column::new(
        "description",
        "问题描述",
        &[
            "问题",
            "存在问题",
            "存在的问题",
            "问题表现",
            "主要问题",
            "具体问题",
            "发现问题",
            "督察发现问题",
            "督察发现的问题",
            "问题内容",
            "反馈问题",
            "问题清单",
        ],
        44.0,
    ),
    Column::new(
        "indicators",
        "所涉指标",
        &[
            "涉及指标",
            "对应指标",
            "指标序号",
            "相关指标",
            "所涉指标序号",
            "对应指标序号",
            "涉及指标序号",
            "指标",
        ],
        9.0,
    ),
    Column::new(
        "units",
        "整改责任单位",
        &[
            "责任单位",
            "整改单位",
            "被督察单位",
            "涉及单位",
            "责任部门",
            "问题单位",
            "整改责任部门",
            "整改主体",
            "牵头单位",
        ],
        16.0,
    ),
    Column::new(
        "requirement",
        "整改要求",
        &[
            "整改意见",
            "整改目标",
            "整改建议",
            "工作要求",
            "整改目标（要求）",
        ],
        30.0,
    ),
    Column::new(
        "deadline",
        "完成时限",
        &[
            "整改时限",
            "时限",
            "完成时间",
            "整改期限",
            "整改完成时限",
            "时间要求",
        ],
        12.0,
    ),
    Column::new(
        "measures",
        "整改措施",
        &["具体措施", "整改举措", "整改落实措施"],
        26.0,
    )
    .editable(),
    Column::new(
        "progress",
        "整改进展",
        &["进展情况", "整改进度", "整改落实情况"],
        22.0,
    )
    .editable(),
    Column::new(
        "completion",
        "完成情况",
        &["整改情况", "整改结果", "完成结果"],
        14.0,
    )
    .editable(),
    Column::new("status", "整改状态", &["状态", "销号情况"], 11.0),
    Column::new("note", "备注", &["说明"], 10.0),
];

/// Options of a 问题清单 import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemsImportOptions {
    /// The round to import into (number or name); a name not yet used creates that round.
    /// None: the round named by the list's title (created when new).
    #[ts(optional)]
    #[serde(default)]
    pub round: Option<String>,
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

/// The round an import goes into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundPlan {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// True when the import creates it.
    pub is_new: bool,
    /// Where the name came from ("--round", "标题", "文件名").
    pub named_by: String,
}

/// A 完成时限 that was read with an assumption (a year not written, 立行立改).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeadlineNote {
    pub written: String,
    /// The date it is taken as, or None.
    pub date: Option<String>,
    pub meaning: String,
    pub places: Vec<String>,
}

/// One problem of the file as it will be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemRowPreview {
    /// Row of the file (1-based), the first when the problem spans rows.
    #[ts(type = "number")]
    pub row: u32,
    pub source_no: String,
    pub kind: String,
    pub category: String,
    pub description: String,
    #[ts(type = "Array<number>")]
    pub indicators: Vec<i64>,
    pub units: Vec<String>,
    pub deadline_text: String,
    pub deadline_date: Option<String>,
    /// "新增", "更新" or "未变".
    pub change: String,
    pub changes: Vec<String>,
}

/// What importing a 问题清单 would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemsImportPreview {
    pub file_name: String,
    pub sheet: String,
    /// The title line above the header, and the 督察时间 line.
    pub title: String,
    pub period: String,
    pub round: RoundPlan,
    #[ts(type = "number")]
    pub problem_count: i64,
    #[ts(type = "number")]
    pub common_count: i64,
    #[ts(type = "number")]
    pub single_count: i64,
    /// Units' parts (a 共性 problem of 18 units counts 18).
    #[ts(type = "number")]
    pub part_count: i64,
    #[ts(type = "number")]
    pub unit_count: i64,
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub unchanged: i64,
    /// Problems of the round the file does not list (left as they are).
    #[ts(type = "number")]
    pub not_in_file: i64,
    /// The problems (the first 1 000 when the list is longer).
    pub problems: Vec<ProblemRowPreview>,
    pub guesses: Vec<UnitGuess>,
    pub unknown_units: Vec<UnknownUnit>,
    pub catch_alls: Vec<CatchAllUse>,
    /// The user's choices for names, as applied.
    pub chosen: Vec<ChosenName>,
    pub deadline_notes: Vec<DeadlineNote>,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

/// Problems listed in a preview at most.
const PREVIEW_ROWS: usize = 1000;

/// One problem planned.
#[derive(Debug, Clone)]
struct Planned {
    rows: Vec<usize>,
    source_no: String,
    kind: &'static str,
    /// The kind was neither written nor given by a block heading (so it follows the units).
    kind_derived: bool,
    category: String,
    description: String,
    indicators_text: String,
    indicator_ids: Vec<i64>,
    indicator_nos: Vec<i64>,
    /// Unit ids (negative: planned creations).
    units: Vec<i64>,
    requirement: String,
    deadline: Deadline,
    note: String,
    status: Option<&'static str>,
    /// The 销号 date written with 已销号 ("已销号（2025-09-05，依法治区办审核）").
    closed_on: Option<String>,
    measures: Option<String>,
    progress: Option<String>,
    completion: Option<String>,
    /// The stored problem it updates.
    existing: Option<i64>,
    /// [`problem_key`], computed once the units are known.
    key: String,
}

/// What the write needs beyond the preview.
pub struct ProblemsWork {
    campaign_id: i64,
    round: Option<RoundInput>,
    round_id: Option<i64>,
    problems: Vec<Planned>,
    new_units: Vec<(i64, String, String)>,
    /// (unit, written name) of the names the user mapped: saved as 别名.
    aliases: Vec<(i64, String)>,
    file: String,
}

/// A stored problem as compared with the file.
struct Stored {
    id: i64,
    kind: String,
    category: String,
    indicators_text: String,
    requirement: String,
    deadline_text: String,
    note: String,
    /// unit id → (status, measures, progress, completion)
    parts: HashMap<i64, (String, String, String, String)>,
}

/// Whether two problem descriptions are one text edited: most of their two-character pieces
/// are shared (Dice coefficient of the bigrams ≥ 0.5).
fn similar(a: &str, b: &str) -> bool {
    let grams = |s: &str| -> std::collections::HashSet<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, y) = (grams(a), grams(b));
    if x.is_empty() || y.is_empty() {
        return false;
    }
    let common = x.intersection(&y).count();
    2.0 * common as f64 / (x.len() + y.len()) as f64 >= 0.5
}

/// The key a problem is known by across imports: its description and its units.
fn problem_key(description: &str, units: &[i64]) -> String {
    let mut u = units.to_vec();
    u.sort_unstable();
    format!(
        "{}|{}",
        norm(description),
        u.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// "区司法局（牵头）" → "区司法局": role notes are not part of a name.
fn strip_role(name: &str) -> String {
    let mut n = name.trim().to_string();
    for note in [
        "（牵头）",
        "(牵头)",
        "（配合）",
        "(配合)",
        "（主责）",
        "(主责)",
        "（负责）",
        "(负责)",
        "牵头",
        "配合",
    ] {
        if let Some(rest) = n.strip_suffix(note)
            && rest.chars().count() >= 2
        {
            n = rest.trim().to_string();
        }
    }
    n
}

/// A block heading: "一、共性问题（8个）" → (Some(共性), ""), "（一）行政执法方面" →
/// (None, "行政执法").
fn heading(text: &str) -> (Option<&'static str>, String) {
    let kind = if text.contains(KIND_COMMON) {
        Some(KIND_COMMON)
    } else if text.contains(KIND_SINGLE) {
        Some(KIND_SINGLE)
    } else {
        None
    };
    if kind.is_some() {
        return (kind, String::new());
    }
    let (_, name) = split_heading(text);
    let mut n = name;
    // "（3个）" / "(共5项)" counts.
    if let Some(i) = n.find(['（', '(']) {
        n.truncate(i);
    }
    for suf in ["方面问题", "方面", "类问题", "问题", "领域", "类"] {
        if let Some(rest) = n.strip_suffix(suf)
            && !rest.is_empty()
        {
            n = rest.to_string();
            break;
        }
    }
    (None, n.trim().to_string())
}

/// Whether row `r` is a block heading ("一、共性问题", "（一）行政执法方面"): one text merged
/// across the row, or a heading written alone in the first, 序号, 问题类型 or 问题描述 column.
/// A row holding only a unit name is not a heading (it is a problem without a description,
/// refused at its place).
fn heading_text(g: &Grid, r: usize, h: &Found) -> Option<String> {
    let filled: Vec<(usize, &str)> = (0..g.row_width(r))
        .map(|c| (c, g.text(r, c)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let &(c0, first) = filled.first()?;
    let looks = |t: &str| {
        t.chars().count() <= 40
            && (!split_heading(t).0.is_empty() || t.contains("问题") || t.contains("方面"))
    };
    if filled.len() >= 2 && filled.iter().all(|(_, t)| *t == first) {
        // Merged across the row (every column got the same text).
        return Some(first.to_string());
    }
    let heading_cols = [
        h.col("seq"),
        h.col("kind"),
        h.col("description"),
        h.col("category"),
        Some(0),
    ];
    if filled.len() == 1 && heading_cols.contains(&Some(c0)) && looks(first) {
        return Some(first.to_string());
    }
    None
}

/// The lines above the header: the title (first non-empty line) and the 督察时间 line.
fn head_lines(g: &Grid, header_row: usize) -> (String, String) {
    let mut title = String::new();
    let mut period = String::new();
    for r in 0..header_row {
        let line: String = (0..g.row_width(r))
            .map(|c| g.text(r, c))
            .filter(|t| !t.is_empty())
            .fold(Vec::<&str>::new(), |mut v, t| {
                if v.last() != Some(&t) {
                    v.push(t);
                }
                v
            })
            .join(" ");
        if line.is_empty() {
            continue;
        }
        let is_time = ["督察时间", "督查时间", "检查时间", "评估时间", "时间："]
            .iter()
            .any(|w| line.contains(w));
        if is_time && period.is_empty() {
            period = line;
        } else if title.is_empty() {
            title = line;
        }
    }
    (title, period)
}

/// The round name a title gives: "2023年…专项督察问题清单" → "2023年…专项督察".
fn round_name_from(title: &str) -> String {
    let mut t = title.trim().trim_end_matches(['：', ':']).to_string();
    // "…问题清单（共性问题）": the part of the list, not of the round's name.
    for open in ['（', '('] {
        if let Some(i) = t.rfind(open)
            && t.ends_with(['）', ')'])
            && ["共性", "个性", "续"].iter().any(|w| t[i..].contains(w))
        {
            t = t[..i].trim_end().to_string();
        }
    }
    for suf in [
        "反馈意见整改表",
        "问题整改台账",
        "整改台账",
        "问题清单",
        "发现问题清单",
        "反馈问题清单",
        "问题台账",
        "清单",
    ] {
        if let Some(rest) = t.strip_suffix(suf)
            && rest.chars().count() >= 2
        {
            t = rest.trim_end_matches(['的', '发', '现']).to_string();
            break;
        }
    }
    t.chars().take(80).collect()
}

/// Read and resolve a 问题清单 against the active campaign.
fn plan(
    ws: &Workspace,
    path: &Path,
    opts: &ProblemsImportOptions,
) -> Result<Plan<ProblemsImportPreview, ProblemsWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    // The sheet whose header names the most columns (visible sheets first).
    let mut best: Option<(usize, Found)> = None;
    for (i, g) in grids.iter().enumerate() {
        if crate::sheet::stamp::ALL_KINDS
            .iter()
            .any(|k| k.is_stamp_sheet(g))
        {
            continue;
        }
        if let Some(h) = find_header(g, PROBLEM_COLUMNS, &["description", "units"]) {
            let better = match &best {
                None => true,
                Some((bi, b)) => {
                    (grids[*bi].hidden && !g.hidden)
                        || (grids[*bi].hidden == g.hidden && h.cols.len() > b.cols.len())
                }
            };
            if better {
                best = Some((i, h));
            }
        }
    }
    let Some((gi, h)) = best else {
        if let Some(k) = grids.iter().find_map(|g| {
            crate::sheet::stamp::ALL_KINDS
                .iter()
                .find(|k| k.is_stamp_sheet(g))
        }) {
            return Err(Error::BadFile(format!(
                "无法导入“{file}”：这是从示范创建工作台导出的{}，不是问题清单。请在相应页面收回。",
                k.what
            )));
        }
        return Err(Error::BadFile(format!(
            "无法导入“{file}”：没有找到问题清单的表头（需要“问题描述”列和“整改责任单位”列）。请确认选择的是问题清单或反馈意见整改表。"
        )));
    };
    let g = &grids[gi];
    // Other visible sheets with a 问题清单 header (a list split into 共性 and 个性 sheets).
    for (i, other) in grids.iter().enumerate() {
        if i == gi || other.hidden {
            continue;
        }
        if let Some(oh) = find_header(other, PROBLEM_COLUMNS, &["description", "units"])
            && (oh.row + 1..other.rows.len()).any(|r| !other.row_is_blank(r))
        {
            issues.file(
                Severity::Warning,
                &format!(
                    "工作表“{}”也是问题清单（第{}行是表头），本次只导入工作表“{}”。如需一并导入，请把它的行复制到“{}”中再导入，或单独导入该工作表所在的文件并选择同一督察轮次。",
                    other.name,
                    oh.row + 1,
                    g.name,
                    g.name
                ),
            );
        }
    }
    let ignored = crate::sheet::layout::unread_columns(g, &h);
    crate::sheet::layout::note_unread_columns(&mut issues, g, &h, &ignored);
    let (title, period) = head_lines(g, h.row);
    let (p_start, p_end) = deadline::period_in(&period, deadline::year_in(&title));

    // The round.
    let (round_key, named_by) = match opts
        .round
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(k) => (k.to_string(), "--round"),
        None if !title.is_empty() => (round_name_from(&title), "标题"),
        None => (
            Path::new(&file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.clone()),
            "文件名",
        ),
    };
    let existing_round = find_round(conn, c.id, &round_key)?
        .map(|id| round_of(conn, c.id, id))
        .transpose()?;
    let (round_plan, new_round, mut ctx) = match &existing_round {
        Some(r) => (
            RoundPlan {
                id: Some(r.id),
                name: r.name.clone(),
                kind: r.kind.clone(),
                start_date: r.start_date.clone(),
                end_date: r.end_date.clone(),
                is_new: false,
                named_by: named_by.into(),
            },
            None,
            round_context(r),
        ),
        None => {
            let input = RoundInput {
                id: None,
                name: round_key.chars().take(80).collect(),
                kind: guess_round_kind(&format!("{round_key}{title}")).into(),
                start_date: date_text(p_start),
                end_date: date_text(p_end.or(p_start)),
                team: String::new(),
                note: format!("导入“{file}”时新建"),
                unit_ids: Vec::new(),
            };
            let ctx = DeadlineContext {
                year: None,
                round_start: p_start,
                round_end: p_end.or(p_start),
                today: Some(chrono::Local::now().date_naive()),
            };
            (
                RoundPlan {
                    id: None,
                    name: input.name.clone(),
                    kind: input.kind.clone(),
                    start_date: input.start_date.clone(),
                    end_date: input.end_date.clone(),
                    is_new: true,
                    named_by: named_by.into(),
                },
                Some(input),
                ctx,
            )
        }
    };
    if round_plan.name.trim().is_empty() {
        issues.file(Severity::Error, "无法确定督察轮次：请指定轮次名称。");
    }
    // The year of the list: its title, its 督察时间 line, the round.
    ctx.year = deadline::year_in(&title)
        .map(|y| (y, "标题"))
        .or_else(|| deadline::year_in(&period).map(|y| (y, "督察时间")))
        .or(ctx.year)
        .or_else(|| deadline::year_in(&round_plan.name).map(|y| (y, "督察轮次名称")));

    let mut dir = Directory::load(conn, c.id, &c.district)?;
    let (mut choices, problems) = Choices::new(&opts.name_choices, &dir);
    for p in problems {
        issues.file(Severity::Error, &p);
    }
    let indicators = IndicatorIndex::load(conn, c.system_id)?;
    // Reference cells repeat (a block of problems under one indicator): resolved once per text.
    let mut refs_cache: HashMap<String, Resolved> = HashMap::new();
    // Places in the tree read as numbered indicators: (as written, number, rows), told once each.
    let mut readings: Vec<(String, Vec<i64>, Vec<usize>)> = Vec::new();
    // The columns, looked up once (not per row and key).
    let cols: HashMap<&str, Option<usize>> = PROBLEM_COLUMNS
        .iter()
        .map(|c| (c.key, h.col(c.key)))
        .collect();
    let col = |k: &str| cols.get(k).copied().flatten();
    let (c_seq, c_kind, c_category, c_description, c_indicators, c_units) = (
        col("seq"),
        col("kind"),
        col("category"),
        col("description"),
        col("indicators"),
        col("units"),
    );
    let (c_requirement, c_deadline, c_measures, c_progress, c_completion, c_status, c_note) = (
        col("requirement"),
        col("deadline"),
        col("measures"),
        col("progress"),
        col("completion"),
        col("status"),
        col("note"),
    );
    let get = |r: usize, c: Option<usize>| -> &str { c.map(|c| g.text(r, c)).unwrap_or("") };
    let desc_col = c_description.unwrap_or(0);
    let units_col = c_units.unwrap_or(0);

    let mut ledger = NameLedger::new();
    let mut notes: BTreeMap<String, DeadlineNote> = BTreeMap::new();
    let mut planned: Vec<Planned> = Vec::with_capacity(g.rows.len().saturating_sub(h.row));
    let mut block_kind: Option<&'static str> = None;
    let mut block_category = String::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut split_cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut deadline_cache: HashMap<(String, Option<u64>), deadline::Deadline> = HashMap::new();

    // Uncalculated formulas in the columns read.
    for (r, col) in &g.uncalculated {
        if *r > h.row && h.cols.values().any(|c| c == col) {
            issues.at(
                Severity::Warning,
                g,
                Some(*r),
                Some(*col),
                "此格是没有计算结果的公式，按空白读取；请在 Excel 或 WPS 中打开并保存后再导入。",
            );
        }
    }

    // What a 问题描述 header cell reads as (name and aliases), and the longest one written
    // with a parenthesised note ("问题描述（具体问题）"): longer cells are not headers.
    let header_keys: std::collections::HashSet<String> = PROBLEM_COLUMNS
        .iter()
        .filter(|c| c.key == "description")
        .flat_map(|c| std::iter::once(c.header).chain(c.aliases.iter().copied()))
        .map(crate::text::header_key)
        .collect();
    let header_chars = 40;
    let header_starts: Vec<char> = header_keys
        .iter()
        .filter_map(|k| k.chars().next())
        .collect();
    for r in h.row + 1..g.rows.len() {
        if g.row_is_blank(r) || is_note_row(g, r) {
            continue;
        }
        let description = get(r, c_description).to_string();
        let units_raw = get(r, c_units).to_string();
        // A header repeated on a new page.
        if description
            .chars()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| header_starts.contains(&c))
            && description.chars().count() <= header_chars
            && header_keys.contains(&crate::text::header_key(&description))
        {
            continue;
        }
        if let Some(t) = heading_text(g, r, &h) {
            let (k, cat) = heading(&t);
            if let Some(k) = k {
                block_kind = Some(k);
                block_category.clear();
            } else {
                block_category = cat;
            }
            continue;
        }
        if description.is_empty() {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(desc_col),
                "缺少问题描述。",
            );
            continue;
        }
        if g.hidden_rows.contains(&r) {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                None,
                "这一行在表中是隐藏的，已照常导入，请确认该问题仍需整改。",
            );
        }
        // Units.
        let mut ids: Vec<i64> = Vec::new();
        // A name of the cell was refused (already an error at this place).
        let mut refused = false;
        // A list repeats its unit cells: each distinct text is split once (again after a
        // planned unit joins the directory, which can change what splits).
        let pieces = match split_cache.get(&units_raw) {
            Some(p) => p.clone(),
            None => {
                let p = dir.split_cell(&units_raw, |p| {
                    let p = strip_role(p);
                    dir.knows(&p) || choices.accepts(&p)
                });
                split_cache.insert(units_raw.clone(), p.clone());
                p
            }
        };
        for name in pieces {
            let name = strip_role(&name);
            if name.is_empty() {
                continue;
            }
            let decided = choices.decide(&dir, &name, || g.place(r, Some(units_col)));
            let create = opts.create_units || decided == Decided::Create;
            let m = match decided.next(&name, g, r, units_col, &mut issues) {
                Next::Match(m) => m,
                Next::Unit(id) => {
                    ids.push(id);
                    continue;
                }
                Next::Stop => {
                    refused = true;
                    continue;
                }
            };
            match ledger.take(&dir, m, &name, opts.strict, g, r, units_col, &mut issues) {
                Taken::Units(list) | Taken::CatchAll(list, _) => ids.extend(list),
                Taken::Unknown => {
                    let chosen = choices.accepts(&name);
                    let (id, u) =
                        ledger.unknown(&name, (!chosen).then(|| g.place(r, Some(units_col))));
                    let kind = u.kind.clone();
                    if !create {
                        issues.at(
                            Severity::Error,
                            g,
                            Some(r),
                            Some(units_col),
                            &format!("单位“{name}”不在单位名单中。请先添加该单位，或在预览中把它对应到某个单位、新建为单位，或选择“自动新建未知单位”后再导入。"),
                        );
                    }
                    if dir.name_of(id).is_empty() {
                        dir.add_planned(id, &name, &kind);
                        split_cache.clear();
                    }
                    ids.push(id);
                }
            }
        }
        let mut unit_ids: Vec<i64> = Vec::new();
        for id in ids {
            if !unit_ids.contains(&id) {
                unit_ids.push(id);
            }
        }
        // The same problem continued on this row for another unit (description merged down).
        let continues = g.cell(r, desc_col).is_some_and(|c| c.merged_copy)
            && planned.last().is_some_and(|p| {
                p.description == description && p.rows.last().is_some_and(|l| l + 1 == r)
            });
        if continues {
            let deadline_here = get(r, c_deadline);
            let requirement_here = get(r, c_requirement);
            if let Some(p) = planned.last_mut() {
                // Each unit's own 整改要求 is kept: the distinct texts are joined, one a line.
                if !requirement_here.is_empty()
                    && !p.requirement.lines().any(|l| l == requirement_here)
                {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        c_requirement,
                        &format!(
                            "同一问题各单位的整改要求不同（第{}行为“{}”），已把本行的整改要求另起一行接在后面。",
                            p.rows[0] + 1,
                            short(&p.requirement)
                        ),
                    );
                    if !p.requirement.is_empty() {
                        p.requirement.push('\n');
                    }
                    p.requirement.push_str(requirement_here);
                }
                p.rows.push(r);
                for id in unit_ids {
                    if !p.units.contains(&id) {
                        p.units.push(id);
                    }
                }
                if p.units.len() > 1 && p.kind_derived {
                    p.kind = KIND_COMMON;
                }
                if !deadline_here.is_empty() && deadline_here != p.deadline.text {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        c_deadline,
                        &format!(
                            "同一问题各单位的完成时限不同（第{}行为“{}”），按第一行的完成时限记录。",
                            p.rows[0] + 1,
                            short(&p.deadline.text)
                        ),
                    );
                }
            }
            continue;
        }
        if unit_ids.is_empty() {
            if refused {
                // Said above.
            } else if units_raw.is_empty() {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(units_col),
                    "缺少整改责任单位。",
                );
            } else {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(units_col),
                    &format!("“{}”中没有可识别的单位。", short(&units_raw)),
                );
            }
            continue;
        }
        // Kind and category.
        let kind_raw = get(r, c_kind);
        let mut category = get(r, c_category).to_string();
        let written_kind = if kind_raw.contains(KIND_COMMON) {
            Some(KIND_COMMON)
        } else if kind_raw.contains(KIND_SINGLE) {
            Some(KIND_SINGLE)
        } else {
            if !kind_raw.is_empty() && category.is_empty() {
                category = heading(kind_raw).1;
                if category.is_empty() {
                    category = kind_raw.to_string();
                }
            }
            None
        };
        if category.is_empty() {
            category = block_category.clone();
        }
        let kind = written_kind
            .or(block_kind)
            .unwrap_or(if unit_ids.len() > 1 {
                KIND_COMMON
            } else {
                KIND_SINGLE
            });
        // Indicators.
        let indicators_text = get(r, c_indicators).to_string();
        let found = refs_cache
            .entry(indicators_text.clone())
            .or_insert_with(|| indicators.resolve(&indicators_text));
        let indicator_ids: Vec<i64> = found.links.iter().map(|l| l.0).collect();
        let indicator_nos: Vec<i64> = found.links.iter().map(|l| l.1).collect();
        for (written, nos) in &found.readings {
            match readings
                .iter_mut()
                .find(|(w, n, _)| w == written && n == nos)
            {
                Some((_, _, rows)) => rows.push(r),
                None => readings.push((written.clone(), nos.clone(), vec![r])),
            }
        }
        for no in &found.unknown {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                c_indicators,
                &if no.chars().all(|c| c.is_ascii_digit()) {
                    format!("当前指标体系中没有第{no}项指标，已不关联该项（原文保留）。")
                } else {
                    format!("当前指标体系中没有“{no}”所指的指标，已不关联该项（原文保留）。")
                },
            );
        }
        if !found.named_any
            && !indicators_text.is_empty()
            && !["无", "-", "—", "/", "／"].contains(&indicators_text.as_str())
        {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                c_indicators,
                &format!(
                    "所涉指标“{}”中没有指标序号，未关联指标（原文保留）。",
                    short(&indicators_text)
                ),
            );
        }
        // Deadline.
        let serial = h
            .col("deadline")
            .and_then(|col| g.cell(r, col))
            .and_then(|c| c.number);
        // Deadlines repeat too; the parse depends on the text, the cell's number and `ctx`
        // (fixed for the file).
        let dl = deadline_cache
            .entry((get(r, c_deadline).to_string(), serial.map(f64::to_bits)))
            .or_insert_with(|| deadline::parse(get(r, c_deadline), serial, &ctx))
            .clone();
        let at = || g.place(r, c_deadline);
        match dl.kind {
            deadline::DeadlineKind::Immediate => {
                let e = notes
                    .entry(dl.text.clone())
                    .or_insert_with(|| DeadlineNote {
                        written: dl.text.clone(),
                        date: dl.date_text(),
                        meaning: match (ctx.round_end.or(ctx.round_start), dl.date) {
                            (Some(_), Some(d)) => format!(
                                "按督察结束日 {} 计，次日起逾期",
                                date_text(Some(d)).unwrap_or_default()
                            ),
                            (None, Some(d)) => format!(
                                "轮次没有日期，按导入当天 {} 计，次日起逾期",
                                date_text(Some(d)).unwrap_or_default()
                            ),
                            _ => "不计逾期".into(),
                        },
                        places: Vec::new(),
                    });
                e.places.push(at());
            }
            deadline::DeadlineKind::Text => {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    c_deadline,
                    &format!(
                        "完成时限“{}”不是日期，只保留原文，不计算逾期。",
                        short(&dl.text)
                    ),
                );
            }
            deadline::DeadlineKind::Date if dl.assumed.is_some() => {
                let e = notes
                    .entry(dl.text.clone())
                    .or_insert_with(|| DeadlineNote {
                        written: dl.text.clone(),
                        date: dl.date_text(),
                        meaning: dl.assumed.clone().unwrap_or_default(),
                        places: Vec::new(),
                    });
                e.places.push(at());
            }
            _ => {}
        }
        // Status and the units' columns of a 台账.
        let status_raw = get(r, c_status);
        let status = if status_raw.is_empty() {
            None
        } else {
            match parse_status(status_raw) {
                Some(s) => Some(s),
                None => {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        c_status,
                        &format!(
                            "整改状态“{}”无法识别（可写{}），按“待整改”导入。",
                            short(status_raw),
                            super::STATUSES.join("、")
                        ),
                    );
                    None
                }
            }
        };
        let closed_on = (status == Some(super::STATUS_CLOSED))
            .then(|| deadline::period_in(status_raw, None).0)
            .flatten()
            .and_then(|d| date_text(Some(d)));
        let opt = |c: Option<usize>| c.map(|c| g.text(r, c).to_string());
        let p = Planned {
            rows: vec![r],
            source_no: get(r, c_seq).to_string(),
            kind,
            kind_derived: written_kind.is_none() && block_kind.is_none(),
            category,
            description: description.clone(),
            indicators_text,
            indicator_ids,
            indicator_nos,
            units: unit_ids,
            requirement: get(r, c_requirement).to_string(),
            deadline: dl,
            note: get(r, c_note).to_string(),
            status,
            closed_on,
            measures: opt(c_measures),
            progress: opt(c_progress),
            completion: opt(c_completion),
            existing: None,
            key: String::new(),
        };
        planned.push(p);
    }
    // Duplicates within the file.
    let mut kept: Vec<Planned> = Vec::with_capacity(planned.len());
    for mut p in planned {
        p.key = problem_key(&p.description, &p.units);
        if let Some(prev) = seen.get(&p.key) {
            issues.at(
                Severity::Warning,
                g,
                Some(p.rows[0]),
                Some(desc_col),
                &format!(
                    "与第{}行是同一问题（问题描述和责任单位相同），已跳过本行。",
                    prev + 1
                ),
            );
            continue;
        }
        seen.insert(p.key.clone(), p.rows[0]);
        kept.push(p);
    }
    let mut planned = kept;
    if planned.is_empty() && !issues.has_errors() {
        issues.at(Severity::Error, g, None, None, "表中没有任何可导入的问题。");
    }
    for w in choices.unused() {
        issues.file(
            Severity::Warning,
            &format!("对“{w}”所作的选择未用到：表中没有需要确认的这个名称。"),
        );
    }

    // Against what the round holds.
    let stored = match round_plan.id {
        Some(id) => stored_problems(conn, id)?,
        None => HashMap::new(),
    };
    let names = |ids: &[i64]| -> Vec<String> { ids.iter().map(|i| dir.name_of(*i)).collect() };
    let (mut created, mut updated, mut unchanged) = (0i64, 0i64, 0i64);
    let mut previews: Vec<ProblemRowPreview> = Vec::new();
    let mut matched = 0i64;
    for p in &mut planned {
        let mut changes: Vec<String> = Vec::new();
        let change = match stored.get(&p.key) {
            None => {
                created += 1;
                "新增"
            }
            Some(s) => {
                matched += 1;
                p.existing = Some(s.id);
                let mut diff = |what: &str, old: &str, new: &str| {
                    if old != new {
                        let show = |x: &str| {
                            if x.is_empty() {
                                "（空）".to_string()
                            } else {
                                short(x)
                            }
                        };
                        changes.push(format!("{what}：{} → {}", show(old), show(new)));
                    }
                };
                diff("问题类型", &s.kind, p.kind);
                diff("问题类别", &s.category, &p.category);
                diff("所涉指标", &s.indicators_text, &p.indicators_text);
                diff("整改要求", &s.requirement, &p.requirement);
                diff("完成时限", &s.deadline_text, &p.deadline.text);
                diff("备注", &s.note, &p.note);
                for u in &p.units {
                    let Some((st, me, pr, co)) = s.parts.get(u) else {
                        continue;
                    };
                    let who = dir.name_of(*u);
                    if let Some(new) = p.status
                        && new != st
                    {
                        changes.push(format!("{who} 整改状态：{st} → {new}"));
                    }
                    for (label, old, new) in [
                        ("整改措施", me, &p.measures),
                        ("整改进展", pr, &p.progress),
                        ("完成情况", co, &p.completion),
                    ] {
                        if let Some(new) = new
                            && !new.is_empty()
                            && new != old
                        {
                            changes.push(format!("{who} {label}：{} → {}", short(old), short(new)));
                        }
                    }
                }
                if changes.is_empty() {
                    unchanged += 1;
                    "未变"
                } else {
                    updated += 1;
                    "更新"
                }
            }
        };
        if previews.len() < PREVIEW_ROWS {
            previews.push(ProblemRowPreview {
                row: p.rows[0] as u32 + 1,
                source_no: p.source_no.clone(),
                kind: p.kind.into(),
                category: p.category.clone(),
                description: p.description.clone(),
                indicators: p.indicator_nos.clone(),
                units: names(&p.units),
                deadline_text: p.deadline.text.clone(),
                deadline_date: p.deadline.date_text(),
                change: change.into(),
                changes,
            });
        }
    }
    // A corrected list imported again: a new problem close to one the file no longer lists
    // is likely that problem edited; say so rather than quietly keep both.
    let taken: std::collections::HashSet<&str> = planned.iter().map(|p| p.key.as_str()).collect();
    let left: Vec<&String> = stored
        .keys()
        .filter(|k| !taken.contains(k.as_str()))
        .collect();
    for p in planned.iter().filter(|p| p.existing.is_none()) {
        let (desc, units) = p.key.rsplit_once('|').unwrap_or((&p.key, ""));
        let near = left.iter().find_map(|k| {
            let (d, u) = k.rsplit_once('|').unwrap_or((k, ""));
            if d == desc {
                Some("问题描述相同、整改责任单位不同")
            } else if u == units && similar(d, desc) {
                Some("整改责任单位相同、问题描述相近")
            } else {
                None
            }
        });
        if let Some(how) = near {
            issues.at(
                Severity::Warning,
                g,
                Some(p.rows[0]),
                Some(desc_col),
                &format!(
                    "本行的问题与本轮次已有的一个问题{how}，将作为新问题导入，原问题仍保留。如果这是修改后的清单，导入后请在问题台账中核对并删除重复的一个。"
                ),
            );
        }
    }
    for (written, nos, rows) in &readings {
        issues.at(
            Severity::Warning,
            g,
            Some(rows[0]),
            c_indicators,
            &format!(
                "所涉指标“{written}”按指标体系的层级理解为{}指标{}，请核对。",
                crate::indicators::refs::numbers_text(nos),
                if rows.len() > 1 {
                    format!("（{}）", row_list(rows))
                } else {
                    String::new()
                }
            ),
        );
    }
    let mut distinct: Vec<i64> = planned
        .iter()
        .flat_map(|p| p.units.iter().copied())
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    let new_units: Vec<(i64, String, String)> = ledger
        .unknown
        .values()
        .map(|(id, u)| (*id, u.name.clone(), u.kind.clone()))
        .collect();
    let can_apply = !issues.has_errors();
    let names = ledger.into_names();
    let preview = ProblemsImportPreview {
        file_name: file.clone(),
        sheet: g.name.clone(),
        title,
        period,
        round: round_plan,
        problem_count: planned.len() as i64,
        common_count: planned.iter().filter(|p| p.kind == KIND_COMMON).count() as i64,
        single_count: planned.iter().filter(|p| p.kind == KIND_SINGLE).count() as i64,
        part_count: planned.iter().map(|p| p.units.len() as i64).sum(),
        unit_count: distinct.len() as i64,
        created,
        updated,
        unchanged,
        not_in_file: stored.len() as i64 - matched,
        problems: previews,
        guesses: names.guesses,
        unknown_units: names.unknown_units,
        catch_alls: names.catch_alls,
        chosen: choices.used(&dir),
        deadline_notes: notes.into_values().collect(),
        issues: issues.list,
        can_apply,
    };
    let detail = format!(
        "“{}”→“{}”：问题 {} 个（新增 {}、更新 {}、未变 {}），新建单位 {} 个",
        preview.file_name,
        preview.round.name,
        preview.problem_count,
        preview.created,
        preview.updated,
        preview.unchanged,
        new_units.len()
    );
    Ok(Plan {
        work: ProblemsWork {
            campaign_id: c.id,
            round_id: preview.round.id,
            round: new_round,
            problems: planned,
            new_units,
            aliases: choices.aliases(),
            file,
        },
        preview,
        detail,
    })
}

fn stored_problems(conn: &rusqlite::Connection, round_id: i64) -> Result<HashMap<String, Stored>> {
    let mut parts: HashMap<i64, Vec<(i64, (String, String, String, String))>> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT pu.problem_id, pu.unit_id, pu.status, pu.measures, pu.progress, pu.completion
             FROM problem_unit pu JOIN problem p ON p.id = pu.problem_id WHERE p.round_id = ?1",
        )?;
        for x in st.query_map([round_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })? {
            let (pid, uid, v) = x?;
            parts.entry(pid).or_default().push((uid, v));
        }
    }
    let mut st = conn.prepare(
        "SELECT id, kind, category, description, indicators_text, requirement, deadline_text, note
         FROM problem WHERE round_id = ?1",
    )?;
    let mut out = HashMap::new();
    for x in st.query_map([round_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
        ))
    })? {
        let (id, kind, category, description, indicators_text, requirement, deadline_text, note) =
            x?;
        let p = parts.remove(&id).unwrap_or_default();
        let ids: Vec<i64> = p.iter().map(|(u, _)| *u).collect();
        out.insert(
            problem_key(&description, &ids),
            Stored {
                id,
                kind,
                category,
                indicators_text,
                requirement,
                deadline_text,
                note,
                parts: p.into_iter().collect(),
            },
        );
    }
    Ok(out)
}

/// 导入问题清单: re-reads the file, refuses a plan with errors, creates the round and unknown
/// units when needed, and writes every problem in one transaction.
pub struct ProblemsImport {
    pub path: PathBuf,
    pub options: ProblemsImportOptions,
}

impl ProblemsImport {
    pub fn new(path: impl Into<PathBuf>, options: ProblemsImportOptions) -> Self {
        ProblemsImport {
            path: path.into(),
            options,
        }
    }
}

impl ImportReport for ProblemsImportPreview {
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

impl Importer for ProblemsImport {
    type Preview = ProblemsImportPreview;
    type Work = ProblemsWork;
    type Output = ProblemsImportPreview;
    const ACTION: Action = Action::ImportProblems;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, _job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        plan(ws, &self.path, &self.options)
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        mut preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        let who = operator(tx)?;
        let at = crate::store::now();
        let mut map: HashMap<i64, i64> = HashMap::new();
        for (provisional, name, kind) in &work.new_units {
            let id = units::insert(
                tx,
                work.campaign_id,
                &UnitInput {
                    id: None,
                    name: name.clone(),
                    short_name: String::new(),
                    aliases: Vec::new(),
                    kind: kind.clone(),
                    contact: String::new(),
                    phone: String::new(),
                    leader: String::new(),
                    note: "导入问题清单时新建".into(),
                },
            )?;
            map.insert(*provisional, id);
        }
        let real = |id: i64| *map.get(&id).unwrap_or(&id);
        for (id, alias) in &work.aliases {
            units::add_alias(tx, real(*id), alias)?;
        }
        let round_id = match (work.round_id, &work.round) {
            (Some(id), _) => id,
            (None, Some(r)) => insert_round(tx, work.campaign_id, r)?,
            (None, None) => return Err(Error::Invalid("没有指定督察轮次。".into())),
        };
        preview.round.id = Some(round_id);
        let mut seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) FROM problem WHERE round_id = ?1",
            [round_id],
            |r| r.get(0),
        )?;
        let mut ins_problem = tx.prepare_cached(
            "INSERT INTO problem (round_id, seq, kind, category, source_no, description,
               indicators_text, requirement, deadline_text, deadline_date, deadline_kind, note,
               created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        )?;
        let mut ins_part = tx.prepare_cached(
            "INSERT INTO problem_unit (problem_id, unit_id, position, status, measures, progress,
               completion, closed_on, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut ins_indicator = tx.prepare_cached(
            "INSERT OR IGNORE INTO problem_indicator (problem_id, indicator_id) VALUES (?1, ?2)",
        )?;
        let mut ins_round_unit = tx.prepare_cached(
            "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
        )?;
        let import_day = at.get(..10).unwrap_or("").to_string();
        let mut round_units: std::collections::HashSet<i64> = Default::default();
        for p in &work.problems {
            let from = format!("“{}”第{}行", work.file, p.rows[0] + 1);
            match p.existing {
                None => {
                    seq += 1;
                    ins_problem.execute(params![
                        round_id,
                        seq,
                        p.kind,
                        p.category,
                        p.source_no,
                        p.description,
                        p.indicators_text,
                        p.requirement,
                        p.deadline.text,
                        p.deadline.date_text(),
                        p.deadline.kind.code(),
                        p.note,
                        at
                    ])?;
                    let pid = tx.last_insert_rowid();
                    for id in &p.indicator_ids {
                        ins_indicator.execute(params![pid, id])?;
                    }
                    let status = p.status.unwrap_or(STATUS_TODO);
                    let closed = (status == super::STATUS_CLOSED)
                        .then(|| p.closed_on.as_deref().unwrap_or(import_day.as_str()));
                    for (i, u) in p.units.iter().enumerate() {
                        let u = real(*u);
                        ins_part.execute(params![
                            pid,
                            u,
                            i as i64,
                            status,
                            p.measures.as_deref().unwrap_or(""),
                            p.progress.as_deref().unwrap_or(""),
                            p.completion.as_deref().unwrap_or(""),
                            closed,
                            at
                        ])?;
                        if round_units.insert(u) {
                            ins_round_unit.execute(params![round_id, u])?;
                        }
                    }
                    record(
                        tx,
                        &who,
                        &at,
                        &Event {
                            problem_id: pid,
                            unit_id: None,
                            field: "created",
                            old: "",
                            new: &from,
                            note: "",
                            source: "import",
                        },
                    )?;
                }
                Some(pid) => update_existing(tx, &who, &at, pid, p, &from, &real)?,
            }
        }
        Ok(preview)
    }
}

/// Apply the file's values to a stored problem, recording each change.
fn update_existing(
    tx: &Transaction<'_>,
    who: &str,
    at: &str,
    pid: i64,
    p: &Planned,
    from: &str,
    real: &dyn Fn(i64) -> i64,
) -> Result<()> {
    let old: (String, String, String, String, String, String) = tx.query_row(
        "SELECT kind, category, indicators_text, requirement, deadline_text, note FROM problem WHERE id = ?1",
        [pid],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let fields: [(&str, &str, &str, &str); 6] = [
        ("kind", "kind", &old.0, p.kind),
        ("category", "category", &old.1, &p.category),
        ("indicators", "indicators_text", &old.2, &p.indicators_text),
        ("requirement", "requirement", &old.3, &p.requirement),
        ("deadline", "deadline_text", &old.4, &p.deadline.text),
        ("note", "note", &old.5, &p.note),
    ];
    for (field, col, was, now) in fields {
        if was == now {
            continue;
        }
        tx.execute(
            &format!("UPDATE problem SET {col} = ?1, updated_at = ?2 WHERE id = ?3"),
            params![now, at, pid],
        )?;
        record(
            tx,
            who,
            at,
            &Event {
                problem_id: pid,
                unit_id: None,
                field,
                old: was,
                new: now,
                note: from,
                source: "import",
            },
        )?;
        if field == "deadline" {
            tx.execute(
                "UPDATE problem SET deadline_date = ?1, deadline_kind = ?2 WHERE id = ?3",
                params![p.deadline.date_text(), p.deadline.kind.code(), pid],
            )?;
        }
        if field == "indicators" {
            set_indicators(tx, pid, &p.indicator_ids)?;
        }
    }
    let day = at.get(..10).unwrap_or("");
    for u in &p.units {
        let u = real(*u);
        if let Some(s) = p.status {
            set_part_status(
                tx,
                who,
                at,
                pid,
                u,
                s,
                (s == super::STATUS_CLOSED).then(|| p.closed_on.as_deref().unwrap_or(day)),
                from,
                "import",
            )?;
        }
        for (field, v) in [
            ("measures", &p.measures),
            ("progress", &p.progress),
            ("completion", &p.completion),
        ] {
            if let Some(v) = v
                && !v.is_empty()
            {
                set_part_text(tx, who, at, pid, u, field, v, "import")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_headings_give_a_kind_or_a_category() {
        assert_eq!(
            heading("一、共性问题（8个）"),
            (Some(KIND_COMMON), String::new())
        );
        assert_eq!(heading("二、个性问题"), (Some(KIND_SINGLE), String::new()));
        assert_eq!(
            heading("（一）行政执法方面"),
            (None, "行政执法".to_string())
        );
        assert_eq!(
            heading("（二）行政决策类问题（3个）"),
            (None, "行政决策".to_string())
        );
    }

    #[test]
    fn round_names_come_from_titles() {
        assert_eq!(
            round_name_from("2023年曾都区法治政府建设示范创建专项督察问题清单"),
            "2023年曾都区法治政府建设示范创建专项督察"
        );
        assert_eq!(
            round_name_from("2023年专项督察反馈意见整改表"),
            "2023年专项督察"
        );
        for part in ["（共性问题）", "（个性问题）", "(续)"] {
            assert_eq!(
                round_name_from(&format!("2023年专项督察问题清单{part}")),
                "2023年专项督察"
            );
        }
        assert_eq!(strip_role("区司法局（牵头）"), "区司法局");
        assert_eq!(strip_role("区司法局"), "区司法局");
    }
}
