//! 佐证材料归类: which indicator(s) a file supports, read from its folder path and file name
//! as units really write them.
//!
//! Every path component is read on its own for the statements offices put in names:
//! explicit ones ("指标27", "27号指标", "第十六项", "第36、37项"), numbered codes at the start
//! ("（三十六）", "(36)", "36、", "43-", "43_", "5.", "5 ", "12.3"), the item numbers of
//! `{一级}-{二级}-{三级}-{流水}` ("2-5-17-03", also the `017_2-5_…` folder form) checked
//! against the tree, numbers between separators ("区司法局-43-…"), headings ("三、…",
//! "（一）…", "1.加大简政放权力度") and the words of the indicator texts (character bigrams,
//! weighted by how rare they are in the system). Numbers that are not indicators are skipped:
//! photo and scan serials, dates, phone numbers, 文号, page numbers, versions, years and
//! anything above the system's largest number.
//!
//! The components are then weighed together: the deepest component that states an indicator
//! wins over the folders above it, a bare number under a folder that already names an
//! indicator is a file serial, a number that contradicts its own words or the heading folder
//! it sits in is only a guess, and two statements that disagree make the file ambiguous
//! rather than silently picking one. Words alone decide only when they point at one indicator
//! clearly. The result is a ranked candidate list with Chinese reasons and a verdict:
//! [`Verdict::Sure`], [`Verdict::Ambiguous`] (someone must choose) or [`Verdict::None`] (the
//! 待归类 queue).
//!
//! [`Classifier::new`] does all the per-system work once (bigram weights, postings, the
//! heading table); [`Classifier::classify`] is then a few hundred operations per file.

use std::collections::HashMap;

use crate::model::IndicatorLeaf;
use crate::text::{chinese_numeral, parse_number_label, split_heading, to_half_width};

/// Confidence from which a candidate is taken without asking.
pub const SURE: u8 = 80;

/// One 三级指标 as the classifier sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorKey {
    /// Database id of the leaf.
    pub id: i64,
    /// Official number (1..N).
    pub no: i64,
    /// Ancestor headings from the top as printed, e.g. ["三、重大行政决策科学民主合法",
    /// "（一）决策程序制度落实"] (the `path` of [`IndicatorLeaf`]).
    pub headings: Vec<String>,
    /// The indicator text.
    pub text: String,
}

impl From<&IndicatorLeaf> for IndicatorKey {
    fn from(l: &IndicatorLeaf) -> Self {
        Self {
            id: l.id,
            no: l.no,
            headings: l.path.clone(),
            text: l.text.clone(),
        }
    }
}

/// One candidate indicator for a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Match {
    pub indicator_id: i64,
    pub no: i64,
    /// 0..=100; from [`SURE`] on the file is filed without asking.
    pub confidence: u8,
    /// Why, in Chinese: "文件夹名“指标27”".
    pub reason: String,
}

/// What to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// File it under every candidate of at least [`SURE`] (one, or several when the name
    /// lists several: "指标15、16").
    Sure,
    /// There are candidates, but someone must choose.
    Ambiguous,
    /// Nothing points to an indicator: the 待归类 queue.
    None,
}

/// The classifier's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// Best first.
    pub candidates: Vec<Match>,
    pub verdict: Verdict,
    /// The heading the path points into, when a folder names one
    /// ("三、重大行政决策科学民主合法"); a hint for the 待归类 queue.
    pub group: Option<String>,
}

impl Classification {
    /// The candidates to file under without asking (empty unless the verdict is Sure).
    pub fn sure(&self) -> impl Iterator<Item = &Match> {
        let sure = self.verdict == Verdict::Sure;
        self.candidates
            .iter()
            .filter(move |m| sure && m.confidence >= SURE)
    }
}

// ---------------------------------------------------------------------------------------------
// The system, prepared once.

struct Leaf {
    id: i64,
    no: i64,
    /// Heading index per level, top first.
    heads: Vec<usize>,
    /// Sorted bigram ids of the text.
    grams: Vec<u32>,
}

struct Heading {
    level: usize,
    label: String,
    code_no: Option<i64>,
    /// Code written in brackets: "（一）".
    bracket: bool,
    /// Code written in Chinese numerals: "一", "（一）".
    chinese: bool,
    /// 1-based position among its siblings, and among all headings of its level.
    pos: i64,
    global_pos: i64,
    parent: Option<usize>,
    leaves: Vec<usize>,
    /// Sum of the weights of the name's bigrams.
    mass: f32,
    /// Sorted bigram ids of the name.
    grams: Vec<u32>,
}

/// Matches files to the leaves of one indicator system.
pub struct Classifier {
    leaves: Vec<Leaf>,
    headings: Vec<Heading>,
    by_no: HashMap<i64, usize>,
    max_no: i64,
    gram_ids: HashMap<(char, char), u32>,
    weight: Vec<f32>,
    leaf_post: Vec<Vec<u32>>,
    head_post: Vec<Vec<u32>>,
    /// Some heading level writes its codes in brackets ("（三）"), so a bracketed small number
    /// may be a heading rather than a leaf.
    bracket_heading_codes: Vec<i64>,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

fn is_cn_digit(c: char) -> bool {
    "零〇一二三四五六七八九十百两".contains(c)
}

/// Distinct CJK bigrams of `s`, in order of first appearance.
fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for w in chars.windows(2) {
        if is_cjk(w[0]) && is_cjk(w[1]) && !out.contains(&(w[0], w[1])) {
            out.push((w[0], w[1]));
        }
    }
    out
}

/// Number of a heading code: "一", "（一）", "1", "第一部分".
fn heading_code_no(code: &str) -> Option<i64> {
    if code.is_empty() {
        return None;
    }
    parse_number_label(code).or_else(|| {
        let t = code.trim_start_matches('第');
        let n: String = t.chars().take_while(|c| is_cn_digit(*c)).collect();
        chinese_numeral(&n)
    })
}

impl Classifier {
    /// Prepare the system: heading table, bigram weights (rarer words weigh more) and postings.
    pub fn new(keys: &[IndicatorKey]) -> Self {
        let mut headings: Vec<Heading> = Vec::new();
        let mut head_by_path: HashMap<Vec<String>, usize> = HashMap::new();
        let mut children: HashMap<Option<usize>, i64> = HashMap::new();
        let mut per_level: HashMap<usize, i64> = HashMap::new();
        let mut leaves = Vec::with_capacity(keys.len());
        let mut by_no = HashMap::new();
        let mut docs: Vec<Vec<(char, char)>> = Vec::new();
        for k in keys {
            let li = leaves.len();
            let mut heads = Vec::with_capacity(k.headings.len());
            let mut parent = None;
            for level in 0..k.headings.len() {
                let path = k.headings[..=level].to_vec();
                let hi = match head_by_path.get(&path) {
                    Some(&h) => h,
                    None => {
                        let label = k.headings[level].trim().to_string();
                        let (code, _) = split_heading(&label);
                        let pos = children.entry(parent).or_insert(0);
                        *pos += 1;
                        let gpos = per_level.entry(level).or_insert(0);
                        *gpos += 1;
                        headings.push(Heading {
                            level,
                            code_no: heading_code_no(&code),
                            bracket: code.starts_with(['(', '（']),
                            chinese: code.chars().any(is_cn_digit),
                            pos: *pos,
                            global_pos: *gpos,
                            parent,
                            leaves: Vec::new(),
                            mass: 0.0,
                            grams: Vec::new(),
                            label,
                        });
                        head_by_path.insert(path, headings.len() - 1);
                        headings.len() - 1
                    }
                };
                if let Some(h) = headings.get_mut(hi) {
                    h.leaves.push(li);
                }
                heads.push(hi);
                parent = Some(hi);
            }
            by_no.entry(k.no).or_insert(li);
            docs.push(bigrams(&to_half_width(&k.text)));
            leaves.push(Leaf {
                id: k.id,
                no: k.no,
                heads,
                grams: Vec::new(),
            });
        }
        let head_docs: Vec<Vec<(char, char)>> = headings
            .iter()
            .map(|h| bigrams(&to_half_width(&split_heading(&h.label).1)))
            .collect();
        // Document frequency over leaf texts and heading names.
        let mut gram_ids: HashMap<(char, char), u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for d in docs.iter().chain(head_docs.iter()) {
            for g in d {
                let next = gram_ids.len() as u32;
                let id = *gram_ids.entry(*g).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                if let Some(c) = df.get_mut(id as usize) {
                    *c += 1;
                }
            }
        }
        let n_docs = (docs.len() + head_docs.len()).max(1) as f32;
        let mut weight: Vec<f32> = df
            .iter()
            .map(|&d| (1.0 + n_docs / d.max(1) as f32).ln())
            .collect();
        for word in GENERIC_WORDS.split(' ') {
            let mut ch = word.chars();
            if let (Some(a), Some(b)) = (ch.next(), ch.next())
                && let Some(&id) = gram_ids.get(&(a, b))
                && let Some(w) = weight.get_mut(id as usize)
            {
                *w *= 0.3;
            }
        }
        let mut leaf_post = vec![Vec::new(); weight.len()];
        let mut head_post = vec![Vec::new(); weight.len()];
        for (li, d) in docs.iter().enumerate() {
            let mut ids: Vec<u32> = d.iter().filter_map(|g| gram_ids.get(g).copied()).collect();
            ids.sort_unstable();
            for &id in &ids {
                if let Some(p) = leaf_post.get_mut(id as usize) {
                    p.push(li as u32);
                }
            }
            if let Some(l) = leaves.get_mut(li) {
                l.grams = ids;
            }
        }
        for (hi, d) in head_docs.iter().enumerate() {
            let mut mass = 0.0;
            let mut ids = Vec::new();
            for g in d {
                if let Some(&id) = gram_ids.get(g) {
                    if let Some(p) = head_post.get_mut(id as usize) {
                        p.push(hi as u32);
                    }
                    mass += weight.get(id as usize).copied().unwrap_or(0.0);
                    ids.push(id);
                }
            }
            ids.sort_unstable();
            if let Some(h) = headings.get_mut(hi) {
                h.mass = mass;
                h.grams = ids;
            }
        }
        let mut bracket_heading_codes: Vec<i64> = headings
            .iter()
            .filter(|h| h.bracket)
            .filter_map(|h| h.code_no)
            .collect();
        bracket_heading_codes.sort_unstable();
        bracket_heading_codes.dedup();
        Self {
            max_no: leaves.iter().map(|l| l.no).max().unwrap_or(0),
            leaves,
            headings,
            by_no,
            gram_ids,
            weight,
            leaf_post,
            head_post,
            bracket_heading_codes,
        }
    }

