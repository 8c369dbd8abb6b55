//! `word/document.xml`: blocks → paragraphs, tables, pictures and sections.

use std::fmt::Write as _;

use super::spec::{Footer, Jc, Role, Spec, TWIPS_PER_MM};
use super::xml::{em_width, escape_into, para_open, run};
use super::{Align, Block, Doc, Image, Signature, Table, chinese_date, invalid, title};
use crate::error::Result;

/// The body plus what the package needs beside it.
pub struct Body {
    pub xml: String,
    /// PNG pictures in order: `word/media/image{n}.png`, relationship `rIdImg{n}`.
    pub images: Vec<Vec<u8>>,
    /// The first title, for the document properties.
    pub title: Option<String>,
}

pub const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#
);

const EMU_PER_MM: f64 = 36000.0;

/// Cell padding above and below the text, twips (½ mm).
const CELL_MARGIN_V: u32 = 28;

pub fn document_xml(doc: &Doc, spec: &Spec) -> Result<Body> {
    // Sections: runs of portrait and landscape blocks, empty runs dropped.
    let mut sections: Vec<(bool, Vec<&Block>)> = Vec::new();
    for b in &doc.blocks {
        let (landscape, blocks): (bool, Vec<&Block>) = match b {
            Block::Landscape(inner) => (true, flatten(inner)),
            other => (false, vec![other]),
        };
        match sections.last_mut() {
            Some((l, v)) if *l == landscape => v.extend(blocks),
            _ => sections.push((landscape, blocks)),
        }
    }
    sections.retain(|(_, v)| !v.is_empty());
    let empty = sections.is_empty();
    if empty {
        sections.push((false, Vec::new()));
    }

    let rows: usize = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => t.rows.len(),
            _ => 0,
        })
        .sum();
    let mut w = Writer {
        spec,
        out: String::with_capacity(16 * 1024 + rows * 1024),
        images: Vec::new(),
        title: None,
        prev: Prev::Start,
        page_break: false,
        landscape: false,
    };
    w.out
        .push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    let _ = write!(w.out, "<w:document {NS}><w:body>");
    if empty {
        para_open(&mut w.out, spec.style(Role::Normal).id, "");
        w.out.push_str("</w:p>");
    }
    let last = sections.len() - 1;
    for (i, (landscape, blocks)) in sections.iter().enumerate() {
        if i > 0 {
            // A section starts on a new page anyway.
            w.page_break = false;
            w.prev = Prev::Start;
        }
        w.landscape = *landscape;
        for (j, b) in blocks.iter().enumerate() {
            let next = blocks.get(j + 1).copied();
            w.block(b, next)?;
        }
        let mut sect = String::new();
        sect_pr(&mut sect, spec, *landscape);
        if i < last {
            // The section's properties ride on its last paragraph: a tiny empty one.
            para_open(&mut w.out, spec.style(Role::SectionEnd).id, &sect);
            w.out.push_str("</w:p>");
        } else {
            if w.prev == Prev::Table {
                // Word wants a paragraph after a table at the end of the body.
                para_open(&mut w.out, spec.style(Role::SectionEnd).id, "");
                w.out.push_str("</w:p>");
            }
            w.out.push_str(&sect);
        }
    }
    w.out.push_str("</w:body></w:document>");
    Ok(Body {
        xml: w.out,
        images: w.images,
        title: w.title,
    })
}

fn flatten(blocks: &[Block]) -> Vec<&Block> {
    let mut v = Vec::new();
    for b in blocks {
        match b {
            Block::Landscape(inner) => v.extend(flatten(inner)),
            other => v.push(other),
        }
    }
    v
}

/// What was written last, for the blank lines 公文 puts between elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Title,
    Table,
    Other,
}

struct Writer<'a> {
    spec: &'a Spec,
    out: String,
    images: Vec<Vec<u8>>,
    title: Option<String>,
    prev: Prev,
    /// A page break was asked for: the next paragraph starts a page.
    page_break: bool,
    /// The current section is landscape: the text block is turned.
    landscape: bool,
}

