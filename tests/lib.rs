//! Helpers shared by the integration tests: fixture paths, fresh data folders, DB fingerprints.

use std::path::{Path, PathBuf};

use shifan_core::Workspace;

/// Absolute path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A workspace in a fresh temporary data folder (kept alive by the returned guard).
pub fn fresh() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::open(&dir.path().join("数据 文件夹")).expect("opens");
    (dir, ws)
}

/// A workspace with one campaign on the demo system.
pub fn with_demo_campaign() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = fresh();
    ws.create_campaign(&shifan_core::model::NewCampaign {
        district: "曾都区".into(),
        name: None,
        level: None,
        system_key: Some("demo".into()),
        system_file: None,
    })
    .expect("campaign");
    (d, ws)
}

/// A demo campaign with the 20 units of `tasks/units.xlsx` and the 100 assignments of
/// `tasks/tasks-libreoffice.xlsx`.
pub fn with_tasks() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("units import");
    ws.apply(
        &shifan_core::TasksImport::new(
            fixture("tasks/tasks-libreoffice.xlsx"),
            shifan_core::tasks::import::TasksImportOptions::default(),
        ),
        &shifan_core::Job::quiet(),
    )
    .expect("tasks import");
    (d, ws)
}

/// The state the per-unit sheets under `tasks/collect*` and `hostile/collect` were exported
/// from (see fixtures/make/): [`with_tasks`] plus one export of every unit's sheet (revision 1)
/// into `<tmp>/sent`.
pub fn exported() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_tasks();
    ws.export_unit_sheets(&d.path().join("sent"), &shifan_core::Job::quiet())
        .expect("export");
    (d, ws)
}

/// Everything stored, as text: two equal fingerprints mean nothing changed. Every table of the
/// schema is included (read from the database itself), so a new table cannot escape.
pub fn fingerprint(ws: &Workspace) -> String {
    let mut out = String::new();
    for (table, rows) in ws.dump_tables().expect("dump") {
        out.push_str(&format!("[{table}]\n"));
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }
    out
}

/// An English word a user would see in `msg`, if any: a run of 3+ ASCII letters outside the
/// quoted names (“…”) and the technical details in full-width brackets (（…）), other than the
/// product and format names Chinese offices use as they are (Excel, WPS, CSV, xlsx …).
pub fn english_in(msg: &str) -> Option<String> {
    const KNOWN: &[&str] = &[
        "Excel", "WPS", "Word", "CSV", "TXT", "PDF", "xlsx", "xlsm", "xls", "ods", "docx", "doc",
        "zip", "shifan", "SQLite", "RAR",
    ];
    let (mut quoted, mut bracket) = (0i32, 0i32);
    let mut word = String::new();
    let check = |w: &mut String| -> Option<String> {
        let found =
            (w.len() >= 3 && !KNOWN.iter().any(|k| k.eq_ignore_ascii_case(w))).then(|| w.clone());
        w.clear();
        found
    };
    for c in msg.chars() {
        match c {
            '“' => quoted += 1,
            '”' => quoted -= 1,
            '（' => bracket += 1,
            '）' => bracket -= 1,
            _ => {}
        }
        if c.is_ascii_alphabetic() && quoted <= 0 && bracket <= 0 {
            word.push(c);
        } else if let Some(w) = check(&mut word) {
            return Some(w);
        }
    }
    check(&mut word)
}

/// Read the manifest describing the indicator fixtures.
pub fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixture("indicators/manifest.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest json")
}

/// Copy a fixture into `dir` under a new name (e.g. a Chinese name with spaces).
pub fn copy_as(src: &Path, dir: &Path, name: &str) -> PathBuf {
    let dst = dir.join(name);
    std::fs::copy(src, &dst).expect("copy");
    dst
}

/// The text of one part of an .xlsx (a zip), e.g. "xl/worksheets/sheet1.xml".
pub fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let f = std::fs::File::open(path).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut s = String::new();
    z.by_name(part)
        .expect("part")
        .read_to_string(&mut s)
        .expect("read");
    s
}

/// A demo campaign with the 20 units of `tasks/units.xlsx` and the 11 problems of
/// `problems/problems-openpyxl.xlsx` imported into a new round (round 1).
pub fn with_problems() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_demo_campaign();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &shifan_core::Job::quiet(),
    )
    .expect("units import");
    ws.apply(
        &shifan_core::ProblemsImport::new(
            fixture("problems/problems-openpyxl.xlsx"),
            shifan_core::problems::import::ProblemsImportOptions::default(),
        ),
        &shifan_core::Job::quiet(),
    )
    .expect("problems import");
    (d, ws)
}

/// The state the per-unit 问题整改表 under `problems/collect` were exported from (see
/// fixtures/make/make_problem_fixtures.py): [`with_problems`] plus one export of every unit's
/// sheet of round 1 (revision 1) into `<tmp>/sent`.
pub fn problems_exported() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = with_problems();
    ws.export_problem_sheets(1, &d.path().join("sent"), &shifan_core::Job::quiet())
        .expect("export");
    (d, ws)
}

