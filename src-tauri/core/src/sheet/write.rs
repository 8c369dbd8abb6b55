//! Writing workbooks the way offices expect them, through one small API ([`Book`], [`Sheet`]):
//! the house styles, CJK-aware column widths, wrapped text, frozen headers, dropdowns for closed
//! lists, protection, A4 print setup with repeated header rows, and crash-safe saving.
//!
//! Only this module touches rust_xlsxwriter. Every text cell goes through the formula guard
//! (a string cell, with the quote prefix when it starts like a formula), so no export can write
//! user text any other way — a new export is guarded by construction.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::text::display_width;

/// The cell styles of every Shifan workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The merged title row (方正小标宋, 16 pt).
    Title,
    /// Header cells (黑体, bold, light blue).
    Header,
    /// Body text, left.
    Body,
    /// Body text, centred (numbers, short codes).
    Center,
    /// A small note line under a table.
    Note,
    /// The red instruction line of a sheet units fill in.
    Instruction,
    /// Cells the office fills and locks (grey).
    Locked,
    LockedCenter,
    /// Cells a unit fills (unlocked, light yellow).
    Input,
}

struct Formats {
    title: Format,
    header: Format,
    body: Format,
    center: Format,
    note: Format,
    instruction: Format,
    locked: Format,
    locked_center: Format,
    input: Format,
}

impl Formats {
    fn new() -> Formats {
        let font = "宋体";
        let base = Format::new()
            .set_font_name(font)
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let body = base.clone().set_align(FormatAlign::Left);
        let center = base.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name("方正小标宋简体")
                .set_font_size(16)
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: base
                .clone()
                .set_font_name("黑体")
                .set_bold()
                .set_background_color(0xD9E1F2)
                .set_align(FormatAlign::Center),
            note: Format::new()
                .set_font_name(font)
                .set_font_size(9)
                .set_text_wrap(),
            instruction: Format::new()
                .set_font_name(font)
                .set_font_size(10)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_font_color(0xC00000),
            locked: body.clone().set_background_color(0xF2F2F2),
            locked_center: center.clone().set_background_color(0xF2F2F2),
            input: body.clone().set_unlocked().set_background_color(0xFFF9E5),
            body,
            center,
        }
    }

    fn get(&self, s: Style) -> &Format {
        match s {
            Style::Title => &self.title,
            Style::Header => &self.header,
            Style::Body => &self.body,
            Style::Center => &self.center,
            Style::Note => &self.note,
            Style::Instruction => &self.instruction,
            Style::Locked => &self.locked,
            Style::LockedCenter => &self.locked_center,
            Style::Input => &self.input,
        }
    }
}

/// A workbook being written. `what` names it in error messages ("任务分解表").
pub struct Book {
    wb: Workbook,
    formats: Formats,
    what: String,
    /// The style of every cell written, per sheet in order, applied when the book is finished
    /// ([`Book::to_bytes`]). rust_xlsxwriter looks a format up by hashing the whole of it, once
    /// per cell written with one; applied afterwards, it is looked up once per run of cells of a
    /// column that share a style. A 20 000-row 反馈意见整改表 spent a third of its build there.
    styled: Vec<Vec<Styled>>,
}

/// The style a cell was last written with.
#[derive(Debug, Clone, Copy)]
struct Styled {
    row: u32,
    col: u16,
    style: Style,
    /// Text that starts like a formula: its style gets the quote prefix.
    quoted: bool,
}

/// The rust_xlsxwriter error of a build step, as a Chinese message naming the workbook. These
/// are programming errors (a name too long, a range out of bounds), never the user's.
fn built<T>(what: &str, r: std::result::Result<T, XlsxError>) -> Result<T> {
    r.map_err(|e| {
        Error::Io(format!(
            "生成“{what}”失败：内容不符合 Excel 文件的格式要求（{e}）。"
        ))
    })
}

impl Book {
    pub fn new(what: &str) -> Book {
        Book {
            wb: Workbook::new(),
            formats: Formats::new(),
            what: what.to_string(),
            styled: Vec::new(),
        }
    }

