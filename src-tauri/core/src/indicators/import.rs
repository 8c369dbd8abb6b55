//! Importing an official indicator system from the file an office receives: an Excel sheet or
//! a Word table, made by whatever tool and habit.
//!
//! parse → plan (a [`SystemDraft`] plus issues with file/sheet/row/column) → preview → apply.
//! Parsing never stops at the first problem: it collects every issue, and only a plan without
//! errors can be applied.
//!
//! Habits handled: title and notes rows around the table; one- or two-row headers found by
//! their names (aliases, full-width forms, line breaks inside headers) rather than position;
//! hierarchy in merged cells (Excel merges, Word gridSpan/vMerge) or blank-means-same-as-above;
//! hierarchy as full-width heading rows ("一、…" spanning the table); numbers stored as text,
//! full-width digits and styles like "第12项", "12.", "（十二）"; hidden and blank rows; header
//! rows repeated on every page of a Word table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Transaction;

use sha2::{Digest, Sha256};

use super::{SystemDraft, counts, default_level_names, leaf};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, IndicatorImportPreview, IndicatorNode, Severity, SystemInfo};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{
    Issues, Uncalculated, is_note_text, is_total_text, row_list, scan_header, short,
    uncalculated_issue,
};
use crate::sheet::{Grid, display_name, read_file, read_tables_from_bytes};
use crate::text::{
    code_parts, header_key, parse_number_label, plain_code, split_heading, to_half_width,
};
use crate::workspace::Workspace;

/// What a header cell means.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    No,
    /// A hierarchy column with an explicit ordinal ("二级指标" → Some(2)) or a named one ("方面").
    Level(Option<u32>),
    /// The indicator text column when it is not an ordinal level ("指标内容").
    Text,
    Score,
    Methods,
    Veto,
}

fn classify(raw: &str) -> Option<Role> {
    let k = header_key(raw);
    if k.is_empty() || k.chars().count() > 16 {
        return None;
    }
    const NO: &[&str] = &[
        "序号",
        "编号",
        "序",
        "项次",
        "NO",
        "No",
        "No.",
        "指标号",
        "号",
    ];
    if NO.contains(&k.as_str()) || k.ends_with("序号") || k.ends_with("编号") {
        return Some(Role::No);
    }
    const SCORE: &[&str] = &[
        "分值",
        "分数",
        "标准分",
        "满分",
        "权重",
        "基础分",
        "标准分值",
        "赋分",
        "分值(分)",
        "得分标准",
    ];
    if SCORE.contains(&k.as_str()) || k.starts_with("分值") {
        return Some(Role::Score);
    }
    if k.contains("否决") {
        return Some(Role::Veto);
    }
    const METHODS: &[&str] = &[
        "评估方式",
        "评分标准",
        "评价方式",
        "测评方式",
        "考评方法",
        "评分方法",
        "评估方法",
        "评分细则",
        "评价标准",
        "考核方式",
        "评测方式",
        "考核方法",
        "计分方法",
        "评分办法",
        "评估方法及标准",
        "评分依据",
        "考核标准",
    ];
    if METHODS.contains(&k.as_str())
        || k.starts_with("评分")
        || k.starts_with("评估方")
        || k.starts_with("测评方")
    {
        return Some(Role::Methods);
    }
    // "一级指标", "三级指标内容", "二级指标名称".
    let chars: Vec<char> = k.chars().collect();
    if chars.len() >= 3 && chars[1] == '级' && chars[2] == '指' {
        if let Some(n) = crate::text::chinese_numeral(&chars[0].to_string()) {
            return Some(Role::Level(Some(n as u32)));
        }
        if let Some(d) = chars[0].to_digit(10) {
            return Some(Role::Level(Some(d)));
        }
    }
    const TEXT: &[&str] = &[
        "指标内容",
        "指标",
        "具体指标",
        "考核内容",
        "评价内容",
        "测评内容",
        "指标要求",
        "评价指标",
        "考核指标",
        "具体内容",
        "内容",
        "创建标准",
        "指标及要求",
        "示范指标",
        "指标名称",
        "指标描述",
        "工作要求",
        "建设标准",
        "考核要点",
        "测评指标",
        "评估内容",
    ];
    if TEXT.contains(&k.as_str()) {
        return Some(Role::Text);
    }
    const LEVEL: &[&str] = &[
        "方面",
        "领域",
        "类别",
        "指标类别",
        "评价维度",
        "维度",
        "板块",
        "类型",
        "部分",
        "项目",
        "一级",
        "二级",
        "三级",
        "四级",
    ];
    if LEVEL.contains(&k.as_str()) {
        return Some(Role::Level(None));
    }
    None
}

/// The columns of a recognised header.
#[derive(Debug, Clone)]
struct Header {
    /// Last header row (data starts below it).
    row: usize,
    no: Option<usize>,
    /// Hierarchy columns above the leaf, top first, with their header text.
    levels: Vec<(usize, String)>,
    text: usize,
    text_name: String,
    score: Option<usize>,
    methods: Option<usize>,
    veto: Option<usize>,
    score_quality: usize,
    /// The smallest ordinal a level header names ("二级指标" → 2): above 1, the upper levels
    /// are not in the table (an aspect per sheet).
    top_ordinal: Option<u32>,
    /// 分值 sub-columns under an upper level header ("一级指标" over "内容 | 分值"): the score
    /// of that level's groups, with the level's ordinal.
    group_scores: Vec<(usize, u32)>,
}

impl Header {
    fn used(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.levels.iter().map(|(c, _)| *c).collect();
        v.push(self.text);
        v.extend(
            [self.no, self.score, self.methods, self.veto]
                .into_iter()
                .flatten(),
        );
        v.extend(self.group_scores.iter().map(|(c, _)| *c));
        v
    }
}

/// The level a header names by its first characters: "三级序号" → 3.
fn level_ordinal(k: &str) -> Option<u32> {
    let chars: Vec<char> = k.chars().take(2).collect();
    if chars.len() < 2 || chars[1] != '级' {
        return None;
    }
    crate::text::chinese_numeral(&chars[0].to_string())
        .map(|n| n as u32)
        .or_else(|| chars[0].to_digit(10))
}

/// A header from the names of one row (column, text). Visible columns are read first: a hidden
/// column only takes a role no visible column takes (a hidden 原序号 beside the real 序号).
fn header_from(g: &Grid, names: &[(usize, String)], row: usize) -> Option<Header> {
    let mut no = None;
    let mut levels: Vec<(Option<u32>, usize, String)> = Vec::new();
    let mut text: Option<(usize, String)> = None;
    let (mut score, mut methods, mut veto) = (None, None, None);
    let mut quality = 0;
    let mut top_ordinal: Option<u32> = None;
    let mut visible_levels = false;
    let mut no_ordinal: Option<u32> = None;
    let ordered = names
        .iter()
        .filter(|(c, _)| !g.col_hidden(*c))
        .chain(names.iter().filter(|(c, _)| g.col_hidden(*c)));
    for (c, name) in ordered {
        let Some(role) = classify(name) else { continue };
        let clean = header_key(name);
        let hidden = g.col_hidden(*c);
        match role {
            // Numbers per level ("一级序号 | … | 三级序号"): the deepest level's is the
            // indicator's.
            Role::No if no.is_none() => {
                no = Some(*c);
                no_ordinal = level_ordinal(&clean);
            }
            Role::No
                if !hidden
                    && level_ordinal(&clean).is_some_and(|o| no_ordinal.is_some_and(|n| o > n)) =>
            {
                no = Some(*c);
                no_ordinal = level_ordinal(&clean);
                continue;
            }
            Role::Level(n) if !levels.iter().any(|(_, cc, _)| cc == c) => {
                // The same ordinal twice (merged header copied across) counts once.
                if n.is_some() && levels.iter().any(|(m, _, _)| *m == n) {
                    continue;
                }
                // A hidden named level ("类别") beside visible levels is not a level.
                if hidden && n.is_none() && visible_levels {
                    continue;
                }
                visible_levels |= !hidden;
                if let Some(o) = n {
                    top_ordinal = Some(top_ordinal.map_or(o, |t| t.min(o)));
                }
                levels.push((n, *c, clean));
            }
            Role::Text if text.is_none() => text = Some((*c, clean)),
            Role::Score if score.is_none() => score = Some(*c),
            Role::Methods if methods.is_none() => methods = Some(*c),
            Role::Veto if veto.is_none() => veto = Some(*c),
            _ => continue,
        }
        quality += 1;
    }
    // Ordinal levels sort by ordinal, named ones keep column order before them.
    levels.sort_by_key(|(n, c, _)| (n.unwrap_or(0), *c));
    let text = match text {
        Some(t) => t,
        None => {
            // The deepest level column is the indicator text.
            let (_, c, name) = levels.pop()?;
            (c, name)
        }
    };
    if levels.is_empty() && no.is_none() {
        // A lone "内容" column is not enough to call this an indicator table.
        return None;
    }
    Some(Header {
        row,
        no,
        levels: levels.into_iter().map(|(_, c, n)| (c, n)).collect(),
        text: text.0,
        text_name: text.1,
        score,
        methods,
        veto,
        score_quality: quality,
        top_ordinal,
        group_scores: Vec::new(),
    })
}

/// Find the header (see [`scan_header`]): a single row, or two rows read together (a top row
/// such as "指标体系" spanning the level columns above "一级指标 | 二级指标 | 三级指标"). The
/// header naming the most roles wins.
///
/// A level header over sub-columns ("三级指标" merged over "内容 | 分值") names its text column
/// by the level; the 分值 under the deepest such level is the indicators' score, a 分值 under
/// an upper level ("一级指标分值") is a group's and is not read as theirs.
fn find_header(g: &Grid) -> Option<Header> {
    scan_header(g, |r, cells, above| {
        let mut group_scores: Vec<(usize, u32)> = Vec::new();
        let names: Vec<(usize, String)> = match above {
            None => cells.iter().cloned().enumerate().collect(),
            Some(high) => {
                let level_of = |t: &str| match classify(t) {
                    Some(Role::Level(n)) => Some(n),
                    _ => None,
                };
                let over_sub = |low: &str, high: &str| {
                    level_of(high).is_some()
                        && matches!(classify(low), Some(Role::Text | Role::Score))
                };
                let deepest = cells
                    .iter()
                    .zip(high)
                    .filter(|(low, high)| over_sub(low, high))
                    .filter_map(|(_, high)| level_of(high).flatten())
                    .max();
                cells
                    .iter()
                    .zip(high)
                    .enumerate()
                    .map(|(c, (low, high))| {
                        if over_sub(low, high) {
                            match classify(low) {
                                Some(Role::Score)
                                    if level_of(high).flatten().is_some()
                                        && level_of(high).flatten() != deepest =>
                                {
                                    if let Some(o) = level_of(high).flatten() {
                                        group_scores.push((c, o));
                                    }
                                    format!("{high}{low}")
                                }
                                Some(Role::Score) => low.clone(),
                                _ => high.clone(),
                            }
                        } else if classify(low).is_some() || high.is_empty() {
                            low.clone()
                        } else {
                            high.clone()
                        }
                    })
                    .enumerate()
                    .collect()
            }
        };
        header_from(g, &names, r).map(|mut h| {
            // Only a level the header reads has groups to carry the score.
            h.group_scores = group_scores
                .into_iter()
                .filter(|(_, o)| {
                    h.levels
                        .iter()
                        .any(|(_, n)| classify(n) == Some(Role::Level(Some(*o))))
                })
                .collect();
            (h.score_quality, h)
        })
    })
}

