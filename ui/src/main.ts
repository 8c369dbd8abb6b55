import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'

import App from './App.vue'
import { router } from './router'
import './style.css'

async function start() {
  // Dev/screenshot builds only (`npm run build:mock` / `vite --mode mock`): a fake backend.
  // The env value is replaced at build time, so a normal build drops this branch entirely.
  if (import.meta.env.VITE_MOCK_IPC === '1') {
    const { installMockIpc } = await import('./mock/ipc')
    installMockIpc()
  }
  createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
}

void start()