    /// A new worksheet named `name` (written in the order added).
    pub fn sheet(&mut self, name: &str) -> Result<Sheet<'_>> {
        let ws = self.wb.add_worksheet();
        built(&self.what, ws.set_name(name))?;
        let index = self.styled.len();
        self.styled.push(Vec::new());
        Ok(Sheet {
            ws,
            formats: &self.formats,
            what: &self.what,
            styled: &mut self.styled[index],
        })
    }

    /// A workbook-level defined name holding a text constant (our stamps).
    pub fn define_text_name(&mut self, name: &str, text: &str) -> Result<()> {
        let value = format!("=\"{}\"", text.replace('"', "\"\""));
        built(&self.what, self.wb.define_name(name, &value).map(|_| ()))
    }

    /// The finished .xlsx bytes.
    pub fn to_bytes(mut self) -> Result<Vec<u8>> {
        let what = self.what.clone();
        for (i, cells) in std::mem::take(&mut self.styled).into_iter().enumerate() {
            let ws = built(&what, self.wb.worksheet_from_index(i))?;
            built(&what, apply_styles(ws, &self.formats, cells))?;
        }
        // Deflate level 2 instead of the default 6: a sheet's XML is compressed in about half
        // the time (the larger part of writing a big book) for a file about 30 % larger (a
        // 20 000-row 反馈意见整改表 as plain cells: 0.94 MB instead of 0.74 MB). Every reader
        // handles any level.
        self.wb.set_zip_compression_level(ZIP_LEVEL);
        let bytes = built(&what, self.wb.save_to_buffer())?;
        // Freeing a big book's cells is a tenth of writing it: done on the other core.
        drop_elsewhere(self.wb);
        Ok(bytes)
    }

    /// Save crash-safely to `path` (see [`crate::atomic`]); on error `path` is untouched.
    pub fn save(self, path: &Path) -> Result<PathBuf> {
        let bytes = self.to_bytes()?;
        crate::atomic::write_atomic(path, &bytes)?;
        Ok(path.to_path_buf())
    }
}

/// Drop `value` on a thread of its own, so that the user waiting does not wait for the memory
/// to be freed (the rows of a 20 000-problem export and its book's cells: a tenth of the
/// export). Every book goes this way; for a small one the thread costs far less than the
/// export. Dropped here when no thread can be started.
pub(crate) fn drop_elsewhere<T: Send + 'static>(value: T) {
    // A failed spawn hands the closure back dropped, value included: on this thread.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// The deflate level of every book written (see [`Book::to_bytes`]).
pub const ZIP_LEVEL: u8 = 2;

/// One worksheet of a [`Book`]. Rows and columns are 0-based.
pub struct Sheet<'a> {
    ws: &'a mut Worksheet,
    formats: &'a Formats,
    what: &'a str,
    styled: &'a mut Vec<Styled>,
}

/// Give every cell of `cells` its style, the last one written winning: one format lookup per
/// run of consecutive rows of a column that share a style (a quoted text is a run of its own).
fn apply_styles(
    ws: &mut Worksheet,
    formats: &Formats,
    mut cells: Vec<Styled>,
) -> std::result::Result<(), XlsxError> {
    // Stable: of two writes to one cell, the later stays later.
    cells.sort_by_key(|c| (c.col, c.row));
    let mut last: Vec<Styled> = Vec::with_capacity(cells.len());
    for c in cells {
        match last.last_mut() {
            Some(l) if (l.col, l.row) == (c.col, c.row) => *l = c,
            _ => last.push(c),
        }
    }
    let mut i = 0;
    while i < last.len() {
        let first = last[i];
        if first.quoted {
            let f = formats.get(first.style).clone().set_quote_prefix();
            ws.set_cell_format(first.row, first.col, &f)?;
            i += 1;
            continue;
        }
        let mut end = i;
        while let Some(next) = last.get(end + 1) {
            let prev = last[end];
            if next.col != prev.col
                || next.row != prev.row + 1
                || next.style != prev.style
                || next.quoted
            {
                break;
            }
            end += 1;
        }
        ws.set_range_format(
            first.row,
            first.col,
            last[end].row,
            first.col,
            formats.get(first.style),
        )?;
        i = end + 1;
    }
    Ok(())
}

