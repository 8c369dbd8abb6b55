//! Tidy tests: the invariants ARCHITECTURE.md states, checked on the source tree and on every
//! export, so that breaking one fails `cargo test` (in the spirit of rust-analyzer's tidy tests).

use std::path::{Path, PathBuf};

use shifan_core::Job;
use shifan_core::units::UnitInput;
use shifan_tests::{fixture, with_demo_campaign};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}

/// Every .rs file under `dir`, as (path relative to the repo, text).
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(repo())
                    .expect("inside repo")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its `#[cfg(test)]` module at the end (unit tests may do more).
fn non_test_code(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

#[test]
fn calamine_and_rust_xlsxwriter_are_called_only_from_sheet() {
    let core = repo().join("src-tauri/core/src");
    let mut offenders = Vec::new();
    for (path, text) in rust_files(&core) {
        if path.starts_with("src-tauri/core/src/sheet/") {
            continue;
        }
        for needle in ["calamine", "rust_xlsxwriter"] {
            for (i, line) in non_test_code(&text).lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains(needle) {
                    offenders.push(format!("{path}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    // The CLI and the shell do not read or write workbooks themselves either.
    for dir in ["src-tauri/cli/src", "src-tauri/src"] {
        for (path, text) in rust_files(&repo().join(dir)) {
            if text.contains("calamine") || text.contains("rust_xlsxwriter") {
                offenders.push(path);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "spreadsheet libraries outside sheet/ (size guards, panic guard and formula guard would be bypassed):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn nothing_outside_the_engine_runs_sql() {
    // The store's connection is crate-private (a compile error elsewhere); this keeps the
    // dependency out of the CLI's and the shell's code, where a connection could be opened.
    let mut offenders = Vec::new();
    for dir in ["src-tauri/cli/src", "src-tauri/src"] {
        for (path, text) in rust_files(&repo().join(dir)) {
            if text.contains("rusqlite") || text.contains(".conn()") {
                offenders.push(path);
            }
        }
    }
    for (_, manifest) in [
        ("cli", "src-tauri/cli/Cargo.toml"),
        ("app", "src-tauri/Cargo.toml"),
    ] {
        let text = std::fs::read_to_string(repo().join(manifest)).expect("manifest");
        let deps = text
            .split("[dependencies]")
            .nth(1)
            .and_then(|s| s.split("\n[").next())
            .unwrap_or("");
        if deps.contains("rusqlite") {
            offenders.push(format!("{manifest}: rusqlite is a dependency"));
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

#[test]
fn non_test_code_denies_unwrap_and_expect() {
    for root in [
        "src-tauri/core/src/lib.rs",
        "src-tauri/cli/src/main.rs",
        "src-tauri/src/lib.rs",
    ] {
        let text = std::fs::read_to_string(repo().join(root)).expect("root");
        assert!(
            text.contains("deny(clippy::unwrap_used, clippy::expect_used)"),
            "{root} must deny unwrap/expect outside tests"
        );
    }
    let cfg = std::fs::read_to_string(repo().join("clippy.toml")).expect("clippy.toml");
    assert!(cfg.contains("allow-unwrap-in-tests = true"));
}

/// Text a user could type or a file could carry that Excel would run as a formula.
const RISKY: &[&str] = &[
    "=HYPERLINK(\"http://x\",\"点此\")",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "＝1+1",
];

fn part(z: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut s = String::new();
    if let Ok(mut f) = z.by_name(name) {
        std::io::Read::read_to_string(&mut f, &mut s).expect("read");
    }
    s
}

/// The text between each `open…close` pair, in order.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// Every worksheet of `path`: no formula element, and every cell whose text starts like a
/// formula is a string cell with a quote-prefix style (so it stays text when a user edits it).
/// Returns how many such cells there are.
fn guarded_cells(path: &Path) -> usize {
    let f = std::fs::File::open(path).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    // Style indexes that carry the quote prefix.
    let styles = part(&mut z, "xl/styles.xml");
    let xfs = between(&styles, "<cellXfs", "</cellXfs>")
        .first()
        .map(|x| between(x, "<xf ", ">"))
        .unwrap_or_default();
    let quoted: Vec<bool> = xfs
        .iter()
        .map(|x| x.contains("quotePrefix=\"1\""))
        .collect();
    let shared: Vec<String> = between(&part(&mut z, "xl/sharedStrings.xml"), "<si>", "</si>")
        .iter()
        .map(|si| {
            between(si, "<t", "</t>")
                .iter()
                .map(|t| t.split_once('>').map_or("", |x| x.1))
                .collect::<String>()
        })
        .collect();
    let names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .collect();
    let mut risky = 0;
    for n in names {
        let xml = part(&mut z, &n);
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{}: a formula in {n}",
            path.display()
        );
        for cell in cells(&xml) {
            let Some((attrs, body)) = cell.split_once('>') else {
                continue;
            };
            let text = if attrs.contains("t=\"s\"") {
                between(body, "<v>", "</v>")
                    .first()
                    .and_then(|v| v.parse::<usize>().ok())
                    .and_then(|i| shared.get(i).cloned())
                    .unwrap_or_default()
            } else {
                between(body, "<t", "</t>")
                    .first()
                    .map(|t| t.split_once('>').map_or("", |x| x.1).to_string())
                    .unwrap_or_default()
            };
            if !text
                .trim_start()
                .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
            {
                continue;
            }
            risky += 1;
            let style = between(attrs, "s=\"", "\"")
                .first()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            assert!(
                quoted.get(style).copied().unwrap_or(false),
                "{}: “{text}” in {n} is not quote-prefixed (style {style})",
                path.display()
            );
        }
    }
    risky
}

/// The `<c …>…</c>` elements of a sheet (self-closing empty cells skipped), without `<c `.
fn cells(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<c ") {
        let after = &rest[i + 3..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        if after[..tag_end].ends_with('/') {
            rest = &after[tag_end..];
            continue;
        }
        let Some(j) = after.find("</c>") else { break };
        out.push(&after[..j]);
        rest = &after[j + 4..];
    }
    out
}

fn assert_no_formulas(path: &Path, expect_risky: usize) {
    let n = guarded_cells(path);
    assert!(
        n >= expect_risky,
        "{}: {n} formula-like texts, expected at least {expect_risky}",
        path.display()
    );
}

#[test]
fn every_excel_export_keeps_formula_like_user_text_as_text() {
    let (d, mut ws) = with_demo_campaign();
    ws.set_operator("+张三").expect("operator");
    // Units whose names and notes start like formulas.
    for (i, r) in RISKY.iter().enumerate() {
        ws.save_unit(&UnitInput {
            id: None,
            name: format!("{r}单位{i}"),
            short_name: String::new(),
            aliases: Vec::new(),
            kind: "行政执法单位".into(),
            contact: r.to_string(),
            phone: String::new(),
            leader: r.to_string(),
            note: r.to_string(),
        })
        .expect("unit");
    }
    // A 任务分解表 whose tasks, deadlines and evidence start like formulas, made by another
    // writer than ours (strings as they are).
    let tasks = d.path().join("任务分解表.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let s = wb.add_worksheet();
        for (c, h) in [
            "序号",
            "指标内容",
            "创建任务",
            "牵头单位",
            "完成时限",
            "佐证材料",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(0, c as u16, *h).expect("h");
        }
        let leaves = ws.indicator_leaves(None, None).expect("leaves");
        for (i, l) in leaves.iter().take(RISKY.len()).enumerate() {
            let r = (i + 1) as u32;
            s.write_number(r, 0, l.no as f64).expect("no");
            s.write_string(r, 1, &l.text).expect("text");
            s.write_string(r, 2, RISKY[i]).expect("task");
            s.write_string(r, 3, format!("{}单位{i}", RISKY[i]))
                .expect("lead");
            s.write_string(r, 4, RISKY[i]).expect("deadline");
            s.write_string(r, 5, RISKY[i]).expect("evidence");
        }
        wb.save(&tasks).expect("save");
    }
    ws.apply(
        &shifan_core::TasksImport::new(&tasks, Default::default()),
        &Job::quiet(),
    )
    .expect("tasks import");

    let out = d.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let units = ws.export_units(&out.join("单位名单.xlsx")).expect("units");
    assert_no_formulas(&units, RISKY.len() * 3);
    let master = ws
        .export_tasks(&out.join("任务分解表.xlsx"))
        .expect("tasks");
    assert_no_formulas(&master, RISKY.len() * 4);
    let sheets = ws
        .export_unit_sheets(&out.join("各单位"), &Job::quiet())
        .expect("unit sheets");
    for f in &sheets.files {
        assert_no_formulas(&out.join("各单位").join(f), 2);
    }
    let log = ws
        .export_oplog(&Default::default(), &out.join("操作日志.xlsx"))
        .expect("log");
    assert_no_formulas(&log, 1);
    // 模拟评估: a round, experts, 评分标准 and marks whose texts start like formulas.
    {
        use shifan_core::evaluation::compute::RuleKind;
        use shifan_core::evaluation::model::RuleInput;
        use shifan_core::evaluation::{EvalRoundInput, ExpertInput, MarkInput, Points};
        ws.distribute_points(Points::whole(1000)).expect("scale");
        let round = ws
            .save_eval_round(&EvalRoundInput::named("=模拟评估"))
            .expect("round");
        let leaves = ws.indicator_leaves(None, None).expect("leaves");
        for (i, r) in RISKY.iter().enumerate() {
            let e = ws
                .save_expert(&ExpertInput {
                    id: None,
                    name: format!("{r}专家{i}"),
                    org: r.to_string(),
                    field: r.to_string(),
                    phone: String::new(),
                    note: String::new(),
                })
                .expect("expert");
            let l = &leaves[i];
            ws.save_rules(
                l.id,
                &[RuleInput {
                    id: None,
                    kind: RuleKind::Discretion,
                    text: r.to_string(),
                    amount: None,
                    cap: None,
                }],
            )
            .expect("rule");
            ws.assign_expert(round.id, e.id, &[l.id]).expect("assign");
            ws.save_mark(&MarkInput {
                round_id: round.id,
                indicator_id: l.id,
                expert_id: Some(e.id),
                deduction: Some(Points::whole(1)),
                reason: r.to_string(),
                method: r.to_string(),
                evidence: r.to_string(),
                note: r.to_string(),
                ..Default::default()
            })
            .expect("mark");
        }
        let sheets = ws
            .export_score_sheets(round.id, &out.join("评分表"), &Job::quiet())
            .expect("scoring sheets");
        assert_eq!(sheets.files.len(), RISKY.len());
        for f in &sheets.files {
            // Title, 评分标准, 评分责任单位, 扣分理由, 测评方式, 佐证材料, 备注.
            assert_no_formulas(&out.join("评分表").join(f), 7);
        }
        let scale = ws.export_scale(&out.join("分值表.xlsx")).expect("scale");
        assert_no_formulas(&scale, RISKY.len());
    }
    // The indicator system with formula-like indicator texts.
    ws.apply(
        &shifan_core::IndicatorImport::new(
            fixture("hostile/texts-start-with-formula-chars.xlsx"),
            true,
        ),
        &Job::quiet(),
    )
    .expect("import");
    let system = ws
        .export_indicators(None, &out.join("指标体系表.xlsx"))
        .expect("indicators");
    assert_no_formulas(&system, 8);
}