    /// Classify a file from the components of its path relative to the folder or zip the unit
    /// sent: folder names, then the file name (with its extension).
    pub fn classify<S: AsRef<str>>(&self, components: &[S]) -> Classification {
        let n = components.len();
        let mut parts: Vec<Part> = Vec::with_capacity(n);
        let mut ctx: Vec<HeadClaim> = Vec::new();
        for (depth, raw) in components.iter().enumerate() {
            let part = self.read_part(raw.as_ref(), depth, depth + 1 == n, &ctx);
            ctx.extend(part.heads.iter().cloned());
            parts.push(part);
        }
        self.decide(parts)
    }

    /// [`Classifier::classify`] for a relative path written with `/` or `\`.
    pub fn classify_path(&self, relative: &str) -> Classification {
        let comps: Vec<&str> = relative
            .split(['/', '\\'])
            .filter(|c| !c.trim().is_empty())
            .collect();
        self.classify(&comps)
    }

    // -----------------------------------------------------------------------------------------
    // Text scores

    fn query(&self, text: &str) -> Vec<(u32, f32)> {
        bigrams(text)
            .into_iter()
            .filter_map(|g| {
                let id = *self.gram_ids.get(&g)?;
                Some((id, self.weight.get(id as usize).copied().unwrap_or(0.0)))
            })
            .collect()
    }

    fn leaf_scores(&self, q: &[(u32, f32)]) -> Vec<f32> {
        let mut s = vec![0.0f32; self.leaves.len()];
        for &(id, w) in q {
            for &li in self
                .leaf_post
                .get(id as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if let Some(x) = s.get_mut(li as usize) {
                    *x += w;
                }
            }
        }
        s
    }

    fn head_scores(&self, q: &[(u32, f32)]) -> Vec<f32> {
        let mut s = vec![0.0f32; self.headings.len()];
        for &(id, w) in q {
            for &hi in self
                .head_post
                .get(id as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if let Some(x) = s.get_mut(hi as usize) {
                    *x += w;
                }
            }
        }
        s
    }

    fn in_heading(&self, leaf: usize, head: usize) -> bool {
        let (Some(l), Some(h)) = (self.leaves.get(leaf), self.headings.get(head)) else {
            return false;
        };
        l.heads.get(h.level) == Some(&head)
    }

    /// The longest run of `text` whose bigrams all occur in the leaf's text, for reasons.
    fn snippet(&self, text: &str, leaf: usize) -> String {
        let Some(l) = self.leaves.get(leaf) else {
            return String::new();
        };
        let chars: Vec<char> = text.chars().collect();
        let has = |a: char, b: char| {
            self.gram_ids
                .get(&(a, b))
                .is_some_and(|id| l.grams.binary_search(id).is_ok())
        };
        let (mut best, mut best_len) = (0usize, 0usize);
        let mut i = 0;
        while i + 1 < chars.len() {
            let mut j = i;
            while j + 1 < chars.len() && has(chars[j], chars[j + 1]) {
                j += 1;
            }
            if j > i && j + 1 - i > best_len {
                best = i;
                best_len = j + 1 - i;
            }
            i = j.max(i) + 1;
        }
        chars[best..best + best_len].iter().collect()
    }

    // -----------------------------------------------------------------------------------------
    // Reading one component

    fn read_part(&self, raw: &str, depth: usize, is_file: bool, ctx: &[HeadClaim]) -> Part {
        let text = normalize(raw, is_file);
        let c: Vec<char> = text.chars().collect();
        let mut used = vec![false; c.len()];
        let mut found: Vec<Found> = Vec::new();

        self.explicit_claims(&c, &mut used, &mut found);
        let mut heads = Vec::new();
        let lead = self.leading_claim(&c, &mut used, ctx, &mut heads, depth);
        found.extend(lead);
        self.delimited_claims(&c, &mut used, &mut found);

        // Words left once the numbers and markers are taken out.
        let residual: String = c
            .iter()
            .zip(&used)
            .map(|(&ch, &u)| if u { ' ' } else { ch })
            .collect();
        let query = self.query(&residual);
        if heads.is_empty()
            && let Some(h) = self.heading_by_name(&query, depth)
        {
            heads.push(h);
        }
        // Words that name a heading say nothing about which of its indicators is meant.
        let text_query: Vec<(u32, f32)> = query
            .iter()
            .filter(|(id, _)| {
                !heads.iter().any(|h| {
                    self.headings
                        .get(h.heading)
                        .is_some_and(|x| x.grams.binary_search(id).is_ok())
                })
            })
            .copied()
            .collect();
        Part {
            raw: raw.to_string(),
            depth,
            is_file,
            residual,
            query,
            text_query,
            found,
            heads,
        }
    }

    /// "指标27", "指标15、16", "三级指标 27", "27号指标", "第十六项", "第36-37项", "No.12".
    fn explicit_claims(&self, c: &[char], used: &mut [bool], found: &mut Vec<Found>) {
        let n = c.len();
        let mut i = 0;
        while i < n {
            // 指标…
            if c[i] == '指' && c.get(i + 1) == Some(&'标') {
                let heading_level = i >= 2 && c[i - 1] == '级' && "一二".contains(c[i - 2]);
                let mut j = skip(c, i + 2, " :");
                if c.get(j) == Some(&'第') {
                    j = skip(c, j + 1, " ");
                }
                if !heading_level && let Some((nos, end)) = num_list(c, j) {
                    // "指标27项" / "指标27号" end at the marker; otherwise "指标27个" is a count.
                    let marker = matches!(c.get(end), Some('项' | '号'));
                    let end = if marker { end + 1 } else { end };
                    if marker || !blocked_after(c, end) {
                        mark(used, i, end);
                        found.push(Found::new(Form::Explicit, nos, c, i, end));
                        i = end;
                        continue;
                    }
                }
            }
            // …号指标
            if c[i] == '号' && c.get(i + 1) == Some(&'指') && c.get(i + 2) == Some(&'标') {
                let mut s = i;
                while s > 0 && (c[s - 1].is_ascii_digit() || is_cn_digit(c[s - 1])) {
                    s -= 1;
                }
                if s < i && !used[s] {
                    let word: String = c[s..i].iter().collect();
                    let start = if s > 0 && c[s - 1] == '第' { s - 1 } else { s };
                    if let Some(v) = number_value(&word) {
                        mark(used, start, i + 3);
                        found.push(Found::new(Form::Explicit, vec![v], c, start, i + 3));
                        i += 3;
                        continue;
                    }
                }
            }
            // 第…项
            if c[i] == '第' {
                let j = skip(c, i + 1, " ");
                if let Some((nos, end)) = num_list(c, j) {
                    let e = skip(c, end, " ");
                    if c.get(e) == Some(&'项') {
                        mark(used, i, e + 1);
                        found.push(Found::new(Form::Explicit, nos, c, i, e + 1));
                        i = e + 1;
                        continue;
                    }
                }
            }
            // No.12
            if matches!(c[i], 'N' | 'n')
                && matches!(c.get(i + 1), Some('o' | 'O'))
                && (i == 0 || !c[i - 1].is_ascii_alphabetic())
                && let Some(d) = digit_run(c, skip(c, i + 2, ". "))
                && d.short()
                && !blocked_after(c, d.end)
            {
                mark(used, i, d.end);
                found.push(Found::new(Form::Explicit, vec![d.value], c, i, d.end));
                i = d.end;
                continue;
            }
            i += 1;
        }
    }

