import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import { state } from '../store'
import { campaign, chooseOption, issue, settle, status } from '../test/fixtures'
import { UNITS, member, unit } from '../test/unitFixtures'
import { withUi } from '../test/ui'
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

/** The <input> (or <textarea>) of a form field by its data-testid. */
function field(testid: string): HTMLInputElement {
  const el = document.querySelector(`[data-testid="${testid}"]`) as HTMLElement
  return (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : el.querySelector('input, textarea')) as HTMLInputElement
}

async function type(testid: string, value: string) {
  const input = field(testid)
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
  await settle()
}

const chooseKind = (label: string) => chooseOption('unit-kind', label)

function click(testid: string) {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
}

function formErrors(): string[] {
  return [...document.querySelectorAll('[data-testid="unit-form"] .el-form-item__error, .el-dialog .el-form-item__error')]
    .map((e) => e.textContent?.trim() ?? '')
    .filter((t, i, all) => t && all.indexOf(t) === i)
}

/** The text of the confirmation box, and its buttons. */
function confirmBox() {
  // A closed box may still be fading out: the newest is the last.
  const box = [...document.querySelectorAll<HTMLElement>('.unit-delete-box')].pop() ?? null
  return {
    text: box?.textContent ?? '',
    confirm: () => (box?.querySelector('.el-button--danger, .el-button--primary') as HTMLButtonElement).click(),
    cancel: () => (box?.querySelector('.el-message-box__btns .el-button:not(.el-button--danger)') as HTMLButtonElement).click(),
  }
}

