//! Tables inside a Word (.docx) document, read straight from `word/document.xml`.
//!
//! Horizontal merges (`w:gridSpan`) and vertical merges (`w:vMerge`) are expanded so every grid
//! position holds the text of the cell that covers it, exactly as for merged Excel regions.
//! Nested tables are skipped; their text is not part of the outer cell.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Cell, Grid};
use crate::error::Error;
use crate::text::clean_cell;

struct RawCell {
    text: String,
    span: usize,
    /// Some(true) = restart, Some(false) = continue, None = not merged vertically.
    vmerge: Option<bool>,
}

fn attr_val(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        if key == "w:val" || key == "val" {
            Some(a.value.to_string())
        } else {
            None
        }
    })
}

/// Read every top-level table of a .docx as a grid named "表格1", "表格2", ….
pub fn read_tables(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, Error> {
    let bad = |why: String| Error::BadFile(format!("无法读取 Word 文档“{file}”：{why}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("文件已损坏（{e}）。")))?;
    let name = zip
        .file_names()
        .filter_map(|n| n.ok())
        .find(|n| n.replace('\\', "/") == "word/document.xml")
        .map(|n| n.into_owned())
        .ok_or_else(|| bad("缺少正文（word/document.xml）。".into()))?;
    let mut xml = String::new();
    {
        let entry = zip
            .by_name(&name)
            .map_err(|e| bad(format!("文件已损坏（{e}）。")))?;
        if entry.size() > 200 * 1024 * 1024 {
            return Err(bad("正文解压后过大，已拒绝读取。".into()));
        }
        entry
            .take(200 * 1024 * 1024)
            .read_to_string(&mut xml)
            .map_err(|e| bad(format!("正文无法解码（{e}）。")))?;
    }
    parse_document(&xml).map_err(|e| bad(format!("正文 XML 有误（{e}）。")))
}

fn parse_document(xml: &str) -> Result<Vec<Grid>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut grids = Vec::new();
    let mut captions: Vec<String> = Vec::new();
    // State for the top-level table being read.
    let mut depth = 0usize; // table nesting depth
    let mut rows: Vec<Vec<RawCell>> = Vec::new();
    let mut row: Vec<RawCell> = Vec::new();
    let mut grid_before = 0usize;
    let mut cell: Option<RawCell> = None;
    let mut para = String::new();
    let mut in_text = false;
    let mut outer_para = String::new();
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if matches!(e.name().as_ref(), "w:tbl") => {
                depth += 1;
                if depth == 1 {
                    rows.clear();
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => {
                    if depth == 1 {
                        let n = grids.len() + 1;
                        grids.push(build_grid(
                            format!("表格{n}"),
                            std::mem::take(&mut rows),
                            std::mem::take(&mut captions),
                        ));
                    }
                    depth = depth.saturating_sub(1);
                }
                "w:tr" if depth == 1 => {
                    let mut r = std::mem::take(&mut row);
                    if grid_before > 0 {
                        r.insert(
                            0,
                            RawCell {
                                text: String::new(),
                                span: grid_before,
                                vmerge: None,
                            },
                        );
                    }
                    rows.push(r);
                    grid_before = 0;
                }
                "w:tc" if depth == 1 => {
                    if let Some(c) = cell.take() {
                        row.push(c);
                    }
                }
                "w:p" => {
                    if depth == 0 {
                        let t = clean_cell(&outer_para);
                        if !t.is_empty() {
                            captions.push(t);
                        }
                        outer_para.clear();
                    } else if depth == 1 {
                        if let Some(c) = cell.as_mut() {
                            if !c.text.is_empty() {
                                c.text.push('\n');
                            }
                            c.text.push_str(&para);
                        }
                        para.clear();
                    }
                }
                "w:t" => in_text = false,
                _ => {}
            },
            Event::Start(e) => match e.name().as_ref() {
                "w:tc" if depth == 1 => {
                    cell = Some(RawCell {
                        text: String::new(),
                        span: 1,
                        vmerge: None,
                    })
                }
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:gridSpan" if depth == 1 => {
                    if let (Some(c), Some(v)) = (cell.as_mut(), attr_val(&e)) {
                        c.span = v.parse::<usize>().unwrap_or(1).clamp(1, 64);
                    }
                }
                "w:vMerge" if depth == 1 => {
                    if let Some(c) = cell.as_mut() {
                        c.vmerge = Some(attr_val(&e).as_deref() == Some("restart"));
                    }
                }
                "w:gridBefore" if depth == 1 => {
                    grid_before = attr_val(&e)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                        .min(64);
                }
                "w:br" | "w:cr" => {
                    if depth == 1 {
                        para.push('\n');
                    } else if depth == 0 {
                        outer_para.push('\n');
                    }
                }
                "w:tab" => {
                    if depth == 1 {
                        para.push(' ');
                    } else if depth == 0 {
                        outer_para.push(' ');
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.xml10_content().into_owned();
                if depth == 1 {
                    para.push_str(&s);
                } else if depth == 0 {
                    outer_para.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text => {
                // Entities such as &amp; inside w:t.
                let s = match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                };
                if depth == 1 {
                    para.push_str(s);
                } else if depth == 0 {
                    outer_para.push_str(s);
                }
            }
            _ => {}
        }
    }
    Ok(grids)
}

fn build_grid(name: String, raw: Vec<Vec<RawCell>>, caption: Vec<String>) -> Grid {
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(raw.len());
    for raw_row in raw {
        let mut out: Vec<Cell> = Vec::new();
        for rc in raw_row {
            let col = out.len();
            let text = clean_cell(&rc.text);
            let cell = if rc.vmerge == Some(false) {
                // Continuation of a vertical merge: take the value above.
                let above = rows
                    .last()
                    .and_then(|r: &Vec<Cell>| r.get(col))
                    .cloned()
                    .unwrap_or_default();
                Cell {
                    merged_copy: true,
                    ..above
                }
            } else {
                Cell {
                    text,
                    number: None,
                    merged_copy: false,
                }
            };
            for k in 0..rc.span {
                out.push(Cell {
                    merged_copy: cell.merged_copy || k > 0,
                    ..cell.clone()
                });
            }
        }
        rows.push(out);
    }
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.text.is_empty()))
    {
        rows.pop();
    }
    Grid {
        name,
        rows,
        caption,
        is_word_table: true,
        ..Grid::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_vertical_merges_expand() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>一、总</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x &amp; y</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>z</w:t></w:r></w:p><w:p><w:r><w:t>w</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let g = parse_document(xml).expect("parses");
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!(g.caption, vec!["标题".to_string()]);
        assert_eq!(g.text(0, 1), "一、总");
        assert_eq!(g.text(1, 1), "x & y");
        assert_eq!(g.text(2, 0), "A");
        assert_eq!(g.text(2, 1), "z\nw");
    }
}