    /// A code at the start of the component: "（三十六）", "(36)", "【27】", "36、", "36、37",
    /// "43-", "43_", "5.", "5 ", "43行政…", "12.3", "15-16", "2-5-17-03", "017_2-5_…", "27",
    /// "三、…" (a heading), "1.加大简政放权力度" (a heading when its words say so).
    fn leading_claim(
        &self,
        c: &[char],
        used: &mut [bool],
        ctx: &[HeadClaim],
        heads: &mut Vec<HeadClaim>,
        depth: usize,
    ) -> Option<Found> {
        let n = c.len();
        if n == 0 || used[0] {
            return None;
        }
        // Headings by code and name first: "三、重大行政决策", "（一）深化行政审批制度改革",
        // "1.加大简政放权力度".
        let text: String = c.iter().collect();
        if let Some((h, code_len)) = self.heading_by_code(&text, ctx, depth) {
            heads.push(h);
            mark(used, 0, code_len.min(n));
            return None;
        }
        // Brackets.
        if let Some(close_ch) = match c[0] {
            '(' => Some(')'),
            '【' => Some('】'),
            '[' => Some(']'),
            _ => None,
        } {
            let close = c.iter().take(10).position(|&x| x == close_ch)?;
            let inner: String = c[1..close].iter().collect::<String>().trim().to_string();
            if inner.is_empty() || !inner.chars().all(|x| x.is_ascii_digit() || is_cn_digit(x)) {
                return None;
            }
            let digits = inner.chars().all(|x| x.is_ascii_digit());
            if digits && (inner.len() > 3 || inner.len() == 3 && !inner.starts_with('0')) {
                return None;
            }
            let v = number_value(&inner)?;
            mark(used, 0, close + 1);
            let mut f = Found::new(Form::Bracket, vec![v], c, 0, close + 1);
            f.bracket_small = self.bracket_heading_codes.binary_search(&v).is_ok();
            return Some(f);
        }
        // Chinese numeral code: "三十六、".
        if is_cn_digit(c[0]) {
            let mut j = 0;
            while j < n && is_cn_digit(c[j]) {
                j += 1;
            }
            if matches!(c.get(j), Some('、' | '.')) {
                let word: String = c[..j].iter().collect();
                let v = chinese_numeral(&word)?;
                mark(used, 0, j + 1);
                return Some(Found::new(Form::Leading, vec![v], c, 0, j + 1));
            }
            return None;
        }
        let first = digit_run(c, 0)?;
        let (chain, seps, end) = chain_at(c, 0);
        if chain.iter().any(|d| !d.short()) || blocked_after(c, end) || colon_time(c, end) {
            return None;
        }
        let Some(next) = c.get(end).copied() else {
            // Only a number: "27", "027".
            mark(used, 0, end);
            return Some(self.chain_claim(&chain, &seps, c, end, Form::Bare));
        };
        if next.is_ascii_alphabetic() {
            return None;
        }
        // A list: "15、16", "36,37".
        if chain.len() == 1
            && matches!(next, '、' | ',')
            && c.get(end + 1).is_some_and(char::is_ascii_digit)
            && let Some((nos, lend)) = num_list(c, 0)
            && nos.len() > 1
            && !blocked_after(c, lend)
        {
            mark(used, 0, lend);
            return Some(Found::new(Form::Leading, nos, c, 0, lend));
        }
        // §4 folder form: "017_2-5_规范性文件合法性审核".
        if chain.len() == 1 && matches!(next, '_' | ' ') {
            let (prefix, _, pend) = chain_at(c, end + 1);
            if prefix.len() >= 2
                && prefix.iter().all(Digits::short)
                && let Some(&li) = self.by_no.get(&first.value)
                && self.prefix_ok(li, &prefix.iter().map(|d| d.value).collect::<Vec<_>>())
            {
                mark(used, 0, pend);
                let mut f = Found::new(Form::Tree, vec![first.value], c, 0, pend);
                f.tree = true;
                return Some(f);
            }
        }
        if !(matches!(next, '、' | '.' | '-' | '_' | ' ' | '~' | ')' | ',') || is_cjk(next)) {
            return None;
        }
        mark(used, 0, end);
        let form = match seps.first() {
            Some('.') => Form::Dotted,
            _ if chain.len() > 1 => Form::Range,
            _ => Form::Leading,
        };
        Some(self.chain_claim(&chain, &seps, c, end, form))
    }

    /// A claim from a chain of numbers at the start: a tree item number, a range, a sub-point.
    fn chain_claim(
        &self,
        chain: &[Digits],
        seps: &[char],
        c: &[char],
        end: usize,
        form: Form,
    ) -> Found {
        let nums: Vec<i64> = chain.iter().map(|d| d.value).collect();
        if nums.len() >= 3
            && let Some(li) = self.tree_leaf(&nums)
        {
            let mut f = Found::new(Form::Tree, vec![self.leaves[li].no], c, 0, end);
            f.tree = true;
            return f;
        }
        let dashes = seps.iter().all(|&s| s == '-' || s == '~');
        if nums.len() == 2 && dashes {
            let (a, b) = (nums[0], nums[1]);
            if a < b && b <= a + 9 {
                return Found::new(Form::Range, (a..=b).collect(), c, 0, end);
            }
        }
        if nums.len() >= 3 && dashes {
            // An item number that does not fit the tree: its third part is the likeliest 三级.
            let mut f = Found::new(Form::Leading, vec![nums[2]], c, 0, end);
            f.cap = Some(60);
            return f;
        }
        // "12.3": indicator 12, its point 3; "43-1": indicator 43, file 1.
        let form = if matches!(form, Form::Range) {
            Form::Leading
        } else {
            form
        };
        Found::new(form, vec![nums[0]], c, 0, end)
    }

    /// Numbers between separators elsewhere: "区司法局-43-行政执法公示截图", "佐证材料_36".
    fn delimited_claims(&self, c: &[char], used: &mut [bool], found: &mut Vec<Found>) {
        let n = c.len();
        let mut i = 1;
        while i < n {
            if used[i] || !c[i].is_ascii_digit() || c[i - 1].is_ascii_digit() {
                i += 1;
                continue;
            }
            let (chain, _, end) = chain_at(c, i);
            let before = c[i - 1];
            let before_ok = matches!(before, '-' | '_' | ' ' | '+')
                && (i < 2 || !(c[i - 2].is_ascii_alphanumeric()))
                && !blocked_before(c, i - 1);
            let after_ok = match c.get(end) {
                None => true,
                Some(&x) => matches!(x, '-' | '_' | ' ' | '、' | '.') || is_cjk(x),
            };
            if chain.len() == 1
                && chain[0].short()
                && before_ok
                && after_ok
                && !blocked_after(c, end)
                && !(used[i - 1])
            {
                mark(used, i, end);
                found.push(Found::new(Form::Delimited, vec![chain[0].value], c, i, end));
            }
            i = end.max(i + 1);
        }
    }

    /// Is `prefix` the heading numbers of leaf `li` from the top (code, position among
    /// siblings, or position within the level)?
    fn prefix_ok(&self, li: usize, prefix: &[i64]) -> bool {
        let Some(l) = self.leaves.get(li) else {
            return false;
        };
        if prefix.is_empty() || prefix.len() > l.heads.len() {
            return false;
        }
        prefix.iter().enumerate().all(|(level, &v)| {
            l.heads
                .get(level)
                .and_then(|&h| self.headings.get(h))
                .is_some_and(|h| h.code_no == Some(v) || h.pos == v || h.global_pos == v)
        })
    }

    /// "2-5-17" or "2-5-17-03": the leaf whose headings match the numbers before it.
    fn tree_leaf(&self, nums: &[i64]) -> Option<usize> {
        let m = nums.len();
        if m < 2 {
            return None;
        }
        for leaf_at in [m - 1, m.saturating_sub(2)] {
            if leaf_at == 0 {
                continue;
            }
            if let Some(&li) = self.by_no.get(&nums[leaf_at])
                && self.leaves[li].heads.len() == leaf_at
                && self.prefix_ok(li, &nums[..leaf_at])
            {
                return Some(li);
            }
        }
        None
    }

