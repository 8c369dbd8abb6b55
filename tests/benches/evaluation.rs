//! 模拟评估 on a large campaign: 200 units, 100 indicators, 50 000 evidence items, 20 000
//! problems, three rounds with a team of ten experts each scoring every indicator (collected
//! from their scoring sheets) and 500 reviewed case files per round. Times every query the
//! 模拟评估 page makes, each against a reference timed in the same run (reading every row of
//! `eval_mark` through a second connection), and prints the slowest. Nothing is asserted about
//! time. Run: `cargo bench -p shifan-tests --bench evaluation`.

use std::time::Instant;

use shifan_core::Job;
use shifan_core::evaluation::{CaseInput, EvalRoundInput, ExpertInput, Points, ScoreSheetsImport};

fn main() {
    let (d, mut ws) = shifan_tests::fresh();
    let q = Job::quiet();
    let c = shifan_core::demo::create(&mut ws).expect("demo");
    // Top up to 200 units, each leading or supporting something: a 任务分解表 naming new units,
    // imported with create_units.
    shifan_tests::bench::top_up_units(&mut ws, d.path(), 200);
    shifan_core::evidence::bench::seed_items(&mut ws, 50_000).expect("evidence");
    shifan_tests::bench::import_problems(&mut ws, d.path(), 20_000);
    let units = ws.list_units().expect("units");
    let leaves = ws.indicator_leaves(None, None).expect("leaves");
    let max: std::collections::HashMap<i64, f64> = ws
        .scoring_model()
        .expect("model")
        .indicators
        .iter()
        .map(|i| (i.no, i.points.map_or(0.0, Points::to_f64)))
        .collect();
    // Ten more experts.
    let mut experts = Vec::new();
    for i in 0..10 {
        experts.push(
            ws.save_expert(&ExpertInput {
                id: None,
                name: format!("基准专家{}", i + 1),
                org: "基准测试大学法学院".into(),
                field: "行政法学".into(),
                phone: String::new(),
                note: String::new(),
            })
            .expect("expert"),
        );
    }
    let t = Instant::now();
    for k in 0..3 {
        let round = ws
            .save_eval_round(&EvalRoundInput::named(&format!("基准评估{}", k + 1)))
            .expect("round");
        for e in &experts {
            ws.assign_expert_nos(round.id, e.id, "全部")
                .expect("assign");
        }
        // Each expert's sheet as returned: 指标序号 | 评估组评分 | 扣分理由, stamped.
        let dir = d.path().join(format!("交回{k}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for (j, e) in experts.iter().enumerate() {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let sh = wb.add_worksheet();
            sh.set_name("评分表").expect("name");
            for (col, h) in ["指标序号", "评估组评分", "扣分理由"].iter().enumerate() {
                sh.write_string(0, col as u16, *h).expect("w");
            }
            for (r, l) in leaves.iter().enumerate() {
                let lost = ((l.no as usize * 7 + j * 3 + k) % 5) as f64 * 0.5;
                sh.write_number(r as u32 + 1, 0, l.no as f64).expect("w");
                let m = max.get(&l.no).copied().unwrap_or(0.0);
                sh.write_number(r as u32 + 1, 1, (m - lost).max(0.0))
                    .expect("w");
                if lost > 0.0 {
                    sh.write_string(r as u32 + 1, 2, "材料不完整").expect("w");
                }
            }
            let stamp = shifan_core::evaluation::sheets::stamp(c.id, round.id, e.id, 1);
            let st = wb.add_worksheet();
            st.set_name("_shifan_stamp").expect("name");
            st.write_string(0, 0, "SHIFAN-EVAL-STAMP").expect("w");
            st.write_string(0, 1, &stamp).expect("w");
            wb.save(dir.join(format!("{}.xlsx", e.name))).expect("save");
        }
        let p = ws
            .apply(&ScoreSheetsImport::new(&dir), &q)
            .expect("collect");
        assert!(
            p.can_apply && p.change_count >= 1000,
            "{:?}",
            p.issues.first()
        );
        for n in 0..500 {
            let u = &units[n % units.len()];
            ws.save_case_file(&CaseInput {
                id: None,
                round_id: round.id,
                unit_id: Some(u.id),
                case_no: format!("基准罚决字〔2025〕{n}号"),
                case_type: "行政处罚".into(),
                score: Points::whole(60 + (n % 40) as i64),
                full: None,
                problems: String::new(),
                indicator_id: Some(leaves[n % leaves.len()].id),
                reviewer: String::new(),
            })
            .expect("case");
        }
    }
    let rounds = ws.eval_rounds().expect("rounds");
    let marks: i64 = rounds.iter().map(|r| r.mark_count).sum();
    println!(
        "数据：{} 个单位，{} 项指标，{} 轮评估，{} 位专家，{} 条评分，每轮最多 500 份评查案卷（生成用时 {:.1?}）",
        units.len(),
        leaves.len(),
        rounds.len(),
        ws.eval_experts().expect("experts").len(),
        marks,
        t.elapsed()
    );
    // The reference: every row and column of eval_mark read through a second connection.
    let db = rusqlite::Connection::open_with_flags(
        ws.data_dir().join("shifan.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("db");
    let count = |t: &str| -> i64 {
        db.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    };
    println!(
        "另有佐证材料 {} 份、问题 {} 个",
        count("evidence"),
        count("problem")
    );
    let (reference, rows) = shifan_tests::bench::best_of(3, || {
        let mut st = db.prepare("SELECT * FROM eval_mark").expect("prepare");
        let n = st.column_count();
        let mut rows = st.query([]).expect("query");
        let mut count = 0usize;
        while let Some(r) = rows.next().expect("row") {
            for i in 0..n {
                let _ = r.get_ref(i).expect("cell");
            }
            count += 1;
        }
        count
    });
    let reference = reference.as_secs_f64() * 1000.0;
    println!("参照：逐行读取 eval_mark 全部 {rows} 行 {reference:.1} ms");
    let last = rounds.last().expect("round").id;
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let mut time = |what: &'static str, f: &mut dyn FnMut()| {
        // Best of three: the first run warms SQLite's page cache.
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            f();
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        }
        timings.push((what, best));
    };
    time("eval_rounds", &mut || {
        ws.eval_rounds().expect("q");
    });
    time("eval_experts", &mut || {
        ws.eval_experts().expect("q");
    });
    time("eval_assignments", &mut || {
        ws.eval_assignments(last).expect("q");
    });
    time("scoring_model", &mut || {
        ws.scoring_model().expect("q");
    });
    time("eval_grid", &mut || {
        ws.eval_grid(last).expect("q");
    });
    time("eval_results", &mut || {
        ws.eval_results(last).expect("q");
    });
    time("eval_trend", &mut || {
        ws.eval_trend().expect("q");
    });
    time("case_files", &mut || {
        ws.case_files(last).expect("q");
    });
    time("deductions_for_problems", &mut || {
        ws.deductions_for_problems(last).expect("q");
    });
    for (what, ms) in &timings {
        println!(
            "{what:<26}{ms:>8.1} ms  {:>6.2} × 参照",
            ms / reference.max(1e-6)
        );
    }
    let (what, ms) = timings
        .iter()
        .copied()
        .fold(("", 0.0), |a, b| if b.1 > a.1 { b } else { a });
    println!(
        "最慢的查询：{what}，{ms:.1} ms（参照的 {:.2} 倍）",
        ms / reference.max(1e-6)
    );
}
