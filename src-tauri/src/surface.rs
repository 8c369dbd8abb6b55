//! The IPC surface, declared once. `commands!` takes one line per command — name, arguments,
//! result, and the one core call — and makes from it:
//!
//! - the `#[tauri::command]` functions (each locks the workspace on a blocking thread, calls
//!   the core, maps the error to `{kind, message}`; a `job` command also gets the UI's job id
//!   and progress channel, so cancel and progress work without any code of its own);
//! - `handler()`, the list `tauri::generate_handler!` needs;
//! - `surface()`, a description of every command (names, argument and result types as
//!   TypeScript, the progress-window title of jobs), from which the bindings test writes
//!   `ui/src/gen/commands.ts`: typed wrappers, so a misspelt command or a wrong argument is a
//!   TypeScript compile error.
//!
//! Why a macro and not tauri-specta: see ARCHITECTURE.md ("The IPC surface").

use std::collections::BTreeSet;

use ts_rs::{Config, Dependency, TS, TypeVisitor};

/// One command as the UI sees it.
pub struct CommandSpec {
    /// snake_case name, as `invoke` takes it.
    pub name: &'static str,
    /// Doc comment of the declaration (Chinese or English), copied to TypeScript.
    pub doc: &'static str,
    /// (argument name in snake_case, TypeScript type).
    pub args: Vec<(&'static str, String)>,
    pub result: String,
    /// Title of the progress window for long jobs; None for plain calls.
    pub job: Option<&'static str>,
    /// Generated types the argument and result types need.
    pub imports: BTreeSet<String>,
}

/// The TypeScript configuration of the bindings: i64 ids and counts are numbers.
pub fn ts_config() -> Config {
    Config::default().with_large_int("number")
}

/// TypeScript of a Rust type, and the generated types it names.
pub fn ts_of<T: TS + 'static + ?Sized>(imports: &mut BTreeSet<String>) -> String {
    struct Visit<'a>(&'a Config, &'a mut BTreeSet<String>);
    impl TypeVisitor for Visit<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if let Some(d) = Dependency::from_ty::<U>(self.0) {
                self.1.insert(d.ts_name);
            }
            U::visit_generics(self);
        }
    }
    let cfg = ts_config();
    Visit(&cfg, imports).visit::<T>();
    T::name(&cfg)
}

/// `snake_case` → `camelCase`.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The generated `ui/src/gen/commands.ts`.
pub fn typescript(specs: &[CommandSpec], error_kinds: &[&str]) -> String {
    let mut imports: BTreeSet<&str> = BTreeSet::new();
    for s in specs {
        imports.extend(s.imports.iter().map(String::as_str));
    }
    let mut ts = String::from(
        "// Generated from the IPC surface declared in src-tauri/src/commands.rs, by `cargo test`\n\
         // (src-tauri/tests/commands.rs). Do not edit: change the declaration instead.\n\n",
    );
    for i in &imports {
        ts.push_str(&format!("import type {{ {i} }} from './{i}'\n"));
    }
    ts.push_str("import { call, tracked } from '../ipc'\n\n");
    ts.push_str(
        "/** Every command: its arguments and its result. */\nexport interface Commands {\n",
    );
    for s in specs {
        let args: Vec<String> = s
            .args
            .iter()
            .map(|(n, t)| format!("{}: {t}", camel(n)))
            .collect();
        let args = if args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        ts.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }}\n",
            s.name, s.result
        ));
    }
    ts.push_str("}\n\nexport type CommandName = keyof Commands\n\n");
    ts.push_str(
        "/** Long commands (progress window, 取消): the title the window shows. */\nexport const JOB_TITLES: Partial<Record<CommandName, string>> = {\n",
    );
    for s in specs {
        if let Some(t) = s.job {
            ts.push_str(&format!("  {}: '{t}',\n", s.name));
        }
    }
    ts.push_str("}\n\n");
    let kinds: Vec<String> = error_kinds.iter().map(|k| format!("'{k}'")).collect();
    ts.push_str(&format!(
        "/** The `kind` of an error the backend sends (`message` is the Chinese text to show). */\nexport type ErrorKind = {}\n\n",
        kinds.join(" | ")
    ));
    ts.push_str("/** The wrapper functions below, by name (tests replace them). */\nexport const COMMAND_FUNCTIONS = [\n");
    for s in specs {
        ts.push_str(&format!("  '{}',\n", camel(s.name)));
    }
    ts.push_str("] as const\n");
    for s in specs {
        let params: Vec<String> = s
            .args
            .iter()
            .map(|(n, t)| format!("{}: {t}", camel(n)))
            .collect();
        let obj: Vec<String> = s.args.iter().map(|(n, _)| camel(n)).collect();
        let doc = s.doc.trim();
        if !doc.is_empty() {
            ts.push_str(&format!("\n/** {} */", doc.replace("*/", "* /")));
        }
        let via = if s.job.is_some() { "tracked" } else { "call" };
        let obj = if obj.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", obj.join(", "))
        };
        ts.push_str(&format!(
            "\nexport function {}({}): Promise<{}> {{\n  return {via}('{}', {obj})\n}}\n",
            camel(s.name),
            params.join(", "),
            s.result,
            s.name,
        ));
    }
    ts
}

