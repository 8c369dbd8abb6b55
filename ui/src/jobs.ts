// Long jobs (per-unit sheet export, collect, backups, hand-over): which one is running, how
// far it got, and whether the user asked it to stop. api.ts starts and ends jobs; the
// JobProgress overlay in App.vue shows `jobState.current`. No IPC here, so tests can drive
// it directly.
import { reactive } from 'vue'

import type { JobProgress } from './gen/JobProgress'

export interface JobView {
  id: string
  /** What the user started, e.g. "导出各单位工作表". */
  title: string
  done: number
  /** 0 while unknown: the bar is then indeterminate. */
  total: number
  what: string
  cancelling: boolean
}

export const jobState = reactive<{ current: JobView | null }>({ current: null })

let seq = 0

export function beginJob(title: string): JobView {
  seq += 1
  const job: JobView = {
    id: `job-${Date.now().toString(36)}-${seq}`,
    title,
    done: 0,
    total: 0,
    what: '正在准备……',
    cancelling: false,
  }
  jobState.current = job
  return jobState.current
}

export function updateJob(id: string, p: JobProgress): void {
  const job = jobState.current
  if (!job || job.id !== id) return
  job.done = p.done
  job.total = p.total
  job.what = p.what
}

export function endJob(id: string): void {
  if (jobState.current?.id === id) jobState.current = null
}

/** Percent done, or null when the total is not known yet. */
export function jobPercent(job: JobView): number | null {
  if (job.total <= 0) return null
  return Math.min(100, Math.round((job.done / job.total) * 100))
}
