//! One description per sheet layout, used in both directions: the reader finds each column by
//! its header name or aliases (never by position; one- or two-row headers), the writer takes
//! header text, width and lock state from the same description.

use std::collections::HashMap;

use super::{Cell, Grid};
use crate::model::{IgnoredColumn, ImportIssue, Severity};
use crate::text::header_key;

/// One column of a layout.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Stable key used by code ("lead", "deadline").
    pub key: &'static str,
    /// Header text as written.
    pub header: &'static str,
    /// Other header texts offices use (compared after `header_key`).
    pub aliases: &'static [&'static str],
    /// Width in Excel character units.
    pub width: f64,
    /// Whether the receiving unit may edit it (per-unit sheets only).
    pub editable: bool,
}

impl Column {
    pub const fn new(
        key: &'static str,
        header: &'static str,
        aliases: &'static [&'static str],
        width: f64,
    ) -> Column {
        Column {
            key,
            header,
            aliases,
            width,
            editable: false,
        }
    }

    pub const fn editable(mut self) -> Column {
        self.editable = true;
        self
    }

    pub fn matches(&self, raw: &str) -> bool {
        let k = header_key(raw);
        if k.is_empty() {
            return false;
        }
        header_key(self.header) == k || self.aliases.iter().any(|a| header_key(a) == k)
    }
}

/// Columns found in a grid: key → column index, and the last header row.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub row: usize,
    pub cols: HashMap<&'static str, usize>,
}

impl Found {
    pub fn col(&self, key: &str) -> Option<usize> {
        self.cols.get(key).copied()
    }
}

/// The header keys of a layout's columns (name and aliases), computed once per search.
struct Keys<'a> {
    layout: &'a [Column],
    keys: Vec<Vec<String>>,
}

impl<'a> Keys<'a> {
    fn new(layout: &'a [Column]) -> Keys<'a> {
        let keys = layout
            .iter()
            .map(|c| {
                std::iter::once(c.header)
                    .chain(c.aliases.iter().copied())
                    .map(header_key)
                    .collect()
            })
            .collect();
        Keys { layout, keys }
    }

    /// Index of the first column (not in `taken`) a cell's header key names.
    fn find(&self, key: &str, taken: &HashMap<&'static str, usize>) -> Option<&'a Column> {
        if key.is_empty() {
            return None;
        }
        self.layout
            .iter()
            .zip(&self.keys)
            .find(|(c, ks)| !taken.contains_key(c.key) && ks.iter().any(|k| k == key))
            .map(|(c, _)| c)
    }

    fn known(&self, key: &str) -> bool {
        !key.is_empty() && self.keys.iter().flatten().any(|k| k == key)
    }
}

fn match_row(names: &[String], keys: &Keys<'_>) -> HashMap<&'static str, usize> {
    let mut cols = HashMap::new();
    for (c, name) in names.iter().enumerate() {
        if let Some(spec) = keys.find(&header_key(name), &cols) {
            cols.insert(spec.key, c);
        }
    }
    cols
}

/// How many rows from the top a header may start in (titles, dates and notes come first).
pub const HEADER_SEARCH_ROWS: usize = 20;

/// The one header search of every layout: for each of the first [`HEADER_SEARCH_ROWS`] rows,
/// `judge` sees the row's cells alone and, from the second row on, the row read together with
/// the one above it (`Some(above)`: a merged top cell such as "责任分工" over "牵头单位 |
/// 责任单位"). `judge` returns a header and its score; the best score wins (the first on ties).
pub fn scan_header<T>(
    g: &Grid,
    mut judge: impl FnMut(usize, &[String], Option<&[String]>) -> Option<(usize, T)>,
) -> Option<T> {
    let width = g.width();
    let mut best: Option<(usize, T)> = None;
    let row_texts =
        |r: usize| -> Vec<String> { (0..width).map(|c| g.text(r, c).to_string()).collect() };
    let mut above: Option<Vec<String>> = None;
    for r in 0..g.rows.len().min(HEADER_SEARCH_ROWS) {
        let cells = row_texts(r);
        for candidate in [
            judge(r, &cells, None),
            above.as_deref().and_then(|a| judge(r, &cells, Some(a))),
        ] {
            if let Some((score, t)) = candidate
                && best.as_ref().is_none_or(|(b, _)| score > *b)
            {
                best = Some((score, t));
            }
        }
        above = Some(cells);
    }
    best.map(|(_, t)| t)
}

/// Find the header of `layout` (see [`scan_header`]). The best row holding every `required`
/// key wins: the one naming the most columns.
pub fn find_header(g: &Grid, layout: &[Column], required: &[&str]) -> Option<Found> {
    let keys = Keys::new(layout);
    scan_header(g, |r, cells, above| {
        let cols = match above {
            None => match_row(cells, &keys),
            Some(high) => {
                let combined: Vec<String> = cells
                    .iter()
                    .zip(high)
                    .map(|(low, high)| {
                        // The lower cell names the column ("指标" over "序号"), unless it is
                        // empty and the upper one spans down.
                        if low.is_empty() && !keys.known(&header_key(low)) {
                            high.clone()
                        } else {
                            low.clone()
                        }
                    })
                    .collect();
                let mut m = match_row(&combined, &keys);
                // Keys only the upper row names (a vertically merged "序号" A1:A2).
                for (k, c) in match_row(high, &keys) {
                    if !m.contains_key(k) && !m.values().any(|v| *v == c) {
                        m.insert(k, c);
                    }
                }
                m
            }
        };
        if !required.iter().all(|k| cols.contains_key(k)) {
            return None;
        }
        Some((cols.len(), Found { row: r, cols }))
    })
}

/// [`find_header`] among the columns the sheet shows: a hidden column is never a header
/// candidate (an old numbering kept in a hidden column must not be read as the current one).
pub fn find_visible_header(g: &Grid, layout: &[Column], required: &[&str]) -> Option<Found> {
    if g.hidden_cols.is_empty() {
        return find_header(g, layout, required);
    }
    let view = Grid {
        name: g.name.clone(),
        rows: g
            .rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        if g.hidden_cols.contains(&c) {
                            Cell::default()
                        } else {
                            cell.clone()
                        }
                    })
                    .collect()
            })
            .collect(),
        ..Grid::default()
    };
    find_header(&view, layout, required)
}

