//! 搜索: one search box over indicators, units and evidence of the active campaign, by any part
//! of their Chinese text.
//!
//! The index is the FTS5 table `search_index` (trigram tokenizer), kept current by triggers on
//! the indexed tables (see migration v4 in `store.rs`). A word of three or more characters is
//! looked up in the index; shorter words (two-character words such as 复议 are everywhere in
//! this domain) are matched with LIKE on the same table, which the trigram tokenizer cannot
//! index. Several words must all match. Problems (问题) are not in the index: they are found by
//! a scan of the campaign's problem rows (see migration v12), and shown through [`hit_of`].

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::campaign;
use crate::error::{Error, Result};
use crate::text::to_half_width;
use crate::workspace::Workspace;

/// Hits of one kind returned at most.
pub const MAX_PER_KIND: usize = 50;

/// One thing found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchHit {
    /// "indicator", "unit", "evidence" or "problem".
    pub kind: String,
    /// 指标 / 单位 / 佐证材料.
    pub kind_label: String,
    #[ts(type = "number")]
    pub id: i64,
    /// "指标27 重大行政决策事项目录…", "区司法局", the item's title.
    pub title: String,
    /// Where it belongs: the heading path, the unit kind, the item's unit and indicators.
    pub detail: String,
    /// The indexed text around the first match.
    pub snippet: String,
}