impl Writer<'_> {
    fn gongwen(&self) -> bool {
        self.spec.grid.is_some()
    }

    /// Text block of the current section, twips.
    fn text_width(&self) -> u32 {
        if self.landscape {
            self.spec.text_height()
        } else {
            self.spec.text_width()
        }
    }

    fn text_height(&self) -> u32 {
        if self.landscape {
            self.spec.text_width()
        } else {
            self.spec.text_height()
        }
    }

    fn block(&mut self, b: &Block, next: Option<&Block>) -> Result<()> {
        let keep_with_next = matches!(next, Some(Block::Signature(_)));
        match b {
            Block::Title(text) => {
                if self.gongwen() && !matches!(self.prev, Prev::Start) && !self.page_break {
                    self.blank(false);
                }
                self.title_para(text);
                if self.title.is_none() {
                    self.title = Some(text.replace('\n', ""));
                }
                self.prev = Prev::Title;
            }
            Block::DocNo(text) => self.paras(Role::DocNo, text, false),
            Block::Addressee(text) => {
                if self.gongwen() && self.prev == Prev::Title {
                    // 主送机关 编排于标题下空一行.
                    self.blank(false);
                }
                self.paras(Role::Addressee, text, false)
            }
            Block::Heading1(text) => self.paras(Role::Heading1, text, keep_with_next),
            Block::Heading2(text) => self.paras(Role::Heading2, text, keep_with_next),
            Block::Heading3(text) => self.paras(Role::Heading3, text, keep_with_next),
            Block::Para(text) => self.paras(Role::Body, text, keep_with_next),
            Block::Table(t) => self.table(t)?,
            Block::Image(img) => self.image(img)?,
            Block::Signature(s) => self.signature(s),
            Block::PageBreak => {
                if self.prev != Prev::Start {
                    self.page_break = true;
                }
            }
            // Flattened into sections before.
            Block::Landscape(_) => {}
        }
        Ok(())
    }

    /// pPr children after `w:pStyle`, in schema order: `w:keepNext`, then `w:pageBreakBefore`
    /// when a page break is pending (consumed here), then `rest` (`w:ind`, `w:jc`).
    fn ppr(&mut self, keep_next: bool, rest: &str) -> String {
        let mut s = String::new();
        if keep_next {
            s.push_str("<w:keepNext/>");
        }
        if std::mem::take(&mut self.page_break) {
            s.push_str("<w:pageBreakBefore/>");
        }
        s.push_str(rest);
        s
    }

    fn blank(&mut self, keep_next: bool) {
        let extra = self.ppr(keep_next, "");
        para_open(&mut self.out, self.spec.style(Role::Normal).id, &extra);
        self.out.push_str("</w:p>");
    }

    /// One paragraph per non-empty line of `text`. Leading spaces (ASCII and U+3000) are
    /// dropped: the style indents.
    fn paras(&mut self, role: Role, text: &str, keep_last_with_next: bool) {
        let style = self.spec.style(role).id;
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim_start_matches([' ', '\u{3000}', '\t']).trim_end())
            .filter(|l| !l.is_empty())
            .collect();
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let extra = self.ppr(keep_last_with_next && i + 1 == n, "");
            para_open(&mut self.out, style, &extra);
            run(&mut self.out, line, "");
            self.out.push_str("</w:p>");
        }
        if n > 0 {
            self.prev = Prev::Other;
        }
    }

    fn title_para(&mut self, text: &str) {
        let st = self.spec.style(Role::Title);
        let max_em = self.text_width() as f64 / (st.size as f64 * 10.0);
        let lines = title::lines(text, max_em.floor());
        let extra = self.ppr(false, "");
        para_open(&mut self.out, st.id, &extra);
        run(&mut self.out, &lines.join("\n"), "");
        self.out.push_str("</w:p>");
    }

    fn signature(&mut self, s: &Signature) {
        let spec = self.spec;
        // The gap (room for the seal) stays with the 落款; after a page break it is not needed.
        if !self.page_break {
            for _ in 0..spec.signature_gap_lines {
                self.blank(true);
            }
        }
        let date = chinese_date(s.date);
        let org = s.org.trim();
        let (org_right, date_right) = signature_indents(
            em_width(org),
            em_width(&date),
            spec.date_right_chars,
            if spec.date_right_chars > 0.0 {
                2.0
            } else {
                0.0
            },
        );
        let style = spec.style(Role::Signature).id;
        let cw = spec.char_width();
        let ind = |chars: f64| {
            format!(
                r#"<w:ind w:right="{}" w:rightChars="{}"/>"#,
                (chars * cw).round() as i64,
                (chars * 100.0).round() as i64
            )
        };
        if !org.is_empty() {
            let extra = self.ppr(true, &ind(org_right));
            para_open(&mut self.out, style, &extra);
            run(&mut self.out, org, "");
            self.out.push_str("</w:p>");
        }
        let extra = self.ppr(false, &ind(date_right));
        para_open(&mut self.out, style, &extra);
        run(&mut self.out, &date, "");
        self.out.push_str("</w:p>");
        self.prev = Prev::Other;
    }

    fn image(&mut self, img: &Image) -> Result<()> {
        let (px_w, px_h) = png_size(&img.png).ok_or_else(|| {
            invalid("插入的图片不是有效的 PNG 文件，无法生成 Word 文档。".to_string())
        })?;
        let spec = self.spec;
        let max_w = self.text_width() as f64 / TWIPS_PER_MM;
        let max_h = self.text_height() as f64 / TWIPS_PER_MM * 0.8;
        let mut w_mm = if img.width_mm.is_finite() && img.width_mm > 0.0 {
            img.width_mm.min(max_w)
        } else {
            max_w
        };
        let mut h_mm = w_mm * px_h as f64 / px_w as f64;
        if h_mm > max_h {
            w_mm *= max_h / h_mm;
            h_mm = max_h;
        }
        self.images.push(img.png.clone());
        let n = self.images.len();
        let (cx, cy) = (
            (w_mm * EMU_PER_MM).round() as u64,
            (h_mm * EMU_PER_MM).round() as u64,
        );
        let mut descr = String::new();
        escape_into(&mut descr, img.caption.as_deref().unwrap_or(""));
        let extra = self.ppr(false, "");
        para_open(&mut self.out, spec.style(Role::Figure).id, &extra);
        let _ = write!(
            self.out,
            concat!(
                r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
                r#"<wp:docPr id="{n}" name="图片 {n}" descr="{descr}"/>"#,
                r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
                r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
                r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>"#,
                r#"<pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>"#,
                r#"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#,
                r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
            ),
            cx = cx,
            cy = cy,
            n = n,
            descr = descr
        );
        if let Some(c) = img.caption.as_deref().filter(|c| !c.trim().is_empty()) {
            para_open(&mut self.out, spec.style(Role::Caption).id, "");
            run(&mut self.out, c.trim(), "");
            self.out.push_str("</w:p>");
        }
        self.prev = Prev::Other;
        Ok(())
    }

    fn table(&mut self, t: &Table) -> Result<()> {
        let spec = self.spec;
        let n_cols = if t.headers.is_empty() {
            t.rows.iter().map(Vec::len).max().unwrap_or(0)
        } else {
            t.headers.len()
        };
        if n_cols == 0 {
            return Ok(());
        }
        if let Some((i, r)) = t.rows.iter().enumerate().find(|(_, r)| r.len() > n_cols) {
            return Err(invalid(format!(
                "表格第{}行有{}个单元格，多于表头的{}列，无法生成 Word 文档。",
                i + 1,
                r.len(),
                n_cols
            )));
        }
        if self.page_break || self.prev == Prev::Table {
            // A page break before a table, or two tables in a row (Word would join them):
            // a tiny paragraph between.
            let brk = if std::mem::take(&mut self.page_break) {
                r#"<w:r><w:br w:type="page"/></w:r>"#
            } else {
                ""
            };
            para_open(&mut self.out, spec.style(Role::SectionEnd).id, "");
            self.out.push_str(brk);
            self.out.push_str("</w:p>");
        }
        let text_style = spec.style(Role::TableText);
        let head_style = spec.style(Role::TableHeader);
        let font_tw = text_style.size as f64 * 10.0;
        let widths = column_widths(t, n_cols, self.text_width(), font_tw, spec.cell_margin);
        let aligns = column_aligns(t, n_cols);
        let total: u32 = widths.iter().sum();
        let max_row_tw = self.text_height() as f64 / 3.0;

        let out = &mut self.out;
        let _ = write!(
            out,
            concat!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>"#,
                "<w:tblBorders>",
                r#"<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                r#"<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                r#"<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                r#"<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
                "</w:tblBorders>",
                r#"<w:tblLayout w:type="fixed"/>"#,
                r#"<w:tblCellMar><w:top w:w="{v}" w:type="dxa"/><w:left w:w="{m}" w:type="dxa"/>"#,
                r#"<w:bottom w:w="{v}" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar>"#,
                r#"<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>"#,
                "</w:tblPr><w:tblGrid>"
            ),
            total = total,
            m = spec.cell_margin,
            v = CELL_MARGIN_V
        );
        for w in &widths {
            let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
        }
        out.push_str("</w:tblGrid>");

        // A row no taller than a third of the page stays whole on one page.
        let line_tw = font_tw * 1.3;
        let cell_chars: Vec<f64> = widths
            .iter()
            .map(|w| ((*w as f64 - 2.0 * spec.cell_margin as f64) / font_tw).max(1.0))
            .collect();

        let write_row = |out: &mut String, cells: &[String], header: bool| {
            let lines = cells
                .iter()
                .zip(&cell_chars)
                .map(|(c, per)| {
                    c.split('\n')
                        .map(|l| (em_width(l) / per).ceil().max(1.0))
                        .sum::<f64>()
                })
                .fold(1.0, f64::max);
            out.push_str("<w:tr>");
            if header {
                out.push_str("<w:trPr><w:cantSplit/>");
                if t.header_repeat {
                    out.push_str("<w:tblHeader/>");
                }
                out.push_str("</w:trPr>");
            } else if lines * line_tw <= max_row_tw {
                out.push_str("<w:trPr><w:cantSplit/></w:trPr>");
            }
            let style = if header { head_style } else { text_style };
            for (i, w) in widths.iter().enumerate() {
                let text = cells.get(i).map(String::as_str).unwrap_or("");
                let _ = write!(
                    out,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
                );
                let jc = if header {
                    Jc::Center
                } else {
                    match aligns[i] {
                        Align::Left => Jc::Left,
                        Align::Center => Jc::Center,
                        Align::Right => Jc::Right,
                    }
                };
                let extra = if jc == style.jc {
                    String::new()
                } else {
                    format!(r#"<w:jc w:val="{}"/>"#, jc.val())
                };
                para_open(out, style.id, &extra);
                let text = text.trim_matches(|c: char| c == '\r' || c == '\n');
                if !text.is_empty() {
                    run(out, text, "");
                }
                out.push_str("</w:p></w:tc>");
            }
            out.push_str("</w:tr>");
        };
        if !t.headers.is_empty() {
            write_row(out, &t.headers, true);
        }
        for r in &t.rows {
            write_row(out, r, false);
        }
        out.push_str("</w:tbl>");
        self.prev = Prev::Table;
        Ok(())
    }
}

