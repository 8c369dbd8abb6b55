// What a component test mounts with: Element Plus in zh-CN, as the app installs it, and the
// document body to attach to, so that dialogs, drawers and messages (teleported to <body>)
// can be found and clicked.
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import type { Plugin } from 'vue'

/** Element Plus in zh-CN, for `global.plugins` next to a router. */
export const elementPlus: [Plugin, ...unknown[]] = [ElementPlus, { locale: zhCn }]

export const withUi = {
  global: { plugins: [elementPlus] },
  attachTo: document.body,
}
