//! How a unit name written by an office resolves to the units of a campaign: exactly (name,
//! 简称 or 别名), as a guess the user confirms, as a catch-all ("区直各部门", "各街道") or not at
//! all; and how a cell naming several units is split.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{KIND_ENFORCEMENT, KIND_OTHER_DEPT, KIND_TOWN, kind_from_name, list};
use crate::error::Result;
use crate::model::Severity;
use crate::sheet::Grid;
use crate::sheet::layout::Issues;
use crate::text::to_half_width;

/// Name as compared: half-width, no white space or quotes.
pub fn norm(s: &str) -> String {
    // One pass (it runs over every description of a 20 000-row list): what
    // `to_half_width`, dropping white space and quotes, then lowercasing would give.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{3000}' | '\u{a0}' => continue,
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        if c.is_ascii() {
            if !c.is_whitespace() && c != '"' && c != '\'' {
                out.push(c.to_ascii_lowercase());
            }
        } else if matches!(c, '“' | '”' | '‘' | '’' | '《' | '》') || c.is_whitespace() {
            continue;
        } else if ('\u{3000}'..='\u{9fff}').contains(&c) {
            // CJK punctuation, kana and ideographs have no case: the lookup below is the
            // slowest part of comparing a long description.
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The core of a name: without the district ("曾都区"), a leading 区/县/市, parenthesised
/// remarks and the suffixes 办事处 / 人民政府.
fn core(s: &str, district: &str) -> String {
    core_of_norm(&norm(s), district)
}

/// [`core`] of a name already through [`norm`].
fn core_of_norm(normed: &str, district: &str) -> String {
    // Parenthesised parts: "区市场监管局(区知识产权局)" → "区市场监管局".
    let mut n = strip_brackets(normed);
    let d = norm(district);
    if !d.is_empty() {
        let stem: String = d
            .chars()
            .take(d.chars().count().saturating_sub(1))
            .collect();
        if let Some(rest) = n.strip_prefix(&d) {
            n = rest.to_string();
        } else if stem.chars().count() >= 2
            && let Some(rest) = n.strip_prefix(&stem)
        {
            n = rest.to_string();
        }
    }
    for p in ["区", "县", "市"] {
        if let Some(rest) = n.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
            break;
        }
    }
    for suf in ["办事处", "人民政府"] {
        if let Some(rest) = n.strip_suffix(suf)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
        }
    }
    n
}

/// Digits and Chinese numerals of a name: "第二中学" and "第三中学" are different units.
fn numerals(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || "零〇一二三四五六七八九十百".contains(*c))
        .collect()
}

/// The compass points of a name: 东城街道 and 西城街道, 南山镇 and 北山镇 are different units.
fn directions(s: &str) -> String {
    s.chars().filter(|c| "东西南北".contains(*c)).collect()
}

/// Words that join the parts of a name and are written either way ("政务服务和数据管理局",
/// "政务服务与数据管理局").
fn without_fillers(s: &str) -> String {
    s.chars()
        .filter(|c| !"和与及暨、·的".contains(*c))
        .collect()
}

/// Whether the characters of `short` appear in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|l| l == c))
}

/// The endings a short form of `name` keeps: its last character, and for the long suffixes the
/// word offices shorten them to ("东城街道办事处" → 街道, "区发展和改革委员会" → 委,
/// "区政府办公室" → 办, "南山镇人民政府" → 镇).
fn endings(normed: &str) -> Vec<String> {
    let n = strip_brackets(normed);
    let mut v: Vec<String> = n
        .chars()
        .last()
        .map(|c| c.to_string())
        .into_iter()
        .collect();
    for (long, short) in [
        ("街道办事处", "街道"),
        ("委员会", "委"),
        ("办公室", "办"),
        ("镇人民政府", "镇"),
        ("乡人民政府", "乡"),
        ("人民政府", "政府"),
    ] {
        if n.ends_with(long) {
            v.push(short.to_string());
        }
    }
    v
}

fn strip_brackets(s: &str) -> String {
    let mut n = s.to_string();
    while let (Some(a), Some(b)) = (n.find('('), n.find(')')) {
        if b > a {
            n.replace_range(a..b + 1, "");
        } else {
            break;
        }
    }
    n
}

/// One name of a unit (its name, 简称 or an alias) as the guesses compare it.
#[derive(Debug, Clone)]
struct Form {
    /// See [`core`].
    core: String,
    /// The core without joining words.
    plain: String,
    /// What a short form must end with.
    endings: Vec<String>,
    /// Characters in `core`.
    len: usize,
}

impl Form {
    fn new(name: &str, district: &str) -> Form {
        let n = norm(name);
        let core = core_of_norm(&n, district);
        Form {
            plain: without_fillers(&core),
            endings: endings(&n),
            len: core.chars().count(),
            core,
        }
    }
}

/// Whether two names agree in what tells units apart: their numbers and compass points.
fn same_distinctive(a: &str, b: &str) -> bool {
    numerals(a) == numerals(b) && directions(a) == directions(b)
}

/// How one written name resolves.
#[derive(Debug, Clone, PartialEq)]
pub enum NameMatch {
    /// The name, short name or an alias, exactly (after width and space folding).
    Exact(i64),
    /// A guess the user must confirm; the text says why.
    Guess(i64, String),
    /// A catch-all such as "区直各部门" or "各街道", expanded to units of some kinds.
    CatchAll(Vec<i64>, String),
    /// A catch-all that cannot be expanded ("相关单位").
    Vague,
    Unknown,
}

