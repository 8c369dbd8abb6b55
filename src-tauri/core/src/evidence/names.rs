//! What a file's name says about the material (材料名称, 文号, 形成日期, a likely category and
//! assessment method), and which unit a zip or folder name names. Everything here is a
//! suggestion shown in the preview and editable afterwards; nothing is guessed from file
//! times or content.

use chrono::NaiveDate;

use crate::text::to_half_width;
use crate::units::{Directory, NameMatch};

/// Categories of an item (材料类别).
pub const CATEGORIES: &[&str] = &["记录", "审核", "公示"];
/// Assessment methods an item serves (评估方式).
pub const METHODS: &[&str] = &["材料查证", "网络检索", "案卷评查"];

/// What a file name says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameFacts {
    /// The name without extension, leading item codes and serials ("27." "（三十六）"
    /// "2-4-17-03_").
    pub title: String,
    /// 文号 in its standard form "曾法办〔2023〕5号".
    pub doc_no: Option<String>,
    /// A date written in the name ("2023年4月15日", "2023.4.15", "20230415").
    pub date: Option<NaiveDate>,
    pub category: Option<&'static str>,
    pub method: Option<&'static str>,
}

/// The name without its extension ("通知.pdf" → "通知"; "v1.2 方案" stays whole).
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((s, ext))
            if !s.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            s
        }
        _ => name,
    }
}

