//! The commands through real IPC on the MockRuntime: the same path the Vue UI takes (argument
//! names in camelCase, results and errors as JSON), without a window or a display.

use std::sync::Mutex;

use serde_json::{Value, json};
use shifan_core::Workspace;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

/// One app on a fresh data folder, with a window to invoke from.
struct Desk {
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
    _app: App<MockRuntime>,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = shifan_app::builder(mock_builder())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let ws = Workspace::open(&dir.path().join("data")).expect("workspace opens");
        app.manage(Mutex::new(ws));
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window");
        Desk {
            window,
            dir,
            _app: app,
        }
    }

    /// Invokes `cmd` as the UI does; Ok is the JSON result, Err the JSON error.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        // The IPC origin differs per platform; a wrong one makes every command "not allowed".
        let url = if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        };
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: url.parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON result"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should fail but returned {v}"),
            Err(e) => e,
        }
    }
}

fn leaves(nodes: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for n in nodes.as_array().expect("array of nodes") {
        if n["isLeaf"] == json!(true) {
            out.push(n);
        }
        out.extend(leaves(&n["children"]));
    }
    out
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The shape every failed command has: exactly `{kind, message}`, message in Chinese.
fn assert_error(e: &Value, kind: &str) {
    assert_eq!(e["kind"], json!(kind), "error kind of {e}");
    let message = e["message"].as_str().expect("message is a string");
    assert!(has_cjk(message), "message is Chinese: {message}");
    assert_eq!(
        e.as_object().map(|o| o.len()),
        Some(2),
        "only kind and message: {e}"
    );
}

#[test]
fn first_run_creates_a_campaign_on_the_demo_system_and_shows_its_100_indicators() {
    let desk = Desk::new();

    let status = desk.ok("app_status", json!({}));
    assert_eq!(
        status["active"],
        Value::Null,
        "a fresh folder has no campaign"
    );
    assert_eq!(status["campaigns"], json!([]));

    let systems = desk.ok("list_systems", json!({}));
    assert!(
        systems
            .as_array()
            .expect("systems")
            .iter()
            .any(|s| s["key"] == json!("demo") && s["isDemo"] == json!(true)),
        "the embedded demo system is seeded: {systems}"
    );

    let campaign = desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );
    assert_eq!(campaign["district"], json!("曾都区"));
    assert_eq!(campaign["active"], json!(true));
    assert_eq!(campaign["systemIsDemo"], json!(true));

    let tree = desk.ok("indicator_tree", json!({ "systemId": null }));
    assert_eq!(
        tree["system"]["id"], campaign["systemId"],
        "the active campaign's system"
    );
    assert_eq!(leaves(&tree["roots"]).len(), 100);
    assert_eq!(tree["system"]["leafCount"], json!(100));
    let name = tree["system"]["name"].as_str().expect("system name");
    assert!(
        name.contains("演示"),
        "the demo system says it is a demo: {name}"
    );

    let status = desk.ok("app_status", json!({}));
    assert_eq!(status["active"]["id"], campaign["id"]);
    assert_eq!(status["campaigns"].as_array().map(Vec::len), Some(1));
}

#[test]
fn failures_arrive_as_kind_and_chinese_message() {
    let desk = Desk::new();

    let e = desk.err("switch_campaign", json!({ "id": 4242 }));
    assert_error(&e, "notFound");

    let e = desk.err(
        "create_campaign",
        json!({ "input": { "district": "  ", "systemKey": "demo" } }),
    );
    assert_error(&e, "invalid");
    assert_eq!(
        desk.ok("app_status", json!({}))["campaigns"],
        json!([]),
        "nothing was created"
    );
}

#[test]
fn an_exported_system_reads_back_as_the_same_100_indicators() {
    let desk = Desk::new();
    desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );

    let target = desk.dir.path().join("导出").join("指标体系表.xlsx");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    let written = desk.ok(
        "export_indicators",
        json!({ "path": target.to_string_lossy(), "systemId": null }),
    );
    let written = std::path::PathBuf::from(written.as_str().expect("path of the written file"));
    let bytes = std::fs::read(&written).expect("exported file exists");
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");

    let preview = desk.ok(
        "preview_indicator_import",
        json!({ "path": written.to_string_lossy() }),
    );
    assert_eq!(preview["leafCount"], json!(100), "{}", preview["issues"]);
    assert_eq!(preview["canApply"], json!(true), "{}", preview["issues"]);
}

