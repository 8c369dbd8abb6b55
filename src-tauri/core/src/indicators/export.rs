//! Export of a system as the 指标体系表 an office prints and sends: title row, one header row,
//! one column per hierarchy level with merged cells, 分值 and 评估方式, CJK-fitted widths,
//! frozen header and A4 landscape printing with the header repeated on every page.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{heading_label, max_depth, walk};
use crate::error::{Error, Result};
use crate::model::{IndicatorNode, IndicatorTree};
use crate::sheet::write::{
    Styles, a4_setup, fit_width, save_atomic, wrapped_height, write_user_text,
};

/// Write `tree` to `path` (.xlsx). The file appears whole or not at all.
pub fn export_xlsx(tree: &IndicatorTree, path: &Path) -> Result<PathBuf> {
    let mut wb = build(tree).map_err(|e| Error::Io(format!("生成指标体系表失败：{e}")))?;
    save_atomic(&mut wb, path)
}

struct Line<'a> {
    leaf: &'a IndicatorNode,
    ancestors: Vec<&'a IndicatorNode>,
}

fn build(tree: &IndicatorTree) -> Result<Workbook, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("指标体系")?;

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

    // Columns: 序号, branch levels…, leaf text, 分值, 评估方式, [否决项].
    let mut headers: Vec<String> = vec!["序号".into()];
    headers.extend((0..branch_levels).map(level_name));
    headers.push(level_name(depth - 1));
    headers.push("分值".into());
    headers.push("评估方式".into());
    if any_veto {
        headers.push("否决项".into());
    }
    let c_text = (1 + branch_levels) as u16;
    let c_score = c_text + 1;
    let c_methods = c_text + 2;
    let last_col = headers.len() as u16 - 1;

    // Widths that fit Chinese text (wrapping beyond a cap).
    ws.set_column_width(0, 6)?;
    for b in 0..branch_levels {
        let texts: Vec<String> = lines
            .iter()
            .filter_map(|l| l.ancestors.get(b).map(|a| heading_label(a)))
            .chain(std::iter::once(headers[b + 1].clone()))
            .collect();
        ws.set_column_width(
            1 + b as u16,
            fit_width(texts.iter().map(String::as_str), 10.0, 24.0),
        )?;
    }
    let text_width = fit_width(lines.iter().map(|l| l.leaf.title.as_str()), 30.0, 60.0);
    ws.set_column_width(c_text, text_width)?;
    ws.set_column_width(c_score, 7)?;
    let methods_width = fit_width(
        lines.iter().filter_map(|l| l.leaf.methods.as_deref()),
        14.0,
        30.0,
    );
    ws.set_column_width(c_methods, methods_width)?;
    if any_veto {
        ws.set_column_width(last_col, 8)?;
    }

    // Title and header.
    let title = if tree.system.version.is_empty()
        || tree.system.name.contains(&tree.system.version)
        || tree.system.is_demo
        || tree.system.version == "未标注版本"
    {
        tree.system.name.clone()
    } else {
        format!("{}（{}）", tree.system.name, tree.system.version)
    };
    ws.merge_range(0, 0, 0, last_col, &title, &st.title)?;
    ws.set_row_height(0, 32)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &st.header)?;
    }
    ws.set_row_height(1, 24)?;

    // Body.
    let first = 2u32;
    for (i, l) in lines.iter().enumerate() {
        let r = first + i as u32;
        ws.write_number_with_format(r, 0, l.leaf.no.unwrap_or(0) as f64, &st.body_center)?;
        for b in 0..branch_levels {
            let label = l
                .ancestors
                .get(b)
                .map(|a| heading_label(a))
                .unwrap_or_default();
            write_user_text(ws, r, 1 + b as u16, &label, &st.body)?;
        }
        write_user_text(ws, r, c_text, &l.leaf.title, &st.body)?;
        match l.leaf.score {
            Some(s) => ws.write_number_with_format(r, c_score, s, &st.body_center)?,
            None => ws.write_blank(r, c_score, &st.body_center)?,
        };
        write_user_text(
            ws,
            r,
            c_methods,
            l.leaf.methods.as_deref().unwrap_or(""),
            &st.body,
        )?;
        if any_veto {
            ws.write_string_with_format(
                r,
                last_col,
                if l.leaf.veto { "是" } else { "" },
                &st.body_center,
            )?;
        }
        let h = wrapped_height(&l.leaf.title, text_width).max(wrapped_height(
            l.leaf.methods.as_deref().unwrap_or(""),
            methods_width,
        ));
        ws.set_row_height(r, h)?;
    }
    // Merge each heading over the rows of its indicators.
    for b in 0..branch_levels {
        let mut start = 0usize;
        while start < lines.len() {
            let key = lines[start].ancestors.get(b).map(|a| a.uid.as_str());
            let mut end = start;
            while end + 1 < lines.len()
                && lines[end + 1].ancestors.get(b).map(|a| a.uid.as_str()) == key
            {
                end += 1;
            }
            if end > start && key.is_some() {
                let label = lines[start]
                    .ancestors
                    .get(b)
                    .map(|a| heading_label(a))
                    .unwrap_or_default();
                ws.merge_range(
                    first + start as u32,
                    1 + b as u16,
                    first + end as u32,
                    1 + b as u16,
                    &label,
                    &st.body,
                )?;
                // Same cell again through the guard (quote prefix for formula-like text).
                write_user_text(ws, first + start as u32, 1 + b as u16, &label, &st.body)?;
            }
            start = end + 1;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    a4_setup(ws, true, 1, 1)?;
    Ok(wb)
}