/// Right indents (in characters) of the 署名 and the 成文日期: the date `date_right` in, the
/// name centred on it; a name too long for that is put `min_org_right` in and the date
/// centred under it.
pub fn signature_indents(
    org_w: f64,
    date_w: f64,
    date_right: f64,
    min_org_right: f64,
) -> (f64, f64) {
    let org_right = date_right + (date_w - org_w) / 2.0;
    if org_right >= min_org_right {
        (org_right, date_right)
    } else {
        (min_org_right, min_org_right + (org_w - date_w) / 2.0)
    }
}

/// Column widths in twips: as given (scaled down to fit), or from the content: short columns
/// (序号, dates, 页数) as wide as their widest text, the rest shared by the long ones.
pub fn column_widths(t: &Table, n: usize, avail: u32, font_tw: f64, margin: u32) -> Vec<u32> {
    let avail = avail as f64;
    let pad = 2.0 * margin as f64 + font_tw * 0.3;
    let mut w: Vec<f64> = if !t.widths_mm.is_empty() {
        let given: Vec<Option<f64>> = (0..n)
            .map(|i| {
                t.widths_mm
                    .get(i)
                    .copied()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .map(|mm| mm * 56.7)
            })
            .collect();
        let used: f64 = given.iter().flatten().sum();
        let missing = given.iter().filter(|g| g.is_none()).count();
        let share = if missing > 0 {
            ((avail - used) / missing as f64).max(font_tw * 2.0 + pad)
        } else {
            0.0
        };
        given.into_iter().map(|g| g.unwrap_or(share)).collect()
    } else {
        // Like an HTML table: each column needs at least `min` (its header on at most two
        // lines, text of up to 6 characters such as 序号, 页数, dates whole) and would like `max` (its longest text
        // on one line); the width left over after the minimums goes to the columns in
        // proportion to how much more they would like.
        let mut max = vec![0.0f64; n];
        let mut head = vec![0.0f64; n];
        for (i, h) in t.headers.iter().enumerate().take(n) {
            head[i] = h.split('\n').map(em_width).fold(0.0, f64::max);
            max[i] = head[i];
        }
        for r in &t.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                let e = c.split('\n').map(em_width).fold(0.0, f64::max);
                if e > max[i] {
                    max[i] = e;
                }
            }
        }
        let tw = |em: f64| em.max(1.0) * font_tw + pad;
        let min: Vec<f64> = (0..n)
            .map(|i| tw((head[i] / 2.0).ceil().max(max[i].min(6.0))))
            .collect();
        let max: Vec<f64> = (0..n).map(|i| tw(max[i]).max(min[i])).collect();
        let (sum_min, sum_max): (f64, f64) = (min.iter().sum(), max.iter().sum());
        if sum_max <= avail || sum_min >= avail {
            // Everything fits on one line, or not even the minimums do: scaled below.
            if sum_max <= avail { max } else { min }
        } else {
            let extra = avail - sum_min;
            (0..n)
                .map(|i| min[i] + extra * (max[i] - min[i]) / (sum_max - sum_min))
                .collect()
        }
    };
    let sum: f64 = w.iter().sum();
    // Too wide: scale down to the text block. Auto widths narrower than it (no long column)
    // grow to fill it.
    let fill = sum > avail || (t.widths_mm.is_empty() && sum > 0.0);
    if fill {
        for v in &mut w {
            *v *= avail / sum;
        }
    }
    let mut out: Vec<u32> = w.iter().map(|v| v.floor().max(1.0) as u32).collect();
    // Rounding: the table never passes the text block, and one that should fill it does.
    let (total, avail) = (out.iter().sum::<u32>(), avail as u32);
    let widest = (0..out.len()).max_by_key(|i| out[*i]);
    if let Some(i) = widest {
        if total > avail {
            out[i] = out[i].saturating_sub(total - avail).max(1);
        } else if fill {
            out[i] += avail - total;
        }
    }
    out
}

