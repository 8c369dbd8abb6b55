//! 分值表: the office's own 分值 of each indicator (for a system that publishes none, such as
//! the national 2021 text), read from Excel and written back out from one layout. A row gives
//! an indicator's 分值, or a 权重 that is spread over a total exactly (multiples of 0.1 adding
//! up to the total), and optionally its 评分标准 text, read into deduction rules.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compute::{ParsedRule, parse_rule_text};
use super::model::{self, PointsSource, RuleInput, apportion};
use super::points::Points;
use crate::action::Action;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Column, Issues, find_header, is_note_row, is_total_text, short};
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::sheet::{Grid, display_name, read_tables};
use crate::text::parse_number_label;
use crate::workspace::Workspace;

/// The 分值表 layout.
pub const SCALE_COLUMNS: &[Column] = &[
    Column::new(
        "no",
        "指标序号",
        &["序号", "三级指标序号", "指标编号", "编号"],
        8.0,
    ),
    Column::new("aspect", "一级指标", &["方面", "一级"], 16.0),
    Column::new(
        "text",
        "三级指标",
        &["指标内容", "三级指标内容", "指标"],
        44.0,
    ),
    Column::new(
        "points",
        "分值",
        &["分数", "标准分", "满分", "分值（分）"],
        8.0,
    ),
    Column::new("weight", "权重", &["权重（%）", "权重%", "比重"], 8.0),
    Column::new(
        "rule",
        "评分标准",
        &["扣分规则", "扣分标准", "考核标准", "评分细则"],
        40.0,
    ),
];

/// Options of a 分值表 import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScaleImportOptions {
    /// Total the 权重 are spread over (default 1000); also checked against a 分值 column.
    #[serde(default)]
    pub total: Option<Points>,
}

/// One indicator's new 分值 in the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScaleRow {
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub old: Option<Points>,
    pub new: Points,
    /// Rules read from its 评分标准 (0 when none or not updated).
    #[ts(type = "number")]
    pub rules: i64,
}

/// What a 分值表 import would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScaleImportPreview {
    pub file_name: String,
    pub sheet: String,
    /// "分值" or "权重".
    pub basis: String,
    pub rows: Vec<ScaleRow>,
    /// Sum of the new 分值.
    pub total: Points,
    /// Indicators of the system the file does not give (their office 分值 stays as it was).
    #[ts(type = "number")]
    pub not_in_file: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

impl ImportReport for ScaleImportPreview {
    fn file_name(&self) -> &str {
        &self.file_name
    }
    fn issues(&self) -> &[ImportIssue] {
        &self.issues
    }
    fn can_apply(&self) -> bool {
        self.can_apply
    }
}

/// What the write needs.
pub struct ScaleWork {
    campaign_id: i64,
    points: Vec<(i64, Option<Points>)>,
    rules: Vec<(i64, i64, Vec<RuleInput>)>,
    model: model::ModelInput,
}

/// 导入分值表.
pub struct ScaleImport {
    pub path: PathBuf,
    pub options: ScaleImportOptions,
}

impl ScaleImport {
    pub fn new(path: impl Into<PathBuf>, options: ScaleImportOptions) -> Self {
        ScaleImport {
            path: path.into(),
            options,
        }
    }
}

fn rule_inputs(parsed: Vec<ParsedRule>) -> Vec<RuleInput> {
    parsed
        .into_iter()
        .map(|p| RuleInput {
            id: None,
            kind: p.kind,
            text: p.text,
            amount: p.amount,
            cap: p.cap,
        })
        .collect()
}

/// A 权重 cell as a relative integer (millionths): weights are relative, so finer values than
/// 0.01 are fine; only the 分值 they give must be exact.
fn weight_cell(g: &Grid, r: usize, c: usize) -> Option<std::result::Result<i64, String>> {
    let cell = g.cell(r, c)?;
    if g.uncalculated.contains(&(r, c)) {
        return Some(Err("是没有计算结果的公式".into()));
    }
    let f = match cell.number {
        Some(n) => n,
        None => {
            let t = crate::text::to_half_width(cell.text.trim());
            let t = t.trim().trim_end_matches('%').trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<f64>() {
                Ok(f)
                    if t.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-') =>
                {
                    f
                }
                _ => return Some(Err(format!("“{}”不是数字", short(&cell.text)))),
            }
        }
    };
    if !f.is_finite() || f.abs() > 1e9 {
        return Some(Err(format!("“{}”不是有效的权重", short(&cell.text))));
    }
    Some(Ok((f * 1e6).round() as i64))
}

fn number_cell(g: &Grid, r: usize, c: usize) -> Option<std::result::Result<Points, String>> {
    let cell = g.cell(r, c)?;
    if g.uncalculated.contains(&(r, c)) {
        return Some(Err("是没有计算结果的公式".into()));
    }
    if let Some(n) = cell.number {
        return Some(Points::from_f64(n).ok_or_else(|| "小数超过两位".to_string()));
    }
    let t = cell.text.trim().trim_end_matches('%');
    if t.is_empty() {
        return None;
    }
    Some(Points::parse(t).map_err(|why| format!("“{}”{why}", short(&cell.text))))
}

