//! The `shifan` command line as scripts use it: names, flags, JSON shapes, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn shifan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shifan"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("SHIFAN_DATA_DIR")
        .output()
        .expect("runs")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

#[test]
fn init_then_list_systems_and_indicators_as_json_arrays() {
    let d = tempfile::tempdir().expect("tmp");
    let o = shifan(d.path(), &["init", "--name", "曾都区", "--system", "demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("曾都区"));

    let systems = json(&shifan(d.path(), &["systems", "list", "--json"]));
    let arr = systems.as_array().expect("top-level array");
    assert!(
        arr.iter()
            .any(|s| s["key"] == "demo" && s["isDemo"] == true && s["leafCount"] == 100)
    );

    let leaves = json(&shifan(d.path(), &["indicators", "list", "--json"]));
    let arr = leaves.as_array().expect("top-level array");
    assert_eq!(arr.len(), 100);
    assert_eq!(arr[0]["no"], 1);
    assert!(arr[0]["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        arr[0]["path"].as_array().map(Vec::len),
        Some(2),
        "path of ancestor names"
    );
}

#[test]
fn import_preview_then_import_reports_the_indicator_count() {
    let d = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(d.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    let f = fixture("indicators/national-104.xlsx");
    let f = f.to_str().expect("utf8");
    let p = shifan(
        d.path(),
        &["indicators", "import", f, "--preview", "--json"],
    );
    assert!(p.status.success());
    let pv = json(&p);
    assert_eq!(pv["leafCount"], 104);
    assert_eq!(pv["canApply"], true);
    let before = json(&shifan(d.path(), &["systems", "list", "--json"]));
    assert_eq!(
        before.as_array().map(Vec::len),
        Some(1),
        "preview stored nothing"
    );

    let o = shifan(d.path(), &["indicators", "import", f, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["indicatorCount"], 104);
    let after = json(&shifan(d.path(), &["systems", "list", "--json"]));
    assert_eq!(after.as_array().map(Vec::len), Some(2));
}

#[test]
fn init_from_an_official_word_file() {
    let d = tempfile::tempdir().expect("tmp");
    let f = fixture("indicators/official-table.docx");
    let o = shifan(
        d.path(),
        &[
            "init",
            "--name",
            "曾都区",
            "--system",
            f.to_str().expect("utf8"),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["systemIsDemo"], false);
    let leaves = json(&shifan(
        d.path(),
        &["indicators", "list", "--json", "--search", "重大行政决策"],
    ));
    assert!(leaves.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn errors_are_chinese_on_stderr_with_a_nonzero_exit_and_json_with_kind() {
    let d = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(d.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    let bad = fixture("indicators/duplicate-numbers.xlsx");
    let bad = bad.to_str().expect("utf8");
    let o = shifan(d.path(), &["indicators", "import", bad]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("重复") && err.contains("第16行") && err.contains("duplicate-numbers.xlsx"),
        "{err}"
    );

    let o = shifan(d.path(), &["indicators", "import", bad, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["kind"], "import");
    assert!(v["message"].as_str().is_some_and(|m| m.contains("重复")));

    let o = shifan(
        d.path(),
        &[
            "indicators",
            "import",
            fixture("indicators/encrypted.xlsx").to_str().expect("u"),
            "--preview",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["kind"], "badFile");

    let o = shifan(d.path(), &["campaigns", "switch", "42"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不存在"));
}

#[test]
fn export_writes_the_workbook_and_data_dir_comes_from_the_environment() {
    let d = tempfile::tempdir().expect("tmp");
    let o = Command::new(env!("CARGO_BIN_EXE_shifan"))
        .args(["init", "--name", "曾都区"])
        .env("SHIFAN_DATA_DIR", d.path())
        .output()
        .expect("runs");
    assert!(o.status.success());
    assert!(
        d.path().join("shifan.db").exists(),
        "SHIFAN_DATA_DIR honoured"
    );
    let out = d.path().join("指标 体系表.xlsx");
    let o = shifan(
        d.path(),
        &["indicators", "export", out.to_str().expect("u")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"PK"));
}

#[test]
fn demo_refuses_a_folder_with_real_work() {
    let d = tempfile::tempdir().expect("tmp");
    let o = shifan(d.path(), &["demo", "--json"]);
    assert!(o.status.success());
    assert!(
        json(&o)["name"]
            .as_str()
            .is_some_and(|n| n.contains("演示"))
    );
    let real = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(real.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    let o = shifan(real.path(), &["demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("演示数据不能混入"));
}

#[test]
fn units_roster_and_tasks_round_trip_through_the_command_line() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path();
    assert!(shifan(dir, &["init", "--name", "曾都区"]).status.success());
    let units = fixture("tasks/units.xlsx");
    let units = units.to_str().expect("utf8");
    let pv = json(&shifan(
        dir,
        &["units", "import", units, "--preview", "--json"],
    ));
    assert_eq!(pv["created"].as_array().map(Vec::len), Some(20));
    assert!(
        json(&shifan(dir, &["units", "list", "--json"]))
            .as_array()
            .expect("array")
            .is_empty()
    );
    assert!(shifan(dir, &["units", "import", units]).status.success());
    let list = json(&shifan(dir, &["units", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(20));
    let short = json(&shifan(dir, &["roster", "check", "--json"]));
    let short = short.as_array().expect("array");
    assert_eq!(
        short.len(),
        7,
        "3 departments and 4 towns (乡镇街道 need 3 by default)"
    );
    assert_eq!(short[0]["unitName"], "区委宣传部");
    assert_eq!(
        (short[0]["count"].as_i64(), short[0]["required"].as_i64()),
        (Some(1), Some(2))
    );

    let wps = fixture("tasks/tasks-two-row-header-wps.xlsx");
    let wps = wps.to_str().expect("utf8");
    let o = shifan(dir, &["tasks", "import", wps, "--preview", "--json"]);
    assert!(!o.status.success(), "unknown unit is an error");
    let pv = json(&o);
    assert_eq!(pv["unknownUnits"][0]["name"], "区气象局");
    assert!(pv["guesses"].as_array().is_some_and(|g| !g.is_empty()));
    let o = shifan(
        dir,
        &[
            "tasks",
            "import",
            wps,
            "--strict",
            "--create-units",
            "--json",
        ],
    );
    assert!(!o.status.success(), "guesses are errors with --strict");

    let lo = fixture("tasks/tasks-libreoffice.xlsx");
    let o = shifan(
        dir,
        &["tasks", "import", lo.to_str().expect("utf8"), "--json"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["created"], 100);
    let master = dir.join("任务分解表.xlsx");
    assert!(
        shifan(dir, &["tasks", "export", master.to_str().expect("utf8")])
            .status
            .success()
    );
    assert!(master.exists());
    let z = dir.join("各单位工作表.zip");
    let o = json(&shifan(
        dir,
        &["tasks", "export-units", z.to_str().expect("utf8"), "--json"],
    ));
    // Every unit with a task: all but 府河镇 (a 镇, which "各街道" does not name).
    assert_eq!(o["unitCount"], 19);
    let o = shifan(
        dir,
        &[
            "tasks",
            "collect",
            z.to_str().expect("utf8"),
            "--preview",
            "--json",
        ],
    );
    assert!(o.status.success());
    let c = json(&o);
    assert_eq!(c["sheets"].as_array().map(Vec::len), Some(19));
    assert_eq!(c["conflictCount"], 0);
    let o = shifan(
        dir,
        &[
            "units",
            "export",
            dir.join("单位.xlsx").to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success());
}
#[test]
fn names_are_mapped_created_or_refused_with_flags_and_the_roster_rule_is_a_setting() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path();
    assert!(shifan(dir, &["init", "--name", "曾都区"]).status.success());
    let base = fixture("fidelity/units/units-base-district-xlsxwriter.xlsx");
    assert!(
        shifan(dir, &["units", "import", base.to_str().expect("utf8")])
            .status
            .success()
    );
    let near = fixture("fidelity/tasks/tasks-near-names-openpyxl.xlsx");
    let near = near.to_str().expect("utf8");
    let o = shifan(dir, &["tasks", "import", near, "--preview"]);
    assert_eq!(o.status.code(), Some(1), "four unknown units");
    let o = shifan(
        dir,
        &[
            "tasks",
            "import",
            near,
            "--map",
            "区资源局=区自然资源和规划局",
            "--create-name",
            "西城街道",
            "--create-name",
            "北山镇",
            "--refuse-name",
            "区第二中学",
            "--preview",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "a refused name blocks the import");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("[已选择] “区资源局” 对应到“区自然资源和规划局”")
            && text.contains("已选择不接受“区第二中学”"),
        "{text}"
    );
    let o = shifan(
        dir,
        &[
            "tasks",
            "import",
            near,
            "--map",
            "区资源局=区自然资源和规划局",
            "--map",
            "区第二中学＝区第三中学",
            "--create-name",
            "西城街道",
            "--create-name",
            "北山镇",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let units = json(&shifan(dir, &["units", "list", "--json"]));
    let units = units.as_array().expect("array");
    let zr = units
        .iter()
        .find(|u| u["name"] == "区自然资源和规划局")
        .expect("unit");
    assert_eq!(
        zr["aliases"],
        serde_json::json!(["区资源局"]),
        "mapping saved as 别名"
    );
    assert!(units.iter().any(|u| u["name"] == "西城街道"));
    assert!(!units.iter().any(|u| u["name"] == "区资源局"));
    // The next sheet with the same name matches exactly.
    let again = json(&shifan(
        dir,
        &["tasks", "import", near, "--preview", "--json"],
    ));
    assert_eq!(again["canApply"], true, "{again}");
    assert_eq!(again["unknownUnits"], serde_json::json!([]));
    let o = shifan(dir, &["tasks", "import", near, "--map", "区资源局"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("旧名=单位名"));

    let rule = json(&shifan(dir, &["settings", "roster-rule", "--json"]));
    assert_eq!(
        (&rule["enforcement"], &rule["otherDept"], &rule["town"]),
        (
            &serde_json::json!(3),
            &serde_json::json!(2),
            &serde_json::json!(3)
        )
    );
    let o = shifan(dir, &["settings", "roster-rule", "--town", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = shifan(dir, &["roster", "check"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("乡镇街道不少于2人"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = shifan(dir, &["settings", "roster-rule", "--town", "100"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("无效"));
}

#[test]
fn a_problem_list_takes_the_same_name_flags() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path();
    assert!(shifan(dir, &["init", "--name", "曾都区"]).status.success());
    let units = fixture("tasks/units.xlsx");
    assert!(
        shifan(dir, &["units", "import", units.to_str().expect("utf8")])
            .status
            .success()
    );
    let list = fixture("problems/problems-openpyxl.xlsx");
    let list = list.to_str().expect("utf8");
    // 曾都区信访局 is guessed as 区信访局; refusing the guess blocks the import.
    let o = shifan(
        dir,
        &[
            "problems",
            "import",
            list,
            "--refuse-name",
            "曾都区信访局",
            "--preview",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "a refused name blocks the import");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("[已选择] “曾都区信访局” 不接受")
            && text.contains("已选择不接受“曾都区信访局”"),
        "{text}"
    );
    // Mapping it applies and saves the written name as the unit's 别名.
    let o = shifan(
        dir,
        &[
            "problems",
            "import",
            list,
            "--map",
            "曾都区信访局=区信访局",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let units = json(&shifan(dir, &["units", "list", "--json"]));
    let petition = units
        .as_array()
        .expect("array")
        .iter()
        .find(|u| u["name"] == "区信访局")
        .expect("区信访局");
    assert!(
        petition["aliases"]
            .as_array()
            .expect("aliases")
            .iter()
            .any(|a| a == "曾都区信访局"),
        "{petition}"
    );
}

#[test]
fn while_the_desktop_app_holds_the_folder_reads_work_and_writes_are_refused_by_name() {
    let d = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(d.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    let app = shifan_core::Workspace::open_as(d.path(), shifan_core::lock::Program::Desktop)
        .expect("the app opens the folder");
    let list = json(&shifan(d.path(), &["campaigns", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "reads proceed");
    let o = shifan(d.path(), &["settings", "set-operator", "张三"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("桌面程序") && err.contains("进程"), "{err}");
    let o = shifan(d.path(), &["backup", "create"]);
    assert_eq!(o.status.code(), Some(1), "no backup beside the app");
    drop(app);
    assert!(
        shifan(d.path(), &["settings", "set-operator", "张三"])
            .status
            .success()
    );
}

#[test]
fn backup_log_and_check_print_json_for_scripts() {
    let d = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(d.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    assert!(
        shifan(d.path(), &["settings", "set-operator", "王五"])
            .status
            .success()
    );
    let b = json(&shifan(d.path(), &["backup", "create", "--json"]));
    assert_eq!(b["reason"], "manual");
    let list = json(&shifan(d.path(), &["backup", "list", "--json"]));
    let arr = list.as_array().expect("top-level array");
    assert!(arr.iter().any(|x| x["id"] == b["id"]));
    let pv = json(&shifan(
        d.path(),
        &[
            "backup",
            "restore",
            b["id"].as_str().expect("id"),
            "--preview",
            "--json",
        ],
    ));
    assert_eq!(pv["canRestore"], true);
    let log = json(&shifan(
        d.path(),
        &["log", "list", "--json", "--action", "设置操作人"],
    ));
    assert_eq!(log[0]["detail"], "未设置 → 王五");
    let chk = shifan(d.path(), &["check", "--full", "--json"]);
    assert!(chk.status.success());
    assert_eq!(json(&chk)["ok"], true);
    let x = d.path().join("日志.xlsx");
    assert!(
        shifan(d.path(), &["log", "export", x.to_str().expect("utf8")])
            .status
            .success()
    );
    assert!(x.is_file());
}

#[test]
fn undo_takes_back_the_last_tasks_import() {
    let d = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str]| shifan(d.path(), args);
    assert!(
        run(&["init", "--name", "曾都区", "--system", "demo"])
            .status
            .success()
    );
    let units = fixture("tasks/units.xlsx");
    assert!(
        run(&["units", "import", units.to_str().expect("p")])
            .status
            .success()
    );
    // The units import is undoable; a tasks import on top replaces it as "the last".
    let pv = run(&["undo", "--preview", "--json"]);
    assert_eq!(json(&pv)["action"], "导入单位名单");
    let tasks = fixture("tasks/tasks-libreoffice.xlsx");
    assert!(
        run(&["tasks", "import", tasks.to_str().expect("p")])
            .status
            .success()
    );
    let assigned = |o: &Output| {
        json(o)
            .as_array()
            .expect("array")
            .iter()
            .filter(|a| a["leads"].as_array().is_some_and(|l| !l.is_empty()))
            .count()
    };
    assert!(assigned(&run(&["tasks", "list", "--json"])) > 0);

    let pv = run(&["undo", "--preview", "--json"]);
    assert!(pv.status.success());
    assert_eq!(json(&pv)["action"], "导入任务分解表");

    let o = run(&["undo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("已撤销"));
    assert_eq!(assigned(&run(&["tasks", "list", "--json"])), 0);

    // Nothing left to undo: exit 1, Chinese message, JSON null for scripts.
    let pv = run(&["undo", "--preview", "--json"]);
    assert!(!pv.status.success());
    assert!(json(&pv).is_null());
    let again = run(&["undo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("没有可以撤销的导入"));
}

#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::Read;
    let d = tempfile::tempdir().expect("tmp");
    assert!(shifan(d.path(), &["demo"]).status.success());
    for args in [
        &["tasks", "list", "--json"][..],
        &["tasks", "list"][..],
        &["--help"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shifan"))
            .arg("--data-dir")
            .arg(d.path())
            .args(args)
            .env_remove("SHIFAN_DATA_DIR")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // `| head -c 10`: read a little, then close the pipe while the program still writes.
        let mut out = child.stdout.take().expect("stdout");
        let mut first = [0u8; 10];
        let _ = out.read(&mut first);
        drop(out);
        let o = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert!(o.status.code().is_some(), "{args:?} ended by a signal");
    }
}

#[test]
fn an_import_error_is_printed_once() {
    let d = tempfile::tempdir().expect("tmp");
    assert!(
        shifan(d.path(), &["init", "--name", "曾都区"])
            .status
            .success()
    );
    let bad = fixture("indicators/duplicate-numbers.xlsx");
    let bad = bad.to_str().expect("utf8");
    // Text: the message on stderr only.
    let o = shifan(d.path(), &["indicators", "import", bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("第16行").count(), 1, "{err}");
    // JSON: the error object on stdout only.
    let o = shifan(d.path(), &["indicators", "import", bad, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["kind"], "import");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A preview that cannot be applied: its issues once, on stdout, exit 1.
    let o = shifan(d.path(), &["indicators", "import", bad, "--preview"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("第16行") && out.contains("不能导入"), "{out}");
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir") {
            let e = e.expect("entry");
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy");
    }
}

fn set_mtime(path: &Path, unix: u64) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix))
        .expect("mtime");
}

#[test]
fn collect_lists_the_alternatives_and_use_and_skip_choose_among_them() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("数据");
    let run = |args: &[&str]| shifan(&dir, args);
    let path = |p: &Path| p.to_str().expect("utf8").to_string();
    assert!(run(&["init", "--name", "曾都区"]).status.success());
    let units = path(&fixture("tasks/units.xlsx"));
    assert!(run(&["units", "import", &units]).status.success());
    let tasks = path(&fixture("tasks/tasks-libreoffice.xlsx"));
    assert!(run(&["tasks", "import", &tasks]).status.success());
    let sent = path(&d.path().join("sent"));
    assert!(run(&["tasks", "export-units", &sent]).status.success());

    // Two returns of 区司法局: both listed with their times, the newer one collected.
    let two = d.path().join("回收");
    copy_tree(&fixture("fidelity/collect/two-versions-same-folder"), &two);
    let draft = "区司法局-创建任务工作表.xlsx";
    let fin = "区司法局-创建任务工作表_修改版.xlsx";
    set_mtime(&two.join(draft), 1_756_688_400);
    set_mtime(&two.join(fin), 1_757_064_600);
    let two_s = path(&two);
    let o = run(&["tasks", "collect", &two_s, "--preview"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(&format!("[收回] {fin}")), "{text}");
    assert!(text.contains(&format!("[不收回] {draft}")), "{text}");
    assert!(text.contains(&format!("--use “{draft}”")), "{text}");

    // --use picks the older one (by its name, or its full path); it is what gets collected.
    let full = path(&two.join(draft));
    for pick in [draft, full.as_str()] {
        let c = json(&run(&[
            "tasks",
            "collect",
            &two_s,
            "--preview",
            "--use",
            pick,
            "--json",
        ]));
        assert_eq!(c["duplicates"][0]["chosen"], draft, "{pick}");
        assert_eq!(c["sheets"][0]["path"], draft, "{pick}");
        assert_eq!(c["changeCount"], 10, "{pick}");
    }
    let o = run(&["tasks", "collect", &two_s, "--use", "区司法局-终稿.xlsx"]);
    assert!(!o.status.success(), "a file that is not there is an error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有找到所选的文件"));

    // A colleague's file: refused until a unit is chosen, with the flags that choose.
    let colleague = path(&fixture("fidelity/collect/colleague-file"));
    let file = "区审计局-创建任务工作表.xlsx";
    let o = run(&["tasks", "collect", &colleague, "--preview"]);
    assert!(!o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(&format!("--use “{file}=区审计局”")), "{text}");
    assert!(text.contains(&format!("--skip “{file}”")), "{text}");
    let o = run(&[
        "tasks",
        "collect",
        &colleague,
        "--use",
        &format!("{file}=区审记局"),
    ]);
    assert!(!o.status.success(), "an unknown unit name is an error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("单位名单中没有“区审记局”"));
    let o = run(&[
        "tasks",
        "collect",
        &colleague,
        "--use",
        &format!("{file}=区审计局"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = json(&o);
    assert_eq!(c["sheets"][0]["unitName"], "区审计局");
    assert_eq!(c["sheets"][0]["matchedBy"], "choice");
    let o = run(&["tasks", "collect", &colleague, "--skip", file, "--json"]);
    assert!(o.status.success());
    assert_eq!(json(&o)["sheets"].as_array().map(Vec::len), Some(0));
}

/// A data folder with work and a backup, whose shifan.db is then truncated to half.
fn damaged_folder() -> (tempfile::TempDir, PathBuf, String, Vec<u8>) {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("数据");
    assert!(shifan(&dir, &["init", "--name", "曾都区"]).status.success());
    let units = fixture("tasks/units.xlsx");
    assert!(
        shifan(&dir, &["units", "import", units.to_str().expect("utf8")])
            .status
            .success()
    );
    let b = json(&shifan(&dir, &["backup", "create", "--json"]));
    let id = b["id"].as_str().expect("id").to_string();
    let db = dir.join("shifan.db");
    let bytes = std::fs::read(&db).expect("db");
    let half = bytes[..bytes.len() / 2].to_vec();
    std::fs::write(&db, &half).expect("truncate");
    (d, dir, id, half)
}

/// An English word (3+ letters) outside “…” and （…）, other than the file name shifan.db.
fn has_english_outside_brackets(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = 0i32;
    let mut word = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        match c {
            '（' => depth += 1,
            '）' => depth -= 1,
            '“' => quoted += 1,
            '”' => quoted -= 1,
            _ => {}
        }
        if c.is_ascii_alphabetic() && depth <= 0 && quoted <= 0 {
            word.push(c);
        } else {
            if word.len() >= 3 && word != "shifan" && word != "db" {
                return true;
            }
            word.clear();
        }
    }
    false
}

#[test]
fn a_damaged_database_is_listed_restored_and_repaired_from_the_command_line() {
    let (_d, dir, id, half) = damaged_folder();
    let db = dir.join("shifan.db");

    // Other commands stop with the Chinese explanation naming the file and the backup.
    let o = shifan(&dir, &["units", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("shifan.db") && err.contains("损坏") && err.contains(&id),
        "{err}"
    );
    assert!(!has_english_outside_brackets(&err), "{err}");
    let o = shifan(&dir, &["units", "list", "--json"]);
    assert_eq!(json(&o)["kind"], "damaged");
    let o = shifan(&dir, &["handover", "import", "x.shifan"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不能导入交接文件"));
    assert_eq!(std::fs::read(&db).expect("db"), half, "nothing touched");

    // `backup list --json`: the backups from their manifests, as a top-level array.
    let o = shifan(&dir, &["backup", "list", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&o);
    let arr = v.as_array().expect("top-level array");
    assert_eq!(arr[0]["id"], id.as_str());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("损坏"),
        "warned on stderr"
    );

    // `check`: the problem as a report, exit 1.
    let o = shifan(&dir, &["check", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["ok"], false);
    assert_eq!(r["canRepair"], true);

    // `backup restore --preview` says what happens to the damaged file; nothing changes.
    let o = shifan(&dir, &["backup", "restore", &id, "--preview"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("shifan.db.damaged-"));
    assert_eq!(std::fs::read(&db).expect("db"), half);

    // `backup restore ID`: restored, the damaged file kept under a second name.
    let o = shifan(&dir, &["backup", "restore", &id, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let r = json(&o);
    let kept = r["kept"][0].as_str().expect("kept");
    assert_eq!(std::fs::read(kept).expect("kept"), half);
    let units = json(&shifan(&dir, &["units", "list", "--json"]));
    assert_eq!(units.as_array().map(Vec::len), Some(20));
}

#[test]
fn check_repair_restores_the_newest_good_backup_of_a_damaged_folder() {
    let (_d, dir, id, half) = damaged_folder();
    let o = shifan(&dir, &["check", "--repair"]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&id) && text.contains("shifan.db.damaged-"),
        "{text}"
    );
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .expect("ls")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("shifan.db.damaged-")
        })
        .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b == half))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged bytes are kept");
    let o = shifan(&dir, &["check", "--json"]);
    assert!(o.status.success());
    assert_eq!(json(&o)["ok"], true);

    // A missing data file with backups: not a silent fresh start either.
    std::fs::remove_file(dir.join("shifan.db")).expect("rm");
    let o = shifan(&dir, &["status"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("不见了"));
    assert!(!dir.join("shifan.db").exists());
    assert!(shifan(&dir, &["check", "--repair"]).status.success());
    assert!(dir.join("shifan.db").exists());
}

/// A campaign with the 20 units and the 任务分解 of the fixtures.
fn with_tasks(d: &Path) {
    for args in [
        vec!["init", "--name", "曾都区"],
        vec![
            "units",
            "import",
            fixture("tasks/units.xlsx").to_str().expect("utf8"),
        ],
        vec![
            "tasks",
            "import",
            fixture("tasks/tasks-libreoffice.xlsx")
                .to_str()
                .expect("utf8"),
        ],
    ] {
        let o = shifan(d, &args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn evidence_is_added_filed_reviewed_counted_searched_verified_and_archived_from_the_command_line() {
    let d = tempfile::tempdir().expect("tmp");
    let data = d.path().join("数据");
    with_tasks(&data);
    let zip = fixture("evidence/区司法局-佐证材料.zip");
    let folder = fixture("evidence/区财政局");
    let (zip, folder) = (zip.to_str().expect("utf8"), folder.to_str().expect("utf8"));

    // add --preview: nothing stored, the plan as JSON.
    let p = json(&shifan(
        &data,
        &["evidence", "add", zip, folder, "--preview", "--json"],
    ));
    assert_eq!(p["canApply"], true);
    assert_eq!(p["fileCount"], 11);
    assert_eq!(p["groups"][0]["unitName"], "区司法局");
    assert_eq!(p["junkSkipped"], 8);
    let listed = json(&shifan(&data, &["evidence", "list", "--json"]));
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(0),
        "the preview stored nothing"
    );

    // add: stored; list is a top-level array, filtered by indicator, unit and status.
    let a = json(&shifan(&data, &["evidence", "add", zip, folder, "--json"]));
    assert_eq!(a["applied"], true);
    assert_eq!(a["newCount"], 10);
    let all = json(&shifan(&data, &["evidence", "list", "--json"]));
    let all = all.as_array().expect("top-level array");
    assert_eq!(all.len(), 10);
    let on27 = json(&shifan(
        &data,
        &["evidence", "list", "--indicator", "27", "--json"],
    ));
    assert_eq!(on27.as_array().map(Vec::len), Some(1));
    let by_unit = json(&shifan(
        &data,
        &["evidence", "list", "--unit", "区财政局", "--json"],
    ));
    assert_eq!(
        by_unit.as_array().map(Vec::len),
        Some(5),
        "with the shared 审核意见书"
    );
    let queue = json(&shifan(&data, &["evidence", "list", "--queue", "--json"]));
    let queue_ids: Vec<String> = queue
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["id"].to_string())
        .collect();
    assert!(!queue_ids.is_empty());

    // assign the queue to 指标12, review: return one, approve the rest.
    let mut assign = vec!["evidence", "assign", "--indicator", "12"];
    assign.extend(queue_ids.iter().map(String::as_str));
    let o = shifan(&data, &assign);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        json(&shifan(&data, &["evidence", "list", "--queue", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let first = on27[0]["id"].to_string();
    let o = shifan(
        &data,
        &["evidence", "review", &first, "--return", "缺少盖章页"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = shifan(&data, &["evidence", "review", &first]);
    assert!(!o.status.success(), "a decision is required");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--approve"));
    let rest: Vec<String> = all
        .iter()
        .map(|i| i["id"].to_string())
        .filter(|i| *i != first)
        .collect();
    let mut review = vec!["evidence", "review", "--approve"];
    review.extend(rest.iter().map(String::as_str));
    assert!(shifan(&data, &review).status.success());
    let returned = json(&shifan(
        &data,
        &["evidence", "list", "--status", "退回", "--json"],
    ));
    assert_eq!(returned.as_array().map(Vec::len), Some(1));
    assert_eq!(returned[0]["returnReason"], "缺少盖章页");

    // completeness, 退回清单, verify, search.
    let c = json(&shifan(&data, &["evidence", "completeness", "--json"]));
    assert_eq!(c["indicators"].as_array().map(Vec::len), Some(100));
    assert_eq!(c["returned"], 1);
    assert_eq!(c["indicators"][0]["state"], "none", "nothing yet first");
    let list = d.path().join("退回清单.xlsx");
    let o = shifan(
        &data,
        &[
            "evidence",
            "return-list",
            "--unit",
            "区司法局",
            list.to_str().expect("utf8"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(list.is_file());
    let v = json(&shifan(&data, &["evidence", "verify", "--json"]));
    assert_eq!(v["ok"], true);
    assert_eq!(v["checked"], 10);
    let hits = json(&shifan(&data, &["search", "复议", "--json"]));
    let hits = hits.as_array().expect("top-level array");
    assert!(hits.iter().any(|h| h["kind"] == "indicator"));
    assert!(
        hits.iter()
            .any(|h| h["kind"] == "evidence" && h["title"] == "行政复议决定书")
    );
    let o = shifan(&data, &["evidence", "open", &rest[0]]);
    assert!(o.status.success());
    let path = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(Path::new(&path).is_file(), "{path}");

    // export-archive to a folder and to a zip.
    let out = d.path().join("案卷");
    let r = json(&shifan(
        &data,
        &[
            "evidence",
            "export-archive",
            out.to_str().expect("utf8"),
            "--json",
        ],
    ));
    assert_eq!(r["volumes"].as_array().map(Vec::len), Some(25));
    assert_eq!(r["items"], 9, "approved only");
    assert!(out.join("总目录.xlsx").is_file());
    let z = d.path().join("案卷.zip");
    let o = shifan(
        &data,
        &[
            "evidence",
            "export-archive",
            z.to_str().expect("utf8"),
            "--no-merge",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("已导出 25 卷"));
    assert!(z.is_file());
}

#[test]
fn a_drop_with_nothing_to_take_exits_with_1_and_names_the_archive() {
    let d = tempfile::tempdir().expect("tmp");
    with_tasks(d.path());
    let bad = fixture("hostile/evidence/zip-dotdot-entry.zip");
    let o = shifan(
        d.path(),
        &["evidence", "add", bad.to_str().expect("utf8"), "--json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = json(&o);
    assert_eq!(e["kind"], "import");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("zip-dotdot-entry.zip"))
    );
    let o = shifan(
        d.path(),
        &[
            "evidence",
            "add",
            "--unit",
            "区不存在局",
            bad.to_str().expect("utf8"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("区不存在局"));
}

/// `shifan eval …` as the issue names it: rounds, experts, assign, score (JSON arrays), the
/// scoring sheets out and back, results with a total, its aspects and their indicators (each
/// with score and points lost), the drafts for the 整改台账.
#[test]
fn eval_rounds_experts_assign_score_sheets_results_and_problem_drafts() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().join("data");
    let ok = |args: &[&str]| {
        let o = shifan(&dir, args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    };
    let system = fixture("eval/provincial-1000.xlsx");
    ok(&[
        "init",
        "--name",
        "曾都区",
        "--system",
        system.to_str().expect("utf8"),
    ]);
    let units = fixture("tasks/units.xlsx");
    ok(&["units", "import", units.to_str().expect("utf8")]);
    let tasks = fixture("tasks/tasks-libreoffice.xlsx");
    ok(&["tasks", "import", tasks.to_str().expect("utf8")]);
    let rounds = json(&ok(&["eval", "rounds", "--add", "模拟评估一", "--json"]));
    assert_eq!(rounds.as_array().map(Vec::len), Some(1));
    assert_eq!(rounds[0]["kind"], "mock");
    for (n, org) in [
        ("张卫东", "湖北大学法学院"),
        ("李敏", "楚天律师事务所"),
        ("王建国", "市委党校法学教研部"),
    ] {
        ok(&["eval", "experts", "--add", n, "--org", org]);
    }
    let experts = json(&ok(&["eval", "experts", "--json"]));
    assert_eq!(experts.as_array().map(Vec::len), Some(3));
    for (n, r) in [("张卫东", "1-40"), ("李敏", "35-75"), ("王建国", "70-100")] {
        ok(&[
            "eval",
            "assign",
            "--round",
            "模拟评估一",
            "--expert",
            n,
            "--indicators",
            r,
        ]);
    }
    let assign = json(&ok(&["eval", "assign", "--round", "模拟评估一", "--json"]));
    assert_eq!(assign[1]["ranges"], "35—75");
    let out = d.path().join("评分表.zip");
    ok(&[
        "eval",
        "export-sheets",
        "--round",
        "模拟评估一",
        out.to_str().expect("utf8"),
    ]);
    let back = fixture("eval/collect");
    let pv = json(&ok(&[
        "eval",
        "collect",
        back.to_str().expect("utf8"),
        "--preview",
        "--json",
    ]));
    assert_eq!(pv["canApply"], true);
    assert_eq!(pv["sheets"].as_array().map(Vec::len), Some(3));
    ok(&["eval", "collect", back.to_str().expect("utf8")]);
    // The office enters one mark itself: half points.
    let s = json(&ok(&[
        "eval",
        "score",
        "--round",
        "模拟评估一",
        "--indicator",
        "3",
        "--score",
        "9.5",
        "--reason",
        "依法治区办复核",
        "--json",
    ]));
    assert_eq!(s[0]["score"], 9.5);
    assert_eq!(s[0]["source"], "office");
    let grid = json(&ok(&["eval", "score", "--round", "模拟评估一", "--json"]));
    assert_eq!(grid.as_array().map(Vec::len), Some(100));
    let res = json(&ok(&["eval", "results", "--round", "模拟评估一", "--json"]));
    assert_eq!(res["total"]["max"], 1000);
    assert!(res["total"]["score"].is_number() && res["total"]["lost"].is_number());
    let aspects = res["aspects"].as_array().expect("aspects");
    assert_eq!(aspects.len(), 9);
    let ind = &aspects[0]["indicators"][2];
    assert_eq!(
        (ind["no"].clone(), ind["score"].clone()),
        (3.into(), 9.5.into())
    );
    assert_eq!(ind["lost"], 1);
    let drafts = json(&ok(&[
        "eval",
        "to-problems",
        "--round",
        "模拟评估一",
        "--preview",
        "--json",
    ]));
    let drafts = drafts.as_array().expect("array");
    assert!(!drafts.is_empty());
    assert!(
        drafts
            .iter()
            .all(|d| d["lost"].as_f64().unwrap_or(0.0) > 0.0)
    );
    // Written into the 整改台账: a round of kind 模拟评估, one problem per deduction with a lead
    // unit; a second run adds nothing.
    let made = json(&ok(&[
        "eval",
        "to-problems",
        "--round",
        "模拟评估一",
        "--json",
    ]));
    let created = made["created"].as_array().map_or(0, Vec::len);
    let unassigned = made["unassigned"].as_array().map_or(0, Vec::len);
    assert_eq!(created + unassigned, drafts.len(), "{made}");
    assert!(created > 0);
    assert_eq!(made["round"]["kind"], "模拟评估");
    let listed = json(&ok(&[
        "problems",
        "list",
        "--round",
        "模拟评估一",
        "--json",
    ]));
    assert_eq!(listed.as_array().map_or(0, Vec::len), created);
    let again = json(&ok(&[
        "eval",
        "to-problems",
        "--round",
        "模拟评估一",
        "--json",
    ]));
    assert_eq!(again["created"].as_array().map_or(9, Vec::len), 0);
    assert_eq!(again["already"], created as i64);
    // A bad sheet: exit 1, its place in Chinese, nothing applied.
    let bad = fixture("hostile/eval/text-in-score-张卫东.xlsx");
    let o = shifan(&dir, &["eval", "collect", bad.to_str().expect("utf8")]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("第8行 H列") && err.contains("不是数字"),
        "{err}"
    );
    let again = json(&ok(&["eval", "results", "--round", "模拟评估一", "--json"]));
    assert_eq!(again["total"], res["total"]);
}

#[test]
fn dashboard_report_summary_image_and_package_from_the_command_line() {
    let d = tempfile::tempdir().expect("tmp");
    let data = d.path().join("data");
    assert!(shifan(&data, &["demo"]).status.success());
    let t = ["--today", "2031-01-01"];
    let o = shifan(&data, &["dashboard", "--json", t[0], t[1]]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&o);
    // The overdue figure is the number of problems `problems list --overdue` shows that day.
    let list = json(&shifan(
        &data,
        &["problems", "list", "--overdue", "--json", t[0], t[1]],
    ));
    assert_eq!(
        v["problems"]["overdue"].as_u64(),
        Some(list.as_array().expect("array").len() as u64)
    );
    assert_eq!(v["assigned"]["total"], 100);
    assert!(v["evaluation"]["roundName"].is_string());
    let text = shifan(&data, &["dashboard", t[0], t[1]]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("逾期问题：") && text.contains("各方面进展"),
        "{text}"
    );

    let report = d.path().join("报告.docx");
    let o = shifan(
        &data,
        &["report", report.to_str().expect("utf8"), t[0], t[1]],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(&report).expect("report").len() > 10_000);
    let png = d.path().join("一图读懂.png");
    let o = shifan(
        &data,
        &["summary-image", png.to_str().expect("utf8"), "--json"],
    );
    assert_eq!(json(&o)["width"], 1080);
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
    let zip = d.path().join("申报材料.zip");
    let o = shifan(&data, &["package", zip.to_str().expect("utf8"), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert_eq!(json(&o)["entries"].as_array().map(Vec::len), Some(4));
    assert!(zip.is_file());
}