/// The header cells of `found` that name no column of `layout` it read, and the hidden
/// columns: what the import leaves out, for the preview ("未导入的列：…"). Cells a merged
/// header cell covers count once.
pub fn unread_columns(g: &Grid, found: &Found) -> Vec<IgnoredColumn> {
    let read: Vec<usize> = found.cols.values().copied().collect();
    let mut out = Vec::new();
    for c in 0..g.width() {
        let Some(cell) = g.cell(found.row, c) else {
            continue;
        };
        let hidden = g.hidden_cols.contains(&c);
        if cell.text.is_empty() || (cell.merged_copy && !hidden) || read.contains(&c) {
            continue;
        }
        out.push(IgnoredColumn {
            header: cell.text.replace('\n', ""),
            sheet: g.name.clone(),
            row: found.row as u32 + 1,
            col: g.col_label(c),
            hidden,
        });
    }
    out
}

/// The preview's word on [`unread_columns`]: one warning at the header row for the columns
/// not understood, one for the hidden ones.
pub fn note_unread_columns(issues: &mut Issues, g: &Grid, found: &Found, cols: &[IgnoredColumn]) {
    let list = |hidden: bool| -> String {
        cols.iter()
            .filter(|c| c.hidden == hidden)
            .map(|c| format!("{}（{}列）", c.header, c.col))
            .collect::<Vec<_>>()
            .join("、")
    };
    let unknown = list(false);
    if !unknown.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(found.row),
            None,
            &format!("未导入的列：{unknown}。这些列的内容不会保存。"),
        );
    }
    let hidden = list(true);
    if !hidden.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(found.row),
            None,
            &format!(
                "隐藏的列未导入：{hidden}。隐藏的内容不作为有效数据；如需导入，请先取消隐藏。"
            ),
        );
    }
}

