//! The indicators a 所涉指标 cell names, resolved against one system: official numbers
//! ("第43项") and places in the tree ("1.1.1", "2-5-17"; see [`crate::text::indicator_refs`]).
//! One resolver for the 问题清单 import and for a problem added or edited by hand, so that the
//! same text links the same indicators wherever it is typed.
//!
//! A place is read level by level: at each level the heading (or, last, the leaf) whose printed
//! code has that number ("二、" is 2, "（三）" is 3, "1." is 1), else the one at that rank among
//! its siblings; for the leaf, its official number first ("2-5-17": the 三级 numbered 17 under
//! 一级 2 / 二级 5), then its code, then its rank. A leaf whose own code is the text as written
//! wins over all of this. A span ("1.1.1至1.1.3") is every leaf from one end to the other in the
//! order of the tree, so it may cross a heading. The reading is reported with the indicators it
//! gave, never silent.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::text::{IndicatorRef, chinese_numeral, indicator_refs, parse_number_label, plain_code};

struct Node {
    id: i64,
    code: String,
    is_leaf: bool,
    no: Option<i64>,
    children: Vec<usize>,
}

/// One system's leaves by number and its tree, loaded once per import.
pub struct IndicatorIndex {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    by_no: HashMap<i64, i64>,
    by_code: HashMap<String, usize>,
    /// The leaves in the order of the tree (as printed), and each node's place in it.
    leaves: Vec<usize>,
    leaf_rank: HashMap<usize, usize>,
}

/// The longest span between two places that is read as a range: more is a slip of the pen.
const MAX_SPAN: usize = 100;

/// What a cell's text links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// (indicator id, official number), once each, in the order written.
    pub links: Vec<(i64, i64)>,
    /// References the system has no indicator for, as written ("第120项" as "120").
    pub unknown: Vec<String>,
    /// Places (and spans between places) read as numbered indicators: (as written, the
    /// numbers they gave).
    pub readings: Vec<(String, Vec<i64>)>,
    /// Whether the text named any reference at all.
    pub named_any: bool,
}

/// The number a printed heading code stands for: "二" / "二、" / "（二）" / "2." (the one
/// reading of a number label, [`parse_number_label`]) and "第二部分" / "第三章" → 2, 3. A
/// hierarchical code ("1.2") stands for none: its heading is found by rank.
fn code_number(code: &str) -> Option<i64> {
    parse_number_label(code).or_else(|| {
        let t = plain_code(code);
        let t = t.strip_prefix('第')?;
        let n = ["部分", "方面", "章", "节", "类"]
            .iter()
            .find_map(|unit| t.strip_suffix(unit))?;
        n.parse().ok().or_else(|| chinese_numeral(n))
    })
}

