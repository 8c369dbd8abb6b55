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
    let tmp = staged(path, bytes, true)?;
    persist(tmp, path)
}

/// A temp file beside `path` holding `bytes`, synced to disk, not yet renamed. `sweep`: see
/// [`temp_in_folder_of`].
fn staged(path: &Path, bytes: &[u8], sweep: bool) -> Result<tempfile::NamedTempFile, Error> {
    use std::io::Write;
    let mut tmp = temp_in_folder_of(path, sweep)?;
    crate::fault::writer(tmp.as_file_mut())
        .write_all(bytes)
        .map_err(|e| super::write_error(path, &e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| super::write_error(path, &e))?;
    Ok(tmp)
}

/// Rename a finished temp file onto `path` (replacing it). On error the temp file is removed
/// and `path` is untouched.
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), Error> {
    crate::fault::before_rename(path).map_err(|e| super::write_error(path, &e))?;
    tmp.persist(path)
        .map_err(|e| super::write_error(path, &e.error))?;
    Ok(())
}

/// Write several files so that either every one is replaced or none is (the per-unit sheets of
/// one export): each is first written to a temp file beside its target and synced; only when
/// all are on disk are the targets replaced, the previous versions moved aside until every
/// rename succeeded and put back if one fails. A failure leaves the folder as it was.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    // Sweep each folder once, not once per file (86 sheets share one folder).
    let mut swept: Vec<&Path> = Vec::new();
    for (path, _) in files {
        let dir = folder_of(path);
        if !swept.contains(&dir) {
            sweep_stale_temps(dir, STALE_TEMP_AGE);
            swept.push(dir);
        }
    }
    let mut ready = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        ready.push((path, staged(path, bytes, false)?));
    }
    // (target, where its previous version waits)
    let mut done: Vec<(&PathBuf, Option<PathBuf>)> = Vec::new();
    for (i, (path, tmp)) in ready.into_iter().enumerate() {
        let step = (|| -> Result<Option<PathBuf>, Error> {
            let aside = if path.exists() {
                let aside = aside_name(path, i);
                std::fs::rename(path, &aside).map_err(|e| super::write_error(path, &e))?;
                Some(aside)
            } else {
                None
            };
            if let Err(e) = persist(tmp, path) {
                if let Some(a) = &aside {
                    let _ = std::fs::rename(a, path);
                }
                return Err(e);
            }
            Ok(aside)
        })();
        match step {
            Ok(aside) => done.push((path, aside)),
            Err(e) => {
                for (p, aside) in done.into_iter().rev() {
                    match aside {
                        Some(a) => {
                            let _ = std::fs::rename(&a, p);
                        }
                        None => {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                }
                return Err(e);
            }
        }
    }
    for (_, aside) in done {
        if let Some(a) = aside {
            let _ = std::fs::remove_file(a);
        }
    }
    Ok(())
}

/// Where the previous version of `path` waits during [`write_all_atomic`]: a hidden name in the
/// same folder (a rename within a folder never copies data and cannot run out of space).
fn aside_name(path: &Path, i: usize) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    path.with_file_name(format!(
        ".shifan-old-{}-{nanos}-{i}.tmp",
        std::process::id()
    ))
}

/// A temp file in the folder of `path`, to be filled, synced and then [`persist`]ed onto
/// `path`: the one way Shifan writes a file that must appear whole or not at all. Fails in
/// Chinese when the folder is gone (e.g. a removed USB disk).
pub fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    temp_in_folder_of(path, true)
}

/// The folder `path` is written into ("." for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// [`temp_beside`]; `sweep` first removes stale temp files of ours from that folder (callers
/// writing many files into one folder sweep it once themselves).
fn temp_in_folder_of(path: &Path, sweep: bool) -> Result<tempfile::NamedTempFile, Error> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(Error::Io(format!(
            "无法写入“{}”：所在文件夹不存在（U 盘是否已拔出？）。",
            path.display()
        )));
    }
    if sweep {
        sweep_stale_temps(dir, STALE_TEMP_AGE);
    }
    tempfile::Builder::new()
        .prefix(".shifan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| super::write_error(path, &e))
}

/// A temp file of ours older than this was left by a process that died (power cut, kill); a
/// live write takes seconds.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes `.shifan-*.tmp` files older than `age` from `dir`, so a crash during an export does
/// not leave hidden litter in the user's folder for good. Best effort: errors are ignored.
pub fn sweep_stale_temps(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".shifan-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|d| d >= age);
        if old && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
