//! The 问题清单 at scale, against references timed in the same run:
//!
//! - importing a 20 000-row 问题清单 (parsed, resolved, stored — `Workspace::apply`, backup and
//!   操作日志 included) against calamine merely reading the same file (every cell's value);
//! - exporting it as the formatted 反馈意见整改表 against rust_xlsxwriter merely writing the
//!   same cells (no formats);
//! - both against openpyxl doing the same read or write (`python3 -c`, skipped with a note when
//!   python3 or openpyxl is missing);
//! - 212 problems over 69 units: the per-unit 问题整改表 out, collected back, and the 反馈函.
//!
//! Run: `cargo bench -p shifan-tests --bench problems`. Prints the times and the ratios (the
//! targets: import ≤ 1.5 × calamine, export ≤ 1.3 × rust_xlsxwriter, openpyxl ≥ 8 × ours).

use shifan_tests::bench::{
    PROBLEM_DEADLINES as DEADLINES, PROBLEM_DESCRIPTIONS as DESCRIPTIONS,
    PROBLEM_REQUIREMENTS as REQUIREMENTS, best_of, problem_rows, write_plain, write_plain_at,
};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use shifan_core::problems::import::ProblemsImportOptions;
use shifan_core::{Job, ProblemsCollect, ProblemsImport};

const ROWS: usize = 20_000;

/// calamine merely reading every cell of the file.
fn read_plain(path: &Path) -> usize {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).expect("open");
    let names = wb.sheet_names().to_vec();
    let mut n = 0;
    for name in names {
        let range = wb.worksheet_range(&name).expect("range");
        for row in range.rows() {
            for c in row {
                n += c.to_string().len();
            }
        }
    }
    n
}

fn python(script: &str, arg: &Path) -> Option<f64> {
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(arg)
        .output()
        .ok()?;
    if !o.status.success() {
        return None;
    }
    String::from_utf8_lossy(&o.stdout).trim().parse().ok()
}