/// Heading styles, used to give heading rows their level in the order they first appear.
fn heading_style(code: &str) -> &'static str {
    let c = to_half_width(code);
    if c.starts_with('第') {
        "part"
    } else if c.starts_with('(') {
        if c.chars().any(|ch| ch.is_ascii_digit()) {
            "paren-digit"
        } else {
            "paren-cn"
        }
    } else if c.chars().all(|ch| ch.is_ascii_digit()) {
        "digit"
    } else {
        "cn"
    }
}

/// One indicator read from a table.
struct Row {
    no: i64,
    /// Index of its table among the tables read together.
    table: usize,
    row: usize,
    path: Vec<String>,
    text: String,
    score: Option<f64>,
    methods: Option<String>,
    veto: bool,
    /// The first row of the merged 分值 cell this row's score is part of, when that cell is
    /// merged down over several indicators (the score of their group, not of each).
    merged_score: Option<usize>,
}

/// A 分值 cell merged down over several indicators of one table.
struct MergedScore {
    /// First row of the merged cell (0-based) and the last indicator row it covers.
    first: usize,
    last: usize,
    col: usize,
    /// The value as written, and as a number when it is one.
    text: String,
    value: Option<f64>,
    /// How many indicators it covers.
    count: usize,
}

/// What one table holds.
struct TableRows {
    rows: Vec<Row>,
    issues: Vec<ImportIssue>,
    title: Option<String>,
    /// An error was found (so "no indicators under the header" would only repeat it).
    has_errors: bool,
    /// 分值 cells merged over several indicators, in row order.
    merged_scores: Vec<MergedScore>,
}

/// How hidden rows skipped are listed: one warning each up to this many, then one for the rest.
const HIDDEN_ROWS_LISTED: usize = 20;

/// The title of a table: the first line above the header that names a system.
fn table_title(g: &Grid, h: &Header) -> Option<String> {
    let width = g.width();
    let above = g.caption.iter().cloned().chain((0..h.row).flat_map(|r| {
        let mut vals: Vec<String> = (0..width)
            .map(|c| g.text(r, c).to_string())
            .filter(|t| !t.is_empty())
            .collect();
        vals.dedup();
        vals
    }));
    for t in above {
        let t1 = t.replace('\n', "");
        let generic = ["指标体系", "指标", "体系"].contains(&t1.trim());
        if (t1.contains("指标") || t1.contains("体系"))
            && !generic
            && t1.chars().count() <= 60
            && classify(&t1).is_none()
        {
            return Some(t1.trim().to_string());
        }
    }
    None
}

/// The heading a table stands for when a system is split into one table per aspect: a heading
/// ("一、…") above the header or in the paragraphs before a Word table, else the sheet name.
fn table_heading(g: &Grid, h: &Header) -> String {
    let width = g.width();
    let cells = (0..h.row).flat_map(|r| (0..width).map(move |c| (r, c)));
    let in_sheet = cells
        .map(|(r, c)| g.text(r, c))
        .find(|t| !t.is_empty() && !split_heading(t).0.is_empty() && t.chars().count() <= 40);
    let in_caption = g
        .caption
        .iter()
        .rev()
        .map(String::as_str)
        .find(|t| !split_heading(t).0.is_empty() && t.chars().count() <= 40);
    in_sheet
        .or(in_caption)
        .map(|t| t.replace('\n', ""))
        .unwrap_or_else(|| g.name.clone())
}

/// The depth of the indicators' codes when most 序号 of the table are hierarchical codes
/// ("1.1.1"); none when they are plain numbers.
fn dotted_depth(g: &Grid, h: &Header) -> Option<usize> {
    let c = h.no?;
    let parts: Vec<usize> = (h.row + 1..g.rows.len())
        .map(|r| g.text(r, c))
        .filter(|t| !t.is_empty())
        .map(|t| code_parts(t).unwrap_or(0))
        .collect();
    let dotted = parts.iter().filter(|p| **p >= 2).count();
    (dotted * 2 > parts.len()).then(|| parts.iter().copied().max().unwrap_or(0))
}

/// The level of a heading numbered in `style` ("一、", "（一）", …): styles take levels in the
/// order they first appear.
fn style_level(styles: &mut Vec<&'static str>, style: &'static str) -> usize {
    styles.iter().position(|s| *s == style).unwrap_or_else(|| {
        styles.push(style);
        styles.len() - 1
    })
}

/// Opens the heading `label` at `level` of the path: deeper headings close, a skipped level
/// stays blank.
fn open_heading(path: &mut Vec<String>, level: usize, label: String) {
    path.resize(level, String::new());
    path.push(label);
}

