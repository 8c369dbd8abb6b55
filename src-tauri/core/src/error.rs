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
    /// The data file `shifan.db` is damaged, empty or missing (while backups exist): nothing was
    /// opened or changed. The message names the file and the newest good backup; recovery works
    /// from [`crate::recovery`] without an open workspace.
    #[error("{0}")]
    Damaged(String),
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
    /// The data file is damaged or missing: the app offers to restore a backup.
    Damaged,
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
        ErrorKind::Damaged,
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
            ErrorKind::Damaged => "damaged",
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
            Error::Damaged(_) => ErrorKind::Damaged,
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
    /// SQLite's English text never reaches the user: the codes a user can meet (a damaged or
    /// foreign file, a disk error, a full disk, a read-only folder, a record that clashes with
    /// another) become Chinese sentences; anything else keeps SQLite's words only inside
    /// full-width brackets, for support staff.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let rusqlite::Error::SqliteFailure(f, detail) = &e else {
            return Error::Db(format!("本次操作未完成，未保存任何修改。（{e}）"));
        };
        match f.code {
            C::DatabaseBusy | C::DatabaseLocked => Error::Busy(
                "数据文件正被另一个示范创建工作台窗口或命令使用，请稍后重试。".into(),
            ),
            C::DiskFull => Error::Io("磁盘空间不足，数据未保存，请清理磁盘后重试。".into()),
            C::ReadOnly | C::CannotOpen | C::PermissionDenied => Error::Io(
                "无法写入数据文件夹（可能为只读或无权限），数据未保存。".into(),
            ),
            C::NotADatabase | C::DatabaseCorrupt => Error::Damaged(format!(
                "数据文件 {} 已损坏（不是完整的数据库文件），本次操作未完成。{}",
                crate::workspace::DB_FILE,
                RESTORE_ADVICE
            )),
            C::SystemIoFailure => Error::Io(
                "读写数据文件时出错（磁盘故障，或 U 盘、网络盘已断开？），本次操作未保存。请检查磁盘后重试。"
                    .into(),
            ),
            C::ConstraintViolation => Error::Db(constraint_reason(f.extended_code, detail.as_deref())),
            C::TooBig => Error::Db("内容过大，无法保存，未做任何修改。".into()),
            _ => Error::Db(format!("本次操作未完成，未保存任何修改。（{e}）")),
        }
    }
}

/// What to do about a damaged data file, in every message that reports one.
pub const RESTORE_ADVICE: &str = "请从备份恢复：重新启动桌面程序，启动页面会列出备份供恢复（命令行：shifan backup list 查看，shifan backup restore 备份编号 恢复）。损坏的文件会改名保留在数据文件夹中，不会删除。";

/// A Chinese reason for a constraint SQLite refused, from its extended code and the table
/// named in its message ("UNIQUE constraint failed: unit.campaign_id, unit.name").
fn constraint_reason(extended: i32, detail: Option<&str>) -> String {
    let table = detail
        .and_then(|d| d.split(':').nth(1))
        .and_then(|cols| cols.trim().split('.').next())
        .and_then(crate::backup::table_label);
    let place = table.map(|t| format!("“{t}”中")).unwrap_or_default();
    match extended {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
        2067 | 1555 => format!(
            "{place}已有相同的记录（例如同一项目中同名的单位），不能重复保存，未做任何修改。"
        ),
        // SQLITE_CONSTRAINT_FOREIGNKEY
        787 => {
            "记录之间的关联不一致（引用的记录不存在，或仍被其他记录引用），未做任何修改。".into()
        }
        // SQLITE_CONSTRAINT_NOTNULL
        1299 => format!("{place}缺少必填的内容，未做任何修改。"),
        // SQLITE_CONSTRAINT_CHECK
        275 => format!("{place}有内容的取值不被允许（例如单位类别不在可选范围内），未做任何修改。"),
        _ => format!("{place}内容不符合数据规则，未做任何修改。"),
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
        assert!(unique.contains("已有相同的记录"), "{unique}");
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

    /// The SQLite failures a user can meet, as they arrive: their English never reaches the
    /// message outside full-width brackets.
    #[test]
    fn sqlite_failures_become_chinese_sentences() {
        let c = rusqlite::Connection::open_in_memory().expect("db");
        c.execute_batch(
            "CREATE TABLE unit (campaign_id INTEGER, name TEXT NOT NULL, kind TEXT CHECK (kind IN ('a')),
                                UNIQUE (campaign_id, name));
             INSERT INTO unit VALUES (1, '区司法局', 'a');",
        )
        .expect("schema");
        // (statement, words, the table named) — SQLite names no table for a CHECK.
        let cases = [
            (
                "INSERT INTO unit VALUES (1, '区司法局', 'a')",
                "已有相同的记录",
                true,
            ),
            ("INSERT INTO unit VALUES (1, NULL, 'a')", "缺少必填", true),
            (
                "INSERT INTO unit VALUES (1, '区财政局', 'b')",
                "不被允许",
                false,
            ),
        ];
        for (sql, words, table) in cases {
            let e = Error::from(c.execute(sql, []).expect_err(sql));
            let m = e.to_string();
            assert!(m.contains(words), "{sql}: {m}");
            assert_eq!(m.contains("“责任单位”"), table, "{sql}: {m}");
            assert!(!m.contains("constraint") && !m.contains("kind"), "{m}");
        }
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("shifan.db");
        std::fs::write(&p, vec![0x42u8; 8192]).expect("garbage");
        let c = rusqlite::Connection::open(&p).expect("opens lazily");
        let e = Error::from(
            c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .expect_err("not a database"),
        );
        assert_eq!(e.kind(), "damaged");
        let m = e.to_string();
        assert!(
            m.contains("shifan.db") && m.contains("已损坏") && m.contains("备份"),
            "{m}"
        );
        assert!(!m.contains("file is not a database"), "{m}");
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
