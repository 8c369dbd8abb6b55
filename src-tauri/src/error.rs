//! The one error type that crosses IPC. It is the only place that decides what the UI receives
//! when a command fails: `{ "kind": "<stable tag>", "message": "<complete Chinese text>" }`.
//! The UI branches on `kind` and shows `message` as is.

use serde::ser::{Serialize, SerializeStruct, Serializer};

#[derive(Debug)]
pub struct CmdError {
    kind: &'static str,
    message: String,
}

impl CmdError {
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// A failure of the shell itself (a worker thread died, state missing). A bug, not a user
    /// error; the message still reads as Chinese and says what to do.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        CmdError {
            kind: shifan_core::error::ErrorKind::Internal.as_str(),
            message: format!("程序内部错误，请重启示范创建工作台后重试。（{detail}）"),
        }
    }
}

impl From<shifan_core::Error> for CmdError {
    fn from(e: shifan_core::Error) -> Self {
        CmdError {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CmdError {}

impl Serialize for CmdError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CmdError", 2)?;
        st.serialize_field("kind", self.kind)?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

pub type CmdResult<T> = Result<T, CmdError>;
