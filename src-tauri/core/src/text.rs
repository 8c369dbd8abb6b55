//! Text habits of office files: full-width characters, Chinese numerals, numbering styles,
//! stray spaces and line breaks. Pure functions, heavily tested.

/// Full-width ASCII (Ｕ+FF01..FF5E) to half-width, ideographic space to space; other characters
/// unchanged. Chinese punctuation such as "、" and "（" are kept except full-width parentheses,
/// which are folded too (so "（一）" compares equal to "(一)").
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' | '\u{a0}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Normalise a header cell for matching: half-width, no white space or line breaks at all,
/// no trailing colon or unit in parentheses ("序号（项）" → "序号").
pub fn header_key(s: &str) -> String {
    let s = to_half_width(s);
    let mut out: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    // Drop a trailing parenthesised note: "三级指标(指标内容)" keeps "三级指标".
    if let Some(i) = out.find('(')
        && i > 0
        && out.ends_with(')')
    {
        out.truncate(i);
    }
    out.trim_end_matches([':', '：', '*']).to_string()
}

/// Collapse inner white space of a value cell: trims, turns CRLF/CR into LF, removes blank lines,
/// and drops what a user cannot see but a comparison would: control characters (a tab becomes
/// a space) and zero-width characters pasted along from web pages or Word (zero-width space,
/// joiners, word joiner, BOM). "区司法局\u{200b}" is the same unit as "区司法局".
pub fn clean_cell(s: &str) -> String {
    // Most cells have nothing to clean: copy them as they are (a 20 000-row list is 200 000
    // cells).
    let plain = |c: char| {
        !(c.is_control()
            || c == '\u{a0}'
            || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'))
    };
    if s.trim().len() == s.len() && s.chars().all(plain) {
        return s.to_string();
    }
    clean_cell_slow(s)
}

/// [`clean_cell`] for a cell with something to clean.
fn clean_cell_slow(s: &str) -> String {
    let s: String = s
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\u{a0}' => Some(' '),
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// Value of a Chinese numeral up to 9999 ("十二" → 12, "一百零四" → 104, "两" → 2).
pub fn chinese_numeral(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let digit = |c: char| -> Option<i64> {
        Some(match c {
            '零' | '〇' => 0,
            '一' | '壹' => 1,
            '二' | '两' | '贰' => 2,
            '三' | '叁' => 3,
            '四' | '肆' => 4,
            '五' | '伍' => 5,
            '六' | '陆' => 6,
            '七' | '柒' => 7,
            '八' | '捌' => 8,
            '九' | '玖' => 9,
            _ => return None,
        })
    };
    let mut total = 0i64;
    let mut current = 0i64;
    let mut seen = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = d;
            seen = true;
        } else {
            let unit = match c {
                '十' | '拾' => 10,
                '百' | '佰' => 100,
                '千' | '仟' => 1000,
                _ => return None,
            };
            if current == 0 && unit == 10 {
                current = 1; // "十二" = 12
            }
            total += current * unit;
            current = 0;
            seen = true;
        }
    }
    if !seen {
        return None;
    }
    Some(total + current)
}

/// Parse an indicator number as offices write it: `12`, `12.0`, `１２`, `12.`, `12、`, `第12项`,
/// `（十二）`, `(12)`, `No.12`, `12项`. Returns None when the text holds no single number.
pub fn parse_number_label(raw: &str) -> Option<i64> {
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return None;
    }
    // A plain integer or a float with a zero fraction (numbers stored as numbers).
    if let Ok(f) = s.parse::<f64>() {
        if f.fract() == 0.0 && (0.0..1e9).contains(&f) {
            return Some(f as i64);
        }
        return None;
    }
    let mut t = s.as_str();
    for p in ["No.", "NO.", "no.", "第", "(", "（", "["] {
        t = t.strip_prefix(p).unwrap_or(t);
    }
    for suf in ["项", "条", ")", "）", "]", ".", "、", "．", ",", "，"] {
        t = t.strip_suffix(suf).unwrap_or(t);
    }
    let t = t.strip_suffix('项').unwrap_or(t);
    if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() {
        return t.parse().ok();
    }
    chinese_numeral(t)
}

