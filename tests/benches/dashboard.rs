//! 工作台总览 on a large campaign — 200 units, 100 indicators, 50 000 evidence items, 20 000
//! problems (imported from a 问题清单) and a 模拟评估 round of ten experts scoring every
//! indicator — against references timed in the same run:
//!
//! - the dashboard load, part by part (`Workspace::dashboard_timed`: each module query it
//!   runs), and the slowest part;
//! - the 创建工作进展情况报告 (.docx with charts) and the one-image summary (PNG), stage by stage
//!   (the stages the report's `Job` reports);
//! - the references: `SELECT count(*)` of the tables the dashboard reads, and reading every
//!   row of them (each column's text), through a second connection on the same file.
//!
//! Run: `cargo bench -p shifan-tests --bench dashboard`. Prints each time, its ratio to the
//! row-reading reference and the slowest part; nothing is asserted about time.

use shifan_tests::bench::{best_of, import_problems, ms, top_up_units};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use shifan_core::evaluation::{EvalRoundInput, ExpertInput, Points, ScoreSheetsImport};
use shifan_core::progress::{Cancel, Progress};
use shifan_core::{Job, Workspace};

const UNITS: usize = 200;
const EVIDENCE: usize = 50_000;
const PROBLEMS: usize = 20_000;
const EXPERTS: usize = 10;

/// The tables the dashboard's figures come from.
const TABLES: &[&str] = &[
    "indicator",
    "assignment",
    "assignment_unit",
    "unit",
    "evidence",
    "evidence_link",
    "problem",
    "problem_unit",
    "problem_indicator",
    "eval_mark",
    "self_assessment",
];

/// The day the figures are judged on: some deadlines passed, some not.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 1).expect("date")
}

/// A 模拟评估 round with `EXPERTS` experts each scoring every indicator, collected from their
/// returned scoring sheets.
fn score_round(ws: &mut Workspace, dir: &Path, campaign_id: i64) {
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let max: HashMap<i64, f64> = ws
        .scoring_model()
        .expect("model")
        .indicators
        .iter()
        .map(|i| (i.no, i.points.map_or(0.0, Points::to_f64)))
        .collect();
    let round = ws
        .save_eval_round(&EvalRoundInput::named("基准模拟评估"))
        .expect("round");
    let back = dir.join("交回评分表");
    std::fs::create_dir_all(&back).expect("mkdir");
    for j in 0..EXPERTS {
        let e = ws
            .save_expert(&ExpertInput {
                id: None,
                name: format!("基准专家{}", j + 1),
                org: "基准测试大学法学院".into(),
                field: "行政法学".into(),
                phone: String::new(),
                note: String::new(),
            })
            .expect("expert");
        ws.assign_expert_nos(round.id, e.id, "全部")
            .expect("assign");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sh = wb.add_worksheet();
        sh.set_name("评分表").expect("name");
        for (col, h) in ["指标序号", "评估组评分", "扣分理由"].iter().enumerate() {
            sh.write_string(0, col as u16, *h).expect("w");
        }
        for (r, l) in leaves.iter().enumerate() {
            let lost = ((l.no as usize * 7 + j * 3) % 5) as f64 * 0.5;
            let m = max.get(&l.no).copied().unwrap_or(0.0);
            sh.write_number(r as u32 + 1, 0, l.no as f64).expect("w");
            sh.write_number(r as u32 + 1, 1, (m - lost).max(0.0))
                .expect("w");
            if lost > 0.0 {
                sh.write_string(r as u32 + 1, 2, "材料不完整").expect("w");
            }
        }
        let stamp = shifan_core::evaluation::sheets::stamp(campaign_id, round.id, e.id, 1);
        let st = wb.add_worksheet();
        st.set_name("_shifan_stamp").expect("name");
        st.write_string(0, 0, "SHIFAN-EVAL-STAMP").expect("w");
        st.write_string(0, 1, &stamp).expect("w");
        wb.save(back.join(format!("{}.xlsx", e.name)))
            .expect("save");
    }
    let p = ws
        .apply(&ScoreSheetsImport::new(&back), &Job::quiet())
        .expect("collect");
    assert!(p.can_apply, "{:?}", p.issues.first());
}

/// Records when each stage a job reports begins.
#[derive(Default)]
struct Stages(Mutex<Vec<(Instant, String)>>);

impl Progress for Stages {
    fn report(&self, _: u64, _: u64, what: &str) {
        let mut v = self.0.lock().expect("lock");
        if v.last().is_none_or(|(_, w)| w != what) {
            v.push((Instant::now(), what.to_string()));
        }
    }
}

impl Stages {
    /// (stage, its duration) — each stage lasts until the next begins, the last until `end`.
    fn durations(&self, end: Instant) -> Vec<(String, Duration)> {
        let v = self.0.lock().expect("lock");
        v.iter()
            .enumerate()
            .map(|(i, (t, w))| {
                let next = v.get(i + 1).map_or(end, |n| n.0);
                (w.clone(), next - *t)
            })
            .collect()
    }
}

