// Turns assets/systems/demo.json (the embedded 演示 system) into the shapes the backend
// sends. Used by the dev-only mock backend and by tests; never by the production app.
import demoJson from '../../../assets/systems/demo.json'
import type { IndicatorNode } from '../gen/IndicatorNode'
import type { SystemInfo } from '../gen/SystemInfo'

export interface DemoFile {
  name: string
  version: string
  issuer: string
  levels: Array<{
    code: string
    name: string
    children: Array<{ code: string; name: string; indicators: Array<{ no: number; text: string }> }>
  }>
}

export const demoFile: DemoFile = demoJson as DemoFile

export const DEMO_LEVEL_NAMES = ['一级指标', '二级指标', '三级指标']

/** Builds IndicatorNode roots from the demo file; `idBase` offsets database ids (0 = preview). */
export function demoRoots(file: DemoFile = demoFile, idBase = 1): IndicatorNode[] {
  let nextId = idBase
  const id = () => (idBase === 0 ? 0 : nextId++)
  return file.levels.map((l1) => ({
    id: id(),
    uid: `h:${l1.code}`,
    depth: 0,
    code: l1.code,
    title: l1.name,
    isLeaf: false,
    no: null,
    score: null,
    methods: null,
    veto: false,
    children: l1.children.map((l2) => ({
      id: id(),
      uid: `h:${l1.code}/${l2.code}`,
      depth: 1,
      code: l2.code,
      title: l2.name,
      isLeaf: false,
      no: null,
      score: null,
      methods: null,
      veto: false,
      children: l2.indicators.map((ind) => ({
        id: id(),
        uid: `n${ind.no}`,
        depth: 2,
        code: String(ind.no),
        title: ind.text,
        isLeaf: true,
        no: ind.no,
        score: null,
        methods: null,
        veto: false,
        children: [],
      })),
    })),
  }))
}

export function demoSystemInfo(overrides: Partial<SystemInfo> = {}): SystemInfo {
  const leafCount = demoFile.levels.reduce(
    (n, l1) => n + l1.children.reduce((m, l2) => m + l2.indicators.length, 0),
    0,
  )
  const branchCount = demoFile.levels.reduce((n, l1) => n + 1 + l1.children.length, 0)
  return {
    id: 1,
    key: 'demo',
    name: demoFile.name,
    version: demoFile.version,
    issuer: demoFile.issuer,
    isDemo: true,
    embedded: true,
    levelNames: DEMO_LEVEL_NAMES,
    leafCount,
    branchCount,
    importedFrom: null,
    importedAt: '2025-11-23T09:00:00+08:00',
    ...overrides,
  }
}
