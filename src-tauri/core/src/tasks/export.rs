//! The master 任务分解表: title, one header row, hierarchy columns merged over their indicators,
//! then the [`TASK_COLUMNS`] layout; CJK widths, frozen header, A4 landscape with the header
//! repeated on every page. Re-importing it gives the same assignments.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};

use super::Assignment;
use super::import::TASK_COLUMNS;
use crate::campaign;
use crate::error::{Error, Result};
use crate::sheet::write::{Styles, a4_setup, fit_width, save_atomic, wrapped_height};
use crate::workspace::Workspace;

fn col(key: &str) -> &'static crate::sheet::layout::Column {
    TASK_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .unwrap_or(&TASK_COLUMNS[0])
}

fn build(title: &str, level_names: &[String], rows: &[Assignment]) -> Result<Workbook, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("任务分解表")?;
    let branches = rows.iter().map(|a| a.path.len()).max().unwrap_or(0);
    // Header: 序号, branch levels…, then the layout minus 序号.
    let mut headers: Vec<(String, f64)> = vec![(col("seq").header.into(), col("seq").width)];
    for b in 0..branches {
        let name = level_names
            .get(b)
            .cloned()
            .unwrap_or_else(|| format!("{}级指标", b + 1));
        let w = fit_width(
            rows.iter()
                .filter_map(|a| a.path.get(b).map(String::as_str)),
            10.0,
            22.0,
        );
        headers.push((name, w));
    }
    let keys = [
        "no", "text", "task", "lead", "support", "leader", "deadline", "evidence", "note",
    ];
    for k in keys {
        headers.push((col(k).header.into(), col(k).width));
    }
    let last = headers.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, title, &st.title)?;
    ws.set_row_height(0, 32)?;
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(1, c as u16, h, &st.header)?;
    }
    ws.set_row_height(1, 30)?;
    let first = 2u32;
    let base = 1 + branches as u16;
    for (i, a) in rows.iter().enumerate() {
        let r = first + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
        for b in 0..branches {
            ws.write_string_with_format(
                r,
                1 + b as u16,
                a.path.get(b).map(String::as_str).unwrap_or(""),
                &st.body,
            )?;
        }
        ws.write_number_with_format(r, base, a.no as f64, &st.body_center)?;
        let names = |v: &[super::UnitRef]| {
            v.iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let evidence = a.evidence.join("\n");
        let vals = [
            a.text.as_str(),
            a.task.as_str(),
            &names(&a.leads),
            &names(&a.supports),
            a.leader.as_str(),
            a.deadline_text.as_str(),
            evidence.as_str(),
            a.note.as_str(),
        ];
        for (j, v) in vals.iter().enumerate() {
            ws.write_string_with_format(r, base + 1 + j as u16, *v, &st.body)?;
        }
        let h = wrapped_height(&a.text, col("text").width)
            .max(wrapped_height(&evidence, col("evidence").width))
            .max(wrapped_height(&names(&a.supports), col("support").width));
        ws.set_row_height(r, h.min(400.0))?;
    }
    for b in 0..branches {
        let mut start = 0usize;
        while start < rows.len() {
            let key = rows[start].path.get(b);
            let mut end = start;
            while end + 1 < rows.len()
                && rows[end + 1].path.get(b) == key
                && rows[end + 1].path[..b] == rows[start].path[..b.min(rows[start].path.len())]
            {
                end += 1;
            }
            if end > start && key.is_some() {
                ws.merge_range(
                    first + start as u32,
                    1 + b as u16,
                    first + end as u32,
                    1 + b as u16,
                    key.map(String::as_str).unwrap_or(""),
                    &st.body,
                )?;
            }
            start = end + 1;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    a4_setup(ws, true, 1, 1)?;
    Ok(wb)
}

impl Workspace {
    /// Write the master 任务分解表 of the active campaign.
    pub fn export_tasks(&self, path: &Path) -> Result<PathBuf> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let rows = super::load(conn, c.id, c.system_id)?;
        let sys = crate::indicators::get_system(conn, c.system_id)?;
        let title = format!("{}法治政府建设示范创建任务分解表", c.district);
        let mut wb = build(&title, &sys.level_names, &rows)
            .map_err(|e| Error::Io(format!("生成任务分解表失败：{e}")))?;
        save_atomic(&mut wb, path)
    }
}
