// render.mjs opens one local HTML file in Debian's headless Chromium
// (never a downloaded browser), reads back what the page shows, saves a
// full-page PNG screenshot (and optionally a PDF printout), and prints a
// JSON description of the page on stdout for a Go test to check:
//
//   node render.mjs --html report.html --screenshot report.png [--pdf report.pdf]
//                   [--chromium /usr/bin/chromium] [--width 1280]
//
//   {"url", "title", "browser", "console": [{type, text}], "pageErrors": [],
//    "requests": [urls], "dom": {charts, emptyCharts, tables, kpis, ...}}
//
// The browser runs with its networking features off and a throw-away
// profile; the page is loaded from file://, and every request it makes is
// reported, so a test can check that the page loads nothing else.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    html: { type: 'string' },
    screenshot: { type: 'string' },
    pdf: { type: 'string' },
    chromium: { type: 'string', default: process.env.PIISCAN_CHROMIUM || '/usr/bin/chromium' },
    width: { type: 'string', default: '1280' },
  },
});
if (!opt.html || !opt.screenshot) {
  process.stderr.write('usage: node render.mjs --html FILE --screenshot PNG [--pdf PDF] [--chromium PATH] [--width PX]\n');
  process.exit(2);
}

// Playwright adds --headless (Chromium's new headless mode) and
// --user-data-dir (the persistent context below) itself.
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// readPage runs in the page: it describes what is drawn, from the DOM.
function readPage() {
  const ownText = (el) =>
    [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  };
  const intersects = (a, b) =>
    a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

  const charts = {};
  for (const svg of document.querySelectorAll('svg[data-chart]')) {
    const sbox = box(svg);
    const labels = [...svg.querySelectorAll('text.label')].map((e) => ({ key: e.dataset.key, text: ownText(e), box: box(e) }));
    let overlaps = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (intersects(labels[i].box, labels[j].box)) overlaps++;
      }
    }
    // Labels may reach into the page margin below the chart (rotated
    // dates) but not past its left or right edge.
    const clipped = labels.filter((l) => l.box.x < sbox.x - 1 || l.box.x + l.box.width > sbox.x + sbox.width + 1).length;
    charts[svg.dataset.chart] = {
      box: sbox,
      name: svg.getAttribute('aria-label'),
      segments: [...svg.querySelectorAll('rect.seg')].map((e) => ({
        key: e.dataset.key,
        level: e.dataset.level,
        value: Number(e.dataset.value),
        fill: getComputedStyle(e).fill,
        box: box(e),
        tip: e.querySelector('title')?.textContent ?? '',
      })),
      labels: labels.map(({ key, text }) => ({ key, text })),
      totals: [...svg.querySelectorAll('text.total')].map((e) => ({ key: e.dataset.key, value: Number(e.dataset.value), text: ownText(e) })),
      labelOverlaps: overlaps,
      labelsClipped: clipped,
    };
  }
  const tables = {};
  for (const t of document.querySelectorAll('[data-table]')) {
    tables[t.dataset.table] = {
      headers: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
      rows: t.tagName === 'TABLE'
        ? [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent.trim()))
        : [...t.querySelectorAll('li')].map((li) => [li.textContent.trim()]),
    };
  }
  const kpis = {};
  for (const k of document.querySelectorAll('[data-kpi]')) kpis[k.dataset.kpi] = k.querySelector('.value').textContent.trim();
  return {
    title: document.title,
    h1: document.querySelector('h1')?.textContent ?? '',
    charts,
    emptyCharts: [...document.querySelectorAll('[data-chart-empty]')].map((e) => e.dataset.chartEmpty),
    tables,
    kpis,
    sections: [...document.querySelectorAll('section h2')].map((h) => h.textContent.trim()),
    scripts: document.scripts.length,
    images: document.images.length,
    iframes: document.querySelectorAll('iframe, object, embed').length,
    links: document.querySelectorAll('link').length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    bodyText: document.body.innerText,
  };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'piiscan-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opt.chromium,
    headless: true,
    args,
    viewport: { width: Number(opt.width), height: 900 },
    offline: true,
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleMessages = [];
  const pageErrors = [];
  const requests = [];
  page.on('console', (m) => consoleMessages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));

  const url = pathToFileURL(resolve(opt.html)).href;
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  const dom = await page.evaluate(readPage);
  await page.screenshot({ path: opt.screenshot, fullPage: true });
  if (opt.pdf) {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: opt.pdf, format: 'A4', printBackground: true });
  }
  const out = {
    url,
    title: await page.title(),
    browser: context.browser()?.version() ?? '',
    console: consoleMessages,
    pageErrors,
    requests,
    dom,
    screenshot: opt.screenshot,
    pdf: opt.pdf ?? '',
  };
  process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
  process.stderr.write(`render ${opt.html}: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