/// Whether row `r` is a group heading of a list ("一、区直部门" merged across the table, or
/// alone in its row with heading numbering): one text, no other content. Returns the text.
pub fn heading_row(g: &Grid, r: usize) -> Option<String> {
    let row = g.rows.get(r)?;
    let mut texts = row.iter().filter(|c| !c.text.is_empty());
    let first = texts.next()?;
    let mut count = 1;
    for c in texts {
        if c.text != first.text {
            return None;
        }
        count += 1;
    }
    let merged = count >= 2 && row.iter().any(|c| c.merged_copy && c.text == first.text);
    (merged || (count == 1 && is_heading_number(&first.text))).then(|| first.text.clone())
}

/// "一、…", "（二）…", "三．…": the numbering of a heading (not of a row: "1").
fn is_heading_number(text: &str) -> bool {
    let t = crate::text::to_half_width(text.trim());
    let numerals = "一二三四五六七八九十";
    let rest = t.trim_start_matches(|c: char| numerals.contains(c));
    if rest.len() < t.len() && (rest.starts_with('、') || rest.starts_with('.')) {
        return true;
    }
    if let Some(inner) = t.strip_prefix('(') {
        let rest = inner.trim_start_matches(|c: char| numerals.contains(c));
        return rest.len() < inner.len() && rest.starts_with(')');
    }
    false
}

/// Whether row `r` is a total row: one of its cells says 合计/总计/小计.
pub fn is_total_row(g: &Grid, r: usize) -> bool {
    g.rows
        .get(r)
        .is_some_and(|row| row.iter().any(|c| is_total_text(&c.text)))
}

/// Text that opens a note under (or above) a table: "注：…", "说明：…", "填表人：…".
pub fn is_note_text(text: &str) -> bool {
    let t = text.trim_start();
    [
        "注",
        "说明",
        "备注",
        "附注",
        "填表",
        "制表",
        "审核",
        "联系人",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// A total row's label: "合计", "总计", "小计", "总分".
pub fn is_total_text(text: &str) -> bool {
    // Labels are short: skip the folding for every longer cell.
    if text.is_empty() || text.len() > 40 {
        return false;
    }
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ["合计", "总计", "小计", "总分", "合计分值"].contains(&t.as_str())
}

/// Whether row `r` is a note line: its first non-empty cell opens a note.
pub fn is_note_row(g: &Grid, r: usize) -> bool {
    (0..g.width())
        .map(|c| g.text(r, c))
        .find(|t| !t.is_empty())
        .is_some_and(is_note_text)
}

/// Issues of one file, each message naming the file and the place.
#[derive(Debug, Default)]
pub struct Issues {
    pub file: String,
    pub list: Vec<ImportIssue>,
}

impl Issues {
    pub fn new(file: &str) -> Issues {
        Issues {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    /// An issue at a place of `g` (row/col 0-based, None for the whole sheet or row).
    pub fn at(
        &mut self,
        severity: Severity,
        g: &Grid,
        row: Option<usize>,
        col: Option<usize>,
        what: &str,
    ) {
        let place = match row {
            Some(r) => g.place(r, col),
            None => g.label(),
        };
        self.list.push(ImportIssue {
            severity,
            message: format!("“{}”{}：{}", self.file, place, what),
            file: self.file.clone(),
            sheet: Some(g.name.clone()),
            row: row.map(|r| r as u32 + 1),
            col: col.map(|c| g.col_label(c)),
        });
    }

    /// An issue about the whole file.
    pub fn file(&mut self, severity: Severity, what: &str) {
        self.list.push(ImportIssue::about_file(
            &self.file,
            severity,
            format!("“{}”：{}", self.file, what),
        ));
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|i| i.severity == Severity::Error)
    }
}

/// Header names of a layout, for messages ("单位名称、单位类别").
pub fn names(layout: &[Column], keys: &[&str]) -> String {
    keys.iter()
        .filter_map(|k| layout.iter().find(|c| c.key == *k).map(|c| c.header))
        .collect::<Vec<_>>()
        .join("、")
}

/// Shorten a cell for a message.
pub fn short(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() > 30 {
        format!("{}…", s.chars().take(30).collect::<String>())
    } else {
        s
    }
}
