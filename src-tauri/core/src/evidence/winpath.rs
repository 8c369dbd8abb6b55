//! File and folder names that are safe on Windows, for the archive export (案卷导出): what a
//! unit called a file can hold characters Windows refuses (`:` in "会议纪要：第3次"), be a
//! reserved device name (`CON.pdf`), end in a dot, or make the full path longer than the 260
//! UTF-16 units (MAX_PATH) that Explorer, Office and WPS still trip over.
//!
//! - [`safe_name`] / [`safe_name_within`]: one component made legal (forbidden characters
//!   replaced by their full-width forms, control characters by `_`, trailing dots and spaces
//!   stripped, reserved names suffixed with `_`), capped in UTF-16 units with its extension kept.
//! - [`fit_paths`]: a whole set of relative paths made legal, shortened so that `base` plus
//!   each path stays within [`PATH_BUDGET`] units, and unique within every folder (Windows
//!   compares names case-insensitively), later duplicates getting "（2）", "（3）"… before the
//!   extension. Deterministic: the same input in the same order gives the same output.

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Longest full path an export writes, in UTF-16 units: MAX_PATH (260) minus a margin for the
/// drive letter quirks, Office's own temp files beside the document (`~$` + name) and a user
/// later moving the folder one level deeper.
pub const PATH_BUDGET: usize = 240;

/// Longest single component NTFS allows, in UTF-16 units.
pub const NAME_MAX: usize = 255;

/// A file name is not shortened below this many units (extension included) while folders
/// above it can still give up room.
const MIN_FILE: usize = 16;

/// Likewise for a folder name.
const MIN_DIR: usize = 8;

/// What an empty or all-dots name becomes.
const UNNAMED: &str = "未命名";

/// Length of `s` as Windows counts it (UTF-16 code units).
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `name` made legal as one Windows file or folder name, at most [`NAME_MAX`] units.
pub fn safe_name(name: &str) -> String {
    safe_name_within(name, NAME_MAX)
}

/// `name` made legal as one Windows file or folder name, at most `max_units` UTF-16 units
/// (at least 1), keeping its extension when shortened.
pub fn safe_name_within(name: &str, max_units: usize) -> String {
    let max_units = max_units.clamp(1, NAME_MAX);
    let mut s: String = name.chars().map(replace_char).collect();
    trim_trailing(&mut s);
    if s.is_empty() {
        s = UNNAMED.to_string();
    }
    if is_reserved(&s) {
        s = unreserve(&s);
    }
    let mut s = truncate_keeping_extension(&s, max_units);
    trim_trailing(&mut s);
    if s.is_empty() {
        s = truncate_units(UNNAMED, max_units);
    }
    if is_reserved(&s) {
        // Only reachable with a tiny cap ("CONSOLE" cut to 3 units).
        let (stem, ext) = split_extension(&s);
        let stem = truncate_units(stem, max_units.saturating_sub(utf16_len(ext) + 1).max(1));
        s = format!("{stem}_{ext}");
        if utf16_len(&s) > max_units {
            s = truncate_units("_", max_units);
        }
    }
    s
}

/// Whether Windows reserves `name` for a device: CON, PRN, AUX, NUL, COM0–9, LPT0–9 (also with
/// the superscript digits ¹²³), CONIN$, CONOUT$ — with any extension ("nul.txt",
/// "com1.tar.gz"), ignoring case and spaces before the dot.
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut chars = upper.chars();
            let head: String = chars.by_ref().take(3).collect();
            let rest: Vec<char> = chars.collect();
            (head == "COM" || head == "LPT")
                && rest.len() == 1
                && matches!(rest[0], '0'..='9' | '¹' | '²' | '³')
        }
    }
}

/// The relative part's budget for paths under `base`: [`PATH_BUDGET`] minus `base` and one
/// separator (0 when `base` alone is already too long).
pub fn rel_budget(base: &Path) -> usize {
    PATH_BUDGET.saturating_sub(utf16_len(&base.to_string_lossy()) + 1)
}

