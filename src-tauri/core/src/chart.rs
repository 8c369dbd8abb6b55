//! Charts drawn by the engine, so that the leadership report (.docx) and the one-image summary
//! for a WeChat group come out the same from the app and from the CLI without a window. A chart
//! is written as SVG by hand (bars, radar, trend lines, a figure card), then rasterised to PNG
//! with resvg using the fonts installed on the machine (Microsoft YaHei / SimHei on office PCs,
//! Noto CJK on Linux), so Chinese text renders.
//!
//! The interactive charts of the app are ECharts in the UI; these are the printable twins.

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// The font families asked for, in order; the first one installed wins, per glyph.
pub(crate) const FONT_FAMILIES: &str = "'Microsoft YaHei', 'SimHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

/// The palette (ECharts' default, so the printed charts look like the app's).
pub const PALETTE: &[&str] = &[
    "#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4",
];

/// One named series of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A chart to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Horizontal bars, one per label (long Chinese labels read well on the left), with the
    /// value printed at the end of each bar.
    Bars {
        title: String,
        labels: Vec<String>,
        values: Vec<f64>,
        /// Unit printed after values ("分", "项", "%").
        unit: String,
    },
    /// A radar over `axes` (one spoke each, scaled 0..=`max`), one polygon per series.
    Radar {
        title: String,
        axes: Vec<String>,
        max: f64,
        series: Vec<Series>,
    },
    /// Lines across `x` (rounds, weeks), one per series.
    Trend {
        title: String,
        x: Vec<String>,
        series: Vec<Series>,
        unit: String,
    },
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as printed on a chart: "12", "10.5", "87.3".
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn header(w: u32, h: u32, title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILIES}"><rect width="{w}" height="{h}" fill="#ffffff"/><text x="{}" y="34" font-size="22" font-weight="bold" text-anchor="middle" fill="#222">{}</text>"##,
        w / 2,
        esc(title)
    )
}

impl Chart {
    /// The chart as an SVG document of `width` pixels (height follows the content).
    pub fn svg(&self, width: u32) -> String {
        match self {
            Chart::Bars {
                title,
                labels,
                values,
                unit,
            } => bars(width, title, labels, values, unit),
            Chart::Radar {
                title,
                axes,
                max,
                series,
            } => radar(width, title, axes, *max, series),
            Chart::Trend {
                title,
                x,
                series,
                unit,
            } => trend(width, title, x, series, unit),
        }
    }

    /// The chart as PNG bytes, `width` pixels wide.
    pub fn png(&self, width: u32) -> Result<Vec<u8>> {
        svg_to_png(&self.svg(width))
    }
}

fn bars(w: u32, title: &str, labels: &[String], values: &[f64], unit: &str) -> String {
    let n = labels.len().min(values.len()).max(1);
    let row = 34u32;
    let top = 60u32;
    let h = top + row * n as u32 + 24;
    let label_w = (w as f64 * 0.34).round();
    let bar_x = label_w + 10.0;
    let bar_max = w as f64 - bar_x - 80.0;
    let max = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let mut s = header(w, h, title);
    for (i, (l, v)) in labels.iter().zip(values).enumerate() {
        let y = top + row * i as u32;
        let len = (v.max(0.0) / max * bar_max).max(if *v > 0.0 { 2.0 } else { 0.0 });
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="15" text-anchor="end" fill="#333">{}</text><rect x="{bar_x}" y="{}" width="{len:.1}" height="{}" rx="3" fill="{}"/><text x="{:.1}" y="{}" font-size="14" fill="#555">{}{}</text>"##,
            label_w,
            y + 21,
            esc(l),
            y + 6,
            row - 12,
            PALETTE[0],
            bar_x + len + 6.0,
            y + 21,
            num(*v),
            esc(unit)
        );
    }
    s.push_str("</svg>");
    s
}

