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
use crate::sheet::layout::{Issues, is_note_text, is_total_text, scan_header, short};
use crate::sheet::{Grid, display_name, read_file, read_tables_from_bytes};
use crate::text::{header_key, parse_number_label, split_heading, to_half_width};
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
}

fn header_from(names: &[(usize, String)], row: usize) -> Option<Header> {
    let mut no = None;
    let mut levels: Vec<(Option<u32>, usize, String)> = Vec::new();
    let mut text: Option<(usize, String)> = None;
    let (mut score, mut methods, mut veto) = (None, None, None);
    let mut quality = 0;
    for (c, name) in names {
        let Some(role) = classify(name) else { continue };
        let clean = header_key(name);
        match role {
            Role::No if no.is_none() => no = Some(*c),
            Role::Level(n) if !levels.iter().any(|(_, cc, _)| cc == c) => {
                // The same ordinal twice (merged header copied across) counts once.
                if n.is_some() && levels.iter().any(|(m, _, _)| *m == n) {
                    continue;
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
    })
}

/// Find the header (see [`scan_header`]): a single row, or two rows read together (a top row
/// such as "指标体系" spanning the level columns above "一级指标 | 二级指标 | 三级指标"). The
/// header naming the most roles wins.
fn find_header(g: &Grid) -> Option<Header> {
    scan_header(g, |r, cells, above| {
        let names: Vec<(usize, String)> = match above {
            None => cells.iter().cloned().enumerate().collect(),
            Some(high) => cells
                .iter()
                .zip(high)
                .map(|(low, high)| {
                    if classify(low).is_some() || high.is_empty() {
                        low.clone()
                    } else {
                        high.clone()
                    }
                })
                .enumerate()
                .collect(),
        };
        header_from(&names, r).map(|h| (h.score_quality, h))
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

/// Result of reading one table.
struct TableResult {
    draft_roots: Vec<IndicatorNode>,
    level_names: Vec<String>,
    issues: Vec<ImportIssue>,
    leaves: usize,
    title: Option<String>,
}

fn read_table(file: &str, g: &Grid, h: &Header) -> TableResult {
    let mut issues = Issues::new(file);
    // Title: the first line above the header that names a system.
    let mut title = None;
    let above: Vec<String> = g
        .caption
        .iter()
        .cloned()
        .chain((0..h.row).flat_map(|r| {
            let mut vals: Vec<String> = (0..g.width())
                .map(|c| g.text(r, c).to_string())
                .filter(|t| !t.is_empty())
                .collect();
            vals.dedup();
            vals
        }))
        .collect();
    for t in &above {
        let t1 = t.replace('\n', "");
        let generic = ["指标体系", "指标", "体系"].contains(&t1.trim());
        if (t1.contains("指标") || t1.contains("体系"))
            && !generic
            && t1.chars().count() <= 60
            && classify(&t1).is_none()
        {
            title = Some(t1.trim().to_string());
            break;
        }
    }

    struct Row {
        no: i64,
        row: usize,
        path: Vec<String>,
        text: String,
        score: Option<f64>,
        methods: Option<String>,
        veto: bool,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut styles: Vec<&'static str> = Vec::new();
    let mut heading_path: Vec<String> = Vec::new();
    let mut last_levels: Vec<String> = vec![String::new(); h.levels.len()];
    let first_data = h.row + 1;
    for r in first_data..g.rows.len() {
        if g.row_is_blank(r) {
            continue;
        }
        let text = g.text(r, h.text).to_string();
        let no_raw = h.no.map(|c| g.text(r, c).to_string()).unwrap_or_default();
        let mut distinct: Vec<&str> = (0..g.width())
            .map(|c| g.text(r, c))
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
                let style = heading_style(&code);
                let level = match styles.iter().position(|s| *s == style) {
                    Some(l) => l,
                    None => {
                        styles.push(style);
                        styles.len() - 1
                    }
                };
                heading_path.truncate(level);
                while heading_path.len() < level {
                    heading_path.push(String::new());
                }
                heading_path.push(only);
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
            if !no_raw.is_empty() && parse_number_label(&no_raw).is_some() {
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
        let (no, text) = match (h.no, parse_number_label(&no_raw)) {
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
            if let Some(n) = cell.number {
                return Some(n);
            }
            let t = to_half_width(&cell.text);
            let t = t.trim().trim_end_matches('分').trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
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
        rows.push(Row {
            no,
            row: r,
            path,
            text,
            score,
            methods,
            veto,
        });
    }

    // Duplicate numbers: name every row that carries one.
    let mut by_no: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for r in &rows {
        by_no.entry(r.no).or_default().push(r.row);
    }
    let no_col = h.no.unwrap_or(h.text);
    for (no, at) in by_no.iter().filter(|(_, v)| v.len() > 1) {
        let list: Vec<String> = at.iter().map(|r| format!("第{}行", r + 1)).collect();
        issues.at(
            Severity::Error,
            g,
            Some(at[1]),
            Some(no_col),
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
            issues.at(
                Severity::Warning,
                g,
                None,
                None,
                &format!("指标序号不连续，缺少：{}。", missing.join("、")),
            );
        }
    }

    // Build the tree: headings keyed by their full path text.
    let depth_max = rows.iter().map(|r| r.path.len()).max().unwrap_or(0);
    if rows.iter().any(|r| r.path.len() != depth_max) && depth_max > 0 {
        let r = rows
            .iter()
            .find(|r| r.path.len() != depth_max)
            .map(|r| r.row);
        issues.at(
            Severity::Warning,
            g,
            r,
            None,
            "部分指标的上级层次不完整（缺少上级指标），已按实际层次导入。",
        );
    }
    let mut roots: Vec<IndicatorNode> = Vec::new();
    for row in &rows {
        let mut level: &mut Vec<IndicatorNode> = &mut roots;
        let mut uid = String::from("h:");
        for (d, seg) in row.path.iter().enumerate() {
            let (code, name) = split_heading(seg);
            let key = if code.is_empty() {
                name.clone()
            } else {
                code.clone()
            };
            if d > 0 {
                uid.push('/');
            }
            uid.push_str(&key);
            let pos = match level.iter().position(|n| !n.is_leaf && n.uid == uid) {
                Some(p) => p,
                None => {
                    level.push(IndicatorNode {
                        id: 0,
                        uid: uid.clone(),
                        depth: d as i64,
                        code,
                        title: name,
                        is_leaf: false,
                        no: None,
                        score: None,
                        methods: None,
                        veto: false,
                        children: Vec::new(),
                    });
                    level.len() - 1
                }
            };
            level = &mut level[pos].children;
        }
        level.push(leaf(
            row.path.len() as i64,
            row.no,
            row.text.clone(),
            row.score,
            row.methods.clone(),
            row.veto,
        ));
    }
    // Level names: ordinal headers ("一级指标") or named ones ("方面"), then the text column.
    let mut level_names: Vec<String> = h.levels.iter().map(|(_, n)| n.clone()).collect();
    let depth = depth_max + 1;
    let ordinal = h
        .levels
        .iter()
        .all(|(_, n)| matches!(classify(n), Some(Role::Level(Some(_)))));
    if level_names.len() + 1 != depth || ordinal {
        level_names = default_level_names(depth);
        if !ordinal && !h.levels.is_empty() && h.levels.len() + 1 == depth {
            level_names = h.levels.iter().map(|(_, n)| n.clone()).collect();
            level_names.push(h.text_name.clone());
        }
    } else {
        level_names.push(h.text_name.clone());
    }
    TableResult {
        leaves: rows.len(),
        draft_roots: roots,
        level_names,
        issues: issues.list,
        title,
    }
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
    let mut best: Option<(&Grid, TableResult)> = None;
    for g in grids {
        let Some(h) = find_header(g) else { continue };
        let t = read_table(file, g, &h);
        let better = match &best {
            None => true,
            Some((_, b)) => t.leaves > b.leaves,
        };
        if better {
            best = Some((g, t));
        }
    }
    let Some((grid, t)) = best.filter(|(_, t)| t.leaves > 0 || !t.issues.is_empty()) else {
        let names: Vec<String> = grids.iter().map(|g| format!("“{}”", g.name)).collect();
        return Err(no_table(format!(
            "“{file}”：在{}中没有找到指标体系的表头。请确认表格有“序号”“一级指标”“二级指标”“三级指标”（或“指标内容”）等列名；该文件可能不是指标体系表，或选错了文件。",
            names.join("、")
        )));
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = t
        .title
        .clone()
        .map(|t| strip_annex(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            if grid.name.contains("体系") {
                grid.name.clone()
            } else {
                stem.clone()
            }
        });
    let version = find_version(&name)
        .or_else(|| find_version(&stem))
        .unwrap_or_else(|| "未标注版本".to_string());
    let key = format!("import:{}@{}", name, version);
    let mut issues = t.issues;
    if t.leaves == 0 {
        issues.push(ImportIssue {
            severity: Severity::Error,
            message: format!(
                "“{file}”{}：找到了表头，但表头下没有任何指标。",
                grid.label()
            ),
            file: file.to_string(),
            sheet: Some(grid.name.clone()),
            row: None,
            col: None,
        });
    }
    Ok(Parsed {
        draft: SystemDraft {
            key,
            name,
            version,
            issuer: String::new(),
            is_demo: false,
            embedded: false,
            level_names: t.level_names,
            roots: t.draft_roots,
            imported_from: Some(file.to_string()),
            source_sha256: Some(sha),
        },
        source: grid.name.clone(),
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

    #[test]
    fn versions_come_from_titles() {
        assert_eq!(
            find_version("市县法治政府建设示范指标体系（2021年版）").as_deref(),
            Some("2021年版")
        );
        assert_eq!(find_version("２０２５ 申报指南").as_deref(), Some("2025"));
        assert_eq!(find_version("指标体系"), None);
    }
}
