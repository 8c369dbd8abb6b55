// PDF pages drawn in the app with pdf.js (the webview on Linux has no PDF viewer, and WebView2's
// cannot be embedded in a drawer). pdf.js is loaded only when a PDF is first shown.

/** The bytes of a `data:…;base64,` URL. */
export function dataUrlBytes(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(',') + 1)
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/**
 * Draws the first `maxPages` pages of the PDF `dataUrl` into `into` as canvases `width` CSS
 * pixels wide; returns the document's page count. Throws a Chinese message when pdf.js cannot
 * read the file (damaged or encrypted).
 */
export async function renderPdf(dataUrl: string, into: HTMLElement, { maxPages = 10, width = 600 } = {}): Promise<number> {
  const pdfjs = await import('pdfjs-dist')
  const worker = (await import('pdfjs-dist/build/pdf.worker.min.mjs?url')).default
  pdfjs.GlobalWorkerOptions.workerSrc = worker
  let doc
  try {
    doc = await pdfjs.getDocument({ data: dataUrlBytes(dataUrl), isEvalSupported: false }).promise
  } catch (e) {
    const why = e instanceof Error && e.name === 'PasswordException' ? '文件已加密' : '文件可能已损坏'
    throw new Error(`无法在程序内显示这个 PDF（${why}），请用 PDF 阅读器打开。`)
  }
  into.replaceChildren()
  const scale = window.devicePixelRatio || 1
  for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
    const page = await doc.getPage(n)
    const base = page.getViewport({ scale: 1 })
    const viewport = page.getViewport({ scale: (width / base.width) * scale })
    const canvas = document.createElement('canvas')
    canvas.width = Math.floor(viewport.width)
    canvas.height = Math.floor(viewport.height)
    canvas.style.width = `${width}px`
    canvas.dataset.page = String(n)
    into.appendChild(canvas)
    const ctx = canvas.getContext('2d')
    if (ctx) await page.render({ canvasContext: ctx, viewport }).promise
  }
  const pages = doc.numPages
  await doc.destroy()
  return pages
}
