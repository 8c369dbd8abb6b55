//! 完成时限 of a problem as offices write it, and 逾期.
//!
//! The written text is always kept; beside it a date when one can be read, and what kind of
//! time limit it is. Dates go through [`crate::tasks::parse_deadline`] (the 任务分解 rules:
//! date cells, "2023年4月30日前", "2023年9月底", "2023.5.15", 上半年/年底 …), extended here for
//! what problem lists add:
//!
//! - a month and day without a year ("5月底前", "6月15日前"): the year is taken from the list's
//!   title (or its 督察时间 line, or the round's dates) — when that puts the date before the
//!   round began, the next year is meant; the preview says which year was assumed;
//! - **立行立改** (also 立即整改, 即知即改): *the round's last day* (its end date, else its
//!   start date, else the day of the import). "立行立改" means "put right at once"; the
//!   office's inspection team expects it done by the time the round closes, so it counts as
//!   逾期 from the day after. The text stays "立行立改" everywhere it is shown.
//! - **长期坚持** (持续推进, 长期, 常态化, 每季度 …): no date, never 逾期.
//!
//! 逾期 is a function of the deadline, the status and *today*, passed in, so that every view
//! and test is exact ([`is_overdue`], [`days_overdue`]).

use chrono::{Datelike, NaiveDate};

use super::STATUS_CLOSED;
use super::STATUS_DONE;
use crate::tasks::{date_text, parse_deadline};

/// What kind of time limit a 完成时限 is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// A date ("2023年4月30日前", a date cell).
    Date,
    /// 立行立改: the round's last day.
    Immediate,
    /// 长期坚持 and the like: no date, never overdue.
    Standing,
    /// Text that names no date ("整改到位为止"): kept, never overdue.
    Text,
    /// Nothing written.
    None,
}

impl DeadlineKind {
    /// The code stored in `problem.deadline_kind`.
    pub fn code(self) -> &'static str {
        match self {
            DeadlineKind::Date => "date",
            DeadlineKind::Immediate => "immediate",
            DeadlineKind::Standing => "standing",
            DeadlineKind::Text => "text",
            DeadlineKind::None => "none",
        }
    }

    pub fn from_code(s: &str) -> DeadlineKind {
        match s {
            "date" => DeadlineKind::Date,
            "immediate" => DeadlineKind::Immediate,
            "standing" => DeadlineKind::Standing,
            "text" => DeadlineKind::Text,
            _ => DeadlineKind::None,
        }
    }
}

/// A 完成时限 read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// As written (a date cell as "2023-05-31").
    pub text: String,
    pub date: Option<NaiveDate>,
    pub kind: DeadlineKind,
    /// Set when the year was not written and was assumed ("未写年份，按标题中的2023年").
    pub assumed: Option<String>,
}

impl Deadline {
    pub fn date_text(&self) -> Option<String> {
        date_text(self.date)
    }
}

/// What a 完成时限 is read against: the year of the list (from its title, its 督察时间 line or
/// the round) and the round's dates.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeadlineContext {
    /// The year of the list, and where it came from ("标题", "督察时间", "督察轮次").
    pub year: Option<(i32, &'static str)>,
    /// The round's first and last day.
    pub round_start: Option<NaiveDate>,
    pub round_end: Option<NaiveDate>,
    /// The day of the import (立行立改 of a round without dates).
    pub today: Option<NaiveDate>,
}

const IMMEDIATE: &[&str] = &[
    "立行立改",
    "立即整改",
    "即知即改",
    "马上整改",
    "立即落实",
    "即查即改",
];
const STANDING: &[&str] = &[
    "长期坚持",
    "持续推进",
    "长期",
    "常态化",
    "持续整改",
    "持续",
    "每季度",
    "每月",
    "每年",
];

