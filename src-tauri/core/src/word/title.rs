//! Breaking a 公文 title into lines (GB/T 9704 §7.3.3: "回行时，要做到词意完整，排列对称，
//! 长短适宜，间距恰当", arranged as a 梯形 or 菱形).
//!
//! A title that fits one line stays one line. A longer one is cut into the fewest lines that
//! fit, choosing the cuts by cost: lines of equal length are best, a line a little shorter than
//! the next (正梯形) is preferred over the reverse, a cut between two words that 公文 titles
//! are made of is free, a cut inside such a word is expensive, and a cut before closing or after
//! opening punctuation, before "的" or inside a number is never made. Callers that know better
//! put `\n` in the title.

use super::xml::{char_em, em_width};

/// Two-character words of 公文 titles. A cut is never wanted between their characters, and a
/// cut with such a word on both sides keeps both whole.
const WORDS: &[&str] = &[
    "关于", "建设", "创建", "示范", "法治", "政府", "专项", "督察", "检查", "发现", "问题", "反馈",
    "工作", "情况", "报告", "通知", "方案", "意见", "整改", "落实", "依法", "治区", "委员", "员会",
    "办公", "公室", "司法", "推进", "加强", "全面", "开展", "实施", "评估", "考核", "指标", "体系",
    "行政", "执法", "决策", "规范", "文件", "审核", "进展", "目录", "材料", "佐证", "印发", "做好",
    "迎接", "验收", "申报", "自查", "模拟", "任务", "分解", "责任", "单位", "部门", "街道", "乡镇",
    "领导", "小组", "会议", "纪要", "年度", "季度", "重点", "要点", "措施", "函件", "答复", "区委",
    "区政", "人民", "群众", "满意", "测评", "第三", "三方", "省级", "全国", "市县", "进一", "一步",
    "深入", "持续", "提升", "能力", "水平", "制度", "机制", "监督", "管理", "服务", "事项",
];

/// Titles longer than this many lines are left to Word's own wrapping.
const MAX_LINES: usize = 6;

/// Characters that may not start a line.
const NO_START: &str = "，。、；：？！）》〉」』】〕”’…—·%,.;:?!)]}的之";
/// Characters that may not end a line.
const NO_END: &str = "（《〈「『【〔“‘([{";

/// Split `title` into lines of at most `max_em` characters (of the title font).
pub fn lines(title: &str, max_em: f64) -> Vec<String> {
    let title = title.trim();
    if title.contains('\n') {
        return title
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
    }
    let chars: Vec<char> = title.chars().collect();
    let total = em_width(title);
    // Beyond a few lines this is not a title any more: Word wraps it.
    if total <= max_em || chars.len() < 2 || total > max_em * MAX_LINES as f64 || max_em < 2.0 {
        return vec![title.to_string()];
    }
    let n_lines = (total / max_em).ceil().max(2.0) as usize;
    // prefix[i] = width of chars[..i]
    let mut prefix = vec![0.0; chars.len() + 1];
    for (i, c) in chars.iter().enumerate() {
        prefix[i + 1] = prefix[i] + char_em(*c);
    }
    let ideal = total / n_lines as f64;
    let len = chars.len();
    // best[k][i]: cost of putting chars[..i] on k lines; from[k][i]: where line k starts.
    let inf = f64::INFINITY;
    let mut best = vec![vec![inf; len + 1]; n_lines + 1];
    let mut from = vec![vec![0usize; len + 1]; n_lines + 1];
    best[0][0] = 0.0;
    for k in 1..=n_lines {
        for i in 1..=len {
            if k < n_lines && i == len {
                continue;
            }
            let cut_cost = if i == len {
                0.0
            } else {
                cut_penalty(&chars, i)
            };
            if !cut_cost.is_finite() {
                continue;
            }
            // A line holds at most 2 × max_em characters (half-width ones count ½).
            let first = (k - 1).max(i.saturating_sub((2.0 * max_em).ceil() as usize + 1));
            for j in first..i {
                let prev = best[k - 1][j];
                if !prev.is_finite() {
                    continue;
                }
                let w = prefix[i] - prefix[j];
                if w > max_em + 1e-9 {
                    continue;
                }
                let dev = (w - ideal) / ideal;
                let mut cost = prev + 100.0 * dev * dev + cut_cost;
                // 倒梯形 (a line longer than the one below it) costs a little.
                if k > 1 {
                    let above = prefix[j] - prefix[from[k - 1][j]];
                    if above > w + 0.5 {
                        cost += 3.0;
                    }
                }
                if cost < best[k][i] {
                    best[k][i] = cost;
                    from[k][i] = j;
                }
            }
        }
    }
    if !best[n_lines][len].is_finite() {
        // No acceptable cut (a title of one unbreakable run): Word wraps it.
        return vec![title.to_string()];
    }
    let mut cuts = vec![len];
    let mut i = len;
    for k in (1..=n_lines).rev() {
        i = from[k][i];
        cuts.push(i);
    }
    cuts.reverse();
    cuts.windows(2)
        .map(|w| chars[w[0]..w[1]].iter().collect())
        .collect()
}

/// Cost of a cut before `chars[i]` (0 < i < len).
fn cut_penalty(chars: &[char], i: usize) -> f64 {
    let (a, b) = (chars[i - 1], chars[i]);
    if NO_START.contains(b) || NO_END.contains(a) {
        return f64::INFINITY;
    }
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        return f64::INFINITY;
    }
    let word = |s: &[char]| {
        let w: String = s.iter().collect();
        WORDS.contains(&w.as_str())
    };
    if word(&chars[i - 1..=i]) {
        return 40.0;
    }
    let before = i >= 2 && word(&chars[i - 2..i]);
    let after = i + 2 <= chars.len() && word(&chars[i..i + 2]);
    if a == '的' || "、，；".contains(a) {
        return 0.0;
    }
    match (before, after) {
        (true, true) => 0.0,
        (true, false) | (false, true) => 4.0,
        (false, false) => 12.0,
    }
}
