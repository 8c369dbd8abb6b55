//! 示范创建工作台: the Tauri shell. It opens the data folder, manages it as state and exposes
//! the engine (`shifan_core`) to the Vue UI through thin commands. Only this crate knows IPC.

// A panic on user data is a bug: no unwrap()/expect() outside tests (clippy.toml allows them
// in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod commands;
pub mod error;
pub mod jobs;
pub mod surface;
pub mod system_open;

use std::path::PathBuf;
use std::sync::Mutex;

use shifan_core::recovery::{self, Opened};
use tauri::{Manager, Runtime};

pub use error::{CmdError, CmdResult};

/// Environment variable that overrides the data folder (used by the e2e test and by users who
/// keep their data on another drive).
pub const DATA_DIR_ENV: &str = "SHIFAN_DATA_DIR";

/// Plugins and commands, shared by the real app (`run`) and the MockRuntime tests. The tests
/// manage a `Mutex<Workspace>` (or a [`commands::RecoveryState`]) themselves; `run` does it in
/// `setup`.
pub fn builder<R: Runtime>(b: tauri::Builder<R>) -> tauri::Builder<R> {
    b.plugin(tauri_plugin_dialog::init())
        .manage(jobs::Jobs::default())
        .invoke_handler(commands::handler())
}

/// Where the data lives: `$SHIFAN_DATA_DIR` if set, else the per-user app data folder
/// (`%APPDATA%\cn.gov.shifan.workbench` on Windows).
fn data_dir<R: Runtime>(app: &tauri::App<R>) -> Result<PathBuf, String> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app
            .path()
            .app_data_dir()
            .map_err(|e| format!("无法确定数据文件夹的位置：{e}")),
    }
}

/// Opens the workspace, then creates the main window (declared with `"create": false` so that
/// no UI can call a command before the state exists). When the data file is damaged or missing
/// while backups exist, the window opens on the recovery start screen instead (the folder's
/// lock held, [`commands::RecoveryState`] managed, no workspace). On any other failure there is
/// no window: a native Chinese message explains what happened and the app exits with code 1.
fn setup<R: Runtime>(app: &mut tauri::App<R>) -> Result<(), Box<dyn std::error::Error>> {
    let opened = data_dir(app).and_then(|dir| {
        // Holds the data-folder lock for the app's lifetime: a second instance (or a CLI write)
        // gets a Chinese message naming this process, and the second app exits.
        recovery::open_or_recover(&dir, shifan_core::lock::Program::Desktop)
            .map_err(|e| format!("无法打开数据文件夹“{}”：{e}", dir.display()))
    });
    match opened {
        Ok(Opened::Workspace(ws)) => {
            app.manage(Mutex::new(*ws));
            open_main_window(app)?;
        }
        Ok(Opened::Recovery(r)) => {
            if let Ok(Some(s)) = r.status() {
                eprintln!("示范创建工作台：{}", s.message);
            }
            app.manage(commands::RecoveryState::new(Some(r)));
            open_main_window(app)?;
        }
        Err(message) => fail_to_start(app, &message),
    }
    Ok(())
}

fn open_main_window<R: Runtime>(app: &tauri::App<R>) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or("tauri.conf.json declares no window \"main\"")?;
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?.build()?;
    Ok(())
}

fn fail_to_start<R: Runtime>(app: &tauri::App<R>, message: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
    eprintln!("示范创建工作台无法启动：{message}");
    let handle = app.handle().clone();
    app.dialog()
        .message(format!("{message}\n\n程序将退出。请检查该文件夹是否存在、是否有写入权限，或是否已有另一个示范创建工作台正在运行。"))
        .title("示范创建工作台无法启动")
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::OkCustom("退出".into()))
        .show(move |_| handle.exit(1));
}

/// Entry point of the desktop app.
pub fn run() {
    let app = builder(tauri::Builder::default())
        .setup(setup)
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("示范创建工作台无法启动：{e}");
            std::process::exit(1);
        }
    }
}