/// The 任务分解 page's data through IPC: the demo district's units, roster check and per-unit
/// summary, a filter by unit, and an export of the per-unit work sheets.
#[test]
fn units_roster_and_assignments_reach_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let units = desk.ok("list_units", json!({}));
    let units = units.as_array().expect("array");
    assert!(units.len() >= 60, "a district's units ({})", units.len());
    let short = desk.ok("roster_check", json!({}));
    let short = short.as_array().expect("array");
    assert!(!short.is_empty(), "some demo units fall short of the rule");
    assert!(short.iter().all(|s| s["missing"].as_i64().unwrap_or(0) > 0));

    let summary = desk.ok("unit_task_summary", json!({}));
    let sifa = summary
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["unitName"] == json!("区司法局"))
        .expect("区司法局 has tasks");
    assert!(sifa["text"].as_str().is_some_and(|t| t.contains("牵头")));
    let unit_id = sifa["unitId"].clone();
    let lead = sifa["leadCount"].as_i64().unwrap_or(0) + sifa["supportCount"].as_i64().unwrap_or(0);
    let mine = desk.ok(
        "list_assignments",
        json!({ "filter": { "unitId": unit_id } }),
    );
    assert_eq!(
        mine.as_array().map(Vec::len).unwrap_or(0) as i64,
        lead,
        "filter by unit"
    );

    let zip = desk.dir.path().join("各单位工作表.zip");
    desk.ok(
        "export_unit_sheets",
        json!({ "target": zip.display().to_string() }),
    );
    assert!(std::fs::read(&zip).expect("zip written").starts_with(b"PK"));

    let e = desk.err("delete_unit", json!({ "id": 999_999 }));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    );
}

/// The 单位 form of the UI: save_unit with a camelCase input (new, then edited by id),
/// the core's clash message as `{kind, message}`, and delete_unit refusing a unit with tasks.
#[test]
fn a_unit_is_saved_edited_and_deleted_through_ipc() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let input = json!({
        "id": null, "name": "区法学会", "shortName": "法学会", "aliases": ["区法学研究会"],
        "kind": "非行政执法单位", "contact": "张三", "phone": "0722-3300000", "note": ""
    });
    let saved = desk.ok("save_unit", json!({ "input": input }));
    assert_eq!(saved["shortName"], json!("法学会"));
    assert_eq!(saved["rosterRequired"], json!(2));
    let id = saved["id"].clone();

    let mut edited = input.clone();
    edited["id"] = id.clone();
    edited["kind"] = json!("其他");
    let e = desk.ok("save_unit", json!({ "input": edited }));
    assert_eq!(
        (e["id"].clone(), e["kind"].clone()),
        (id.clone(), json!("其他"))
    );

    let mut clash = input.clone();
    clash["name"] = json!("区司法局");
    clash["aliases"] = json!([]);
    let err = desk.err("save_unit", json!({ "input": clash }));
    assert_eq!(err["kind"], json!("invalid"));
    assert_eq!(err["message"], json!("单位“区司法局”已存在。"));

    let units = desk.ok("list_units", json!({}));
    let sifa = units
        .as_array()
        .and_then(|us| us.iter().find(|u| u["name"] == json!("区司法局")))
        .expect("区司法局")
        .clone();
    let refused = desk.err("delete_unit", json!({ "id": sifa["id"] }));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("仍承担") && m.contains("任务分解")),
        "{refused}"
    );
    assert_eq!(desk.ok("delete_unit", json!({ "id": id })), Value::Null);
    let after = desk.ok("list_units", json!({}));
    assert!(
        !after
            .as_array()
            .expect("array")
            .iter()
            .any(|u| u["id"] == id)
    );
}