/// Declares the commands. Each line is
///
/// ```text
/// /// doc
/// call name(arg: Type, …) -> Result => |ws| core_call(…);
/// job "进度窗口标题" name(arg: Type, …) -> Result => |ws, job| core_call(…, job);
/// ```
///
/// `raw` lists commands written by hand elsewhere in the module (they are added to the handler
/// and described with the same syntax, without a body).
#[macro_export]
macro_rules! commands {
    (
        raw { $( $(#[doc = $rdoc:literal])* $raw:ident ( $($rarg:ident : $rty:ty),* $(,)? ) -> $rret:ty ; )* }
        $(
            $(#[doc = $doc:literal])*
            $kind:ident $($title:literal)? $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty
                => | $($cl:ident),+ | $body:expr ;
        )*
    ) => {
        $( $crate::command_fn!($kind $($title)? $name ( $($arg : $ty),* ) -> $ret => | $($cl),+ | $body); )*

        /// Every command, for `tauri::Builder::invoke_handler`.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($raw,)* $($name),*]
        }

        /// A description of every command, for the TypeScript bindings.
        pub fn surface() -> Vec<$crate::surface::CommandSpec> {
            let mut v = Vec::new();
            $({
                let mut imports = std::collections::BTreeSet::new();
                let args = vec![$((stringify!($rarg), $crate::surface::ts_of::<$rty>(&mut imports))),*];
                let result = $crate::surface::ts_of::<$rret>(&mut imports);
                v.push($crate::surface::CommandSpec {
                    name: stringify!($raw),
                    doc: concat!($($rdoc),*),
                    args,
                    result,
                    job: None,
                    imports,
                });
            })*
            $({
                let mut imports = std::collections::BTreeSet::new();
                let args = vec![$((stringify!($arg), $crate::surface::ts_of::<$ty>(&mut imports))),*];
                let result = $crate::surface::ts_of::<$ret>(&mut imports);
                v.push($crate::surface::CommandSpec {
                    name: stringify!($name),
                    doc: concat!($($doc),*),
                    args,
                    result,
                    job: $crate::job_title!($kind $($title)?),
                    imports,
                });
            })*
            v
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! job_title {
    (call) => {
        None
    };
    (job $title:literal) => {
        Some($title)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! command_fn {
    (call $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty => | $ws:ident | $body:expr) => {
        #[tauri::command]
        pub async fn $name<R: tauri::Runtime>(
            app: tauri::AppHandle<R>,
            $($arg: $ty),*
        ) -> $crate::CmdResult<$ret> {
            $crate::commands::blocking(app, move |$ws| $body).await
        }
    };
    (job $title:literal $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty => | $ws:ident, $job:ident | $body:expr) => {
        #[tauri::command]
        pub async fn $name<R: tauri::Runtime>(
            app: tauri::AppHandle<R>,
            webview: tauri::Webview<R>,
            $($arg: $ty,)*
            job: Option<String>,
            progress: Option<tauri::ipc::JavaScriptChannelId>,
        ) -> $crate::CmdResult<$ret> {
            $crate::commands::blocking_job(app, webview, job, progress, move |$ws, $job| $body).await
        }
    };
}
