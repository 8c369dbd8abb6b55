//! Opening a file with the program the system associates with its type (Word for .docx, the
//! PDF reader for .pdf). Only ever called with a view copy the core made of an evidence item,
//! so nothing outside the store's content is opened.

use std::path::Path;
use std::process::Command;

/// Starts the system's program for `path` and returns at once (the program keeps running).
pub fn open_with_system(path: &Path) -> Result<(), shifan_core::Error> {
    #[cfg(windows)]
    let program = "explorer"; // explorer <file> opens it with its associated program
    #[cfg(not(windows))]
    let program = "xdg-open";
    Command::new(program)
        .arg(path)
        .spawn()
        .map(|_| ())
        .map_err(|e| {
            shifan_core::Error::Io(format!(
                "无法用系统程序打开“{}”（{e}），请在该文件夹中手动打开。",
                path.display()
            ))
        })
}
