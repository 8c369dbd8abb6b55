//! Export and collect back 86 per-unit work sheets; compare with openpyxl reading the same
//! files when python3 + openpyxl are available. Run: `cargo bench -p shifan-tests`.

use std::process::Command;
use std::time::Instant;

use shifan_core::tasks::AssignmentFilter;

fn main() {
    let (d, mut ws) = shifan_tests::fresh();
    shifan_core::demo::create(&mut ws).expect("demo");
    // Top up to 86 units with tasks: a small 任务分解表 naming new units, imported with
    // create_units.
    let have = ws
        .list_units()
        .expect("u")
        .iter()
        .filter(|u| u.lead_count + u.support_count > 0)
        .count();
    let extra = 86usize.saturating_sub(have);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sh = wb.add_worksheet();
    for (c, h) in ["三级指标序号", "牵头单位", "责任单位"].iter().enumerate() {
        sh.write_string(0, c as u16, *h).expect("w");
    }
    for i in 0..extra {
        let r = i as u32 + 1;
        sh.write_number(r, 0, (i + 1) as f64).expect("w");
        sh.write_string(r, 1, "区司法局").expect("w");
        sh.write_string(r, 2, format!("基准测试单位{}", i + 1))
            .expect("w");
    }
    let f = d.path().join("extra.xlsx");
    wb.save(&f).expect("save");
    ws.apply(
        &shifan_core::TasksImport::new(
            &f,
            shifan_core::tasks::import::TasksImportOptions {
                strict: false,
                create_units: true,
                ..Default::default()
            },
        ),
        &shifan_core::Job::quiet(),
    )
    .expect("extra units");
    let assigned = ws
        .list_assignments(&AssignmentFilter::default())
        .expect("a")
        .len();
    let dir = d.path().join("sheets");
    let t = Instant::now();
    let r = ws
        .export_unit_sheets(&dir, &shifan_core::Job::quiet())
        .expect("export");
    let export = t.elapsed();
    let t = Instant::now();
    let p = ws
        .preview(
            &shifan_core::CollectImport::new(&dir),
            &shifan_core::Job::quiet(),
        )
        .expect("collect");
    let collect = t.elapsed();
    println!(
        "{} 个单位工作表（{} 项指标）：导出 {:.2?}，收回预览 {:.2?}（{} 个单位）",
        r.unit_count,
        assigned,
        export,
        collect,
        p.sheets.len()
    );
    let script = "import sys,glob,time,openpyxl\nt=time.time()\nfor f in glob.glob(sys.argv[1]+'/*.xlsx'):\n    wb=openpyxl.load_workbook(f)\n    [c.value for ws in wb for row in ws.iter_rows() for c in row]\nprint(time.time()-t)";
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&dir)
        .output()
    {
        Ok(o) if o.status.success() => {
            let secs: f64 = String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse()
                .unwrap_or(f64::NAN);
            println!(
                "openpyxl 读取同样的文件：{:.2}s；比值 openpyxl / shifan 收回 = {:.1}",
                secs,
                secs / collect.as_secs_f64()
            );
        }
        _ => println!("openpyxl unavailable"),
    }
}
