//! The one error type of the engine. Every variant carries a complete Chinese message for the
//! user; `kind()` is the stable machine-readable tag the shell and CLI put beside it.

use crate::model::ImportIssue;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is not acceptable (missing name, unknown key, …).
    #[error("{0}")]
    Invalid(String),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A file could not be read as what it claims to be; the message names the file.
    #[error("{0}")]
    BadFile(String),
    /// An import found errors; nothing was stored. Issues carry file/sheet/row/column.
    #[error("{}", import_summary(.file, .issues))]
    Import {
        file: String,
        issues: Vec<ImportIssue>,
    },
    /// A file-system operation failed; the message names the path and the cause in Chinese.
    #[error("{0}")]
    Io(String),
    /// The user cancelled a long operation; nothing was changed.
    #[error("操作已取消，未做任何修改。")]
    Cancelled,
    /// The data folder is in use by another Shifan process.
    #[error("{0}")]
    Busy(String),
    /// The database itself failed. Shown with a hint; details go to the log.
    #[error("数据库操作失败：{0}")]
    Db(String),
}

fn import_summary(file: &str, issues: &[ImportIssue]) -> String {
    let errors: Vec<&ImportIssue> = issues
        .iter()
        .filter(|i| i.severity == crate::model::Severity::Error)
        .collect();
    let mut s = format!(
        "无法导入“{}”，共发现 {} 处错误，未做任何修改。",
        file,
        errors.len()
    );
    for i in errors.iter().take(5) {
        s.push('\n');
        s.push_str(&i.message);
    }
    if errors.len() > 5 {
        s.push_str(&format!("\n……另有 {} 处错误", errors.len() - 5));
    }
    s
}

/// The stable tag of an error, as the UI and scripts branch on it (`{kind, message}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ErrorKind {
    Invalid,
    NotFound,
    BadFile,
    Import,
    Io,
    Cancelled,
    Busy,
    Db,
    /// A failure of the desktop shell itself (never made by the engine).
    Internal,
}

impl ErrorKind {
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Invalid,
        ErrorKind::NotFound,
        ErrorKind::BadFile,
        ErrorKind::Import,
        ErrorKind::Io,
        ErrorKind::Cancelled,
        ErrorKind::Busy,
        ErrorKind::Db,
        ErrorKind::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotFound => "notFound",
            ErrorKind::BadFile => "badFile",
            ErrorKind::Import => "import",
            ErrorKind::Io => "io",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Busy => "busy",
            ErrorKind::Db => "db",
            ErrorKind::Internal => "internal",
        }
    }
}

impl Error {
    /// Stable tag for the UI and scripts.
    pub fn error_kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::Invalid,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::BadFile(_) => ErrorKind::BadFile,
            Error::Import { .. } => ErrorKind::Import,
            Error::Io(_) => ErrorKind::Io,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Busy(_) => ErrorKind::Busy,
            Error::Db(_) => ErrorKind::Db,
        }
    }

    /// [`Self::error_kind`] as its tag ("notFound").
    pub fn kind(&self) -> &'static str {
        self.error_kind().as_str()
    }

    /// Issues of an import error, empty otherwise.
    pub fn issues(&self) -> &[ImportIssue] {
        match self {
            Error::Import { issues, .. } => issues,
            _ => &[],
        }
    }

    /// An I/O error on `path`, explained in Chinese.
    pub fn io(action: &str, path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Io(format!(
            "{}“{}”失败：{}",
            action,
            path.display(),
            io_reason(e)
        ))
    }
}

/// The words for a file another program holds open (Windows sharing/lock violation).
pub const FILE_IN_USE: &str = "文件正被其他程序（如 Excel、WPS）占用，请关闭该文件后重试";

const DISK_FULL: &str = "磁盘空间不足，请清理磁盘后重试";

/// A Chinese reason for a raw OS error code an office PC meets, in the numbering of Windows
/// (`windows`) or of Unix. A plain function, so the Windows codes are tested on every OS.
pub fn os_code_reason(code: i32, windows: bool) -> Option<&'static str> {
    match (windows, code) {
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE: the file is
        // open in Excel/WPS (or a virus scanner).
        (true, 32 | 33 | 1224) => Some(FILE_IN_USE),
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL.
        (true, 39 | 112) => Some(DISK_FULL),
        // ERROR_WRITE_PROTECT: a write-protected USB disk or SD card.
        (true, 19) => Some("磁盘处于写保护状态（U 盘写保护开关？），无法写入"),
        // ERROR_NOT_READY, ERROR_DEV_NOT_EXIST: the removable disk or network drive is gone.
        (true, 21 | 55) => Some("磁盘或网络驱动器不可用（U 盘是否已拔出？）"),
        // ENOSPC (the other Unix codes are covered by their `ErrorKind`).
        (false, 28) => Some(DISK_FULL),
        _ => None,
    }
}

