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

/// Columns a header row names. Visible columns come first: a hidden column (an old numbering
/// kept beside the new one) only names a key that no visible column names.
fn match_row(g: &Grid, names: &[String], keys: &Keys<'_>) -> HashMap<&'static str, usize> {
    let mut cols = HashMap::new();
    for hidden in [false, true] {
        for (c, name) in names.iter().enumerate() {
            if g.col_hidden(c) != hidden {
                continue;
            }
            if let Some(spec) = keys.find(&header_key(name), &cols) {
                cols.insert(spec.key, c);
            }
        }
        if g.hidden_cols.is_empty() {
            break;
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
///
/// Hidden rows are passed over (an old header kept above the new one, hidden): they are only
/// read when no visible row makes a header.
pub fn scan_header<T>(
    g: &Grid,
    mut judge: impl FnMut(usize, &[String], Option<&[String]>) -> Option<(usize, T)>,
) -> Option<T> {
    let width = g.width();
    let rows = g.rows.len().min(HEADER_SEARCH_ROWS);
    let row_texts =
        |r: usize| -> Vec<String> { (0..width).map(|c| g.text(r, c).to_string()).collect() };
    let any_hidden = (0..rows).any(|r| g.row_hidden(r));
    for with_hidden in [false, true] {
        if with_hidden && !any_hidden {
            break;
        }
        let mut best: Option<(usize, T)> = None;
        let mut above: Option<Vec<String>> = None;
        for r in 0..rows {
            if !with_hidden && g.row_hidden(r) {
                above = None;
                continue;
            }
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
        if let Some((_, t)) = best {
            return Some(t);
        }
    }
    None
}

/// Find the header of `layout` (see [`scan_header`]). The best row holding every `required`
/// key wins: the one naming the most columns. A hidden column names a key only when no visible
/// column does (see [`hidden_header_cols`] to mention the others).
pub fn find_header(g: &Grid, layout: &[Column], required: &[&str]) -> Option<Found> {
    let keys = Keys::new(layout);
    scan_header(g, |r, cells, above| {
        let cols = match above {
            None => match_row(g, cells, &keys),
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
                let mut m = match_row(g, &combined, &keys);
                // Keys only the upper row names (a vertically merged "序号" A1:A2).
                for (k, c) in match_row(g, high, &keys) {
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

/// Hidden columns whose header cell (in `found.row`, or the row above it) names a column of
/// `layout` but that are not read because a visible column names it: (column, header text).
/// An importer lists them in the preview ("隐藏的A列“原序号”未读取").
pub fn hidden_header_cols(g: &Grid, layout: &[Column], found: &Found) -> Vec<(usize, String)> {
    let used: Vec<usize> = found.cols.values().copied().collect();
    let mut out = Vec::new();
    for &c in &g.hidden_cols {
        if used.contains(&c) {
            continue;
        }
        let rows = [Some(found.row), found.row.checked_sub(1)];
        if let Some(text) = rows
            .into_iter()
            .flatten()
            .map(|r| g.text(r, c))
            .find(|t| layout.iter().any(|col| col.matches(t)))
        {
            out.push((c, text.to_string()));
        }
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

/// A column whose cells are formulas never calculated (see [`Grid::uncalculated`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncalculated {
    /// 0-based rows of those cells, in order.
    pub rows: Vec<usize>,
    /// What to tell the user, without the place: the count, why the cells read empty and how
    /// to fix it (open and save in Excel/WPS).
    pub message: String,
}

impl Uncalculated {
    pub fn first_row(&self) -> usize {
        self.rows.first().copied().unwrap_or(0)
    }

    pub fn contains(&self, row: usize) -> bool {
        self.rows.binary_search(&row).is_ok()
    }
}

/// The cells of column `col` below row `below` (pass the header row; `None` for the whole
/// column) that hold a formula never calculated, and the message for them; None when there are
/// none. `column` names the column in the message ("序号").
///
/// ```ignore
/// if let Some(u) = uncalculated_issue(g, no_col, Some(header_row), "序号") {
///     issues.at(Severity::Error, g, Some(u.first_row()), Some(no_col), &u.message);
///     // and skip the per-row "缺少序号" for rows where u.contains(r)
/// }
/// ```
pub fn uncalculated_issue(
    g: &Grid,
    col: usize,
    below: Option<usize>,
    column: &str,
) -> Option<Uncalculated> {
    if g.uncalculated.is_empty() {
        return None;
    }
    let mut rows: Vec<usize> = g
        .uncalculated
        .iter()
        .filter(|(r, c)| *c == col && below.is_none_or(|b| *r > b))
        .map(|(r, _)| *r)
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_unstable();
    rows.dedup();
    let n = rows.len();
    let name = if column.is_empty() {
        "这一列".to_string()
    } else {
        format!("“{column}”一栏")
    };
    let message = format!(
        "{name}{}是公式，但文件中没有保存公式的计算结果（文件可能由不计算公式的程序生成），读出来是空的。请在 Excel 或 WPS 中打开该文件并保存，再重新导入。",
        if n == 1 {
            "的这个单元格".to_string()
        } else {
            format!("从这里起共有 {n} 个单元格")
        }
    );
    Some(Uncalculated { rows, message })
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

/// "第3行、第5行、…" for 0-based rows (the first 30, then "等").
pub fn row_list(rows: &[usize]) -> String {
    let list: Vec<String> = rows
        .iter()
        .take(30)
        .map(|r| format!("第{}行", r + 1))
        .collect();
    format!(
        "{}{}",
        list.join("、"),
        if rows.len() > 30 { "等" } else { "" }
    )
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
    (0..g.row_width(r))
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
        // A row of a continued Word table is named after the table the user sees.
        let (sheet, row) = match row {
            Some(r) => {
                let (t, r) = g.locate(r);
                (t.to_string(), Some(r as u32 + 1))
            }
            None => (g.name.clone(), None),
        };
        self.list.push(ImportIssue {
            severity,
            message: format!("“{}”{}：{}", self.file, place, what),
            file: self.file.clone(),
            sheet: Some(sheet),
            row,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Cell;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "任务分解".into(),
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

    const LAYOUT: &[Column] = &[
        Column::new("no", "序号", &["指标序号", "三级指标序号"], 6.0),
        Column::new("lead", "牵头单位", &[], 20.0),
    ];

    #[test]
    fn a_hidden_column_names_a_key_only_when_no_visible_column_does() {
        let mut g = grid(&[&["指标序号", "序号", "牵头单位"], &["64", "1", "区司法局"]]);
        assert_eq!(
            find_header(&g, LAYOUT, &["no"]).and_then(|f| f.col("no")),
            Some(0)
        );
        g.hidden_cols.insert(0);
        let f = find_header(&g, LAYOUT, &["no"]).expect("header");
        assert_eq!(f.col("no"), Some(1));
        assert_eq!(
            hidden_header_cols(&g, LAYOUT, &f),
            vec![(0, "指标序号".to_string())]
        );
        // The only numbering column is read even when hidden.
        let mut g = grid(&[&["序号", "牵头单位"], &["1", "区司法局"]]);
        g.hidden_cols.insert(0);
        assert_eq!(
            find_header(&g, LAYOUT, &["no"]).and_then(|f| f.col("no")),
            Some(0)
        );
    }

    #[test]
    fn a_hidden_row_is_a_header_only_when_no_visible_row_is() {
        let mut g = grid(&[
            &["序号", "牵头单位"],
            &["说明", ""],
            &["三级指标序号", "牵头单位"],
            &["1", "区司法局"],
        ]);
        g.hidden_rows.insert(0);
        assert_eq!(find_header(&g, LAYOUT, &["no"]).map(|f| f.row), Some(2));
        let mut g = grid(&[&["序号", "牵头单位"], &["1", "区司法局"]]);
        g.hidden_rows.insert(0);
        assert_eq!(find_header(&g, LAYOUT, &["no"]).map(|f| f.row), Some(0));
    }

    #[test]
    fn formulas_never_calculated_are_one_message_with_the_fix() {
        let mut g = grid(&[
            &["序号", "牵头单位"],
            &["", "甲"],
            &["", "乙"],
            &["3", "丙"],
        ]);
        assert_eq!(uncalculated_issue(&g, 0, Some(0), "序号"), None);
        g.uncalculated = vec![(2, 0), (1, 0), (1, 1)];
        let u = uncalculated_issue(&g, 0, Some(0), "序号").expect("found");
        assert_eq!(u.rows, vec![1, 2]);
        assert_eq!(u.first_row(), 1);
        assert!(u.contains(2) && !u.contains(3));
        for w in ["“序号”", "2 个", "公式", "计算结果", "打开", "保存"] {
            assert!(u.message.contains(w), "{w}: {}", u.message);
        }
        assert_eq!(
            uncalculated_issue(&g, 1, Some(0), "").map(|u| u.message.starts_with("这一列")),
            Some(true)
        );
        assert_eq!(uncalculated_issue(&g, 0, Some(2), "序号"), None);
    }

    #[test]
    fn issues_in_a_continued_word_table_name_the_table_the_user_sees() {
        let mut g = grid(&[&["序号"], &["1"], &["2"]]);
        g.name = "表格1".into();
        g.is_word_table = true;
        g.continued.push(crate::sheet::Continuation {
            from_row: 2,
            table: "表格2".into(),
            table_row: 1,
        });
        let mut issues = Issues::new("a.docx");
        issues.at(Severity::Error, &g, Some(2), Some(0), "x");
        let i = &issues.list[0];
        assert_eq!((i.sheet.as_deref(), i.row), (Some("表格2"), Some(2)));
        assert!(i.message.contains("表格2第2行第1列"), "{}", i.message);
    }
}
