//! Word (.docx) documents the office issues: the 督察问题反馈函 sent to each unit, the
//! 创建工作进展情况报告 for leaders, the printable 卷内目录 of an evidence volume.
//!
//! Callers describe a document as a short list of [`Block`]s (title, 发文字号, 主送机关,
//! headings, paragraphs, tables, images, 落款) and pick a [`Layout`]; [`render`] turns it into
//! the bytes of a .docx, [`save`] writes them crash-safely. The model knows nothing of
//! WordprocessingML, and the layouts know nothing of the campaign.
//!
//! * [`Layout::Gongwen`]: the 公文 layout of GB/T 9704-2012 (A4, 版心 156 × 225 mm at 天头
//!   37 mm / 订口 28 mm, 22 lines a page on the document grid, 28 characters a line, 2号小标宋
//!   title, 3号仿宋 text, 黑体/楷体 headings, page numbers "— 1 —" in 4号宋体 outside the 版心,
//!   odd pages right and even pages left). Numbers and what was checked: docs/gongwen.md.
//! * [`Layout::Table`]: forms such as the 卷内目录 (A4 portrait, Word's normal margins, 宋体
//!   10.5 pt table text, bold title, "第 1 页 共 3 页" footer).
//!
//! The package is written directly (no docx crate): the parts are few, and the ones we need —
//! a repeated header row (`w:tblHeader`, which docx-rs 0.4 lacks), the document grid,
//! East-Asian font slots, odd/even footers with a PAGE field — are a few lines each here. User text only ever becomes text
//! runs (`w:t`, escaped, characters XML forbids dropped), never fields.

mod body;
mod package;
mod spec;
#[cfg(test)]
mod tests;
mod title;
mod xml;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

pub use spec::Layout;

/// A document to write: blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn new() -> Doc {
        Doc::default()
    }

    /// Append a block (builder style).
    pub fn with(mut self, block: Block) -> Doc {
        self.blocks.push(block);
        self
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// One element of a document. Text is plain user text: a line break (`\n`) in a heading or a
/// paragraph starts a new paragraph, in a title or a table cell a new line.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// 标题: 2号小标宋, centred. Long titles are broken into balanced lines at word
    /// boundaries (梯形); a `\n` in the text fixes the breaks instead.
    Title(String),
    /// 发文字号, e.g. "曾法办函〔2023〕5号", flush right (信函格式).
    DocNo(String),
    /// 主送机关, e.g. "区司法局：", flush left one line below the title.
    Addressee(String),
    /// 一级标题 "一、……" in 黑体 (the caller writes the number).
    Heading1(String),
    /// 二级标题 "（一）……" in 楷体.
    Heading2(String),
    /// 三级标题 "1. ……" / "（1）……" in 仿宋.
    Heading3(String),
    /// 正文 paragraph, first line indented two characters.
    Para(String),
    Table(Table),
    Image(Image),
    /// 落款: 发文机关署名 and 成文日期, placed as for a sealed document.
    Signature(Signature),
    PageBreak,
    /// These blocks on landscape pages (a table wider than the 版心); portrait resumes after.
    Landscape(Vec<Block>),
}

/// A table with one header row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column widths in millimetres; empty means "from the content". Widths adding up to more
    /// than the text block are scaled down to fit it.
    pub widths_mm: Vec<f64>,
    /// Alignment per column; missing entries: short columns (序号, 页数) centred, others left.
    pub aligns: Vec<Align>,
    /// Repeat the header row at the top of every page the table runs onto.
    pub header_repeat: bool,
}

impl Table {
    /// A table with these headers, its header row repeated on every page.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            header_repeat: true,
            ..Table::default()
        }
    }

    pub fn row<S: Into<String>>(mut self, cells: impl IntoIterator<Item = S>) -> Table {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    pub fn widths_mm(mut self, widths: &[f64]) -> Table {
        self.widths_mm = widths.to_vec();
        self
    }
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A PNG picture (a chart), centred, with an optional caption below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub png: Vec<u8>,
    /// Printed width; the height follows the picture's proportions. Capped at the text block.
    pub width_mm: f64,
    pub caption: Option<String>,
}

/// 落款 of a document that will carry the seal: the 成文日期 右空四字, the 发文机关署名
/// centred on it (when the name is longer than the date, the name 右空二字 and the date
/// centred under it).
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub org: String,
    pub date: NaiveDate,
}

/// 成文日期 as GB/T 9704-2012 writes it: Arabic numerals, nothing zero-padded
/// ("2023年4月14日").
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The .docx bytes of `doc` in `layout`.
pub fn render(doc: &Doc, layout: Layout) -> Result<Vec<u8>> {
    let spec = layout.spec();
    let body = body::document_xml(doc, &spec)?;
    package::zip_parts(&spec, body)
}

/// Render `doc` and write it to `path` crash-safely (temp file + rename: the previous file
/// stays intact on any error). Returns the path written.
pub fn save(doc: &Doc, layout: Layout, path: &Path) -> Result<PathBuf> {
    let bytes = render(doc, layout)?;
    crate::atomic::write_atomic(path, &bytes)?;
    Ok(path.to_path_buf())
}

fn invalid(msg: String) -> Error {
    Error::Invalid(msg)
}
