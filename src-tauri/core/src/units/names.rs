//! How a unit name written by an office resolves to the units of a campaign: exactly (name,
//! 简称 or 别名), as a guess the user confirms, as a catch-all ("区直各部门", "各街道") or not at
//! all; and how a cell naming several units is split.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{KIND_ENFORCEMENT, KIND_OTHER_DEPT, KIND_TOWN, list};
use crate::error::Result;
use crate::text::to_half_width;

/// Name as compared: half-width, no white space or quotes.
pub fn norm(s: &str) -> String {
    to_half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"\"'“”‘’《》".contains(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The core of a name: without the district ("曾都区"), a leading 区/县/市, parenthesised
/// remarks and the suffixes 办事处 / 人民政府.
fn core(s: &str, district: &str) -> String {
    let mut n = norm(s);
    // Parenthesised parts: "区市场监管局(区知识产权局)" → "区市场监管局".
    while let (Some(a), Some(b)) = (n.find('('), n.find(')')) {
        if b > a {
            n.replace_range(a..b + 1, "");
        } else {
            break;
        }
    }
    let d = norm(district);
    if !d.is_empty() {
        let stem: String = d
            .chars()
            .take(d.chars().count().saturating_sub(1))
            .collect();
        if let Some(rest) = n.strip_prefix(&d) {
            n = rest.to_string();
        } else if stem.chars().count() >= 2
            && let Some(rest) = n.strip_prefix(&stem)
        {
            n = rest.to_string();
        }
    }
    for p in ["区", "县", "市"] {
        if let Some(rest) = n.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
            break;
        }
    }
    for suf in ["办事处", "人民政府"] {
        if let Some(rest) = n.strip_suffix(suf)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
        }
    }
    n
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Digits and Chinese numerals of a name: "第二中学" and "第三中学" are different units.
fn numerals(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || "零〇一二三四五六七八九十百".contains(*c))
        .collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    if numerals(a) != numerals(b) {
        return 0.0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let n = a.len().max(b.len());
    if n == 0 {
        return 0.0;
    }
    1.0 - levenshtein(&a, &b) as f64 / n as f64
}

/// How one written name resolves.
#[derive(Debug, Clone, PartialEq)]
pub enum NameMatch {
    /// The name, short name or an alias, exactly (after width and space folding).
    Exact(i64),
    /// A guess the user must confirm; the text says why.
    Guess(i64, String),
    /// A catch-all such as "区直各部门" or "各街道", expanded to units of some kinds.
    CatchAll(Vec<i64>, String),
    /// A catch-all that cannot be expanded ("相关单位").
    Vague,
    Unknown,
}

#[derive(Debug, Clone)]
struct DirEntry {
    id: i64,
    name: String,
    kind: String,
    /// The `core` of every name (name, short name, aliases), computed once.
    cores: Vec<String>,
}

/// The units of a campaign as a lookup for written names.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    district: String,
    entries: Vec<DirEntry>,
    /// `norm` of every name → the first unit bearing it (exact matches without a scan).
    exact: HashMap<String, i64>,
}

impl Directory {
    pub fn load(conn: &Connection, campaign_id: i64, district: &str) -> Result<Directory> {
        let mut d = Directory {
            district: district.to_string(),
            ..Directory::default()
        };
        for u in list(conn, campaign_id)? {
            let mut others = Vec::new();
            if !u.short_name.is_empty() {
                others.push(u.short_name.clone());
            }
            others.extend(u.aliases.iter().cloned());
            d.add_planned_names(u.id, &u.name, &others, &u.kind);
        }
        Ok(d)
    }

    /// Add a unit not yet stored (a planned creation) under a provisional negative id.
    pub fn add_planned(&mut self, id: i64, name: &str, kind: &str) {
        self.add_planned_names(id, name, &[], kind);
    }

    /// As [`Directory::add_planned`], with a short name and aliases.
    pub fn add_planned_names(&mut self, id: i64, name: &str, others: &[String], kind: &str) {
        let names: Vec<&str> = std::iter::once(name)
            .chain(others.iter().map(String::as_str).filter(|s| !s.is_empty()))
            .collect();
        for x in &names {
            self.exact.entry(norm(x)).or_insert(id);
        }
        self.entries.push(DirEntry {
            id,
            name: name.to_string(),
            kind: kind.to_string(),
            cores: names.iter().map(|x| core(x, &self.district)).collect(),
        });
    }

