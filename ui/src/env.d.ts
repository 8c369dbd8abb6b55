/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

interface ImportMetaEnv {
  /** "1" only in the dev/screenshot build that replaces the Rust backend with src/mock/ipc.ts. */
  readonly VITE_MOCK_IPC?: string
}

interface Window {
  /**
   * End-to-end test seam for file dialogs; see pickOpenFile() in src/api.ts.
   * A `null` entry stands for "the user cancelled the dialog".
   */
  __SHIFAN_TEST_PICK__?: Array<string | null>
}
