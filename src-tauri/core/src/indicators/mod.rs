//! 指标体系: indicator systems as trees of any depth, the embedded systems, and their storage.
//!
//! A system is data, never code: the app assumes no count, no depth and no numbering scheme.
//! Leaves carry the official number; their stable id (`uid`, "n12") survives re-import of the
//! same system, so work attached to indicator 12 stays attached when the office imports a
//! corrected file.

pub mod export;
pub mod import;
pub mod refs;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Deserialize;

use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{IndicatorLeaf, IndicatorNode, IndicatorTree, SystemInfo};
use crate::workspace::Workspace;

/// A system ready to be stored: from the embedded JSON or from an import.
#[derive(Debug, Clone)]
pub struct SystemDraft {
    pub key: String,
    pub name: String,
    pub version: String,
    pub issuer: String,
    pub is_demo: bool,
    pub embedded: bool,
    pub level_names: Vec<String>,
    pub roots: Vec<IndicatorNode>,
    pub imported_from: Option<String>,
    pub source_sha256: Option<String>,
}

/// Systems shipped inside the app: (key, JSON). Only complete systems are embedded; the partial
/// national 2021 text (3 of 100 indicators) is kept in assets/ for reference but not offered.
pub const EMBEDDED: &[(&str, &str)] =
    &[("demo", include_str!("../../../../assets/systems/demo.json"))];

#[derive(Deserialize)]
struct JsonSystem {
    name: String,
    version: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    level_names: Option<Vec<String>>,
    levels: Vec<JsonNode>,
}

#[derive(Deserialize)]
struct JsonNode {
    #[serde(default)]
    code: String,
    name: String,
    #[serde(default)]
    children: Vec<JsonNode>,
    #[serde(default)]
    indicators: Vec<JsonLeaf>,
}

#[derive(Deserialize)]
struct JsonLeaf {
    no: i64,
    text: String,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    methods: Option<String>,
    #[serde(default)]
    veto: bool,
}

/// Parse an embedded system (JSON as in assets/systems/).
pub fn parse_embedded(key: &str, json: &str) -> Result<SystemDraft> {
    let sys: JsonSystem = serde_json::from_str(json)
        .map_err(|e| Error::Invalid(format!("内置指标体系“{key}”数据有误：{e}")))?;
    fn conv(n: JsonNode, depth: i64, parent_uid: &str) -> IndicatorNode {
        let seg = if n.code.is_empty() {
            n.name.clone()
        } else {
            n.code.clone()
        };
        let uid = if parent_uid.is_empty() {
            format!("h:{seg}")
        } else {
            format!("{parent_uid}/{seg}")
        };
        let mut children: Vec<IndicatorNode> = n
            .children
            .into_iter()
            .map(|c| conv(c, depth + 1, &uid))
            .collect();
        children.extend(
            n.indicators
                .into_iter()
                .map(|l| leaf(depth + 1, l.no, l.text, l.score, l.methods, l.veto)),
        );
        IndicatorNode {
            id: 0,
            uid,
            depth,
            label: heading_label_of(&n.code, &n.name),
            code: n.code,
            title: n.name,
            is_leaf: false,
            no: None,
            score: None,
            methods: None,
            veto: false,
            children,
        }
    }
    let roots: Vec<IndicatorNode> = sys.levels.into_iter().map(|n| conv(n, 0, "")).collect();
    let depth = max_depth(&roots);
    let level_names = sys
        .level_names
        .unwrap_or_else(|| default_level_names(depth));
    Ok(SystemDraft {
        key: key.to_string(),
        name: sys.name,
        version: sys.version,
        issuer: sys.issuer,
        is_demo: key == "demo",
        embedded: true,
        level_names,
        roots,
        imported_from: None,
        source_sha256: None,
    })
}

/// A leaf node.
pub fn leaf(
    depth: i64,
    no: i64,
    text: String,
    score: Option<f64>,
    methods: Option<String>,
    veto: bool,
) -> IndicatorNode {
    let code = no.to_string();
    IndicatorNode {
        id: 0,
        uid: format!("n{no}"),
        depth,
        label: heading_label_of(&code, &text),
        code,
        title: text,
        is_leaf: true,
        no: Some(no),
        score,
        methods,
        veto,
        children: Vec::new(),
    }
}