#[test]
fn data_safety_reaches_the_ui_backups_restore_handover_oplog_and_checks() {
    let desk = Desk::new();
    desk.ok(
        "create_campaign",
        json!({ "input": { "district": "曾都区", "systemKey": "demo" } }),
    );

    // 设置 → 操作人: recorded with every later change.
    assert_eq!(
        desk.ok("set_operator", json!({ "name": "李四" })),
        json!("李四")
    );
    assert_eq!(desk.ok("get_operator", json!({})), json!("李四"));

    // Health: the quick check made at open, a full check, and repair on a healthy folder.
    assert_eq!(desk.ok("get_health", json!({}))["ok"], json!(true));
    let full = desk.ok("check_data", json!({ "full": true }));
    assert_eq!(
        (full["ok"].clone(), full["full"].clone()),
        (json!(true), json!(true))
    );
    assert!(has_cjk(full["summary"].as_str().unwrap_or("")), "{full}");
    assert_eq!(desk.ok("repair_data", json!({}))["ok"], json!(true));

    // A backup started as a job (id + progress channel, as api.ts sends it), then listed.
    let b = desk.ok(
        "backup_now",
        json!({ "job": "job-1", "progress": "__CHANNEL__:4242" }),
    );
    assert_eq!(b["operator"], json!("李四"));
    let backups = desk.ok("list_backups", json!({}));
    assert!(
        backups
            .as_array()
            .expect("backups")
            .iter()
            .any(|x| x["id"] == b["id"]),
        "{backups}"
    );
    // The job is gone once it ended: 取消 then finds nothing to stop.
    assert_eq!(
        desk.ok("cancel_job", json!({ "job": "job-1" })),
        json!(false)
    );

    // To a folder the user picked (a USB disk), and to a folder that is not there.
    let usb = desk.dir.path().join("U盘 备份");
    std::fs::create_dir_all(&usb).expect("usb");
    let copy = desk.ok(
        "backup_to_folder",
        json!({ "folder": usb.display().to_string() }),
    );
    assert!(std::path::Path::new(copy["path"].as_str().expect("path")).is_file());
    let gone = desk.err(
        "backup_to_folder",
        json!({ "folder": desk.dir.path().join("拔出的U盘").display().to_string() }),
    );
    assert!(has_cjk(gone["message"].as_str().unwrap_or("")), "{gone}");

    // Restore: preview first, then restore with a safety backup of the current state.
    let pv = desk.ok("preview_restore", json!({ "source": b["id"] }));
    assert_eq!(pv["canRestore"], json!(true));
    assert_eq!(
        pv["backup"]["summary"]["campaigns"],
        json!(["曾都区法治政府建设示范创建（省级）"])
    );
    let r = desk.ok(
        "apply_restore",
        json!({ "source": b["id"], "job": "job-2" }),
    );
    assert!(has_cjk(r["message"].as_str().unwrap_or("")));
    assert_ne!(r["safetyBackup"]["id"], b["id"]);
    // A restore is not an import: nothing to 撤销, and asking anyway is a Chinese refusal.
    assert_eq!(desk.ok("preview_undo", json!({})), Value::Null);
    let e = desk.err("apply_undo", json!({ "job": "job-u" }));
    assert_eq!(e["kind"], json!("invalid"));

    // 操作日志: filtered by action and exported to Excel.
    let log = desk.ok("list_oplog", json!({ "filter": {} }));
    assert!(log["total"].as_i64().unwrap_or(0) >= 2, "{log}");
    assert!(
        log["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["operator"] == json!("李四"))
    );
    let action = log["entries"][0]["action"].clone();
    let only = desk.ok("list_oplog", json!({ "filter": { "action": action } }));
    assert!(
        only["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["action"] == action)
    );
    let xlsx = desk.dir.path().join("操作日志.xlsx");
    desk.ok(
        "export_oplog",
        json!({ "filter": {}, "path": xlsx.display().to_string() }),
    );
    assert!(std::fs::read(&xlsx).expect("oplog xlsx").starts_with(b"PK"));

    // Hand-over: exported here, verified and imported on a "new PC" (that a folder with
    // real campaigns refuses it is tested in the core's safety tests).
    let file = desk.dir.path().join("交接 2026.shifan");
    let m = desk.ok(
        "export_handover",
        json!({ "path": file.display().to_string(), "job": "job-3" }),
    );
    assert_eq!(m["operator"], json!("李四"));
    let pc2 = Desk::new();
    let check = pc2.ok(
        "preview_handover_import",
        json!({ "path": file.display().to_string() }),
    );
    assert_eq!(
        (check["databaseOk"].clone(), check["canImport"].clone()),
        (json!(true), json!(true))
    );
    let done = pc2.ok(
        "apply_handover_import",
        json!({ "path": file.display().to_string() }),
    );
    assert_eq!(done["imported"], json!(true));
    let status = pc2.ok("app_status", json!({}));
    assert_eq!(status["campaigns"].as_array().map(Vec::len), Some(1));
}

#[test]
fn cancel_reaches_the_running_job_and_only_while_it_runs() {
    use shifan_app::jobs::Jobs;
    let jobs = Jobs::default();
    let guard = jobs.start(Some("job-7".into()));
    assert!(!jobs.cancel("job-8"), "another id stops nothing");
    assert!(!guard.cancel.is_cancelled());
    assert!(jobs.cancel("job-7"));
    assert!(guard.cancel.is_cancelled());
    drop(guard);
    assert!(!jobs.cancel("job-7"), "ended jobs are forgotten");
    let anonymous = jobs.start(None);
    assert!(!anonymous.cancel.is_cancelled());
}

/// The TypeScript bindings of the IPC surface: written to `ui/src/gen/commands.ts` like ts-rs
/// writes the types (the bindings check of `make test` then fails when they are stale), and
/// checked against the handler so that no command is missing from either.
#[test]
fn the_ipc_surface_is_generated_for_typescript() {
    let specs = shifan_app::commands::surface();
    let kinds: Vec<&str> = shifan_core::error::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    let ts = shifan_app::surface::typescript(&specs, &kinds);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen");
    std::fs::create_dir_all(&dir).expect("gen dir");
    std::fs::write(dir.join("commands.ts"), &ts).expect("write commands.ts");

    // Every declared command answers through the real handler (an unknown one is refused).
    let desk = Desk::new();
    let mut names = std::collections::HashSet::new();
    for s in &specs {
        assert!(names.insert(s.name), "{} declared twice", s.name);
        if let Err(e) = desk.invoke(s.name, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not found"),
                "{} is declared but not handled: {text}",
                s.name
            );
        }
        // Every type the bindings name is imported.
        for i in &s.imports {
            assert!(
                ts.contains(&format!("import type {{ {i} }} from './{i}'")),
                "{i}"
            );
        }
    }
    let unknown = desk
        .invoke("no_such_command", json!({}))
        .expect_err("refused");
    assert!(unknown.to_string().contains("not found"), "{unknown}");
    assert!(
        ts.contains(
            "export function previewUnitsImport(path: string): Promise<UnitsImportPreview>"
        )
    );
    assert!(ts.contains("preview_tasks_import: '读取任务分解表'"));
    assert!(ts.contains("'notFound'") && ts.contains("'internal'"));
}

/// The 模拟评估 page's data through IPC on the demo campaign: rounds, the grid with experts side
/// by side, a mark in half points, a score above the 分值 refused as `{kind, message}`, the
/// results and trend, the scoring sheets out to a zip and previewed back, the problem drafts.
#[test]
fn evaluation_rounds_grid_marks_results_and_scoring_sheets_reach_the_ui() {
    let desk = Desk::new();
    {
        let state = desk.window.state::<Mutex<Workspace>>();
        let mut ws = state.lock().expect("lock");
        shifan_core::demo::create(&mut ws).expect("demo campaign");
    }
    let rounds = desk.ok("eval_rounds", json!({}));
    let rounds = rounds.as_array().expect("array");
    assert_eq!(rounds.len(), 2);
    let r1 = rounds[0]["id"].clone();
    let r2 = rounds[1]["id"].clone();

    let grid = desk.ok("eval_grid", json!({ "roundId": r1 }));
    assert_eq!(grid["experts"].as_array().map(Vec::len), Some(3));
    let rows = grid["rows"].as_array().expect("rows");
    let overlap = rows
        .iter()
        .find(|r| r["no"] == json!(36))
        .expect("indicator 36");
    assert_eq!(
        overlap["marks"].as_array().map(Vec::len),
        Some(2),
        "side by side"
    );
    let three = rows.iter().find(|r| r["no"] == json!(3)).expect("3");
    assert_eq!(three["max"], json!(10.5));

    let row = desk.ok(
        "save_mark",
        json!({ "input": {
            "roundId": r2, "indicatorId": three["indicatorId"], "expertId": null,
            "score": 9.5, "reason": "依法治区办复核"
        }}),
    );
    assert_eq!(row["score"], json!(9.5));
    assert_eq!(row["source"], json!("office"));
    let e = desk.err(
        "save_mark",
        json!({ "input": {
            "roundId": r2, "indicatorId": three["indicatorId"], "score": 11
        }}),
    );
    assert_error(&e, "invalid");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("超过该指标的分值 10.5"))
    );

    let res = desk.ok("eval_results", json!({ "roundId": r2 }));
    assert_eq!(res["total"]["max"], json!(1000));
    assert_eq!(res["previous"]["roundId"], r1);
    assert_eq!(res["reference"], json!(true));
    assert_eq!(res["lostRanking"][0]["no"], json!(50));
    let trend = desk.ok("eval_trend", json!({}));
    assert_eq!(trend.as_array().map(Vec::len), Some(2));
    let drafts = desk.ok("deductions_for_problems", json!({ "roundId": r2 }));
    assert!(drafts.as_array().is_some_and(|d| !d.is_empty()));

    let zip = desk.dir.path().join("专家评分表.zip");
    let out = desk.ok(
        "export_score_sheets",
        json!({ "roundId": r2, "target": zip.display().to_string() }),
    );
    assert_eq!(out["expertCount"], json!(3));
    let back = desk.ok(
        "preview_score_collect",
        json!({ "path": zip.display().to_string() }),
    );
    assert_eq!(back["canApply"], json!(true), "{}", back["issues"]);
    assert_eq!(back["changeCount"], json!(0));

    let model = desk.ok("scoring_model", json!({}));
    assert_eq!(model["officeTotal"], json!(1000));
    assert_eq!(
        model["weights"]["written"],
        Value::Null,
        "weights blank by default"
    );
}