impl Sheet<'_> {
    /// Text (from a user or a user's file, or ours): always a string cell; text that looks
    /// like a formula also gets the quote prefix, so it stays text even when edited later.
    pub fn text(&mut self, row: u32, col: u16, text: &str, style: Style) -> Result<()> {
        if text.is_empty() {
            return self.blank(row, col, style);
        }
        let r = self.ws.write_string(row, col, text);
        built(self.what, r.map(|_| ()))?;
        self.style(row, col, style, looks_like_formula(text));
        Ok(())
    }

    pub fn number(&mut self, row: u32, col: u16, n: f64, style: Style) -> Result<()> {
        let r = self.ws.write_number(row, col, n);
        built(self.what, r.map(|_| ()))?;
        self.style(row, col, style, false);
        Ok(())
    }

    /// An empty cell with borders.
    pub fn blank(&mut self, row: u32, col: u16, style: Style) -> Result<()> {
        // Whatever was written here goes; the style makes the cell a bordered blank.
        self.ws.clear_cell(row, col);
        self.style(row, col, style, false);
        Ok(())
    }

    /// Record the style of a cell just written (applied by [`Book::to_bytes`]).
    fn style(&mut self, row: u32, col: u16, style: Style, quoted: bool) {
        self.styled.push(Styled {
            row,
            col,
            style,
            quoted,
        });
    }

    /// Text merged over a range (guarded like [`Sheet::text`]).
    pub fn merged(
        &mut self,
        (r1, c1): (u32, u16),
        (r2, c2): (u32, u16),
        text: &str,
        style: Style,
    ) -> Result<()> {
        if (r1, c1) == (r2, c2) {
            return self.text(r1, c1, text, style);
        }
        let f = self.formats.get(style).clone();
        let f = if looks_like_formula(text) {
            f.set_quote_prefix()
        } else {
            f
        };
        let r = self.ws.merge_range(r1, c1, r2, c2, text, &f);
        built(self.what, r.map(|_| ()))?;
        // The cells of the range keep this style whatever was written there before.
        let quoted = looks_like_formula(text);
        for r in r1..=r2 {
            for c in c1..=c2 {
                self.style(r, c, style, quoted && (r, c) == (r1, c1));
            }
        }
        Ok(())
    }

    /// A hierarchy column: rows from `first_row` down, one `(key, label)` per row; consecutive
    /// rows with the same key are merged and show the label once (a heading over its
    /// indicators). Rows without a key stay empty.
    pub fn merge_runs(
        &mut self,
        col: u16,
        first_row: u32,
        rows: &[(Option<String>, String)],
    ) -> Result<()> {
        let mut start = 0usize;
        while start < rows.len() {
            let key = &rows[start].0;
            let mut end = start;
            while end + 1 < rows.len() && rows[end + 1].0 == *key {
                end += 1;
            }
            let (r1, r2) = (first_row + start as u32, first_row + end as u32);
            match key {
                Some(_) => self.merged((r1, col), (r2, col), &rows[start].1, Style::Body)?,
                None => {
                    for r in r1..=r2 {
                        self.blank(r, col, Style::Body)?;
                    }
                }
            }
            start = end + 1;
        }
        Ok(())
    }

    /// The merged title over columns `0..=last_col` of `row`.
    pub fn title(&mut self, row: u32, last_col: u16, text: &str) -> Result<()> {
        self.merged((row, 0), (row, last_col), text, Style::Title)?;
        self.row_height(row, 32.0)
    }

    /// A header row: the texts in `Style::Header`, and the column widths.
    pub fn header(&mut self, row: u32, cols: &[(&str, f64)]) -> Result<()> {
        for (c, (h, w)) in cols.iter().enumerate() {
            self.width(c as u16, *w)?;
            self.text(row, c as u16, h, Style::Header)?;
        }
        let tallest = cols
            .iter()
            .map(|(h, w)| wrapped_height(h, *w))
            .fold(24.0, f64::max);
        self.row_height(row, tallest)
    }

    pub fn width(&mut self, col: u16, width: f64) -> Result<()> {
        let r = self.ws.set_column_width(col, width);
        built(self.what, r.map(|_| ()))
    }

    pub fn row_height(&mut self, row: u32, points: f64) -> Result<()> {
        let r = self.ws.set_row_height(row, points.min(409.0));
        built(self.what, r.map(|_| ()))
    }

    /// A dropdown of `values` (a closed list) on `col` for rows `first..=last`.
    pub fn dropdown(
        &mut self,
        (first, last): (u32, u32),
        col: u16,
        title: &str,
        values: &[&str],
    ) -> Result<()> {
        let what = self.what;
        let dv = built(
            what,
            DataValidation::new()
                .allow_list_strings(values)
                .and_then(|d| d.set_input_title(title))
                .and_then(|d| d.set_input_message("请从下拉列表中选择"))
                .and_then(|d| d.set_error_title(title))
                .and_then(|d| d.set_error_message(format!("只能选择：{}", values.join("、")))),
        )?;
        let r = self.ws.add_data_validation(first, col, last, col, &dv);
        built(self.what, r.map(|_| ()))
    }

    /// Only a number between `min` and `max` may be typed into cell (`row`, `col`) (a score
    /// cell); `title` names it in Excel's prompt and error box.
    pub fn number_range(
        &mut self,
        row: u32,
        col: u16,
        (min, max): (f64, f64),
        title: &str,
    ) -> Result<()> {
        let what = self.what;
        let range = format!(
            "{} 到 {}",
            super::format_number(min),
            super::format_number(max)
        );
        let dv = built(
            what,
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(min, max))
                .set_input_title(title)
                .and_then(|d| d.set_input_message(format!("请填写 {range} 之间的数")))
                .and_then(|d| d.set_error_title(title))
                .and_then(|d| d.set_error_message(format!("只能填写 {range} 之间的数"))),
        )?;
        let r = self.ws.add_data_validation(row, col, row, col, &dv);
        built(self.what, r.map(|_| ()))
    }

    /// Freeze the rows above `rows` (the title and header).
    pub fn freeze_rows(&mut self, rows: u32) -> Result<()> {
        let r = self.ws.set_freeze_panes(rows, 0);
        built(self.what, r.map(|_| ()))
    }

    /// A4, fit to one page wide, rows `header_first..=header_last` repeated on every page,
    /// centred page numbers "第 N 页，共 M 页".
    pub fn print_a4(&mut self, landscape: bool, header_first: u32, header_last: u32) -> Result<()> {
        self.ws.set_paper_size(9);
        if landscape {
            self.ws.set_landscape();
        } else {
            self.ws.set_portrait();
        }
        self.ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        self.ws.set_print_fit_to_pages(1, 0);
        let r = self.ws.set_repeat_rows(header_first, header_last);
        built(self.what, r.map(|_| ()))?;
        self.ws.set_footer("&C第 &P 页，共 &N 页");
        self.ws.set_print_center_horizontally(true);
        Ok(())
    }

    /// Protect the sheet: locked cells cannot be edited; selecting cells and resizing rows and
    /// columns stays allowed.
    pub fn protect(&mut self) {
        let opts = ProtectionOptions {
            select_locked_cells: true,
            select_unlocked_cells: true,
            format_columns: true,
            format_rows: true,
            ..ProtectionOptions::default()
        };
        self.ws.protect_with_options(&opts);
    }

    /// Hidden so that Excel's "unhide" does not offer it (our stamp sheet).
    pub fn very_hidden(&mut self) {
        self.ws.set_very_hidden(true);
    }

    /// The sheet shown when the file opens.
    pub fn activate(&mut self) {
        self.ws.set_active(true);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        z.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    /// The `<xf …>` attributes of the cell style of cell `r` ("A1").
    fn xf_of(bytes: &[u8], r: &str) -> String {
        let sheet = part(bytes, "xl/worksheets/sheet1.xml");
        let at = sheet
            .find(&format!("<c r=\"{r}\""))
            .unwrap_or_else(|| panic!("cell {r} written"));
        let tag = &sheet[at..at + sheet[at..].find('>').expect("tag end")];
        let s: usize = tag
            .split("s=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let styles = part(bytes, "xl/styles.xml");
        let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
        xfs.split("<xf ")
            .nth(s + 1)
            .and_then(|x| x.split('>').next())
            .expect("xf")
            .to_string()
    }

    /// Styles are applied when the book is finished: the last one written to a cell wins, a
    /// text that starts like a formula keeps its quote prefix, and blank and number cells get
    /// the borders of their style like text cells do.
    #[test]
    fn every_cell_gets_the_style_it_was_last_written_with() {
        let mut book = Book::new("测试表");
        {
            let mut ws = book.sheet("表").expect("sheet");
            ws.text(0, 0, "标题", Style::Header).expect("a1");
            ws.text(0, 0, "正文", Style::Body).expect("a1 again");
            for r in 1..5 {
                ws.text(r, 1, "一列正文", Style::Body).expect("b");
            }
            ws.text(1, 0, "=1+1", Style::Body).expect("a2");
            ws.blank(2, 0, Style::Center).expect("a3");
            ws.number(3, 0, 12.0, Style::Center).expect("a4");
            ws.text(4, 0, "", Style::Header).expect("a5");
        }
        let bytes = book.to_bytes().expect("bytes");
        let a1 = xf_of(&bytes, "A1");
        assert!(
            a1.contains("fillId=\"0\""),
            "A1 is body text, not a header: {a1}"
        );
        assert!(!a1.contains("borderId=\"0\""), "A1 has borders: {a1}");
        assert!(xf_of(&bytes, "A2").contains("quotePrefix=\"1\""));
        for r in ["A3", "A4", "B2", "B4"] {
            assert!(
                !xf_of(&bytes, r).contains("borderId=\"0\""),
                "{r} has borders"
            );
        }
        assert!(
            !xf_of(&bytes, "A5").contains("fillId=\"0\""),
            "A5 is a header cell"
        );
    }
}
