//! Export of a system as the 指标体系表 an office prints and sends: title row, one header row,
//! one column per hierarchy level with merged cells, 分值 and 评估方式, CJK-fitted widths,
//! frozen header and A4 landscape printing with the header repeated on every page.

use std::path::{Path, PathBuf};

use super::{heading_label, max_depth, walk};
use crate::error::Result;
use crate::model::{IndicatorNode, IndicatorTree};
use crate::sheet::write::{Book, Style, fit_width, wrapped_height};

/// Write `tree` to `path` (.xlsx). The file appears whole or not at all.
pub fn export_xlsx(tree: &IndicatorTree, path: &Path) -> Result<PathBuf> {
    build(tree)?.save(path)
}

struct Line<'a> {
    leaf: &'a IndicatorNode,
    ancestors: Vec<&'a IndicatorNode>,
}

fn build(tree: &IndicatorTree) -> Result<Book> {
    let mut book = Book::new("指标体系表");
    let mut ws = book.sheet("指标体系")?;

    let depth = max_depth(&tree.roots).max(1);
    let branch_levels = depth - 1;
    let mut lines: Vec<Line<'_>> = Vec::new();
    walk(&tree.roots, &mut |n, path| {
        if n.is_leaf {
            lines.push(Line {
                leaf: n,
                ancestors: path.to_vec(),
            });
        }
    });
    let any_veto = lines.iter().any(|l| l.leaf.veto);
    let level_name = |i: usize| -> String {
        tree.system
            .level_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| super::default_level_names(depth)[i].clone())
    };

    // Columns: 序号, branch levels…, leaf text, 分值, 评估方式, [否决项], with widths that fit
    // Chinese text (wrapping beyond a cap).
    let mut cols: Vec<(String, f64)> = vec![("序号".into(), 6.0)];
    for b in 0..branch_levels {
        let name = level_name(b);
        let texts: Vec<String> = lines
            .iter()
            .filter_map(|l| l.ancestors.get(b).map(|a| heading_label(a)))
            .chain(std::iter::once(name.clone()))
            .collect();
        cols.push((
            name,
            fit_width(texts.iter().map(String::as_str), 10.0, 24.0),
        ));
    }
    let text_width = fit_width(lines.iter().map(|l| l.leaf.title.as_str()), 30.0, 60.0);
    cols.push((level_name(depth - 1), text_width));
    cols.push(("分值".into(), 7.0));
    let methods_width = fit_width(
        lines.iter().filter_map(|l| l.leaf.methods.as_deref()),
        14.0,
        30.0,
    );
    cols.push(("评估方式".into(), methods_width));
    if any_veto {
        cols.push(("否决项".into(), 8.0));
    }
    let c_text = (1 + branch_levels) as u16;
    let c_score = c_text + 1;
    let c_methods = c_text + 2;
    let last_col = cols.len() as u16 - 1;

    let title = if tree.system.version.is_empty()
        || tree.system.name.contains(&tree.system.version)
        || tree.system.is_demo
        || tree.system.version == "未标注版本"
    {
        tree.system.name.clone()
    } else {
        format!("{}（{}）", tree.system.name, tree.system.version)
    };
    ws.title(0, last_col, &title)?;
    let header: Vec<(&str, f64)> = cols.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    ws.header(1, &header)?;

    let first = 2u32;
    for (i, l) in lines.iter().enumerate() {
        let r = first + i as u32;
        ws.number(r, 0, l.leaf.no.unwrap_or(0) as f64, Style::Center)?;
        ws.text(r, c_text, &l.leaf.title, Style::Body)?;
        match l.leaf.score {
            Some(s) => ws.number(r, c_score, s, Style::Center)?,
            None => ws.blank(r, c_score, Style::Center)?,
        };
        ws.text(
            r,
            c_methods,
            l.leaf.methods.as_deref().unwrap_or(""),
            Style::Body,
        )?;
        if any_veto {
            ws.text(
                r,
                last_col,
                if l.leaf.veto { "是" } else { "" },
                Style::Center,
            )?;
        }
        let h = wrapped_height(&l.leaf.title, text_width).max(wrapped_height(
            l.leaf.methods.as_deref().unwrap_or(""),
            methods_width,
        ));
        ws.row_height(r, h)?;
    }
    // Each heading merged over the rows of its indicators.
    for b in 0..branch_levels {
        let runs: Vec<(Option<String>, String)> = lines
            .iter()
            .map(|l| match l.ancestors.get(b) {
                Some(a) => (Some(a.uid.clone()), heading_label(a)),
                None => (None, String::new()),
            })
            .collect();
        ws.merge_runs(1 + b as u16, first, &runs)?;
    }
    ws.freeze_rows(2)?;
    ws.print_a4(true, 1, 1)?;
    Ok(book)
}