fn main() {
    let (d, mut ws) = shifan_tests::fresh();
    let started = Instant::now();
    let c = shifan_core::demo::create(&mut ws).expect("demo");
    top_up_units(&mut ws, d.path(), UNITS);
    shifan_core::evidence::bench::seed_items(&mut ws, EVIDENCE).expect("evidence");
    import_problems(&mut ws, d.path(), PROBLEMS);
    score_round(&mut ws, d.path(), c.id);
    let db = rusqlite::Connection::open_with_flags(
        ws.data_dir().join("shifan.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("db");
    let count = |t: &str| -> i64 {
        db.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
            .unwrap_or(-1)
    };
    println!(
        "数据：{} 个单位，{} 项指标，{} 份佐证材料，{} 个问题（{} 个单位次），{} 条评分（生成用时 {:.1?}）",
        ws.list_units().expect("units").len(),
        ws.indicator_leaves(None, None).expect("leaves").len(),
        count("evidence"),
        count("problem"),
        count("problem_unit"),
        count("eval_mark"),
        started.elapsed()
    );

    // References: counting the rows, and reading every row, of the tables the dashboard reads.
    let tables: Vec<&str> = TABLES.iter().copied().filter(|t| count(t) >= 0).collect();
    let (count_ref, rows) = best_of(3, || tables.iter().map(|t| count(t)).sum::<i64>());
    let (read_ref, bytes) = best_of(3, || {
        let mut n = 0usize;
        for t in &tables {
            let mut st = db.prepare(&format!("SELECT * FROM \"{t}\"")).expect("prep");
            let cols = st.column_count();
            let mut q = st.query([]).expect("query");
            while let Some(r) = q.next().expect("row") {
                for i in 0..cols {
                    n += match r.get_ref(i).expect("col") {
                        rusqlite::types::ValueRef::Text(s) | rusqlite::types::ValueRef::Blob(s) => {
                            s.len()
                        }
                        _ => 8,
                    };
                }
            }
        }
        n
    });
    println!(
        "参照：{} 张表共 {rows} 行；SELECT count(*) {:.1} ms；逐行读取全部列（{:.1} MB）{:.1} ms",
        tables.len(),
        ms(count_ref),
        bytes as f64 / 1e6,
        ms(read_ref)
    );
    let ratio = |t: Duration| t.as_secs_f64() / read_ref.as_secs_f64().max(1e-9);

    // The dashboard, part by part (best of three for each part).
    let mut parts: Vec<(&'static str, Duration)> = Vec::new();
    let mut total = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let (dash, laps) = ws.dashboard_timed(today()).expect("dashboard");
        total = total.min(t.elapsed());
        assert!(dash.evidence.is_some() && dash.problems.is_some() && dash.evaluation.is_some());
        if parts.is_empty() {
            parts = laps;
        } else {
            for (p, l) in parts.iter_mut().zip(laps) {
                p.1 = p.1.min(l.1);
            }
        }
    }
    println!(
        "工作台总览：{:.1} ms（参照的 {:.2} 倍）",
        ms(total),
        ratio(total)
    );
    for (part, t) in &parts {
        println!("  {part:<24}{:>9.1} ms  {:>6.2} × 参照", ms(*t), ratio(*t));
    }
    let slowest = parts.iter().copied().max_by_key(|p| p.1).expect("parts");
    println!(
        "最慢的查询：{}，{:.1} ms（占总览的 {:.0}%，参照的 {:.2} 倍）",
        slowest.0,
        ms(slowest.1),
        slowest.1.as_secs_f64() * 100.0 / total.as_secs_f64(),
        ratio(slowest.1)
    );

    // The report, stage by stage.
    let out = d.path().join("报告.docx");
    let stages = Stages::default();
    let job = Job::new(&stages, Cancel::new());
    let t = Instant::now();
    let info = ws.export_report(&out, today(), &job).expect("report");
    let end = Instant::now();
    let report = end - t;
    println!(
        "创建工作进展情况报告：{:.1} ms（参照的 {:.2} 倍；{} 个部分，{} 张图表，{:.0} KB）",
        ms(report),
        ratio(report),
        info.sections.len(),
        info.charts,
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1024.0
    );
    let report_stages = stages.durations(end);
    for (what, t) in &report_stages {
        println!("  {what:<20}{:>9.1} ms  {:>6.2} × 参照", ms(*t), ratio(*t));
    }
    if let Some((what, t)) = report_stages.iter().max_by_key(|s| s.1) {
        println!("报告最慢的一步：{what}，{:.1} ms", ms(*t));
    }

    // The one-image summary.
    let png = d.path().join("一图读懂.png");
    let (summary, _) = best_of(3, || {
        ws.export_summary_image(&png, today()).expect("summary")
    });
    println!(
        "一图读懂：{:.1} ms（参照的 {:.2} 倍）",
        ms(summary),
        ratio(summary)
    );
}
