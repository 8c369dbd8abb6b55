// Names of the backend functions that tests replace with vi.fn(): every generated command
// wrapper (gen/commands.ts), the file dialogs of api.ts and its drag-drop listener.
import { COMMAND_FUNCTIONS } from '../gen/commands'

export const BACKEND_FUNCTIONS = [...COMMAND_FUNCTIONS, 'pickFolder', 'pickOpenFile', 'pickOpenFiles', 'pickSavePath', 'onFileDrag'] as const