#[derive(Debug, Clone)]
struct DirEntry {
    id: i64,
    name: String,
    kind: String,
    /// Every name (name, short name, aliases) as compared, computed once.
    forms: Vec<Form>,
}

/// The units of a campaign as a lookup for written names.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    district: String,
    entries: Vec<DirEntry>,
    /// `norm` of every name → the first unit bearing it (exact matches without a scan).
    exact: HashMap<String, i64>,
    /// How many entries, from the first, are stored units (planned creations follow).
    stored: usize,
}

impl Directory {
    pub fn load(conn: &Connection, campaign_id: i64, district: &str) -> Result<Directory> {
        let mut d = Directory {
            district: district.to_string(),
            ..Directory::default()
        };
        for u in list(conn, campaign_id)? {
            let mut others = Vec::new();
            if !u.short_name.is_empty() {
                others.push(u.short_name.clone());
            }
            others.extend(u.aliases.iter().cloned());
            d.add_planned_names(u.id, &u.name, &others, &u.kind);
        }
        d.stored = d.entries.len();
        Ok(d)
    }

    /// Add a unit not yet stored (a planned creation) under a provisional negative id.
    pub fn add_planned(&mut self, id: i64, name: &str, kind: &str) {
        self.add_planned_names(id, name, &[], kind);
    }

    /// As [`Directory::add_planned`], with a short name and aliases.
    pub fn add_planned_names(&mut self, id: i64, name: &str, others: &[String], kind: &str) {
        let names: Vec<&str> = std::iter::once(name)
            .chain(others.iter().map(String::as_str).filter(|s| !s.is_empty()))
            .collect();
        for x in &names {
            self.exact.entry(norm(x)).or_insert(id);
        }
        self.entries.push(DirEntry {
            id,
            name: name.to_string(),
            kind: kind.to_string(),
            forms: names.iter().map(|x| Form::new(x, &self.district)).collect(),
        });
    }

    pub fn name_of(&self, id: i64) -> String {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    pub fn ids_of_kinds(&self, kinds: &[&str]) -> Vec<i64> {
        self.entries
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .map(|e| e.id)
            .collect()
    }

    /// The unit whose name, short name or alias is exactly `raw` (after width and space
    /// folding), without guessing.
    pub fn exact(&self, raw: &str) -> Option<i64> {
        self.exact.get(&norm(raw)).copied()
    }

    /// Resolve one written name.
    pub fn resolve(&self, raw: &str) -> NameMatch {
        self.resolve_in(raw, false)
    }

    /// [`Self::resolve`] among the stored units only, leaving out the creations an import
    /// plans (a row of a unit list may be a stored unit written by its 简称, never another row
    /// of the same list).
    pub fn resolve_stored(&self, raw: &str) -> NameMatch {
        self.resolve_in(raw, true)
    }

    fn resolve_in(&self, raw: &str, stored_only: bool) -> NameMatch {
        let n = norm(raw);
        if n.is_empty() {
            return NameMatch::Unknown;
        }
        if let Some(id) = self.exact.get(&n)
            && (!stored_only || *id > 0)
        {
            return NameMatch::Exact(*id);
        }
        if let Some(m) = self.catch_all(&n) {
            return m;
        }
        let c = core(raw, &self.district);
        let unique = |ids: Vec<i64>| -> Option<i64> {
            let first = *ids.first()?;
            ids.iter().all(|i| *i == first).then_some(first)
        };
        // Same core: "司法局", "曾都区司法局", "县司法局", "区市场监管局（知识产权局）".
        if let Some(id) = unique(self.matching(stored_only, |f| f.core == c)) {
            return NameMatch::Guess(id, "去掉区县名称、“区/县”前缀或括号内文字后一致".into());
        }
        if c.chars().count() < 2 {
            return NameMatch::Unknown;
        }
        // Joining words written otherwise: "政务服务与数据管理局" for "政务服务和数据管理局".
        let plain = without_fillers(&c);
        if let Some(id) = unique(self.matching(stored_only, |f| f.plain == plain)) {
            return NameMatch::Guess(id, "名称仅“和/与/及”等连接字不同".into());
        }
        // A 简称: the characters of the full name in order, with its ending ("区城管局" for
        // "区城市管理执法局", "区编办" for "区委编办", "东城街道" for "东城街道办事处"), never
        // dropping or changing a number or a compass point.
        let written = strip_brackets(&n);
        let c_len = c.chars().count();
        let abbreviates = |f: &Form| {
            f.len > c_len
                && f.endings.iter().any(|e| written.ends_with(e.as_str()))
                && is_subsequence(&c, &f.core)
                && same_distinctive(&c, &f.core)
        };
        let short_of = self.matching(stored_only, abbreviates);
        if let Some(id) = unique(short_of.clone()) {
            return NameMatch::Guess(
                id,
                format!("简称：字序与“{}”一致、结尾相同", self.name_of(id)),
            );
        }
        if !short_of.is_empty() {
            return NameMatch::Unknown; // Two units fit: "区资源局".
        }
        // One contains the other ("区市场监管局" in "区市场监管局执法大队"), same numbers and
        // compass points.
        if c_len >= 3
            && let Some(id) = unique(self.matching(stored_only, |f| {
                f.len >= 3
                    && (f.core.contains(&c) || c.contains(f.core.as_str()))
                    && same_distinctive(&f.core, &c)
            }))
        {
            return NameMatch::Guess(id, "名称包含关系".into());
        }
        NameMatch::Unknown
    }

    /// Ids of the units with a name form satisfying `pred` (each unit once, in list order).
    fn matching(&self, stored_only: bool, pred: impl Fn(&Form) -> bool) -> Vec<i64> {
        let entries = if stored_only {
            &self.entries[..self.stored.min(self.entries.len())]
        } else {
            &self.entries[..]
        };
        entries
            .iter()
            .filter(|e| e.forms.iter().any(&pred))
            .map(|e| e.id)
            .collect()
    }

    fn catch_all(&self, n: &str) -> Option<NameMatch> {
        let has = |s: &str| n.contains(s);
        let each = has("各") || has("所有") || has("全体");
        if each
            && (has("街道") || has("乡镇") || has("镇街") || has("乡(镇)") || n.ends_with("各镇"))
        {
            // "各街道" means the 街道 only and "各镇"/"各乡镇" the 乡 and 镇 only; "各镇街" and
            // "各乡镇（街道）" both. A district whose 街道 are not named so keeps them all.
            let rest = n.replace("街道", "");
            let towns = rest.contains('镇') || rest.contains('乡');
            let streets = has("街道") || has("镇街");
            let all = self.ids_of_kinds(&[KIND_TOWN]);
            let street = |id: &i64| {
                self.entries
                    .iter()
                    .any(|e| e.id == *id && e.name.contains("街道"))
            };
            let (only, label): (Vec<i64>, &str) = match (towns, streets) {
                (false, true) => (all.iter().copied().filter(street).collect(), "全部街道"),
                (true, false) => (
                    all.iter().copied().filter(|i| !street(i)).collect(),
                    "全部乡镇",
                ),
                _ => (Vec::new(), ""),
            };
            return Some(if only.is_empty() {
                NameMatch::CatchAll(all, "全部乡镇街道".into())
            } else {
                NameMatch::CatchAll(only, label.into())
            });
        }
        if each && has("执法") {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT]),
                "全部行政执法单位".into(),
            ));
        }
        if (each || n.starts_with("区直") || n.starts_with("县直"))
            && (has("部门") || has("单位") || has("机关"))
            && !has("相关")
            && !has("有关")
        {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT, KIND_OTHER_DEPT]),
                "全部区直部门（行政执法单位和非行政执法单位）".into(),
            ));
        }
        if has("相关") || has("有关") || n == "各单位" || n == "其他单位" {
            return Some(NameMatch::Vague);
        }
        None
    }
}