/// Every path of `rels` (`/`- or `\`-separated, relative) made safe to create under `base` on
/// Windows: each component through [`safe_name`], the set unique within each folder
/// (case-insensitively; the first keeps its name, later ones get "（2）"…), and each shortened
/// so that `base` + `\` + path stays within [`PATH_BUDGET`] UTF-16 units. Results are
/// `/`-joined, in the order of `rels`.
///
/// Shortening keeps upper folders long as long as possible: a folder gives up room only so far
/// that the deepest path below it still fits with minimal names (8 units a folder, 16 a file);
/// file names are cut last, never losing their extension. A folder that would leave no room
/// for a file name of 16 units is not created: the files below it are placed in the deepest
/// folder above it that fits (uniquely named there).
pub fn fit_paths(base: &Path, rels: &[&str]) -> Vec<String> {
    fit_paths_within(rel_budget(base), rels)
}

/// [`fit_paths`] with the budget for the relative part given directly.
pub fn fit_paths_within(budget: usize, rels: &[&str]) -> Vec<String> {
    let tree = Tree::build(rels);
    let need = tree.need_below();
    let mut out = vec![String::new(); rels.len()];
    // (folder node, its path so far, units left for what goes below it)
    let mut work: Vec<(usize, String, usize)> = vec![(0, String::new(), budget.max(1))];
    while let Some((dir, prefix, avail)) = work.pop() {
        let mut taken: HashSet<String> = HashSet::new();
        for child in tree.placed_children(dir, avail) {
            let node = &tree.nodes[child];
            let cap = if node.dir {
                // As long as the deepest path below still fits; never below the minimum.
                avail
                    .saturating_sub(need[child])
                    .max(tree.min_len(child))
                    .min(NAME_MAX)
            } else {
                avail.min(NAME_MAX)
            };
            let name = unique_name(&node.name, cap, &mut taken);
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if node.dir {
                let left = avail.saturating_sub(utf16_len(&name) + 1);
                work.push((child, path, left));
            } else {
                out[node.input] = path;
            }
        }
    }
    out
}

/// The folder tree of a set of relative paths; folders merged by their safe name (Windows
/// would merge them too), files always separate.
struct Tree {
    nodes: Vec<Node>,
}

struct Node {
    /// Safe, not yet shortened name.
    name: String,
    dir: bool,
    /// Index into the input, for files.
    input: usize,
    children: Vec<usize>,
}

impl Tree {
    fn build(rels: &[&str]) -> Tree {
        let mut nodes = vec![Node {
            name: String::new(),
            dir: true,
            input: 0,
            children: Vec::new(),
        }];
        let mut dirs: HashMap<(usize, String), usize> = HashMap::new();
        for (i, rel) in rels.iter().enumerate() {
            let parts: Vec<&str> = rel
                .split(['/', '\\'])
                .filter(|p| !p.is_empty() && *p != ".")
                .collect();
            let (file, folders) = match parts.split_last() {
                Some((f, d)) => (*f, d),
                None => (UNNAMED, &[][..]),
            };
            let mut at = 0;
            for folder in folders {
                let name = safe_name(folder);
                let key = (at, fold_case(&name));
                at = match dirs.get(&key) {
                    Some(&n) => n,
                    None => {
                        let n = nodes.len();
                        nodes.push(Node {
                            name,
                            dir: true,
                            input: 0,
                            children: Vec::new(),
                        });
                        nodes[at].children.push(n);
                        dirs.insert(key, n);
                        n
                    }
                };
            }
            let n = nodes.len();
            nodes.push(Node {
                name: safe_name(file),
                dir: false,
                input: i,
                children: Vec::new(),
            });
            nodes[at].children.push(n);
        }
        Tree { nodes }
    }

    /// For each folder, the fewest units its contents need below its own name (with every
    /// name at its minimum), so that upper folders leave enough room. Children come after
    /// their parent in `nodes`, so one backward pass suffices (no recursion: a hostile zip can
    /// nest thousands of folders).
    fn need_below(&self) -> Vec<usize> {
        let mut need = vec![0usize; self.nodes.len()];
        for i in (0..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            if n.dir {
                need[i] = n
                    .children
                    .iter()
                    .map(|&c| 1 + self.min_len(c) + need[c])
                    .max()
                    .unwrap_or(0);
            }
        }
        need
    }

