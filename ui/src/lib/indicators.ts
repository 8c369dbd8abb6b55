// Pure helpers over indicator trees (any depth). No Vue, no backend.
import type { IndicatorNode } from '../gen/IndicatorNode'

/** Longest part of a leaf's text shown in the tree; the detail pane shows all of it. */
export const LEAF_LABEL_CHARS = 40

export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length > max ? chars.slice(0, max).join('') + '…' : text
}

/** The number shown for a leaf: its official number, else its code. */
export function leafNumber(node: IndicatorNode): string {
  return node.no != null ? String(node.no) : node.code
}

/**
 * Tree label: the core's heading label ("一、政府职能…", the same as the task matrix and the
 * exports) for a heading, "number. first ~40 chars" for an indicator.
 */
export function nodeLabel(node: IndicatorNode): string {
  if (node.isLeaf) return `${leafNumber(node)}. ${truncate(node.title, LEAF_LABEL_CHARS)}`
  return node.label
}

export function walk(roots: IndicatorNode[], visit: (node: IndicatorNode, ancestors: IndicatorNode[]) => void): void {
  const go = (nodes: IndicatorNode[], ancestors: IndicatorNode[]) => {
    for (const n of nodes) {
      visit(n, ancestors)
      if (n.children.length) go(n.children, [...ancestors, n])
    }
  }
  go(roots, [])
}

export function countLeaves(nodes: IndicatorNode[]): number {
  let n = 0
  walk(nodes, (node) => {
    if (node.isLeaf) n++
  })
  return n
}

/** A heading's own 分值 and what its indicators add up to, for the office to check one
 *  against the other (a system gives 一级 weights, or scores per 三级, or both). */
export interface HeadingScore {
  own: number | null
  /** Sum of the scored indicators beneath; null when none has a 分值. */
  beneath: number | null
  /** Indicators beneath without a 分值. */
  unscored: number
  /** Both are known, every indicator is scored, and they differ (with one unscored, the total
   *  cannot be judged: no alarm). */
  differs: boolean
}

export function headingScore(node: IndicatorNode): HeadingScore {
  let sum = 0
  let scored = 0
  let unscored = 0
  walk(node.children, (n) => {
    if (!n.isLeaf) return
    if (n.score == null) unscored++
    else {
      sum += n.score
      scored++
    }
  })
  const own = node.score ?? null
  const beneath = scored ? Math.round(sum * 100) / 100 : null
  return { own, beneath, unscored, differs: own != null && beneath != null && unscored === 0 && own !== beneath }
}

/** Ancestors of every node, keyed by uid (top first). */
export function ancestorMap(roots: IndicatorNode[]): Map<string, IndicatorNode[]> {
  const map = new Map<string, IndicatorNode[]>()
  walk(roots, (node, ancestors) => map.set(node.uid, ancestors))
  return map
}

export interface LevelCount {
  name: string
  count: number
}

/**
 * Counts per level, top first, named by `levelNames` (e.g. 一级指标/二级指标/三级指标).
 * Headings are counted by depth; every indicator counts in the last level, whatever its
 * depth. Without names (or with fewer names than levels) the level is called "第N级".
 */
export function levelCounts(roots: IndicatorNode[], levelNames: string[]): LevelCount[] {
  const branches: number[] = []
  let leaves = 0
  walk(roots, (node) => {
    if (node.isLeaf) leaves++
    else branches[node.depth] = (branches[node.depth] ?? 0) + 1
  })
  const headingLevels = Math.max(branches.length, levelNames.length - 1)
  const out: LevelCount[] = []
  for (let d = 0; d < headingLevels; d++) {
    out.push({ name: levelNames[d] ?? `第${d + 1}级`, count: branches[d] ?? 0 })
  }
  const leafName =
    levelNames.length > headingLevels ? levelNames[levelNames.length - 1] : `第${headingLevels + 1}级`
  out.push({ name: leafName, count: leaves })
  return out
}

/** Same shape from an import preview's per-level heading counts. */
export function levelCountsFromPreview(levelNames: string[], branchCounts: number[], leafCount: number): LevelCount[] {
  const headingLevels = Math.max(branchCounts.length, levelNames.length - 1)
  const out: LevelCount[] = []
  for (let d = 0; d < headingLevels; d++) {
    out.push({ name: levelNames[d] ?? `第${d + 1}级`, count: branchCounts[d] ?? 0 })
  }
  const leafName =
    levelNames.length > headingLevels ? levelNames[levelNames.length - 1] : `第${headingLevels + 1}级`
  out.push({ name: leafName, count: leafCount })
  return out
}

export function formatLevelCounts(counts: LevelCount[]): string {
  return counts.map((c) => `${c.name} ${c.count} 项`).join(' · ')
}

// ---------------------------------------------------------------------------
// Search

export function normalizeQuery(q: string): string {
  return q.trim().toLowerCase()
}

/** Whether the node's own code or title contains the (normalized) query. */
export function nodeMatches(node: IndicatorNode, q: string): boolean {
  if (!q) return true
  return (
    node.title.toLowerCase().includes(q) ||
    node.code.toLowerCase().includes(q) ||
    (node.isLeaf && node.no != null && String(node.no) === q)
  )
}

/**
 * Whether a node stays visible for query `q`: it matches itself, or one of its headings
 * matches (searching "行政复议" shows the whole section). Headings that merely lead to a
 * match stay visible too; the tree component takes care of that.
 */
export function shownByQuery(node: IndicatorNode, ancestors: IndicatorNode[], q: string): boolean {
  return nodeMatches(node, q) || ancestors.some((a) => nodeMatches(a, q))
}

/** Number of indicators (leaves) the search shows. */
export function countShownLeaves(roots: IndicatorNode[], query: string): number {
  const q = normalizeQuery(query)
  let n = 0
  walk(roots, (node, ancestors) => {
    if (node.isLeaf && shownByQuery(node, ancestors, q)) n++
  })
  return n
}

export interface TextPart {
  text: string
  hit: boolean
}

/** Splits `text` into parts, marking case-insensitive occurrences of `query`. */
export function highlightParts(text: string, query: string): TextPart[] {
  const q = normalizeQuery(query)
  if (!q) return [{ text, hit: false }]
  const lower = text.toLowerCase()
  const parts: TextPart[] = []
  let from = 0
  for (;;) {
    const at = lower.indexOf(q, from)
    if (at < 0) break
    if (at > from) parts.push({ text: text.slice(from, at), hit: false })
    parts.push({ text: text.slice(at, at + q.length), hit: true })
    from = at + q.length
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false })
  return parts
}
