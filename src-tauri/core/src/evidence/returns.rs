//! 退回清单: the items returned to one unit and not yet answered by a corrected file, as the
//! workbook the office sends back (what, which indicator, why). When the unit sends its next
//! package, the intake matches its files against this list (see [`super::add`]).

use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::campaign;
use crate::error::{Error, Result};
use crate::sheet::layout::Column;
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::workspace::Workspace;

/// The layout of the 退回清单.
pub const RETURN_LIST_COLUMNS: &[Column] = &[
    Column::new("seq", "序号", &[], 6.0),
    Column::new("title", "材料名称", &["材料"], 36.0),
    Column::new("file", "原文件名", &["文件名"], 30.0),
    Column::new("indicator", "对应指标", &["指标"], 24.0),
    Column::new("reason", "退回原因", &["原因", "审核意见"], 40.0),
    Column::new("at", "退回时间", &[], 18.0),
    Column::new("reviewer", "审核人", &[], 10.0),
];

/// A table sheet: merged title, header from `cols`, rows of text (numbers centred when the
/// column is 序号), A4 with the header repeated.
pub(crate) fn table_sheet(
    book: &mut Book,
    name: &str,
    title: &str,
    cols: &[Column],
    rows: &[Vec<String>],
    landscape: bool,
) -> Result<()> {
    let mut ws = book.sheet(name)?;
    let last = cols.len().saturating_sub(1) as u16;
    ws.title(0, last, title)?;
    let header: Vec<(&str, f64)> = cols.iter().map(|c| (c.header, c.width)).collect();
    ws.header(1, &header)?;
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        let mut h: f64 = 20.0;
        for (j, col) in cols.iter().enumerate() {
            let v = row.get(j).map(String::as_str).unwrap_or("");
            let centred = matches!(col.key, "seq" | "pages" | "volume" | "items" | "no");
            match v.parse::<f64>() {
                Ok(n) if centred && !v.is_empty() => ws.number(r, j as u16, n, Style::Center)?,
                _ => ws.text(
                    r,
                    j as u16,
                    v,
                    if centred { Style::Center } else { Style::Body },
                )?,
            }
            h = h.max(wrapped_height(v, col.width));
        }
        ws.row_height(r, h)?;
    }
    ws.freeze_rows(2)?;
    ws.print_a4(landscape, 1, 1)?;
    Ok(())
}

impl Workspace {
    /// Write the 退回清单 of `unit_id` to `path`: every item returned to it and not yet answered.
    pub fn export_return_list(&self, unit_id: i64, path: &Path) -> Result<PathBuf> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let unit: String = crate::units::list(conn, c.id)?
            .into_iter()
            .find(|u| u.id == unit_id)
            .map(|u| u.name)
            .ok_or_else(|| {
                Error::NotFound(format!("当前创建项目中没有编号为 {unit_id} 的单位。"))
            })?;
        let mut st = conn.prepare(
            "SELECT e.id, e.title, e.file_name, e.return_reason, ifnull(e.reviewed_at, ''), e.reviewer,
               (SELECT group_concat('指标' || i.no || ' ' || i.title, '\n') FROM evidence_link l
                  JOIN indicator i ON i.id = l.indicator_id WHERE l.evidence_id = e.id)
             FROM evidence e
             WHERE e.campaign_id = ?1 AND e.status = '退回'
               AND (e.unit_id = ?2 OR EXISTS (SELECT 1 FROM evidence_source s
                                              WHERE s.evidence_id = e.id AND s.unit_id = ?2))
               AND NOT EXISTS (SELECT 1 FROM evidence a WHERE a.answers_id = e.id)
             ORDER BY e.id",
        )?;
        let rows: Vec<Vec<String>> = st
            .query_map(params![c.id, unit_id], |r| {
                Ok(vec![
                    String::new(),
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ])
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Err(Error::Invalid(format!(
                "“{unit}”目前没有被退回、待重新报送的材料，未生成退回清单。"
            )));
        }
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r[0] = (i + 1).to_string();
                r
            })
            .collect();
        let today = chrono::Local::now().format("%Y-%m-%d");
        let title = format!("{unit}佐证材料退回清单（{today}）");
        let mut book = Book::new("退回清单");
        table_sheet(
            &mut book,
            "退回清单",
            &title,
            RETURN_LIST_COLUMNS,
            &rows,
            true,
        )?;
        book.save(path)
    }
}
