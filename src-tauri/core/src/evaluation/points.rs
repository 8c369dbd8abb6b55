//! 分 (Points): scores as an exact fixed-point decimal — an integer count of hundredths of a
//! point. 10.5 is `Points(1050)`, 0.2 is `Points(20)`. Sums, differences and multiples are
//! integer arithmetic, so every total equals the sum of its parts; the only roundings are the
//! few divisions (an average of two experts, a share of the points by grade, a rescale to
//! 百分制), each rounded half away from zero to 0.01 at one named place.
//!
//! On the wire (IPC, `--json`) a value is a JSON number: `Points(1050)` is written `10.5`
//! (the shortest decimal that reads back as the same double, so never `10.500000001`), and read
//! back exactly, refusing anything finer than 0.01. The UI never adds them up: every total comes
//! from the engine.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// A score in hundredths of a point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(export)]
pub struct Points(#[ts(type = "number")] i64);

/// Hundredths per point.
const SCALE: i64 = 100;

/// The largest value accepted anywhere (a million points): far above any real system, small
/// enough that no product of two values overflows an i128 and no sum overflows an i64.
pub const MAX_ABS: i64 = 1_000_000 * SCALE;

impl Points {
    pub const ZERO: Points = Points(0);

    pub const fn from_hundredths(h: i64) -> Points {
        Points(h)
    }

    pub const fn from_tenths(t: i64) -> Points {
        Points(t * 10)
    }

    pub const fn whole(p: i64) -> Points {
        Points(p * SCALE)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn max(self, o: Points) -> Points {
        Points(self.0.max(o.0))
    }

    pub fn min(self, o: Points) -> Points {
        Points(self.0.min(o.0))
    }

    /// `self` times a count (per-occurrence deductions).
    pub fn times(self, n: i64) -> Points {
        Points(self.0.saturating_mul(n).clamp(-MAX_ABS, MAX_ABS))
    }

    /// `self × num / den`, rounded half away from zero to 0.01 (den > 0).
    pub fn scaled(self, num: i64, den: i64) -> Points {
        Points(div_round(self.0 as i128 * num as i128, den as i128))
    }

    /// `percent`% of `self` (percent itself in points, e.g. 60 → 60%), rounded to 0.01.
    pub fn percent(self, percent: Points) -> Points {
        Points(div_round(
            self.0 as i128 * percent.0 as i128,
            100 * SCALE as i128,
        ))
    }

    /// The mean of `values`, rounded half away from zero to 0.01; None for none.
    pub fn mean(values: &[Points]) -> Option<Points> {
        if values.is_empty() {
            return None;
        }
        let sum: i128 = values.iter().map(|v| v.0 as i128).sum();
        Some(Points(div_round(sum, values.len() as i128)))
    }

    /// The value as a float, for the wire and for charts only — never for arithmetic.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// A number read from a spreadsheet cell: exact to 0.01 or refused (None). Cells hold
    /// binary floats, so 10.5 arrives as 10.5 and 0.3 as 0.29999999999999999: anything within
    /// a millionth of a hundredth is that hundredth.
    pub fn from_f64(f: f64) -> Option<Points> {
        if !f.is_finite() {
            return None;
        }
        let h = f * SCALE as f64;
        if h.abs() > MAX_ABS as f64 {
            return None;
        }
        let r = h.round();
        if (h - r).abs() > 1e-6 {
            return None;
        }
        Some(Points(r as i64))
    }

    /// Text as offices type it: "10.5", "１０．５", " 0.25 ", "10.5分", "-0.3", "+1". The reason
    /// in Chinese when it is not a number with at most two decimals.
    pub fn parse(text: &str) -> Result<Points, String> {
        let t = crate::text::to_half_width(text.trim());
        let t = t.trim().trim_end_matches('分').trim();
        if t.is_empty() {
            return Err("为空".into());
        }
        let (neg, digits) = match t.strip_prefix('-') {
            Some(r) => (true, r.trim_start()),
            None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
        };
        let (int, frac) = match digits.split_once('.') {
            Some((a, b)) => (a, b),
            None => (digits, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err("不是数字".into());
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 2 {
            return Err("小数超过两位（分值最小单位为0.01分）".into());
        }
        let int = int.trim_start_matches('0');
        if int.len() > 9 {
            return Err("数值过大".into());
        }
        let whole: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| "不是数字".to_string())?
        };
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| "不是数字".to_string())?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        let h = whole * SCALE + f;
        if h > MAX_ABS {
            return Err("数值过大".into());
        }
        Ok(Points(if neg { -h } else { h }))
    }
}

/// `n / d` rounded half away from zero (d > 0).
fn div_round(n: i128, d: i128) -> i64 {
    if d <= 0 {
        return 0;
    }
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

impl fmt::Display for Points {
    /// "10.5", "0.25", "10", "-0.3": as few decimals as the value needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let whole = a / SCALE as u64;
        let frac = a % SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else if frac.is_multiple_of(10) {
            write!(f, "{sign}{whole}.{}", frac / 10)
        } else {
            write!(f, "{sign}{whole}.{frac:02}")
        }
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 += o.0;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl<'a> Sum<&'a Points> for Points {
    fn sum<I: Iterator<Item = &'a Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % SCALE == 0 {
            s.serialize_i64(self.0 / SCALE)
        } else {
            s.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) if i.abs() <= MAX_ABS / SCALE => Ok(Points(i * SCALE)),
            Raw::Int(_) => Err(serde::de::Error::custom("分值过大")),
            Raw::Float(f) => {
                Points::from_f64(f).ok_or_else(|| serde::de::Error::custom("分值最多两位小数"))
            }
            Raw::Text(t) => Points::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_offices_type_exactly() {
        assert_eq!(Points::parse("10.5"), Ok(Points(1050)));
        assert_eq!(Points::parse("１０．５"), Ok(Points(1050)));
        assert_eq!(Points::parse(" 0.25 "), Ok(Points(25)));
        assert_eq!(Points::parse("0.20"), Ok(Points(20)));
        assert_eq!(Points::parse("10.5分"), Ok(Points(1050)));
        assert_eq!(Points::parse(".5"), Ok(Points(50)));
        assert_eq!(Points::parse("-0.3"), Ok(Points(-30)));
        assert_eq!(Points::parse("+1"), Ok(Points(100)));
        assert!(Points::parse("0.255").is_err());
        assert!(Points::parse("良好").is_err());
        assert!(Points::parse("1e3").is_err());
        assert!(Points::parse("").is_err());
        assert!(Points::parse(".").is_err());
        assert!(Points::parse("99999999999").is_err());
    }

    #[test]
    fn prints_as_few_decimals_as_needed() {
        assert_eq!(Points(1050).to_string(), "10.5");
        assert_eq!(Points(25).to_string(), "0.25");
        assert_eq!(Points(1000).to_string(), "10");
        assert_eq!(Points(-30).to_string(), "-0.3");
        assert_eq!(Points(5).to_string(), "0.05");
        for h in -2000..2000 {
            assert_eq!(Points::parse(&Points(h).to_string()), Ok(Points(h)));
        }
    }

    #[test]
    fn cells_read_exactly_and_finer_values_are_refused() {
        assert_eq!(Points::from_f64(0.1 + 0.2), Some(Points(30)));
        assert_eq!(Points::from_f64(10.5), Some(Points(1050)));
        assert_eq!(Points::from_f64(0.125), None);
        assert_eq!(Points::from_f64(f64::NAN), None);
        assert_eq!(Points::from_f64(1e300), None);
    }

    #[test]
    fn json_round_trips_exactly() {
        for h in [0, 5, 30, 1050, 99_999, -30, 100_000] {
            let p = Points(h);
            let j = serde_json::to_string(&p).expect("ser");
            assert_eq!(serde_json::from_str::<Points>(&j).expect("de"), p, "{j}");
        }
        assert_eq!(serde_json::to_string(&Points(30)).expect("j"), "0.3");
        assert_eq!(serde_json::to_string(&Points(1000)).expect("j"), "10");
        assert!(serde_json::from_str::<Points>("0.125").is_err());
        assert_eq!(
            serde_json::from_str::<Points>("\"10.5\"").expect("text"),
            Points(1050)
        );
    }

    #[test]
    fn divisions_round_half_away_from_zero() {
        assert_eq!(Points::mean(&[Points(55), Points(60)]), Some(Points(58)));
        assert_eq!(Points::mean(&[Points(-55), Points(-60)]), Some(Points(-58)));
        assert_eq!(
            Points::mean(&[Points(100), Points(100), Points(50)]),
            Some(Points(83))
        );
        assert_eq!(Points(1050).percent(Points::whole(60)), Points(630));
        assert_eq!(Points(150).percent(Points::whole(60)), Points(90));
        assert_eq!(Points(50).scaled(1, 3), Points(17));
        assert_eq!(Points::mean(&[]), None);
    }
}