/// A Chinese reason for the common I/O failures an office PC meets.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let raw = e.raw_os_error();
    if let Some(r) = raw.and_then(|c| os_code_reason(c, cfg!(windows))) {
        return r.into();
    }
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有访问权限（文件可能为只读，或正被 Excel/WPS 打开）".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::ReadOnlyFilesystem => "所在磁盘为只读".into(),
        K::StorageFull => DISK_FULL.into(),
        // EBUSY and the like: the nearest other systems come to a file held open elsewhere.
        K::ResourceBusy | K::ExecutableFileBusy => FILE_IN_USE.into(),
        K::NotADirectory => "路径中有一级不是文件夹（可能与同名文件冲突）".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::DirectoryNotEmpty => "文件夹不是空的".into(),
        K::InvalidFilename => "文件名无效或过长".into(),
        K::TimedOut => "操作超时（网络盘或移动硬盘可能已断开）".into(),
        K::Interrupted => "操作被中断，请重试".into(),
        K::UnexpectedEof => "文件不完整（可能在复制时被截断）".into(),
        K::QuotaExceeded => "超出磁盘配额".into(),
        K::FileTooLarge => "文件过大".into(),
        // Users see Chinese only; the OS code helps support staff.
        _ => match raw {
            Some(code) => format!("系统错误（错误代码 {code}）"),
            None => "系统错误".into(),
        },
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    return Error::Busy(
                        "数据文件正被另一个示范创建工作台窗口或命令使用，请稍后重试。".into(),
                    );
                }
                rusqlite::ErrorCode::DiskFull => {
                    return Error::Io("磁盘空间不足，数据未保存，请清理磁盘后重试。".into());
                }
                rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen => {
                    return Error::Io(
                        "无法写入数据文件夹（可能为只读或无权限），数据未保存。".into(),
                    );
                }
                rusqlite::ErrorCode::ConstraintViolation => {
                    // A plan that should have refused the change (same name twice …): say
                    // what it means; SQLite's English stays inside the brackets.
                    return Error::Db(format!(
                        "要保存的内容与已有数据冲突（例如同一名称出现两次），未做任何修改。（{e}）"
                    ));
                }
                _ => {}
            }
        }
        // Never SQLite's English alone: a Chinese sentence, the details in brackets.
        Error::Db(format!("未做任何修改。（{e}）"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kinds_are_their_serde_names() {
        for k in ErrorKind::ALL {
            let json = serde_json::to_string(k).expect("json");
            assert_eq!(json.trim_matches('"'), k.as_str());
        }
    }

    /// Whether `msg` holds ASCII words outside full-width brackets.
    fn english_outside_brackets(msg: &str) -> bool {
        let mut depth = 0i32;
        let mut run = 0;
        for c in msg.chars() {
            match c {
                '（' => depth += 1,
                '）' => depth -= 1,
                _ => {}
            }
            run = if depth <= 0 && c.is_ascii_alphabetic() {
                run + 1
            } else {
                0
            };
            if run >= 3 {
                return true;
            }
        }
        false
    }

    #[test]
    fn sqlite_failures_are_chinese_with_the_english_only_in_brackets() {
        let c = rusqlite::Connection::open_in_memory().expect("db");
        c.execute_batch("CREATE TABLE t (a TEXT UNIQUE); INSERT INTO t VALUES ('x');")
            .expect("schema");
        let unique = Error::from(
            c.execute("INSERT INTO t VALUES ('x')", [])
                .expect_err("unique"),
        )
        .to_string();
        assert!(unique.contains("冲突"), "{unique}");
        assert!(unique.contains("（UNIQUE constraint failed"), "{unique}");
        assert!(!english_outside_brackets(&unique), "{unique}");
        let other = Error::from(
            c.execute("INSERT INTO missing VALUES (1)", [])
                .expect_err("no table"),
        )
        .to_string();
        assert!(other.starts_with("数据库操作失败："), "{other}");
        assert!(!english_outside_brackets(&other), "{other}");
    }

    #[test]
    fn io_reasons_are_chinese_only() {
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::NotADirectory,
            std::io::ErrorKind::Other,
        ] {
            let r = io_reason(&std::io::Error::new(kind, "english detail"));
            assert!(!r.contains("english"), "{r}");
            assert!(
                r.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{r}"
            );
        }
        let r = io_reason(&std::io::Error::from_raw_os_error(20));
        assert!(!r.contains("Not a directory"), "{r}");
    }

    #[test]
    fn windows_codes_for_a_file_open_in_excel_and_a_full_disk_are_explained() {
        for code in [32, 33] {
            let r = os_code_reason(code, true).expect("known");
            assert!(r.contains("Excel") && r.contains("占用"), "{r}");
        }
        assert!(os_code_reason(112, true).is_some_and(|r| r.contains("磁盘空间不足")));
        assert!(os_code_reason(19, true).is_some_and(|r| r.contains("写保护")));
        // The same numbers mean other things on Unix (32 = EPIPE, 112 = EHOSTDOWN).
        assert_eq!(os_code_reason(32, false), None);
        assert_eq!(os_code_reason(112, false), None);
        assert!(os_code_reason(28, false).is_some_and(|r| r.contains("磁盘空间不足")));
        // What a user of this build sees for the error its OS gives.
        let busy = io_reason(&std::io::Error::from(std::io::ErrorKind::ResourceBusy));
        assert_eq!(busy, FILE_IN_USE);
    }
}
