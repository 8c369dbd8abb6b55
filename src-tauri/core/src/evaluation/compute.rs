//! The scoring arithmetic, as pure functions over [`Points`]: what one deduction rule takes,
//! what one expert's mark is worth under an indicator's 分值, which mark counts when several
//! experts scored the same indicator, and what the 案卷评查 of an indicator gives. No database
//! here: `results.rs` loads the data and sums, and the property tests drive these functions
//! with random systems, rules and marks.
//!
//! Rule shapes (work-documents.md §6.3): a fixed deduction for a missing element
//! (“未制定…的扣0.5分”), a per-occurrence deduction with an optional cap (“每少一次扣0.3分，累计
//! 扣分不超过1.2分”), 不得分 (the whole item), 酌情扣分 (the assessor's amount, optionally
//! capped). An indicator's deductions together never exceed its 分值 (扣完为止): the score is
//! never below zero and score + 扣分 = 分值, always.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::points::Points;

/// The shape of a deduction rule (评分标准).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RuleKind {
    /// 缺项扣分: a fixed amount when the element is missing (“未成立领导小组的扣0.5分”).
    Fixed,
    /// 按次扣分: an amount per occurrence, with an optional cap (“每件扣0.2分，累计不超过1分”).
    PerItem,
    /// 不得分: the whole item is lost.
    Zero,
    /// 酌情扣分: the assessor sets the amount, optionally capped.
    Discretion,
}

impl RuleKind {
    pub const ALL: [RuleKind; 4] = [
        RuleKind::Fixed,
        RuleKind::PerItem,
        RuleKind::Zero,
        RuleKind::Discretion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RuleKind::Fixed => "fixed",
            RuleKind::PerItem => "perItem",
            RuleKind::Zero => "zero",
            RuleKind::Discretion => "discretion",
        }
    }

    pub fn from_code(s: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleKind::Fixed => "缺项扣分",
            RuleKind::PerItem => "按次扣分",
            RuleKind::Zero => "不得分",
            RuleKind::Discretion => "酌情扣分",
        }
    }
}

/// A deduction rule as the arithmetic needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    pub id: i64,
    pub kind: RuleKind,
    /// Per element / per occurrence (Fixed, PerItem).
    pub amount: Option<Points>,
    /// 累计扣分不超过 (PerItem, Discretion).
    pub cap: Option<Points>,
}

/// One use of a rule in a mark: how many times, or (酌情扣分) how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RuleUse {
    #[ts(type = "number")]
    pub rule_id: i64,
    /// Occurrences (按次扣分) or missing elements (缺项扣分); 1 otherwise.
    #[ts(type = "number")]
    #[serde(default = "one")]
    pub count: i64,
    /// The amount of a 酌情扣分.
    #[serde(default)]
    pub amount: Option<Points>,
}

fn one() -> i64 {
    1
}

/// What one use of `rule` deducts from an indicator worth `max` (before the 扣完为止 floor of
/// the indicator as a whole).
pub fn rule_deduction(rule: &RuleSpec, u: &RuleUse, max: Points) -> Points {
    let count = u.count.max(0);
    let capped = |d: Points| match rule.cap {
        Some(c) => d.min(c.max(Points::ZERO)),
        None => d,
    };
    let d = match rule.kind {
        RuleKind::Fixed => rule.amount.unwrap_or_default().times(count),
        RuleKind::PerItem => capped(rule.amount.unwrap_or_default().times(count)),
        RuleKind::Zero if count > 0 => max,
        RuleKind::Zero => Points::ZERO,
        RuleKind::Discretion => capped(u.amount.unwrap_or_default()),
    };
    d.max(Points::ZERO)
}