impl Directory {
    /// Split a cell naming several units ([`split_names`]), and a piece holding spaces or
    /// full-width spaces ("区司法局 区财政局", "区司法局　区财政局") at them when every part is a
    /// name `known` accepts; otherwise the piece is one name whose spaces are a typing slip
    /// ("区 财政局").
    ///
    /// The same holds for "及", "和", "与" ("区司法局及区财政局"; "区发展和改革局" stays one name,
    /// its parts are no names), and a trailing "等相关单位" / "等部门" after known names is its
    /// own piece ("区委宣传部等相关单位" → "区委宣传部", "等相关单位"), which names no unit.
    pub fn split_cell(&self, cell: &str, known: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for piece in split_names(cell) {
            let (head, tail) = match piece.rfind('等') {
                Some(i)
                    if i > 0
                        && ["单位", "部门", "机关"]
                            .iter()
                            .any(|w| piece[i..].ends_with(w)) =>
                {
                    (piece[..i].trim().to_string(), Some(piece[i..].to_string()))
                }
                _ => (piece.clone(), None),
            };
            match joined_names(&head, &known) {
                Some(parts) if tail.is_some() || !known(&piece) => {
                    out.extend(parts);
                    out.extend(tail);
                }
                _ => out.push(piece),
            }
        }
        out
    }

    /// Whether `raw` names a unit (exactly, by guess or as a catch-all), for [`Self::split_cell`].
    pub fn knows(&self, raw: &str) -> bool {
        matches!(
            self.resolve(raw),
            NameMatch::Exact(_) | NameMatch::Guess(..) | NameMatch::CatchAll(..)
        )
    }
}

/// The names of `text` when it is one name or several joined by spaces, 及, 和 or 与, each a
/// name `known` accepts; None otherwise.
fn joined_names(text: &str, known: &impl Fn(&str) -> bool) -> Option<Vec<String>> {
    if known(text) {
        return Some(vec![text.to_string()]);
    }
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '及' || c == '和' || c == '与')
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() > 1 && parts.iter().all(|p| known(p)))
        .then(|| parts.into_iter().map(str::to_string).collect())
}

// ---------------------------------------------------------------------------------------------
// The user's choices for names an import did not match exactly.

/// What the user chose, in the preview, for a written unit name that did not match exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NameAction {
    /// The name means the unit `unit`; applying saves it as that unit's 别名, so the next file
    /// matches exactly.
    Map,
    /// The name is a unit of its own: it is created.
    Create,
    /// Neither: the import is refused until the file or the choice changes.
    Refuse,
}