fn main() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (_d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let units: Vec<String> = ws
        .list_units()
        .expect("units")
        .into_iter()
        .map(|u| u.name)
        .collect();
    let rows = problem_rows(&units, ROWS);
    let list = tmp.path().join("问题清单-20000行.xlsx");
    write_plain(&rows, &list);

    // Import: calamine reading the file vs. the whole import (fresh data folder each time).
    let (read, _) = best_of(3, || read_plain(&list));
    let mut import_best = Duration::MAX;
    let mut round = 0;
    for i in 0..3 {
        let (d, mut w) = shifan_tests::fresh();
        shifan_core::demo::create(&mut w).expect("demo");
        let t = Instant::now();
        let p = w
            .apply(
                &ProblemsImport::new(&list, ProblemsImportOptions::default()),
                &Job::quiet(),
            )
            .expect("import");
        import_best = import_best.min(t.elapsed());
        assert_eq!(p.problem_count as usize, ROWS);
        if i == 2 {
            round = p.round.id.expect("round");
            ws = w;
            std::mem::forget(d); // keep the folder of the workspace used below
        }
    }
    println!(
        "导入 {ROWS} 行问题清单：{import_best:.2?}；calamine 仅读取同一文件：{read:.2?}；比值 {:.2}（目标 ≤ 1.5）",
        import_best.as_secs_f64() / read.as_secs_f64()
    );

    // Export: the formatted 反馈意见整改表 vs. rust_xlsxwriter writing the same cells.
    let out = tmp.path().join("反馈意见整改表.xlsx");
    let (export, _) = best_of(3, || ws.export_problems(round, &out).expect("export"));
    let exported = {
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(&out).expect("open");
        let r = wb.worksheet_range("反馈意见整改表").expect("range");
        r.rows()
            .map(|row| row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let plain = tmp.path().join("同样的单元格.xlsx");
    let (write, _) = best_of(3, || write_plain(&exported, &plain));
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    println!(
        "导出反馈意见整改表（{} 行，格式、合并、下拉、打印设置，{:.2} MB）：{export:.2?}；rust_xlsxwriter 仅写入同样的单元格（默认压缩级别 6，{:.2} MB）：{write:.2?}；比值 {:.2}（目标 ≤ 1.3）",
        exported.len(),
        size(&out),
        size(&plain),
        export.as_secs_f64() / write.as_secs_f64()
    );
    // The same reference at the deflate level the app writes with: what the formatting and
    // the loading cost on their own.
    let level = shifan_core::sheet::write::ZIP_LEVEL;
    let (write_same, _) = best_of(3, || write_plain_at(&exported, &plain, Some(level)));
    println!(
        "　同一参照、与本程序相同的压缩级别 {level}（{:.2} MB）：{write_same:.2?}；比值 {:.2}",
        size(&plain),
        export.as_secs_f64() / write_same.as_secs_f64()
    );

    // The one search over 20 000 problems (a scan of the problem rows, not the FTS index)
    // against finding the same words in the same texts held in memory.
    let (search, hits) = best_of(5, || {
        ws.search("执法 案卷")
            .expect("search")
            .iter()
            .filter(|h| h.kind == "problem")
            .count()
    });
    let (in_memory, _) = best_of(5, || {
        rows.iter()
            .filter(|r| {
                let t = r.join(" ");
                t.contains("执法") && t.contains("案卷")
            })
            .count()
    });
    assert!(hits > 0, "the search finds problems");
    println!(
        "搜索 {ROWS} 个问题（“执法 案卷”）：{search:.2?}；在内存中的同样文字里查找：{in_memory:.2?}；比值 {:.2}",
        search.as_secs_f64() / in_memory.as_secs_f64()
    );

    // openpyxl doing the same read and the same write.
    let read_py = "import sys,time,openpyxl\nt=time.time()\nwb=openpyxl.load_workbook(sys.argv[1])\n[c.value for ws in wb for row in ws.iter_rows() for c in row]\nprint(time.time()-t)";
    let write_py = "import sys,time,openpyxl\nsrc=openpyxl.load_workbook(sys.argv[1])\nrows=[[c.value for c in row] for row in src.active.iter_rows()]\nt=time.time()\nwb=openpyxl.Workbook()\nws=wb.active\nfor r in rows: ws.append(r)\nwb.save(sys.argv[1]+'.openpyxl.xlsx')\nprint(time.time()-t)";
    match (python(read_py, &list), python(write_py, &out)) {
        (Some(r), Some(w)) => println!(
            "openpyxl 读取同一文件：{r:.2}s（为本程序导入的 {:.1} 倍，目标 ≥ 8）；openpyxl 写入同样的单元格：{w:.2}s（为本程序导出的 {:.1} 倍，目标 ≥ 8）",
            r / import_best.as_secs_f64(),
            w / export.as_secs_f64()
        ),
        _ => println!("未安装 python3 或 openpyxl：跳过与 openpyxl 的比较。"),
    }

    // 212 problems over 69 units: sheets out and back, letters.
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    let units: Vec<String> = ws
        .list_units()
        .expect("u")
        .into_iter()
        .take(69)
        .map(|u| u.name)
        .collect();
    let mut small = vec![rows[0].clone(), rows[1].clone(), rows[2].clone()];
    for i in 0..212 {
        let who = if i < 8 {
            (0..18)
                .map(|k| units[(i * 5 + k) % 69].clone())
                .collect::<Vec<_>>()
                .join("、")
        } else {
            units[i % 69].clone()
        };
        small.push(vec![
            (i + 1).to_string(),
            if i < 8 { "共性" } else { "个性" }.into(),
            format!("{}（第{}处）", DESCRIPTIONS[i % DESCRIPTIONS.len()], i + 1),
            format!("第{}项", i % 100 + 1),
            who,
            REQUIREMENTS[i % REQUIREMENTS.len()].into(),
            DEADLINES[i % DEADLINES.len()].into(),
            String::new(),
        ]);
    }
    let f = d.path().join("212.xlsx");
    write_plain(&small, &f);
    let p = ws
        .apply(
            &ProblemsImport::new(&f, ProblemsImportOptions::default()),
            &Job::quiet(),
        )
        .expect("import");
    let round = p.round.id.expect("round");
    let t = Instant::now();
    let sheets = ws
        .export_problem_sheets(round, &d.path().join("各单位.zip"), &Job::quiet())
        .expect("sheets");
    let out_t = t.elapsed();
    let t = Instant::now();
    let back = ws
        .apply(
            &ProblemsCollect::new(d.path().join("各单位.zip")),
            &Job::quiet(),
        )
        .expect("collect");
    let back_t = t.elapsed();
    let t = Instant::now();
    let letters = ws
        .export_letters(round, &d.path().join("反馈函.zip"), &Job::quiet())
        .expect("letters");
    println!(
        "{} 个问题、{} 个单位：各单位问题整改表 {out_t:.2?}，收回 {back_t:.2?}（{} 个单位），反馈函 {:.2?}（{} 份）",
        p.problem_count,
        sheets.unit_count,
        back.sheets.len(),
        t.elapsed(),
        letters.letters.len()
    );
}
