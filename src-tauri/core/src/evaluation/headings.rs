//! 分值 given to headings rather than to indicators (a 二级 group's "4 分" merged over its
//! indicators, a 一级 "（10分）"): the office scale they imply. Each scored heading's 分值 is
//! spread evenly (multiples of 0.1, adding up exactly) over the indicators beneath it that no
//! deeper scored heading and no 分值 of their own already cover. The split inside a group is
//! not official, so the scale is the office's (results labelled 参考), shown before it is used.

use super::model::apportion;
use super::points::Points;
use crate::indicators::heading_label;
use crate::model::IndicatorNode;

/// What the headings' 分值 give.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeadingPlan {
    /// (indicator id, 分值) for every indicator a scored heading or its own 分值 covers.
    pub points: Vec<(i64, Points)>,
    /// Headings carrying a 分值.
    pub groups: usize,
    /// Indicators no scored heading covers, without a 分值 of their own.
    pub uncovered: usize,
    /// A heading whose 分值 differs from the 分值 beneath it (the ones beneath are used).
    pub notes: Vec<String>,
    /// What keeps the plan from being applied, each naming its heading.
    pub problems: Vec<String>,
}

/// The plan of a system's tree.
pub fn plan(roots: &[IndicatorNode]) -> HeadingPlan {
    let mut p = HeadingPlan::default();
    for r in roots {
        let (_, open) = visit(r, &mut p);
        p.uncovered += open.len();
    }
    p
}

/// The 分值 allotted beneath `n`, and the indicators beneath it still without one.
fn visit(n: &IndicatorNode, p: &mut HeadingPlan) -> (Points, Vec<i64>) {
    let own = n.score.and_then(Points::from_f64);
    if n.is_leaf {
        return match own {
            Some(points) => {
                p.points.push((n.id, points));
                (points, Vec::new())
            }
            None => (Points::ZERO, vec![n.id]),
        };
    }
    let mut fixed = Points::ZERO;
    let mut open = Vec::new();
    for c in &n.children {
        let (f, o) = visit(c, p);
        fixed += f;
        open.extend(o);
    }
    let Some(total) = own else {
        return (fixed, open);
    };
    p.groups += 1;
    let label = heading_label(n);
    if open.is_empty() {
        if fixed != total {
            p.notes.push(format!(
                "“{label}”为 {total} 分，其下各项分值合计 {fixed} 分，两者不一致；分配时以其下各项的分值为准，请核对指标体系。"
            ));
        }
        return (fixed, open);
    }
    let rest = total - fixed;
    if rest.is_negative() {
        p.problems.push(format!(
            "“{label}”为 {total} 分，其下已有分值合计 {fixed} 分，超出本项分值，无法把余下的分值分给其下 {} 项指标；请核对指标体系。",
            open.len()
        ));
        return (total, Vec::new());
    }
    match apportion(rest, &vec![1; open.len()]) {
        Ok(shares) => p.points.extend(open.into_iter().zip(shares)),
        Err(_) => p.problems.push(format!(
            "“{label}”余下的 {rest} 分无法按最小 0.1 分平均分给其下 {} 项指标；请在自定分值中逐项填写。",
            open.len()
        )),
    }
    (total, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(
        id: i64,
        code: &str,
        score: Option<f64>,
        children: Vec<IndicatorNode>,
    ) -> IndicatorNode {
        IndicatorNode {
            id,
            uid: format!("u{id}"),
            depth: 0,
            code: code.to_string(),
            title: format!("标题{id}"),
            label: String::new(),
            is_leaf: children.is_empty() && code.is_empty(),
            no: (children.is_empty() && code.is_empty()).then_some(id),
            score,
            methods: None,
            veto: false,
            children,
        }
    }

    fn leaf(id: i64, score: Option<f64>) -> IndicatorNode {
        node(id, "", score, Vec::new())
    }

    fn points_of(p: &HeadingPlan, id: i64) -> Option<String> {
        p.points
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, v)| v.to_string())
    }

    #[test]
    fn a_groups_points_are_spread_evenly_over_its_indicators_adding_up_exactly() {
        // 一、 with (一) 4 分 over three indicators and (二) 6 分 over two; 二、 unscored.
        let tree = vec![
            node(
                1,
                "一",
                None,
                vec![
                    node(
                        2,
                        "（一）",
                        Some(4.0),
                        vec![leaf(10, None), leaf(11, None), leaf(12, None)],
                    ),
                    node(3, "（二）", Some(6.0), vec![leaf(13, None), leaf(14, None)]),
                ],
            ),
            node(4, "二", None, vec![leaf(15, None)]),
        ];
        let p = plan(&tree);
        assert_eq!(p.groups, 2);
        assert_eq!(
            p.uncovered, 1,
            "二、 has no 分值: its indicator is left as it is"
        );
        let sum: Points = p.points.iter().map(|(_, v)| *v).sum();
        assert_eq!(sum, Points::whole(10));
        assert_eq!(points_of(&p, 10).as_deref(), Some("1.4"));
        assert_eq!(points_of(&p, 11).as_deref(), Some("1.3"));
        assert_eq!(points_of(&p, 13).as_deref(), Some("3"));
        assert_eq!(points_of(&p, 15), None);
        assert!(p.notes.is_empty() && p.problems.is_empty(), "{p:?}");
    }

    #[test]
    fn a_deeper_group_and_an_indicators_own_points_come_off_the_heading_above() {
        // 一、 10 分: (一) 4 分 over two, an indicator of 2 分 of its own, one indicator open.
        let tree = vec![node(
            1,
            "一",
            Some(10.0),
            vec![
                node(2, "（一）", Some(4.0), vec![leaf(10, None), leaf(11, None)]),
                leaf(12, Some(2.0)),
                leaf(13, None),
            ],
        )];
        let p = plan(&tree);
        assert_eq!(p.groups, 2);
        assert_eq!(points_of(&p, 10).as_deref(), Some("2"));
        assert_eq!(points_of(&p, 12).as_deref(), Some("2"));
        assert_eq!(points_of(&p, 13).as_deref(), Some("4"), "10 − 4 − 2");
        assert_eq!(p.uncovered, 0);
    }

    #[test]
    fn disagreeing_and_overdrawn_headings_are_named() {
        let disagreeing = node(
            1,
            "一",
            Some(10.0),
            vec![node(2, "（一）", Some(4.0), vec![leaf(10, None)])],
        );
        let p = plan(&[disagreeing]);
        assert_eq!(p.notes.len(), 1, "{p:?}");
        assert!(
            p.notes[0].contains("为 10 分，其下各项分值合计 4 分"),
            "{}",
            p.notes[0]
        );
        assert!(p.problems.is_empty());

        let over = node(
            1,
            "一",
            Some(3.0),
            vec![leaf(10, Some(5.0)), leaf(11, None)],
        );
        let p = plan(&[over]);
        assert_eq!(p.problems.len(), 1, "{p:?}");
        assert!(p.problems[0].contains("超出本项分值"), "{}", p.problems[0]);

        let odd = node(1, "一", Some(0.25), vec![leaf(10, None), leaf(11, None)]);
        let p = plan(&[odd]);
        assert!(
            p.problems[0].contains("无法按最小 0.1 分平均分给其下 2 项指标"),
            "{:?}",
            p.problems
        );
    }
}