/// One choice: `written` as in the file (compared after width and space folding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NameChoice {
    pub written: String,
    pub action: NameAction,
    /// With `map`: the unit, by its name (or 简称/别名).
    #[serde(default)]
    pub unit: String,
}

/// A unit name that did not match exactly and was guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitGuess {
    pub written: String,
    pub unit_name: String,
    pub reason: String,
    /// Places where it is written ("工作表“Sheet1”第5行 G列").
    pub places: Vec<String>,
}

/// A unit name that matches no unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnknownUnit {
    pub name: String,
    /// Kind it would be created with.
    pub kind: String,
    pub places: Vec<String>,
}

/// A catch-all ("各街道") and what it expands to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CatchAllUse {
    pub written: String,
    pub meaning: String,
    #[ts(type = "number")]
    pub unit_count: i64,
    pub places: Vec<String>,
}

/// The unit names an import met, gathered over its rows for the preview: the guesses, the
/// catch-alls and the names that match no unit (each given a provisional negative id, the same
/// for every spelling that normalises alike), with the places each is written.
#[derive(Debug, Default)]
pub struct NameLedger {
    pub guesses: BTreeMap<String, UnitGuess>,
    pub catch_alls: BTreeMap<String, CatchAllUse>,
    /// By `norm` of the name: the provisional id and the unit as it would be created.
    pub unknown: BTreeMap<String, (i64, UnknownUnit)>,
    /// Provisional ids handed out.
    planned: i64,
}

/// What one written name stands for, after [`NameLedger::take`].
#[derive(Debug, Clone, PartialEq)]
pub enum Taken {
    /// These units: the one named exactly or guessed, none for a vague name (warned).
    Units(Vec<i64>),
    /// A catch-all and what it means, expanded to these units (none: the roster has no unit of
    /// that kind yet, warned).
    CatchAll(Vec<i64>, String),
    /// No unit bears this name: the caller says what that means (see [`NameLedger::unknown`]).
    Unknown,
}

impl NameLedger {
    pub fn new() -> NameLedger {
        NameLedger::default()
    }

    /// Records how `name`, written at row `r`, column `col` of `g`, resolved (`m`), with the
    /// issues every import gives: a guess (an error with `strict`), a catch-all with no unit to
    /// expand to, a vague name.
    #[allow(clippy::too_many_arguments)]
    pub fn take(
        &mut self,
        dir: &Directory,
        m: NameMatch,
        name: &str,
        strict: bool,
        g: &Grid,
        r: usize,
        col: usize,
        issues: &mut Issues,
    ) -> Taken {
        let at = || g.place(r, Some(col));
        match m {
            NameMatch::Exact(id) => Taken::Units(vec![id]),
            NameMatch::Guess(id, why) => {
                let unit_name = dir.name_of(id);
                let e = self
                    .guesses
                    .entry(name.to_string())
                    .or_insert_with(|| UnitGuess {
                        written: name.to_string(),
                        unit_name: unit_name.clone(),
                        reason: why.clone(),
                        places: Vec::new(),
                    });
                e.places.push(at());
                if strict {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        Some(col),
                        &format!("单位“{name}”与名单不完全一致（可能是“{unit_name}”，{why}）；严格模式下不接受推测。"),
                    );
                }
                Taken::Units(vec![id])
            }
            NameMatch::CatchAll(list, meaning) => {
                let e = self
                    .catch_alls
                    .entry(name.to_string())
                    .or_insert_with(|| CatchAllUse {
                        written: name.to_string(),
                        meaning: meaning.clone(),
                        unit_count: list.len() as i64,
                        places: Vec::new(),
                    });
                e.places.push(at());
                if list.is_empty() {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(col),
                        &format!("“{name}”指{meaning}，但单位名单中还没有这类单位，已忽略。"),
                    );
                }
                Taken::CatchAll(list, meaning)
            }
            NameMatch::Vague => {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(col),
                    &format!("“{name}”没有指明具体单位，已忽略；请在应用内补充具体单位。"),
                );
                Taken::Units(Vec::new())
            }
            NameMatch::Unknown => Taken::Unknown,
        }
    }

    /// The provisional id of a name that matches no unit, and the unit it would be created as
    /// (its kind guessed from the name); `place`, when given, is added to where it is written.
    pub fn unknown(&mut self, name: &str, place: Option<String>) -> (i64, &UnknownUnit) {
        let planned = &mut self.planned;
        let (id, e) = self.unknown.entry(norm(name)).or_insert_with(|| {
            *planned += 1;
            (
                -*planned,
                UnknownUnit {
                    name: name.to_string(),
                    kind: kind_from_name(name).to_string(),
                    places: Vec::new(),
                },
            )
        });
        if let Some(p) = place {
            e.places.push(p);
        }
        (*id, e)
    }

    /// What the preview shows of the names met: guesses, unknown names still to be decided
    /// and catch-alls, each in name order.
    pub fn into_names(self) -> LedgerNames {
        LedgerNames {
            guesses: self.guesses.into_values().collect(),
            unknown_units: self
                .unknown
                .into_values()
                .map(|(_, u)| u)
                .filter(|u| !u.places.is_empty())
                .collect(),
            catch_alls: self.catch_alls.into_values().collect(),
        }
    }
}