fn like_pattern(term: &str) -> String {
    format!(
        "%{}%",
        term.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// The words of a query: split on white space, half-width, at most eight.
fn terms(query: &str) -> Vec<String> {
    to_half_width(query)
        .split_whitespace()
        .map(|t| {
            t.trim_matches(|c: char| c == '"' || c == '“' || c == '”')
                .to_string()
        })
        .filter(|t| !t.is_empty())
        .take(8)
        .collect()
}

/// (kind, ref_id, text) of the index rows matching every term, within the scopes of the
/// active campaign.
fn matching(
    conn: &Connection,
    terms: &[String],
    system_id: i64,
    campaign_id: i64,
) -> Result<Vec<(String, i64, String)>> {
    let mut long: Vec<String> = Vec::new();
    let mut likes: Vec<String> = Vec::new();
    for t in terms {
        if t.chars().count() >= 3 {
            long.push(format!("\"{}\"", t.replace('"', "\"\"")));
        } else {
            likes.push(like_pattern(t));
        }
    }
    let mut sql = String::from("SELECT kind, ref_id, text FROM search_index WHERE ");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    if !long.is_empty() {
        conds.push("search_index MATCH ?".into());
        args.push(long.join(" AND ").into());
    }
    for l in likes {
        conds.push("text LIKE ? ESCAPE '\\'".into());
        args.push(l.into());
    }
    conds
        .push("((kind = 'indicator' AND scope = ?) OR (kind <> 'indicator' AND scope = ?))".into());
    args.push(system_id.into());
    args.push(campaign_id.into());
    sql.push_str(&conds.join(" AND "));
    sql.push_str(" ORDER BY rowid");
    let mut st = conn.prepare(&sql)?;
    let mut rows = st
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.extend(matching_problems(conn, terms, campaign_id)?);
    Ok(rows)
}

/// The text of a problem as searched.
const PROBLEM_TEXT: &str = "p.description || ' ' || p.requirement || ' ' || p.indicators_text \
     || ' ' || p.category || ' ' || p.note";

/// Problems of the campaign whose text contains every term: a scan of the problem rows, not
/// the FTS index (migration v12 says why); at most [`MAX_PER_KIND`], in the order of the rounds.
fn matching_problems(
    conn: &Connection,
    terms: &[String],
    campaign_id: i64,
) -> Result<Vec<(String, i64, String)>> {
    let mut sql = format!(
        "SELECT p.id, {PROBLEM_TEXT} AS text FROM problem p JOIN round r ON r.id = p.round_id
         WHERE r.campaign_id = ?"
    );
    let mut args: Vec<rusqlite::types::Value> = vec![campaign_id.into()];
    for t in terms {
        sql.push_str(" AND text LIKE ? ESCAPE '\\'");
        args.push(like_pattern(t).into());
    }
    sql.push_str(&format!(" ORDER BY r.id, p.seq LIMIT {MAX_PER_KIND}"));
    let mut st = conn.prepare(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                "problem".to_string(),
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Up to 60 characters of `text` around the first term.
fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let flat: String = chars.iter().collect();
    let lower = flat.to_lowercase();
    let at = terms
        .iter()
        .filter_map(|t| lower.find(&t.to_lowercase()))
        .min()
        .map(|b| lower[..b].chars().count())
        .unwrap_or(0);
    let start = at.saturating_sub(20);
    let end = (start + 60).min(chars.len());
    let mut s: String = chars[start..end].iter().collect();
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    s
}

/// What a hit shows, read from its own table.
fn hit_of(conn: &Connection, kind: &str, id: i64) -> Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(match kind {
        "indicator" => conn
            .query_row(
                "SELECT i.no, i.title, ifnull(p.title, '')
                 FROM indicator i LEFT JOIN indicator p ON p.id = i.parent_id WHERE i.id = ?1",
                [id],
                |r| {
                    let no: Option<i64> = r.get(0)?;
                    let title: String = r.get(1)?;
                    let parent: String = r.get(2)?;
                    Ok((
                        match no {
                            Some(n) => format!("指标{n} {title}"),
                            None => title,
                        },
                        parent,
                    ))
                },
            )
            .optional()?,
        "unit" => conn
            .query_row(
                "SELECT name, kind, short_name FROM unit WHERE id = ?1",
                [id],
                |r| {
                    let short: String = r.get(2)?;
                    let kind: String = r.get(1)?;
                    Ok((
                        r.get(0)?,
                        if short.is_empty() {
                            kind
                        } else {
                            format!("{kind}，简称“{short}”")
                        },
                    ))
                },
            )
            .optional()?,
        "evidence" => conn
            .query_row(
                "SELECT e.title, ifnull(u.name, ''), e.status,
                   (SELECT group_concat('指标' || i.no, '、') FROM evidence_link l
                      JOIN indicator i ON i.id = l.indicator_id WHERE l.evidence_id = e.id)
                 FROM evidence e LEFT JOIN unit u ON u.id = e.unit_id WHERE e.id = ?1",
                [id],
                |r| {
                    let unit: String = r.get(1)?;
                    let status: String = r.get(2)?;
                    let inds: Option<String> = r.get(3)?;
                    let mut d = vec![status];
                    if !unit.is_empty() {
                        d.insert(0, unit);
                    }
                    d.push(inds.unwrap_or_else(|| "待归类".into()));
                    Ok((r.get(0)?, d.join("，")))
                },
            )
            .optional()?,
        "problem" => conn
            .query_row(
                "SELECT p.seq, p.description, r.name, p.kind FROM problem p
                 JOIN round r ON r.id = p.round_id WHERE p.id = ?1",
                [id],
                |r| {
                    let seq: i64 = r.get(0)?;
                    let text: String = r.get(1)?;
                    let round: String = r.get(2)?;
                    let kind: String = r.get(3)?;
                    Ok((
                        format!("第{seq}号 {}", crate::sheet::layout::short(&text)),
                        format!("{round}，{kind}问题"),
                    ))
                },
            )
            .optional()?,
        _ => None,
    })
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "indicator" => "指标",
        "unit" => "单位",
        "evidence" => "佐证材料",
        "problem" => "问题",
        _ => "其他",
    }
}

impl Workspace {
    /// Indicators, units and evidence of the active campaign whose text contains every word of
    /// `query` (any part of the Chinese text, two-character words included; a number finds
    /// the indicator of that number too). Indicators first, then units, then evidence; at most
    /// [`MAX_PER_KIND`] of each.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        let terms = terms(query);
        if terms.is_empty() {
            return Err(Error::Invalid("请输入要搜索的文字。".into()));
        }
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let mut found = matching(conn, &terms, c.system_id, c.id)?;
        // "27" or "指标27": the indicator of that number.
        if terms.len() == 1 {
            let t = terms[0].trim_start_matches("指标").trim_start_matches('第');
            let t = t.trim_end_matches(['项', '号']);
            if let Ok(no) = t.parse::<i64>() {
                let id: Option<i64> = rusqlite::OptionalExtension::optional(conn.query_row(
                    "SELECT id FROM indicator WHERE system_id = ?1 AND no = ?2",
                    rusqlite::params![c.system_id, no],
                    |r| r.get(0),
                ))?;
                if let Some(id) = id
                    && !found.iter().any(|f| f.0 == "indicator" && f.1 == id)
                {
                    found.insert(0, ("indicator".into(), id, String::new()));
                }
            }
        }
        let order = |k: &str| match k {
            "indicator" => 0,
            "unit" => 1,
            "evidence" => 2,
            _ => 3,
        };
        found.sort_by_key(|f| order(&f.0));
        let mut out: Vec<SearchHit> = Vec::new();
        let mut per_kind: std::collections::HashMap<String, usize> = Default::default();
        for (kind, id, text) in found {
            if out.iter().any(|h| h.kind == kind && h.id == id) {
                continue;
            }
            let n = per_kind.entry(kind.clone()).or_default();
            if *n >= MAX_PER_KIND {
                continue;
            }
            let Some((title, detail)) = hit_of(conn, &kind, id)? else {
                continue;
            };
            *n += 1;
            let snippet = snippet(if text.is_empty() { &title } else { &text }, &terms);
            out.push(SearchHit {
                kind_label: kind_label(&kind).into(),
                kind,
                id,
                title,
                detail,
                snippet,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_sqlite_has_fts5_with_the_trigram_tokenizer() {
        let c = Connection::open_in_memory().expect("db");
        c.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram');
             INSERT INTO t VALUES ('行政复议决定书'), ('规范性文件备案审查');",
        )
        .expect("fts5 trigram available");
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM t WHERE t MATCH '\"复议决\"'",
                [],
                |r| r.get(0),
            )
            .expect("match");
        assert_eq!(n, 1);
        let n: i64 = c
            .query_row("SELECT count(*) FROM t WHERE x LIKE '%复议%'", [], |r| {
                r.get(0)
            })
            .expect("like");
        assert_eq!(n, 1, "two characters through LIKE");
    }

    #[test]
    fn snippets_show_the_text_around_the_match() {
        let s = snippet(
            "关于进一步加强和规范行政复议工作的实施意见（曾政办发〔2023〕5号）及配套制度汇编",
            &["复议".into()],
        );
        assert!(s.contains("复议"), "{s}");
        assert!(s.chars().count() <= 62, "{s}");
    }
}
