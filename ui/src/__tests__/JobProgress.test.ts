import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import JobProgress from '../components/JobProgress.vue'
import { beginJob, endJob, jobState, updateJob } from '../jobs'
import { settle } from '../test/fixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

function mountOverlay(delay: number) {
  return mount(JobProgress, {
    props: { delay },
    ...withUi,
  })
}

const dialogText = () => document.querySelector('[data-testid="job-progress"]')?.textContent ?? ''

afterEach(() => {
  if (jobState.current) endJob(jobState.current.id)
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('the long-job progress window', () => {
  it('shows the job, how far it got, and stays away for quick jobs', async () => {
    const w = mountOverlay(50)
    const quick = beginJob('备份')
    endJob(quick.id)
    await new Promise((r) => setTimeout(r, 80))
    await settle()
    expect(dialogText()).not.toContain('备份')

    const job = beginJob('导出各单位工作表')
    await new Promise((r) => setTimeout(r, 80))
    updateJob(job.id, { done: 43, total: 86, what: '正在生成“区司法局”的工作表' })
    await settle()
    const text = dialogText()
    expect(text).toContain('导出各单位工作表')
    expect(text).toContain('正在生成“区司法局”的工作表')
    expect(text).toContain('43 / 86')
    expect(text).toContain('50%')
    w.unmount()
  })

  it('取消 asks the backend to stop that job and says it is stopping', async () => {
    vi.mocked(api.cancelJob).mockResolvedValue(true)
    const w = mountOverlay(0)
    const job = beginJob('收回各单位工作表')
    await new Promise((r) => setTimeout(r, 10))
    await settle()
    const button = document.querySelector<HTMLButtonElement>('[data-testid="job-cancel"]')
    expect(button?.textContent).toContain('取消')
    button?.click()
    await settle()
    expect(api.cancelJob).toHaveBeenCalledWith(job.id)
    expect(dialogText()).toContain('正在取消')
    button?.click()
    await settle()
    expect(api.cancelJob).toHaveBeenCalledTimes(1)
    endJob(job.id)
    await settle()
    expect(jobState.current).toBeNull()
    w.unmount()
  })
})