/// Read a 完成时限 cell (`serial`: the number of a date cell).
pub fn parse(text: &str, serial: Option<f64>, ctx: &DeadlineContext) -> Deadline {
    let text = text.trim().to_string();
    let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut d = Deadline {
        text: text.clone(),
        date: None,
        kind: DeadlineKind::None,
        assumed: None,
    };
    if text.is_empty() && serial.is_none() {
        return d;
    }
    // A written date first: "2023年5月31日前立行立改" has one.
    if let Some(date) = parse_deadline(&text, serial) {
        d.date = Some(date);
        d.kind = DeadlineKind::Date;
        // A date cell in General format shows its serial ("45260"): keep the date instead.
        if serial.is_some() && text.chars().all(|c| c.is_ascii_digit() || c == '.') {
            d.text = date.format("%Y-%m-%d").to_string();
        }
        return d;
    }
    if IMMEDIATE.iter().any(|w| squashed.contains(w)) {
        d.kind = DeadlineKind::Immediate;
        d.date = ctx.round_end.or(ctx.round_start).or(ctx.today);
        return d;
    }
    // A number cell is never a dotted month and day: Excel keeps "6.30" typed in as 6.3.
    if let Some((date, why)) = without_year(&squashed, serial.is_none(), ctx) {
        d.date = Some(date);
        d.kind = DeadlineKind::Date;
        d.assumed = Some(why);
        return d;
    }
    d.kind = if STANDING.iter().any(|w| squashed.contains(w)) {
        DeadlineKind::Standing
    } else {
        DeadlineKind::Text
    };
    d
}

/// A deadline written without its year, with the list's year: "5月底前", "6月15日前",
/// "六月底前", "6.30前", "年底前", "下半年", "三季度末".
/// `dotted`: "6.30" may be read as a month and a day (the cell holds text, not a number).
fn without_year(t: &str, dotted: bool, ctx: &DeadlineContext) -> Option<(NaiveDate, String)> {
    let t = month_digits(&crate::text::to_half_width(t));
    let t = if dotted {
        dotted_month_day(&t).unwrap_or(t)
    } else {
        t
    };
    let dated = match t.find('月') {
        Some(month_at) => {
            let head = &t[..month_at];
            // The month is the digits right before 月, and nothing that looks like a year
            // before it.
            let digits = head
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .count();
            digits > 0
                && !head.contains('年')
                && head.chars().filter(|c| c.is_ascii_digit()).count() == digits
        }
        // "年底前", "下半年", "三季度末": a part of the list's year, no digits at all.
        None => {
            !t.chars().any(|c| c.is_ascii_digit())
                && YEAR_PARTS.iter().any(|w| t.contains(w))
                && !STANDING.iter().any(|w| t.contains(w))
        }
    };
    if !dated {
        return None;
    }
    let (year, source) = ctx.year?;
    let mut y = year;
    let written = |y: i32| {
        if t.contains('月') {
            format!("{y}年{t}")
        } else {
            // "年底前" → "2023年底前"; "下半年" → "2023年下半年".
            format!("{y}年{}", t.trim_start_matches('年'))
        }
    };
    let candidate = parse_deadline(&written(y), None)?;
    // A list drawn up in November that says "3月底前" means next March.
    let mut date = candidate;
    if let Some(start) = ctx.round_start
        && date < start
        && start.year() == y
    {
        y += 1;
        date = parse_deadline(&written(y), None)?;
    }
    let why = if y == year {
        format!("未写年份，按{source}中的{y}年")
    } else {
        format!("未写年份，{source}为{year}年，该日期早于督察开始日，按{y}年")
    };
    Some((date, why))
}

/// The parts of a year a deadline names without its year.
const YEAR_PARTS: &[&str] = &["年底", "年末", "年内", "上半年", "下半年", "季度"];

