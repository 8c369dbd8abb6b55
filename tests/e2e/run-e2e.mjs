#!/usr/bin/env node
// End-to-end test of the real desktop app: real binary, real window (Xvfb), real IPC, real
// SQLite in a fresh data folder. Driven through tauri-driver (port 4444) + WebKitWebDriver with
// a small W3C WebDriver client over fetch, so nothing is downloaded.
//
//   make e2e                       (builds nothing; expects target/debug/shifan-app built with
//                                   --features custom-protocol, see `make test-e2e`)
//   xvfb-run -a node tests/e2e/run-e2e.mjs
//
// Environment: SHIFAN_APP_BIN (app binary), TAURI_DRIVER (tauri-driver binary),
// WEBKIT_DRIVER (WebKitWebDriver binary), E2E_PORT (default 4444), E2E_FIXTURE (indicator file),
// E2E_KEEP=1 (keep the temp data folder).
// Screenshots go to target/e2e/NN-step.png. The last line is always `e2e: N passed, M failed`.

import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const APP = path.resolve(process.env.SHIFAN_APP_BIN ?? path.join(ROOT, 'target/debug/shifan-app'))
const FIXTURE = path.resolve(
  process.env.E2E_FIXTURE ?? path.join(ROOT, 'tests/fixtures/indicators/official-merged-title-rows.xlsx'),
)
const PORT = Number(process.env.E2E_PORT ?? 4444)
const DRIVER_URL = `http://127.0.0.1:${PORT}`
const SHOTS = path.join(ROOT, 'target/e2e')
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'
const QUERY = '重大行政决策'

const results = [] // { name, ok, detail }
let driver = null
let sessionId = null
let dataDir = null

function log(msg) {
  process.stdout.write(`[e2e] ${msg}\n`)
}

function record(name, ok, detail = '') {
  results.push({ name, ok, detail })
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`)
}

/** A check that does not stop the run. */
function check(name, cond, detail = '') {
  record(name, !!cond, cond ? '' : detail)
  return !!cond
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeout` ms. */
async function waitFor(what, fn, { timeout = 15000, interval = 150 } = {}) {
  const end = Date.now() + timeout
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`)
    }
    await sleep(interval)
  }
}

// --- W3C WebDriver client ---------------------------------------------------------------------

async function wd(method, url, body) {
  const res = await fetch(DRIVER_URL + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  })
  const text = await res.text()
  let json
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${method} ${url}: HTTP ${res.status}: ${text.slice(0, 300)}`)
  }
  const value = json.value
  if (!res.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
    const err = new Error(`${method} ${url}: ${value?.error ?? res.status}: ${value?.message ?? text.slice(0, 300)}`)
    err.code = value?.error
    throw err
  }
  return value
}

const s = (p) => `/session/${sessionId}${p}`
const css = (testid) => `[data-testid="${testid}"]`

async function findAll(selector) {
  const els = await wd('POST', s('/elements'), { using: 'css selector', value: selector })
  return els.map((e) => e[ELEMENT])
}

async function displayed(el) {
  return wd('GET', s(`/element/${el}/displayed`))
}

/** The first displayed element matching `selector`, waiting for it. */
async function find(selector, timeout = 15000) {
  return waitFor(`${selector} to be displayed`, async () => {
    for (const el of await findAll(selector)) if (await displayed(el)) return el
    return null
  }, { timeout })
}

async function click(el) {
  await wd('POST', s(`/element/${el}/click`), {})
}

async function text(el) {
  return wd('GET', s(`/element/${el}/text`))
}

async function exec(script, args = []) {
  return wd('POST', s('/execute/sync'), { script, args })
}

async function pageText() {
  return exec('return document.body ? document.body.innerText : ""')
}

async function screenshot(name) {
  // Let Vue flush and WebKit paint before capturing (two frames plus a short pause).
  await wd('POST', s('/execute/async'), {
    script: 'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 400)))',
    args: [],
  })
  const b64 = await wd('GET', s('/screenshot'))
  const file = path.join(SHOTS, `${name}.png`)
  fs.writeFileSync(file, Buffer.from(b64, 'base64'))
  return file
}

