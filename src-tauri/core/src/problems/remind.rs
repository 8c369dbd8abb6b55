//! 催办: short messages ready to paste into a WeChat group or send by SMS — for one unit its
//! open (or only its overdue) problems, numbered, with their deadlines; and one message naming
//! every unit with overdue items at once. Plain text, no formatting a phone would mangle.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{STATUS_DOING, STATUS_TODO, load, today_of};
use crate::campaign;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// The 催办 message of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reminder {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// Parts still 待整改 or 整改中, and of those 逾期.
    #[ts(type = "number")]
    pub open_count: i64,
    #[ts(type = "number")]
    pub overdue_count: i64,
    pub text: String,
}

/// The messages of a 催办.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RemindResult {
    /// The day judged on ("2023-06-05").
    pub today: String,
    pub reminders: Vec<Reminder>,
    /// One message for every unit with overdue items (empty when none is overdue).
    pub combined: String,
}

/// Options of a 催办.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RemindOptions {
    /// One unit; None: every unit with open (or overdue) items.
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Only overdue items (and only units that have some).
    #[serde(default)]
    pub overdue_only: bool,
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub round_id: Option<i64>,
    /// The day 逾期 is judged on; today when absent.
    #[ts(optional)]
    #[serde(default)]
    pub today: Option<String>,
}

fn day_text(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A description cut for a phone screen.
fn brief(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 36 {
        format!("{}…", one.chars().take(36).collect::<String>())
    } else {
        one
    }
}

impl Workspace {
    /// The 催办 messages (see [`RemindOptions`]).
    pub fn remind(&self, opts: &RemindOptions) -> Result<RemindResult> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let today = today_of(opts.today.as_deref())?;
        let problems = load(conn, c.id, opts.round_id, today)?;
        let settings = super::letters::load_settings(conn, &c)?;
        let units = crate::units::list(conn, c.id)?;
        if let Some(u) = opts.unit_id
            && !units.iter().any(|x| x.id == u)
        {
            return Err(Error::NotFound(format!("单位（编号 {u}）不存在。")));
        }
        let many_rounds = {
            let mut r: Vec<i64> = problems.iter().map(|p| p.round_id).collect();
            r.sort_unstable();
            r.dedup();
            r.len() > 1
        };
        let contact = match (settings.contact.trim(), settings.phone.trim()) {
            ("", "") => String::new(),
            (n, "") => format!("联系人：{n}。"),
            ("", p) => format!("联系电话：{p}。"),
            (n, p) => format!("联系人：{n}，{p}。"),
        };
        let mut reminders = Vec::new();
        for u in &units {
            if opts.unit_id.is_some_and(|id| id != u.id) {
                continue;
            }
            // (overdue days, round, seq, text)
            let mut items: Vec<(Option<i64>, i64, i64, String)> = Vec::new();
            for p in &problems {
                let Some(part) = p.units.iter().find(|x| x.unit_id == u.id) else {
                    continue;
                };
                if part.status != STATUS_TODO && part.status != STATUS_DOING {
                    continue;
                }
                if opts.overdue_only && !part.overdue {
                    continue;
                }
                let mut line = String::new();
                if let Some(d) = part.overdue_days {
                    line.push_str(&format!("【已逾期{d}天】"));
                }
                if many_rounds {
                    line.push_str(&format!("〔{}〕", p.round_name));
                }
                line.push_str(&brief(&p.description));
                let limit = if p.deadline_text.is_empty() {
                    "未定".to_string()
                } else {
                    p.deadline_text.clone()
                };
                line.push_str(&format!("（时限：{limit}；{}）", part.status));
                items.push((part.overdue_days, p.round_id, p.seq, line));
            }
            if items.is_empty() && opts.unit_id.is_none() {
                continue;
            }
            items.sort_by(|a, b| {
                b.0.unwrap_or(0)
                    .cmp(&a.0.unwrap_or(0))
                    .then(a.1.cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            let open = problems
                .iter()
                .filter_map(|p| p.units.iter().find(|x| x.unit_id == u.id))
                .filter(|x| x.status == STATUS_TODO || x.status == STATUS_DOING)
                .count() as i64;
            let overdue = problems
                .iter()
                .filter_map(|p| p.units.iter().find(|x| x.unit_id == u.id))
                .filter(|x| x.overdue)
                .count() as i64;
            let text = if items.is_empty() {
                format!(
                    "{}：截至{}，你单位没有{}的督察问题。",
                    u.name,
                    day_text(today),
                    if opts.overdue_only {
                        "逾期未整改"
                    } else {
                        "未完成整改"
                    }
                )
            } else {
                let mut t = if opts.overdue_only {
                    format!(
                        "【催办】{}：截至{}，你单位有{}个督察问题已超过整改时限仍未完成：",
                        u.name,
                        day_text(today),
                        items.len()
                    )
                } else if overdue > 0 {
                    format!(
                        "【催办】{}：截至{}，你单位尚有{}个督察问题未完成整改，其中{}个已逾期：",
                        u.name,
                        day_text(today),
                        open,
                        overdue
                    )
                } else {
                    format!(
                        "【提醒】{}：截至{}，你单位尚有{}个督察问题未完成整改：",
                        u.name,
                        day_text(today),
                        open
                    )
                };
                for (i, (_, _, _, line)) in items.iter().enumerate() {
                    t.push_str(&format!("\n{}.{}", i + 1, line));
                }
                t.push_str("\n请抓紧推进整改，及时报送整改进展和佐证材料。");
                t.push_str(&contact);
                t.push_str(&format!("\n——{}", settings.office));
                t
            };
            reminders.push(Reminder {
                unit_id: u.id,
                unit_name: u.name.clone(),
                open_count: open,
                overdue_count: overdue,
                text,
            });
        }
        let late: Vec<&Reminder> = reminders.iter().filter(|r| r.overdue_count > 0).collect();
        let combined = if late.is_empty() {
            String::new()
        } else {
            let mut late = late;
            late.sort_by_key(|p| std::cmp::Reverse(p.overdue_count));
            let mut t = format!(
                "【催办】截至{}，以下{}个单位的督察问题整改已超过时限：",
                day_text(today),
                late.len()
            );
            for (i, r) in late.iter().enumerate() {
                t.push_str(&format!(
                    "\n{}.{}：逾期{}个（未完成共{}个）",
                    i + 1,
                    r.unit_name,
                    r.overdue_count,
                    r.open_count
                ));
            }
            t.push_str("\n请以上单位对照问题清单抓紧整改，尽快报送整改进展和佐证材料。");
            t.push_str(&contact);
            t.push_str(&format!("\n——{}", settings.office));
            t
        };
        Ok(RemindResult {
            today: format!("{today}"),
            reminders,
            combined,
        })
    }
}