/// How many parts a 序号 has as a hierarchical code: "1.2.3" → 3, "2．1" → 2, "3" → 1; none
/// for anything else ("1.5分", "A1").
pub fn code_parts(raw: &str) -> Option<usize> {
    let t = plain_code(raw);
    let parts: Vec<&str> = t.split('.').collect();
    (parts.len() <= 5
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())))
    .then_some(parts.len())
}

/// A 序号 code as printed, half-width and without a trailing "." or "、".
pub fn plain_code(raw: &str) -> String {
    to_half_width(raw.trim())
        .trim_end_matches(['.', '、'])
        .to_string()
}

/// Split a heading such as "一、政府职能依法全面履行", "（一）深化改革", "1.加大简政放权力度",
/// "第一部分 总则" into its printed code and its name. A heading without a code gives ("", s).
pub fn split_heading(raw: &str) -> (String, String) {
    let s = raw.trim();
    let chars: Vec<char> = s.chars().collect();
    let is_cn = |c: char| "零〇一二三四五六七八九十百两".contains(c);
    let n = chars.len();
    let take = |end: usize, skip: usize| -> (String, String) {
        let code: String = chars[..end].iter().collect();
        let name: String = chars[(end + skip).min(n)..].iter().collect();
        (code.trim().to_string(), name.trim().to_string())
    };
    if n == 0 {
        return (String::new(), String::new());
    }
    // （一） / (一) / （1） / (1)
    if chars[0] == '（' || chars[0] == '(' {
        if let Some(close) = chars.iter().position(|&c| c == '）' || c == ')') {
            let inner: String = chars[1..close].iter().collect();
            if !inner.is_empty()
                && (inner.chars().all(is_cn)
                    || inner
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)))
            {
                let code: String = chars[..=close].iter().collect();
                let name: String = chars[close + 1..].iter().collect();
                return (
                    code,
                    name.trim_start_matches(['、', '.', ' ']).trim().to_string(),
                );
            }
        }
        return (String::new(), s.to_string());
    }
    // 第一部分 / 第一章 / 第一项
    if chars[0] == '第' {
        let mut i = 1;
        while i < n && (is_cn(chars[i]) || chars[i].is_ascii_digit()) {
            i += 1;
        }
        if i > 1 && i < n && "部分章节项条方面类".contains(chars[i]) {
            let mut end = i + 1;
            if chars[i] == '部' && end < n && chars[end] == '分' {
                end += 1;
            }
            if chars[i] == '方' && end < n && chars[end] == '面' {
                end += 1;
            }
            return take(end, 0);
        }
    }
    // 一、 / 12. / 1、 / １．
    let mut i = 0;
    while i < n
        && (is_cn(chars[i]) || chars[i].is_ascii_digit() || ('０'..='９').contains(&chars[i]))
    {
        i += 1;
    }
    if i > 0 && i < n && "、.．,，:： ".contains(chars[i]) {
        // "1.5分" style numbers are not headings: require the rest to start with a non-digit.
        if i + 1 < n && chars[i + 1].is_ascii_digit() {
            return (String::new(), s.to_string());
        }
        let (code, name) = take(i, 1);
        return (code, name);
    }
    (String::new(), s.to_string())
}

/// One indicator a reference cell names: by its official number ("第43项", "43"), or by its
/// place in the tree ("1.1.1": the first 三级 of the first 二级 of the first 一级; "2-5-17", the
/// way evidence numbers write 一级-二级-三级), which [`crate::indicators::refs`] resolves
/// against the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorRef {
    No(i64),
    /// The numbers of the path, from the top level down, and the text as written.
    Path(Vec<i64>, String),
    /// A range between two places ("1.1.1至1.1.3", "1.1.1-3", "2-5-17至2-5-19"): every
    /// indicator from the first to the last, in the order of the tree; the text as written.
    Span(Vec<i64>, Vec<i64>, String),
}

/// Every number a reference cell names, as offices write lists of indicators: "第43项",
/// "指标15、16", "第36、37项", "15,16", "12-14" / "12至14" / "12～14" (ranges, up to 50 long),
/// "第四十三项". Numbers are returned once each, in the order written; a cell without any
/// number gives an empty list. Places in the tree ("1.1.1") are left out: see
/// [`indicator_refs`].
pub fn number_refs(raw: &str) -> Vec<i64> {
    indicator_refs(raw)
        .into_iter()
        .filter_map(|r| match r {
            IndicatorRef::No(n) => Some(n),
            IndicatorRef::Path(..) | IndicatorRef::Span(..) => None,
        })
        .collect()
}