/** The <input> of an Element Plus input whose wrapper carries `data-testid`. */
async function inputOf(testid) {
  return find(`input${css(testid)}, textarea${css(testid)}, ${css(testid)} input, ${css(testid)} textarea`)
}

/**
 * Types `value` into an input like a user; if the driver's key events do not produce the
 * text (IME-only characters), sets it the way v-model listens for it.
 */
async function typeInto(testid, value) {
  const el = await inputOf(testid)
  // Element Send Keys focuses the input itself; a click is only a nicety (a toast or a loading
  // mask fading out may sit on top of it for a moment).
  await click(el).catch((e) => log(`click on ${testid} skipped: ${e.message.slice(0, 300)}`))
  await wd('POST', s(`/element/${el}/clear`), {})
  await wd('POST', s(`/element/${el}/value`), { text: value })
  const got = await wd('GET', s(`/element/${el}/property/value`))
  if (got !== value) {
    log(`typed text read back as ${JSON.stringify(got)}; setting the value through an input event`)
    await exec(
      'const [el, v] = arguments; el.value = v; el.dispatchEvent(new Event("input", { bubbles: true }));',
      [{ [ELEMENT]: el }, value],
    )
  }
  return el
}

/** Makes the next native file dialog return `p` (test seam in ui/src/api.ts). */
async function pickNext(p) {
  await exec('window.__SHIFAN_TEST_PICK__ = arguments[0]', [[p]])
}

// --- .xlsx reading without dependencies --------------------------------------------------------

/** Text of every xl/*.xml part of an .xlsx (shared strings and sheets), via the zip central directory. */
function xlsxText(file) {
  const buf = fs.readFileSync(file)
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  let out = ''
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    p += 46 + nameLen + extraLen + commentLen
    if (!/^xl\/(sharedStrings\.xml|worksheets\/.*\.xml)$/.test(name)) continue
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + csize)
    out += (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8')
  }
  return out
}

// --- processes -----------------------------------------------------------------------------------

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : null
}

