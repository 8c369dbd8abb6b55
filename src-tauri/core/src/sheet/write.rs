//! Writing workbooks the way offices expect them: CJK-aware column widths, wrapped text,
//! frozen headers, A4 print setup with repeated header rows, and crash-safe saving
//! (temp file in the same folder, then rename) so a failed export never leaves half a file.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::Error;
use crate::text::display_width;

/// The formats every Shifan workbook uses.
pub struct Styles {
    pub title: Format,
    pub header: Format,
    pub body: Format,
    pub body_center: Format,
    pub note: Format,
}

impl Styles {
    pub fn new() -> Self {
        let font = "宋体";
        let base = Format::new()
            .set_font_name(font)
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new()
                .set_font_name("方正小标宋简体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: base
                .clone()
                .set_font_name("黑体")
                .set_bold()
                .set_background_color(0xD9E1F2)
                .set_align(FormatAlign::Center),
            body: base.clone().set_align(FormatAlign::Left),
            body_center: base.set_align(FormatAlign::Center),
            note: Format::new()
                .set_font_name(font)
                .set_font_size(9)
                .set_text_wrap(),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Self::new()
    }
}

/// Column width (in Excel character units) that fits the longest line of `texts`, between
/// `min` and `max`; longer text wraps.
pub fn fit_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let longest = texts
        .into_iter()
        .flat_map(str::lines)
        .map(display_width)
        .fold(0.0, f64::max);
    (longest + 2.0).clamp(min, max)
}

/// Row height (points) for wrapped text in a column of the given width.
pub fn wrapped_height(text: &str, col_width: f64) -> f64 {
    let usable = (col_width - 1.0).max(4.0);
    let lines: f64 = text
        .lines()
        .map(|l| (display_width(l) / usable).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0);
    (lines * 14.0 + 4.0).max(20.0)
}

/// Whether `text` would be taken as a formula by Excel/WPS when a user edits the cell or the
/// data is pasted elsewhere (CSV/DDE injection): it starts with `=`, `+`, `-` or `@` (after
/// leading spaces, full-width forms included).
pub fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.trim_start().chars().next(),
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
    )
}

/// Write text that came from a user or a user's file. It is always a string cell, never a
/// formula; text that looks like a formula also gets the quote prefix (Excel's leading `'`), so
/// it stays text even when a user later edits the cell. Every export writes user text with this.
pub fn write_user_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if looks_like_formula(text) {
        let f = format.clone().set_quote_prefix();
        ws.write_string_with_format(row, col, text, &f)?;
    } else {
        ws.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// A4 landscape, fit to one page wide, header rows repeated on every page, centred footer with
/// page numbers.
pub fn a4_setup(
    ws: &mut Worksheet,
    landscape: bool,
    header_first: u32,
    header_last: u32,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_first, header_last)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// Save a workbook to `path` atomically: write a temp file beside it, then rename over the
/// target. Errors name the file and the reason in Chinese (file open in Excel, read-only
/// folder, disk full…); on error the target is untouched.
pub fn save_atomic(wb: &mut Workbook, path: &Path) -> Result<PathBuf, Error> {
    let buf = wb
        .save_to_buffer()
        .map_err(|e| Error::Io(format!("生成 Excel 文件“{}”失败：{e}", path.display())))?;
    write_atomic(path, &buf)?;
    Ok(path.to_path_buf())
}

/// Write bytes to `path` crash-safely (temp file + fsync + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)
        .map_err(|e| super::write_error(path, &e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| super::write_error(path, &e))?;
    tmp.persist(path)
        .map_err(|e| super::write_error(path, &e.error))?;
    Ok(())
}

/// A temp file in the folder of `path`, to be filled, synced and then `persist`ed onto `path`:
/// the one way Shifan writes a file that must appear whole or not at all. Fails in Chinese when
/// the folder is gone (e.g. a removed USB disk).
pub fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Io(format!(
            "无法写入“{}”：所在文件夹不存在（U 盘是否已拔出？）。",
            path.display()
        )));
    }
    tempfile::Builder::new()
        .prefix(".shifan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| super::write_error(path, &e))
}