/// 等次 of grade scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Grade {
    /// 达标
    Full,
    /// 基本达标
    Basic,
    /// 未达标
    Fail,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Grade::Full, Grade::Basic, Grade::Fail];
    pub const LABELS: [&'static str; 3] = ["达标", "基本达标", "未达标"];

    pub fn code(self) -> &'static str {
        match self {
            Grade::Full => "full",
            Grade::Basic => "basic",
            Grade::Fail => "fail",
        }
    }

    pub fn from_code(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Full => "达标",
            Grade::Basic => "基本达标",
            Grade::Fail => "未达标",
        }
    }

    /// "达标" / "基本达标" / "未达标" as written in a cell.
    pub fn from_label(s: &str) -> Option<Grade> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        Grade::ALL.into_iter().find(|g| g.label() == t)
    }
}

/// The share of the points each 等次 gives, in percent (达标 100, 基本达标 60, 未达标 0 unless
/// the office sets others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GradeShares {
    pub full: Points,
    pub basic: Points,
    pub fail: Points,
}

impl Default for GradeShares {
    fn default() -> Self {
        GradeShares {
            full: Points::whole(100),
            basic: Points::whole(60),
            fail: Points::ZERO,
        }
    }
}

impl GradeShares {
    pub fn of(&self, g: Grade) -> Points {
        match g {
            Grade::Full => self.full,
            Grade::Basic => self.basic,
            Grade::Fail => self.fail,
        }
    }
}

/// What an expert gave for an indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// 评分: the score itself.
    Score(Points),
    /// 扣分: the points taken off.
    Deduction(Points),
    /// 等次 (grade scoring).
    Grade(Grade),
    /// Deductions by the indicator's rules.
    Rules(Vec<RuleUse>),
}

/// A mark's worth under an indicator's 分值.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    pub score: Points,
    pub deduction: Points,
    /// The entry did not fit the 分值 (a score above it, deductions beyond it): clamped to
    /// 0..=分值, and the office is told.
    pub clamped: bool,
}

/// What `entry` is worth when the indicator is worth `max`: always `0 ≤ score ≤ max` and
/// `score + deduction = max` (扣完为止).
pub fn mark_points(entry: &Entry, max: Points, rules: &[RuleSpec], shares: &GradeShares) -> Marked {
    let max = max.max(Points::ZERO);
    let (raw_deduction, exact) = match entry {
        Entry::Score(s) => (max - *s, *s >= Points::ZERO && *s <= max),
        Entry::Deduction(d) => (*d, *d >= Points::ZERO && *d <= max),
        Entry::Grade(g) => {
            let share = shares.of(*g).max(Points::ZERO).min(Points::whole(100));
            (max - max.percent(share), true)
        }
        Entry::Rules(uses) => {
            let d: Points = uses
                .iter()
                .filter_map(|u| {
                    rules
                        .iter()
                        .find(|r| r.id == u.rule_id)
                        .map(|r| rule_deduction(r, u, max))
                })
                .sum();
            // Deductions beyond the 分值 are the rules' 扣完为止, not a mistake.
            (d, true)
        }
    };
    let deduction = raw_deduction.max(Points::ZERO).min(max);
    Marked {
        score: max - deduction,
        deduction,
        clamped: !exact,
    }
}

/// How the score of an indicator in a round was arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScoreSource {
    /// 依法治区办录入 (an office mark; the official result of an official round).
    Office,
    /// The one expert who scored it.
    Expert,
    /// Several experts, all the same score.
    Agreed,
    /// Several experts; the office picked one.
    Picked,
    /// Several experts; the office chose their average.
    Average,
    /// Several experts who differ and the office has not chosen yet: their average, shown as
    /// 待确认.
    Unconfirmed,
    /// No mark: from the indicator's 案卷评查 (average 得分率 × 分值).
    Cases,
    /// Not scored.
    None,
}