/// The names a preview lists, out of a [`NameLedger`].
#[derive(Debug)]
pub struct LedgerNames {
    pub guesses: Vec<UnitGuess>,
    /// Only those still written somewhere: a name the user chose to create is listed under
    /// `chosen`, not as unknown.
    pub unknown_units: Vec<UnknownUnit>,
    pub catch_alls: Vec<CatchAllUse>,
}

/// A choice as the preview applied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChosenName {
    pub written: String,
    pub action: NameAction,
    /// With `map`: the unit's full name.
    pub unit_name: String,
    /// Where the name is written ("工作表“Sheet1”第5行 C列").
    pub places: Vec<String>,
}

/// How one written name resolves once the user's choices are taken into account.
#[derive(Debug, Clone, PartialEq)]
pub enum Decided {
    /// No choice for it: what [`Directory::resolve`] says.
    Resolved(NameMatch),
    /// The user mapped it to this unit.
    Mapped(i64),
    /// The user wants it created.
    Create,
    /// The user refused it.
    Refused,
    /// A choice for a name that already matches exactly (or is a catch-all); the text says why
    /// it cannot apply.
    Conflict(String),
}

/// How an import goes on with a name once decided (see [`Decided::next`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Resolve it as this (a choice to create reads as unknown).
    Match(NameMatch),
    /// It is this unit (the user's mapping).
    Unit(i64),
    /// Skip it: refused or a conflicting choice, already an error at its place.
    Stop,
}

