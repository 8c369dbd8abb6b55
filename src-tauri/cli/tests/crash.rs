//! Crash safety: each long operation runs through the real `shifan` binary and is killed with
//! SIGKILL (`Child::kill`) at a random moment, many times. After every kill the data folder must
//! pass `PRAGMA integrity_check` and `foreign_key_check`, show no half-applied import, hold no
//! partial output file, and re-running the operation must complete it. Bounded by time
//! (`SHIFAN_CRASH_SECS`, default 40 s); prints runs, kills and failures.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("SHIFAN_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run_ok(dir: &Path, args: &[&str]) -> Result<(), String> {
    let o = cmd(dir, args).output().map_err(|e| e.to_string())?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "shifan {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &dst.join(e.file_name()));
        } else {
            std::fs::copy(&p, dst.join(e.file_name())).expect("copy");
        }
    }
}

/// Database invariants after a kill. Returns (systems, leaves of the imported system or 0).
fn check_db(dir: &Path) -> Result<(i64, i64), String> {
    let db = dir.join("shifan.db");
    if !db.exists() {
        return Ok((0, 0));
    }
    let c = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
    let ic: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if ic != "ok" {
        return Err(format!("integrity_check: {ic}"));
    }
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    if fk != 0 {
        return Err(format!("{fk} foreign-key violations"));
    }
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if version == 0 {
        // Killed during the very first open: migrations are transactional, nothing applied yet.
        return Ok((0, 0));
    }
    let systems: i64 = c
        .query_row("SELECT count(*) FROM indicator_system", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    // No half-applied import: a system is either absent or has all its 104 indicators.
    let leaves: i64 = c
        .query_row(
            "SELECT count(*) FROM indicator i JOIN indicator_system s ON s.id = i.system_id
             WHERE s.embedded = 0 AND i.is_leaf = 1",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if leaves != 0 && leaves != 104 {
        return Err(format!("half-applied import: {leaves} of 104 indicators"));
    }
    Ok((systems, leaves))
}

/// xorshift for kill delays.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Import,
    Backup,
    BackupToFolder,
    Restore,
    HandoverExport,
    HandoverImport,
}

#[test]
fn killing_long_operations_at_random_points_never_damages_the_data_folder() {
    let budget = Duration::from_secs(
        std::env::var("SHIFAN_CRASH_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40),
    );
    let root = tempfile::tempdir().expect("tmp");
    // Template: a campaign on the demo system, one backup, one hand-over file.
    let template = root.path().join("模板");
    run_ok(&template, &["init", "--name", "曾都区"]).expect("init");
    run_ok(&template, &["backup", "create"]).expect("backup");
    let handover = root.path().join("交接.shifan");
    run_ok(
        &template,
        &["handover", "export", handover.to_str().expect("utf8")],
    )
    .expect("export");
    let backup_id = {
        let o = Command::new(env!("CARGO_BIN_EXE_shifan"))
            .arg("--data-dir")
            .arg(&template)
            .args(["backup", "list", "--json"])
            .output()
            .expect("list");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v[0]["id"].as_str().expect("id").to_string()
    };
    let national = fixture("indicators/national-104.xlsx");
    let national = national.to_str().expect("utf8").to_string();

    let ops = [
        Op::Import,
        Op::Backup,
        Op::BackupToFolder,
        Op::Restore,
        Op::HandoverExport,
        Op::HandoverImport,
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut runs, mut kills, mut failures) = (0u32, 0u32, Vec::<String>::new());
    let started = Instant::now();
    while started.elapsed() < budget {
        let op = ops[runs as usize % ops.len()];
        let work = root.path().join(format!("run{runs}"));
        let out_dir = root.path().join(format!("out{runs}"));
        std::fs::create_dir_all(&out_dir).expect("mkdir");
        let data = if matches!(op, Op::HandoverImport) {
            work.join("新电脑")
        } else {
            copy_dir(&template, &work);
            work.clone()
        };
        let out_file = out_dir.join("交接.shifan");
        let args: Vec<String> = match op {
            Op::Import => vec![
                "indicators".into(),
                "import".into(),
                national.clone(),
                "--bind".into(),
            ],
            Op::Backup => vec!["backup".into(), "create".into()],
            Op::BackupToFolder => vec![
                "backup".into(),
                "create".into(),
                "--to".into(),
                out_dir.display().to_string(),
            ],
            Op::Restore => vec!["backup".into(), "restore".into(), backup_id.clone()],
            Op::HandoverExport => vec![
                "handover".into(),
                "export".into(),
                out_file.display().to_string(),
            ],
            Op::HandoverImport => vec![
                "handover".into(),
                "import".into(),
                handover.display().to_string(),
            ],
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = cmd(&data, &argv).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.below(60)));
        let killed = matches!(child.try_wait(), Ok(None));
        let _ = child.kill(); // SIGKILL on unix, TerminateProcess on Windows
        let _ = child.wait();
        if killed {
            kills += 1;
        }
        let check = (|| -> Result<(), String> {
            check_db(&data)?;
            if out_file.exists() {
                // A hand-over file under its final name is always whole.
                let probe = work.join("probe");
                run_ok(
                    &probe,
                    &[
                        "handover",
                        "import",
                        out_file.to_str().unwrap_or(""),
                        "--preview",
                    ],
                )
                .map_err(|e| format!("partial hand-over file: {e}"))?;
            }
            // Re-running completes the operation.
            run_ok(&data, &argv)?;
            let (_, leaves) = check_db(&data)?;
            match op {
                Op::Import if leaves != 104 => Err("import not completed on re-run".into()),
                Op::HandoverExport if !out_file.exists() => Err("export not completed".into()),
                _ => Ok(()),
            }
        })();
        if let Err(e) = check {
            failures.push(format!("run {runs} {op:?} (killed={killed}): {e}"));
        }
        let _ = std::fs::remove_dir_all(&work);
        let _ = std::fs::remove_dir_all(&out_dir);
        runs += 1;
    }
    println!(
        "crash harness: {runs} runs, {kills} kills mid-operation, {} failures in {:?}",
        failures.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(runs >= 30, "only {runs} runs");
}