async function startDriver() {
  const tauriDriver =
    process.env.TAURI_DRIVER ??
    which('tauri-driver') ??
    path.join(os.homedir(), '.cargo/bin/tauri-driver')
  const native = process.env.WEBKIT_DRIVER ?? which('WebKitWebDriver') ?? '/usr/bin/WebKitWebDriver'
  for (const [what, p] of [['tauri-driver', tauriDriver], ['WebKitWebDriver', native], ['app binary', APP]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p} (run make deps / make e2e-build)`)
  }
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run under xvfb-run -a')
  log(`tauri-driver ${tauriDriver} on port ${PORT}, data folder ${dataDir}`)
  driver = spawn(tauriDriver, ['--port', String(PORT), '--native-port', String(PORT + 1), '--native-driver', native], {
    // The app is started by WebKitWebDriver, a child of tauri-driver, and inherits this env.
    env: { ...process.env, SHIFAN_DATA_DIR: dataDir, RUST_BACKTRACE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so cleanup reaches WebKitWebDriver and the app too
  })
  const driverLog = fs.createWriteStream(path.join(SHOTS, 'driver.log'))
  // Two sources into one file: neither may end it (the second would write after end).
  driver.stdout.pipe(driverLog, { end: false })
  driver.stderr.pipe(driverLog, { end: false })
  driver.on('close', () => driverLog.end())
  driver.on('exit', (code, sig) => log(`tauri-driver exited (${code ?? sig})`))
  await waitFor('tauri-driver to listen', async () => {
    if (driver.exitCode !== null) throw new Error('tauri-driver exited early; see target/e2e/driver.log')
    // tauri-driver answers at once; /status is OK only once WebKitWebDriver is up behind it.
    const r = await fetch(`${DRIVER_URL}/status`, { signal: AbortSignal.timeout(2000) })
    return r.ok
  }, { timeout: 20000, interval: 200 })
}

async function cleanup() {
  if (sessionId) {
    try {
      await wd('DELETE', `/session/${sessionId}`)
    } catch (e) {
      log(`closing the session failed: ${e.message}`)
    }
    sessionId = null
  }
  if (driver && driver.exitCode === null) {
    try {
      process.kill(-driver.pid, 'SIGTERM')
    } catch {
      /* already gone */
    }
    const gone = await waitFor('tauri-driver to stop', () => driver.exitCode !== null || driver.signalCode !== null, {
      timeout: 5000,
    }).catch(() => false)
    if (!gone) {
      try {
        process.kill(-driver.pid, 'SIGKILL')
      } catch {
        /* already gone */
      }
    }
  }
  if (dataDir && process.env.E2E_KEEP !== '1' && results.every((r) => r.ok)) {
    fs.rmSync(dataDir, { recursive: true, force: true })
  } else if (dataDir) {
    log(`data folder kept at ${dataDir}`)
  }
}

// --- the story --------------------------------------------------------------------------------------

async function story() {
  const exportPath = path.join(dataDir, '..', `${path.basename(dataDir)}-export`, '指标体系表（导出）.xlsx')
  fs.mkdirSync(path.dirname(exportPath), { recursive: true })

  // 1. First run: the wizard.
  const district = await typeInto('wizard-district', '曾都区')
  check('wizard: district typed', (await wd('GET', s(`/element/${district}/property/value`))) === '曾都区')
  const body = await pageText()
  check('wizard: first-run welcome in Chinese', body.includes('欢迎使用示范创建工作台'), body.slice(0, 200))
  await screenshot('01-wizard')

  // 2. 导入官方指标体系 with the fixture, through the file-dialog seam.
  check('fixture exists', fs.existsSync(FIXTURE), FIXTURE)
  await pickNext(FIXTURE)
  await click(await find(css('wizard-import')))
  const preview = await find(css('import-preview'), 30000)
  const previewText = await text(preview)
  const leafCount = await text(await find(css('preview-leaf-count')))
  check('preview: shows the leaf count', /共 \d+ 项指标/.test(leafCount), leafCount)
  check('preview: names the file', (await pageText()).includes(path.basename(FIXTURE)), previewText.slice(0, 200))
  check(
    'preview: no errors in the file',
    (await findAll(css('preview-no-issues'))).length > 0 || !(await pageText()).includes('错误'),
    previewText.slice(0, 300),
  )
  await screenshot('02-preview')

  // 3. Create → the 指标体系 page with the tree.
  await click(await find(css('wizard-create')))
  await find(css('indicator-tree'), 30000)
  // Element Plus renders a node's children only once it is expanded, so count through the
  // page's own line "共 N 项指标" and the tree's rendered nodes.
  const total = Number(
    await waitFor('the indicator count line', async () => {
      const m = /共 (\d+) 项指标/.exec(await text(await find(css('indicator-match-count'))))
      return m && Number(m[1]) > 0 ? m[1] : null
    }, { timeout: 30000 }),
  )
  const nodes = await exec(`return document.querySelectorAll('[data-testid="indicator-tree"] .el-tree-node').length`)
  check('tree: shows the imported indicators', total > 0 && nodes > 0, `${total} indicators, ${nodes} nodes rendered`)
  check('tree: campaign switcher shows the campaign', (await text(await find(css('campaign-switcher')))).includes('曾都区'))
  check('tree: an official (not demo) system is bound', (await findAll(css('system-demo-tag'))).length === 0)
  await screenshot('03-tree')

  // 4. Search filters the tree.
  const shownLeaves = () =>
    exec(
      `return [...document.querySelectorAll('[data-testid="indicator-tree"] .node-leaf')]
         .filter((e) => e.offsetParent !== null).length`,
    )
  await typeInto('indicator-search', QUERY)
  const found = Number(
    await waitFor('the match count', async () => {
      const m = /找到 (\d+) 项指标/.exec(await text(await find(css('indicator-match-count'))))
      return m ? m[1] : null
    }),
  )
  check('search: fewer indicators than in total', found > 0 && found < total, `${found} of ${total}`)
  const shown = await waitFor('the matching leaves to show', async () => {
    const n = await shownLeaves()
    return n === found ? n : null
  }).catch(async () => shownLeaves())
  check('search: the tree shows exactly the matching leaves', shown === found, `${shown} shown, ${found} counted`)
  await screenshot('04-search')

  // 5. Click the first matching leaf → the detail pane shows its full text.
  const leaf = await exec(
    `return [...document.querySelectorAll('[data-testid="indicator-tree"] .node-leaf')]
       .find((e) => e.offsetParent !== null && e.textContent.includes(arguments[0])) || null`,
    [QUERY],
  )
  if (!leaf) throw new Error('no visible leaf contains the query')
  // Leaves carry their full indicator text in the title attribute.
  const leafText = await wd('GET', s(`/element/${leaf[ELEMENT]}/attribute/title`))
  await click(leaf[ELEMENT])
  const detail = await waitFor('the detail pane to show the indicator', async () => {
    const els = await findAll(`${css('indicator-detail')} ${css('detail-text')}`)
    const t = els.length ? await text(els[0]) : ''
    return t.includes(QUERY) ? t : null
  })
  check('detail: shows the selected indicator', detail.trim() === leafText?.trim(), `${detail} / ${leafText}`)
  await screenshot('05-detail')

  // 6. Export to .xlsx through the save-dialog seam.
  await pickNext(exportPath)
  await click(await find(css('btn-export-system')))
  await waitFor('the exported file', () => fs.existsSync(exportPath) && fs.statSync(exportPath).size > 0, {
    timeout: 30000,
  })
  await sleep(300) // let the writer close the file before reading it back
  const bytes = fs.readFileSync(exportPath)
  check('export: file written', bytes.length > 0, exportPath)
  check('export: is a zip (PK)', bytes.subarray(0, 2).toString('latin1') === 'PK')
  let xml = ''
  try {
    xml = xlsxText(exportPath)
  } catch (e) {
    check('export: readable as .xlsx', false, e.message)
  }
  check(`export: contains ${QUERY}`, xml.includes(QUERY))
  check('export: has the header 三级指标', xml.includes('三级指标'))
  await screenshot('06-export')

  // 7. Settings page shows the data folder we gave the app.
  await click(await find(css('nav-settings')))
  const dirText = await text(await find(css('settings-data-dir')))
  check('settings: data folder is SHIFAN_DATA_DIR', dirText.trim() === dataDir, dirText)
  const settingsText = await pageText()
  check('settings: library lists the imported system', settingsText.includes(path.basename(FIXTURE)), settingsText.slice(0, 300))
  const settingsActive = await waitFor('the 设置 menu item to be highlighted', async () =>
    (await wd('GET', s(`/element/${await find(css('nav-settings'))}/attribute/class`)))?.includes('is-active'),
  ).catch(() => false)
  check('settings: the menu highlights 设置', !!settingsActive)
  const tags = await findAll('.el-table .el-tag')
  check('settings: library rows carry 演示用/导入 tags', tags.length >= 2, `${tags.length} tags`)
  await screenshot('07-settings')
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f))
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shifan-e2e-'))
  const started = Date.now()
  try {
    await startDriver()
    const session = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } },
    })
    sessionId = session.sessionId
    log(`session ${sessionId}`)
    await story()
  } catch (e) {
    record('story ran to the end', false, e.stack ?? String(e))
    if (sessionId) {
      try {
        log(`screenshot of the failure: ${await screenshot('99-failure')}`)
        log(`page text: ${(await pageText()).slice(0, 600).replace(/\s+/g, ' ')}`)
      } catch {
        /* the window may be gone */
      }
    }
  } finally {
    await cleanup()
  }
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  log(`took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`)
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130))
  })
}

await main()
