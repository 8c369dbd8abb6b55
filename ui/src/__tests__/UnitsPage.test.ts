import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'

import * as api from '../api'
import { state } from '../store'
import { campaign, issue, settle, status } from '../test/fixtures'
import { UNITS, member } from '../test/unitFixtures'
import UnitsPage from '../views/UnitsPage.vue'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

/** Name inputs of the roster drawer (the test id may sit on the input or its wrapper). */
function nameInputs(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="roster-name"]')].map((e) =>
    e instanceof HTMLInputElement ? e : (e.querySelector('input') as HTMLInputElement),
  )
}

async function mountPage() {
  const w = mount(UnitsPage, {
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
    attachTo: document.body,
  })
  await settle()
  return w
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
  vi.mocked(api.rosterCheck).mockResolvedValue([
    { unitId: 3, unitName: '区市场监管局', kind: '行政执法单位', count: 2, required: 3, missing: 1 },
  ])
  vi.mocked(api.roster).mockResolvedValue([
    member(11, 3, '张三', { role: '分管领导', title: '副局长' }),
    member(12, 3, '李四'),
  ])
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('单位与明白人 page', () => {
  it('lists the units with kind, roster size and task counts', async () => {
    const w = await mountPage()
    const text = w.get('[data-testid="units-table"]').text()
    for (const u of UNITS) expect(text).toContain(u.name)
    expect(text).toContain('非行政执法单位')
    expect(text).toContain('2 / 3 人')
    expect(text).toContain('2 项')
  })

  it('lists units whose roster falls short of the rule', async () => {
    const w = await mountPage()
    expect(w.get('[data-testid="roster-shortfalls"]').text()).toContain(
      '区市场监管局（行政执法单位）现有 2 人，应不少于 3 人',
    )
  })

  it('edits a unit roster in the drawer and saves it with set_roster', async () => {
    vi.mocked(api.setRoster).mockImplementation(async (unitId, members) =>
      members.map((m, i) => ({ ...m, id: 20 + i, unitId, unitName: '区市场监管局' })),
    )
    const w = await mountPage()
    await w.get('[data-testid="btn-roster-3"]').trigger('click')
    await settle()
    expect(api.roster).toHaveBeenCalledWith(3)
    await vi.waitFor(() => expect(nameInputs().map((i) => i.value)).toEqual(['张三', '李四']))

    ;(document.querySelector('[data-testid="roster-add"]') as HTMLButtonElement).click()
    await settle()
    const inputs = nameInputs()
    expect(inputs).toHaveLength(3)
    const added = inputs[inputs.length - 1]
    added.value = '王五'
    added.dispatchEvent(new Event('input'))
    await settle()
    ;(document.querySelectorAll('[data-testid="roster-remove"]')[1] as HTMLButtonElement).click()
    await settle()
    ;(document.querySelector('[data-testid="roster-save"]') as HTMLButtonElement).click()
    await settle()
    expect(api.setRoster).toHaveBeenCalledWith(3, [
      { name: '张三', title: '副局长', officePhone: '0722-1234567', mobile: '13800000000', role: '分管领导' },
      { name: '王五', title: '', officePhone: '', mobile: '', role: '明白人' },
    ])
    expect(api.listUnits).toHaveBeenCalledTimes(2) // counts refreshed
  })

  it('previews a 单位名单 import and blocks it when the file has errors', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\单位名单.xlsx')
    vi.mocked(api.importUnitsPreview).mockResolvedValue({
      fileName: '单位名单.xlsx',
      created: ['区大数据中心'],
      updated: [{ name: '区教育局', changes: ['类别：其他 → 非行政执法单位'] }],
      unchanged: 3,
      rosterUnits: 0,
      rosterMembers: 0,
      issues: [issue({ message: '单位名单.xlsx 第 4 行 A 列：单位名称为空。' })],
      canApply: false,
    })
    const w = await mountPage()
    await w.get('[data-testid="btn-import-units"]').trigger('click')
    await settle()
    const preview = document.querySelector('[data-testid="units-import-preview"]')?.textContent ?? ''
    expect(preview).toContain('区大数据中心')
    expect(preview).toContain('类别：其他 → 非行政执法单位')
    expect(preview).toContain('单位名称为空')
    expect((document.querySelector('[data-testid="btn-apply-units-import"]') as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows a load error message as is', async () => {
    vi.mocked(api.listUnits).mockRejectedValue(new api.ApiError('db', '数据库文件已损坏。\n请从备份恢复。'))
    const w = await mountPage()
    expect(w.get('[data-testid="units-load-error"]').text()).toContain('数据库文件已损坏。')
  })
})