    fn min_len(&self, i: usize) -> usize {
        let n = &self.nodes[i];
        utf16_len(&n.name).min(if n.dir { MIN_DIR } else { MIN_FILE })
    }

    /// What goes into folder `dir` when `avail` units are left below it: its files, its
    /// folders that leave room for a file name below them, and in place of each folder that
    /// does not, all the files below that folder (in order).
    fn placed_children(&self, dir: usize, avail: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for &c in &self.nodes[dir].children {
            let n = &self.nodes[c];
            if !n.dir || avail >= self.min_len(c) + 1 + MIN_FILE {
                out.push(c);
                continue;
            }
            let mut stack = vec![c];
            let mut files = Vec::new();
            while let Some(d) = stack.pop() {
                for &g in self.nodes[d].children.iter().rev() {
                    if self.nodes[g].dir {
                        stack.push(g);
                    } else {
                        files.push(g);
                    }
                }
            }
            // The stack walk visits siblings in reverse; put the files back in input order.
            files.sort_by_key(|&f| self.nodes[f].input);
            out.extend(files);
        }
        out
    }
}

/// `name` shortened to `cap` units and made unique among `taken` (case-insensitively) with a
/// "（n）" suffix before the extension; the result is added to `taken`.
fn unique_name(name: &str, cap: usize, taken: &mut HashSet<String>) -> String {
    let cap = cap.clamp(1, NAME_MAX);
    let first = safe_name_within(name, cap);
    if taken.insert(fold_case(&first)) {
        return first;
    }
    let (stem, ext) = split_extension(&first);
    let (stem, ext) = (stem.to_string(), ext.to_string());
    for n in 2u64.. {
        let suffix = format!("（{n}）");
        let room = cap.saturating_sub(utf16_len(&suffix) + utf16_len(&ext));
        let candidate = if room == 0 {
            // No room for the original name at all: the number alone.
            safe_name_within(&format!("{n}{ext}"), cap)
        } else {
            let mut short = truncate_units(&stem, room);
            trim_trailing(&mut short);
            safe_name_within(&format!("{short}{suffix}{ext}"), cap)
        };
        if taken.insert(fold_case(&candidate)) {
            return candidate;
        }
    }
    // `2u64..` does not end before every name of a folder is taken.
    first
}

/// The key under which Windows considers two names equal (close enough: NTFS upcases with its
/// own table).
fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

fn replace_char(c: char) -> char {
    match c {
        ':' => '：',
        '*' => '＊',
        '?' => '？',
        '"' => '＂',
        '<' => '＜',
        '>' => '＞',
        '|' => '｜',
        '/' => '／',
        '\\' => '＼',
        c if c.is_control() => '_',
        c => c,
    }
}

fn trim_trailing(s: &mut String) {
    let keep = s.trim_end_matches(['.', ' ']).len();
    s.truncate(keep);
}

/// "CON.txt" → "CON_.txt".
fn unreserve(s: &str) -> String {
    match s.find('.') {
        Some(i) => format!("{}_{}", &s[..i], &s[i..]),
        None => format!("{s}_"),
    }
}

/// (stem, extension with its dot). An extension is 1–10 ASCII letters or digits after the last
/// dot, so "关于《办法.修订》的说明" has none and "扫描件.PDF" has ".PDF".
fn split_extension(s: &str) -> (&str, &str) {
    match s.rfind('.') {
        Some(i)
            if i > 0
                && (2..=11).contains(&(s.len() - i))
                && s[i + 1..].bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (&s[..i], &s[i..])
        }
        _ => (s, ""),
    }
}

/// `s` cut to at most `max` UTF-16 units, at a character boundary (never half a surrogate
/// pair).
fn truncate_units(s: &str, max: usize) -> String {
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        end = i + c.len_utf8();
    }
    s[..end].to_string()
}