/// The round of the scoring-sheet fixtures (tests/fixtures/eval, hostile/eval).
pub const EVAL_ROUND: &str = "模拟评估一";

/// The expert team of the fixtures: (name, org, field, indicators scored).
pub const EVAL_EXPERTS: [(&str, &str, &str, &str); 3] = [
    ("张卫东", "湖北大学法学院", "行政法学 教授", "1-40"),
    ("李敏", "楚天律师事务所", "行政诉讼 律师", "35-75"),
    ("王建国", "市委党校法学教研部", "法治政府 副教授", "70-100"),
];

/// The state the scoring-sheet fixtures were exported from (fixtures/make/make_eval_fixtures.py):
/// a campaign on the 1000-point provincial system `eval/provincial-1000.xlsx`, the 20 units and
/// 100 assignments of `tasks/`, round 模拟评估一 with three experts scoring 1–40, 35–75, 70–100.
pub fn eval_setup() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = fresh();
    ws.create_campaign(&shifan_core::model::NewCampaign {
        district: "曾都区".into(),
        name: None,
        level: Some("省级".into()),
        system_key: None,
        system_file: Some(fixture("eval/provincial-1000.xlsx").display().to_string()),
    })
    .expect("campaign on the provincial system");
    let q = shifan_core::Job::quiet();
    ws.apply(
        &shifan_core::UnitsImport::new(fixture("tasks/units.xlsx")),
        &q,
    )
    .expect("units");
    ws.apply(
        &shifan_core::TasksImport::new(
            fixture("tasks/tasks-libreoffice.xlsx"),
            shifan_core::tasks::import::TasksImportOptions::default(),
        ),
        &q,
    )
    .expect("tasks");
    let round = ws
        .save_eval_round(&shifan_core::evaluation::EvalRoundInput::named(EVAL_ROUND))
        .expect("round");
    for (name, org, field, _) in EVAL_EXPERTS {
        ws.save_expert(&shifan_core::evaluation::ExpertInput {
            id: None,
            name: name.into(),
            org: org.into(),
            field: field.into(),
            phone: String::new(),
            note: String::new(),
        })
        .expect("expert");
    }
    for (name, _, _, nos) in EVAL_EXPERTS {
        let e = ws.eval_expert_by_key(name).expect("expert");
        ws.assign_expert_nos(round.id, e.id, nos).expect("assign");
    }
    (d, ws)
}

/// [`eval_setup`] plus one export of the experts' scoring sheets (revision 1) into
/// `<tmp>/sent`: the state `eval/collect` and `hostile/eval` were made from.
pub fn eval_exported() -> (tempfile::TempDir, Workspace) {
    let (d, mut ws) = eval_setup();
    let round = ws.eval_round_by_key(EVAL_ROUND).expect("round");
    ws.export_score_sheets(round.id, &d.path().join("sent"), &shifan_core::Job::quiet())
        .expect("export");
    (d, ws)
}

/// Helpers the benchmarks share (`cargo bench -p shifan-tests`): best-of timing and the
/// large campaign's extra units.
pub mod bench {
    use std::path::Path;
    use std::time::{Duration, Instant};

    use shifan_core::{Job, Workspace};

    /// The fastest of `times` runs of `f`, with the last run's result.
    pub fn best_of<T>(times: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
        let mut best = Duration::MAX;
        let mut out = None;
        for _ in 0..times.max(1) {
            let t = Instant::now();
            let v = f();
            best = best.min(t.elapsed());
            out = Some(v);
        }
        (best, out.expect("ran at least once"))
    }

