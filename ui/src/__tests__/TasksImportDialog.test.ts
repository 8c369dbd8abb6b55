import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import TasksImportDialog from '../components/TasksImportDialog.vue'
import type { TasksImportOptions } from '../gen/TasksImportOptions'
import { chooseName, settle } from '../test/fixtures'
import { UNITS, tasksPreview } from '../test/unitFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const PATH = 'D:\\任务分解表.xlsx'
const LENIENT: TasksImportOptions = { strict: false, createUnits: false, nameChoices: [] }

async function mountDialog() {
  const w = mount(TasksImportDialog, {
    props: { modelValue: true, path: PATH, preview: tasksPreview({ canApply: false }), options: LENIENT },
    ...withUi,
  })
  await settle()
  return w
}

beforeEach(() => {
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('导入任务分解表: a choice per name the file writes otherwise', () => {
  it('maps an unknown name to a unit, creates a guessed one, and previews and applies with the choices', async () => {
    await mountDialog()
    expect(api.listUnits).toHaveBeenCalled()
    // Without a choice a guess is taken as guessed and an unknown name blocks the import.
    expect(document.querySelector('[data-testid="name-choice-司法局"]')?.textContent).toContain('按推测：区司法局')
    expect(document.querySelector('[data-testid="name-choice-区大数据中心"]')?.textContent).toContain('未处理（不能导入）')

    // 区大数据中心 is the unit 区教育局 writes otherwise: map it.
    vi.mocked(api.previewTasksImport).mockResolvedValue(
      tasksPreview({
        unknownUnits: [],
        chosen: [{ written: '区大数据中心', action: 'map', unitName: '区教育局', places: ['第12行 H列'] }],
      }),
    )
    await chooseName('区大数据中心', '对应到：区教育局')
    const mapped = [{ written: '区大数据中心', action: 'map', unit: '区教育局' }]
    expect(api.previewTasksImport).toHaveBeenLastCalledWith(PATH, { ...LENIENT, nameChoices: mapped })
    const chosen = document.querySelector('[data-testid="tasks-import-chosen"]')?.textContent ?? ''
    expect(chosen).toContain('区大数据中心')
    expect(chosen).toContain('对应到“区教育局”（导入后保存为其别名）')
    expect(chosen).toContain('第12行 H列')
    expect(document.querySelector('[data-testid="tasks-import-unknown"]')).toBeNull()

    // The guess 司法局 is another unit: create it instead.
    vi.mocked(api.previewTasksImport).mockResolvedValue(
      tasksPreview({
        guesses: [],
        unknownUnits: [],
        chosen: [
          { written: '区大数据中心', action: 'map', unitName: '区教育局', places: ['第12行 H列'] },
          { written: '司法局', action: 'create', unitName: '', places: ['第5行 G列', '第9行 H列'] },
        ],
      }),
    )
    await chooseName('司法局', '新建为新单位')
    const both = [...mapped, { written: '司法局', action: 'create', unit: '' }]
    expect(api.previewTasksImport).toHaveBeenLastCalledWith(PATH, { ...LENIENT, nameChoices: both })
    expect(document.querySelector('[data-testid="tasks-import-chosen"]')?.textContent).toContain('新建为新单位')

    // Applying uses the same choices.
    vi.mocked(api.applyTasksImport).mockResolvedValue(tasksPreview())
    const apply = document.querySelector('[data-testid="btn-apply-tasks-import"]') as HTMLButtonElement
    expect(apply.disabled).toBe(false)
    apply.click()
    await settle()
    expect(api.applyTasksImport).toHaveBeenCalledWith(PATH, { ...LENIENT, nameChoices: both })
  })

  it('refusing a name keeps the import blocked, and undoing the choice previews without it', async () => {
    await mountDialog()
    vi.mocked(api.previewTasksImport).mockResolvedValue(
      tasksPreview({
        guesses: [],
        chosen: [{ written: '司法局', action: 'refuse', unitName: '', places: ['第5行 G列'] }],
        canApply: false,
      }),
    )
    await chooseName('司法局', '不接受（不能导入，需修改文件）')
    expect(api.previewTasksImport).toHaveBeenLastCalledWith(PATH, {
      ...LENIENT,
      nameChoices: [{ written: '司法局', action: 'refuse', unit: '' }],
    })
    expect((document.querySelector('[data-testid="btn-apply-tasks-import"]') as HTMLButtonElement).disabled).toBe(true)

    vi.mocked(api.previewTasksImport).mockResolvedValue(tasksPreview())
    await chooseName('司法局', '撤销这项选择')
    expect(api.previewTasksImport).toHaveBeenLastCalledWith(PATH, LENIENT)
    expect(document.querySelector('[data-testid="tasks-import-guesses"]')?.textContent).toContain('→ 区司法局')
  })

  it('lists rows matched to an indicator by their text', async () => {
    vi.mocked(api.listUnits).mockResolvedValue(UNITS)
    const w = mount(TasksImportDialog, {
      props: {
        modelValue: true,
        path: PATH,
        preview: tasksPreview({
          matchedByText: [{ sheet: 'Sheet1', row: 13, writtenNo: 12, no: 13, place: '工作表“Sheet1”第13行 A列' }],
        }),
        options: LENIENT,
      },
      ...withUi,
    })
    await settle()
    const text = document.querySelector('[data-testid="tasks-import-by-text"]')?.textContent ?? ''
    expect(text).toContain('工作表“Sheet1”第13行 A列')
    expect(text).toContain('12')
    expect(text).toContain('13')
    w.unmount()
  })
})