    /// A heading named by its code and words: "三、重大行政决策", "（一）深化行政审批制度改革",
    /// "1.加大简政放权力度", or by its code alone where that is unambiguous ("三、" at the top,
    /// "（二）" inside a recognised 一级 folder). Returns the claim and the code's length.
    fn heading_by_code(
        &self,
        text: &str,
        ctx: &[HeadClaim],
        depth: usize,
    ) -> Option<(HeadClaim, usize)> {
        let (code, name) = if !text.is_empty() && text.chars().all(is_cn_digit) {
            // A folder named "二" alone.
            (text.to_string(), String::new())
        } else {
            split_heading(text)
        };
        let code_no = heading_code_no(&code)?;
        let bracket = code.starts_with(['(', '（']);
        let chinese = code.chars().any(is_cn_digit);
        let q = self.query(&name);
        let q_mass: f32 = q.iter().map(|x| x.1).sum();
        let hs = self.head_scores(&q);
        let parent_ctx = ctx.last().map(|h| h.heading);
        let mut best: Option<(usize, f32)> = None;
        for (hi, h) in self.headings.iter().enumerate() {
            if h.code_no != Some(code_no) || h.bracket != bracket {
                continue;
            }
            if let Some(p) = parent_ctx
                && h.parent.is_some()
                && h.parent != Some(p)
                && self.headings.get(p).is_some_and(|ph| ph.level < h.level)
            {
                continue;
            }
            let s = hs.get(hi).copied().unwrap_or(0.0);
            let cov_h = if h.mass > 0.0 { s / h.mass } else { 0.0 };
            let cov_q = if q_mass > 0.0 { s / q_mass } else { 0.0 };
            let fit = cov_h.max(cov_q);
            if (cov_h >= 0.5 || cov_q >= 0.6) && best.is_none_or(|(_, b)| fit > b) {
                best = Some((hi, fit));
            }
        }
        let code_len = text.chars().count().saturating_sub(name.chars().count());
        if let Some((hi, _)) = best {
            return Some((
                HeadClaim {
                    heading: hi,
                    depth,
                    strong: true,
                },
                code_len,
            ));
        }
        // Code alone (the words are the office's own): only where the code cannot be a leaf.
        if q_mass >= 3.0 && self.leaf_scores(&q).iter().any(|&s| s >= 3.0) {
            return None;
        }
        let same: Vec<usize> = self
            .headings
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                h.code_no == Some(code_no)
                    && h.bracket == bracket
                    && h.chinese == chinese
                    && match parent_ctx {
                        Some(p) => h.parent == Some(p),
                        None => h.level == 0,
                    }
            })
            .map(|(i, _)| i)
            .collect();
        if let [hi] = same[..]
            && (chinese || bracket)
        {
            return Some((
                HeadClaim {
                    heading: hi,
                    depth,
                    strong: false,
                },
                code_len,
            ));
        }
        None
    }

    /// A heading named by its words alone: "行政复议", "政务公开".
    fn heading_by_name(&self, q: &[(u32, f32)], depth: usize) -> Option<HeadClaim> {
        let q_mass: f32 = q.iter().map(|x| x.1).sum();
        if q_mass < 4.0 {
            return None;
        }
        let hs = self.head_scores(q);
        let mut best: Option<(usize, f32)> = None;
        let mut second = 0.0f32;
        for (hi, h) in self.headings.iter().enumerate() {
            let s = hs.get(hi).copied().unwrap_or(0.0);
            if h.mass <= 0.0 || s <= 0.0 {
                continue;
            }
            let fit = (s / h.mass).min(s / q_mass);
            match best {
                Some((_, b)) if fit <= b => second = second.max(fit),
                _ => {
                    if let Some((_, b)) = best {
                        second = second.max(b);
                    }
                    best = Some((hi, fit));
                }
            }
        }
        let (hi, fit) = best?;
        if fit < 0.7 || second > fit * 0.8 {
            return None;
        }
        Some(HeadClaim {
            heading: hi,
            depth,
            strong: true,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Weighing

    fn decide(&self, parts: Vec<Part>) -> Classification {
        let ctx: Vec<HeadClaim> = parts.iter().flat_map(|p| p.heads.iter().cloned()).collect();
        let group_head = ctx
            .iter()
            .rev()
            .find(|h| h.strong)
            .or(ctx.last())
            .map(|h| h.heading);
        let group = group_head.and_then(|h| self.headings.get(h).map(|h| h.label.clone()));

        // Number claims, adjusted for their own words and the headings above them.
        let mut claims: Vec<Claim> = Vec::new();
        for p in &parts {
            let scores = self.leaf_scores(&p.query);
            let (best_leaf, best) = argmax(&scores);
            let second = scores
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != best_leaf)
                .map(|(_, s)| *s)
                .fold(0.0f32, f32::max);
            let unit_like = looks_like_unit(&p.residual);
            for f in &p.found {
                let explicit = matches!(f.form, Form::Explicit | Form::Tree);
                let mut members = Vec::new();
                for &no in &f.nos {
                    if no < 1 || no > self.max_no {
                        continue;
                    }
                    if let Some(&li) = self.by_no.get(&no) {
                        members.push(li);
                    }
                }
                if members.is_empty() {
                    continue;
                }
                let mut conf = f.form.base(p.is_file);
                let mut notes: Vec<String> = Vec::new();
                let own: f32 = members
                    .iter()
                    .map(|&li| scores.get(li).copied().unwrap_or(0.0))
                    .fold(0.0, f32::max);
                if !explicit && unit_like {
                    // "05区市场监管局": a unit's serial number, not an indicator, even where
                    // the unit's name shares words with the indicator.
                    continue;
                }
                let agree = own >= 4.0 && own >= 0.5 * best;
                let conflict = best >= 6.0 && own < 0.25 * best;
                let strong_conflict = conflict && best >= 10.0 && second < 0.6 * best;
                if agree {
                    conf = if explicit { conf + 2 } else { conf + 10 };
                    notes.push("，与指标文字相符".into());
                } else if conflict && (!explicit || strong_conflict) {
                    conf = conf.min(if explicit { 75 } else { 55 });
                    if let Some(bl) = best_leaf {
                        notes.push(format!(
                            "，但文字“{}”更像指标{}",
                            self.snippet(&p.residual, bl),
                            self.leaves[bl].no
                        ));
                    }
                }
                if f.bracket_small && !agree {
                    conf = conf.min(65);
                }
                if let Some(cap) = f.cap {
                    conf = conf.min(cap);
                }
                if f.tree {
                    notes.push("，与指标体系层级编号一致".into());
                }
                // Headings above (or in) this component.
                let mut context_alt: Option<(usize, i64)> = None;
                for h in ctx.iter().filter(|h| h.depth <= p.depth) {
                    let inside = members.iter().any(|&li| self.in_heading(li, h.heading));
                    let label = self
                        .headings
                        .get(h.heading)
                        .map(|x| x.label.as_str())
                        .unwrap_or("");
                    if inside {
                        conf = (conf + 5).min(if explicit { 99 } else { 97 });
                        if h.depth < p.depth {
                            notes.push(format!("，位于“{label}”之下"));
                        }
                    } else if h.strong || !explicit {
                        conf = conf.min(match (explicit, h.strong) {
                            (true, _) => 75,
                            (false, true) => 55,
                            (false, false) => 65,
                        });
                        let no = self.leaves.get(members[0]).map_or(0, |l| l.no);
                        notes.push(format!("，但所在的“{label}”不含指标{no}"));
                        if !explicit && members.len() == 1 {
                            context_alt = Some((h.heading, no));
                        }
                    }
                }
                let reason = format!("{}{}", f.describe(p), notes.concat());
                let supported = explicit || agree;
                claims.push(Claim {
                    depth: p.depth,
                    leaves: members,
                    conf: conf.min(99),
                    explicit,
                    supported,
                    reason,
                });
                // "三、…/1.xxx": perhaps the first indicator under that heading.
                if let Some((hi, pos)) = context_alt
                    && let Some(&li) = usize::try_from(pos - 1)
                        .ok()
                        .and_then(|k| self.headings.get(hi)?.leaves.get(k))
                {
                    let label = &self.headings[hi].label;
                    claims.push(Claim {
                        depth: p.depth,
                        leaves: vec![li],
                        conf: 50,
                        explicit: false,
                        supported: false,
                        reason: format!(
                            "{}“{}”的序号{}可能指“{}”下的第{}项",
                            place(p.is_file),
                            p.raw.trim(),
                            pos,
                            label,
                            pos
                        ),
                    });
                }
            }
        }

        let mut out: Vec<(usize, u8, String)> = Vec::new();
        let decisive_depth = claims
            .iter()
            .filter(|c| c.conf >= SURE)
            .map(|c| c.depth)
            .max();
        match decisive_depth {
            Some(d) => {
                let primary: Vec<&Claim> = claims.iter().filter(|c| c.depth == d).collect();
                let primary_leaves: Vec<usize> =
                    primary.iter().flat_map(|c| c.leaves.clone()).collect();
                let primary_explicit = primary.iter().any(|c| c.conf >= SURE && c.explicit);
                let mut cap: Option<u8> = None;
                let mut extra: Vec<(usize, u8, String)> = Vec::new();
                let mut confirm: Vec<String> = Vec::new();
                for c in claims.iter().filter(|c| c.depth < d && c.conf >= SURE) {
                    if c.leaves.iter().any(|l| primary_leaves.contains(l)) {
                        confirm.push(c.reason.clone());
                        continue;
                    }
                    // An explicit statement deeper down is the more specific one; a bare
                    // folder number is overridden by any deeper statement.
                    let overridden = primary_explicit || !c.supported;
                    if overridden {
                        for &li in &c.leaves {
                            extra.push((li, c.conf.min(50), c.reason.clone()));
                        }
                    } else {
                        cap = Some(70);
                        for &li in &c.leaves {
                            extra.push((li, 70, c.reason.clone()));
                        }
                    }
                }
                for c in primary {
                    let mut conf = c.conf;
                    if !confirm.is_empty() && conf >= SURE {
                        conf = (conf + 3).min(99);
                    }
                    if let Some(k) = cap {
                        conf = conf.min(k);
                    }
                    let mut reason = c.reason.clone();
                    if let Some(first) = confirm.first() {
                        reason.push_str(&format!("；{first}"));
                    }
                    for &li in &c.leaves {
                        out.push((li, conf, reason.clone()));
                    }
                }
                out.extend(extra);
                // Words pointing elsewhere are listed, never decide over a stated number.
                if let Some((li, conf, reason)) = self.text_claims(&parts, group_head).first()
                    && *conf >= 70
                    && !out.iter().any(|(l, _, _)| l == li)
                {
                    out.push((*li, 45, reason.clone()));
                }
            }
            None => {
                for c in &claims {
                    for &li in &c.leaves {
                        out.push((li, c.conf.min(SURE - 1), c.reason.clone()));
                    }
                }
                let stated = !out.is_empty();
                for (li, conf, reason) in self.text_claims(&parts, group_head) {
                    // Words alone decide only when no number in the name says otherwise.
                    let conf = if stated { conf.min(SURE - 1) } else { conf };
                    out.push((li, conf, reason));
                }
            }
        }

        // One entry per indicator, best first.
        let mut best: Vec<(usize, u8, String)> = Vec::new();
        for (li, conf, reason) in out {
            match best.iter_mut().find(|(l, _, _)| *l == li) {
                Some(e) if e.1 < conf => {
                    e.1 = conf;
                    e.2 = reason;
                }
                Some(_) => {}
                None => best.push((li, conf, reason)),
            }
        }
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(8);
        let candidates: Vec<Match> = best
            .into_iter()
            .filter_map(|(li, conf, reason)| {
                let l = self.leaves.get(li)?;
                Some(Match {
                    indicator_id: l.id,
                    no: l.no,
                    confidence: conf,
                    reason,
                })
            })
            .collect();
        let verdict = if candidates.iter().any(|m| m.confidence >= SURE) {
            Verdict::Sure
        } else if candidates.is_empty() {
            Verdict::None
        } else {
            Verdict::Ambiguous
        };
        Classification {
            candidates,
            verdict,
            group,
        }
    }

    /// Indicators the words of the path point to, with a confidence from how strong, how
    /// unique and how complete the overlap is. Deeper components weigh more; inside a
    /// recognised heading the others weigh less.
    fn text_claims(&self, parts: &[Part], within: Option<usize>) -> Vec<(usize, u8, String)> {
        let n = parts.len();
        let mut q: HashMap<u32, f32> = HashMap::new();
        for p in parts {
            let factor = match n - 1 - p.depth {
                0 => 1.0,
                1 => 0.85,
                2 => 0.7,
                _ => 0.6,
            };
            for &(id, w) in &p.text_query {
                let e = q.entry(id).or_insert(0.0);
                *e = e.max(w * factor);
            }
        }
        // Sorted, so the sums (and any near-ties) come out the same on every run.
        let mut q: Vec<(u32, f32)> = q.into_iter().collect();
        q.sort_unstable_by_key(|x| x.0);
        let q_mass: f32 = q.iter().map(|x| x.1).sum();
        let mut scores = self.leaf_scores(&q);
        if let Some(h) = within {
            for (li, s) in scores.iter_mut().enumerate() {
                if !self.in_heading(li, h) {
                    *s *= 0.4;
                }
            }
        }
        // The five best, best first (no need to sort them all).
        let mut order: Vec<usize> = (0..scores.len()).collect();
        let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
        if order.len() > 5 {
            order.select_nth_unstable_by(4, by_score);
            order.truncate(5);
        }
        order.sort_by(by_score);
        let Some(&top) = order.first() else {
            return Vec::new();
        };
        let s1 = scores[top];
        if s1 < 5.0 {
            return Vec::new();
        }
        let s2 = order.get(1).map(|&i| scores[i]).unwrap_or(0.0);
        let strength = (s1 / 10.0).min(1.0);
        let mut margin = 1.0 - s2 / s1;
        // The runner-up matches nothing the top one does not, and the top one matches more:
        // "行政复议决定公开" is 70, not 69 ("行政复议决定书…").
        if let Some(&second) = order.get(1) {
            let has = |li: usize, id: u32| {
                self.leaves
                    .get(li)
                    .is_some_and(|l| l.grams.binary_search(&id).is_ok())
            };
            let only_second = q.iter().any(|&(id, _)| has(second, id) && !has(top, id));
            let only_top: f32 = q
                .iter()
                .filter(|&&(id, _)| has(top, id) && !has(second, id))
                .map(|x| x.1)
                .sum();
            if !only_second && only_top >= 1.0 {
                margin = margin.max(0.5);
            }
        }
        let coverage = (s1 / q_mass.max(f32::EPSILON)).min(1.0);
        let conf_top = (30.0 + 30.0 * strength + 25.0 * margin + 15.0 * coverage).min(90.0);
        let part_scores: Vec<Vec<f32>> = parts
            .iter()
            .map(|p| self.leaf_scores(&p.text_query))
            .collect();
        let mut out = Vec::new();
        for &li in order.iter().take(5) {
            let s = scores[li];
            if s < 0.6 * s1 {
                break;
            }
            // Equal words, equal confidence; a weaker match ranks clearly lower.
            let conf = if s1 - s < 1e-3 {
                conf_top
            } else {
                (conf_top * s / s1 - 10.0).max(0.0)
            };
            if conf < 35.0 {
                continue;
            }
            // The component whose words match best, for the reason.
            let Some(p) = part_scores
                .iter()
                .zip(parts)
                .max_by(|a, b| {
                    let x = a.0.get(li).copied().unwrap_or(0.0);
                    let y = b.0.get(li).copied().unwrap_or(0.0);
                    x.total_cmp(&y).then(b.1.depth.cmp(&a.1.depth).reverse())
                })
                .map(|(_, p)| p)
            else {
                continue;
            };
            let snippet = self.snippet(&p.residual, li);
            out.push((
                li,
                conf.round() as u8,
                format!(
                    "{}“{}”与指标{}的文字相近（“{}”）",
                    place(p.is_file),
                    p.raw.trim(),
                    self.leaves[li].no,
                    snippet
                ),
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Components

struct Part {
    raw: String,
    depth: usize,
    is_file: bool,
    /// Normalised text with the numbers and markers taken out.
    residual: String,
    query: Vec<(u32, f32)>,
    /// `query` less the words of a heading the component names.
    text_query: Vec<(u32, f32)>,
    found: Vec<Found>,
    heads: Vec<HeadClaim>,
}

#[derive(Clone)]
struct HeadClaim {
    heading: usize,
    depth: usize,
    /// Named by its words, not only by a code.
    strong: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    /// "指标27", "第16项", "27号指标".
    Explicit,
    /// "2-5-17-03" consistent with the tree.
    Tree,
    /// "（三十六）", "(36)".
    Bracket,
    /// "36、", "43-", "5 ", "43行政…".
    Leading,
    /// "12.3", "5.".
    Dotted,
    /// "15-16".
    Range,
    /// The whole component is a number: "27".
    Bare,
    /// "区司法局-43-…".
    Delimited,
}

impl Form {
    fn base(self, is_file: bool) -> u8 {
        match (self, is_file) {
            (Form::Explicit, _) => 95,
            (Form::Tree, _) => 96,
            (Form::Bracket, false) => 84,
            (Form::Bracket, true) => 78,
            (Form::Leading, false) => 82,
            (Form::Leading, true) => 75,
            (Form::Dotted, false) => 80,
            (Form::Dotted, true) => 74,
            (Form::Range, false) => 80,
            (Form::Range, true) => 75,
            (Form::Bare, false) => 82,
            (Form::Bare, true) => 60,
            (Form::Delimited, _) => 70,
        }
    }
}

/// A number statement found in one component.
struct Found {
    form: Form,
    nos: Vec<i64>,
    /// The words as written ("第16项").
    token: String,
    tree: bool,
    /// A bracketed number that is also a heading code ("（三）").
    bracket_small: bool,
    /// At most this confident, whatever the words say.
    cap: Option<u8>,
}

impl Found {
    fn new(form: Form, nos: Vec<i64>, c: &[char], start: usize, end: usize) -> Self {
        Self {
            form,
            nos,
            token: c[start..end.min(c.len())]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
            tree: false,
            bracket_small: false,
            cap: None,
        }
    }

    fn describe(&self, p: &Part) -> String {
        let raw = p.raw.trim();
        let base = format!("{}“{}”", place(p.is_file), raw);
        let what = if self.nos.len() > 1 {
            format!(
                "指标{}",
                self.nos
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join("、")
            )
        } else {
            format!("指标{}", self.nos.first().copied().unwrap_or(0))
        };
        let stem = normalize(raw, p.is_file);
        if self.token == stem || self.token == raw {
            format!("{base}即{what}")
        } else {
            format!("{base}中的“{}”指{what}", self.token)
        }
    }
}

struct Claim {
    depth: usize,
    leaves: Vec<usize>,
    conf: u8,
    explicit: bool,
    supported: bool,
    reason: String,
}

/// "文件名" or "文件夹名", for reasons.
fn place(is_file: bool) -> &'static str {
    if is_file { "文件名" } else { "文件夹名" }
}

fn argmax(s: &[f32]) -> (Option<usize>, f32) {
    let mut best = (None, 0.0f32);
    for (i, &x) in s.iter().enumerate() {
        if x > best.1 {
            best = (Some(i), x);
        }
    }
    best
}

/// Half-width, dashes folded, the extension and copy markers of a file name dropped.
fn normalize(raw: &str, is_file: bool) -> String {
    let mut s: String = to_half_width(raw)
        .chars()
        .map(|c| match c {
            '—' | '–' | '―' | '−' => '-',
            c => c,
        })
        .collect();
    if is_file && let Some(dot) = s.rfind('.') {
        let ext = &s[dot + 1..];
        if (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && ext.chars().any(|c| c.is_ascii_alphabetic())
        {
            s.truncate(dot);
        }
    }
    let mut t = s.trim();
    for p in ["复件 ", "复件", "副本 ", "Copy of ", "copy of "] {
        t = t.strip_prefix(p).unwrap_or(t);
    }
    t.trim().to_string()
}

#[derive(Clone, Copy)]
struct Digits {
    value: i64,
    start: usize,
    end: usize,
}

impl Digits {
    /// At most three digits (zero padding allowed: "017"); longer runs are dates, phone
    /// numbers, serials of cameras and scanners.
    fn short(&self) -> bool {
        self.end - self.start <= 3
    }
}

fn digit_run(c: &[char], i: usize) -> Option<Digits> {
    let mut j = i;
    while j < c.len() && c[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    let s: String = c[i..j].iter().take(9).collect();
    Some(Digits {
        value: s.parse().unwrap_or(i64::MAX),
        start: i,
        end: j,
    })
}

/// Digits joined by "-" or "." ("2-5-17-03", "12.3"), with the joiners.
fn chain_at(c: &[char], i: usize) -> (Vec<Digits>, Vec<char>, usize) {
    let mut out = Vec::new();
    let mut seps = Vec::new();
    let Some(first) = digit_run(c, i) else {
        return (out, seps, i);
    };
    let mut end = first.end;
    out.push(first);
    while let Some(&sep) = c.get(end) {
        if !matches!(sep, '-' | '.' | '~') {
            break;
        }
        let Some(next) = digit_run(c, end + 1) else {
            break;
        };
        seps.push(sep);
        end = next.end;
        out.push(next);
    }
    (out, seps, end)
}

/// Value of a number written in digits (at most three) or Chinese numerals.
fn number_value(s: &str) -> Option<i64> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        if s.is_empty() || s.len() > 3 {
            return None;
        }
        return s.parse().ok();
    }
    chinese_numeral(s)
}

/// A number at `i` in digits or Chinese numerals, and where it ends.
fn num_at(c: &[char], i: usize) -> Option<(i64, usize)> {
    let mut j = i;
    if c.get(i).is_some_and(char::is_ascii_digit) {
        while j < c.len() && c[j].is_ascii_digit() {
            j += 1;
        }
    } else {
        while j < c.len() && is_cn_digit(c[j]) && j - i < 6 {
            j += 1;
        }
        // "指标一览表" is no indicator 1: Chinese numerals end at a marker or a separator.
        if c.get(j)
            .is_some_and(|&x| is_cjk(x) && !"项号、至和及与到".contains(x))
        {
            return None;
        }
    }
    if j == i {
        return None;
    }
    let s: String = c[i..j].iter().collect();
    Some((number_value(&s)?, j))
}

/// "15、16", "15-16", "三十六、三十七", "36至38", "15和16": the numbers (ranges expanded when
/// short and ascending; "27-1" is indicator 27, its file 1) and where the list ends.
fn num_list(c: &[char], i: usize) -> Option<(Vec<i64>, usize)> {
    let (first, mut end) = num_at(c, i)?;
    let mut out = vec![first];
    while let Some(&sep) = c.get(end) {
        let range = matches!(sep, '-' | '~' | '至' | '到');
        let list = matches!(sep, '、' | ',' | '和' | '及' | '与' | '/' | '+');
        if !range && !list {
            break;
        }
        let mut j = skip(c, end + 1, " ");
        if c.get(j) == Some(&'第') || (c.get(j) == Some(&'指') && c.get(j + 1) == Some(&'标')) {
            j += if c[j] == '第' { 1 } else { 2 };
        }
        let Some((v, e)) = num_at(c, j) else { break };
        let last = out.last().copied().unwrap_or(v);
        if range {
            if v > last && v <= last + 9 {
                out.extend(last + 1..=v);
            }
        } else {
            out.push(v);
        }
        end = e;
    }
    out.dedup();
    Some((out, end))
}

fn skip(c: &[char], mut i: usize, what: &str) -> usize {
    while i < c.len() && what.contains(c[i]) {
        i += 1;
    }
    i
}

fn mark(used: &mut [bool], start: usize, end: usize) {
    for u in used.iter_mut().take(end).skip(start) {
        *u = true;
    }
}

/// Words every office file name uses ("情况说明", "工作总结", "会议记录"): rare in indicator
/// texts perhaps, but no sign of any one indicator in a file name. Their weight is cut.
const GENERIC_WORDS: &str = "情况 说明 工作 报告 材料 方案 通知 会议 记录 总结 通报 文件 资料 \
    汇报 要求 相关 有关 关于 印发 开展 落实 实施 办法 规定 机制 建立 健全 完善 推进 加强 全面 \
    按时 到位 达到 上级 定期 要点 安排 部署";

/// Words after a number that make it a quantity, a date or a serial, not an indicator.
const UNIT_WORDS: &[&str] = &[
    "年", "月", "日", "号", "时", "点", "分", "秒", "页", "张", "份", "个", "次", "人", "件", "条",
    "%", "万", "元", "届", "期", "批", "季", "周", "天", "家", "户", "名", "位", "米", "吨", "倍",
    "岁", "楼", "层", "室", "轮", "级", "版", "稿", "寸", "度", "项", "册", "卷", "盒", "部", "所",
    "本", "幅", "处", "类", "种", "篇", "组", "km", "KB", "MB", "kb", "mb", "x", "X", "*", "#",
    // A bound, not one indicator: "指标100以后", "30以上", "第5项之前".
    "以后", "以前", "以上", "以下", "以内", "之后", "之前", "左右",
];

fn blocked_after(c: &[char], end: usize) -> bool {
    let rest: String = c[end.min(c.len())..].iter().take(3).collect();
    UNIT_WORDS.iter().any(|w| rest.starts_with(w))
}

/// "14:30"
fn colon_time(c: &[char], end: usize) -> bool {
    c.get(end) == Some(&':') && c.get(end + 1).is_some_and(char::is_ascii_digit)
}

/// Words before a number that make it a serial of something else: "照片 1", "附件_2".
const SERIAL_WORDS: &[&str] = &[
    "照片",
    "相片",
    "图片",
    "图",
    "附件",
    "附表",
    "附",
    "表",
    "扫描件",
    "扫描",
    "截图",
    "截屏",
    "页",
    "卷",
    "册",
    "盒",
    "副本",
    "稿",
    "版",
    "序号",
    "编号",
    "第",
    "文件",
    "视频",
    "录音",
];

fn blocked_before(c: &[char], sep: usize) -> bool {
    let before: String = c[..sep].iter().collect();
    let before = before.trim_end_matches([' ', '_', '-']);
    SERIAL_WORDS.iter().any(|w| before.ends_with(w))
}

/// "区司法局", "XX街道办事处": a unit's name, whose leading number is the unit's serial.
fn looks_like_unit(residual: &str) -> bool {
    let t: String = residual.chars().filter(|c| is_cjk(*c)).collect();
    let n = t.chars().count();
    (2..=14).contains(&n)
        && [
            "局",
            "委",
            "办",
            "院",
            "所",
            "镇",
            "乡",
            "街道",
            "中心",
            "大队",
            "支队",
            "公司",
            "委员会",
            "办公室",
            "政府",
            "处",
            "科",
            "站",
            "队",
            "部",
        ]
        .iter()
        .any(|s| t.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{EMBEDDED, heading_label, parse_embedded, walk};
    use crate::model::IndicatorNode;

    /// The demo system's leaves as keys; with `global_codes` its 二级 headings are numbered
    /// "1." to "24." across the whole system, as the national 2021 system prints them.
    fn keys(global_codes: bool) -> Vec<IndicatorKey> {
        let mut d = parse_embedded("demo", EMBEDDED[0].1).expect("demo parses");
        if global_codes {
            let mut n = 0;
            for top in &mut d.roots {
                for mid in &mut top.children {
                    n += 1;
                    mid.code = n.to_string();
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &d.roots,
            &mut |n: &IndicatorNode, path: &[&IndicatorNode]| {
                if n.is_leaf {
                    let no = n.no.expect("leaf number");
                    out.push(IndicatorKey {
                        id: 1000 + no,
                        no,
                        headings: path.iter().map(|p| heading_label(p)).collect(),
                        text: n.title.clone(),
                    });
                }
            },
        );
        out
    }

    enum Want {
        /// Filed without asking under exactly these indicators.
        Sure(&'static [i64]),
        /// Someone must choose; these are among the candidates, the first one on top.
        Ask(&'static [i64]),
        /// 待归类, optionally with the heading the path points into.
        Queue(Option<&'static str>),
    }
    use Want::*;

    /// The spec: how offices name folders and files, and what the classifier must make of it.
    const DEMO_TABLE: &[(&str, Want)] = &[
        // Explicit statements.
        (
            "区司法局报送材料/指标27/重大行政决策事项目录.pdf",
            Sure(&[27]),
        ),
        ("指标27/1.2023年度重大行政决策事项目录.pdf", Sure(&[27])),
        ("佐证材料（第16项）.docx", Sure(&[16])),
        ("第十六项 合法性审核/审核意见书.pdf", Sure(&[16])),
        ("27号指标/目录及公布截图.png", Sure(&[27])),
        ("指标15、16/规范性文件合法性审核台账.xlsx", Sure(&[15, 16])),
        ("第36、37项 法律顾问/法律顾问聘用合同.pdf", Sure(&[36, 37])),
        ("15-16 规范性文件/制定程序记录.pdf", Sure(&[15, 16])),
        ("指标 43 行政执法公示/公示平台截图1.png", Sure(&[43])),
        ("三级指标27/附件2.pdf", Sure(&[27])),
        ("No.12 市场准入负面清单.pdf", Sure(&[12])),
        ("指标二十七/目录.pdf", Sure(&[27])),
        ("第三十六、三十七项.pdf", Sure(&[36, 37])),
        ("指标36-37 法律顾问参与论证.docx", Sure(&[36, 37])),
        ("指标27-1 重大行政决策事项目录.pdf", Sure(&[27])),
        ("指标15至19 规范性文件.pdf", Sure(&[15, 16, 17, 18, 19])),
        ("第四十三项/执法公示.pdf", Sure(&[43])),
        ("复件 指标27.pdf", Sure(&[27])),
        ("指标27号 目录公开.pdf", Sure(&[27])),
        ("涉及指标3个 问题说明.docx", Queue(None)),
        // Codes at the start of a name.
        ("（三十六）法律顾问覆盖情况/聘任文件.pdf", Sure(&[36])),
        ("(36)法律顾问名单.pdf", Sure(&[36])),
        ("36、公职律师备案表.pdf", Sure(&[36])),
        ("43-行政执法公示制度落实情况.docx", Sure(&[43])),
        ("43_执法公示截图.png", Sure(&[43])),
        ("5.双随机一公开抽查计划.pdf", Sure(&[5])),
        ("5．双随机抽查结果公示.pdf", Sure(&[5])),
        ("5 双随机抽查结果.docx", Sure(&[5])),
        ("12.3 市场准入负面清单落实情况.pdf", Sure(&[12])),
        ("区司法局-43-行政执法公示截图.png", Sure(&[43])),
        ("27/会议纪要.pdf", Sure(&[27])),
        ("43行政执法公示/截图.png", Sure(&[43])),
        ("【27】重大行政决策目录.pdf", Sure(&[27])),
        ("（六十九）复议决定履行/复议决定书.pdf", Sure(&[69])),
        ("指标27/3.pdf", Sure(&[27])),
        ("01区司法局/指标43/公示截图.png", Sure(&[43])),
        // Item numbers {一级}-{二级}-{三级}-{流水} checked against the tree.
        (
            "2-4-17-03_规范性文件备案审查意见_区司法局_20250312.pdf",
            Sure(&[17]),
        ),
        ("2-1-17 备案材料.pdf", Sure(&[17])),
        ("017_2-4_规范性文件备案审查/备案报告.pdf", Sure(&[17])),
        // Headings above the indicator.
        (
            "二、依法行政制度体系健全/（一）规范性文件管理规范/16.合法性审核意见书.pdf",
            Sure(&[16]),
        ),
        (
            "三、重大行政决策科学民主合法/27.重大行政决策事项目录/附件1.pdf",
            Sure(&[27]),
        ),
        (
            "2023年法治政府建设示范创建佐证材料/四、行政执法严格规范公正文明/43.行政执法公示/公示截图 (2).png",
            Sure(&[43]),
        ),
        (
            "四、行政执法/（二）行政执法三项制度/行政执法全过程记录台账.xlsx",
            Sure(&[44]),
        ),
        (
            "六、社会矛盾纠纷依法有效化解/（一）行政复议/行政复议决定公开截图.png",
            Sure(&[70]),
        ),
        ("（三）推行权责清单制度/权责清单公开截图.png", Sure(&[9])),
        (
            "三、重大行政决策科学民主合法/会议纪要.pdf",
            Queue(Some("三、重大行政决策科学民主合法")),
        ),
        (
            "六、社会矛盾纠纷依法有效化解/（一）行政复议/材料.pdf",
            Queue(Some("（一）行政复议")),
        ),
        // The indicator's own words, when they point to one indicator clearly.
        ("公平竞争审查台账.xlsx", Sure(&[7])),
        ("重大行政决策事项目录.pdf", Sure(&[27])),
        ("行政机关负责人出庭应诉统计表.xlsx", Sure(&[71])),
        ("政协提案办理情况.docx", Sure(&[80])),
        ("领导干部会前学法记录.docx", Sure(&[95])),
        ("谁执法谁普法责任清单.pdf", Sure(&[98])),
        ("应急物资储备目录.xlsx", Sure(&[62])),
        ("行政复议.pdf", Queue(Some("（一）行政复议"))),
        ("区司法局/工作总结.docx", Queue(None)),
        // Numbers that are not indicators.
        ("照片1.jpg", Queue(None)),
        ("附件2.pdf", Queue(None)),
        ("图3.png", Queue(None)),
        ("IMG_20230415_101530.jpg", Queue(None)),
        ("DSC_0012.JPG", Queue(None)),
        ("微信图片_20230415101530.jpg", Queue(None)),
        ("扫描件001.pdf", Queue(None)),
        ("2023.4.15会议纪要.pdf", Queue(None)),
        ("20230415.pdf", Queue(None)),
        ("联系人13812345678.docx", Queue(None)),
        ("曾法办〔2023〕5号.pdf", Queue(None)),
        ("第1页.png", Queue(None)),
        ("2023年工作要点.docx", Queue(None)),
        ("方案v2.docx", Queue(None)),
        ("第101项.pdf", Queue(None)),
        ("指标100以后/补充说明.pdf", Queue(None)),
        ("30以上.docx", Queue(None)),
        ("（2023）工作安排.pdf", Queue(None)),
        (
            "新建文件夹 (2)/扫描全能王 2023-04-15 10.30.pdf",
            Queue(None),
        ),
        ("0571-88776655 联系方式.docx", Queue(None)),
        ("1-3月工作情况.docx", Queue(None)),
        ("Screenshot_2023-04-15-10-30-00.png", Queue(None)),
        ("mmexport1681234567890.jpg", Queue(None)),
        ("05区市场监管局/情况说明.docx", Queue(None)),
        ("指标一览表.xlsx", Queue(None)),
        ("照片 3.jpg", Queue(None)),
        ("附件_2 说明.docx", Queue(None)),
        // Statements that disagree: someone must choose.
        ("（三十六）行政复议/复议决定书.pdf", Ask(&[69, 36])),
        (
            "27.重大行政决策事项目录/5.双随机抽查计划.pdf",
            Ask(&[5, 27]),
        ),
        ("三、重大行政决策/12.会议材料/附件1.pdf", Ask(&[12, 38])),
        ("3.会议纪要.pdf", Ask(&[3])),
        ("（三）/说明.docx", Ask(&[3])),
        // The deeper statement is the more specific one.
        ("指标27/指标28-公众参与.pdf", Sure(&[28])),
        ("1.加大简政放权力度/指标1-政务服务事项清单.pdf", Sure(&[1])),
        // More of the same, from units' real habits.
        (
            "区应急管理局/59-62/应急物资储备管理制度.pdf",
            Sure(&[59, 60, 61, 62]),
        ),
        ("区人社局/行政执法人员培训签到表.jpg", Sure(&[42])),
        ("区政府办/92/常务会议纪要（第5次）.pdf", Sure(&[92])),
        (
            "区司法局/行政复议/2023年行政复议案件统计表.xlsx",
            Sure(&[68]),
        ),
        (
            "区司法局/（七十一）负责人出庭应诉/出庭应诉通知书.pdf",
            Sure(&[71]),
        ),
        (
            "区司法局/71、72 行政应诉/败诉案件分析报告.docx",
            Sure(&[71, 72]),
        ),
        ("区审计局/审计整改报告.pdf", Sure(&[83])),
        ("区市场监管局/双随机一公开/2023年抽查计划.xlsx", Sure(&[5])),
        (
            "区城管局/47-裁量基准/区城管局行政处罚裁量基准（2023版）.pdf",
            Sure(&[47]),
        ),
        (
            "第七部分 行政权力制约监督/79 人大代表建议办理/办理情况汇总表.xlsx",
            Sure(&[79]),
        ),
        ("8-1-91-01_述法报告_区委办_20250110.pdf", Sure(&[91])),
        ("8-22-91-02_述法评议_区委办.pdf", Sure(&[91])),
        ("二/（三）/25 年度报告.pdf", Sure(&[25])),
        ("4.3 行政执法公示平台截图.png", Ask(&[43, 4])),
        ("43.2 执法人员公示.png", Sure(&[43])),
        ("法治政府建设年度报告（2023年）.pdf", Sure(&[93])),
        ("政府信息公开工作年度报告2023.pdf", Sure(&[25])),
        ("附件1：指标27佐证材料.docx", Sure(&[27])),
        (
            "27、28、29 重大决策程序/专家论证意见.pdf",
            Sure(&[27, 28, 29]),
        ),
        (
            "(一)深化行政审批制度改革/3/中介服务事项清单.xlsx",
            Sure(&[3]),
        ),
        ("群众满意度调查问卷.pdf", Sure(&[56])),
        ("区卫健委/行政许可/许可事项清单.xlsx", Sure(&[2])),
        ("区交通局/执法案卷/案卷评查表.xlsx", Sure(&[50])),
        ("法治政府建设实施方案.docx", Ask(&[])),
        ("扫描全能王 2023-05-06 15.20.pdf", Queue(None)),
        ("新建 Microsoft Word 文档.docx", Queue(None)),
        ("会议签到表.jpg", Queue(None)),
        ("培训照片.jpg", Queue(None)),
        ("简报第3期.pdf", Queue(None)),
        ("关于成立示范创建工作领导小组的通知.pdf", Queue(None)),
        ("整改台账.xlsx", Queue(None)),
        ("区司法局/2023年工作总结.docx", Queue(None)),
    ];

    /// The same demo texts with 二级 headings numbered "1." to "24." (national style).
    const NATIONAL_STYLE_TABLE: &[(&str, Want)] = &[
        (
            "一、政府职能依法全面履行/1.深化行政审批制度改革/指标3-中介服务清单.pdf",
            Sure(&[3]),
        ),
        (
            "5.立法参与与制度建设/会议记录.docx",
            Queue(Some("5.立法参与与制度建设")),
        ),
        ("2-5-21-01_公开征求意见截图.png", Sure(&[21])),
        ("5.双随机抽查.pdf", Sure(&[5])),
        ("017_2-4_规范性文件备案审查/备案报告.pdf", Sure(&[17])),
    ];

    fn check(cl: &Classifier, table: &[(&str, Want)]) -> Vec<String> {
        let mut failures = Vec::new();
        for (path, want) in table {
            let got = cl.classify_path(path);
            let nos: Vec<i64> = got.candidates.iter().map(|m| m.no).collect();
            let sure: Vec<i64> = got.sure().map(|m| m.no).collect();
            let ok = match want {
                Sure(w) => {
                    let mut s = sure.clone();
                    s.sort_unstable();
                    got.verdict == Verdict::Sure && s == *w
                }
                Ask(w) => {
                    got.verdict == Verdict::Ambiguous
                        && w.iter().all(|n| nos.contains(n))
                        && w.first().is_none_or(|f| nos.first() == Some(f))
                }
                Queue(g) => {
                    got.verdict == Verdict::None
                        && g.is_none_or(|g| got.group.as_deref() == Some(g))
                }
            };
            if !ok {
                failures.push(format!(
                    "{path}\n    → {:?} group={:?}\n{}",
                    got.verdict,
                    got.group,
                    got.candidates
                        .iter()
                        .map(|m| format!("      {} ({}) {}", m.no, m.confidence, m.reason))
                        .collect::<Vec<_>>()
                        .join("\n")
                ));
            }
        }
        failures
    }

    /// Random names from the characters offices use never panic, and every answer is
    /// well-formed.
    #[test]
    fn any_name_gets_an_answer() {
        let cl = Classifier::new(&keys(false));
        let empty = Classifier::new(&[]);
        let pool: Vec<char> = "0123456789指标第项号、.,-_ ~()（）【】〔〕三十六一二零百两年月日级照片附件行政复议执法公示/\\.pdf IMG_No"
            .chars()
            .collect();
        let mut state = 0x9e37_79b9_u64;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (rnd() % 40) as usize;
            let name: String = (0..len)
                .map(|_| pool[(rnd() as usize) % pool.len()])
                .collect();
            for c in [&cl, &empty] {
                let got = c.classify_path(&name);
                assert!(
                    got.candidates
                        .iter()
                        .all(|m| m.confidence <= 100 && !m.reason.is_empty())
                );
                assert_eq!(
                    got.verdict == Verdict::None,
                    got.candidates.is_empty(),
                    "{name}"
                );
                let nos: Vec<i64> = got.candidates.iter().map(|m| m.no).collect();
                let mut dedup = nos.clone();
                dedup.sort_unstable();
                dedup.dedup();
                assert_eq!(dedup.len(), nos.len(), "{name}");
            }
        }
        assert_eq!(cl.classify::<&str>(&[]).verdict, Verdict::None);
        assert_eq!(cl.classify(&["", " ", "."]).verdict, Verdict::None);
    }

    #[test]
    fn fifty_thousand_files_are_each_classified_as_if_alone() {
        // One classifier over a unit's whole package (its speed is measured in the evidence
        // bench): every file gets the answer it gets on its own, whatever came before it.
        let cl = Classifier::new(&keys(false));
        let path = |i: usize| {
            let (p, _) = &DEMO_TABLE[i % DEMO_TABLE.len()];
            format!("区司法局报送/第{}批/{p}", i % 7)
        };
        let alone: Vec<Classification> = (0..DEMO_TABLE.len() * 7)
            .map(|i| Classifier::new(&keys(false)).classify_path(&path(i)))
            .collect();
        let mut sure = 0usize;
        for i in 0..50_000 {
            let c = cl.classify_path(&path(i));
            assert_eq!(c, alone[i % alone.len()], "{}", path(i));
            sure += usize::from(c.verdict == Verdict::Sure);
        }
        assert!(sure > 25_000, "{sure}");
    }

    #[test]
    fn the_naming_table_is_classified_as_offices_mean_it() {
        let demo = Classifier::new(&keys(false));
        let national = Classifier::new(&keys(true));
        let mut failures = check(&demo, DEMO_TABLE);
        failures.extend(check(&national, NATIONAL_STYLE_TABLE));
        let total = DEMO_TABLE.len() + NATIONAL_STYLE_TABLE.len();
        assert!(total >= 60);
        assert!(
            failures.is_empty(),
            "{} of {total} names misread:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