/// "六月底前" → "6月底前", "十二月15日" → "12月15日": a month in Chinese numerals that opens the
/// text, as digits. Only at the start: inside a text "一月" may be part of another word
/// ("统一月底前报送"), and "三个月" is a span, not March.
fn month_digits(t: &str) -> String {
    const MONTHS: [(&str, &str); 12] = [
        ("十二月", "12月"),
        ("十一月", "11月"),
        ("十月", "10月"),
        ("九月", "9月"),
        ("八月", "8月"),
        ("七月", "7月"),
        ("六月", "6月"),
        ("五月", "5月"),
        ("四月", "4月"),
        ("三月", "3月"),
        ("二月", "2月"),
        ("一月", "1月"),
    ];
    match MONTHS
        .iter()
        .find_map(|(cn, digits)| Some((digits, t.strip_prefix(cn)?)))
    {
        Some((digits, rest)) => format!("{digits}{rest}"),
        None => t.to_string(),
    }
}

/// "6.30前", "6/30", "5.31" (a month and a day, no year) → "6月30日前".
fn dotted_month_day(t: &str) -> Option<String> {
    let b = t.as_bytes();
    // One or two digits at `from`: their value and where they end.
    let num = |from: usize| {
        let n = b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        (1..=2).contains(&n).then(|| {
            (
                b[from..from + n]
                    .iter()
                    .fold(0, |v, c| v * 10 + u32::from(c - b'0')),
                from + n,
            )
        })
    };
    let (m, after_m) = num(0)?;
    let sep = *b.get(after_m)?;
    if sep != b'.' && sep != b'/' {
        return None;
    }
    let (d, after_d) = num(after_m + 1)?;
    let rest = &t[after_d..];
    if rest
        .chars()
        .any(|c| c.is_ascii_digit() || c == '.' || c == '/')
    {
        return None;
    }
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{m}月{d}日{rest}"))
}

/// The first year (2000–2100) written in `text` ("2023年法治政府建设专项督察问题清单").
pub fn year_in(text: &str) -> Option<i32> {
    let t = crate::text::to_half_width(text);
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: i32 = chars[start..i].iter().collect::<String>().parse().ok()?;
                if (2000..=2100).contains(&y) {
                    return Some(y);
                }
            }
            continue;
        }
        i += 1;
    }
    None
}

/// The dates of a 督察时间 line: "督察时间：2023年4月10日至4月14日", "2023.4.10-2023.4.14",
/// "2023年4月10日—14日", "2023年10月16日-10月20日", "2023年10月16-20日"; without a year
/// ("10月16日至20日") in `year`, the list's year, when given. (first day, last day).
pub fn period_in(text: &str, year: Option<i32>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let t = crate::text::to_half_width(text);
    let t = t
        .split_once(['：', ':'])
        .map(|(_, b)| b.to_string())
        .unwrap_or(t.clone());
    let parts: Vec<&str> = t
        .split(['至', '~', '～', '—', '–', '到'])
        .flat_map(|p| {
            // "2023.4.10-2023.4.14", "2023年10月16日-10月20日": one dash between two days (an
            // ISO date "2023-10-16" has two).
            if p.matches('-').count() == 1 {
                p.split('-').collect::<Vec<_>>()
            } else {
                vec![p]
            }
        })
        .filter(|p| !p.trim().is_empty())
        .collect();
    let first = parts.first().and_then(|p| {
        full_date(p).or_else(|| match (year, numbers(p).as_slice()) {
            (Some(y), [m, d]) => NaiveDate::from_ymd_opt(y, *m, *d),
            _ => None,
        })
    });
    let last = match (first, parts.get(1)) {
        (Some(f), Some(p)) => full_date(p).or_else(|| {
            // "至14日" / "至4月14日": year (and month) of the first day.
            let nums: Vec<u32> = numbers(p);
            match nums.as_slice() {
                [d] => NaiveDate::from_ymd_opt(f.year(), f.month(), *d),
                [m, d] => NaiveDate::from_ymd_opt(f.year(), *m, *d),
                _ => None,
            }
        }),
        _ => None,
    };
    (first, last)
}

fn numbers(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.extend(cur.parse::<u32>().ok());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.extend(cur.parse::<u32>().ok());
    }
    out
}