impl IndicatorIndex {
    pub fn load(conn: &Connection, system_id: i64) -> Result<Self> {
        let mut st = conn.prepare(
            "SELECT id, parent_id, code, is_leaf, no FROM indicator
             WHERE system_id = ?1 ORDER BY depth, position, id",
        )?;
        let rows: Vec<(i64, Option<i64>, String, bool, Option<i64>)> = st
            .query_map([system_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Self::from_rows(rows))
    }

    /// The index of a system's indicators given as (id, parent, code, is_leaf, no), parents
    /// before their children and siblings in printed order.
    fn from_rows(rows: Vec<(i64, Option<i64>, String, bool, Option<i64>)>) -> Self {
        let mut at: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
        let mut index = IndicatorIndex {
            nodes: Vec::with_capacity(rows.len()),
            roots: Vec::new(),
            by_no: HashMap::new(),
            by_code: HashMap::new(),
            leaves: Vec::new(),
            leaf_rank: HashMap::new(),
        };
        for (id, parent, code, is_leaf, no) in rows {
            let k = index.nodes.len();
            at.insert(id, k);
            // Parents come first: the rows are ordered by depth.
            match parent.and_then(|p| at.get(&p).copied()) {
                Some(p) => index.nodes[p].children.push(k),
                None => index.roots.push(k),
            }
            if is_leaf {
                if let Some(n) = no {
                    index.by_no.insert(n, id);
                }
                let c = plain_code(&code);
                if !c.is_empty() {
                    index.by_code.entry(c).or_insert(k);
                }
            }
            index.nodes.push(Node {
                id,
                code,
                is_leaf,
                no,
                children: Vec::new(),
            });
        }
        // The leaves in printed order: depth first, children by position.
        let mut stack: Vec<usize> = index.roots.iter().rev().copied().collect();
        while let Some(k) = stack.pop() {
            let node = &index.nodes[k];
            if node.is_leaf {
                index.leaf_rank.insert(k, index.leaves.len());
                index.leaves.push(k);
            }
            stack.extend(node.children.iter().rev().copied());
        }
        index
    }

    /// The leaf at a place in the tree, if the path leads to one.
    fn place(&self, parts: &[i64], written: &str) -> Option<usize> {
        if let Some(&k) = self.by_code.get(written) {
            return Some(k);
        }
        let mut level: &[usize] = &self.roots;
        let mut found = None;
        for (depth, &part) in parts.iter().enumerate() {
            let last = depth + 1 == parts.len();
            let pick = |pred: &dyn Fn(&Node) -> bool| {
                level.iter().copied().find(|&k| pred(&self.nodes[k]))
            };
            let k = if last {
                pick(&|n| n.is_leaf && n.no == Some(part))
                    .or_else(|| pick(&|n| n.is_leaf && code_number(&n.code) == Some(part)))
                    .or_else(|| {
                        let k = *level.get(usize::try_from(part - 1).ok()?)?;
                        self.nodes[k].is_leaf.then_some(k)
                    })?
            } else {
                pick(&|n| !n.is_leaf && code_number(&n.code) == Some(part)).or_else(|| {
                    let k = *level.get(usize::try_from(part - 1).ok()?)?;
                    (!self.nodes[k].is_leaf).then_some(k)
                })?
            };
            found = Some(k);
            level = &self.nodes[k].children;
        }
        found
    }

    /// The indicators `text` names.
    pub fn resolve(&self, text: &str) -> Resolved {
        let mut out = Resolved::default();
        let link = |out: &mut Resolved, id: i64, no: i64| {
            if !out.links.iter().any(|(i, _)| *i == id) {
                out.links.push((id, no));
            }
        };
        for r in indicator_refs(text) {
            out.named_any = true;
            match &r {
                IndicatorRef::No(n) => match self.by_no.get(n) {
                    Some(&id) => link(&mut out, id, *n),
                    None => out.unknown.push(n.to_string()),
                },
                IndicatorRef::Path(parts, written) => {
                    let leaf = self.place(parts, written).map(|k| &self.nodes[k]);
                    match leaf.and_then(|l| Some((l.id, l.no?))) {
                        Some((id, no)) => {
                            out.readings.push((written.clone(), vec![no]));
                            link(&mut out, id, no);
                        }
                        None => out.unknown.push(written.clone()),
                    }
                }
                IndicatorRef::Span(from, to, written) => {
                    match self.span(from, to) {
                        Some(leaves) if !leaves.is_empty() => {
                            let mut nos = Vec::new();
                            for (id, no) in leaves {
                                nos.push(no);
                                link(&mut out, id, no);
                            }
                            out.readings.push((written.clone(), nos));
                        }
                        // An end the system does not have, ends written backwards, or only
                        // unnumbered leaves between them: the text names no range the tree can
                        // give (as a single place at an unnumbered leaf names no indicator).
                        _ => out.unknown.push(written.clone()),
                    }
                }
            }
        }
        out
    }

    /// The numbered leaves from the place `from` to the place `to`, both included, in the
    /// order of the tree.
    fn span(&self, from: &[i64], to: &[i64]) -> Option<Vec<(i64, i64)>> {
        let written = |p: &[i64]| p.iter().map(i64::to_string).collect::<Vec<_>>().join(".");
        let a = *self.leaf_rank.get(&self.place(from, &written(from))?)?;
        let b = *self.leaf_rank.get(&self.place(to, &written(to))?)?;
        if b < a || b - a >= MAX_SPAN {
            return None;
        }
        Some(
            self.leaves[a..=b]
                .iter()
                .filter_map(|&k| Some((self.nodes[k].id, self.nodes[k].no?)))
                .collect(),
        )
    }
}

/// The numbers a place or span was read as, for a message: "第3项", "第3至5项", "第3、7项".
pub fn numbers_text(nos: &[i64]) -> String {
    match nos {
        [] => "（无编号的）".to_string(),
        [n] => format!("第{n}项"),
        [first, .., last] if nos.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("第{first}至{last}项")
        }
        _ => format!(
            "第{}项",
            nos.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_codes_are_numbers() {
        for (code, n) in [
            ("二", Some(2)),
            ("二、", Some(2)),
            ("（三）", Some(3)),
            ("(3)", Some(3)),
            ("1.", Some(1)),
            ("１２", Some(12)),
            ("第二部分", Some(2)),
            ("第3章", Some(3)),
            ("1.2", None),
            ("", None),
            ("甲", None),
        ] {
            assert_eq!(code_number(code), n, "{code}");
        }
    }

    /// 一、 with (一) holding two numbered leaves, (二) holding two unnumbered ones.
    fn small_tree() -> IndicatorIndex {
        let row = |id, parent, code: &str, leaf, no| (id, parent, code.to_string(), leaf, no);
        IndicatorIndex::from_rows(vec![
            row(1, None, "一、", false, None),
            row(2, Some(1), "（一）", false, None),
            row(3, Some(1), "（二）", false, None),
            row(4, Some(2), "1.", true, Some(1)),
            row(5, Some(2), "2.", true, Some(2)),
            row(6, Some(3), "", true, None),
            row(7, Some(3), "", true, None),
        ])
    }

    #[test]
    fn a_span_over_numbered_leaves_links_them() {
        let r = small_tree().resolve("1.1.1至1.1.2");
        assert_eq!(r.links, vec![(4, 1), (5, 2)]);
        assert_eq!(r.readings, vec![("1.1.1至1.1.2".to_string(), vec![1, 2])]);
        assert!(r.unknown.is_empty());
    }

    #[test]
    fn a_span_over_unnumbered_leaves_only_is_unknown_like_a_single_place() {
        let index = small_tree();
        let single = index.resolve("1.2.1");
        assert!(single.links.is_empty() && single.readings.is_empty());
        assert_eq!(single.unknown, vec!["1.2.1".to_string()]);
        let span = index.resolve("1.2.1至1.2.2");
        assert!(
            span.links.is_empty() && span.readings.is_empty(),
            "{span:?}"
        );
        assert_eq!(span.unknown, vec!["1.2.1至1.2.2".to_string()]);
        // A span that reaches a numbered leaf links what it has.
        let mixed = index.resolve("1.1.2至1.2.1");
        assert_eq!(mixed.links, vec![(5, 2)]);
        assert!(mixed.unknown.is_empty());
    }

    #[test]
    fn numbers_read_from_a_span_are_told_briefly() {
        assert_eq!(numbers_text(&[3]), "第3项");
        assert_eq!(numbers_text(&[3, 4, 5]), "第3至5项");
        assert_eq!(numbers_text(&[3, 7]), "第3、7项");
    }
}
