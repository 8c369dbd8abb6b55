import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'

import { ApiError } from '../api'
import { countErrors, pickOrNull, useApply, usePickAndRun, usePreview } from '../lib/usePreviewApply'
import { issue, settle } from '../test/fixtures'

/** Title and message of the error box on screen, or null. */
function errorBox(): { title: string; message: string } | null {
  const box = document.querySelector('.shifan-error-box')
  if (!box) return null
  return {
    title: box.querySelector('.el-message-box__title')?.textContent?.trim() ?? '',
    message: box.querySelector('.el-message-box__message')?.textContent?.trim() ?? '',
  }
}

function toasts(): string[] {
  return [...document.querySelectorAll('.el-message--success')].map((e) => e.textContent?.trim() ?? '')
}

/** Runs `p` while letting the error box (which waits for 知道了) appear, then closes it. */
async function withErrorBox(p: Promise<void>): Promise<{ title: string; message: string }> {
  let shown: { title: string; message: string } | null = null
  await vi.waitFor(() => {
    shown = errorBox()
    expect(shown).not.toBeNull()
  })
  ;(document.querySelector('.shifan-error-box .el-button--primary') as HTMLButtonElement).click()
  await p
  return shown as unknown as { title: string; message: string }
}

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
})

describe('usePreview: pick → preview → open the dialog', () => {
  it('does nothing when the pick is cancelled', async () => {
    const preview = vi.fn()
    const flow = usePreview({ pick: async () => null, preview, previewErrorTitle: '无法读取单位名单' })
    await flow.start()
    expect(preview).not.toHaveBeenCalled()
    expect(flow.open.value).toBe(false)
    expect(flow.preview.value).toBeNull()
  })

  it('opens the dialog on the preview of the picked path, with a new key each time', async () => {
    const flow = usePreview({
      pick: async (mode: string) => `D:\\${mode}\\单位名单.xlsx`,
      preview: async (path) => ({ fileName: path.split('\\').pop() }),
      previewErrorTitle: '无法读取单位名单',
    })
    const started = flow.start('收回')
    expect(flow.busy.value).toBe(false) // the pick runs first
    await started
    expect(flow.path.value).toBe('D:\\收回\\单位名单.xlsx')
    expect(flow.preview.value).toEqual({ fileName: '单位名单.xlsx' })
    expect(flow.open.value).toBe(true)
    expect(flow.busy.value).toBe(false)
    const first = flow.key.value
    flow.open.value = false
    await flow.start('再次')
    expect(flow.key.value).not.toBe(first)
    expect(flow.path.value).toBe('D:\\再次\\单位名单.xlsx')
  })

  it('is busy while the file is read', async () => {
    let release!: (v: string) => void
    const flow = usePreview({
      pick: async () => 'D:\\a.xlsx',
      preview: () => new Promise<string>((r) => (release = r)),
      previewErrorTitle: '无法读取',
    })
    const started = flow.start()
    await vi.waitFor(() => expect(flow.busy.value).toBe(true))
    release('ok')
    await started
    expect(flow.busy.value).toBe(false)
  })

  it("shows the backend's message as is when the file cannot be read, and opens nothing", async () => {
    const flow = usePreview({
      pick: async () => 'D:\\单位名单.xlsx',
      preview: async () => {
        throw new ApiError('badFile', '无法导入“单位名单.xlsx”：\n没有找到单位名单。')
      },
      previewErrorTitle: '无法读取单位名单',
    })
    const shown = await withErrorBox(flow.start())
    expect(shown.title).toBe('无法读取单位名单')
    expect(shown.message).toBe('无法导入“单位名单.xlsx”：\n没有找到单位名单。')
    expect(flow.open.value).toBe(false)
    expect(flow.busy.value).toBe(false)
    expect(flow.path.value).toBe('')
  })

  it('says so when the file dialog cannot open, and reads nothing', async () => {
    const preview = vi.fn()
    const flow = usePreview({
      pick: async () => {
        throw new ApiError('ui', '系统文件窗口不可用。')
      },
      preview,
      previewErrorTitle: '无法读取',
    })
    const shown = await withErrorBox(flow.start())
    expect(shown).toEqual({ title: '无法打开文件选择窗口', message: '系统文件窗口不可用。' })
    expect(preview).not.toHaveBeenCalled()
  })
})

