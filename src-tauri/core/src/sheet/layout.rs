//! One description per sheet layout, used in both directions: the reader finds each column by
//! its header name or aliases (never by position; one- or two-row headers), the writer takes
//! header text, width and lock state from the same description.

use std::collections::HashMap;

use super::Grid;
use crate::model::{ImportIssue, Severity};
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

/// Find the header of `layout` in the first 20 rows of `g`: a single row, or two rows read
/// together (a merged top cell such as "责任分工" above "牵头单位 | 责任单位"). The best row
/// holding every `required` key wins.
pub fn find_header(g: &Grid, layout: &[Column], required: &[&str]) -> Option<Found> {
    let keys = Keys::new(layout);
    let width = g.width();
    let mut best: Option<Found> = None;
    for r in 0..g.rows.len().min(20) {
        let single: Vec<String> = (0..width).map(|c| g.text(r, c).to_string()).collect();
        let mut candidates = vec![match_row(&single, &keys)];
        if r > 0 {
            let combined: Vec<String> = (0..width)
                .map(|c| {
                    let low = g.text(r, c);
                    let high = g.text(r - 1, c);
                    let low_known = keys.known(&header_key(low));
                    if low_known || high.is_empty() || low == high {
                        low.to_string()
                    } else if low.is_empty() {
                        high.to_string()
                    } else {
                        // "指标" over "序号": the lower cell names the column.
                        low.to_string()
                    }
                })
                .collect();
            let mut m = match_row(&combined, &keys);
            // Keys only the upper row names (a vertically merged "序号" A1:A2).
            for (k, c) in match_row(
                &(0..width)
                    .map(|c| g.text(r - 1, c).to_string())
                    .collect::<Vec<_>>(),
                &keys,
            ) {
                if !m.contains_key(k) && !m.values().any(|v| *v == c) {
                    m.insert(k, c);
                }
            }
            candidates.push(m);
        }
        for cols in candidates {
            if !required.iter().all(|k| cols.contains_key(k)) {
                continue;
            }
            if best.as_ref().is_none_or(|b| cols.len() > b.cols.len()) {
                best = Some(Found { row: r, cols });
            }
        }
    }
    best
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
            None => format!("工作表“{}”", g.name),
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
        self.list.push(ImportIssue {
            severity,
            message: format!("“{}”：{}", self.file, what),
            file: self.file.clone(),
            sheet: None,
            row: None,
            col: None,
        });
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