async function mountPage() {
  const w = mount(UnitsPage, {
    ...withUi,
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
  vi.mocked(api.rosterRule).mockResolvedValue({ enforcement: 3, otherDept: 2, town: 3, other: 0 })
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
    vi.mocked(api.previewUnitsImport).mockResolvedValue({
      fileName: '单位名单.xlsx',
      created: ['区大数据中心'],
      updated: [{ name: '区教育局', changes: ['类别：其他 → 非行政执法单位'] }],
      unchanged: 3,
      rosterUnits: 0,
      rosterMembers: 0,
      guesses: [],
      unknownUnits: [],
      chosen: [],
      ignoredColumns: [{ header: '统一社会信用代码', sheet: '单位名单', row: 2, col: 'G', hidden: false }],
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
    expect(api.previewUnitsImport).toHaveBeenCalledWith('D:\\单位名单.xlsx', [])
    expect(document.querySelector('[data-testid="units-import-ignored"]')?.textContent).toContain('统一社会信用代码（G列）')
    expect((document.querySelector('[data-testid="btn-apply-units-import"]') as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows a 简称 taken as a unit, and choosing “新建” previews again with the choice', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\联系人.xlsx')
    const base = {
      fileName: '联系人.xlsx',
      created: [] as string[],
      updated: [{ name: '区教育局', changes: ['联系人：（空） → 王五'] }],
      unchanged: 0,
      rosterUnits: 0,
      rosterMembers: 0,
      unknownUnits: [],
      ignoredColumns: [],
      issues: [],
      canApply: true,
    }
    vi.mocked(api.previewUnitsImport).mockResolvedValueOnce({
      ...base,
      guesses: [{ written: '教育局', unitName: '区教育局', reason: '简称', places: ['工作表“Sheet1”第2行 B列'] }],
      chosen: [],
    })
    const w = await mountPage()
    await w.get('[data-testid="btn-import-units"]').trigger('click')
    await settle()
    expect(document.querySelector('[data-testid="units-import-guesses"]')?.textContent).toContain('→ 区教育局')
    vi.mocked(api.previewUnitsImport).mockResolvedValueOnce({
      ...base,
      created: ['教育局'],
      updated: [],
      guesses: [],
      chosen: [{ written: '教育局', action: 'create', unitName: '', places: ['工作表“Sheet1”第2行 B列'] }],
    })
    ;(document.querySelector('[data-testid="name-choice-教育局"]') as HTMLElement).click()
    await settle()
    const option = [...document.querySelectorAll('.el-select-dropdown__item')].find(
      (o) => o.textContent?.trim() === '新建为新单位',
    ) as HTMLElement
    option.click()
    await settle()
    const choice = [{ written: '教育局', action: 'create', unit: '' }]
    expect(api.previewUnitsImport).toHaveBeenLastCalledWith('D:\\联系人.xlsx', choice)
    expect(document.querySelector('[data-testid="units-import-chosen"]')?.textContent).toContain('新建为新单位')
    vi.mocked(api.applyUnitsImport).mockResolvedValue({ ...base, guesses: [], chosen: [] })
    ;(document.querySelector('[data-testid="btn-apply-units-import"]') as HTMLButtonElement).click()
    await settle()
    expect(api.applyUnitsImport).toHaveBeenCalledWith('D:\\联系人.xlsx', choice)
  })

  it('shows the campaign’s 明白人 rule and saves a changed number', async () => {
    const w = await mountPage()
    expect(w.get('[data-testid="roster-rule"]').text()).toContain(
      '行政执法单位不少于3人、非行政执法单位不少于2人、乡镇街道不少于3人',
    )
    vi.mocked(api.setRosterRule).mockImplementation(async (r) => r)
    await w.get('[data-testid="btn-edit-roster-rule"]').trigger('click')
    await settle()
    const town = document.querySelector('[data-testid="rule-town"] input') as HTMLInputElement
    town.value = '2'
    town.dispatchEvent(new Event('input'))
    town.dispatchEvent(new Event('change'))
    await settle()
    ;(document.querySelector('[data-testid="btn-save-roster-rule"]') as HTMLButtonElement).click()
    await settle()
    expect(api.setRosterRule).toHaveBeenCalledWith({ enforcement: 3, otherDept: 2, town: 2, other: 0 })
    expect(api.rosterCheck).toHaveBeenCalledTimes(2) // the shortfalls are read again
  })

  it('shows a load error message as is, and 重试 reads again', async () => {
    vi.mocked(api.listUnits).mockRejectedValueOnce(new api.ApiError('db', '数据库文件已损坏。\n请从备份恢复。'))
    const w = await mountPage()
    expect(w.get('[data-testid="units-load-error"]').text()).toContain('数据库文件已损坏。')
    expect(w.find('[data-testid="units-table"]').exists()).toBe(false)
    await w.get('[data-testid="units-load-error"] [data-testid="btn-retry"]').trigger('click')
    await settle()
    expect(w.find('[data-testid="units-load-error"]').exists()).toBe(false)
    expect(w.get('[data-testid="units-table"]').text()).toContain('区司法局')
  })

  it('adds a unit through the form: required fields are asked for in Chinese, aliases split on 、', async () => {
    const added = unit(9, '区融媒体中心', { kind: '非行政执法单位', aliases: ['区新闻中心', '新闻中心'], rosterCount: 0, rosterRequired: 2 })
    vi.mocked(api.saveUnit).mockResolvedValue(added)
    const w = await mountPage()
    await w.get('[data-testid="btn-add-unit"]').trigger('click')
    await settle()
    click('btn-save-unit')
    await vi.waitFor(() => expect(formErrors()).toEqual(['请填写单位名称', '请选择单位类型']))
    expect(api.saveUnit).not.toHaveBeenCalled()

    vi.mocked(api.listUnits).mockResolvedValue([...UNITS, added])
    await type('unit-name', ' 区融媒体中心 ')
    await type('unit-short-name', '融媒体中心')
    await type('unit-aliases', '区新闻中心、新闻中心、')
    await chooseKind('非行政执法单位')
    await type('unit-contact', '赵六')
    expect([...document.querySelectorAll('[data-testid="unit-aliases"] .el-tag')].map((t) => t.textContent?.trim())).toEqual([
      '区新闻中心',
      '新闻中心',
    ])
    click('btn-save-unit')
    await settle()
    expect(api.saveUnit).toHaveBeenCalledWith({
      id: null,
      name: '区融媒体中心',
      shortName: '融媒体中心',
      aliases: ['区新闻中心', '新闻中心'],
      kind: '非行政执法单位',
      contact: '赵六',
      phone: '',
      leader: '',
      note: '',
    })
    await vi.waitFor(() => expect(document.body.textContent).toContain('已新增单位“区融媒体中心”。'))
    expect(api.listUnits).toHaveBeenCalledTimes(2)
    expect(w.get('[data-testid="units-table"]').text()).toContain('区融媒体中心')
  })

  it("shows the core's refusal of a clashing name as is and keeps the form open to fix it", async () => {
    const message = '“司法局”已是单位“区司法局”的简称，不能再作为“区法制办”的简称。同一写法只能指一个单位，请改用其他写法。'
    vi.mocked(api.saveUnit).mockRejectedValueOnce(new api.ApiError('invalid', message))
    vi.mocked(api.saveUnit).mockResolvedValueOnce(unit(9, '区法制办'))
    const w = await mountPage()
    await w.get('[data-testid="btn-add-unit"]').trigger('click')
    await settle()
    await type('unit-name', '区法制办')
    await type('unit-short-name', '司法局')
    await chooseKind('其他')
    click('btn-save-unit')
    await settle()
    expect(document.querySelector('[data-testid="unit-form-error"]')?.textContent).toContain(message)
    expect(field('unit-name').value).toBe('区法制办')
    expect(api.listUnits).toHaveBeenCalledTimes(1)

    await type('unit-short-name', '法制办')
    click('btn-save-unit')
    await settle()
    expect(vi.mocked(api.saveUnit).mock.lastCall?.[0].shortName).toBe('法制办')
    await vi.waitFor(() => expect(document.body.textContent).toContain('已新增单位“区法制办”。'))
  })

  it('edits a unit from its current values; the list, the shortfalls and the roster drawer follow', async () => {
    const before = UNITS[3] // 区教育局, 非行政执法单位, 1 of 1
    const after = { ...before, kind: '行政执法单位', rosterRequired: 3, contact: '钱七' }
    vi.mocked(api.saveUnit).mockResolvedValue(after)
    const w = await mountPage()
    await w.get(`[data-testid="btn-edit-unit-${before.id}"]`).trigger('click')
    await settle()
    expect(field('unit-name').value).toBe('区教育局')
    expect(field('unit-short-name').value).toBe('教育局')

    vi.mocked(api.listUnits).mockResolvedValue(UNITS.map((u) => (u.id === after.id ? after : u)))
    vi.mocked(api.rosterCheck).mockResolvedValue([
      { unitId: 4, unitName: '区教育局', kind: '行政执法单位', count: 1, required: 3, missing: 2 },
    ])
    await chooseKind('行政执法单位')
    await type('unit-contact', '钱七')
    click('btn-save-unit')
    await settle()
    expect(api.saveUnit).toHaveBeenCalledWith(expect.objectContaining({ id: 4, name: '区教育局', kind: '行政执法单位', contact: '钱七' }))
    await vi.waitFor(() => expect(w.get('[data-testid="units-table"]').text()).toContain('1 / 3 人'))
    expect(w.get('[data-testid="roster-shortfalls"]').text()).toContain('区教育局（行政执法单位）现有 1 人，应不少于 3 人')

    vi.mocked(api.roster).mockResolvedValue([member(31, 4, '孙八')])
    await w.get('[data-testid="btn-roster-4"]').trigger('click')
    await settle()
    expect(api.roster).toHaveBeenLastCalledWith(4)
    await vi.waitFor(() =>
      expect(document.querySelector('[data-testid="roster-drawer"]')?.textContent ?? document.body.textContent).toContain(
        '行政执法单位：现有 1 人，应不少于 3 人',
      ),
    )
  })

  it('deletes a unit only after a confirmation that says what goes with it', async () => {
    const archive = unit(6, '区档案馆', { shortName: '档案馆', aliases: ['档案局'], kind: '其他', rosterCount: 2, rosterRequired: 0 })
    vi.mocked(api.listUnits).mockResolvedValue([...UNITS, archive])
    vi.mocked(api.deleteUnit).mockResolvedValue(null)
    const w = await mountPage()
    await w.get('[data-testid="btn-delete-unit-6"]').trigger('click')
    await settle()
    const text = confirmBox().text
    expect(text).toContain('确定删除单位“区档案馆”吗？')
    expect(text).toContain('简称和别名（档案馆、档案局）')
    expect(text).toContain('明白人名单（2 人）')
    expect(text).toContain('导出给该单位的工作表记录和已收回的完成情况')
    expect(text).not.toContain('仍承担')
    confirmBox().cancel()
    await settle()
    expect(api.deleteUnit).not.toHaveBeenCalled()

    await w.get('[data-testid="btn-delete-unit-6"]').trigger('click')
    await settle()
    vi.mocked(api.listUnits).mockResolvedValue(UNITS)
    confirmBox().confirm()
    await settle()
    expect(api.deleteUnit).toHaveBeenCalledWith(6)
    await vi.waitFor(() => expect(document.body.textContent).toContain('已删除单位“区档案馆”。'))
    expect(w.get('[data-testid="units-table"]').text()).not.toContain('区档案馆')
  })

  it("shows the core's refusal to delete a unit that still has tasks", async () => {
    const message = '单位“区司法局”仍承担 3 项任务（牵头 2 项、参与 1 项），请先在任务分解中调整后再删除。'
    vi.mocked(api.deleteUnit).mockRejectedValue(new api.ApiError('invalid', message))
    const w = await mountPage()
    await w.get('[data-testid="btn-delete-unit-1"]').trigger('click')
    await settle()
    expect(confirmBox().text).toContain('该单位仍承担 3 项任务（牵头 2 项、参与 1 项），须先在任务分解中调整')
    confirmBox().confirm()
    await vi.waitFor(() => {
      const box = document.querySelector('.shifan-error-box')
      expect(box?.querySelector('.el-message-box__title')?.textContent).toContain('未能删除单位')
      expect(box?.querySelector('.el-message-box__message')?.textContent).toContain(message)
    })
    expect(api.deleteUnit).toHaveBeenCalledWith(1)
    expect(w.get('[data-testid="units-table"]').text()).toContain('区司法局')
  })
})
