//! The master 任务分解表: title, one header row, hierarchy columns merged over their indicators,
//! then the [`TASK_COLUMNS`] layout; CJK widths, frozen header, A4 landscape with the header
//! repeated on every page. Re-importing it gives the same assignments.

use std::path::{Path, PathBuf};

use super::Assignment;
use super::import::TASK_COLUMNS;
use crate::campaign;
use crate::error::Result;
use crate::sheet::write::{Book, Style, fit_width, wrapped_height};
use crate::workspace::Workspace;

fn col(key: &str) -> &'static crate::sheet::layout::Column {
    TASK_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .unwrap_or(&TASK_COLUMNS[0])
}

fn build(title: &str, level_names: &[String], rows: &[Assignment]) -> Result<Book> {
    let mut book = Book::new("任务分解表");
    let mut ws = book.sheet("任务分解表")?;
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
    ws.title(0, last, title)?;
    let header: Vec<(&str, f64)> = headers.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    ws.header(1, &header)?;
    let first = 2u32;
    let base = 1 + branches as u16;
    for (i, a) in rows.iter().enumerate() {
        let r = first + i as u32;
        ws.number(r, 0, (i + 1) as f64, Style::Center)?;
        ws.number(r, base, a.no as f64, Style::Center)?;
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
            ws.text(r, base + 1 + j as u16, v, Style::Body)?;
        }
        let h = wrapped_height(&a.text, col("text").width)
            .max(wrapped_height(&evidence, col("evidence").width))
            .max(wrapped_height(&names(&a.supports), col("support").width));
        ws.row_height(r, h)?;
    }
    // Each heading merged over its indicators (a heading is the same only under the same
    // parents).
    for b in 0..branches {
        let runs: Vec<(Option<String>, String)> = rows
            .iter()
            .map(|a| match a.path.get(b) {
                Some(label) => (Some(a.path[..=b].join("\u{1}")), label.clone()),
                None => (None, String::new()),
            })
            .collect();
        ws.merge_runs(1 + b as u16, first, &runs)?;
    }
    ws.freeze_rows(2)?;
    ws.print_a4(true, 1, 1)?;
    Ok(book)
}

impl Workspace {
    /// Write the master 任务分解表 of the active campaign.
    pub fn export_tasks(&self, path: &Path) -> Result<PathBuf> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let rows = super::load(conn, c.id, c.system_id)?;
        let sys = crate::indicators::get_system(conn, c.system_id)?;
        let title = format!("{}法治政府建设示范创建任务分解表", c.district);
        build(&title, &sys.level_names, &rows)?.save(path)
    }
}