    pub fn name_of(&self, id: i64) -> String {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    pub fn ids_of_kinds(&self, kinds: &[&str]) -> Vec<i64> {
        self.entries
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .map(|e| e.id)
            .collect()
    }

    /// The unit whose name, short name or alias is exactly `raw` (after width and space
    /// folding), without guessing.
    pub fn exact(&self, raw: &str) -> Option<i64> {
        self.exact.get(&norm(raw)).copied()
    }

    /// Resolve one written name.
    pub fn resolve(&self, raw: &str) -> NameMatch {
        let n = norm(raw);
        if n.is_empty() {
            return NameMatch::Unknown;
        }
        if let Some(id) = self.exact.get(&n) {
            return NameMatch::Exact(*id);
        }
        if let Some(m) = self.catch_all(&n) {
            return m;
        }
        let c = core(raw, &self.district);
        let same_core: Vec<&DirEntry> = self
            .entries
            .iter()
            .filter(|e| e.cores.contains(&c))
            .collect();
        if same_core.len() == 1 {
            return NameMatch::Guess(
                same_core[0].id,
                "去掉区县名称、“区/县”前缀或括号内文字后一致".into(),
            );
        }
        if c.chars().count() >= 3 {
            let c_numerals = numerals(&c);
            let mut contained: Vec<i64> = self
                .entries
                .iter()
                .filter(|e| {
                    e.cores.iter().any(|k| {
                        k.chars().count() >= 3
                            && (k.contains(&c) || c.contains(k.as_str()))
                            && numerals(k) == c_numerals
                    })
                })
                .map(|e| e.id)
                .collect();
            contained.dedup();
            if contained.len() == 1 {
                return NameMatch::Guess(contained[0], "名称包含关系".into());
            }
        }
        let mut scored: Vec<(f64, i64)> = self
            .entries
            .iter()
            .map(|e| {
                let s = e
                    .cores
                    .iter()
                    .map(|x| similarity(x, &c))
                    .fold(0.0, f64::max);
                (s, e.id)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some(&(s, id)) = scored.first()
            && s >= 0.7
            && scored.get(1).is_none_or(|x| x.0 < s)
        {
            return NameMatch::Guess(id, format!("名称相近（相似度 {:.0}%）", s * 100.0));
        }
        NameMatch::Unknown
    }

    fn catch_all(&self, n: &str) -> Option<NameMatch> {
        let has = |s: &str| n.contains(s);
        let each = has("各") || has("所有") || has("全体");
        if each
            && (has("街道") || has("乡镇") || has("镇街") || has("乡(镇)") || n.ends_with("各镇"))
        {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_TOWN]),
                "全部乡镇街道".into(),
            ));
        }
        if each && has("执法") {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT]),
                "全部行政执法单位".into(),
            ));
        }
        if (each || n.starts_with("区直") || n.starts_with("县直"))
            && (has("部门") || has("单位") || has("机关"))
            && !has("相关")
            && !has("有关")
        {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT, KIND_OTHER_DEPT]),
                "全部区直部门（行政执法单位和非行政执法单位）".into(),
            ));
        }
        if has("相关") || has("有关") || n == "各单位" || n == "其他单位" {
            return Some(NameMatch::Vague);
        }
        None
    }
}

/// Split a cell naming several units: 、，,；;/ line breaks and spaces.
pub fn split_names(cell: &str) -> Vec<String> {
    let t = to_half_width(cell);
    // Separators inside parentheses are part of the name: "区市场监管局(知识产权局、质监)".
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for ch in t.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch);
            }
            ')' => {
                depth -= 1;
                cur.push(ch);
            }
            '、' | ',' | '，' | ';' | '；' | '/' | '\n' if depth <= 0 => {
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    // Keep the user's full-width brackets as written.
    out.into_iter()
        .map(|s| s.replace('(', "（").replace(')', "）"))
        .filter(|s| !["无", "-", "—", "/"].contains(&s.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::KIND_OTHER;

    fn dir() -> Directory {
        let mut d = Directory {
            district: "曾都区".into(),
            ..Directory::default()
        };
        for (i, (n, k)) in [
            ("区司法局", KIND_ENFORCEMENT),
            ("区市场监督管理局", KIND_ENFORCEMENT),
            ("区政务服务和数据管理局", KIND_OTHER_DEPT),
            ("区财政局", KIND_ENFORCEMENT),
            ("南郊街道办事处", KIND_TOWN),
            ("北郊街道办事处", KIND_TOWN),
        ]
        .iter()
        .enumerate()
        {
            d.add_planned(i as i64 + 1, n, k);
        }
        d
    }

    #[test]
    fn names_resolve_exactly_by_guess_or_as_catch_alls() {
        let d = dir();
        assert_eq!(d.resolve("区司法局"), NameMatch::Exact(1));
        assert_eq!(d.resolve("区 司法局"), NameMatch::Exact(1));
        assert!(matches!(d.resolve("司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("曾都区司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("县司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(
            d.resolve("区市场监督管理局（区知识产权局）"),
            NameMatch::Guess(2, _)
        ));
        assert!(matches!(
            d.resolve("区政务服务与数据管理局"),
            NameMatch::Guess(3, _)
        ));
        assert!(matches!(d.resolve("南郊街道"), NameMatch::Guess(5, _)));
        assert_eq!(
            d.resolve("各街道"),
            NameMatch::CatchAll(vec![5, 6], "全部乡镇街道".into())
        );
        assert!(
            matches!(d.resolve("区直各部门"), NameMatch::CatchAll(v, _) if v == vec![1, 2, 3, 4])
        );
        assert_eq!(d.resolve("相关单位"), NameMatch::Vague);
        assert_eq!(d.resolve("区气象局"), NameMatch::Unknown);
        let mut d2 = dir();
        d2.add_planned(9, "测试单位1", KIND_OTHER);
        assert_eq!(
            d2.resolve("测试单位2"),
            NameMatch::Unknown,
            "numbers differ"
        );
    }

    #[test]
    fn cells_split_on_every_separator_but_not_inside_brackets() {
        assert_eq!(
            split_names(
                "区司法局、区财政局，区人社局;区税务局/各街道\n区市场监管局（知识产权局、质监）"
            ),
            vec![
                "区司法局",
                "区财政局",
                "区人社局",
                "区税务局",
                "各街道",
                "区市场监管局（知识产权局、质监）"
            ]
        );
    }
}
