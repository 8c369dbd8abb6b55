//! Time the one-file imports a district runs most: a 1000-unit 单位名单 with a 3000-person
//! roster (into an empty campaign, then again over itself), and a 100-row 任务分解表 over 20
//! units. Run: `cargo bench -p shifan-tests --bench imports` (best of 5 runs each, or of
//! `SHIFAN_BENCH_RUNS`). On Linux
//! the time is the thread's CPU time (/proc/thread-self/schedstat), which a busy shared machine
//! disturbs far less than the wall clock; elsewhere the wall clock.

use std::time::Duration;

use shifan_core::tasks::import::TasksImportOptions;
use shifan_core::{Job, TasksImport, UnitsImport};

/// Runs per measurement (the best counts); `SHIFAN_BENCH_RUNS` overrides.
fn runs() -> usize {
    std::env::var("SHIFAN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// A clock: the calling thread's CPU time where the OS tells it, else the wall clock.
struct Instant(Result<u64, std::time::Instant>);

fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

impl Instant {
    fn now() -> Instant {
        Instant(cpu_ns().ok_or_else(std::time::Instant::now))
    }
    fn elapsed(&self) -> Duration {
        match (&self.0, cpu_ns()) {
            (Ok(start), Some(now)) => Duration::from_nanos(now.saturating_sub(*start)),
            (Err(start), _) => start.elapsed(),
            (Ok(_), None) => Duration::ZERO,
        }
    }
}

fn best(mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs()).map(|_| f()).min().unwrap_or_default()
}

fn unit_list(path: &std::path::Path, units: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let kinds = ["行政执法单位", "非行政执法单位", "乡镇街道", "其他"];
    {
        let sh = wb.add_worksheet();
        sh.set_name("单位名单").expect("name");
        for (c, h) in ["序号", "单位名称", "单位类别", "联系人", "联系电话"]
            .iter()
            .enumerate()
        {
            sh.write_string(0, c as u16, *h).expect("w");
        }
        for i in 0..units {
            let r = i + 1;
            sh.write_number(r, 0, f64::from(r)).expect("w");
            sh.write_string(r, 1, format!("基准测试单位{r}号"))
                .expect("w");
            sh.write_string(r, 2, kinds[(i % 4) as usize]).expect("w");
            sh.write_string(r, 3, format!("联系人{r}")).expect("w");
            sh.write_string(r, 4, format!("1350000{r:04}")).expect("w");
        }
    }
    {
        let sh = wb.add_worksheet();
        sh.set_name("明白人名单").expect("name");
        for (c, h) in ["序号", "单位", "角色", "姓名", "职务", "手机"]
            .iter()
            .enumerate()
        {
            sh.write_string(0, c as u16, *h).expect("w");
        }
        for i in 0..units * 3 {
            let r = i + 1;
            let u = i / 3 + 1;
            sh.write_number(r, 0, f64::from(r)).expect("w");
            sh.write_string(r, 1, format!("基准测试单位{u}号"))
                .expect("w");
            sh.write_string(r, 2, "明白人").expect("w");
            sh.write_string(r, 3, format!("人员{r}")).expect("w");
            sh.write_string(r, 4, "科员").expect("w");
            sh.write_string(r, 5, format!("1390000{r:04}")).expect("w");
        }
    }
    wb.save(path).expect("save");
}

fn main() {
    let tmp = tempfile::tempdir().expect("tmp");
    let list = tmp.path().join("单位名单1000.xlsx");
    unit_list(&list, 1000);

    let fresh = best(|| {
        let (_d, mut ws) = shifan_tests::with_demo_campaign();
        let t = Instant::now();
        ws.apply(&UnitsImport::new(&list), &Job::quiet())
            .expect("units import");
        t.elapsed()
    });
    let (_d, mut ws) = shifan_tests::with_demo_campaign();
    ws.apply(&UnitsImport::new(&list), &Job::quiet())
        .expect("units import");
    let again = best(|| {
        let t = Instant::now();
        let p = ws
            .preview(&UnitsImport::new(&list), &Job::quiet())
            .expect("preview");
        assert_eq!(p.unchanged, 1000);
        t.elapsed()
    });
    println!(
        "单位名单 1000 个单位、3000 名明白人：导入 {fresh:.2?}，再次预览（全部未变） {again:.2?}"
    );

    let tasks = shifan_tests::fixture("tasks/tasks-libreoffice.xlsx");
    let (_d, mut ws) = shifan_tests::with_demo_campaign();
    ws.apply(
        &UnitsImport::new(shifan_tests::fixture("tasks/units.xlsx")),
        &Job::quiet(),
    )
    .expect("units");
    // One preview takes a few milliseconds, below the CPU clock's tick: time 20 at once.
    let preview = best(|| {
        let t = Instant::now();
        for _ in 0..20 {
            ws.preview(
                &TasksImport::new(&tasks, TasksImportOptions::default()),
                &Job::quiet(),
            )
            .expect("tasks preview");
        }
        t.elapsed() / 20
    });
    println!("任务分解表 100 行（20 个单位）：预览 {preview:.2?}");
}