/// "一级指标", "二级指标", … for `n` levels.
pub fn default_level_names(n: usize) -> Vec<String> {
    const CN: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
    (0..n)
        .map(|i| format!("{}级指标", CN.get(i).copied().unwrap_or("多")))
        .collect()
}

/// Number of levels including the leaf level.
pub fn max_depth(nodes: &[IndicatorNode]) -> usize {
    nodes
        .iter()
        .map(|n| 1 + max_depth(&n.children))
        .max()
        .unwrap_or(0)
}

/// Visit every node depth-first.
pub fn walk<'a>(
    nodes: &'a [IndicatorNode],
    f: &mut impl FnMut(&'a IndicatorNode, &[&'a IndicatorNode]),
) {
    fn go<'a>(
        nodes: &'a [IndicatorNode],
        path: &mut Vec<&'a IndicatorNode>,
        f: &mut impl FnMut(&'a IndicatorNode, &[&'a IndicatorNode]),
    ) {
        for n in nodes {
            f(n, path);
            path.push(n);
            go(&n.children, path, f);
            path.pop();
        }
    }
    go(nodes, &mut Vec::new(), f);
}

/// (leaf count, headings per level).
pub fn counts(roots: &[IndicatorNode]) -> (i64, Vec<i64>) {
    let mut leaves = 0;
    let mut per_level = vec![0i64; max_depth(roots).saturating_sub(1)];
    walk(roots, &mut |n, _| {
        if n.is_leaf {
            leaves += 1;
        } else if let Some(c) = per_level.get_mut(n.depth as usize) {
            *c += 1;
        }
    });
    (leaves, per_level)
}

/// "一、政府职能依法全面履行" as printed in a heading cell.
pub fn heading_label(n: &IndicatorNode) -> String {
    heading_label_of(&n.code, &n.title)
}

/// The heading label of a code and a title; the one rule behind `IndicatorNode::label`.
pub(crate) fn heading_label_of(code: &str, title: &str) -> String {
    if code.is_empty() {
        return title.to_string();
    }
    let c = code;
    let sep = if c.ends_with('）') || c.ends_with(')') || c.starts_with('第') {
        ""
    } else if c.chars().all(|ch| ch.is_ascii_digit()) {
        "."
    } else {
        "、"
    };
    format!("{c}{sep}{title}")
}

// ---------------------------------------------------------------------------------------------
// Storage

const SYSTEM_COLS: &str =
    "s.id, s.key, s.name, s.version, s.issuer, s.is_demo, s.embedded, s.level_names,
     s.imported_from, s.imported_at,
     (SELECT count(*) FROM indicator i WHERE i.system_id = s.id AND i.is_leaf = 1),
     (SELECT count(*) FROM indicator i WHERE i.system_id = s.id AND i.is_leaf = 0)";

fn system_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SystemInfo> {
    let names: String = r.get(7)?;
    Ok(SystemInfo {
        id: r.get(0)?,
        key: r.get(1)?,
        name: r.get(2)?,
        version: r.get(3)?,
        issuer: r.get(4)?,
        is_demo: r.get(5)?,
        embedded: r.get(6)?,
        level_names: serde_json::from_str(&names).unwrap_or_default(),
        imported_from: r.get(8)?,
        imported_at: r.get(9)?,
        leaf_count: r.get(10)?,
        branch_count: r.get(11)?,
    })
}