/// Given alignments, else: columns whose every text is at most 6 characters are centred.
pub fn column_aligns(t: &Table, n: usize) -> Vec<Align> {
    (0..n)
        .map(|i| {
            if let Some(a) = t.aligns.get(i) {
                return *a;
            }
            let short = t
                .rows
                .iter()
                .all(|r| r.get(i).is_none_or(|c| em_width(c) <= 6.0));
            if short && !t.rows.is_empty() {
                Align::Center
            } else {
                Align::Left
            }
        })
        .collect()
}

/// Width and height in pixels from a PNG's IHDR, None if the bytes are not a PNG.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || &png[..8] != SIG || &png[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (w, h) = (be(&png[16..20]), be(&png[20..24]));
    (w > 0 && h > 0).then_some((w, h))
}

/// `w:sectPr` of a section.
pub fn sect_pr(out: &mut String, spec: &Spec, landscape: bool) {
    out.push_str("<w:sectPr>");
    out.push_str(r#"<w:footerReference w:type="default" r:id="rIdFtr1"/>"#);
    if spec.footer == Footer::GongwenPageNumber {
        out.push_str(r#"<w:footerReference w:type="even" r:id="rIdFtr2"/>"#);
    }
    if landscape {
        // The portrait 版心 turned a quarter: the table head at the 订口 (GB/T 9704 §5.2.4
        // 横排表格, odd pages).
        let _ = write!(
            out,
            concat!(
                r#"<w:pgSz w:w="{}" w:h="{}" w:orient="landscape"/>"#,
                r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0"/>"#
            ),
            spec.page_h,
            spec.page_w,
            spec.margin_left,
            spec.margin_top,
            spec.margin_right,
            spec.margin_bottom,
            spec.header_dist,
            spec.footer_dist.min(spec.margin_right.saturating_sub(200)),
        );
    } else {
        let _ = write!(
            out,
            concat!(
                r#"<w:pgSz w:w="{}" w:h="{}"/>"#,
                r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0"/>"#
            ),
            spec.page_w,
            spec.page_h,
            spec.margin_top,
            spec.margin_right,
            spec.margin_bottom,
            spec.margin_left,
            spec.header_dist,
            spec.footer_dist,
        );
    }
    out.push_str(r#"<w:cols w:space="425"/>"#);
    match (spec.grid, spec.char_space()) {
        // A line grid of 22 lines. The 28 characters a line come from the styles' condensed
        // spacing (`Spec::condense`), not from a character grid: LibreOffice gives each
        // character two cells of a `linesAndChars` grid narrower than the font (14 a line).
        // `charSpace` stays, so switching Word to 行和字符网格 still gives 28.
        (Some(_), Some(cs)) if !landscape => {
            let _ = write!(
                out,
                r#"<w:docGrid w:type="lines" w:linePitch="{}" w:charSpace="{}"/>"#,
                spec.line_pitch(),
                cs
            );
        }
        (Some(_), _) => {
            let _ = write!(
                out,
                r#"<w:docGrid w:type="lines" w:linePitch="{}"/>"#,
                spec.line_pitch()
            );
        }
        _ => {
            let _ = write!(out, r#"<w:docGrid w:linePitch="{}"/>"#, spec.line_pitch());
        }
    }
    out.push_str("</w:sectPr>");
}