impl ScoreSource {
    pub fn label(self) -> &'static str {
        match self {
            ScoreSource::Office => "依法治区办录入",
            ScoreSource::Expert => "专家评分",
            ScoreSource::Agreed => "专家评分一致",
            ScoreSource::Picked => "采用指定专家评分",
            ScoreSource::Average => "取专家平均分",
            ScoreSource::Unconfirmed => "专家评分不一致（暂取平均，待确认）",
            ScoreSource::Cases => "按案卷评查得分率折算",
            ScoreSource::None => "未评分",
        }
    }
}

/// The office's choice among several experts' marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Expert(i64),
    Average,
}

/// The score that counts for an indicator: from the marks (`(expert or None for the office,
/// score)`), the office's choice, and the 案卷评查 result when nobody marked it.
pub fn resolve(
    marks: &[(Option<i64>, Points)],
    choice: Option<Choice>,
    from_cases: Option<Points>,
) -> (Option<Points>, ScoreSource) {
    if let Some((_, s)) = marks.iter().find(|(e, _)| e.is_none()) {
        return (Some(*s), ScoreSource::Office);
    }
    match marks {
        [] => match from_cases {
            Some(s) => (Some(s), ScoreSource::Cases),
            None => (None, ScoreSource::None),
        },
        [(_, s)] => (Some(*s), ScoreSource::Expert),
        _ => {
            let scores: Vec<Points> = marks.iter().map(|m| m.1).collect();
            let mean = Points::mean(&scores);
            match choice {
                Some(Choice::Expert(e)) => match marks.iter().find(|m| m.0 == Some(e)) {
                    Some((_, s)) => (Some(*s), ScoreSource::Picked),
                    // The picked expert's mark is gone: back to undecided.
                    None => undecided(&scores, mean),
                },
                Some(Choice::Average) => (mean, ScoreSource::Average),
                None => undecided(&scores, mean),
            }
        }
    }
}

fn undecided(scores: &[Points], mean: Option<Points>) -> (Option<Points>, ScoreSource) {
    if scores.windows(2).all(|w| w[0] == w[1]) {
        (scores.first().copied(), ScoreSource::Agreed)
    } else {
        (mean, ScoreSource::Unconfirmed)
    }
}

/// 得分率 of one reviewed case file in percent (score / full × 100), rounded to 0.01.
pub fn case_rate(score: Points, full: Points) -> Points {
    if full.hundredths() <= 0 {
        return Points::ZERO;
    }
    Points::whole(100)
        .scaled(score.hundredths(), full.hundredths())
        .max(Points::ZERO)
        .min(Points::whole(100))
}

/// An indicator's score from its case files: the mean 得分率 of the files times its 分值.
pub fn from_cases(max: Points, rates: &[Points]) -> Option<Points> {
    let mean = Points::mean(rates)?;
    Some(max.percent(mean).min(max).max(Points::ZERO))
}