impl Decided {
    /// What the import does with the name `name` written at row `r`, column `col` of `g`: the
    /// errors of a refused name and of a choice that cannot apply are the same in every import.
    pub fn next(self, name: &str, g: &Grid, r: usize, col: usize, issues: &mut Issues) -> Next {
        match self {
            Decided::Resolved(m) => Next::Match(m),
            Decided::Mapped(id) => Next::Unit(id),
            Decided::Create => Next::Match(NameMatch::Unknown),
            Decided::Refused => {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(col),
                    &format!("已选择不接受“{name}”：请修改文件中的写法，或在预览中改为对应到某个单位、新建为单位。"),
                );
                Next::Stop
            }
            Decided::Conflict(why) => {
                issues.at(Severity::Error, g, Some(r), Some(col), &why);
                Next::Stop
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Choice {
    written: String,
    action: NameAction,
    unit: Option<i64>,
    places: Vec<String>,
}

/// The user's choices of one import, looked up by written name.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    by_name: HashMap<String, Choice>,
    order: Vec<String>,
}

impl Choices {
    /// Check `list` against `dir`: a mapping must name a unit of the list. Returns the choices
    /// and the problems, each a complete sentence.
    pub fn new(list: &[NameChoice], dir: &Directory) -> (Choices, Vec<String>) {
        let mut c = Choices::default();
        let mut problems = Vec::new();
        for x in list {
            let key = norm(&x.written);
            if key.is_empty() {
                continue;
            }
            let unit = match x.action {
                NameAction::Map => match dir.exact(&x.unit) {
                    Some(id) => Some(id),
                    None => {
                        problems.push(format!(
                            "“{}”要对应的单位“{}”不在单位名单中，请重新选择。",
                            x.written.trim(),
                            x.unit.trim()
                        ));
                        continue;
                    }
                },
                _ => None,
            };
            if !c.by_name.contains_key(&key) {
                c.order.push(key.clone());
            }
            c.by_name.insert(
                key,
                Choice {
                    written: x.written.trim().to_string(),
                    action: x.action,
                    unit,
                    places: Vec::new(),
                },
            );
        }
        (c, problems)
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Whether the user chose something for `raw` that makes it a name (map or create).
    pub fn accepts(&self, raw: &str) -> bool {
        self.by_name
            .get(&norm(raw))
            .is_some_and(|c| c.action != NameAction::Refuse)
    }

    /// Resolve `raw` written at `place` (made only when a choice uses it): the user's choice
    /// when there is one, else `dir`.
    pub fn decide(
        &mut self,
        dir: &Directory,
        raw: &str,
        place: impl FnOnce() -> String,
    ) -> Decided {
        self.decide_match(dir, raw, dir.resolve(raw), place)
    }

    /// [`Self::decide`] for a name the caller resolved already (`m`).
    pub fn decide_match(
        &mut self,
        dir: &Directory,
        raw: &str,
        m: NameMatch,
        place: impl FnOnce() -> String,
    ) -> Decided {
        if self.by_name.is_empty() {
            return Decided::Resolved(m);
        }
        let Some(choice) = self.by_name.get_mut(&norm(raw)) else {
            return Decided::Resolved(m);
        };
        match (&m, choice.action, choice.unit) {
            (NameMatch::Exact(id), NameAction::Map, Some(u)) if *id == u => {
                return Decided::Resolved(m);
            }
            // Written again after this import planned to create it.
            (NameMatch::Exact(id), NameAction::Create, _) if *id < 0 => {
                choice.places.push(place());
                return Decided::Create;
            }
            (NameMatch::Exact(id), ..) => {
                return Decided::Conflict(format!(
                    "“{}”与单位“{}”的名称（或简称、别名）完全一致，不能再另作选择。",
                    raw.trim(),
                    dir.name_of(*id)
                ));
            }
            (NameMatch::CatchAll(_, meaning), ..) => {
                return Decided::Conflict(format!(
                    "“{}”指{meaning}，不能对应到一个单位或新建为单位。",
                    raw.trim()
                ));
            }
            _ => {}
        }
        choice.places.push(place());
        match (choice.action, choice.unit) {
            (NameAction::Map, Some(u)) => Decided::Mapped(u),
            (NameAction::Create, _) => Decided::Create,
            _ => Decided::Refused,
        }
    }

    /// The choices that were used, in the order given, as the preview shows them.
    pub fn used(&self, dir: &Directory) -> Vec<ChosenName> {
        self.order
            .iter()
            .filter_map(|k| self.by_name.get(k))
            .filter(|c| !c.places.is_empty())
            .map(|c| ChosenName {
                written: c.written.clone(),
                action: c.action,
                unit_name: c.unit.map(|u| dir.name_of(u)).unwrap_or_default(),
                places: c.places.clone(),
            })
            .collect()
    }

    /// Written names of choices that matched nothing in the file.
    pub fn unused(&self) -> Vec<String> {
        self.order
            .iter()
            .filter_map(|k| self.by_name.get(k))
            .filter(|c| c.places.is_empty())
            .map(|c| c.written.clone())
            .collect()
    }

    /// (unit id, written name) of every mapping used: saved as 别名 when the import applies.
    pub fn aliases(&self) -> Vec<(i64, String)> {
        self.order
            .iter()
            .filter_map(|k| self.by_name.get(k))
            .filter(|c| c.action == NameAction::Map && !c.places.is_empty())
            .filter_map(|c| c.unit.map(|u| (u, c.written.clone())))
            .collect()
    }
}

/// Split a cell naming several units: 、，,；;/ and line breaks (spaces: see
/// [`Directory::split_cell`]).
pub fn split_names(cell: &str) -> Vec<String> {
    let t = to_half_width(cell);
    // Separators inside parentheses are part of the name: "区市场监管局(知识产权局、质监)".
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for ch in t.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch);
            }
            ')' => {
                depth -= 1;
                cur.push(ch);
            }
            '、' | ',' | '，' | ';' | '；' | '/' | '\n' if depth <= 0 => {
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    // Keep the user's full-width brackets as written.
    out.into_iter()
        .map(|s| s.replace('(', "（").replace(')', "）"))
        .filter(|s| !["无", "-", "—", "/"].contains(&s.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_pass_norm_is_half_width_without_spaces_or_quotes_and_lowercased() {
        let reference = |s: &str| -> String {
            crate::text::to_half_width(s)
                .chars()
                .filter(|c| !c.is_whitespace() && !"\"'“”‘’《》".contains(*c))
                .collect::<String>()
                .to_lowercase()
        };
        for s in [
            "区司法局",
            " 区 司法局\u{3000}",
            "“区法院”",
            "《行政执法公示制度》ＡＢＣ１２３",
            "ΣΑΣ Ärger ÉCOLE",
            "ｶﾀｶﾅ・ひらがな㈱",
            "'quoted' \"text\"\t\n",
        ] {
            assert_eq!(norm(s), reference(s), "{s:?}");
        }
    }

    use super::*;
    use crate::units::KIND_OTHER;

    fn dir() -> Directory {
        let mut d = Directory {
            district: "曾都区".into(),
            ..Directory::default()
        };
        for (i, (n, k)) in [
            ("区司法局", KIND_ENFORCEMENT),
            ("区市场监督管理局", KIND_ENFORCEMENT),
            ("区政务服务和数据管理局", KIND_OTHER_DEPT),
            ("区财政局", KIND_ENFORCEMENT),
            ("南郊街道办事处", KIND_TOWN),
            ("北郊街道办事处", KIND_TOWN),
        ]
        .iter()
        .enumerate()
        {
            d.add_planned(i as i64 + 1, n, k);
        }
        d
    }

    #[test]
    fn names_resolve_exactly_by_guess_or_as_catch_alls() {
        let d = dir();
        assert_eq!(d.resolve("区司法局"), NameMatch::Exact(1));
        assert_eq!(d.resolve("区 司法局"), NameMatch::Exact(1));
        assert!(matches!(d.resolve("司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("曾都区司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("县司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(
            d.resolve("区市场监督管理局（区知识产权局）"),
            NameMatch::Guess(2, _)
        ));
        assert!(matches!(
            d.resolve("区政务服务与数据管理局"),
            NameMatch::Guess(3, _)
        ));
        assert!(matches!(d.resolve("南郊街道"), NameMatch::Guess(5, _)));
        assert_eq!(
            d.resolve("各街道"),
            NameMatch::CatchAll(vec![5, 6], "全部街道".into())
        );
        let mut towns = dir();
        towns.add_planned(7, "府河镇", KIND_TOWN);
        towns.add_planned(8, "何店镇", KIND_TOWN);
        assert_eq!(
            towns.resolve("各街道"),
            NameMatch::CatchAll(vec![5, 6], "全部街道".into())
        );
        for each_town in ["各镇", "各乡镇"] {
            assert_eq!(
                towns.resolve(each_town),
                NameMatch::CatchAll(vec![7, 8], "全部乡镇".into()),
                "{each_town}"
            );
        }
        for both in ["各镇街", "各乡镇（街道）", "各乡镇街道"] {
            assert_eq!(
                towns.resolve(both),
                NameMatch::CatchAll(vec![5, 6, 7, 8], "全部乡镇街道".into()),
                "{both}"
            );
        }
        assert!(
            matches!(d.resolve("区直各部门"), NameMatch::CatchAll(v, _) if v == vec![1, 2, 3, 4])
        );
        assert_eq!(d.resolve("相关单位"), NameMatch::Vague);
        assert_eq!(d.resolve("区气象局"), NameMatch::Unknown);
        let mut d2 = dir();
        d2.add_planned(9, "测试单位1", KIND_OTHER);
        assert_eq!(
            d2.resolve("测试单位2"),
            NameMatch::Unknown,
            "numbers differ"
        );
    }

    #[test]
    fn cells_split_on_every_separator_but_not_inside_brackets() {
        assert_eq!(
            split_names(
                "区司法局、区财政局，区人社局;区税务局/各街道\n区市场监管局（知识产权局、质监）"
            ),
            vec![
                "区司法局",
                "区财政局",
                "区人社局",
                "区税务局",
                "各街道",
                "区市场监管局（知识产权局、质监）"
            ]
        );
    }

    /// The base district of the fidelity corpus: full names only, no 西城街道, 北山镇 or
    /// 区第二中学.
    fn district() -> Directory {
        let mut d = Directory {
            district: "曾都区".into(),
            ..Directory::default()
        };
        for (i, n) in [
            "区司法局",
            "区人民法院",
            "区人民检察院",
            "区自然资源和规划局",
            "区政务服务和大数据管理局",
            "区城市管理执法局",
            "区委编办",
            "区财政局",
            "区人力资源和社会保障局",
            "区市场监督管理局",
            "区住房和城乡建设局",
            "区卫生健康局",
            "区教育局",
            "区信访局",
            "区政府办公室",
            "区第三中学",
            "东城街道办事处",
            "南郊街道办事处",
            "南山镇",
            "府河镇",
            "区发展和改革委员会",
        ]
        .iter()
        .enumerate()
        {
            d.add_planned(i as i64 + 1, n, super::super::kind_from_name(n));
        }
        d
    }

    #[test]
    fn short_names_resolve_to_their_one_full_name_and_near_names_never_do() {
        let d = district();
        // (written, the unit it must be guessed as; None: never a guess)
        let table: &[(&str, Option<&str>)] = &[
            ("区城管局", Some("区城市管理执法局")),
            ("区城管执法局", Some("区城市管理执法局")),
            ("区法院", Some("区人民法院")),
            ("区检察院", Some("区人民检察院")),
            ("区自规局", Some("区自然资源和规划局")),
            ("区政数局", Some("区政务服务和大数据管理局")),
            ("区编办", Some("区委编办")),
            ("区人社局", Some("区人力资源和社会保障局")),
            ("区市监局", Some("区市场监督管理局")),
            ("区卫健局", Some("区卫生健康局")),
            ("区住建局", Some("区住房和城乡建设局")),
            ("东城街道", Some("东城街道办事处")),
            ("南郊街道", Some("南郊街道办事处")),
            ("区政府办", Some("区政府办公室")),
            ("区发改委", Some("区发展和改革委员会")),
            ("曾都区法院", Some("区人民法院")),
            ("区政务服务与大数据管理局", Some("区政务服务和大数据管理局")),
            // Another unit's neighbour is not that unit.
            ("西城街道", None),
            ("西城街道办事处", None),
            ("北山镇", None),
            ("区第二中学", None),
            ("区中学", None),
            ("城街道", None),
            // Two candidates: unknown.
            ("区资源局", None),
            // Not an ending of the full name.
            ("区城管", None),
            ("区退役军人事务局", None),
            ("区气象局", None),
        ];
        let mut wrong = Vec::new();
        for (written, want) in table {
            let got = match d.resolve(written) {
                NameMatch::Guess(id, _) => Some(d.name_of(id)),
                NameMatch::Exact(id) => Some(format!("exact {}", d.name_of(id))),
                _ => None,
            };
            if got.as_deref() != *want {
                wrong.push(format!("{written}: {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn spaces_split_a_cell_only_when_every_part_is_a_unit() {
        let d = district();
        let split = |s: &str| d.split_cell(s, |p| d.knows(p));
        assert_eq!(split("区司法局 区财政局"), ["区司法局", "区财政局"]);
        assert_eq!(split("区司法局\u{3000}区财政局"), ["区司法局", "区财政局"]);
        assert_eq!(
            split("区司法局  区财政局\u{3000}区教育局"),
            ["区司法局", "区财政局", "区教育局"]
        );
        assert_eq!(
            split("区司法局、区财政局 区教育局"),
            ["区司法局", "区财政局", "区教育局"]
        );
        assert_eq!(split("区 财政局"), ["区 财政局"]);
        assert_eq!(d.resolve("区 财政局"), NameMatch::Exact(8));
        assert_eq!(split("区司法局 区气象局"), ["区司法局 区气象局"]);
    }

    #[test]
    fn ji_he_yu_and_a_trailing_deng_split_only_around_units() {
        let d = district();
        let split = |s: &str| d.split_cell(s, |p| d.knows(p));
        assert_eq!(split("区司法局及区财政局"), ["区司法局", "区财政局"]);
        assert_eq!(split("区司法局和区财政局"), ["区司法局", "区财政局"]);
        assert_eq!(
            split("区司法局与区财政局、区教育局"),
            ["区司法局", "区财政局", "区教育局"]
        );
        // 和 inside a name: its halves are no units.
        assert_eq!(split("区人力资源和社会保障局"), ["区人力资源和社会保障局"]);
        assert_eq!(split("区司法局及区气象局"), ["区司法局及区气象局"]);
        assert_eq!(split("区司法局等相关单位"), ["区司法局", "等相关单位"]);
        assert_eq!(
            split("区司法局、区财政局等部门"),
            ["区司法局", "区财政局", "等部门"]
        );
        assert_eq!(d.resolve("等相关单位"), NameMatch::Vague);
        assert_eq!(split("某某等单位"), ["某某等单位"]);
    }

    #[test]
    fn choices_map_create_or_refuse_names_that_did_not_match_exactly() {
        let d = district();
        let (mut c, problems) = Choices::new(
            &[
                NameChoice {
                    written: "区资源局".into(),
                    action: NameAction::Map,
                    unit: "区自然资源和规划局".into(),
                },
                NameChoice {
                    written: "西城街道".into(),
                    action: NameAction::Create,
                    unit: String::new(),
                },
                NameChoice {
                    written: "区法院".into(),
                    action: NameAction::Refuse,
                    unit: String::new(),
                },
                NameChoice {
                    written: "区司法局".into(),
                    action: NameAction::Map,
                    unit: "区财政局".into(),
                },
                NameChoice {
                    written: "区气象局".into(),
                    action: NameAction::Map,
                    unit: "区气象台".into(),
                },
            ],
            &d,
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("区气象台"));
        assert_eq!(c.decide(&d, "区资源局", || "A".into()), Decided::Mapped(4));
        assert_eq!(c.decide(&d, "西城街道", || "B".into()), Decided::Create);
        assert_eq!(c.decide(&d, "区法院", || "C".into()), Decided::Refused);
        assert!(matches!(
            c.decide(&d, "区司法局", || "D".into()),
            Decided::Conflict(_)
        ));
        assert!(matches!(
            c.decide(&d, "区教育局", || "E".into()),
            Decided::Resolved(NameMatch::Exact(13))
        ));
        assert_eq!(c.aliases(), vec![(4, "区资源局".to_string())]);
        assert_eq!(c.used(&d).len(), 3);
    }

    #[test]
    fn the_ledger_gathers_guesses_catch_alls_and_unknown_names_over_rows() {
        let d = dir();
        let g = Grid {
            name: "Sheet1".into(),
            rows: vec![vec![crate::sheet::Cell::default(); 3]; 6],
            ..Grid::default()
        };
        let mut issues = Issues::new("清单.xlsx");
        let mut l = NameLedger::new();
        // Exact: no record, no issue.
        assert_eq!(
            l.take(
                &d,
                d.resolve("区司法局"),
                "区司法局",
                false,
                &g,
                2,
                1,
                &mut issues
            ),
            Taken::Units(vec![1])
        );
        // A guess, twice: one entry, both places; an error only in strict mode.
        let m = d.resolve("司法局");
        let NameMatch::Guess(id, _) = m.clone() else {
            panic!("{m:?}")
        };
        assert_eq!(
            l.take(&d, m.clone(), "司法局", false, &g, 3, 1, &mut issues),
            Taken::Units(vec![id])
        );
        assert!(issues.list.is_empty());
        l.take(&d, m, "司法局", true, &g, 4, 1, &mut issues);
        assert_eq!(
            l.guesses["司法局"].places,
            vec![g.place(3, Some(1)), g.place(4, Some(1))]
        );
        assert_eq!(issues.list.len(), 1);
        assert_eq!(issues.list[0].severity, Severity::Error);
        // Vague: a warning, no unit.
        assert_eq!(
            l.take(
                &d,
                NameMatch::Vague,
                "相关单位",
                false,
                &g,
                5,
                2,
                &mut issues
            ),
            Taken::Units(vec![])
        );
        assert_eq!(issues.list[1].severity, Severity::Warning);
        // A catch-all with nothing to expand to is warned; one with units is not.
        let t = l.take(
            &d,
            NameMatch::CatchAll(vec![], "乡镇".into()),
            "各乡镇",
            false,
            &g,
            5,
            1,
            &mut issues,
        );
        assert_eq!(t, Taken::CatchAll(vec![], "乡镇".into()));
        assert_eq!(issues.list.len(), 3);
        l.take(
            &d,
            NameMatch::CatchAll(vec![5, 6], "街道".into()),
            "各街道",
            false,
            &g,
            5,
            1,
            &mut issues,
        );
        assert_eq!(issues.list.len(), 3);
        assert_eq!(l.catch_alls["各街道"].unit_count, 2);
        // Unknown names: one provisional id per name as compared, places only when given.
        assert_eq!(
            l.take(
                &d,
                NameMatch::Unknown,
                "区新局",
                false,
                &g,
                1,
                1,
                &mut issues
            ),
            Taken::Unknown
        );
        let (a, _) = l.unknown("区新局", Some("第2行".into()));
        let (b, _) = l.unknown("区 新局", None);
        let (c, u) = l.unknown("区另局", None);
        assert_eq!((a, b, c), (-1, -1, -2));
        assert!(u.places.is_empty());
        assert_eq!(l.unknown["区新局"].1.places, vec!["第2行".to_string()]);
    }
}