fn read_rows(file: &str, g: &Grid, h: &Header, table: usize) -> TableRows {
    let mut issues = Issues::new(file);
    let title = table_title(g, h);
    let width = g.width();
    let used = h.used();
    // Hidden columns the header does not use are not part of the table.
    let cols: Vec<usize> = (0..width)
        .filter(|c| !g.col_hidden(*c) || used.contains(c))
        .collect();
    for note in &g.read_notes {
        issues.at(Severity::Warning, g, None, None, note);
    }
    header_notes(&mut issues, g, h, &used, width);

    // Formulas never calculated read as empty cells: say so once per column, not per row.
    let column_names: Vec<(usize, String, bool)> =
        std::iter::once((h.no, "序号".to_string(), true))
            .chain(std::iter::once((Some(h.text), h.text_name.clone(), true)))
            .chain(h.levels.iter().map(|(c, n)| (Some(*c), n.clone(), true)))
            .chain([
                (h.score, "分值".to_string(), false),
                (h.methods, "评估方式".to_string(), false),
                (h.veto, "一票否决".to_string(), false),
            ])
            .filter_map(|(c, n, needed)| c.map(|c| (c, n, needed)))
            .collect();
    let mut no_uncalculated = None;
    let mut text_uncalculated = None;
    for (c, name, needed) in &column_names {
        let Some(u) = uncalculated_issue(g, *c, Some(h.row), name) else {
            continue;
        };
        let severity = if *needed {
            Severity::Error
        } else {
            Severity::Warning
        };
        issues.at(severity, g, Some(u.first_row()), Some(*c), &u.message);
        if Some(*c) == h.no {
            no_uncalculated = Some(u);
        } else if *c == h.text {
            text_uncalculated = Some(u);
        }
    }
    let uncalculated =
        |u: &Option<Uncalculated>, r: usize| u.as_ref().is_some_and(|u| u.contains(r));

    // 序号 written as hierarchical codes ("1.1.1"): the deepest codes are the indicators,
    // numbered 1..N in the table's order; a shorter code ("1", "1.1") opens a heading.
    let dotted_depth = dotted_depth(g, h);
    let mut dotted: Vec<String> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut hidden_skipped: Vec<usize> = Vec::new();
    let mut view_hidden: Vec<usize> = Vec::new();
    let mut styles: Vec<&'static str> = Vec::new();
    let mut heading_path: Vec<String> = Vec::new();
    let mut last_levels: Vec<String> = vec![String::new(); h.levels.len()];
    let first_data = h.row + 1;
    let mut last_seen: Option<usize> = None;
    // The last row joined to the indicator above as its continuation, and how many were.
    let mut joined: (Option<usize>, usize) = (None, 0);
    for r in first_data..g.rows.len() {
        if g.row_is_blank(r) {
            continue;
        }
        // The row with content before this one.
        let previous = last_seen.replace(r);
        // A hidden row is not live data (a withdrawn indicator kept out of sight), unless a
        // view hides it (a filter left on, a collapsed group): that row is read.
        if g.row_hidden(r) {
            if !g.row_hidden_by_view(r) {
                hidden_skipped.push(r);
                continue;
            }
            view_hidden.push(r);
        }
        let text = g.text(r, h.text).to_string();
        let no_raw = h.no.map(|c| g.text(r, c).to_string()).unwrap_or_default();
        let mut distinct: Vec<&str> = cols
            .iter()
            .map(|&c| g.text(r, c))
            .filter(|t| !t.is_empty())
            .collect();
        let filled = distinct.len();
        distinct.sort_unstable();
        distinct.dedup();
        // A row whose cells all say one thing spans the table: a heading or a note.
        if distinct.len() == 1 && (filled >= 2 || (text.is_empty() && no_raw.is_empty())) {
            let only = distinct[0].to_string();
            if is_note_text(&only) {
                continue;
            }
            let (code, _) = split_heading(&only);
            let levels_blank = h
                .levels
                .iter()
                .all(|(c, _)| g.text(r, *c).is_empty() || g.text(r, *c) == only);
            if !code.is_empty() && levels_blank {
                let level = style_level(&mut styles, heading_style(&code));
                open_heading(&mut heading_path, level, only);
                continue;
            }
            if text.is_empty() || filled >= 2 && no_raw.is_empty() {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    &format!("无法识别的整行文字“{}”，已跳过。", short(&only)),
                );
                continue;
            }
        }
        // A header row repeated on a new page (Word tables do this).
        if classify(&text).is_some() && (no_raw.is_empty() || classify(&no_raw) == Some(Role::No)) {
            continue;
        }
        let code_parts = dotted_depth.and_then(|_| code_parts(&no_raw));
        // Among hierarchical codes, a 序号 such as "一" or "（一）" opens a heading too.
        let cn_heading =
            dotted_depth.is_some() && code_parts.is_none() && parse_number_label(&no_raw).is_some();
        if let Some(depth) = dotted_depth
            && (cn_heading || code_parts.is_some_and(|p| p < depth))
        {
            let name = if text.is_empty() {
                h.levels
                    .iter()
                    .map(|(c, _)| g.text(r, *c))
                    .find(|t| !t.is_empty())
                    .unwrap_or_default()
                    .to_string()
            } else {
                text.clone()
            };
            if !name.is_empty() {
                let (level, label) = match code_parts {
                    Some(parts) => (parts - 1, format!("{} {name}", plain_code(&no_raw))),
                    None => (
                        style_level(&mut styles, heading_style(no_raw.trim())),
                        super::heading_label_of(no_raw.trim(), &name),
                    ),
                };
                open_heading(&mut heading_path, level, label);
            }
            continue;
        }
        // Hierarchy from the level columns; blank means "same as above" (ODS keeps no merges).
        let mut path = heading_path
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>();
        for (i, (c, _)) in h.levels.iter().enumerate() {
            let v = g.text(r, *c);
            if !v.is_empty() {
                if last_levels[i] != v {
                    for deeper in last_levels.iter_mut().skip(i + 1) {
                        deeper.clear();
                    }
                }
                last_levels[i] = v.to_string();
            }
            if !last_levels[i].is_empty() {
                path.push(last_levels[i].clone());
            }
        }
        if text.is_empty() {
            if !no_raw.is_empty()
                && parse_number_label(&no_raw).is_some()
                && !uncalculated(&text_uncalculated, r)
            {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(h.text),
                    &format!("指标序号为“{no_raw}”，但“{}”一栏为空。", h.text_name),
                );
            }
            // A heading-only row of the level columns (e.g. a 一级 with nothing else): skip.
            continue;
        }
        if no_raw.is_empty() && is_note_text(&text) {
            continue;
        }
        // A total row ("合计 | … | 100") is arithmetic, not an indicator.
        if is_total_text(&no_raw) || is_total_text(&text) {
            continue;
        }
        // Text that spills into the next row (a PDF copied into a sheet, a Word row split over
        // a page): no number, the same levels, nothing but text. It is the end of the
        // indicator above.
        // So is a row whose 序号 cell is merged down from the indicator above (one indicator
        // written over several rows, its text or 评估方式 line by line).
        let merged_from = |c: Option<usize>| {
            c.and_then(|c| g.cell(r, c))
                .filter(|x| x.merged_copy && x.merged_up > 0)
                .map(|x| r - x.merged_up as usize)
        };
        let no_merged = merged_from(h.no);
        if (no_raw.is_empty() || no_merged.is_some())
            && !uncalculated(&no_uncalculated, r)
            && let Some(prev) = rows.last_mut()
            && match no_merged {
                Some(first) => first == prev.row,
                None => {
                    previous == Some(prev.row)
                        || previous.is_some() && previous == joined.0 && joined.1 < 2
                }
            }
            && prev.path == path
            && continues_above(g, h, r, &text, no_merged.is_some())
        {
            let sep = if no_merged.is_some() { "\n" } else { "" };
            let extra = h
                .methods
                .and_then(|c| g.cell(r, c))
                .filter(|c| !c.text.is_empty() && !c.merged_copy)
                .map(|c| c.text.clone());
            let text_more = merged_from(Some(h.text)).is_none();
            if text_more {
                prev.text.push_str(sep);
                prev.text.push_str(&text);
            }
            joined = if previous == Some(prev.row) {
                (Some(r), 1)
            } else {
                (Some(r), joined.1 + 1)
            };
            if let Some(m) = extra {
                let joined = match prev.methods.take() {
                    Some(before) => format!("{before}{sep}{m}"),
                    None => m,
                };
                prev.methods = Some(joined);
            }
            if !text_more {
                continue;
            }
            if no_merged.is_some() {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(h.text),
                    &format!(
                        "这一行的序号与上一行合并为同一单元格（第{}项），这一行的“{}”已作为该项指标内容的下一段接上，请核对。",
                        prev.no, h.text_name
                    ),
                );
                continue;
            }
            let above = if g.locate(prev.row).0 == g.locate(r).0 {
                format!("第{}行", g.locate(prev.row).1 + 1)
            } else {
                g.place(prev.row, None)
            };
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(h.text),
                &format!(
                    "这一行没有序号，只有“{}”一栏有文字，像是上一行（{above}）第{}项指标内容的续行，已接在该项指标内容之后，请核对。",
                    h.text_name,
                    prev.no
                ),
            );
            continue;
        }
        let in_order = (code_parts.is_some() && code_parts == dotted_depth).then(|| {
            dotted.push(plain_code(&no_raw));
            dotted.len() as i64
        });
        let (no, text) = match (h.no, in_order.or_else(|| parse_number_label(&no_raw))) {
            (Some(_), Some(n)) => (Some(n), text),
            (Some(c), None) if !no_raw.is_empty() => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(c),
                    &format!("序号“{}”无法识别为数字。", short(&no_raw)),
                );
                (None, text)
            }
            _ => {
                // No number column or a blank cell: take a leading "12." from the text itself.
                let (code, rest) = split_heading(&text);
                match parse_number_label(&code) {
                    Some(n) if !rest.is_empty() => (Some(n), rest),
                    // Said once for the whole column above.
                    _ if uncalculated(&no_uncalculated, r) => (None, text),
                    _ => {
                        let col = h.no.unwrap_or(h.text);
                        issues.at(Severity::Error, g, Some(r), Some(col), "缺少指标序号。");
                        (None, text)
                    }
                }
            }
        };
        let Some(no) = no else { continue };
        let score = h.score.and_then(|c| {
            let cell = g.cell(r, c)?;
            match score_of(cell)? {
                Ok(v) => Some(v),
                Err(()) => {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(c),
                        &format!("分值“{}”不是数字，已留空。", short(&cell.text)),
                    );
                    None
                }
            }
        });
        let methods = h
            .methods
            .map(|c| g.text(r, c).to_string())
            .filter(|s| !s.is_empty());
        let veto = h.veto.is_some_and(|c| {
            let t = g.text(r, c);
            !t.is_empty() && !["否", "无", "-", "—", "0", "N", "n", "×"].contains(&t)
        });
        // The first row of the score cell's merged region (the row itself when not merged
        // down).
        let merged_score = h.score.and_then(|c| {
            let cell = g.cell(r, c)?;
            (cell.merged_copy && cell.merged_up > 0).then(|| r - cell.merged_up as usize)
        });
        rows.push(Row {
            no,
            table,
            row: r,
            path,
            text,
            score,
            methods,
            veto,
            merged_score: merged_score.or(Some(r)),
        });
    }
    if let (Some(first), Some(last)) = (dotted.first(), dotted.last()) {
        issues.at(
            Severity::Warning,
            g,
            h.no.map(|_| h.row),
            h.no,
            &format!(
                "序号是分级编号（“{first}”至“{last}”）：这 {n} 项指标已按表中的先后顺序编为第1—{n}项，编号较短的行（如“{short}”）作为上级指标。任务分解、问题清单和导出的表格都按新的序号（1—{n}）对应指标，请核对。",
                n = dotted.len(),
                short = if dotted_depth == Some(2) { "1" } else { "1.1" },
            ),
        );
    }
    let merged_scores = h
        .score
        .map(|c| merged_scores(g, c, &mut rows))
        .unwrap_or_default();
    view_hidden_note(&mut issues, g, &view_hidden, &rows);
    hidden_rows_note(&mut issues, g, h, &hidden_skipped);
    many_hidden_note(&mut issues, g, hidden_skipped.len(), rows.len());
    TableRows {
        has_errors: issues.has_errors(),
        rows,
        issues: issues.list,
        title,
        merged_scores,
    }
}

/// The score a cell holds: None when empty, Err when it is not a number ("1.5分" and
/// full-width digits are).
fn score_of(cell: &crate::sheet::Cell) -> Option<std::result::Result<f64, ()>> {
    if let Some(n) = cell.number {
        return Some(Ok(n));
    }
    let t = to_half_width(&cell.text);
    let t = t.trim().trim_end_matches('分').trim();
    if t.is_empty() {
        return None;
    }
    Some(t.parse::<f64>().map_err(|_| ()))
}

/// Whether row `r` (without a number) holds only the rest of the indicator text above: its
/// text does not start with a number of its own, and its 分值 and 一票否决 cells are empty.
fn continues_above(g: &Grid, h: &Header, r: usize, text: &str, merged_no: bool) -> bool {
    let (code, rest) = split_heading(text);
    let numbered = !merged_no && !rest.is_empty() && parse_number_label(&code).is_some();
    let empty_or_merged = |c: Option<usize>| {
        c.is_none_or(|c| {
            g.cell(r, c)
                .is_none_or(|x| x.text.is_empty() || x.merged_copy)
        })
    };
    !numbered && !is_note_text(text) && empty_or_merged(h.score) && empty_or_merged(h.veto)
}

/// The 分值 cells merged down over two or more indicators: a group's score, never each
/// indicator's. Their indicators are left without a score (`Row::merged_score` keeps the
/// region); a row alone in its region keeps its score and loses the mark.
fn merged_scores(g: &Grid, col: usize, rows: &mut [Row]) -> Vec<MergedScore> {
    let mut by_first: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(first) = row.merged_score {
            by_first.entry(first).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (first, members) in by_first {
        if members.len() < 2 {
            for &i in &members {
                rows[i].merged_score = None;
            }
            continue;
        }
        let value = members.iter().find_map(|&i| rows[i].score);
        for &i in &members {
            rows[i].score = None;
        }
        out.push(MergedScore {
            first,
            last: members.iter().map(|&i| rows[i].row).max().unwrap_or(first),
            col,
            text: g.text(first, col).to_string(),
            value,
            count: members.len(),
        });
    }
    out
}

/// Rows a filter or a collapsed outline group hides are read (a view is not a withdrawal):
/// said once, naming them.
fn view_hidden_note(issues: &mut Issues, g: &Grid, hidden: &[usize], rows: &[Row]) {
    let read: std::collections::BTreeSet<usize> = rows.iter().map(|r| r.row).collect();
    let read_hidden: Vec<usize> = hidden
        .iter()
        .copied()
        .filter(|r| read.contains(r))
        .collect();
    let Some(&first) = read_hidden.first() else {
        return;
    };
    issues.at(
        Severity::Warning,
        g,
        Some(first),
        None,
        &format!(
            "有 {} 行指标被筛选或折叠的分组隐藏（{}）。筛选和分组折叠只影响显示，这些行仍是指标体系的一部分，已照常导入，请核对。",
            read_hidden.len(),
            row_list(&read_hidden)
        ),
    );
}

/// When more than a quarter of the rows with content are hidden rows left out, one warning
/// ahead of everything else says how much of the table that is.
fn many_hidden_note(issues: &mut Issues, g: &Grid, hidden: usize, read: usize) {
    if hidden == 0 || hidden * 4 <= hidden + read {
        return;
    }
    let mut tmp = Issues::new(&issues.file);
    tmp.at(
        Severity::Warning,
        g,
        None,
        None,
        &format!(
            "注意：有 {hidden} 行是隐藏行，占表中内容行的 {}%，都没有导入，只导入了 {read} 项指标。隐藏的行不作为指标体系的一部分；如果这些行应当导入，请在 Excel 或 WPS 中取消隐藏后重新导入。",
            hidden * 100 / (hidden + read)
        ),
    );
    issues.list.splice(0..0, tmp.list);
}

/// The header text of column `c` (in the header row, or the row above it for two-row headers).
fn header_text(g: &Grid, h: &Header, c: usize) -> String {
    let t = g.text(h.row, c);
    let above = if h.row > 0 { g.text(h.row - 1, c) } else { "" };
    let t = if t.is_empty() {
        above.to_string()
    } else if matches!(classify(t), Some(Role::Score | Role::Text))
        && matches!(classify(above), Some(Role::Level(_)))
    {
        // A sub-column of a level header: "一级指标" over "分值".
        format!("{above}{t}")
    } else {
        t.to_string()
    };
    t.replace('\n', "")
}

/// "C列“牵头单位”" / "第3列“牵头单位”".
fn col_named(g: &Grid, c: usize, name: &str) -> String {
    if g.is_word_table {
        format!("第{}列“{}”", c + 1, short(name))
    } else {
        format!("{}列“{}”", g.col_label(c), short(name))
    }
}

/// Columns of the header the import does not read, and hidden columns it does or does not read:
/// never silently.
fn header_notes(issues: &mut Issues, g: &Grid, h: &Header, used: &[usize], width: usize) {
    let used_names: Vec<String> = used.iter().map(|&c| header_text(g, h, c)).collect();
    let (mut unused, mut hidden_unused) = (Vec::new(), Vec::new());
    for c in 0..width {
        let name = header_text(g, h, c);
        if name.is_empty() || used.contains(&c) {
            continue;
        }
        // A merged header cell copied across a used column is not a column of its own.
        if g.cell(h.row, c).is_some_and(|cell| cell.merged_copy) && used_names.contains(&name) {
            continue;
        }
        if g.col_hidden(c) {
            hidden_unused.push(col_named(g, c, &name));
        } else {
            unused.push(col_named(g, c, &name));
        }
    }
    if !hidden_unused.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(h.row),
            None,
            &format!(
                "隐藏的列不导入：{}（隐藏的内容不作为指标体系的一部分；如需导入，请在 Excel 或 WPS 中取消隐藏）。",
                hidden_unused.join("、")
            ),
        );
    }
    if !unused.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(h.row),
            None,
            &format!(
                "未导入的列：{}（指标体系只读取序号、各级指标、分值、评估方式和一票否决）。",
                unused.join("、")
            ),
        );
    }
    let hidden_used: Vec<String> = used
        .iter()
        .filter(|c| g.col_hidden(**c))
        .map(|&c| col_named(g, c, &header_text(g, h, c)))
        .collect();
    if !hidden_used.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(h.row),
            None,
            &format!(
                "{}是隐藏的列，没有其他同名的列，仍按其内容导入，请核对。",
                hidden_used.join("、")
            ),
        );
    }
}