pub fn list_systems(conn: &Connection) -> Result<Vec<SystemInfo>> {
    let mut st = conn.prepare(&format!(
        "SELECT {SYSTEM_COLS} FROM indicator_system s ORDER BY s.embedded DESC, s.imported_at, s.id"
    ))?;
    let rows = st
        .query_map([], system_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get_system(conn: &Connection, id: i64) -> Result<SystemInfo> {
    conn.query_row(
        &format!("SELECT {SYSTEM_COLS} FROM indicator_system s WHERE s.id = ?1"),
        [id],
        system_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("指标体系（编号 {id}）不存在。")))
}

pub fn system_id_by_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM indicator_system WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

/// Insert a system, or update the one with the same key in place: nodes are matched by `uid`
/// so their ids (and everything later attached to them) survive; nodes no longer in the file
/// are removed. Returns the system id.
pub fn upsert_system(tx: &Transaction<'_>, d: &SystemDraft) -> Result<i64> {
    let names = serde_json::to_string(&d.level_names).unwrap_or_else(|_| "[]".into());
    let existing = system_id_by_key(tx, &d.key)?;
    let now = crate::store::now();
    let system_id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE indicator_system SET name=?2, version=?3, issuer=?4, is_demo=?5, embedded=?6,
                 level_names=?7, imported_from=?8, imported_at=?9, source_sha256=?10 WHERE id=?1",
                params![id, d.name, d.version, d.issuer, d.is_demo, d.embedded, names, d.imported_from, now, d.source_sha256],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO indicator_system (key, name, version, issuer, is_demo, embedded, level_names,
                 imported_from, imported_at, source_sha256) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                params![d.key, d.name, d.version, d.issuer, d.is_demo, d.embedded, names, d.imported_from, now, d.source_sha256],
            )?;
            tx.last_insert_rowid()
        }
    };
    // Numbers may move between nodes in a corrected file: clear them first so the unique index
    // on (system_id, no) does not trip mid-update.
    tx.execute(
        "UPDATE indicator SET no = NULL, parent_id = NULL WHERE system_id = ?1",
        [system_id],
    )?;
    let mut keep: Vec<i64> = Vec::new();
    fn put(
        tx: &Transaction<'_>,
        system_id: i64,
        parent: Option<i64>,
        nodes: &[IndicatorNode],
        keep: &mut Vec<i64>,
    ) -> Result<()> {
        for (pos, n) in nodes.iter().enumerate() {
            let found: Option<i64> = tx
                .query_row(
                    "SELECT id FROM indicator WHERE system_id=?1 AND uid=?2",
                    params![system_id, n.uid],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match found {
                Some(id) => {
                    tx.execute(
                        "UPDATE indicator SET parent_id=?2, depth=?3, position=?4, code=?5, title=?6, is_leaf=?7,
                         no=?8, score=?9, methods=?10, veto=?11 WHERE id=?1",
                        params![id, parent, n.depth, pos as i64, n.code, n.title, n.is_leaf, n.no, n.score, n.methods, n.veto],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO indicator (system_id, parent_id, uid, depth, position, code, title, is_leaf,
                         no, score, methods, veto) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                        params![system_id, parent, n.uid, n.depth, pos as i64, n.code, n.title, n.is_leaf, n.no, n.score, n.methods, n.veto],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            keep.push(id);
            put(tx, system_id, Some(id), &n.children, keep)?;
        }
        Ok(())
    }
    put(tx, system_id, None, &d.roots, &mut keep)?;
    // Remove nodes that are no longer in the system.
    let mut st = tx.prepare("SELECT id FROM indicator WHERE system_id = ?1")?;
    let all: Vec<i64> = st
        .query_map([system_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let keep: std::collections::HashSet<i64> = keep.into_iter().collect();
    for id in all.into_iter().filter(|id| !keep.contains(id)) {
        tx.execute("DELETE FROM indicator WHERE id = ?1", [id])?;
    }
    Ok(system_id)
}

/// The stored tree of a system.
pub fn load_tree(conn: &Connection, system_id: i64) -> Result<IndicatorTree> {
    let system = get_system(conn, system_id)?;
    let mut st = conn.prepare(
        "SELECT id, parent_id, uid, depth, code, title, is_leaf, no, score, methods, veto
         FROM indicator WHERE system_id = ?1 ORDER BY depth, position",
    )?;
    let rows: Vec<(Option<i64>, IndicatorNode)> = st
        .query_map([system_id], |r| {
            Ok((
                r.get::<_, Option<i64>>(1)?,
                IndicatorNode {
                    id: r.get(0)?,
                    uid: r.get(2)?,
                    depth: r.get(3)?,
                    label: heading_label_of(&r.get::<_, String>(4)?, &r.get::<_, String>(5)?),
                    code: r.get(4)?,
                    title: r.get(5)?,
                    is_leaf: r.get(6)?,
                    no: r.get(7)?,
                    score: r.get(8)?,
                    methods: r.get(9)?,
                    veto: r.get(10)?,
                    children: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Assemble bottom-up: rows are ordered by depth, so children come after parents.
    let mut by_id: std::collections::HashMap<i64, IndicatorNode> = std::collections::HashMap::new();
    let mut children_of: std::collections::HashMap<Option<i64>, Vec<i64>> =
        std::collections::HashMap::new();
    for (parent, node) in rows {
        children_of.entry(parent).or_default().push(node.id);
        by_id.insert(node.id, node);
    }
    fn build(
        id: i64,
        by_id: &mut std::collections::HashMap<i64, IndicatorNode>,
        children_of: &std::collections::HashMap<Option<i64>, Vec<i64>>,
    ) -> Option<IndicatorNode> {
        let mut n = by_id.remove(&id)?;
        if let Some(kids) = children_of.get(&Some(id)) {
            n.children = kids
                .iter()
                .filter_map(|k| build(*k, by_id, children_of))
                .collect();
        }
        Some(n)
    }
    let roots = children_of
        .get(&None)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|id| build(id, &mut by_id, &children_of))
        .collect();
    Ok(IndicatorTree { system, roots })
}

/// Every leaf with its ancestors' headings, in tree order.
pub fn leaves(tree: &IndicatorTree) -> Vec<IndicatorLeaf> {
    let mut out = Vec::new();
    walk(&tree.roots, &mut |n, path| {
        if n.is_leaf {
            out.push(IndicatorLeaf {
                id: n.id,
                uid: n.uid.clone(),
                no: n.no.unwrap_or(0),
                text: n.title.clone(),
                path: path.iter().map(|p| heading_label(p)).collect(),
                score: n.score,
                methods: n.methods.clone(),
                veto: n.veto,
            });
        }
    });
    out
}

/// Leaves whose text, number or ancestor headings contain `query` (any substring; full-width
/// and half-width forms are treated alike).
pub fn search(tree: &IndicatorTree, query: &str) -> Vec<IndicatorLeaf> {
    let q = crate::text::to_half_width(query.trim());
    let all = leaves(tree);
    if q.is_empty() {
        return all;
    }
    all.into_iter()
        .filter(|l| {
            crate::text::to_half_width(&l.text).contains(&q)
                || l.no.to_string() == q
                || l.path
                    .iter()
                    .any(|p| crate::text::to_half_width(p).contains(&q))
        })
        .collect()
}

impl Workspace {
    pub fn list_systems(&self) -> Result<Vec<SystemInfo>> {
        list_systems(self.store().conn())
    }

    /// Resolve a system by key ("demo") or numeric id given as text.
    pub fn system_by_key(&self, key: &str) -> Result<SystemInfo> {
        let conn = self.store().conn();
        let id = match system_id_by_key(conn, key)? {
            Some(id) => id,
            None => match key.parse::<i64>() {
                Ok(id) => id,
                Err(_) => {
                    let known: Vec<String> = self
                        .list_systems()?
                        .into_iter()
                        .map(|s| format!("{}（{}）", s.key, s.name))
                        .collect();
                    return Err(Error::NotFound(format!(
                        "没有名为“{key}”的指标体系。可用的有：{}；也可以指定 .xlsx/.docx 文件导入官方指标体系。",
                        known.join("、")
                    )));
                }
            },
        };
        get_system(conn, id)
    }

    /// The tree of `system_id`, or of the active campaign's system.
    pub fn indicator_tree(&self, system_id: Option<i64>) -> Result<IndicatorTree> {
        let id = match system_id {
            Some(id) => id,
            None => campaign::active(self.store().conn())?.system_id,
        };
        load_tree(self.store().conn(), id)
    }

    /// Leaves of a system (default: the active campaign's), optionally filtered by a substring.
    pub fn indicator_leaves(
        &self,
        system_id: Option<i64>,
        query: Option<&str>,
    ) -> Result<Vec<IndicatorLeaf>> {
        let tree = self.indicator_tree(system_id)?;
        Ok(match query {
            Some(q) => search(&tree, q),
            None => leaves(&tree),
        })
    }

    /// Write the 指标体系表 of `system_id` (default: the active campaign's) to `path`.
    pub fn export_indicators(&self, system_id: Option<i64>, path: &Path) -> Result<PathBuf> {
        let tree = self.indicator_tree(system_id)?;
        export::export_xlsx(&tree, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_demo_system_is_complete() {
        let d = parse_embedded("demo", EMBEDDED[0].1).expect("parses");
        let (leaves, per_level) = counts(&d.roots);
        assert_eq!(leaves, 100);
        assert_eq!(per_level, vec![8, 24]);
        assert_eq!(d.level_names, vec!["一级指标", "二级指标", "三级指标"]);
        let mut nos = Vec::new();
        walk(&d.roots, &mut |n, _| {
            if let Some(no) = n.no {
                assert!(!n.title.trim().is_empty(), "indicator {no} has text");
                nos.push(no);
            }
        });
        assert_eq!(
            nos,
            (1..=100).collect::<Vec<_>>(),
            "numbered 1..100 in order, no gaps"
        );
        assert!(d.name.contains("演示"), "labelled as demo: {}", d.name);
    }

    /// Every node of the bundled systems carries the core's heading label, and the labels of
    /// their headings are written to `ui/src/gen/bundledHeadingLabels.ts` (by uid) for the UI's
    /// dev mock and tests, which so show exactly what the core sends.
    #[test]
    fn bundled_systems_carry_their_heading_labels_for_the_ui() {
        let files = [
            ("demo", include_str!("../../../../assets/systems/demo.json")),
            (
                "national-2021-partial",
                include_str!("../../../../assets/systems/national-2021-partial.json"),
            ),
        ];
        let mut ts = String::from(
            "// Generated from src-tauri/core/src/indicators/mod.rs by `cargo test`. Do not edit.\n\n\
             /** Heading labels (`indicators::heading_label`) of the bundled systems, by system name and uid. */\n\
             export const BUNDLED_HEADING_LABELS: Record<string, Record<string, string>> = {\n",
        );
        for (key, json) in files {
            let d = parse_embedded(key, json).expect("parses");
            assert!(!d.name.contains('\''));
            ts.push_str(&format!("  '{}': {{\n", d.name));
            walk(&d.roots, &mut |n, _| {
                assert_eq!(n.label, heading_label(n), "{key} {}", n.uid);
                if !n.is_leaf {
                    assert!(!n.uid.contains('\'') && !n.label.contains('\''));
                    ts.push_str(&format!("    '{}': '{}',\n", n.uid, n.label));
                }
            });
            ts.push_str("  },\n");
        }
        ts.push_str("}\n");
        let demo = parse_embedded("demo", files[0].1).expect("parses");
        assert_eq!(demo.roots[0].label, "一、政府职能依法全面履行");
        assert!(demo.roots[0].children[0].label.starts_with("（一）"));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/gen/bundledHeadingLabels.ts");
        std::fs::write(path, ts).expect("write bundledHeadingLabels.ts");
    }

    #[test]
    fn heading_labels_print_like_the_office() {
        let mut n = leaf(0, 1, "x".into(), None, None, false);
        n.is_leaf = false;
        n.code = "一".into();
        n.title = "政府职能".into();
        assert_eq!(heading_label(&n), "一、政府职能");
        n.code = "（一）".into();
        assert_eq!(heading_label(&n), "（一）政府职能");
        n.code = "1".into();
        assert_eq!(heading_label(&n), "1.政府职能");
    }
}
