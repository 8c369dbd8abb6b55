import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

import EvaluationPage from './views/EvaluationPage.vue'
import EvidencePage from './views/EvidencePage.vue'
import IndicatorsPage from './views/IndicatorsPage.vue'
import OplogPage from './views/OplogPage.vue'
import OverviewPage from './views/OverviewPage.vue'
import PlaceholderPage from './views/PlaceholderPage.vue'
import RectificationPage from './views/RectificationPage.vue'
import SelfCheckPage from './views/SelfCheckPage.vue'
import SettingsPage from './views/SettingsPage.vue'
import TasksPage from './views/TasksPage.vue'
import UnitsPage from './views/UnitsPage.vue'

/** Left navigation, in order. `testid` becomes data-testid="nav-<testid>". */
export const NAV_ITEMS = [
  { path: '/overview', title: '工作台总览', testid: 'overview' },
  { path: '/indicators', title: '指标体系', testid: 'indicators' },
  { path: '/tasks', title: '任务分解', testid: 'tasks' },
  { path: '/units', title: '单位与明白人', testid: 'units' },
  { path: '/evidence', title: '佐证材料', testid: 'evidence' },
  { path: '/self-check', title: '自查自纠', testid: 'self-check' },
  { path: '/rectification', title: '问题整改', testid: 'rectification' },
  { path: '/evaluation', title: '模拟评估', testid: 'evaluation' },
  { path: '/settings', title: '设置', testid: 'settings' },
] as const

const pages: Record<string, RouteRecordRaw['component']> = {
  '/overview': OverviewPage,
  '/indicators': IndicatorsPage,
  '/tasks': TasksPage,
  '/units': UnitsPage,
  '/evidence': EvidencePage,
  '/self-check': SelfCheckPage,
  '/rectification': RectificationPage,
  '/settings': SettingsPage,
  '/evaluation': EvaluationPage,
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/overview' },
  ...NAV_ITEMS.map(
    (item): RouteRecordRaw => ({
      path: item.path,
      component: pages[item.path] ?? PlaceholderPage,
      meta: { title: item.title },
    }),
  ),
  // 操作日志: opened from 设置 (not a navigation entry of its own).
  { path: '/oplog', component: OplogPage, meta: { title: '操作日志' } },
  { path: '/:pathMatch(.*)*', redirect: '/overview' },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})