fn plan(
    ws: &Workspace,
    path: &Path,
    opts: &ScaleImportOptions,
    job: &Job,
) -> Result<Plan<ScaleImportPreview, ScaleWork>> {
    let conn = ws.store().conn();
    let c = crate::campaign::active(conn)?;
    let file = display_name(path);
    job.report(0, 0, &format!("正在读取“{file}”"));
    let grids = read_tables(path)?;
    job.check()?;
    let found = grids.iter().find_map(|g| {
        find_header(g, SCALE_COLUMNS, &["no"])
            .filter(|h| h.col("points").is_some() || h.col("weight").is_some())
            .map(|h| (g, h))
    });
    let Some((g, h)) = found else {
        return Err(Error::Import {
            file: file.clone(),
            issues: vec![ImportIssue::about_file(
                &file,
                Severity::Error,
                format!("“{file}”中没有找到分值表的表头（需要“指标序号”列和“分值”或“权重”列）。"),
            )],
        });
    };
    let mut issues = Issues::new(&file);
    let leaves = super::campaign_leaves(conn)?;
    let by_no: HashMap<i64, &crate::model::IndicatorLeaf> =
        leaves.iter().map(|l| (l.no, l)).collect();
    let m = model::load(conn)?;
    let used_rules: HashSet<i64> = {
        let mut st = conn.prepare(
            "SELECT DISTINCT r.indicator_id FROM eval_mark_rule u JOIN eval_rule r ON r.id = u.rule_id
             WHERE r.campaign_id = ?1",
        )?;
        st.query_map([c.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let by_points = h.col("points").is_some();
    let val_col = h.col("points").or(h.col("weight")).unwrap_or(0);
    let no_col = h.col("no").unwrap_or(0);
    let mut seen: HashMap<i64, usize> = HashMap::new();
    // (leaf, value, rules)
    let mut rows: Vec<(&crate::model::IndicatorLeaf, Points, Option<Vec<RuleInput>>)> = Vec::new();
    for r in h.row + 1..g.rows.len() {
        if g.row_is_blank(r) || is_note_row(g, r) {
            continue;
        }
        let raw = g.text(r, no_col);
        if is_total_text(raw) || (0..g.row_width(r)).any(|c| is_total_text(g.text(r, c))) {
            continue;
        }
        let Some(no) = parse_number_label(raw) else {
            if !raw.is_empty() {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!("指标序号“{}”无法识别，已跳过该行。", short(raw)),
                );
            }
            continue;
        };
        if let Some(p) = seen.insert(no, r) {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("指标 {no} 与第{}行重复。", p + 1),
            );
            continue;
        }
        let Some(leaf) = by_no.get(&no) else {
            issues.at(
                Severity::Error,
                g,
                Some(r),
                Some(no_col),
                &format!("当前指标体系中没有序号为 {no} 的指标，请核对是否是本体系的分值表。"),
            );
            continue;
        };
        let label = if by_points { "分值" } else { "权重" };
        let cell = if by_points {
            number_cell(g, r, val_col).map(|v| v.map(|p| p.hundredths()))
        } else {
            weight_cell(g, r, val_col)
        };
        let value = match cell.map(|v| v.map(Points::from_hundredths)) {
            None => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(val_col),
                    &format!("指标 {no} 的{label}为空。"),
                );
                continue;
            }
            Some(Err(why)) => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(val_col),
                    &format!("{label}{why}，应填写数字。"),
                );
                continue;
            }
            Some(Ok(v)) if v.is_negative() => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(val_col),
                    &format!("{label} {} 不能为负数。", short(g.text(r, val_col))),
                );
                continue;
            }
            Some(Ok(v)) if by_points && v > Points::whole(10_000) => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(val_col),
                    &format!("{label} {v} 过大。"),
                );
                continue;
            }
            Some(Ok(v)) => v,
        };
        let rules = match h.col("rule").map(|c| g.text(r, c)) {
            Some(t) if !t.trim().is_empty() => {
                let parsed = parse_rule_text(t);
                if used_rules.contains(&leaf.id) {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        h.col("rule"),
                        &format!("指标 {no} 的评分标准已被评分使用，本次未更新评分标准。"),
                    );
                    None
                } else if parsed.is_empty() {
                    issues.at(Severity::Warning, g, Some(r), h.col("rule"), &format!("指标 {no} 的评分标准“{}”中没有识别出扣分规则（如“每件扣0.2分”“不得分”），请在程序中补充。", short(t)));
                    None
                } else {
                    Some(rule_inputs(parsed))
                }
            }
            _ => None,
        };
        rows.push((leaf, value, rules));
    }
    job.check()?;
    let values: Vec<Points> = if by_points {
        rows.iter().map(|r| r.1).collect()
    } else {
        let total = opts.total.unwrap_or(Points::whole(1000));
        match apportion(
            total,
            &rows.iter().map(|r| r.1.hundredths()).collect::<Vec<_>>(),
        ) {
            Ok(v) => v,
            Err(e) => {
                issues.file(Severity::Error, &e.to_string());
                vec![Points::ZERO; rows.len()]
            }
        }
    };
    let total: Points = values.iter().sum();
    if by_points
        && let Some(want) = opts.total
        && want != total
    {
        issues.file(
            Severity::Warning,
            &format!("各项分值合计为 {total} 分，与指定的总分 {want} 分不一致。"),
        );
    }
    let not_in_file = leaves.len() as i64 - rows.len() as i64;
    if not_in_file > 0 && !rows.is_empty() {
        let missing: Vec<i64> = leaves
            .iter()
            .filter(|l| !seen.contains_key(&l.no))
            .map(|l| l.no)
            .collect();
        issues.file(
            Severity::Warning,
            &format!(
                "表中没有指标 {} 的分值（共 {not_in_file} 项），这些指标保留原有分值。",
                super::ranges(&missing)
            ),
        );
    }
    if rows.is_empty() {
        issues.file(Severity::Error, "表中没有任何指标的分值。");
    }
    let preview_rows: Vec<ScaleRow> = rows
        .iter()
        .zip(&values)
        .map(|((leaf, _, rules), v)| ScaleRow {
            no: leaf.no,
            text: short(&leaf.text),
            old: m.max_of(leaf),
            new: *v,
            rules: rules.as_ref().map_or(0, |r| r.len() as i64),
        })
        .collect();
    let can_apply = !issues.has_errors();
    let preview = ScaleImportPreview {
        file_name: file.clone(),
        sheet: g.name.clone(),
        basis: if by_points { "分值" } else { "权重" }.into(),
        rows: preview_rows,
        total,
        not_in_file: not_in_file.max(0),
        issues: issues.list,
        can_apply,
    };
    let mut model_input = m.input();
    model_input.points_source = PointsSource::Office;
    let detail = format!(
        "“{file}”：{} 项指标的分值，合计 {total} 分",
        preview.rows.len()
    );
    Ok(Plan {
        work: ScaleWork {
            campaign_id: c.id,
            points: rows
                .iter()
                .zip(&values)
                .map(|((l, _, _), v)| (l.id, Some(*v)))
                .collect(),
            rules: rows
                .into_iter()
                .filter_map(|(l, _, r)| r.map(|r| (l.id, l.no, r)))
                .collect(),
            model: model_input,
        },
        preview,
        detail,
    })
}