fn radar(w: u32, title: &str, axes: &[String], max: f64, series: &[Series]) -> String {
    let h = w;
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0 + 20.0);
    let r = w as f64 * 0.30;
    let n = axes.len().max(3);
    let max = if max > 0.0 { max } else { 1.0 };
    let at = |i: usize, f: f64| {
        let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
        (cx + r * f * a.cos(), cy + r * f * a.sin())
    };
    let mut s = header(w, h, title);
    for ring in 1..=4 {
        let f = ring as f64 / 4.0;
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = at(i, f);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="none" stroke="#ddd"/>"##,
            pts.join(" ")
        );
    }
    for (i, a) in axes.iter().enumerate() {
        let (x, y) = at(i, 1.0);
        let (lx, ly) = at(i, 1.16);
        let anchor = if (lx - cx).abs() < 8.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            s,
            r##"<line x1="{cx:.1}" y1="{cy:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{lx:.1}" y="{:.1}" font-size="14" text-anchor="{anchor}" fill="#333">{}</text>"##,
            ly + 5.0,
            esc(a)
        );
    }
    for (k, se) in series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let v = se.values.get(i).copied().unwrap_or(0.0);
                let (x, y) = at(i, (v / max).clamp(0.0, 1.0));
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="{color}" fill-opacity="0.18" stroke="{color}" stroke-width="2"/>"##,
            pts.join(" ")
        );
    }
    legend(&mut s, w, h - 24, series);
    s.push_str("</svg>");
    s
}

fn legend(s: &mut String, w: u32, y: u32, series: &[Series]) {
    let each = 150.0;
    let start = w as f64 / 2.0 - each * series.len() as f64 / 2.0;
    for (k, se) in series.iter().enumerate() {
        let x = start + each * k as f64;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{}" width="18" height="12" fill="{}"/><text x="{:.1}" y="{}" font-size="14" fill="#333">{}</text>"##,
            y - 11,
            PALETTE[k % PALETTE.len()],
            x + 24.0,
            y,
            esc(&se.name)
        );
    }
}

fn trend(w: u32, title: &str, x: &[String], series: &[Series], unit: &str) -> String {
    let h = (w as f64 * 0.55) as u32;
    let (left, right, top, bottom) = (70.0, 30.0, 60.0, 70.0);
    let pw = w as f64 - left - right;
    let ph = h as f64 - top - bottom;
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    let hi = all.iter().copied().fold(f64::MIN, f64::max);
    let lo = all.iter().copied().fold(f64::MAX, f64::min);
    let (lo, hi) = if all.is_empty() {
        (0.0, 1.0)
    } else if (hi - lo).abs() < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        let pad = (hi - lo) * 0.1;
        (lo - pad, hi + pad)
    };
    // Round ticks (1, 2 or 5 times a power of ten) covering the range.
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let ticks = ((hi - lo) / step).round() as usize;
    let n = x.len().max(1);
    // Points sit inside the plot (labels under the first and last point stay readable).
    let inset = pw * 0.08;
    let px = |i: usize| {
        if n == 1 {
            left + pw / 2.0
        } else {
            left + inset + (pw - 2.0 * inset) * i as f64 / (n - 1) as f64
        }
    };
    let py = |v: f64| top + ph * (1.0 - (v - lo) / (hi - lo));
    let mut s = header(w, h, title);
    for k in 0..=ticks {
        let v = lo + step * k as f64;
        let y = py(v);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#eee"/><text x="{:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="#666">{}{}</text>"##,
            left + pw,
            left - 8.0,
            y + 4.0,
            num(v),
            esc(unit)
        );
    }
    for (i, l) in x.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="#333">{}</text>"##,
            px(i),
            top + ph + 24.0,
            esc(l)
        );
    }
    for (k, se) in series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let pts: Vec<(f64, f64)> = se
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| (px(i), py(*v)))
            .collect();
        let path: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="{color}" stroke-width="3"/>"##,
            path.join(" ")
        );
        for ((x, y), v) in pts.iter().zip(se.values.iter().filter(|v| v.is_finite())) {
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{color}"/><text x="{x:.1}" y="{:.1}" font-size="13" text-anchor="middle" fill="{color}">{}</text>"##,
                y - 10.0,
                num(*v)
            );
        }
    }
    legend(&mut s, w, h - 16, series);
    s.push_str("</svg>");
    s
}