/// Every indicator a reference cell names, in the order written, each once: the numbers of
/// [`number_refs`], and places in the tree written with dots ("1.1.1", "１．２．３", three or
/// more parts: "1.5" stays a decimal, not a reference) or as a chain of dashes ("2-5-17": a
/// range has two ends only, so a chain of three is a place), and ranges between places
/// ("1.1.1至1.1.3", or "1.1.1-3" with the last part only: the same parent).
pub fn indicator_refs(raw: &str) -> Vec<IndicatorRef> {
    let t = to_half_width(raw);
    let is_cn = |c: char| "零〇一二三四五六七八九十百两".contains(c);
    // Tokens: runs of digits or Chinese numerals, dotted paths, and the range marks between
    // them (`true` for a dash, which may also join the parts of a path).
    enum Tok {
        Num(i64),
        Path(Vec<i64>, String),
        Range(char),
        Other,
    }
    let mut toks: Vec<Tok> = Vec::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let written: String = chars[start..i].iter().collect();
                let written = written.trim_end_matches('.');
                let parts: Option<Vec<i64>> = written.split('.').map(|p| p.parse().ok()).collect();
                match parts {
                    // "1.1.1": a place in the tree.
                    Some(parts) if parts.len() >= 3 && parts.iter().all(|&p| p > 0) => {
                        toks.push(Tok::Path(parts, written.to_string()))
                    }
                    // A decimal ("1.5分") is not a reference.
                    _ => toks.push(Tok::Other),
                }
                continue;
            }
            let s: String = chars[start..i].iter().collect();
            match s.parse() {
                Ok(n) => toks.push(Tok::Num(n)),
                Err(_) => toks.push(Tok::Other),
            }
            continue;
        }
        if is_cn(c) {
            let start = i;
            while i < chars.len() && is_cn(chars[i]) {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            // Chinese numerals only as "第…项": "一级指标" names no indicator.
            let marked = (start > 0 && chars[start - 1] == '第')
                || chars.get(i).is_some_and(|c| "项条号".contains(*c));
            match chinese_numeral(&s) {
                Some(n) if marked => toks.push(Tok::Num(n)),
                _ => toks.push(Tok::Other),
            }
            continue;
        }
        match c {
            '-' | '—' | '–' | '~' | '～' | '至' | '到' => toks.push(Tok::Range(c)),
            '、' | ',' | '，' | ';' | '；' | ' ' | '\n' | '/' | '第' | '项' | '条' | '号'
            | '和' | '及' | '与' | '(' | ')' | '（' | '）' => {}
            _ => toks.push(Tok::Other),
        }
        i += 1;
    }
    let is_dash = |c: char| matches!(c, '-' | '—' | '–');
    // A place at `k`: a dotted path, or three or more numbers joined by dashes; with the
    // index after it.
    let place_at = |k: usize| -> Option<(Vec<i64>, String, usize)> {
        match toks.get(k)? {
            Tok::Path(parts, written) => Some((parts.clone(), written.clone(), k + 1)),
            Tok::Num(a) => {
                let mut end = k;
                let mut parts = vec![*a];
                while let (Some(Tok::Range(d)), Some(Tok::Num(b))) =
                    (toks.get(end + 1), toks.get(end + 2))
                    && is_dash(*d)
                {
                    parts.push(*b);
                    end += 2;
                }
                (parts.len() >= 3 && parts.iter().all(|&p| p > 0)).then(|| {
                    let written = parts
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join("-");
                    (parts, written, end + 1)
                })
            }
            _ => None,
        }
    };
    let mut out: Vec<IndicatorRef> = Vec::new();
    let push = |r: IndicatorRef, out: &mut Vec<IndicatorRef>| {
        if !out.contains(&r) {
            out.push(r);
        }
    };
    let mut k = 0;
    while k < toks.len() {
        if let Some((parts, written, next)) = place_at(k) {
            // A range to another place ("至1.1.3"), or to a last part of the same parent
            // ("-3"): read as a span, so the places between are not left out.
            if let Some(Tok::Range(mark)) = toks.get(next) {
                if let Some((to, to_written, after)) = place_at(next + 1) {
                    let written = format!("{written}{mark}{to_written}");
                    push(IndicatorRef::Span(parts, to, written), &mut out);
                    k = after;
                    continue;
                }
                if let Some(Tok::Num(b)) = toks.get(next + 1)
                    && let Some((last, parent)) = parts.split_last()
                    && b > last
                {
                    let to = [parent, &[*b]].concat();
                    let written = format!("{written}{mark}{b}");
                    push(IndicatorRef::Span(parts, to, written), &mut out);
                    k = next + 2;
                    continue;
                }
            }
            push(IndicatorRef::Path(parts, written), &mut out);
            k = next;
            continue;
        }
        if let Tok::Num(a) = &toks[k] {
            let a = *a;
            if let (Some(Tok::Range(_)), Some(Tok::Num(b))) = (toks.get(k + 1), toks.get(k + 2))
                && *b > a
                && *b - a <= 50
            {
                for n in a..=*b {
                    push(IndicatorRef::No(n), &mut out);
                }
                k += 3;
                continue;
            }
            push(IndicatorRef::No(a), &mut out);
        }
        k += 1;
    }
    out
}

