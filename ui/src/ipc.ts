// The one module that talks to Tauri's IPC. The typed wrappers in gen/commands.ts (generated
// from the Rust declaration of every command) call `call` or `tracked` below; nothing else in
// ui/src imports @tauri-apps/api/core.
import { Channel, invoke } from '@tauri-apps/api/core'

import type { CommandName, Commands, ErrorKind } from './gen/commands'
import { JOB_TITLES } from './gen/commands'
import type { JobProgress } from './gen/JobProgress'
import { beginJob, endJob, updateJob } from './jobs'

/** Kinds the UI itself adds: a JavaScript error in the UI, or something unrecognisable. */
export type UiErrorKind = 'ui' | 'unknown'

/**
 * An error as the Rust shell sends it: `message` is complete Chinese text for the user
 * (it may span several lines naming file/sheet/row/column); show it as is.
 */
export class ApiError extends Error {
  readonly kind: ErrorKind | UiErrorKind

  constructor(kind: ErrorKind | UiErrorKind, message: string) {
    super(message)
    this.name = 'ApiError'
    this.kind = kind
  }
}

/** Turns whatever was thrown into an ApiError with a message fit to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    const kind = (e as { kind?: unknown }).kind
    const message = (e as { message: string }).message
    if (e instanceof Error && typeof kind !== 'string') {
      // A JavaScript error inside the UI or the IPC layer, not a message from the core.
      return new ApiError('ui', `界面程序出错：${message}`)
    }
    return new ApiError(typeof kind === 'string' ? (kind as ErrorKind) : 'unknown', message)
  }
  if (typeof e === 'string') return new ApiError('unknown', e)
  return new ApiError('unknown', `发生未知错误：${String(e)}`)
}

/** One command, as the generated wrappers call it. */
export async function call<K extends CommandName>(cmd: K, args: Commands[K]['args']): Promise<Commands[K]['result']> {
  try {
    return await invoke<Commands[K]['result']>(cmd, args as Record<string, unknown>)
  } catch (e) {
    throw toApiError(e)
  }
}

/**
 * A long command: it gets a job id (for `cancelJob`) and a channel for its progress, and the
 * global progress window shows it (titled from JOB_TITLES) while it runs. A cancelled job
 * rejects with kind "cancelled" and has changed nothing.
 */
export async function tracked<K extends CommandName>(cmd: K, args: Commands[K]['args']): Promise<Commands[K]['result']> {
  const job = beginJob(JOB_TITLES[cmd] ?? '正在处理')
  const progress = new Channel<JobProgress>()
  progress.onmessage = (p) => updateJob(job.id, p)
  try {
    return await invoke<Commands[K]['result']>(cmd, { ...(args as Record<string, unknown>), job: job.id, progress })
  } catch (e) {
    throw toApiError(e)
  } finally {
    endJob(job.id)
  }
}