impl Importer for ScaleImport {
    type Preview = ScaleImportPreview;
    type Work = ScaleWork;
    type Output = ScaleImportPreview;
    const ACTION: Action = Action::ImportScale;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        plan(ws, &self.path, &self.options, job)
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        model::put_points(tx, work.campaign_id, &work.points)?;
        for (indicator, no, rules) in &work.rules {
            model::put_rules(tx, work.campaign_id, *indicator, *no, rules)?;
        }
        model::put_model(tx, work.campaign_id, &work.model)?;
        Ok(preview)
    }
}

impl Workspace {
    /// 导出分值表: every indicator with its current 分值 and 评分标准, in the layout the import
    /// reads (edit it in Excel and import it back).
    pub fn export_scale(&self, path: &Path) -> Result<PathBuf> {
        let m = self.scoring_model()?;
        let mut book = Book::new("分值表");
        {
            let mut ws = book.sheet("分值表")?;
            let last = SCALE_COLUMNS.len() as u16 - 1;
            ws.title(0, last, "指标分值表")?;
            let header: Vec<(&str, f64)> =
                SCALE_COLUMNS.iter().map(|c| (c.header, c.width)).collect();
            ws.header(1, &header)?;
            let col = |k: &str| SCALE_COLUMNS.iter().position(|c| c.key == k).unwrap_or(0) as u16;
            let mut r = 2;
            for i in &m.indicators {
                ws.number(r, col("no"), i.no as f64, Style::Center)?;
                ws.text(r, col("aspect"), &i.aspect, Style::Body)?;
                ws.text(r, col("text"), &i.text, Style::Body)?;
                match i.points {
                    Some(p) => ws.number(r, col("points"), p.to_f64(), Style::Center)?,
                    None => ws.blank(r, col("points"), Style::Center)?,
                }
                ws.blank(r, col("weight"), Style::Center)?;
                let rules = i
                    .rules
                    .iter()
                    .map(|x| x.text.as_str())
                    .collect::<Vec<_>>()
                    .join("；");
                ws.text(r, col("rule"), &rules, Style::Body)?;
                ws.row_height(r, wrapped_height(&i.text, 44.0).min(200.0))?;
                r += 1;
            }
            ws.text(r, col("no"), "合计", Style::Center)?;
            let total: Points = m.indicators.iter().filter_map(|i| i.points).sum();
            ws.number(r, col("points"), total.to_f64(), Style::Center)?;
            ws.text(
                r + 1,
                0,
                "注：分值由依法治区办自定（官方未公布分值），得分仅供参考。可只填“权重”，导入时按总分折算为分值。",
                Style::Note,
            )?;
            ws.freeze_rows(2)?;
            ws.print_a4(false, 1, 1)?;
        }
        book.save(path)
    }
}
