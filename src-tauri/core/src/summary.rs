//! 一图读懂: the day's headline figures as one PNG for the office's WeChat group — the phase,
//! the dashboard's figures as cards, the units with most overdue items. Drawn as SVG and
//! rasterised by `chart.rs` (resvg, system CJK fonts), 1080 px wide so it reads on a phone
//! without zooming (the smallest text is 26 px: about 9 pt on a 6-inch screen).

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::chart::{FONT_FAMILIES, esc, svg_to_png};
use crate::dashboard::Dashboard;
use crate::error::Result;
use crate::workspace::Workspace;

/// Width of the image in pixels.
pub const WIDTH: u32 = 1080;
/// Units listed under "逾期较多的单位" at most.
const UNITS: usize = 5;

/// What writing the image produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SummaryImage {
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// Headline figures drawn.
    #[ts(type = "number")]
    pub figures: i64,
}

/// Cut `s` to at most `n` characters, with "…" when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The SVG of the summary and its height.
pub fn svg(d: &Dashboard) -> (String, u32) {
    let w = WIDTH;
    let pad = 48u32;
    let mut body = String::new();
    let mut y = 0u32;

    // Title band.
    let band = 230u32;
    let _ = write!(
        body,
        r##"<rect x="0" y="0" width="{w}" height="{band}" fill="#1f4e9c"/><text x="{pad}" y="92" font-size="46" font-weight="bold" fill="#ffffff">{}</text><text x="{pad}" y="150" font-size="30" fill="#dbe6ff">{}</text><text x="{pad}" y="200" font-size="30" fill="#dbe6ff">截至 {}</text>"##,
        esc(&clip(&format!("{}创建工作进展", d.district), 20)),
        esc(&clip(&d.campaign_name, 30)),
        esc(&d.today)
    );
    y += band + 36;

    // The phase, prominently.
    if let Some(p) = &d.phase {
        let _ = write!(
            body,
            r##"<rect x="{pad}" y="{y}" width="{}" height="96" rx="16" fill="#eef3fc"/><text x="{}" y="{}" font-size="30" fill="#555">当前阶段</text><text x="{}" y="{}" font-size="44" font-weight="bold" fill="#1f4e9c">{}</text>"##,
            w - 2 * pad,
            pad + 28,
            y + 60,
            pad + 200,
            y + 64,
            esc(&p.label)
        );
        y += 96 + 28;
    }

    // Figure cards, two a row.
    let heads: Vec<_> = d
        .headlines()
        .into_iter()
        .filter(|h| h.label != "当前阶段")
        .collect();
    let gap = 24u32;
    let card_w = (w - 2 * pad - gap) / 2;
    let card_h = 190u32;
    for (i, h) in heads.iter().enumerate() {
        let col = (i % 2) as u32;
        let row = (i / 2) as u32;
        let x = pad + col * (card_w + gap);
        let cy = y + row * (card_h + gap);
        let (bg, fg) = if h.alert {
            ("#fdecec", "#c62828")
        } else {
            ("#f5f7fa", "#222222")
        };
        let _ = write!(
            body,
            r##"<rect x="{x}" y="{cy}" width="{card_w}" height="{card_h}" rx="16" fill="{bg}"/><text x="{}" y="{}" font-size="30" fill="#555">{}</text><text x="{}" y="{}" font-size="58" font-weight="bold" fill="{fg}">{}</text><text x="{}" y="{}" font-size="26" fill="#666">{}</text>"##,
            x + 28,
            cy + 50,
            esc(&h.label),
            x + 28,
            cy + 122,
            esc(&clip(&h.value, 12)),
            x + 28,
            cy + 166,
            esc(&clip(&h.detail, 17)),
        );
    }
    let rows = heads.len().div_ceil(2) as u32;
    y += rows * (card_h + gap);
    if heads.is_empty() {
        let _ = write!(
            body,
            r##"<text x="{pad}" y="{}" font-size="32" fill="#666">各项工作尚未录入数据。</text>"##,
            y + 40
        );
        y += 80;
    }

    // Units with most overdue items.
    let late: Vec<_> = d
        .units
        .iter()
        .filter(|u| u.overdue > 0)
        .take(UNITS)
        .collect();
    if !late.is_empty() {
        y += 20;
        let _ = write!(
            body,
            r##"<text x="{pad}" y="{}" font-size="36" font-weight="bold" fill="#c62828">逾期问题较多的单位</text>"##,
            y + 40
        );
        y += 70;
        let max = late.iter().map(|u| u.overdue).max().unwrap_or(1).max(1) as f64;
        let bar_x = pad + 420;
        let bar_max = (w - bar_x - pad - 110) as f64;
        for u in &late {
            let len = (u.overdue as f64 / max * bar_max).max(6.0);
            let _ = write!(
                body,
                r##"<text x="{pad}" y="{}" font-size="30" fill="#333">{}</text><rect x="{bar_x}" y="{}" width="{len:.0}" height="34" rx="6" fill="#ee6666"/><text x="{:.0}" y="{}" font-size="30" fill="#c62828">{} 项</text>"##,
                y + 36,
                esc(&clip(&u.unit_name, 13)),
                y + 10,
                bar_x as f64 + len + 14.0,
                y + 38,
                u.overdue
            );
            y += 58;
        }
    }

    // Footer.
    y += 30;
    let _ = write!(
        body,
        r##"<text x="{}" y="{}" font-size="26" fill="#999" text-anchor="middle">示范创建工作台生成 · 数据截至 {}</text>"##,
        w / 2,
        y + 20,
        esc(&d.today)
    );
    let h = y + 56;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILIES}"><rect width="{w}" height="{h}" fill="#ffffff"/>{body}</svg>"##
    );
    (svg, h)
}

impl Workspace {
    /// Write the one-image summary of the figures on `today` as a PNG to `path` (atomically).
    pub fn export_summary_image(&self, path: &Path, today: NaiveDate) -> Result<SummaryImage> {
        let d = self.dashboard(today)?;
        let (s, height) = svg(&d);
        let png = svg_to_png(&s)?;
        crate::atomic::write_atomic(path, &png)?;
        Ok(SummaryImage {
            path: path.display().to_string(),
            width: WIDTH,
            height,
            figures: d
                .headlines()
                .iter()
                .filter(|h| h.label != "当前阶段")
                .count() as i64,
        })
    }
}