/// Hidden rows skipped: each named, with what it holds.
fn hidden_rows_note(issues: &mut Issues, g: &Grid, h: &Header, rows: &[usize]) {
    for &r in rows.iter().take(HIDDEN_ROWS_LISTED) {
        let no = h.no.map(|c| g.text(r, c)).unwrap_or("");
        let text = g.text(r, h.text);
        let what = [no, text]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let what = if what.is_empty() {
            String::new()
        } else {
            format!("（“{}”）", short(&what))
        };
        issues.at(
            Severity::Warning,
            g,
            Some(r),
            None,
            &format!(
                "这一行是隐藏行{what}，已跳过，未导入。如果它应当导入，请在 Excel 或 WPS 中取消隐藏后重新导入。"
            ),
        );
    }
    if rows.len() > HIDDEN_ROWS_LISTED {
        let rest: Vec<String> = rows[HIDDEN_ROWS_LISTED..]
            .iter()
            .take(50)
            .map(|r| format!("第{}行", r + 1))
            .collect();
        issues.at(
            Severity::Warning,
            g,
            None,
            None,
            &format!(
                "另有 {} 个隐藏行已跳过，未导入：{}{}。如果是筛选隐藏的，请先取消筛选再导入。",
                rows.len() - HIDDEN_ROWS_LISTED,
                rest.join("、"),
                if rows.len() - HIDDEN_ROWS_LISTED > 50 {
                    "等"
                } else {
                    ""
                }
            ),
        );
    }
}

/// One table with an indicator header.
struct Found<'g> {
    g: &'g Grid,
    h: Header,
    t: TableRows,
}

impl Found<'_> {
    fn numbers(&self) -> std::collections::BTreeSet<i64> {
        self.t.rows.iter().map(|r| r.no).collect()
    }

    fn depth(&self) -> usize {
        self.t.rows.iter().map(|r| r.path.len()).max().unwrap_or(0)
    }

    /// "工作表“2019版”（104 项，序号 1—104）".
    fn describe(&self) -> String {
        let n = self.numbers();
        match (n.first(), n.last()) {
            (Some(a), Some(b)) if a != b => format!(
                "{}（{} 项，序号 {a}—{b}）",
                self.g.label(),
                self.t.rows.len()
            ),
            _ => format!("{}（{} 项）", self.g.label(), self.t.rows.len()),
        }
    }
}

fn norm(t: &str) -> String {
    to_half_width(t)
        .chars()
        .filter(|c| !c.is_whitespace() && !"，。；、,.;".contains(*c))
        .collect()
}

/// Whether `other` repeats indicators of `best` (a 任务分解 sheet or a copy beside the system):
/// its numbers are among those of `best` and nearly all its texts are the same.
fn repeats(best: &Found<'_>, other: &Found<'_>) -> bool {
    let texts: BTreeMap<i64, String> = best.t.rows.iter().map(|r| (r.no, norm(&r.text))).collect();
    let mut same = 0usize;
    for r in &other.t.rows {
        match texts.get(&r.no) {
            Some(t) if *t == norm(&r.text) => same += 1,
            Some(_) => {}
            None => return false,
        }
    }
    !other.t.rows.is_empty() && same * 10 >= other.t.rows.len() * 9
}