describe('useApply: apply → close → success message → tell the page', () => {
  it('closes the dialog, says what was done, then reports the result', async () => {
    const visible = ref(true)
    const order: string[] = []
    const { applying, apply } = useApply({
      visible,
      apply: async () => {
        order.push('apply')
        return { created: 3 }
      },
      success: (r) => {
        order.push(`message (visible=${visible.value})`)
        return `已导入：新增 ${r.created} 个。`
      },
      done: (r) => order.push(`done ${r.created}`),
    })
    await apply()
    expect(visible.value).toBe(false)
    expect(applying.value).toBe(false)
    expect(order).toEqual(['apply', 'message (visible=false)', 'done 3'])
    await vi.waitFor(() => expect(toasts()).toContain('已导入：新增 3 个。'))
  })

  it('keeps the dialog open and shows the message when applying fails', async () => {
    const visible = ref(true)
    const done = vi.fn()
    const { applying, apply } = useApply({
      visible,
      apply: async () => {
        throw new ApiError('import', '文件“单位名单.xlsx”有错误，未导入。')
      },
      success: () => '不应出现',
      errorTitle: '收回失败',
      done,
    })
    const running = apply()
    expect(applying.value).toBe(true)
    const shown = await withErrorBox(running)
    expect(shown).toEqual({ title: '收回失败', message: '文件“单位名单.xlsx”有错误，未导入。' })
    expect(visible.value).toBe(true)
    expect(done).not.toHaveBeenCalled()
    expect(applying.value).toBe(false)
    expect(toasts()).toEqual([])
  })

  it('titles a failed import 导入失败 unless told otherwise', async () => {
    const { apply } = useApply({
      visible: ref(true),
      apply: async () => {
        throw new ApiError('db', '数据库忙。')
      },
      success: () => '',
    })
    expect((await withErrorBox(apply())).title).toBe('导入失败')
  })
})

describe('usePickAndRun: pick where → write → say where', () => {
  it('passes the mode to the pick and the picked path to the work', async () => {
    const run = vi.fn(async (target: string) => ({ path: target, unitCount: 5 }))
    const flow = usePickAndRun({
      pick: async (mode: string) => (mode === 'zip' ? 'D:\\各单位工作表.zip' : 'D:\\文件夹'),
      run,
      success: (d) => `已为 ${d.unitCount} 个单位生成工作表，保存在 ${d.path}`,
      errorTitle: '导出各单位工作表失败',
    })
    await flow.start('zip')
    expect(run).toHaveBeenCalledWith('D:\\各单位工作表.zip')
    await vi.waitFor(() => expect(toasts()).toContain('已为 5 个单位生成工作表，保存在 D:\\各单位工作表.zip'))
    expect(flow.busy.value).toBe(false)
  })

  it('writes nothing when the save dialog is cancelled', async () => {
    const run = vi.fn()
    await usePickAndRun({ pick: async () => null, run, success: () => '', errorTitle: '导出失败' }).start()
    expect(run).not.toHaveBeenCalled()
  })

  it('shows why writing failed under the given title', async () => {
    const flow = usePickAndRun({
      pick: async () => 'D:\\任务分解表.xlsx',
      run: async () => {
        throw new ApiError('io', '无法写入“任务分解表.xlsx”：文件正在 Excel 中打开，请关闭后重试。')
      },
      success: () => '',
      errorTitle: '导出失败',
    })
    const shown = await withErrorBox(flow.start())
    expect(shown).toEqual({ title: '导出失败', message: '无法写入“任务分解表.xlsx”：文件正在 Excel 中打开，请关闭后重试。' })
    expect(flow.busy.value).toBe(false)
  })

  it('titles a save dialog that cannot open 无法打开保存窗口', async () => {
    const flow = usePickAndRun({
      pick: async () => {
        throw new Error('dialog plugin missing')
      },
      run: vi.fn(),
      success: () => '',
      errorTitle: '导出失败',
    })
    const shown = await withErrorBox(flow.start())
    expect(shown.title).toBe('无法打开保存窗口')
    expect(shown.message).toContain('界面程序出错：dialog plugin missing')
  })
})

describe('helpers', () => {
  it('pickOrNull returns the pick, or null after showing why it failed', async () => {
    expect(await pickOrNull(async () => 'D:\\a.xlsx')).toBe('D:\\a.xlsx')
    expect(await pickOrNull(async () => null)).toBeNull()
    const failing = pickOrNull(async () => {
      throw new ApiError('ui', '窗口打不开。')
    }, '无法打开选择窗口')
    let result: string | null = 'unset'
    const shown = await withErrorBox(failing.then((r) => void (result = r)))
    expect(shown.title).toBe('无法打开选择窗口')
    expect(result).toBeNull()
  })

  it('countErrors counts errors, not warnings', () => {
    expect(countErrors([])).toBe(0)
    expect(countErrors([issue(), issue({ severity: 'warning' }), issue()])).toBe(2)
  })
})
