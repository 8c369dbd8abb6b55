// Test data built from assets/systems/demo.json, the same file the Rust side embeds.
// Expected values in tests are computed from the raw JSON (rawDemo), independently of the
// tree helpers under test.
import { flushPromises } from '@vue/test-utils'
import { expect } from 'vitest'
import { nextTick } from 'vue'

import type { AppStatus } from '../gen/AppStatus'
import type { CampaignInfo } from '../gen/CampaignInfo'
import type { ImportIssue } from '../gen/ImportIssue'
import type { IndicatorImportPreview } from '../gen/IndicatorImportPreview'
import type { IndicatorTree } from '../gen/IndicatorTree'
import type { SystemInfo } from '../gen/SystemInfo'
import { demoFile, demoRoots, demoSystemInfo } from '../mock/demoSystem'

export const rawDemo = demoFile

/** Every indicator of the raw file with the names of its two headings. */
export const rawLeaves = rawDemo.levels.flatMap((l1) =>
  l1.children.flatMap((l2) =>
    l2.indicators.map((ind) => ({ ...ind, l1, l2, headings: [l1.code + l1.name, l2.code + l2.name] })),
  ),
)

export function demoSystem(overrides: Partial<SystemInfo> = {}): SystemInfo {
  return demoSystemInfo(overrides)
}

export function importedSystem(overrides: Partial<SystemInfo> = {}): SystemInfo {
  return demoSystemInfo({
    id: 2,
    key: 'official-2021',
    name: '市县法治政府建设示范指标体系',
    version: '2021',
    issuer: '中央全面依法治国委员会办公室',
    isDemo: false,
    embedded: false,
    importedFrom: '指标体系.xlsx',
    importedAt: '2025-11-23T10:00:00+08:00',
    ...overrides,
  })
}

export function treeOf(system: SystemInfo): IndicatorTree {
  return { system, roots: demoRoots() }
}

export function campaign(overrides: Partial<CampaignInfo> = {}): CampaignInfo {
  return {
    id: 1,
    name: '曾都区法治政府建设示范创建',
    district: '曾都区',
    level: '省级',
    systemId: 1,
    systemName: rawDemo.name,
    systemIsDemo: true,
    createdAt: '2025-11-23T09:30:00+08:00',
    active: true,
    ...overrides,
  }
}

export function status(active: CampaignInfo | null): AppStatus {
  return { dataDir: 'C:\\Users\\test\\AppData\\Roaming\\shifan', active, campaigns: active ? [active] : [] }
}

export function preview(overrides: Partial<IndicatorImportPreview> = {}): IndicatorImportPreview {
  return {
    fileName: '指标体系.xlsx',
    source: '工作表“指标体系”',
    name: '市县法治政府建设示范指标体系',
    version: '2021',
    levelNames: ['一级指标', '二级指标', '三级指标'],
    roots: demoRoots(rawDemo, 0),
    leafCount: rawLeaves.length,
    branchCounts: [rawDemo.levels.length, rawDemo.levels.reduce((n, l) => n + l.children.length, 0)],
    issues: [],
    canApply: true,
    existingSystemId: null,
    ...overrides,
  }
}

export function issue(overrides: Partial<ImportIssue> = {}): ImportIssue {
  return {
    severity: 'error',
    message: '指标体系.xlsx，工作表“指标体系”，第 3 行 C 列：指标内容为空。',
    file: '指标体系.xlsx',
    sheet: '指标体系',
    row: 3,
    col: 'C',
    ...overrides,
  }
}

/** Lets promises, Vue updates and Element Plus transitions settle. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await flushPromises()
    await nextTick()
  }
}

/** Whether an element is rendered and neither it nor an ancestor is display:none. */
export function isShown(el: Element | null): boolean {
  if (!el) return false
  for (let e: Element | null = el; e; e = e.parentElement) {
    if ((e as HTMLElement).style?.display === 'none') return false
  }
  return true
}

/** Opens the Element Plus select with data-testid `testid` and clicks the option `label`. */
export async function chooseOption(testid: string, label: string): Promise<void> {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
  await settle()
  const option = [...document.querySelectorAll('.el-select-dropdown__item')].find(
    (o) => o.textContent?.trim() === label,
  ) as HTMLElement
  option.click()
  await settle()
}

/** In an import preview, open the name choice of `written` and click its option `label` in the
 * dropdown it opens (teleported to the body). */
export async function chooseName(written: string, label: string): Promise<void> {
  const select = document.querySelector(`[data-testid="name-choice-${written}"]`) as HTMLElement
  expect(select, `a choice for ${written}`).toBeTruthy()
  select.click()
  await settle()
  const listId = select.querySelector('input')?.getAttribute('aria-controls') ?? ''
  const list = listId ? document.getElementById(listId) : null
  const option = [...(list ?? document).querySelectorAll('.el-select-dropdown__item')].find(
    (o) => o.textContent?.trim() === label,
  ) as HTMLElement | undefined
  expect(option, `option “${label}” for ${written}`).toBeTruthy()
  option?.click()
  await settle()
}