    /// Milliseconds, for printing.
    pub fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    /// Tops the units of the campaign up to `units` through a 任务分解表 (written in `dir`)
    /// naming new 责任单位 "基准测试单位N" over the 100 indicators, imported with
    /// `create_units`, as an office's first 任务分解 would bring them.
    pub fn top_up_units(ws: &mut Workspace, dir: &Path, units: usize) {
        let have = ws.list_units().expect("units").len();
        let extra = units.saturating_sub(have);
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sh = wb.add_worksheet();
        for (col, h) in ["三级指标序号", "牵头单位", "责任单位"].iter().enumerate() {
            sh.write_string(0, col as u16, *h).expect("w");
        }
        for i in 0..100u32 {
            let names: Vec<String> = (0..extra)
                .filter(|k| k % 100 == i as usize)
                .map(|k| format!("基准测试单位{}", k + 1))
                .collect();
            sh.write_number(i + 1, 0, (i + 1) as f64).expect("w");
            sh.write_string(i + 1, 1, "区司法局").expect("w");
            sh.write_string(i + 1, 2, names.join("、")).expect("w");
        }
        let f = dir.join("extra-units.xlsx");
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
            &Job::quiet(),
        )
        .expect("extra units");
    }

    pub const PROBLEM_DESCRIPTIONS: &[&str] = &[
        "部分行政规范性文件未经合法性审核即印发，审核意见书缺少审核人员签名",
        "行政执法“三项制度”落实不到位，部分执法案卷缺少法制审核意见",
        "政府信息主动公开不全面，部分栏目更新不及时，政策解读未同步发布",
        "行政执法人员资格管理不严，个别执法人员执法证件过期未及时换领",
        "重大行政决策事项目录未公开，公众参与、专家论证等程序记录不完整",
        "行政复议、行政应诉案件台账不完整，败诉案件未开展原因分析",
    ];
    pub const PROBLEM_REQUIREMENTS: &[&str] = &[
        "对未经审核的文件进行补审，建立“一文一审”登记表，做到应审必审",
        "组织开展执法案卷评查，补齐法制审核意见，明确归档时限并落实到人",
        "梳理主动公开事项清单，落实栏目专人维护，政策文件与解读同步发布",
    ];
    pub const PROBLEM_DEADLINES: &[&str] = &[
        "2024年6月30日前",
        "2024年9月底",
        "5月底前",
        "2024.5.15",
        "立行立改",
        "长期坚持",
    ];

    /// One row of cells, as [`write_plain`] takes them.
    pub fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    /// The cells of a 问题清单 of `n` problems over `units` as offices write it: a title, a
    /// 督察时间 line, the header, the rows (every tenth a 共性问题 of three units).
    pub fn problem_rows(units: &[String], n: usize) -> Vec<Vec<String>> {
        let mut rows = vec![
            vec!["2024年法治政府建设示范创建专项督察问题清单".to_string()],
            vec!["督察时间：2024年4月8日至4月19日".to_string()],
            row(&[
                "序号",
                "问题类型",
                "问题描述",
                "所涉指标",
                "整改责任单位",
                "整改要求",
                "完成时限",
                "备注",
            ]),
        ];
        for i in 0..n {
            let common = i % 10 == 0;
            let who = if common {
                (0..3)
                    .map(|k| units[(i + k * 7) % units.len()].clone())
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                units[i % units.len()].clone()
            };
            rows.push(vec![
                (i + 1).to_string(),
                if common {
                    "共性问题"
                } else {
                    "个性问题"
                }
                .to_string(),
                format!(
                    "{}（第{}处）",
                    PROBLEM_DESCRIPTIONS[i % PROBLEM_DESCRIPTIONS.len()],
                    i + 1
                ),
                format!("第{}、{}项", i % 100 + 1, (i + 7) % 100 + 1),
                who,
                PROBLEM_REQUIREMENTS[i % PROBLEM_REQUIREMENTS.len()].to_string(),
                PROBLEM_DEADLINES[i % PROBLEM_DEADLINES.len()].to_string(),
                String::new(),
            ]);
        }
        rows
    }

    /// rust_xlsxwriter writing `rows` as plain strings: the export's reference, and how the
    /// benchmark's list is made.
    pub fn write_plain(rows: &[Vec<String>], path: &Path) {
        write_plain_at(rows, path, None);
    }

    /// [`write_plain`] at deflate `level` (`None`: rust_xlsxwriter's default, 6).
    pub fn write_plain_at(rows: &[Vec<String>], path: &Path, level: Option<u8>) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        if let Some(l) = level {
            wb.set_zip_compression_level(l);
        }
        let sh = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    sh.write_string(r as u32, c as u16, v).expect("write");
                }
            }
        }
        wb.save(path).expect("save");
    }

    /// A 问题清单 of `problems` rows over the campaign's units ([`problem_rows`]), imported.
    pub fn import_problems(ws: &mut Workspace, dir: &Path, problems: usize) {
        let units: Vec<String> = ws
            .list_units()
            .expect("units")
            .into_iter()
            .map(|u| u.name)
            .collect();
        let f = dir.join("问题清单.xlsx");
        write_plain(&problem_rows(&units, problems), &f);
        let p = ws
            .apply(
                &shifan_core::ProblemsImport::new(
                    &f,
                    shifan_core::problems::import::ProblemsImportOptions::default(),
                ),
                &Job::quiet(),
            )
            .expect("problems");
        assert_eq!(p.problem_count as usize, problems);
    }
}

/// A returned workbook as another program would write it again: every sheet of `src` with its
/// cell texts (the stamp sheet included, visible), each cell passed through `edit(sheet, row,
/// col, text)` (None keeps it), plus the `added` cells (sheet, row, col, text).
pub fn rewrite_returned(
    src: &Path,
    dst: &Path,
    edit: impl Fn(&str, usize, usize, &str) -> Option<String>,
    added: &[(&str, u32, u16, &str)],
) {
    let grids = shifan_core::sheet::read_tables(src).expect("reads");
    let mut book = rust_xlsxwriter::Workbook::new();
    for g in &grids {
        let sheet = book.add_worksheet().set_name(&g.name).expect("name");
        for r in 0..g.rows.len() {
            for c in 0..g.width() {
                let t = edit(&g.name, r, c, g.text(r, c)).unwrap_or_else(|| g.text(r, c).into());
                if !t.is_empty() {
                    sheet.write_string(r as u32, c as u16, &t).expect("write");
                }
            }
        }
        for (_, r, c, t) in added.iter().filter(|a| a.0 == g.name) {
            sheet.write_string(*r, *c, *t).expect("write");
        }
    }
    book.save(dst).expect("save");
}