/// The 附加项 applied: their sum, kept within ±cap when the office set one.
pub fn bonus_applied(items: &[Points], cap: Option<Points>) -> Points {
    let raw: Points = items.iter().sum();
    match cap {
        Some(c) => {
            let c = c.max(Points::ZERO);
            raw.min(c).max(-c)
        }
        None => raw,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading rule text as offices write it (评分标准 columns): the shapes of §6.3.

/// A rule read from text: kind, amount, cap.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRule {
    pub kind: RuleKind,
    pub text: String,
    pub amount: Option<Points>,
    pub cap: Option<Points>,
}

/// The rules in a 评分标准 text, one per clause (split at “；”/“;”/line breaks): “每发现1件未
/// 审核扣0.2分，扣完为止” is 按次扣分 0.2; “累计扣分不超过1.2分” caps it; “不得分” is 不得分;
/// “酌情扣分” is 酌情扣分; “未…扣0.5分” is 缺项扣分 0.5. Clauses naming no deduction are skipped.
pub fn parse_rule_text(text: &str) -> Vec<ParsedRule> {
    let t = crate::text::to_half_width(text);
    let mut out: Vec<ParsedRule> = Vec::new();
    for clause in t.split(['；', ';', '\n', '。']) {
        let c = clause.trim();
        if c.is_empty() {
            continue;
        }
        let cap = number_after(c, &["不超过", "最多扣", "最高扣", "封顶"]);
        let amount = number_after(c, &["扣"]);
        let per = ["每", "一次", "一件", "一项"].iter().any(|w| c.contains(w));
        let kind = if c.contains("酌情") {
            Some(RuleKind::Discretion)
        } else if c.contains("不得分") || c.contains("扣除全部分") {
            Some(RuleKind::Zero)
        } else if amount.is_some() && per {
            Some(RuleKind::PerItem)
        } else if amount.is_some() && !c.contains("不超过") {
            Some(RuleKind::Fixed)
        } else {
            None
        };
        match kind {
            Some(kind) => out.push(ParsedRule {
                kind,
                text: c.to_string(),
                amount: if matches!(kind, RuleKind::Fixed | RuleKind::PerItem) {
                    amount
                } else {
                    None
                },
                cap: if matches!(kind, RuleKind::PerItem | RuleKind::Discretion) {
                    cap
                } else {
                    None
                },
            }),
            // A clause that only caps (“累计扣分不超过1.2分”) belongs to the rule before it.
            None => {
                if let (Some(cap), Some(last)) = (cap, out.last_mut())
                    && matches!(last.kind, RuleKind::PerItem | RuleKind::Discretion)
                    && last.cap.is_none()
                {
                    last.cap = Some(cap);
                    last.text = format!("{}；{c}", last.text);
                }
            }
        }
    }
    out
}

/// The first number (with at most two decimals) after one of `words`, as points.
fn number_after(text: &str, words: &[&str]) -> Option<Points> {
    for w in words {
        let mut rest = text;
        while let Some(i) = rest.find(w) {
            let after = &rest[i + w.len()..];
            let num: String = after
                .chars()
                .skip_while(|c| c.is_whitespace())
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if !num.is_empty()
                && let Ok(p) = Points::parse(&num)
            {
                return Some(p);
            }
            rest = after;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Points {
        Points::parse(s).expect("points")
    }

    fn rule(id: i64, kind: RuleKind, amount: Option<&str>, cap: Option<&str>) -> RuleSpec {
        RuleSpec {
            id,
            kind,
            amount: amount.map(p),
            cap: cap.map(p),
        }
    }

    fn uses(v: &[(i64, i64, Option<&str>)]) -> Entry {
        Entry::Rules(
            v.iter()
                .map(|(id, n, a)| RuleUse {
                    rule_id: *id,
                    count: *n,
                    amount: a.map(p),
                })
                .collect(),
        )
    }

    #[test]
    fn the_rule_shapes_of_real_assessment_rules() {
        let shares = GradeShares::default();
        let max = p("2");
        let rules = [
            rule(1, RuleKind::Fixed, Some("0.5"), None),
            rule(2, RuleKind::PerItem, Some("0.3"), Some("1.2")),
            rule(3, RuleKind::Zero, None, None),
            rule(4, RuleKind::Discretion, None, Some("0.5")),
        ];
        // 未成立领导小组的扣0.5分
        let m = mark_points(&uses(&[(1, 1, None)]), max, &rules, &shares);
        assert_eq!((m.score, m.deduction), (p("1.5"), p("0.5")));
        // 每少一次扣0.3分，累计扣分不超过1.2分: five times is 1.5, capped at 1.2.
        let m = mark_points(&uses(&[(2, 5, None)]), max, &rules, &shares);
        assert_eq!(m.deduction, p("1.2"));
        // Together beyond the 分值: 扣完为止, never below zero.
        let m = mark_points(&uses(&[(1, 3, None), (2, 4, None)]), max, &rules, &shares);
        assert_eq!((m.score, m.deduction, m.clamped), (p("0"), p("2"), false));
        // 不得分
        let m = mark_points(&uses(&[(3, 1, None)]), max, &rules, &shares);
        assert_eq!(m.score, Points::ZERO);
        // 酌情扣分, capped at 0.5
        let m = mark_points(&uses(&[(4, 1, Some("0.8"))]), max, &rules, &shares);
        assert_eq!(m.deduction, p("0.5"));
        // A score above the 分值 is clamped and says so.
        let m = mark_points(&Entry::Score(p("2.5")), max, &rules, &shares);
        assert_eq!((m.score, m.clamped), (max, true));
        // Grades: 基本达标 is 60% of 10.5.
        let m = mark_points(&Entry::Grade(Grade::Basic), p("10.5"), &[], &shares);
        assert_eq!((m.score, m.deduction), (p("6.3"), p("4.2")));
    }

    #[test]
    fn several_experts_office_first_then_the_pick_then_the_average() {
        let a = (Some(1), p("0.5"));
        let b = (Some(2), p("0.6"));
        assert_eq!(
            resolve(&[a, b], None, None),
            (Some(p("0.55")), ScoreSource::Unconfirmed)
        );
        assert_eq!(
            resolve(&[a, b], Some(Choice::Expert(2)), None),
            (Some(p("0.6")), ScoreSource::Picked)
        );
        assert_eq!(
            resolve(&[a, b], Some(Choice::Average), None).1,
            ScoreSource::Average
        );
        assert_eq!(
            resolve(&[a, (Some(2), p("0.5"))], None, None),
            (Some(p("0.5")), ScoreSource::Agreed)
        );
        assert_eq!(
            resolve(&[a, (None, p("0.9"))], Some(Choice::Expert(1)), None),
            (Some(p("0.9")), ScoreSource::Office)
        );
        assert_eq!(
            resolve(&[a, b], Some(Choice::Expert(9)), None).1,
            ScoreSource::Unconfirmed
        );
        assert_eq!(
            resolve(&[], None, Some(p("1.6"))),
            (Some(p("1.6")), ScoreSource::Cases)
        );
        assert_eq!(resolve(&[], None, None), (None, ScoreSource::None));
    }

    #[test]
    fn case_files_count_into_their_indicator() {
        let rates = [case_rate(p("92"), p("100")), case_rate(p("40"), p("50"))];
        assert_eq!(rates, [p("92"), p("80")]);
        assert_eq!(from_cases(p("2"), &rates), Some(p("1.72")));
        assert_eq!(from_cases(p("2"), &[]), None);
    }

    #[test]
    fn bonus_stays_within_its_cap() {
        assert_eq!(bonus_applied(&[p("2"), p("2")], Some(p("3"))), p("3"));
        assert_eq!(bonus_applied(&[p("-5")], Some(p("3"))), p("-3"));
        assert_eq!(bonus_applied(&[p("2"), p("-0.5")], None), p("1.5"));
    }

    #[test]
    fn rule_text_is_read_as_offices_write_it() {
        let r = parse_rule_text("未审核每件扣0.2分，扣完为止");
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].kind, r[0].amount, r[0].cap),
            (RuleKind::PerItem, Some(p("0.2")), None)
        );
        let r = parse_rule_text("每少一次扣0.3分，累计扣分不超过1.2分");
        assert_eq!(
            (r[0].kind, r[0].amount, r[0].cap),
            (RuleKind::PerItem, Some(p("0.3")), Some(p("1.2")))
        );
        let r =
            parse_rule_text("未成立领导小组的扣0.5分；未按期召开会议的不得分；其他情形酌情扣分");
        let kinds: Vec<RuleKind> = r.iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            vec![RuleKind::Fixed, RuleKind::Zero, RuleKind::Discretion]
        );
        assert_eq!(r[0].amount, Some(p("0.5")));
        let r = parse_rule_text("每件扣1分；累计扣分不超过3分");
        assert_eq!((r.len(), r[0].cap), (1, Some(p("3"))));
        assert!(parse_rule_text("材料查证＋网络检索").is_empty());
    }
}