/// The lowercase extension ("pdf"), empty when there is none.
pub fn extension(name: &str) -> String {
    let s = stem(name);
    if s.len() == name.len() {
        String::new()
    } else {
        name[s.len() + 1..].to_ascii_lowercase()
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Reads the facts of a file name.
pub fn read_name(file_name: &str) -> NameFacts {
    let s = stem(file_name).trim();
    let half = to_half_width(s);
    let ext = extension(file_name);
    NameFacts {
        title: title_of(s),
        doc_no: doc_no(s),
        date: date_in(&half),
        category: category_of(&half),
        method: method_of(&half, &ext),
    }
}

/// 文号: an issuer's abbreviation (2–10 Chinese characters) then the year in brackets
/// (〔〕, [], 【】, （）, ()) then the number and 号. Returned as "曾法办〔2023〕5号".
pub fn doc_no(s: &str) -> Option<String> {
    let c: Vec<char> = s.chars().collect();
    for i in 0..c.len() {
        if !matches!(c[i], '〔' | '[' | '［' | '【' | '(' | '（' | '﹝') {
            continue;
        }
        // The issuer: Chinese characters right before the bracket.
        let mut start = i;
        while start > 0 && is_cjk(c[start - 1]) && i - (start - 1) <= 10 {
            start -= 1;
        }
        if i - start < 2 {
            continue;
        }
        let mut j = i + 1;
        let year: String = c[j..].iter().take_while(|d| d.is_ascii_digit()).collect();
        if year.len() != 4 {
            continue;
        }
        j += 4;
        if !c
            .get(j)
            .is_some_and(|b| matches!(b, '〕' | ']' | '］' | '】' | ')' | '）' | '﹞'))
        {
            continue;
        }
        j += 1;
        let num: String = c[j..]
            .iter()
            .take_while(|d| d.is_ascii_digit() || ('０'..='９').contains(d))
            .collect();
        if num.is_empty() || num.chars().count() > 5 {
            continue;
        }
        j += num.chars().count();
        if c.get(j) != Some(&'号') {
            continue;
        }
        let Ok(y) = year.parse::<i32>() else { continue };
        if !(1980..=2100).contains(&y) {
            continue;
        }
        let issuer: String = c[start..i].iter().collect();
        // "关于印发曾法办…" — the issuer is the tail of the Chinese run; trim common lead words.
        let issuer = ["关于印发", "关于转发", "印发", "转发", "关于"]
            .iter()
            .find_map(|w| issuer.strip_prefix(w).filter(|r| r.chars().count() >= 2))
            .map_or(issuer.clone(), str::to_string);
        let n = to_half_width(&num).trim_start_matches('0').to_string();
        let n = if n.is_empty() { "0".to_string() } else { n };
        return Some(format!("{issuer}〔{y}〕{n}号"));
    }
    None
}

/// The first plausible date written in a (half-width) name.
pub fn date_in(s: &str) -> Option<NaiveDate> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run: String = c[i..].iter().take_while(|d| d.is_ascii_digit()).collect();
        let n = run.len();
        if n == 8 {
            // 20230415 (not part of a longer number: phone numbers and timestamps are longer).
            let (y, m, d) = (&run[..4], &run[4..6], &run[6..]);
            if let Some(date) = ymd(y, m, d) {
                return Some(date);
            }
        } else if n == 4 {
            // 2023年4月15日, 2023.4.15, 2023-04-15, 2023/4/15, 2023_04_15.
            let sep = c.get(i + 4).copied();
            if let Some(sep) = sep.filter(|s| matches!(s, '年' | '.' | '-' | '/' | '_')) {
                let mut j = i + 5;
                let m: String = c[j..].iter().take_while(|d| d.is_ascii_digit()).collect();
                j += m.len();
                let sep2 = c.get(j).copied();
                let want2 = if sep == '年' { '月' } else { sep };
                if (1..=2).contains(&m.len()) && sep2 == Some(want2) {
                    j += 1;
                    let d: String = c[j..].iter().take_while(|d| d.is_ascii_digit()).collect();
                    let after = c.get(j + d.len()).copied();
                    if (1..=2).contains(&d.len())
                        && !after.is_some_and(|a| a.is_ascii_digit())
                        && let Some(date) = ymd(&run, &m, &d)
                    {
                        return Some(date);
                    }
                }
            }
        }
        i += n;
    }
    None
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    if !(2000..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

/// The title: the stem without a leading item code or serial, when something Chinese remains.
pub fn title_of(stem: &str) -> String {
    let s = stem.trim();
    let c: Vec<char> = s.chars().collect();
    let sep = |x: char| matches!(x, '.' | '．' | '、' | '-' | '_' | ' ' | '　' | '，' | ',');
    let digit = |x: char| x.is_ascii_digit() || ('０'..='９').contains(&x);
    let cn = |x: char| "一二三四五六七八九十百".contains(x);
    let mut i = 0;
    // "2-4-17-03_" and "017_2-4_" item codes.
    let mut j = 0;
    let mut groups = 0;
    while j < c.len() && digit(c[j]) {
        let k = j + c[j..].iter().take_while(|x| digit(**x)).count();
        groups += 1;
        j = k;
        if j < c.len() && matches!(c[j], '-' | '_') && c.get(j + 1).is_some_and(|x| digit(*x)) {
            j += 1;
        } else {
            break;
        }
    }
    if groups >= 3 && c.get(j).is_some_and(|x| sep(*x)) {
        i = j + 1;
    } else if let Some(&open) = c.first()
        && matches!(open, '(' | '（' | '【' | '[')
    {
        // (36) （三十六） 【27】
        let k = c[1..].iter().take_while(|x| digit(**x) || cn(**x)).count();
        if k > 0
            && k <= 4
            && c.get(1 + k)
                .is_some_and(|x| matches!(x, ')' | '）' | '】' | ']'))
        {
            i = k + 2;
        }
    } else if c.first().is_some_and(|x| digit(*x)) {
        // 27. 36、 43- 12.3 (at most three digits, not a year or a date)
        let k = c.iter().take_while(|x| digit(**x)).count();
        if k <= 3 {
            let mut e = k;
            if c.get(e).is_some_and(|x| matches!(x, '.' | '．'))
                && c.get(e + 1).is_some_and(|x| digit(*x))
            {
                let k2 = c[e + 1..].iter().take_while(|x| digit(**x)).count();
                if k2 <= 2 {
                    e += 1 + k2;
                }
            }
            if c.get(e).is_some_and(|x| sep(*x)) {
                i = e + 1;
            } else if e == k && c.get(e).is_some_and(|x| is_cjk(*x)) && k <= 2 {
                // "43行政执法公示"
                i = e;
            }
        }
    } else if s.starts_with("指标") || s.starts_with('第') {
        // 指标27-… 第16项 …
        let skip = if s.starts_with("指标") { 2 } else { 1 };
        let k = c[skip..]
            .iter()
            .take_while(|x| digit(**x) || cn(**x) || **x == ' ')
            .count();
        let mut e = skip + k;
        if k > 0 {
            if c.get(e).is_some_and(|x| matches!(x, '项' | '号')) {
                e += 1;
            }
            if c.get(e).is_some_and(|x| sep(*x)) || c.get(e).is_some_and(|x| is_cjk(*x)) {
                i = e;
            }
        }
    }
    let rest: String = c[i.min(c.len())..].iter().collect();
    let rest = rest.trim_matches(|x: char| sep(x) || x.is_whitespace());
    if rest.chars().any(is_cjk) {
        rest.to_string()
    } else {
        s.to_string()
    }
}

fn category_of(s: &str) -> Option<&'static str> {
    let has = |ws: &[&str]| ws.iter().any(|w| s.contains(w));
    if has(&["审核", "审查", "审定", "意见书", "备案"]) {
        Some("审核")
    } else if has(&["公示", "公开", "公告", "截图", "网站", "网页"]) {
        Some("公示")
    } else if has(&["记录", "台账", "纪要", "签到", "登记", "笔录"]) {
        Some("记录")
    } else {
        None
    }
}

fn method_of(s: &str, ext: &str) -> Option<&'static str> {
    if ["截图", "网页", "网站", "网址", "链接"]
        .iter()
        .any(|w| s.contains(w))
    {
        Some("网络检索")
    } else if ["案卷", "卷宗", "评查"].iter().any(|w| s.contains(w)) {
        Some("案卷评查")
    } else if [
        "pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et", "odt", "ods",
    ]
    .contains(&ext)
    {
        Some("材料查证")
    } else {
        None
    }
}

