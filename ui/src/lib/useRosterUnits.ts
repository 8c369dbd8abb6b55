// The units a written name can be mapped to in an import preview (the name choice selects).
import { onMounted, ref } from 'vue'

import * as api from '../api'
import type { UnitInfo } from '../gen/UnitInfo'

/** The roster, loaded when the dialog mounts; empty when it cannot be read (mapping is then
 * not offered; creating and refusing a name still are). */
export function useRosterUnits() {
  const units = ref<UnitInfo[]>([])
  onMounted(async () => {
    try {
      units.value = await api.listUnits()
    } catch {
      units.value = []
    }
  })
  return units
}
