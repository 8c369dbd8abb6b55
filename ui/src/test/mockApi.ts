// Names of the backend functions that tests replace with vi.fn(): every generated command
// wrapper (gen/commands.ts) and the file dialogs of api.ts.
import { COMMAND_FUNCTIONS } from '../gen/commands'

export const BACKEND_FUNCTIONS = [...COMMAND_FUNCTIONS, 'pickFolder', 'pickOpenFile', 'pickOpenFiles', 'pickSavePath'] as const
