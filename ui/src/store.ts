// App-wide state loaded from the backend: status (active campaign, campaigns, data
// folder) and the library of indicator systems. Views read it; actions refresh it.
import { reactive } from 'vue'

import * as api from './api'
import type { AppStatus } from './gen/AppStatus'
import type { RecoveryStatus } from './gen/RecoveryStatus'
import type { SystemInfo } from './gen/SystemInfo'

export interface AppState {
  status: AppStatus | null
  systems: SystemInfo[]
  /** Set when the first status load failed; the app shows it instead of the UI. */
  loadError: string | null
  /** Set when the data file is damaged or missing: the app shows the recovery start screen. */
  recovery: RecoveryStatus | null
  /** Bumped whenever the active campaign or its system changes. */
  campaignVersion: number
}

export const state = reactive<AppState>({
  status: null,
  systems: [],
  loadError: null,
  recovery: null,
  campaignVersion: 0,
})

export async function refreshStatus(): Promise<void> {
  state.status = await api.appStatus()
}

export async function refreshSystems(): Promise<void> {
  state.systems = await api.listSystems()
}

/** First load at start-up; errors land in state.loadError. */
export async function loadApp(): Promise<void> {
  try {
    state.loadError = null
    state.recovery = null
    await Promise.all([refreshStatus(), refreshSystems()])
  } catch (e) {
    const err = api.toApiError(e)
    if (err.kind === 'damaged') {
      // The data file is damaged or missing: the start screen lists the backups to restore.
      try {
        state.recovery = await api.recoveryStatus()
        if (state.recovery) return
      } catch {
        // fall through to the message
      }
    }
    state.loadError = err.message
  }
}

/** Call after anything that changes the active campaign or its system. */
export async function afterCampaignChange(): Promise<void> {
  await Promise.all([refreshStatus(), refreshSystems()])
  state.campaignVersion++
}

export function systemById(id: number): SystemInfo | undefined {
  return state.systems.find((s) => s.id === id)
}