fn truncate_keeping_extension(s: &str, max: usize) -> String {
    if utf16_len(s) <= max {
        return s.to_string();
    }
    let (stem, ext) = split_extension(s);
    let ext_len = utf16_len(ext);
    if !ext.is_empty() && ext_len < max {
        let mut short = truncate_units(stem, max - ext_len);
        trim_trailing(&mut short);
        if !short.is_empty() {
            return format!("{short}{ext}");
        }
    }
    truncate_units(s, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_full_width_and_control_characters_underscores() {
        assert_eq!(safe_name("会议纪要：第3次?.docx"), "会议纪要：第3次？.docx");
        assert_eq!(safe_name(r#"a*b"c<d>e|f/g\h"#), "a＊b＂c＜d＞e｜f／g＼h");
        assert_eq!(safe_name("tab\there\u{1}.pdf"), "tab_here_.pdf");
        assert_eq!(safe_name("del\u{7f}"), "del_");
    }

    #[test]
    fn trailing_dots_and_spaces_are_stripped_and_empty_names_named() {
        assert_eq!(safe_name("报告. . "), "报告");
        assert_eq!(safe_name("..."), UNNAMED);
        assert_eq!(safe_name(""), UNNAMED);
        assert_eq!(safe_name(".."), UNNAMED);
        assert_eq!(safe_name("  前面的空格保留"), "  前面的空格保留");
    }

    #[test]
    fn reserved_device_names_are_avoided_with_any_extension_and_case() {
        for n in [
            "CON",
            "con",
            "Nul.txt",
            "aux.tar.gz",
            "COM1.pdf",
            "lpt9",
            "com0",
            "CON .txt",
        ] {
            assert!(is_reserved(n), "{n}");
            let safe = safe_name(n);
            assert!(!is_reserved(&safe), "{n} → {safe}");
        }
        assert_eq!(safe_name("CON.txt"), "CON_.txt");
        assert_eq!(safe_name("prn"), "prn_");
        assert!(is_reserved("COM¹.txt"));
        for n in [
            "CONSOLE.txt",
            "COM10",
            "LPT",
            "nul说明.docx",
            "com1x.pdf",
            "会议CON",
        ] {
            assert!(!is_reserved(n), "{n}");
            assert_eq!(safe_name(n), n);
        }
        // Cut down to a reserved name by a tiny cap: still avoided.
        let s = safe_name_within("CONSOLE", 3);
        assert!(!is_reserved(&s) && utf16_len(&s) <= 3, "{s}");
    }

    #[test]
    fn long_names_are_cut_in_utf16_units_keeping_the_extension() {
        let long = format!("{}.pdf", "关于印发法治政府建设实施方案的通知".repeat(20));
        let s = safe_name(&long);
        assert_eq!(utf16_len(&s), NAME_MAX);
        assert!(s.ends_with(".pdf") && s.starts_with("关于印发"), "{s}");
        let s = safe_name_within(&long, 20);
        assert_eq!(s, "关于印发法治政府建设实施方案的通.pdf");
        // An emoji is two UTF-16 units and is never split.
        let s = safe_name_within("😀😀😀😀.jpg", 9);
        assert_eq!(s, "😀😀.jpg");
        assert_eq!(utf16_len(&s), 8);
        // No real extension: cut as a whole.
        assert_eq!(safe_name_within("关于《办法.修订》的说明", 6), "关于《办法");
        assert_eq!(
            split_extension("关于《办法.修订》的说明"),
            ("关于《办法.修订》的说明", "")
        );
        assert_eq!(split_extension("扫描件.PDF"), ("扫描件", ".PDF"));
        assert_eq!(split_extension(".gitignore"), (".gitignore", ""));
    }

    #[test]
    fn truncation_that_ends_in_a_dot_or_space_is_trimmed() {
        // Cut right after "a. " → trailing ". " removed.
        assert_eq!(safe_name_within("a. bcdef", 3), "a");
        assert_eq!(safe_name_within("ab  cdef.pdf", 7), "ab.pdf");
    }

    #[test]
    fn duplicate_names_in_a_folder_get_numbered_case_insensitively() {
        let out = fit_paths_within(
            200,
            &[
                "材料/通知.pdf",
                "材料/通知.PDF",
                "材料/通知.pdf",
                "其他/通知.pdf",
                "材料/a:b",
            ],
        );
        assert_eq!(
            out,
            vec![
                "材料/通知.pdf",
                "材料/通知（2）.PDF",
                "材料/通知（3）.pdf",
                "其他/通知.pdf",
                "材料/a：b"
            ]
        );
        // Folders differing in case are one folder, as on Windows.
        let out = fit_paths_within(200, &["Docs/a.pdf", "docs/b.pdf"]);
        assert_eq!(out, vec!["Docs/a.pdf", "Docs/b.pdf"]);
        // A file and a folder of the same name.
        let out = fit_paths_within(200, &["报告", "报告/附件.pdf"]);
        assert_eq!(out, vec!["报告", "报告（2）/附件.pdf"]);
    }

    #[test]
    fn paths_are_shortened_to_the_budget_with_folders_consistent() {
        let dir = "2024年度法治政府建设示范创建佐证材料汇编（区司法局报送）".repeat(3);
        let rels: Vec<String> = (0..5)
            .map(|i| {
                format!(
                    "{dir}/{dir}/第{i}件 {}.pdf",
                    "关于印发实施方案的通知".repeat(5)
                )
            })
            .collect();
        let refs: Vec<&str> = rels.iter().map(String::as_str).collect();
        let base = Path::new(r"D:\示范创建\案卷导出\第一卷");
        let out = fit_paths(base, &refs);
        let budget = rel_budget(base);
        let folders: HashSet<&str> = out.iter().map(|p| p.rsplit_once('/').unwrap().0).collect();
        assert_eq!(folders.len(), 1, "all files stay in one folder: {out:?}");
        for p in &out {
            assert!(utf16_len(p) <= budget, "{} > {budget}: {p}", utf16_len(p));
            assert!(p.ends_with(".pdf"), "{p}");
            assert_eq!(p.split('/').count(), 3, "{p}");
        }
        let names: HashSet<String> = out.iter().map(|p| p.to_lowercase()).collect();
        assert_eq!(names.len(), 5, "unique: {out:?}");
        assert_eq!(out, fit_paths(base, &refs), "deterministic");
    }

    #[test]
    fn a_tree_too_deep_to_fit_is_flattened_into_the_deepest_folder_that_fits() {
        let deep = vec!["层级目录"; 60].join("/");
        let rels = [
            format!("{deep}/a.pdf"),
            format!("{deep}/b.pdf"),
            "c.pdf".to_string(),
        ];
        let refs: Vec<&str> = rels.iter().map(String::as_str).collect();
        let out = fit_paths_within(100, &refs);
        for p in &out {
            assert!(utf16_len(p) <= 100, "{p}");
        }
        assert!(
            out[0].ends_with("/a.pdf") && out[1].ends_with("/b.pdf"),
            "{out:?}"
        );
        assert_eq!(out[2], "c.pdf");
        // A hostile depth does not overflow the stack.
        let hostile = format!("{}/x.txt", vec!["d"; 20_000].join("/"));
        let out = fit_paths_within(PATH_BUDGET, &[&hostile]);
        assert!(utf16_len(&out[0]) <= PATH_BUDGET && out[0].ends_with("x.txt"));
    }

    #[test]
    fn many_collisions_after_shortening_stay_unique_and_within_the_cap() {
        let rels: Vec<String> = (0..30)
            .map(|i| format!("{}{i}.docx", "很长的文件名".repeat(10)))
            .collect();
        let refs: Vec<&str> = rels.iter().map(String::as_str).collect();
        let out = fit_paths_within(20, &refs);
        let unique: HashSet<String> = out.iter().map(|p| p.to_lowercase()).collect();
        assert_eq!(unique.len(), 30, "{out:?}");
        for p in &out {
            assert!(utf16_len(p) <= 20 && p.ends_with(".docx"), "{p}");
        }
        assert_eq!(out[0], "很长的文件名很长的文件名很长的.docx");
        assert_eq!(out[1], "很长的文件名很长的文件名（2）.docx");
    }

    #[test]
    fn dot_components_and_separators_are_handled() {
        let out = fit_paths_within(
            200,
            &["./a/./b.pdf", "a\\c.pdf", "a//d.pdf", "../e.pdf", ""],
        );
        assert_eq!(
            out,
            vec![
                "a/b.pdf",
                "a/c.pdf",
                "a/d.pdf",
                "未命名/e.pdf",
                "未命名（2）"
            ]
        );
    }
}
