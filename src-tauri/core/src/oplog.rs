//! 操作日志: every change recorded by [`Store::write`](crate::store::Store::write) (who, when,
//! what, old → new where short), viewed with filters and exported to Excel. The operator name
//! is the `operator` setting (设置 → 操作人).

use std::path::{Path, PathBuf};

use rusqlite::types::Value;

use crate::action::Action;
use crate::error::{Error, Result};
use crate::model::{OplogEntry, OplogFilter, OplogPage};
use crate::sheet::write::{Book, Style, fit_width};
use crate::store::set_setting;
use crate::workspace::Workspace;

/// Most entries one page returns.
pub const MAX_PAGE: i64 = 1000;

fn where_clause(f: &OplogFilter) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(a) = f.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(Value::Text(a.to_string()));
        conds.push(format!("action = ?{}", args.len()));
    }
    if let Some(t) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pat = format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        args.push(Value::Text(pat));
        let n = args.len();
        conds.push(format!(
            "(operator LIKE ?{n} ESCAPE '\\' OR action LIKE ?{n} ESCAPE '\\' OR detail LIKE ?{n} ESCAPE '\\')"
        ));
    }
    if let Some(d) = f.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(Value::Text(d.to_string()));
        conds.push(format!("at >= ?{}", args.len()));
    }
    if let Some(d) = f.to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Whole last day: "2026-11-30" includes "2026-11-30 23:59:59".
        args.push(Value::Text(format!("{d} 99")));
        conds.push(format!("at <= ?{}", args.len()));
    }
    let w = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (w, args)
}

fn check_date(d: &Option<String>, what: &str) -> Result<()> {
    if let Some(d) = d.as_deref().map(str::trim).filter(|s| !s.is_empty())
        && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        return Err(Error::Invalid(format!(
            "{what}“{d}”格式不对，请写成“2026-11-01”这样的日期。"
        )));
    }
    Ok(())
}

/// Entries matching `f`, newest first; all of them when `limit` is None (up to `MAX_PAGE`
/// otherwise).
pub fn query(conn: &rusqlite::Connection, f: &OplogFilter, all: bool) -> Result<OplogPage> {
    check_date(&f.from, "起始日期")?;
    check_date(&f.to, "截止日期")?;
    let (w, args) = where_clause(f);
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM oplog {w}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let limit = if all {
        -1
    } else {
        f.limit.unwrap_or(200).clamp(1, MAX_PAGE)
    };
    let offset = f.offset.unwrap_or(0).max(0);
    let mut st = conn.prepare(&format!(
        "SELECT id, at, operator, action, detail FROM oplog {w} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    ))?;
    let entries = st
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(OplogEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                operator: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let actions = conn
        .prepare("SELECT action FROM oplog GROUP BY action ORDER BY max(id) DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(OplogPage {
        entries,
        total,
        actions,
    })
}

fn build(entries: &[OplogEntry], filter_note: &str) -> Result<Book> {
    let mut book = Book::new("操作日志");
    let mut ws = book.sheet("操作日志")?;
    ws.title(0, 4, "操作日志")?;
    ws.header(
        1,
        &[
            ("序号", 7.0),
            ("时间", 20.0),
            (
                "操作人",
                fit_width(entries.iter().map(|e| e.operator.as_str()), 10.0, 16.0),
            ),
            (
                "操作",
                fit_width(entries.iter().map(|e| e.action.as_str()), 12.0, 20.0),
            ),
            (
                "内容",
                fit_width(entries.iter().map(|e| e.detail.as_str()), 30.0, 70.0),
            ),
        ],
    )?;
    for (i, e) in entries.iter().enumerate() {
        let r = 2 + i as u32;
        ws.number(r, 0, (i + 1) as f64, Style::Center)?;
        ws.text(r, 1, &e.at, Style::Center)?;
        ws.text(r, 2, &e.operator, Style::Body)?;
        ws.text(r, 3, &e.action, Style::Body)?;
        ws.text(r, 4, &e.detail, Style::Body)?;
    }
    let last = 2 + entries.len() as u32;
    ws.merged((last, 0), (last, 4), filter_note, Style::Note)?;
    ws.freeze_rows(2)?;
    ws.print_a4(true, 1, 1)?;
    Ok(book)
}

impl Workspace {
    /// Set the name recorded as 操作人 for every later change.
    pub fn set_operator(&mut self, name: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid("请填写操作人姓名。".into()));
        }
        if name.chars().count() > 20 {
            return Err(Error::Invalid("操作人姓名过长（不超过 20 个字）。".into()));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::Invalid("操作人姓名不能包含控制字符。".into()));
        }
        let before = self.operator();
        let detail = format!("{before} → {name}");
        let value = name.to_string();
        self.store.write(
            Action::SetOperator,
            |_| detail,
            |tx| set_setting(tx, "operator", &value),
        )?;
        Ok(value)
    }

    /// One page of the 操作日志, newest first.
    pub fn list_oplog(&self, filter: &OplogFilter) -> Result<OplogPage> {
        query(self.store.conn(), filter, false)
    }

    /// Export every entry matching `filter` (limit/offset ignored) to an .xlsx at `path`.
    pub fn export_oplog(&self, filter: &OplogFilter, path: &Path) -> Result<PathBuf> {
        let page = query(self.store.conn(), filter, true)?;
        let mut parts = Vec::new();
        if let Some(a) = filter.action.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("操作“{a}”"));
        }
        if let Some(s) = filter.search.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("包含“{s}”"));
        }
        if let Some(d) = filter.from.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("自 {d}"));
        }
        if let Some(d) = filter.to.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("至 {d}"));
        }
        let note = format!(
            "共 {} 条{}。导出时间：{}，导出人：{}。",
            page.entries.len(),
            if parts.is_empty() {
                String::new()
            } else {
                format!("（筛选：{}）", parts.join("，"))
            },
            crate::store::now(),
            self.operator()
        );
        build(&page.entries, &note)?.save(path)
    }
}