/// How a unit was found from a name.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitFrom {
    Exact(i64),
    /// A guess; the reason in Chinese.
    Guess(i64, String),
}

impl UnitFrom {
    pub fn id(&self) -> i64 {
        match self {
            UnitFrom::Exact(id) | UnitFrom::Guess(id, _) => *id,
        }
    }
}

/// The unit a zip or folder name ("区司法局.zip", "01区司法局-佐证材料", "曾都区司法局（第二批）")
/// names: the whole name first, then its parts; an exact name wins over a guess, and parts
/// naming two different units name none.
pub fn unit_of_name(dir: &Directory, raw: &str) -> Option<UnitFrom> {
    let s = stem(raw.trim());
    let whole = |m: NameMatch| match m {
        NameMatch::Exact(id) => Some(UnitFrom::Exact(id)),
        NameMatch::Guess(id, why) => Some(UnitFrom::Guess(id, why)),
        _ => None,
    };
    if let Some(u @ UnitFrom::Exact(_)) = whole(dir.resolve(s)) {
        return Some(u);
    }
    let parts: Vec<String> = s
        .split(|c: char| {
            matches!(
                c,
                '-' | '_'
                    | ' '
                    | '　'
                    | '、'
                    | '，'
                    | ','
                    | '（'
                    | '）'
                    | '('
                    | ')'
                    | '【'
                    | '】'
                    | '['
                    | ']'
                    | '+'
                    | '&'
            )
        })
        .map(|p| {
            p.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim()
                .to_string()
        })
        .filter(|p| p.chars().count() >= 2)
        .collect();
    let mut exact: Vec<i64> = Vec::new();
    let mut guess: Vec<(i64, String)> = Vec::new();
    for p in &parts {
        match dir.resolve(p) {
            NameMatch::Exact(id) => exact.push(id),
            NameMatch::Guess(id, why) => guess.push((id, why)),
            _ => {}
        }
    }
    exact.sort_unstable();
    exact.dedup();
    if exact.len() == 1 {
        return Some(UnitFrom::Exact(exact[0]));
    }
    if !exact.is_empty() {
        return None;
    }
    if let Some(u) = whole(dir.resolve(s)) {
        return Some(u);
    }
    let mut ids: Vec<i64> = guess.iter().map(|g| g.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() == 1 {
        return guess
            .into_iter()
            .next()
            .map(|(id, why)| UnitFrom::Guess(id, why));
    }
    None
}

/// Title similarity (Dice coefficient over character bigrams of the normalised names, revision
/// words such as 修改后 removed), 0..=1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (resubmit_key(a), resubmit_key(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        let mut v: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (ga, gb) = (grams(&a), grams(&b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    let common = ga.iter().filter(|g| gb.binary_search(g).is_ok()).count();
    2.0 * common as f64 / (ga.len() + gb.len()) as f64
}

