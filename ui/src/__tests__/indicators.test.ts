import { describe, expect, it } from 'vitest'

import type { IndicatorNode } from '../gen/IndicatorNode'
import {
  countShownLeaves,
  formatLevelCounts,
  highlightParts,
  levelCounts,
  levelCountsFromPreview,
  nodeLabel,
} from '../lib/indicators'

function heading(code: string, title: string, depth: number, children: IndicatorNode[]): IndicatorNode {
  const label = `${code}、${title}`
  return { id: 0, uid: `h:${code}`, depth, code, title, label, isLeaf: false, no: null, score: null, methods: null, veto: false, children }
}
function leaf(no: number, title: string, depth: number): IndicatorNode {
  const label = `${no}.${title}`
  return { id: 0, uid: `n${no}`, depth, code: String(no), title, label, isLeaf: true, no, score: null, methods: null, veto: false, children: [] }
}

// Four levels, and one indicator hanging directly under a second-level heading.
const fourLevels = [
  heading('一', '依法行政', 0, [
    heading('（一）', '行政复议', 1, [
      heading('1', '复议体制', 2, [leaf(1, '复议职责统一行使', 3), leaf(2, '案件按期审结', 3)]),
      leaf(3, '复议决定公开', 2),
    ]),
  ]),
]

describe('indicator tree helpers', () => {
  it('counts any number of levels, named by the system', () => {
    expect(formatLevelCounts(levelCounts(fourLevels, ['领域', '方面', '要点', '指标']))).toBe(
      '领域 1 项 · 方面 1 项 · 要点 1 项 · 指标 3 项',
    )
    // Missing names are numbered rather than invented.
    expect(formatLevelCounts(levelCounts(fourLevels, []))).toBe('第1级 1 项 · 第2级 1 项 · 第3级 1 项 · 第4级 3 项')
    expect(formatLevelCounts(levelCountsFromPreview(['一级指标', '二级指标'], [5], 40))).toBe('一级指标 5 项 · 二级指标 40 项')
  })

  it('labels headings as the core does and leaves with number and a shortened text', () => {
    const h = heading('1', '加大简政放权力度', 1, [])
    h.label = '1.加大简政放权力度' // what the core sends (indicators::heading_label)
    expect(nodeLabel(h)).toBe('1.加大简政放权力度')
    const long = leaf(7, '甲'.repeat(60), 2)
    expect(nodeLabel(long)).toBe(`7. ${'甲'.repeat(40)}…`)
    expect(nodeLabel(leaf(8, '短文本', 2))).toBe('8. 短文本')
  })

  it('shows every indicator under a matching heading', () => {
    expect(countShownLeaves(fourLevels, '复议')).toBe(3)
    expect(countShownLeaves(fourLevels, '按期')).toBe(1)
    expect(countShownLeaves(fourLevels, '')).toBe(3)
  })

  it('marks each occurrence of the query', () => {
    expect(highlightParts('行政复议与复议决定', '复议')).toEqual([
      { text: '行政', hit: false },
      { text: '复议', hit: true },
      { text: '与', hit: false },
      { text: '复议', hit: true },
      { text: '决定', hit: false },
    ])
  })
})