fn full_date(s: &str) -> Option<NaiveDate> {
    let n = numbers(s);
    match n.as_slice() {
        [y, m, d, ..] if (2000..=2100).contains(y) => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        _ => None,
    }
}

/// Whether a unit's part of a problem is 逾期 on `today`: still open (待整改 or 整改中) and
/// its deadline passed (逾期 from the day after the deadline).
pub fn is_overdue(deadline: Option<NaiveDate>, status: &str, today: NaiveDate) -> bool {
    days_overdue(deadline, status, today).is_some()
}

/// Days past the deadline of an open part (1 on the day after the deadline).
pub fn days_overdue(deadline: Option<NaiveDate>, status: &str, today: NaiveDate) -> Option<i64> {
    if status == STATUS_DONE || status == STATUS_CLOSED {
        return None;
    }
    let d = deadline?;
    let days = (today - d).num_days();
    (days > 0).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn ctx() -> DeadlineContext {
        DeadlineContext {
            year: Some((2023, "标题")),
            round_start: Some(day("2023-04-10")),
            round_end: Some(day("2023-04-14")),
            today: Some(day("2023-04-20")),
        }
    }

    #[test]
    fn every_written_form_of_a_time_limit() {
        let c = ctx();
        let p = |t: &str| parse(t, None, &c);
        assert_eq!(p("2023年4月30日前").date, Some(day("2023-04-30")));
        assert_eq!(p("2023年9月底").date, Some(day("2023-09-30")));
        assert_eq!(p("2023.5.15").date, Some(day("2023-05-15")));
        let may = p("5月底前");
        assert_eq!(
            (may.date, may.kind),
            (Some(day("2023-05-31")), DeadlineKind::Date)
        );
        assert!(may.assumed.as_deref().is_some_and(|a| a.contains("2023年")));
        assert_eq!(p("6月15日前").date, Some(day("2023-06-15")));
        // Before the round began: next year.
        let march = p("3月底前");
        assert_eq!(march.date, Some(day("2024-03-31")));
        assert!(
            march
                .assumed
                .as_deref()
                .is_some_and(|a| a.contains("2024年"))
        );
        let now = p("立行立改");
        assert_eq!(
            (now.kind, now.date),
            (DeadlineKind::Immediate, Some(day("2023-04-14")))
        );
        assert_eq!(now.text, "立行立改");
        let standing = p("长期坚持");
        assert_eq!(
            (standing.kind, standing.date),
            (DeadlineKind::Standing, None)
        );
        assert_eq!(p("整改到位为止").kind, DeadlineKind::Text);
        assert_eq!(p("").kind, DeadlineKind::None);
        // A date cell.
        let cell = parse("2023-05-31", Some(45077.0), &c);
        assert_eq!(cell.date, Some(day("2023-05-31")));
        // No year anywhere: "5月底前" stays text.
        let bare = parse("5月底前", None, &DeadlineContext::default());
        assert_eq!((bare.kind, bare.date), (DeadlineKind::Text, None));
        // 立行立改 of a round without dates: the day of the import.
        let c2 = DeadlineContext {
            today: Some(day("2023-06-01")),
            ..DeadlineContext::default()
        };
        assert_eq!(parse("立行立改", None, &c2).date, Some(day("2023-06-01")));
    }

    #[test]
    fn the_other_ways_offices_leave_out_the_year() {
        let c = ctx();
        let p = |t: &str| {
            let d = parse(t, None, &c);
            (d.kind, d.date.map(|d| d.to_string()), d.assumed.is_some())
        };
        let assumed = |d: &str| (DeadlineKind::Date, Some(d.to_string()), true);
        assert_eq!(p("六月底前"), assumed("2023-06-30"));
        assert_eq!(p("十二月底"), assumed("2023-12-31"));
        assert_eq!(p("十一月15日前"), assumed("2023-11-15"));
        // A numeral inside another word is no month.
        assert_eq!(p("统一月底前报送"), (DeadlineKind::Text, None, false));
        assert_eq!(p("6.30前"), assumed("2023-06-30"));
        assert_eq!(p("5/31"), assumed("2023-05-31"));
        assert_eq!(p("年底前"), assumed("2023-12-31"));
        assert_eq!(p("下半年"), assumed("2023-12-31"));
        assert_eq!(p("三季度末"), assumed("2023-09-30"));
        // Before the round began (10 April): next year, as for "3月底前".
        assert_eq!(p("一季度"), assumed("2024-03-31"));
        // Eight digits stay as written (the hostile catalog's rule: no guessed date order).
        assert_eq!(p("20230531"), (DeadlineKind::Text, None, false));
        // Spans and habits are no dates: kept as written, never overdue.
        assert_eq!(p("三个月内"), (DeadlineKind::Text, None, false));
        assert_eq!(p("每年"), (DeadlineKind::Standing, None, false));
        assert_eq!(p("每季度"), (DeadlineKind::Standing, None, false));
        assert_eq!(p("13.5"), (DeadlineKind::Text, None, false));
        assert_eq!(p("6.30.1"), (DeadlineKind::Text, None, false));
        // A number cell: "6.30" typed in is kept by Excel as 6.3, which is no date.
        assert_eq!(parse("6.3", Some(6.3), &c).kind, DeadlineKind::Text);
        // Without a year in the list, none of these is a date.
        let bare = |t: &str| parse(t, None, &DeadlineContext::default()).kind;
        assert_eq!(bare("年底前"), DeadlineKind::Text);
        assert_eq!(bare("6.30前"), DeadlineKind::Text);
    }

    #[test]
    fn a_date_cell_in_general_format_keeps_its_date_not_its_serial() {
        let d = parse("45260", Some(45260.0), &ctx());
        assert_eq!(d.date, Some(day("2023-11-30")));
        assert_eq!(d.text, "2023-11-30");
        // Written text stays as written.
        let w = parse("2023年11月30日前", None, &ctx());
        assert_eq!(w.text, "2023年11月30日前");
    }

    #[test]
    fn overdue_from_the_day_after_the_deadline_while_open() {
        let d = Some(day("2023-05-31"));
        assert!(!is_overdue(d, "待整改", day("2023-05-31")));
        assert_eq!(days_overdue(d, "待整改", day("2023-06-01")), Some(1));
        assert_eq!(days_overdue(d, "整改中", day("2023-06-10")), Some(10));
        assert!(!is_overdue(d, "已整改待核验", day("2023-06-10")));
        assert!(!is_overdue(d, "已销号", day("2023-06-10")));
        assert!(!is_overdue(None, "待整改", day("2030-01-01")));
    }

    #[test]
    fn years_and_periods_of_titles_and_time_lines() {
        assert_eq!(year_in("2023年法治政府建设专项督察问题清单"), Some(2023));
        assert_eq!(year_in("问题清单"), None);
        assert_eq!(
            period_in("督察时间：2023年4月10日至4月14日", None),
            (Some(day("2023-04-10")), Some(day("2023-04-14")))
        );
        assert_eq!(
            period_in("督察时间：2023年4月10日—14日", None),
            (Some(day("2023-04-10")), Some(day("2023-04-14")))
        );
        assert_eq!(
            period_in("时间：2023.4.10-2023.4.14", None),
            (Some(day("2023-04-10")), Some(day("2023-04-14")))
        );
        assert_eq!(period_in("督察时间：2023年4月", None), (None, None));
        let oct = (Some(day("2023-10-16")), Some(day("2023-10-20")));
        for written in [
            "督察时间：2023年10月16日-10月20日",
            "督察时间：2023年10月16日－2023年10月20日",
            "督察时间：2023年10月16-20日",
            "督察时间：2023-10-16至2023-10-20",
        ] {
            assert_eq!(period_in(written, None), oct, "{written}");
        }
        assert_eq!(period_in("督察时间：10月16日至20日", Some(2023)), oct);
        assert_eq!(period_in("督察时间：10月16日至20日", None), (None, None));
    }
}