/// A name as compared when a unit sends a corrected file: the title, half-width, without
/// revision words, copy markers and anything but letters, digits and Chinese.
pub fn resubmit_key(name: &str) -> String {
    let mut t = to_half_width(&title_of(stem(name.trim())));
    for w in [
        "修改后",
        "修改稿",
        "修改版",
        "修订版",
        "修订稿",
        "修订",
        "更正版",
        "更正",
        "补充材料",
        "补充",
        "重新报送",
        "重报",
        "最新版",
        "最新",
        "终稿",
        "定稿",
        "正式版",
        "复件",
        "副本",
        "已改",
        "改",
    ] {
        t = t.replace(w, "");
    }
    // "(2)", "v2", "-2" copy counters at the end.
    let mut t: String = t
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    while t.ends_with(|c: char| c.is_ascii_digit()) {
        t.pop();
    }
    if t.ends_with('v') {
        t.pop();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_are_read_as_offices_write_them() {
        for (name, want) in [
            ("曾法办〔2023〕5号.pdf", Some("曾法办〔2023〕5号")),
            (
                "关于印发曾政办发[2022]12号文件的通知.pdf",
                Some("曾政办发〔2022〕12号"),
            ),
            (
                "鄂政发（2021）３号 实施意见.docx",
                Some("鄂政发〔2021〕3号"),
            ),
            ("区司法局【2023】007号.pdf", Some("区司法局〔2023〕7号")),
            ("（2023）工作安排.pdf", None),
            ("附件2.pdf", None),
            ("2023年工作要点.docx", None),
        ] {
            assert_eq!(doc_no(stem(name)).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn dates_are_taken_only_where_a_name_writes_one() {
        let d = |s: &str| date_in(&to_half_width(s)).map(|d| d.to_string());
        assert_eq!(d("2023年4月15日会议纪要").as_deref(), Some("2023-04-15"));
        assert_eq!(d("2023.4.15会议纪要").as_deref(), Some("2023-04-15"));
        assert_eq!(
            d("扫描全能王 2023-04-15 10.30").as_deref(),
            Some("2023-04-15")
        );
        assert_eq!(d("IMG_20230415_101530").as_deref(), Some("2023-04-15"));
        assert_eq!(
            d("2-4-17-03_审查意见_区司法局_20250312").as_deref(),
            Some("2025-03-12")
        );
        assert_eq!(d("联系人13812345678"), None);
        assert_eq!(d("mmexport1681234567890"), None);
        assert_eq!(d("2023年工作要点"), None);
        assert_eq!(d("2023.13.45"), None);
    }

    #[test]
    fn titles_lose_leading_codes_and_keep_their_words() {
        for (name, want) in [
            ("27.重大行政决策事项目录.pdf", "重大行政决策事项目录"),
            ("（三十六）法律顾问名单.pdf", "法律顾问名单"),
            (
                "43-行政执法公示制度落实情况.docx",
                "行政执法公示制度落实情况",
            ),
            (
                "12.3 市场准入负面清单落实情况.pdf",
                "市场准入负面清单落实情况",
            ),
            (
                "2-4-17-03_规范性文件备案审查意见_区司法局_20250312.pdf",
                "规范性文件备案审查意见_区司法局_20250312",
            ),
            ("2023年工作要点.docx", "2023年工作要点"),
            ("2023.4.15会议纪要.pdf", "2023.4.15会议纪要"),
            ("指标27-重大决策目录.pdf", "重大决策目录"),
            ("IMG_20230415.jpg", "IMG_20230415"),
            ("43行政执法公示.png", "行政执法公示"),
        ] {
            assert_eq!(read_name(name).title, want, "{name}");
        }
    }

    #[test]
    fn categories_and_methods_come_from_clear_words_only() {
        let f = read_name("规范性文件合法性审核意见书.pdf");
        assert_eq!((f.category, f.method), (Some("审核"), Some("材料查证")));
        let f = read_name("公开征求意见截图.png");
        assert_eq!((f.category, f.method), (Some("公示"), Some("网络检索")));
        let f = read_name("行政处罚案卷评查表.xlsx");
        assert_eq!(f.method, Some("案卷评查"));
        let f = read_name("培训照片.jpg");
        assert_eq!((f.category, f.method), (None, None));
    }

    #[test]
    fn a_corrected_file_is_recognised_by_its_name() {
        assert!(
            similarity(
                "重大行政决策事项目录.pdf",
                "重大行政决策事项目录（修改后）.pdf"
            ) > 0.99
        );
        assert!(similarity("27.重大行政决策事项目录.pdf", "重大行政决策事项目录v2.pdf") > 0.99);
        assert!(similarity("重大行政决策事项目录.pdf", "法律顾问聘用合同.pdf") < 0.2);
    }
}