/// Whether no number is in two of the tables (a number twice in one table is reported there).
fn pairwise_disjoint(found: &[Found<'_>], keep: &[usize]) -> bool {
    let mut all = std::collections::BTreeSet::new();
    keep.iter().all(|&i| {
        let n = found[i].numbers();
        let ok = n.is_disjoint(&all);
        all.extend(n);
        ok
    })
}

/// Which tables make the system: one, or several read together in order (a system split into
/// one sheet or table per aspect). Hidden sheets give way to visible ones; copies of the
/// system's indicators are left out; tables whose numbers clash are refused. Returns the
/// chosen tables (indexes into `found`) and the issues about the choice (an error refuses).
fn choose(file: &str, found: &[Found<'_>]) -> (Vec<usize>, Vec<ImportIssue>) {
    let mut issues = Issues::new(file);
    let live: Vec<usize> = (0..found.len())
        .filter(|&i| !found[i].t.rows.is_empty())
        .collect();
    if live.is_empty() {
        // Nothing read: the first table with something to say, else none.
        let first = (0..found.len()).find(|&i| !found[i].t.issues.is_empty());
        return (first.into_iter().collect(), issues.list);
    }
    let visible: Vec<usize> = live
        .iter()
        .copied()
        .filter(|&i| !found[i].g.hidden)
        .collect();
    let mut keep = if visible.is_empty() {
        for &i in &live {
            issues.at(
                Severity::Warning,
                found[i].g,
                None,
                None,
                "这是隐藏的工作表，文件中没有其他可见的指标体系，已按其内容导入，请核对。",
            );
        }
        live.clone()
    } else {
        for &i in live.iter().filter(|i| found[**i].g.hidden) {
            issues.at(
                Severity::Warning,
                found[i].g,
                None,
                None,
                &format!(
                    "隐藏的工作表不导入（其中有 {} 项指标）；导入的是可见的工作表。",
                    found[i].t.rows.len()
                ),
            );
        }
        visible
    };
    if keep.len() == 1 {
        return (keep, issues.list);
    }
    // The biggest (most indicators, then deepest): copies of its indicators are left out.
    let best = keep
        .iter()
        .copied()
        .max_by_key(|&i| {
            (
                found[i].t.rows.len(),
                found[i].depth(),
                std::cmp::Reverse(i),
            )
        })
        .unwrap_or(keep[0]);
    keep.retain(|&i| {
        if i == best || !repeats(&found[best], &found[i]) {
            return true;
        }
        issues.at(
            Severity::Warning,
            found[i].g,
            None,
            None,
            &format!(
                "列出的 {} 项指标与{}相同，视为其副本，不重复导入。",
                found[i].t.rows.len(),
                found[best].g.label()
            ),
        );
        false
    });
    if !pairwise_disjoint(found, &keep) {
        // Small tables whose numbers clash with the system's (a 评分说明 with its own 1, 2, 3).
        keep.retain(|&i| {
            let small = found[i].t.rows.len() * 5 <= found[best].t.rows.len();
            let clash = !found[i].numbers().is_disjoint(&found[best].numbers());
            if i == best || !(small && clash) {
                return true;
            }
            issues.at(
                Severity::Warning,
                found[i].g,
                None,
                None,
                &format!(
                    "这里也有带序号的 {} 行，但序号与{}重复，不作为指标体系导入。",
                    found[i].t.rows.len(),
                    found[best].g.label()
                ),
            );
            false
        });
    }
    let what = if keep.iter().all(|&i| found[i].g.is_word_table) {
        "表格"
    } else {
        "工作表"
    };
    if keep.len() > 1 && !pairwise_disjoint(found, &keep) {
        let list: Vec<String> = keep.iter().map(|&i| found[i].describe()).collect();
        let fix = if what == "表格" {
            "请删除不需要导入的表格（或把要导入的表格单独另存为一个文件）后重试"
        } else {
            "请删除或隐藏不需要导入的工作表（或把要导入的工作表单独另存为一个文件）后重试"
        };
        issues.file(
            Severity::Error,
            &format!(
                "有 {} 个{what}都像指标体系，但序号相互重叠，无法判断应当导入哪一个，也不能合并：{}。{fix}。",
                keep.len(),
                list.join("、")
            ),
        );
        return (vec![best], issues.list);
    }
    if keep.len() > 1 {
        let list: Vec<String> = keep.iter().map(|&i| found[i].describe()).collect();
        issues.file(
            Severity::Warning,
            &format!(
                "指标体系分在 {} 个{what}中，已按顺序合并导入：{}。",
                keep.len(),
                list.join("、")
            ),
        );
    }
    (keep, issues.list)
}

/// Tables without a header that continue the system (same columns, numbered rows whose
/// numbers were not read): a continuation whose header was not repeated. Reading on without
/// them would import part of the system, so each is an error that says how to fix the file.
fn orphans(file: &str, first: &Found<'_>, headerless: &[&Grid], rows: &[Row]) -> Vec<ImportIssue> {
    let mut issues = Issues::new(file);
    let Some(no_col) = first.h.no else {
        return issues.list;
    };
    let read: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.no).collect();
    let width = first.g.width();
    for g in headerless
        .iter()
        .filter(|g| !g.hidden && g.width() == width)
    {
        let numbered: Vec<(usize, i64)> = (0..g.rows.len())
            .filter(|&r| !g.row_hidden(r) && !g.text(r, first.h.text).is_empty())
            .filter_map(|r| parse_number_label(g.text(r, no_col)).map(|n| (r, n)))
            .collect();
        let new: Vec<i64> = numbered
            .iter()
            .map(|(_, n)| *n)
            .filter(|n| !read.contains(n))
            .collect();
        if numbered.len() < 3 || new.is_empty() {
            continue;
        }
        let (lo, hi) = (
            new.iter().min().copied().unwrap_or(0),
            new.iter().max().copied().unwrap_or(0),
        );
        let fix = if g.is_word_table {
            format!(
                "请在 Word 中删除两个表格之间的文字使其合并，或在这个表格第一行加上与{}相同的表头",
                first.g.label()
            )
        } else {
            format!(
                "请给这个工作表加上与{}相同的表头（或把内容移到同一个工作表中）",
                first.g.label()
            )
        };
        issues.at(
            Severity::Error,
            g,
            Some(numbered[0].0),
            Some(no_col),
            &format!(
                "这里没有表头，但列数与{}相同，有 {} 行带序号的指标（序号 {lo}—{hi}）不在已读取的指标中，像是没有重复表头的续表。为免只导入一部分指标，已停止导入。{fix}，然后重新导入。",
                first.g.label(),
                numbered.len()
            ),
        );
    }
    issues.list
}

/// A parsed file: the system and everything found on the way.
pub struct Parsed {
    pub draft: SystemDraft,
    pub source: String,
    pub issues: Vec<ImportIssue>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

/// Read `path` and plan the import. Files that cannot be read at all, or hold no indicator
/// table, are errors; problems inside a table are issues in the plan.
pub fn plan(path: &Path) -> Result<Parsed> {
    let file = display_name(path);
    let bytes = read_file(path)?;
    let sha = format!("{:x}", Sha256::digest(&bytes));
    let grids = read_tables_from_bytes(&file, bytes)?;
    plan_grids(&file, path, &grids, sha)
}

/// The tree, level names and issues of the rows of the chosen tables.
struct Built {
    roots: Vec<IndicatorNode>,
    level_names: Vec<String>,
    issues: Vec<ImportIssue>,
}

fn build(file: &str, tables: &[&Found<'_>], mut rows: Vec<Row>, prefixed: bool) -> Built {
    let mut issues = Issues::new(file);
    let one = tables.len() == 1;
    let place = |row: &Row| -> String {
        let g = tables[row.table].g;
        if one && g.continued.is_empty() {
            format!("第{}行", row.row + 1)
        } else {
            g.place(row.row, None)
        }
    };
    // Duplicate numbers: name every row that carries one.
    let mut by_no: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_no.entry(r.no).or_default().push(i);
    }
    for (no, at) in by_no.iter().filter(|(_, v)| v.len() > 1) {
        let list: Vec<String> = at.iter().map(|&i| place(&rows[i])).collect();
        let second = &rows[at[1]];
        let t = tables[second.table];
        issues.at(
            Severity::Error,
            t.g,
            Some(second.row),
            Some(t.h.no.unwrap_or(t.h.text)),
            &format!(
                "指标序号 {no} 重复出现（{}），每个序号只能对应一项指标。",
                list.join("、")
            ),
        );
    }
    if let (Some(first), Some(last)) = (by_no.keys().next(), by_no.keys().last()) {
        let missing: Vec<String> = (*first..=*last)
            .filter(|n| !by_no.contains_key(n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() && missing.len() <= 50 {
            let what = format!("指标序号不连续，缺少：{}。", missing.join("、"));
            if one {
                issues.at(Severity::Warning, tables[0].g, None, None, &what);
            } else {
                issues.file(Severity::Warning, &what);
            }
        }
    }

    // Build the tree: headings keyed by their full path text.
    let depth_max = rows.iter().map(|r| r.path.len()).max().unwrap_or(0);
    if let Some(r) = rows.iter().find(|r| r.path.len() != depth_max) {
        issues.at(
            Severity::Warning,
            tables[r.table].g,
            Some(r.row),
            None,
            "部分指标的上级层次不完整（缺少上级指标），已按实际层次导入。",
        );
    }
    // A 分值 merged over the indicators of exactly one group is that group's score.
    let group_scores: Vec<(&MergedScore, usize, Option<Vec<String>>)> = tables
        .iter()
        .enumerate()
        .flat_map(|(k, t)| t.t.merged_scores.iter().map(move |m| (k, m)))
        .map(|(k, m)| {
            let members: Vec<&Row> = rows
                .iter()
                .filter(|r| r.table == k && r.merged_score == Some(m.first))
                .collect();
            (m, k, score_group(&rows, &members))
        })
        .collect();
    let mut roots: Vec<IndicatorNode> = Vec::new();
    // Where each heading (by uid) sits among its siblings: a 100 000-row sheet must not search
    // its siblings row by row.
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // The uids of each row's headings, top first.
    let mut row_uids: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    // Headings whose code another heading with another name already has: (uid of the first,
    // its name, row of the first), and the places of the others (by their uid).
    let mut first_of: std::collections::HashMap<String, (usize, usize)> =
        std::collections::HashMap::new();
    let mut same_code: Vec<SameCode> = Vec::new();
    let mut said: std::collections::HashSet<String> = std::collections::HashSet::new();
    for row in rows.iter_mut() {
        let mut level: &mut Vec<IndicatorNode> = &mut roots;
        let mut uid = String::from("h:");
        let mut uids = Vec::with_capacity(row.path.len());
        for (d, seg) in row.path.iter().enumerate() {
            let (code, name) = split_heading(seg);
            let key = if code.is_empty() {
                name.clone()
            } else {
                code.clone()
            };
            let parent = uid.clone();
            if d > 0 {
                uid.push('/');
            }
            uid.push_str(&key);
            // The same code under another name ("（一）甲" after "（一）乙", a numbering slip):
            // another heading, keyed by code and name, and said.
            if !code.is_empty()
                && let Some(&p) = index.get(&uid)
                && let Some(n) = level.get(p)
                && n.uid == uid
                && !same_heading_name(&n.title, &name)
            {
                let first = first_of.get(&uid).copied();
                let first_label = n.label.clone();
                uid = format!("{parent}{}{code}{name}", if d > 0 { "/" } else { "" });
                if said.insert(uid.clone())
                    && let Some((first_row, first_table)) = first
                {
                    same_code.push(SameCode {
                        first: (first_table, first_row),
                        at: (row.table, row.row),
                        depth: d,
                        first_label,
                        label: super::heading_label_of(&code, &name),
                    });
                }
            }
            uids.push(uid.clone());
            first_of.entry(uid.clone()).or_insert((row.row, row.table));
            let pos = match index.get(&uid) {
                Some(&p) if level.get(p).is_some_and(|n| !n.is_leaf && n.uid == uid) => p,
                _ => {
                    level.push(IndicatorNode {
                        id: 0,
                        uid: uid.clone(),
                        depth: d as i64,
                        label: super::heading_label_of(&code, &name),
                        code,
                        title: name,
                        is_leaf: false,
                        no: None,
                        score: None,
                        methods: None,
                        veto: false,
                        children: Vec::new(),
                    });
                    index.insert(uid.clone(), level.len() - 1);
                    level.len() - 1
                }
            };
            level = &mut level[pos].children;
        }
        level.push(leaf(
            row.path.len() as i64,
            row.no,
            std::mem::take(&mut row.text),
            row.score,
            row.methods.take(),
            row.veto,
        ));
        row_uids.push(uids);
    }
    // Level names: ordinal headers ("一级指标") or named ones ("方面"), then the text column;
    // a level taken from sheet names (one sheet per aspect) is named by its ordinal.
    let h = &tables[0].h;
    let depth = depth_max + 1;
    let mut named: Vec<String> = h.levels.iter().map(|(_, n)| n.clone()).collect();
    if prefixed {
        named.insert(
            0,
            default_level_names(depth)
                .first()
                .cloned()
                .unwrap_or_default(),
        );
    }
    let ordinal = h
        .levels
        .iter()
        .all(|(_, n)| matches!(classify(n), Some(Role::Level(Some(_)))));
    let level_names = if named.len() + 1 != depth || ordinal {
        default_level_names(depth)
    } else {
        named.push(h.text_name.clone());
        named
    };
    level_group_scores(
        &mut issues,
        tables,
        &rows,
        &row_uids,
        &level_names,
        &mut roots,
    );
    for sc in same_code {
        let ((first_table, first_row), (table, row)) = (sc.first, sc.at);
        let (fg, g) = (tables[first_table].g, tables[table].g);
        let level = level_names.get(sc.depth).cloned().unwrap_or_default();
        let first_place = if first_table == table && fg.locate(first_row).0 == g.locate(row).0 {
            format!("第{}行", g.locate(first_row).1 + 1)
        } else {
            fg.place(first_row, None)
        };
        issues.at(
            Severity::Warning,
            g,
            Some(row),
            None,
            &format!(
                "{level}“{}”与{first_place}的“{}”编号相同、名称不同，已作为两个不同的{level}导入。如果它们是同一项，请统一名称；如果是编号写错了，请改正后重新导入。",
                short(&sc.label),
                short(&sc.first_label)
            ),
        );
    }
    for (m, k, group) in group_scores {
        let g = tables[k].g;
        let rows_said = if m.last > m.first {
            let (_, a) = g.locate(m.first);
            let (_, b) = g.locate(m.last);
            format!("第{}—{}行", a + 1, b + 1)
        } else {
            format!("第{}行", m.first + 1)
        };
        let what = match group {
            Some(path) => {
                let level = level_names.get(path.len() - 1).cloned().unwrap_or_default();
                let name = path.last().cloned().unwrap_or_default();
                let uid = rows
                    .iter()
                    .position(|r| r.table == k && r.merged_score == Some(m.first))
                    .and_then(|i| row_uids.get(i)?.get(path.len() - 1));
                if let (Some(v), Some(uid)) = (m.value, uid) {
                    set_heading_score(&mut roots, uid, v);
                }
                format!(
                    "分值“{}”是合并单元格，合并在{rows_said}的 {} 项指标上，是{level}“{}”的分值，已记为该{level}的分值，未分给其中各项指标；各项指标的分值请在评分方案中设定。",
                    short(&m.text),
                    m.count,
                    short(&name)
                )
            }
            None => format!(
                "分值“{}”是合并单元格，合并在{rows_said}的 {} 项指标上，是这几项合计的分值，未分给各项指标；请在评分方案中设定各项分值。",
                short(&m.text),
                m.count
            ),
        };
        issues.at(Severity::Warning, g, Some(m.first), Some(m.col), &what);
    }
    Built {
        roots,
        level_names,
        issues: issues.list,
    }
}

/// 分值 columns of an upper level (a two-row header's "一级指标 | 分值" sub-column): each
/// group's value, the same on all its rows (or merged over them), is that heading's score.
/// Never an indicator's. Said once per column.
fn level_group_scores(
    issues: &mut Issues,
    tables: &[&Found<'_>],
    rows: &[Row],
    row_uids: &[Vec<String>],
    level_names: &[String],
    roots: &mut [IndicatorNode],
) {
    for (k, t) in tables.iter().enumerate() {
        for &(col, ordinal) in &t.h.group_scores {
            let Some(i) =
                t.h.levels
                    .iter()
                    .position(|(_, n)| classify(n) == Some(Role::Level(Some(ordinal))))
            else {
                continue;
            };
            // uid → (value, all rows agree, first row).
            let mut groups: Vec<(String, Option<f64>, bool, usize)> = Vec::new();
            for (ri, row) in rows.iter().enumerate().filter(|(_, r)| r.table == k) {
                let Some(depth) = (row.path.len() + i).checked_sub(t.h.levels.len()) else {
                    continue;
                };
                let Some(uid) = row_uids.get(ri).and_then(|u| u.get(depth)) else {
                    continue;
                };
                let v =
                    t.g.cell(row.row, col)
                        .and_then(score_of)
                        .and_then(|v| v.ok());
                match groups.iter_mut().find(|(u, ..)| u == uid) {
                    Some(gr) => gr.2 &= gr.1 == v,
                    None => groups.push((uid.clone(), v, true, row.row)),
                }
            }
            let mut set = 0;
            let mut differ = Vec::new();
            for (uid, v, same, first) in &groups {
                match (v, same) {
                    (Some(v), true) => {
                        set_heading_score(roots, uid, *v);
                        set += 1;
                    }
                    (_, false) => differ.push(*first),
                    _ => {}
                }
            }
            let level = level_names.get(i).cloned().unwrap_or_default();
            let name = format!("“{}”一栏", short(&header_text(t.g, &t.h, col)));
            let what = if differ.is_empty() {
                format!(
                    "{name}是{level}的分值，已记为 {set} 个{level}各自的分值，不作为其中各项指标的分值。"
                )
            } else {
                format!(
                    "{name}是{level}的分值，已记为 {set} 个{level}各自的分值，不作为其中各项指标的分值；其中 {} 个{level}的各行分值不一致（{}起），未记分值，请核对。",
                    differ.len(),
                    row_list(&differ)
                )
            };
            issues.at(Severity::Warning, t.g, Some(t.h.row), Some(col), &what);
        }
    }
}

/// The group whose indicators are exactly `members` (the deepest such heading path), if any.
fn score_group(rows: &[Row], members: &[&Row]) -> Option<Vec<String>> {
    let first = members.first()?;
    let n = members.len();
    (1..=first.path.len()).rev().find_map(|d| {
        let prefix = &first.path[..d];
        let all_under = members.iter().all(|r| r.path.starts_with(prefix));
        let under = rows.iter().filter(|r| r.path.starts_with(prefix)).count();
        (all_under && under == n).then(|| prefix.to_vec())
    })
}

/// A heading whose code an earlier heading with another name has: where each is (table,
/// row), its depth and both labels.
struct SameCode {
    first: (usize, usize),
    at: (usize, usize),
    depth: usize,
    first_label: String,
    label: String,
}

/// Two names of headings with one code are the same heading when they differ only in
/// spacing and punctuation or by a "（续）" after the name.
fn same_heading_name(a: &str, b: &str) -> bool {
    let n = |t: &str| {
        let t = norm(t);
        t.strip_suffix("(续)").unwrap_or(&t).to_string()
    };
    n(a) == n(b)
}

fn set_heading_score(nodes: &mut [IndicatorNode], uid: &str, score: f64) {
    for n in nodes {
        if !n.is_leaf && n.uid == uid {
            n.score = Some(score);
            return;
        }
        if !n.is_leaf && uid.starts_with(&format!("{}/", n.uid)) {
            set_heading_score(&mut n.children, uid, score);
            return;
        }
    }
}

fn plan_grids(file: &str, path: &Path, grids: &[Grid], sha: String) -> Result<Parsed> {
    let no_table = |why: String| Error::Import {
        file: file.to_string(),
        issues: vec![ImportIssue {
            severity: Severity::Error,
            message: why,
            file: file.to_string(),
            sheet: None,
            row: None,
            col: None,
        }],
    };
    if grids
        .iter()
        .all(|g| g.rows.iter().all(|r| r.iter().all(|c| c.text.is_empty())))
    {
        let what = if grids.first().is_some_and(|g| g.is_word_table)
            || grids.is_empty() && file.to_lowercase().ends_with(".docx")
        {
            "文档中没有找到任何表格内容"
        } else {
            "工作簿中没有任何数据（所有工作表均为空）"
        };
        return Err(no_table(format!("“{file}”：{what}，无法导入指标体系。")));
    }
    let mut headerless: Vec<&Grid> = Vec::new();
    let found: Vec<Found<'_>> = grids
        .iter()
        .filter_map(|g| match find_header(g) {
            Some(h) => Some((g, h)),
            None => {
                headerless.push(g);
                None
            }
        })
        .enumerate()
        .map(|(i, (g, h))| Found {
            t: read_rows(file, g, &h, i),
            g,
            h,
        })
        .collect();
    let (chosen, choice_issues) = choose(file, &found);
    let tables: Vec<&Found<'_>> = chosen.iter().map(|&i| &found[i]).collect();
    let Some(first) = tables.first().copied() else {
        let names: Vec<String> = grids.iter().map(|g| format!("“{}”", g.name)).collect();
        return Err(no_table(format!(
            "“{file}”：在{}中没有找到指标体系的表头。请确认表格有“序号”“一级指标”“二级指标”“三级指标”（或“指标内容”）等列名；该文件可能不是指标体系表，或选错了文件。",
            names.join("、")
        )));
    };
    // Several tables: each one's upper level comes from its sheet (or heading) when its header
    // starts below the top ("二级指标") or it has no hierarchy at all.
    let prefix = tables.len() > 1
        && (tables
            .iter()
            .any(|t| t.h.top_ordinal.is_some_and(|o| o > 1))
            || tables.iter().all(|t| t.depth() == 0));
    let mut rows: Vec<Row> = Vec::new();
    let mut issues: Vec<ImportIssue> = choice_issues;
    for (k, t) in tables.iter().enumerate() {
        let heading = prefix.then(|| table_heading(t.g, &t.h));
        issues.extend(t.t.issues.iter().cloned());
        rows.extend(t.t.rows.iter().map(|r| {
            Row {
                no: r.no,
                table: k,
                row: r.row,
                path: heading
                    .iter()
                    .cloned()
                    .chain(r.path.iter().cloned())
                    .collect(),
                text: r.text.clone(),
                score: r.score,
                methods: r.methods.clone(),
                veto: r.veto,
                merged_score: r.merged_score,
            }
        }));
    }
    let leaves = rows.len();
    issues.extend(orphans(file, first, &headerless, &rows));
    let built = build(file, &tables, rows, prefix);
    issues.extend(built.issues);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = first
        .t
        .title
        .clone()
        .map(|t| strip_annex(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            if tables.len() == 1 && first.g.name.contains("体系") {
                first.g.name.clone()
            } else {
                stem.clone()
            }
        });
    let version = find_version(&name)
        .or_else(|| find_version(&stem))
        .unwrap_or_else(|| "未标注版本".to_string());
    let key = format!("import:{}@{}", name, version);
    if leaves == 0 && !tables.iter().any(|t| t.t.has_errors) {
        issues.push(ImportIssue {
            severity: Severity::Error,
            message: format!(
                "“{file}”{}：找到了表头，但表头下没有任何指标。",
                first.g.label()
            ),
            file: file.to_string(),
            sheet: Some(first.g.name.clone()),
            row: None,
            col: None,
        });
    }
    let source = tables
        .iter()
        .map(|t| t.g.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    Ok(Parsed {
        draft: SystemDraft {
            key,
            name,
            version,
            issuer: String::new(),
            is_demo: false,
            embedded: false,
            level_names: built.level_names,
            roots: built.roots,
            imported_from: Some(file.to_string()),
            source_sha256: Some(sha),
        },
        source,
        issues,
    })
}

/// "附件1 XX指标体系" → "XX指标体系".
fn strip_annex(t: &str) -> String {
    let t = t.trim();
    let t = t
        .strip_prefix("附件")
        .map(|r| {
            r.trim_start_matches(|c: char| c.is_ascii_digit() || "：: 、.一二三四五".contains(c))
        })
        .unwrap_or(t);
    t.trim().to_string()
}

/// "…（2021年版）" → "2021年版"; a bare year → "2021".
fn find_version(s: &str) -> Option<String> {
    let h = to_half_width(s);
    let chars: Vec<char> = h.chars().collect();
    for i in 0..chars.len().saturating_sub(3) {
        let w: String = chars[i..i + 4].iter().collect();
        if w.chars().all(|c| c.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20")) {
            let rest: String = chars[i + 4..].iter().take(2).collect();
            return Some(if rest == "年版" {
                format!("{w}年版")
            } else {
                w
            });
        }
    }
    None
}

/// 导入指标体系: an official file into the library (the same system updated in place, ids
/// kept), optionally bound to the active campaign. Apply returns the stored system.
pub struct IndicatorImport {
    pub path: PathBuf,
    /// Also make the imported system the active campaign's system.
    pub bind: bool,
}

impl IndicatorImport {
    pub fn new(path: impl Into<PathBuf>, bind: bool) -> Self {
        IndicatorImport {
            path: path.into(),
            bind,
        }
    }
}

impl ImportReport for IndicatorImportPreview {
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

/// What the write needs: the system and the campaign to bind.
pub struct IndicatorWork {
    draft: SystemDraft,
    bind_campaign: Option<i64>,
}

impl Importer for IndicatorImport {
    type Preview = IndicatorImportPreview;
    type Work = IndicatorWork;
    type Output = SystemInfo;
    const ACTION: Action = Action::ImportIndicators;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, _job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        let conn = ws.store().conn();
        let parsed = plan(&self.path)?;
        let existing = super::system_id_by_key(conn, &parsed.draft.key)?;
        let bind_campaign = if self.bind {
            Some(campaign::active(conn)?.id)
        } else {
            None
        };
        let preview = preview(&parsed, existing);
        let draft = parsed.draft;
        let detail = format!(
            "{}（{}，{} 项指标，来自“{}”）",
            draft.name,
            draft.version,
            preview.leaf_count,
            draft.imported_from.clone().unwrap_or_default()
        );
        Ok(Plan {
            preview,
            work: IndicatorWork {
                draft,
                bind_campaign,
            },
            detail,
        })
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        _preview: Self::Preview,
        work: Self::Work,
    ) -> Result<SystemInfo> {
        let id = super::upsert_system(tx, &work.draft)?;
        if let Some(c) = work.bind_campaign {
            campaign::set_system(tx, c, id)?;
        }
        super::get_system(tx, id)
    }
}

/// Build the preview the user sees before applying.
pub fn preview(plan: &Parsed, existing_system_id: Option<i64>) -> IndicatorImportPreview {
    let (leaf_count, branch_counts) = counts(&plan.draft.roots);
    IndicatorImportPreview {
        file_name: plan.draft.imported_from.clone().unwrap_or_default(),
        source: plan.source.clone(),
        name: plan.draft.name.clone(),
        version: plan.draft.version.clone(),
        level_names: plan.draft.level_names.clone(),
        roots: plan.draft.roots.clone(),
        leaf_count,
        branch_counts,
        issues: plan.issues.clone(),
        can_apply: !plan.has_errors(),
        existing_system_id,
    }
}

/// Counts of headings per level keyed by name, for messages.
pub fn summary(p: &IndicatorImportPreview) -> String {
    let mut parts: Vec<String> = p
        .branch_counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "{}{}项",
                p.level_names.get(i).cloned().unwrap_or_default(),
                n
            )
        })
        .collect();
    parts.push(format!(
        "{}{}项",
        p.level_names
            .last()
            .cloned()
            .unwrap_or_else(|| "指标".into()),
        p.leaf_count
    ));
    parts.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Cell;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "指标".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| Cell {
                            text: t.to_string(),
                            ..Cell::default()
                        })
                        .collect()
                })
                .collect(),
            ..Grid::default()
        }
    }

    #[test]
    fn headers_are_found_by_name_not_position() {
        let g = grid(&[
            &["某区指标体系（2021年版）", "", "", ""],
            &["备注", "指标内容", "编号", "方面"],
            &["", "甲指标", "1", "一、甲方面"],
            &["", "乙指标", "第2项", "一、甲方面"],
        ]);
        let p = plan_grids("t.xlsx", Path::new("t.xlsx"), &[g], String::new()).expect("plan");
        assert!(!p.has_errors(), "{:?}", p.issues);
        assert_eq!(p.draft.version, "2021年版");
        assert_eq!(p.draft.level_names, vec!["方面", "指标内容"]);
        assert_eq!(counts(&p.draft.roots).0, 2);
    }

    #[test]
    fn heading_rows_build_the_hierarchy() {
        let g = grid(&[
            &["序号", "指标"],
            &["一、总体", "一、总体"],
            &["（一）分项", "（一）分项"],
            &["1", "甲"],
            &["（二）分项二", "（二）分项二"],
            &["2", "乙"],
            &["二、其他", "二、其他"],
            &["（一）分项", "（一）分项"],
            &["3", "丙"],
            &["注：说明文字", "注：说明文字"],
        ]);
        let p = plan_grids("t.docx", Path::new("t.docx"), &[g], String::new()).expect("plan");
        assert!(!p.has_errors(), "{:?}", p.issues);
        let (leaves, per_level) = counts(&p.draft.roots);
        assert_eq!((leaves, per_level), (3, vec![2, 3]));
        assert_eq!(p.draft.roots[1].children[0].uid, "h:二/（一）");
    }

    #[test]
    fn duplicates_and_empty_text_are_errors_with_places() {
        let g = grid(&[
            &["序号", "一级指标", "三级指标"],
            &["1", "一、甲", "a"],
            &["1", "一、甲", "b"],
            &["2", "一、甲", ""],
        ]);
        let p = plan_grids("t.xlsx", Path::new("t.xlsx"), &[g], String::new()).expect("plan");
        let msgs: Vec<&str> = p.issues.iter().map(|i| i.message.as_str()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("重复") && m.contains("第2行") && m.contains("第3行")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("第4行 C列") && m.contains("为空")),
            "{msgs:?}"
        );
        assert!(p.has_errors());
    }

    fn named(name: &str, rows: &[&[&str]]) -> Grid {
        Grid {
            name: name.into(),
            ..grid(rows)
        }
    }

    fn plan_of(grids: &[Grid]) -> Parsed {
        plan_grids("t.xlsx", Path::new("t.xlsx"), grids, String::new()).expect("plan")
    }

    fn messages(p: &Parsed) -> Vec<&str> {
        p.issues.iter().map(|i| i.message.as_str()).collect()
    }

    #[test]
    fn a_system_split_into_one_sheet_per_aspect_is_read_whole() {
        let a = named(
            "一、甲方面",
            &[
                &["一、甲方面", "", ""],
                &["序号", "二级指标", "三级指标"],
                &["1", "（一）子一", "a"],
                &["2", "（一）子一", "b"],
            ],
        );
        let b = named(
            "二、乙方面",
            &[&["序号", "二级指标", "三级指标"], &["3", "（一）子二", "c"]],
        );
        let p = plan_of(&[a, b]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        assert_eq!(counts(&p.draft.roots), (3, vec![2, 2]));
        assert_eq!(p.draft.roots[1].title, "乙方面");
        assert_eq!(p.draft.level_names.len(), 3);
        assert_eq!(p.source, "一、甲方面、二、乙方面");
        assert!(
            messages(&p)
                .iter()
                .any(|m| m.contains("合并") && m.contains("2 个")),
            "{:?}",
            messages(&p)
        );
    }

    #[test]
    fn sheets_whose_numbers_clash_are_refused_naming_them() {
        let old = named("2019版", &[&["序号", "指标"], &["1", "旧a"], &["2", "旧b"]]);
        let new = named("2021版", &[&["序号", "指标"], &["1", "新a"], &["2", "新b"]]);
        let p = plan_of(&[old, new]);
        assert!(p.has_errors());
        let m = messages(&p);
        assert!(
            m.iter()
                .any(|m| m.contains("2019版") && m.contains("2021版") && m.contains("重叠")),
            "{m:?}"
        );
    }

    #[test]
    fn a_sheet_repeating_the_indicators_is_not_read_twice() {
        let system = named(
            "指标体系",
            &[
                &["序号", "一级指标", "三级指标"],
                &["1", "一、甲", "a"],
                &["2", "一、甲", "b"],
            ],
        );
        let tasks = named("任务分解", &[&["序号", "指标内容"], &["2", "b。"]]);
        let p = plan_of(&[system, tasks]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        assert_eq!(p.source, "指标体系");
        assert!(
            messages(&p)
                .iter()
                .any(|m| m.contains("任务分解") && m.contains("副本"))
        );
    }

    #[test]
    fn hidden_rows_columns_and_sheets_are_not_live_data() {
        let mut g = named(
            "指标",
            &[
                &["原序号", "序号", "一级指标", "三级指标", "牵头单位"],
                &["64", "1", "一、甲", "a", ""],
                &["1", "2", "一、甲", "【已取消】旧", ""],
                &["2", "2", "一、甲", "b", ""],
            ],
        );
        g.hidden_cols.insert(0);
        g.hidden_rows.insert(2);
        let mut old = named(
            "旧版",
            &[&["序号", "指标"], &["1", "x"], &["2", "y"], &["3", "z"]],
        );
        old.hidden = true;
        let p = plan_of(&[old, g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        assert_eq!(p.source, "指标");
        let mut got: Vec<(i64, String)> = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                got.push((n.no.unwrap_or(0), n.title.clone()));
            }
        });
        assert_eq!(got, vec![(1, "a".to_string()), (2, "b".to_string())]);
        let m = messages(&p);
        let hidden_row = p
            .issues
            .iter()
            .find(|i| i.row == Some(3))
            .expect("row 3 named");
        assert!(hidden_row.message.contains("隐藏"), "{m:?}");
        assert!(
            m.iter()
                .any(|m| m.contains("隐藏的列") && m.contains("A列“原序号”")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|m| m.contains("未导入的列") && m.contains("E列“牵头单位”"))
        );
        assert!(
            m.iter()
                .any(|m| m.contains("旧版") && m.contains("隐藏的工作表")),
            "{m:?}"
        );
    }

    #[test]
    fn numbers_made_by_formulas_never_calculated_are_one_error_with_the_fix() {
        let mut g = named(
            "指标",
            &[
                &["序号", "一级指标", "三级指标"],
                &["", "一、甲", "a"],
                &["", "一、甲", "b"],
            ],
        );
        g.uncalculated = vec![(1, 0), (2, 0)];
        let p = plan_of(&[g]);
        let errors: Vec<&ImportIssue> = p
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (errors[0].row, errors[0].col.as_deref()),
            (Some(2), Some("A"))
        );
        assert!(errors[0].message.contains("公式") && errors[0].message.contains("保存"));
    }

    #[test]
    fn a_continuation_without_its_header_is_not_left_out_silently() {
        let head = named(
            "一、甲方面",
            &[
                &["序号", "一级指标", "三级指标"],
                &["1", "一、甲", "a"],
                &["2", "一、甲", "b"],
            ],
        );
        let rest = named(
            "二、乙方面",
            &[
                &["3", "二、乙", "c"],
                &["4", "二、乙", "d"],
                &["5", "二、乙", "e"],
            ],
        );
        let p = plan_of(&[head, rest]);
        assert!(p.has_errors());
        let e = p
            .issues
            .iter()
            .find(|i| i.severity == Severity::Error)
            .expect("error");
        assert_eq!((e.sheet.as_deref(), e.row), (Some("二、乙方面"), Some(1)));
        assert!(
            e.message.contains("续表") && e.message.contains("3—5"),
            "{}",
            e.message
        );
    }

    #[test]
    fn rows_a_filter_or_a_collapsed_group_hides_are_read_with_a_warning() {
        let mut g = named(
            "指标",
            &[
                &["序号", "一级指标", "三级指标"],
                &["1", "一、甲", "a"],
                &["2", "一、甲", "b"],
                &["3", "一、甲", "c"],
                &["4", "一、甲", "【已取消】d"],
            ],
        );
        g.hidden_rows.extend([2, 3, 4]);
        g.view_hidden_rows.extend([2, 3]);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        assert_eq!(counts(&p.draft.roots).0, 3, "rows 3 and 4 read, row 5 not");
        let m = messages(&p);
        assert!(
            m.iter()
                .any(|m| m.contains("筛选或折叠") && m.contains("第3行、第4行")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|m| m.contains("第5行") && m.contains("隐藏行")),
            "{m:?}"
        );
    }

    #[test]
    fn many_rows_hidden_by_hand_are_said_first() {
        let mut g = named(
            "指标",
            &[
                &["序号", "一级指标", "三级指标"],
                &["1", "一、甲", "a"],
                &["2", "一、甲", "b"],
                &["3", "一、甲", "c"],
            ],
        );
        g.hidden_rows.extend([2, 3]);
        let p = plan_of(&[g]);
        assert!(p.issues[0].message.contains("注意") && p.issues[0].message.contains("2 行"));
        // A quarter or fewer: no such warning.
        let mut g = named(
            "指标",
            &[
                &["序号", "一级指标", "三级指标"],
                &["1", "一、甲", "a"],
                &["2", "一、甲", "b"],
                &["3", "一、甲", "c"],
                &["4", "一、甲", "d"],
            ],
        );
        g.hidden_rows.insert(4);
        assert!(!messages(&plan_of(&[g])).iter().any(|m| m.contains("注意")));
    }

    /// `rows`, with the 分值 cell of `col` merged down over `from..=to`.
    fn merged_down(mut g: Grid, col: u32, from: u32, to: u32) -> Grid {
        crate::sheet::fill_merges(&mut g, [((from, col), (to, col))].into_iter());
        g
    }

    #[test]
    fn a_merged_score_is_the_groups_never_each_indicators() {
        let g = grid(&[
            &["序号", "一级指标", "二级指标", "三级指标", "分值"],
            &["1", "一、甲", "（一）子", "a", "3"],
            &["2", "一、甲", "（一）子", "b", ""],
            &["3", "一、甲", "（一）子", "c", ""],
            &["4", "一、甲", "（二）丑", "d", "2"],
            &["5", "一、甲", "（二）丑", "e", ""],
            &["6", "一、甲", "（二）丑", "f", "1"],
        ]);
        let g = merged_down(merged_down(g, 4, 1, 3), 4, 4, 5);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut leaves = Vec::new();
        let mut headings = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                leaves.push((n.no.unwrap_or(0), n.score));
            } else {
                headings.push((n.title.clone(), n.score));
            }
        });
        assert_eq!(
            leaves,
            vec![
                (1, None),
                (2, None),
                (3, None),
                (4, None),
                (5, None),
                (6, Some(1.0))
            ]
        );
        assert_eq!(
            headings,
            vec![
                ("甲".to_string(), None),
                ("子".to_string(), Some(3.0)),
                ("丑".to_string(), None)
            ]
        );
        let m = messages(&p);
        assert!(
            m.iter()
                .any(|m| m.contains("第2行 E列") && m.contains("二级指标“（一）子”")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|m| m.contains("第5—6行") && m.contains("这几项合计")),
            "{m:?}"
        );
    }

    #[test]
    fn text_spilling_into_the_next_row_is_joined_to_the_indicator_above() {
        let g = grid(&[
            &["序号", "一级指标", "三级指标", "分值"],
            &["1", "一、甲", "前半", "1"],
            &["", "一、甲", "后半。", ""],
            &["2", "一、甲", "乙。", "1"],
            &["", "二、乙", "另一方面的文字", ""],
        ]);
        let p = plan_of(&[g]);
        let mut got = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                got.push((n.no.unwrap_or(0), n.title.clone()));
            }
        });
        assert_eq!(
            got,
            vec![(1, "前半后半。".to_string()), (2, "乙。".to_string())]
        );
        let m = messages(&p);
        assert!(
            m.iter()
                .any(|m| m.contains("第3行 C列") && m.contains("第1项") && m.contains("续行")),
            "{m:?}"
        );
        // Under another heading it is not a continuation: still refused at its place.
        assert!(
            m.iter()
                .any(|m| m.contains("第5行 A列") && m.contains("缺少指标序号")),
            "{m:?}"
        );
    }

    #[test]
    fn an_indicator_written_over_rows_with_its_number_merged_is_one_indicator() {
        let g = grid(&[
            &["序号", "一级指标", "三级指标", "评估方式"],
            &["1", "一、甲", "第一段", "查阅资料"],
            &["", "一、甲", "第二段", "实地查看"],
            &["2", "一、甲", "乙", "查阅资料"],
            &["", "一、甲", "", "座谈"],
        ]);
        // 序号 merged over rows 2–3 and 4–5; the text of no. 2 too.
        let g = merged_down(merged_down(g, 0, 1, 2), 0, 3, 4);
        let g = merged_down(g, 2, 3, 4);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut got = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                got.push((n.no.unwrap_or(0), n.title.clone(), n.methods.clone()));
            }
        });
        assert_eq!(
            got,
            vec![
                (
                    1,
                    "第一段\n第二段".to_string(),
                    Some("查阅资料\n实地查看".to_string())
                ),
                (2, "乙".to_string(), Some("查阅资料\n座谈".to_string())),
            ]
        );
        let m = messages(&p);
        assert!(
            m.iter()
                .any(|m| m.contains("第3行 C列") && m.contains("合并为同一单元格（第1项）")),
            "{m:?}"
        );
        assert!(!m.iter().any(|m| m.contains("第5行")), "{m:?}");
    }

    #[test]
    fn a_two_row_header_with_score_sub_columns_reads_the_deepest_levels_score() {
        let g = grid(&[
            &["序号", "一级指标", "一级指标", "三级指标", "三级指标"],
            &["", "内容", "分值", "内容", "分值"],
            &["1", "一、甲", "5", "a", "2"],
            &["2", "一、甲", "5", "b", "3"],
        ]);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut got = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                got.push((n.title.clone(), n.score));
            }
        });
        assert_eq!(
            got,
            vec![("a".to_string(), Some(2.0)), ("b".to_string(), Some(3.0))]
        );
        assert_eq!(
            p.draft.roots[0].score,
            Some(5.0),
            "the 一级 分值 is the group's"
        );
        assert!(
            messages(&p).iter().any(
                |m| m.contains("第2行 C列") && m.contains("“一级指标分值”一栏是一级指标的分值")
            ),
            "{:?}",
            messages(&p)
        );
    }

    #[test]
    fn headings_sharing_a_code_under_other_names_stay_apart_and_are_said() {
        let g = grid(&[
            &["序号", "一级指标", "二级指标", "三级指标"],
            &["1", "一、甲", "（一）子", "a"],
            &["2", "一、甲", "（一）丑", "b"],
            &["3", "一、甲", "（一）子", "c"],
            &["4", "一、甲", "（一）子（续）", "d"],
            &["5", "一、甲", "（二）寅", "e"],
        ]);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let kids: Vec<(String, usize)> = p.draft.roots[0]
            .children
            .iter()
            .map(|n| (n.title.clone(), n.children.len()))
            .collect();
        assert_eq!(
            kids,
            vec![
                ("子".to_string(), 3),
                ("丑".to_string(), 1),
                ("寅".to_string(), 1)
            ]
        );
        let m = messages(&p);
        let said: Vec<&&str> = m.iter().filter(|m| m.contains("编号相同")).collect();
        assert_eq!(said.len(), 1, "{m:?}");
        assert!(
            said[0].contains("第3行")
                && said[0].contains("（一）丑")
                && said[0].contains("第2行的“（一）子”"),
            "{said:?}"
        );
    }

    #[test]
    fn with_a_number_column_per_level_the_deepest_is_the_indicators() {
        let g = grid(&[
            &["一级序号", "一级指标", "三级序号", "三级指标"],
            &["一", "甲", "1", "a"],
            &["一", "甲", "2", "b"],
            &["二", "乙", "3", "c"],
        ]);
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut got = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, _| {
            if n.is_leaf {
                got.push(n.no.unwrap_or(0));
            }
        });
        assert_eq!(got, vec![1, 2, 3]);
    }

    #[test]
    fn versions_come_from_titles() {
        assert_eq!(
            find_version("市县法治政府建设示范指标体系（2021年版）").as_deref(),
            Some("2021年版")
        );
        assert_eq!(find_version("２０２５ 申报指南").as_deref(), Some("2025"));
        assert_eq!(find_version("指标体系"), None);
    }

    #[test]
    fn hierarchical_codes_number_the_indicators_in_order_under_the_headings_they_open() {
        let g = named(
            "指标",
            &[
                &["序号", "指标内容", "分值"],
                &["1", "政府职能依法全面履行", ""],
                &["1.1", "深化行政审批制度改革", ""],
                &["1.1.1", "甲", "2"],
                &["1.1.2", "乙", "1"],
                &["1.2", "推进政务服务", ""],
                &["1.2.1", "丙", "1"],
                &["2", "依法行政制度体系", ""],
                &["2.1", "加强立法", ""],
                &["2．1．1", "丁", "3"],
            ],
        );
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut got: Vec<(i64, String, Vec<String>)> = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, path| {
            if n.is_leaf {
                got.push((
                    n.no.unwrap_or(0),
                    n.title.clone(),
                    path.iter().map(|h| h.label.clone()).collect(),
                ));
            }
        });
        let want = |no: i64, t: &str, path: &[&str]| {
            (
                no,
                t.to_string(),
                path.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            got,
            vec![
                want(
                    1,
                    "甲",
                    &["1.政府职能依法全面履行", "1.1 深化行政审批制度改革"]
                ),
                want(
                    2,
                    "乙",
                    &["1.政府职能依法全面履行", "1.1 深化行政审批制度改革"]
                ),
                want(3, "丙", &["1.政府职能依法全面履行", "1.2 推进政务服务"]),
                want(4, "丁", &["2.依法行政制度体系", "2.1 加强立法"]),
            ]
        );
        let m = messages(&p);
        assert!(
            m.iter().any(|m| m.contains("分级编号")
                && m.contains("“1.1.1”至“2.1.1”")
                && m.contains("第1—4项")),
            "{m:?}"
        );
        // Plain numbers with one slip are not hierarchical: the slip is named, nothing renumbered.
        let g = named(
            "指标",
            &[&["序号", "指标"], &["1", "a"], &["2", "b"], &["2.1", "c"]],
        );
        let p = plan_of(&[g]);
        assert!(p.has_errors());
        assert!(
            messages(&p)
                .iter()
                .any(|m| m.contains("“2.1”无法识别为数字")),
            "{:?}",
            messages(&p)
        );
    }

    #[test]
    fn hierarchical_indicator_codes_under_chinese_numbered_headings() {
        let g = named(
            "指标",
            &[
                &["序号", "指标内容"],
                &["一", "政府职能依法全面履行"],
                &["1.1", "甲"],
                &["1.2", "乙"],
                &["二", "依法行政制度体系"],
                &["2.1", "丙"],
            ],
        );
        let p = plan_of(&[g]);
        assert!(!p.has_errors(), "{:?}", messages(&p));
        let mut got: Vec<(i64, Vec<String>)> = Vec::new();
        crate::indicators::walk(&p.draft.roots, &mut |n, path| {
            if n.is_leaf {
                got.push((
                    n.no.unwrap_or(0),
                    path.iter().map(|h| h.label.clone()).collect(),
                ));
            }
        });
        assert_eq!(
            got,
            vec![
                (1, vec!["一、政府职能依法全面履行".to_string()]),
                (2, vec!["一、政府职能依法全面履行".to_string()]),
                (3, vec!["二、依法行政制度体系".to_string()]),
            ]
        );
    }
}
