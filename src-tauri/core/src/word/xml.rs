//! Text into WordprocessingML: escaping, and user text as runs.

use std::fmt::Write as _;

/// Whether XML 1.0 allows `c` at all (Word refuses a file with a stray control character).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Append `s` escaped for element text and attribute values alike; characters XML forbids are
/// dropped.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// One run holding `text`: `\n` becomes a line break (`w:br`), `\t` a tab, `\r` is dropped.
/// `rpr` is the run's property XML (usually empty: the paragraph style carries the font).
pub fn run(out: &mut String, text: &str, rpr: &str) {
    out.push_str("<w:r>");
    out.push_str(rpr);
    let mut open = false;
    for c in text.chars() {
        match c {
            '\n' | '\t' => {
                if open {
                    out.push_str("</w:t>");
                    open = false;
                }
                out.push_str(if c == '\n' { "<w:br/>" } else { "<w:tab/>" });
            }
            '\r' => {}
            c => {
                if !open {
                    out.push_str(r#"<w:t xml:space="preserve">"#);
                    open = true;
                }
                let mut buf = [0u8; 4];
                escape_into(out, c.encode_utf8(&mut buf));
            }
        }
    }
    if open {
        out.push_str("</w:t>");
    }
    out.push_str("</w:r>");
}

/// `<w:pStyle>` … paragraph start with extra pPr children (already in schema order after
/// pStyle).
pub fn para_open(out: &mut String, style: &str, extra_ppr: &str) {
    let _ = write!(
        out,
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>"#
    );
}

/// Width of text in characters of its font: CJK and full-width forms 1, others ½ (digits and
/// Latin letters are half-width in the Chinese fonts we name).
pub fn em_width(s: &str) -> f64 {
    s.chars().map(char_em).sum()
}

pub fn char_em(c: char) -> f64 {
    let u = c as u32;
    let wide = (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        // “ ” ‘ ’ — … are full width in Chinese fonts (w:hint="eastAsia").
        || matches!(c, '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' | '\u{2026}')
        || u >= 0x1f000;
    if wide { 1.0 } else { 0.5 }
}