/// Rough display width of text in Excel's default font: CJK and full-width characters count 2,
/// others 1. Used for column widths (rust_xlsxwriter's autofit counts CJK as narrow).
pub fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115f).contains(&u)
                || (0x2e80..=0xa4cf).contains(&u)
                || (0xac00..=0xd7a3).contains(&u)
                || (0xf900..=0xfaff).contains(&u)
                || (0xfe30..=0xfe4f).contains(&u)
                || (0xff00..=0xff60).contains(&u)
                || (0xffe0..=0xffe6).contains(&u)
                || u >= 0x20000
            {
                2.0
            } else {
                1.1
            }
        })
        .sum()
}

/// Excel column letters for a 0-based column index (0 → "A", 27 → "AB").
pub fn col_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_nothing_to_clean_are_copied_as_the_full_cleaning_would_give_them() {
        for c in [
            "",
            "区司法局",
            " 区司法局",
            "区司法局\u{3000}",
            "区司法局\u{200b}",
            "第一行\r\n\r\n 第二行 ",
            "a\tb",
            "\u{a0}",
            "整改要求：立行立改",
            "x\u{feff}y",
        ] {
            assert_eq!(clean_cell(c), clean_cell_slow(c), "{c:?}");
        }
    }

    #[test]
    fn numbering_styles_of_real_files() {
        for (raw, want) in [
            ("12", Some(12)),
            ("12.0", Some(12)),
            ("１２", Some(12)),
            ("12.", Some(12)),
            ("12、", Some(12)),
            ("第12项", Some(12)),
            ("（十二）", Some(12)),
            ("(12)", Some(12)),
            ("一百零四", Some(104)),
            (" 7 ", Some(7)),
            ("十", Some(10)),
            ("二十", Some(20)),
            ("abc", None),
            ("", None),
            ("1.5", None),
            ("注：", None),
        ] {
            assert_eq!(parse_number_label(raw), want, "{raw}");
        }
    }

    #[test]
    fn indicator_references_in_every_form() {
        for (raw, want) in [
            ("第43项", vec![43]),
            ("指标15、16", vec![15, 16]),
            ("第36、37项", vec![36, 37]),
            ("第36项、第37项", vec![36, 37]),
            ("15,16；17", vec![15, 16, 17]),
            ("12-14", vec![12, 13, 14]),
            ("第12至14项", vec![12, 13, 14]),
            ("第四十三项", vec![43]),
            ("一级指标", vec![]),
            ("43", vec![43]),
            ("无", vec![]),
            ("", vec![]),
            ("1.5分", vec![]),
            ("1.1.1", vec![]),
        ] {
            assert_eq!(number_refs(raw), want, "{raw}");
        }
    }

    #[test]
    fn any_mix_of_reference_marks_reads_without_a_panic() {
        let alphabet = [
            "1",
            "2",
            "9",
            "0",
            ".",
            "-",
            "—",
            "至",
            "～",
            "、",
            "第",
            "项",
            "十",
            "１",
            "．",
            "99999999999999999999",
            "a",
            " ",
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..20_000 {
            let mut next = || {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 33) as usize
            };
            // The length is drawn too, so that an empty string does not stop the sequence.
            let mut s = String::new();
            for _ in 0..next() % 12 {
                s.push_str(alphabet[next() % alphabet.len()]);
            }
            for r in indicator_refs(&s) {
                match r {
                    IndicatorRef::No(n) => assert!(n >= 0, "{s}"),
                    IndicatorRef::Path(p, _) => assert!(p.len() >= 3, "{s}"),
                    IndicatorRef::Span(a, b, _) => {
                        assert!(a.len() >= 3 && !b.is_empty(), "{s}")
                    }
                }
            }
        }
    }

    #[test]
    fn places_in_the_tree_are_references_too() {
        use IndicatorRef::{No, Path, Span};
        let path = |p: &[i64], w: &str| Path(p.to_vec(), w.to_string());
        let span = |a: &[i64], b: &[i64], w: &str| Span(a.to_vec(), b.to_vec(), w.to_string());
        for (raw, want) in [
            ("1.1.1", vec![path(&[1, 1, 1], "1.1.1")]),
            (
                "指标1.1.1、2.3.10",
                vec![path(&[1, 1, 1], "1.1.1"), path(&[2, 3, 10], "2.3.10")],
            ),
            ("１．２．３", vec![path(&[1, 2, 3], "1.2.3")]),
            ("2-5-17", vec![path(&[2, 5, 17], "2-5-17")]),
            (
                "第2-5-17项、第20项",
                vec![path(&[2, 5, 17], "2-5-17"), No(20)],
            ),
            ("12-14", vec![No(12), No(13), No(14)]),
            ("1.5分", vec![]),
            ("1.1.", vec![]),
            ("0.1.1", vec![]),
            ("第43项；1.1.1", vec![No(43), path(&[1, 1, 1], "1.1.1")]),
            (
                "1.1.1至1.1.3",
                vec![span(&[1, 1, 1], &[1, 1, 3], "1.1.1至1.1.3")],
            ),
            (
                "指标1.1.1-3、第20项",
                vec![span(&[1, 1, 1], &[1, 1, 3], "1.1.1-3"), No(20)],
            ),
            (
                "1.2.3～2.1.1",
                vec![span(&[1, 2, 3], &[2, 1, 1], "1.2.3~2.1.1")],
            ),
            (
                "2-5-17至2-5-19",
                vec![span(&[2, 5, 17], &[2, 5, 19], "2-5-17至2-5-19")],
            ),
            (
                "2-5-17至19",
                vec![span(&[2, 5, 17], &[2, 5, 19], "2-5-17至19")],
            ),
            // A smaller number after a place is not its end: read as written.
            ("1.1.3-2", vec![path(&[1, 1, 3], "1.1.3"), No(2)]),
        ] {
            assert_eq!(indicator_refs(raw), want, "{raw}");
        }
    }

    #[test]
    fn headings_split_into_code_and_name() {
        assert_eq!(
            split_heading("一、政府职能依法全面履行"),
            ("一".into(), "政府职能依法全面履行".into())
        );
        assert_eq!(
            split_heading("（一）深化改革"),
            ("（一）".into(), "深化改革".into())
        );
        assert_eq!(
            split_heading("1.加大简政放权力度"),
            ("1".into(), "加大简政放权力度".into())
        );
        assert_eq!(
            split_heading("第一部分 总则"),
            ("第一部分".into(), "总则".into())
        );
        assert_eq!(split_heading("政府职能"), ("".into(), "政府职能".into()));
        assert_eq!(split_heading("1.5分"), ("".into(), "1.5分".into()));
    }

    #[test]
    fn header_keys_ignore_habits() {
        assert_eq!(header_key("序号（项）"), "序号");
        assert_eq!(header_key("三级\r\n指标"), "三级指标");
        assert_eq!(header_key(" 分　值： "), "分值");
    }

    #[test]
    fn widths_count_cjk_double() {
        assert!(display_width("重大行政决策") >= 12.0);
        assert!(display_width("abc") < 4.0);
        assert_eq!(col_letter(0), "A");
        assert_eq!(col_letter(25), "Z");
        assert_eq!(col_letter(27), "AB");
    }

    #[test]
    fn cells_lose_stray_breaks() {
        assert_eq!(clean_cell("  a\r\n\r\nb \r c "), "a\nb\nc");
        assert_eq!(clean_cell("区\u{200b}司法\u{1}\u{8}局\u{feff}"), "区司法局");
        assert_eq!(clean_cell("张三\t13800000000\u{2060}"), "张三 13800000000");
    }
}