/// The fonts of this machine, loaded once.
fn fonts() -> &'static std::sync::Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        std::sync::Arc::new(db)
    })
}

/// Whether a font that can draw Chinese is installed (charts are still drawn without one,
/// with missing glyphs; callers may warn).
pub fn has_cjk_font() -> bool {
    fonts().faces().any(|f| {
        f.families.iter().any(|(name, _)| {
            [
                "Microsoft YaHei",
                "SimHei",
                "SimSun",
                "Noto Sans CJK SC",
                "Noto Serif CJK SC",
                "Noto Sans SC",
                "Source Han Sans SC",
                "WenQuanYi Micro Hei",
            ]
            .contains(&name.as_str())
        })
    })
}

/// Rasterise an SVG document at its own size.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let bad = |what: &str| Error::Io(format!("生成图表图片失败：{what}。"));
    let opt = resvg::usvg::Options {
        fontdb: std::sync::Arc::clone(fonts()),
        ..resvg::usvg::Options::default()
    };
    let tree =
        resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| bad(&format!("图表格式有误（{e}）")))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| bad("图片尺寸无效"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| bad(&format!("PNG 编码失败（{e}）")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_bars() -> Chart {
        Chart::Bars {
            title: "各单位逾期问题数".into(),
            labels: vec![
                "区司法局".into(),
                "区自然资源和规划局".into(),
                "东城街道办事处".into(),
            ],
            values: vec![5.0, 3.0, 0.0],
            unit: "项".into(),
        }
    }

    #[test]
    fn svg_escapes_user_text_and_prints_values() {
        let c = Chart::Bars {
            title: "A&B <x>".into(),
            labels: vec!["\"单位\"".into()],
            values: vec![10.5],
            unit: "分".into(),
        };
        let svg = c.svg(600);
        assert!(svg.contains("A&amp;B &lt;x&gt;"));
        assert!(svg.contains("&quot;单位&quot;"));
        assert!(svg.contains(">10.5分<"));
        assert_eq!(num(87.25), "87.3");
        assert_eq!(num(12.0), "12");
    }

    #[test]
    fn charts_render_to_png_of_the_asked_width() {
        for c in [
            sample_bars(),
            Chart::Radar {
                title: "各方面得分率".into(),
                axes: (1..=8).map(|i| format!("方面{i}")).collect(),
                max: 100.0,
                series: vec![
                    Series {
                        name: "模拟评估一".into(),
                        values: vec![70.0, 80.0, 65.0, 90.0, 75.0, 60.0, 85.0, 70.0],
                    },
                    Series {
                        name: "模拟评估二".into(),
                        values: vec![80.0, 85.0, 75.0, 92.0, 80.0, 72.0, 88.0, 79.0],
                    },
                ],
            },
            Chart::Trend {
                title: "总分走势".into(),
                x: vec!["模拟评估一".into(), "模拟评估二".into()],
                series: vec![Series {
                    name: "总分".into(),
                    values: vec![812.5, 866.0],
                }],
                unit: "".into(),
            },
        ] {
            let png = c.png(800).expect("png");
            // SHIFAN_CHART_DUMP=dir keeps the pictures to look at.
            if let Some(d) = std::env::var_os("SHIFAN_CHART_DUMP") {
                let name = format!("chart-{}.png", png.len());
                std::fs::write(std::path::Path::new(&d).join(name), &png).expect("dump");
            }
            assert!(png.starts_with(b"\x89PNG"));
            // Width is in the IHDR chunk, bytes 16..20.
            let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
            assert_eq!(w, 800);
        }
    }
}
