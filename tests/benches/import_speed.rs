//! How long the one-file imports take to plan (read + check, what the preview does): the biggest
//! indicator fixtures, a generated 100 000-row indicator sheet, a generated 20 000-row Word
//! table, and the units / tasks fixtures (they share the header search of `sheet/layout.rs`).
//! Run: `cargo bench -p shifan-tests --bench import_speed`. Prints the median of several runs;
//! compare the numbers before and after a change to the readers.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use shifan_core::{IndicatorImport, Job};
use shifan_tests::{fixture, with_demo_campaign, with_tasks};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm the page cache and the allocator
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn big_sheet(path: &Path, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sh = wb.add_worksheet();
    sh.set_name("指标体系").expect("name");
    for (c, h) in [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "评估方式",
    ]
    .iter()
    .enumerate()
    {
        sh.write_string(0, c as u16, *h).expect("w");
    }
    for i in 1..rows {
        let a = (i - 1) / 1000 + 1;
        let b = (i - 1) / 50 + 1;
        sh.write_number(i, 0, f64::from(i)).expect("w");
        sh.write_string(i, 1, format!("{}、第{a}方面", cn(a)))
            .expect("w");
        sh.write_string(i, 2, format!("（{}）第{b}项分类", cn(b % 10 + 1)))
            .expect("w");
        sh.write_string(
            i,
            3,
            format!("第{i}项指标：依法履行职责，相关制度健全并公开，执行情况有记录可查。"),
        )
        .expect("w");
        sh.write_number(i, 4, 1.0).expect("w");
        sh.write_string(i, 5, "材料查证").expect("w");
    }
    wb.save(path).expect("save");
}

fn cn(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        D[n as usize].to_string()
    } else {
        format!("第{n}")
    }
}

/// A .docx whose body is one table of `rows` indicator rows (plain WordprocessingML).
fn big_docx(path: &Path, rows: u32) {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>基准指标体系</w:t></w:r></w:p><w:tbl>",
    );
    body.push_str("<w:tr>");
    for h in ["序号", "一级指标", "二级指标", "三级指标", "分值"] {
        body.push_str(&cell(h));
    }
    body.push_str("</w:tr>");
    for i in 1..=rows {
        let a = (i - 1) / 1000 + 1;
        let b = (i - 1) / 50 + 1;
        body.push_str("<w:tr>");
        body.push_str(&cell(&i.to_string()));
        body.push_str(&cell(&format!("{}、第{a}方面", cn(a))));
        body.push_str(&cell(&format!("（{}）第{b}项分类", cn(b % 10 + 1))));
        body.push_str(&cell(&format!(
            "第{i}项指标：依法履行职责，相关制度健全并公开，执行情况有记录可查。"
        )));
        body.push_str(&cell("1"));
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl></w:body></w:document>");
    let f = std::fs::File::create(path).expect("create");
    let mut z = zip::ZipWriter::new(f);
    let opt = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", opt).expect("z");
    z.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>").expect("z");
    z.start_file("word/document.xml", opt).expect("z");
    z.write_all(body.as_bytes()).expect("z");
    z.finish().expect("zip");
}

fn main() {
    let (d, ws) = with_demo_campaign();
    println!("指标体系导入（读取+检查，预览），中位数：");
    for f in [
        "official-table.docx",
        "official-table-gridspan.docx",
        "libreoffice-made.xls",
        "libreoffice-made.ods",
        "extra-columns-reordered.xlsx",
        "official-merged-title-rows.xlsx",
        "two-row-header-wps.xlsx",
        "national-104.xlsx",
    ] {
        let path = fixture(&format!("indicators/{f}"));
        let imp = IndicatorImport::new(&path, false);
        let t = time(40, || {
            ws.preview(&imp, &Job::quiet()).expect("preview");
        });
        let read = time(40, || {
            shifan_core::sheet::read_tables(&path).expect("read");
        });
        println!("  {f:<34} {t:>10.2?}（其中读取 {read:.2?}）");
    }
    let big = d.path().join("big-100000.xlsx");
    big_sheet(&big, 100_000);
    let imp = IndicatorImport::new(&big, false);
    let mut leaves = 0;
    let t = time(5, || {
        leaves = ws.preview(&imp, &Job::quiet()).expect("preview").leaf_count;
    });
    println!("  生成的 100000 行工作表（{leaves} 项）     {t:>10.2?}");
    let big = d.path().join("big-20000.docx");
    big_docx(&big, 20_000);
    let imp = IndicatorImport::new(&big, false);
    let t = time(5, || {
        leaves = ws.preview(&imp, &Job::quiet()).expect("preview").leaf_count;
    });
    println!("  生成的 20000 行 Word 表格（{leaves} 项）   {t:>10.2?}");

    let (_d2, ws) = with_tasks();
    let units = shifan_core::UnitsImport::new(fixture("tasks/units.xlsx"));
    let t = time(40, || {
        ws.preview(&units, &Job::quiet()).expect("units");
    });
    println!("单位名单导入 tasks/units.xlsx               {t:>10.2?}");
    for f in ["tasks-libreoffice.xlsx", "tasks-two-row-header-wps.xlsx"] {
        let tasks = shifan_core::TasksImport::new(
            fixture(&format!("tasks/{f}")),
            shifan_core::tasks::import::TasksImportOptions::default(),
        );
        let t = time(40, || {
            ws.preview(&tasks, &Job::quiet()).expect("tasks");
        });
        println!("任务分解表导入 {f:<30} {t:>10.2?}");
    }
}
