#!/usr/bin/env node
// Browser check of a built digest site: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) with axe-core injected into each page.
//
//   node scripts/browser-check.mjs --site OUTDIR --screenshots DIR [--relative RELDIR] [--label NAME]
//
// --site        output of `digest build` (absolute URLs). It is served from a small static HTTP
//               server on 127.0.0.1 under the path of its base_url (read from the home page's
//               canonical link, or --base-path /news/), like a static host would: `dir/` serves
//               dir/index.html, an unknown path gets 404.html with status 404.
// --relative    output of `digest build --relative`, opened straight from disk (file://).
// --screenshots folder for the PNGs (`<label>-<page>-<width>-<scheme>.png`), created if missing.
// --all         also load every other HTML page of --site: axe in both schemes at 1280 px, the
//               390 px width, console, requests and links (no screenshots).
// --verbose     also print the nodes whose colour contrast axe could not decide (`incomplete`).
// --search-only only the search checks (queries, filters, bytes of a first search): for
//               measuring a large site, e.g. the 10,000-article benchmark corpus.
//
// Pages: home, the richest article (table, code, image, contents), a taxonomy page, its longest
// term page, the editions index, the largest edition, the matrix page when there is one,
// 404.html and a missing URL. For each, in the light and the dark colour
// scheme and at 1280 and 390 px wide: axe-core (tags wcag2a, wcag2aa, best-practice) must report
// no violation; at 390 px the page must not scroll sideways. Any console error, page error,
// failed request, HTTP error or request leaving 127.0.0.1 fails the check, and so does a link,
// stylesheet, icon or image on a checked page that does not resolve. From disk, the same pages
// must load with their stylesheets applied and every internal link must point at a file.
//
// Exits 1 when anything failed, with one line per problem.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'best-practice'];
const WIDTHS = [1280, 390];
const HEIGHTS = { 1280: 900, 390: 844 };
const SCHEMES = ['light', 'dark'];

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { site: null, relative: null, screenshots: null, label: null, basePath: null, verbose: false, all: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--site': opts.site = path.resolve(value()); break;
      case '--relative': opts.relative = path.resolve(value()); break;
      case '--screenshots': opts.screenshots = path.resolve(value()); break;
      case '--label': opts.label = value(); break;
      case '--base-path': opts.basePath = value(); break;
      case '-v': case '--verbose': opts.verbose = true; break;
      case '--all': opts.all = true; break;
      case '--search-only': opts.searchOnly = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!opts.site && !opts.relative) usage('give --site and/or --relative');
  if (opts.site && !opts.screenshots) usage('--screenshots is required with --site');
  for (const dir of [opts.site, opts.relative]) {
    if (dir && !fs.existsSync(path.join(dir, 'index.html'))) usage(`${dir} has no index.html`);
  }
  opts.label ??= path.basename(opts.site || opts.relative);
  return opts;
}

function usage(problem) {
  if (problem) console.error(`error: ${problem}`);
  console.error('usage: node scripts/browser-check.mjs --site OUTDIR --screenshots DIR [--relative RELDIR] [--label NAME] [--base-path /path/] [--all] [--verbose]');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Which pages to load
// ---------------------------------------------------------------------------------------------

const RESERVED = new Set(['articles', 'editions', 'page', 'matrix']);

function subdirsWithIndex(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'index.html')))
    .map((e) => e.name)
    .sort();
}

function largest(dir, names) {
  let best = null;
  let bestSize = -1;
  for (const name of names) {
    const size = fs.statSync(path.join(dir, name, 'index.html')).size;
    if (size > bestSize) {
      best = name;
      bestSize = size;
    }
  }
  return best;
}

/** The article that exercises most of the theme: a table, code, an image, a contents list, then size. */
function richest(dir, names) {
  let best = null;
  let bestScore = -1;
  for (const name of names) {
    const html = fs.readFileSync(path.join(dir, name, 'index.html'), 'utf8');
    const score = (html.includes('<table') ? 8e6 : 0) + (html.includes('<pre') ? 4e6 : 0)
      + (html.includes('class="article-image"') ? 2e6 : 0) + (html.includes('class="toc"') ? 1e6 : 0)
      + Math.min(html.length, 999999);
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}

/** Every HTML file under `root`, relative to it with `/` separators. */
function htmlFiles(root, dir = root) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(root, p));
    // An edition's email.html is a message for mail clients, not a page (tests/email.rs).
    else if (entry.name.endsWith('.html') && !/(^|\/)editions\/[^/]+\/email\.html$/.test(path.relative(root, p).split(path.sep).join('/')))
      out.push(path.relative(root, p).split(path.sep).join('/'));
  }
  return out.sort();
}

/** `[{name, rel}]`: folders relative to the output root ('' = home). */
function samplePages(root) {
  const pages = [{ name: 'home', rel: '' }];
  const articles = subdirsWithIndex(path.join(root, 'articles'));
  if (articles.length) {
    pages.push({ name: 'article', rel: `articles/${richest(path.join(root, 'articles'), articles)}/` });
  }
  // A taxonomy is a top-level folder with an index and term folders of its own.
  const taxonomies = subdirsWithIndex(root)
    .filter((d) => !RESERVED.has(d) && subdirsWithIndex(path.join(root, d)).some((t) => t !== 'page'));
  const taxonomy = taxonomies.includes('companies') ? 'companies' : taxonomies[0];
  if (taxonomy) {
    pages.push({ name: 'taxonomy', rel: `${taxonomy}/` });
    const terms = subdirsWithIndex(path.join(root, taxonomy)).filter((t) => t !== 'page');
    pages.push({ name: 'term', rel: `${taxonomy}/${largest(path.join(root, taxonomy), terms)}/` });
  }
  if (fs.existsSync(path.join(root, 'editions', 'index.html'))) {
    pages.push({ name: 'editions', rel: 'editions/' });
    const editions = subdirsWithIndex(path.join(root, 'editions'));
    if (editions.length) {
      pages.push({ name: 'edition', rel: `editions/${largest(path.join(root, 'editions'), editions)}/` });
    }
  }
  if (fs.existsSync(path.join(root, 'matrix', 'index.html'))) pages.push({ name: 'matrix', rel: 'matrix/' });
  if (fs.existsSync(path.join(root, 'search', 'index.html'))) {
    // With a query, so that axe and the screenshots see the results.
    pages.push({ name: 'search', rel: `search/?q=${encodeURIComponent(searchWord(root))}`, search: true });
  }
  pages.push({ name: '404', rel: '404.html' });
  return pages;
}

/** A word of the newest article's title that the search must find: its longest one. */
function searchWord(root) {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const title = (html.match(/class="card-title"><a [^>]*>([^<]+)</) || [])[1] || 'the';
  return title.split(/[^\p{L}\p{N}]+/u).sort((a, b) => b.length - a.length)[0];
}

// ---------------------------------------------------------------------------------------------
// Static server
// ---------------------------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Serves `root` under `basePath` (`/news/`) on 127.0.0.1; resolves to the server's origin. */
function serve(root, basePath) {
  const server = http.createServer((req, res) => {
    const send = (status, file, headers = {}) => {
      const body = file ? fs.readFileSync(file) : Buffer.from(`${status}\n`);
      const type = file ? TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' : 'text/plain';
      res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = () => {
      const page = path.join(root, '404.html');
      send(404, fs.existsSync(page) ? page : null);
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, null);
    }
    if (pathname + '/' === basePath) return send(301, null, { location: basePath });
    if (!pathname.startsWith(basePath)) return notFound();
    const rel = pathname.slice(basePath.length);
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return notFound();
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) return send(301, null, { location: pathname + '/' });
      const index = path.join(file, 'index.html');
      return fs.existsSync(index) ? send(200, index) : notFound();
    }
    return send(200, file);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

function basePathOf(root) {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const m = html.match(/<link\s+rel="canonical"\s+href="([^"]+)"/);
  if (!m) throw new Error(`${root}/index.html has no canonical link; pass --base-path`);
  const p = new URL(m[1].replace(/&amp;/g, '&')).pathname;
  return p.endsWith('/') ? p : p.replace(/[^/]*$/, '');
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const failures = [];
const results = [];

function fail(where, message) {
  failures.push(`${where}: ${message}`);
}

/** Records console errors, page errors, failed and foreign requests of `page`. */
function watch(page, where, isLocal, expectedStatus = new Map()) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    // The expected 404 of the missing-URL test is reported on the console by Chromium.
    if (expectedStatus.size && /status of 404/.test(msg.text()) && expectedStatus.get(loc.url) === 404) return;
    fail(where(), `console error: ${msg.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => fail(where(), `page error: ${err.message}`));
  // No page runs a script of its own, so nothing may open a dialog (alert() from injected markup).
  page.on('dialog', (dialog) => {
    fail(where(), `a script opened a ${dialog.type()} dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (req) => {
    if (!isLocal(req.url())) fail(where(), `request leaves the site: ${req.url()}`);
  });
  page.on('requestfailed', (req) => {
    fail(where(), `request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    const expected = expectedStatus.get(res.url()) ?? null;
    if (expected !== null) {
      if (res.status() !== expected) fail(where(), `${res.url()} answered ${res.status()}, expected ${expected}`);
    } else if (res.status() >= 400) {
      fail(where(), `HTTP ${res.status()} for ${res.url()}`);
    }
  });
}

async function runAxe(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations', 'incomplete'],
    });
    const brief = (list) => list.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        summary: n.failureSummary || [...n.any, ...n.all, ...n.none].map((c) => c.message).join('; '),
      })),
    }));
    return { violations: brief(r.violations), incomplete: brief(r.incomplete) };
  }, AXE_TAGS);
}

/** Structure checks that axe does not make. */
async function structure(page) {
  return page.evaluate(() => {
    const problems = [];
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) problems.push(`${h1} <h1> elements (expected 1)`);
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    const skip = document.querySelector('a[href="#main"]');
    if (!skip) problems.push('no skip link to #main');
    if (!document.getElementById('main')) problems.push('no #main');
    // Runs before axe is injected: every script here came with the page. Only the search page
    // has one of its own (search.js).
    const scripts = [...document.querySelectorAll('script')]
      .filter((s) => s.type !== 'application/ld+json' && !(document.getElementById('search') && /\/search\.js$/.test(s.src)));
    if (scripts.length) problems.push(`${scripts.length} script element(s) besides JSON-LD`);
    const icon = document.querySelector('link[rel~="icon"]');
    if (!icon) problems.push('no favicon link');
    if (!document.querySelector('link[rel="alternate"][type="application/atom+xml"], link[rel="alternate"][type="application/rss+xml"], link[rel="alternate"][type="application/feed+json"]')) {
      problems.push('no <link rel="alternate"> to a feed');
    }
    return problems;
  });
}

/** The skip link is the first thing the Tab key reaches, and it is visible when focused. */
async function skipLinkFocus(page) {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el.getAttribute('href') !== '#main') return `Tab reaches ${el ? el.outerHTML.slice(0, 80) : 'nothing'} first, not the skip link`;
    const r = el.getBoundingClientRect();
    if (r.bottom <= 0 || r.top >= innerHeight || r.width < 2 || r.height < 2) return 'the focused skip link is not visible';
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0) return 'the focused skip link has no outline';
    return null;
  });
}

/** Links, stylesheets, icons and images on the page: `[{attr, url}]`, absolute. */
async function resources(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], link[href], img[src], source[srcset], script[src]')) {
      const attr = el.hasAttribute('href') ? 'href' : el.hasAttribute('src') ? 'src' : 'srcset';
      const value = el.getAttribute(attr);
      const rel = el.getAttribute('rel') || '';
      if (el.tagName === 'LINK' && /\b(canonical)\b/.test(rel)) continue;
      for (const part of attr === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [value]) {
        try {
          out.push({ tag: el.tagName.toLowerCase(), attr, value: part, url: new URL(part, document.baseURI).href });
        } catch {
          out.push({ tag: el.tagName.toLowerCase(), attr, value: part, url: null });
        }
      }
    }
    return out;
  });
}

function summarizeAxe(list) {
  return list.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `        ${n.target}${n.summary ? ' — ' + n.summary.replace(/\s+/g, ' ').slice(0, 300) : ''}`).join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Served site
// ---------------------------------------------------------------------------------------------

async function checkServed(browser, opts) {
  const root = opts.site;
  const basePath = opts.basePath || basePathOf(root);
  const { server, origin } = await serve(root, basePath);
  const base = origin + basePath;
  fs.mkdirSync(opts.screenshots, { recursive: true });
  const pages = samplePages(root).map((p) => ({ ...p, full: true }));
  const missing = `${base}no/such/page/`;
  pages.push({ name: 'missing', url: missing, status: 404, full: true });
  if (opts.all) {
    const sampled = new Set(pages.map((p) => p.rel));
    for (const file of htmlFiles(root)) {
      const rel = file.endsWith('/index.html') || file === 'index.html' ? file.slice(0, -'index.html'.length) : file;
      if (!sampled.has(rel)) pages.push({ name: 'page', rel, full: false });
    }
  }
  const checked = new Map(); // url → status, so each linked URL is fetched once
  const isLocal = (url) => url.startsWith(origin + '/') || url.startsWith('data:') || url === 'about:blank';

  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHTS[1280] }, colorScheme: 'light' });
    for (const p of pages) {
      const url = p.url || base + p.rel;
      let phase = 'load';
      const where = () => `${opts.label} ${p.name} ${url} [${phase}]`;
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: HEIGHTS[1280] });
      watch(page, where, isLocal, new Map(p.status ? [[url, p.status]] : []));
      const started = Date.now();
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response) fail(where(), 'no response');
      else if (response.status() !== (p.status || 200)) fail(where(), `status ${response.status()}`);
      if (p.search) {
        phase = 'results';
        await searchSettled(page).catch(() => fail(where(), 'no search results shown'));
      }

      phase = 'structure';
      for (const problem of await structure(page)) fail(where(), problem);
      if (p.full) {
        const skip = await skipLinkFocus(page);
        if (skip) fail(where(), skip);
        await page.evaluate(() => document.activeElement && document.activeElement.blur());
      }

      const row = { site: opts.label, page: p.name, url, axe: {}, full: p.full };
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        const actual = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
        if (actual !== scheme) fail(where(), `could not emulate the ${scheme} scheme`);
        for (const width of WIDTHS) {
          // Other pages (--all): axe at 1280 px in both schemes, the width check once.
          if (!p.full && width === 390 && scheme === 'dark') continue;
          phase = `${scheme} ${width}px`;
          await page.setViewportSize({ width, height: HEIGHTS[width] });
          if (width === 390) {
            const { scrollWidth, culprits } = await page.evaluate(() => {
              const vw = document.documentElement.clientWidth;
              const culprits = [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > vw + 0.5 && el.closest('pre, .table-wrap') === null)
                .slice(0, 5)
                .map((el) => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
              return { scrollWidth: document.documentElement.scrollWidth, culprits };
            });
            if (scrollWidth > 390) fail(where(), `scrolls sideways: scrollWidth ${scrollWidth} > 390${culprits.length ? '; wide: ' + culprits.join(', ') : ''}`);
          }
          if (!p.full && width === 390) continue;
          const axe = await runAxe(page);
          row.axe[`${scheme} ${width}`] = axe.violations.length;
          for (const line of summarizeAxe(axe.violations)) fail(where(), `axe: ${line}`);
          const contrastUnsure = axe.incomplete.filter((v) => v.id === 'color-contrast');
          if (contrastUnsure.length) {
            row.contrastIncomplete = (row.contrastIncomplete || 0) + contrastUnsure[0].nodes.length;
            if (opts.verbose) {
              for (const line of summarizeAxe(contrastUnsure)) console.log(`${where()}: axe could not decide: ${line}`);
            }
          }
          if (p.full) await page.screenshot({
            path: path.join(opts.screenshots, `${opts.label}-${p.name}-${width}-${scheme}.png`),
            fullPage: true,
          });
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1280, height: HEIGHTS[1280] });

      // Everything the page links to or embeds on this site must answer 200.
      phase = 'links';
      for (const r of await resources(page)) {
        if (!r.url) {
          fail(where(), `${r.tag} ${r.attr}=${JSON.stringify(r.value)} is not a URL`);
          continue;
        }
        // A link to a fragment of this very page was checked with the page's ids below.
        if (r.value.startsWith('#')) continue;
        const u = new URL(r.url);
        if (!/^https?:$/.test(u.protocol) || u.origin !== origin) continue;
        u.hash = '';
        const key = u.href;
        if (!checked.has(key)) {
          const res = await fetch(key, { method: 'GET', redirect: 'manual' });
          checked.set(key, res.status);
          await res.arrayBuffer();
        }
        if (checked.get(key) !== 200) fail(where(), `${r.tag} ${r.attr}=${JSON.stringify(r.value)} → HTTP ${checked.get(key)}`);
      }
      // Every in-page fragment link points at an element.
      const badFragments = await page.evaluate(() => [...document.querySelectorAll('a[href^="#"]')]
        .map((a) => a.getAttribute('href').slice(1))
        .filter((id) => id && !document.getElementById(decodeURIComponent(id))));
      for (const id of badFragments) fail(where(), `link to #${id}, which is no element's id`);
      row.ms = Date.now() - started;
      results.push(row);
      await page.close();
    }
    await context.close();
  } finally {
    server.close();
  }
  return { base, checkedUrls: checked.size };
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/** Waits until the search page has said what it found (its status line is not empty). */
async function searchSettled(page, before = '') {
  await page.waitForFunction(
    (old) => {
      const status = document.getElementById('search-status');
      return status && status.textContent.trim() !== '' && status.textContent !== old;
    },
    before,
    { timeout: 10000 },
  );
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    titles: [...document.querySelectorAll('.search-result-title a')].map((a) => a.textContent),
    marks: [...document.querySelectorAll('.search-excerpt mark')].map((m) => m.textContent),
    chips: [...document.querySelectorAll('.search-result')].map((r) => [...r.querySelectorAll('.chip')].map((c) => c.textContent)),
    dates: [...document.querySelectorAll('.search-result time')].map((t) => t.getAttribute('datetime')),
    address: location.search,
  }));
}

/** Types `text` into the search field as a reader does and waits for the answer. */
async function typeQuery(page, text) {
  const before = await page.evaluate(() => document.getElementById('search-status').textContent);
  await page.fill('#search-query', '');
  await page.type('#search-query', text, { delay: 20 });
  await page.keyboard.press('Enter');
  return searchSettled(page, before);
}

/**
 * Queries typed into /search/: a word of the newest title, a company filter, a query with no
 * result, a query from the address; on the example site also 阿里巴巴 (an alias), 通义千问 and
 * Tongyi. Measures the bytes a first search downloads (as sent, and gzip-compressed for the
 * uncompressed text files, as a static host sends them).
 */
async function checkSearch(browser, opts) {
  const root = opts.site;
  if (!fs.existsSync(path.join(root, 'search', 'index.html'))) return null;
  const basePath = opts.basePath || basePathOf(root);
  const { server, origin } = await serve(root, basePath);
  const base = origin + basePath;
  const isLocal = (url) => url.startsWith(origin + '/') || url.startsWith('data:') || url === 'about:blank';
  const zlib = await import('node:zlib');
  const report = {};
  try {
    const word = searchWord(root);
    let phase = 'first search';
    const where = () => `${opts.label} search [${phase}]`;
    {
      // A first visit with an empty cache: every byte from opening /search/?q=… to its results,
      // and the part of it that is search (search.js and /pagefind/).
      const fresh = await browser.newContext({ viewport: { width: 1280, height: HEIGHTS[1280] } });
      const first = await fresh.newPage();
      watch(first, where, isLocal);
      const bytes = { raw: 0, gzip: 0, searchRaw: 0, searchGzip: 0, files: [] };
      const pending = [];
      first.on('response', (res) => pending.push((async () => {
        const body = await res.body().catch(() => Buffer.alloc(0));
        const name = new URL(res.url()).pathname;
        // Pagefind's index files are gzip already; a static host compresses the text files.
        const packed = /\.(pf_\w+|pagefind)$/.test(name) ? body.length : zlib.gzipSync(body).length;
        bytes.raw += body.length;
        bytes.gzip += packed;
        if (/\/pagefind\/|\/search\.js$/.test(name)) {
          bytes.searchRaw += body.length;
          bytes.searchGzip += packed;
          bytes.files.push(`${name.split('/').pop()} ${body.length}`);
        }
      })()));
      await first.goto(`${base}search/?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
      await searchSettled(first).catch(() => fail(where(), 'no results'));
      await first.waitForLoadState('networkidle');
      await Promise.all(pending);
      report.firstSearch = bytes;
      await fresh.close();
    }

    phase = 'load';
    const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHTS[1280] } });
    const page = await context.newPage();
    watch(page, where, isLocal);
    await page.goto(`${base}search/`, { waitUntil: 'load' });
    await page.waitForSelector('#search[data-ready]', { timeout: 10000 })
      .catch(() => fail(where(), 'the search index did not load'));

    phase = `search "${word}"`;
    let r = await typeQuery(page, word);
    if (r.titles.length === 0) fail(where(), `no result: ${r.status}`);
    if (!r.titles.some((t) => t.toLowerCase().includes(word.toLowerCase()))) fail(where(), `no title has "${word}": ${r.titles.slice(0, 5)}`);
    if (!r.marks.length) fail(where(), 'no highlighted match in the excerpts');
    if (!r.address.includes(`q=${encodeURIComponent(word)}`)) fail(where(), `the address does not carry the query: ${r.address}`);
    report.word = `${word}: ${r.titles.length}`;

    phase = 'company filter';
    const company = await page.evaluate(() => document.querySelector('details[data-filter="company"] input')?.value);
    if (!company) fail(where(), 'no company checkbox');
    else {
      const before = r.status;
      await page.fill('#search-query', '');
      await page.click('details[data-filter="company"] summary');
      await page.check(`details[data-filter="company"] input[value="${company}"]`);
      r = await searchSettled(page, before);
      if (!r.titles.length) fail(where(), `no story of ${company}`);
      if (!r.chips.every((c) => c.includes(company))) fail(where(), `a result is not filed under ${company}`);
      const sorted = [...r.dates].sort().reverse();
      if (r.dates.join() !== sorted.join()) fail(where(), 'filtered results are not newest first');
      if (!r.address.includes('company=')) fail(where(), `the address does not carry the filter: ${r.address}`);
      report.company = `${company}: ${r.titles.length}`;
      await page.uncheck(`details[data-filter="company"] input[value="${company}"]`);
    }

    phase = 'no result';
    r = await typeQuery(page, 'zqxjvwk');
    if (r.titles.length || !/No stories match/.test(r.status)) fail(where(), `expected no result: ${r.status}`);

    if (fs.existsSync(path.join(root, 'articles', 'alibaba-tongyi-qianwen'))) {
      for (const [query, expected] of [
        ['阿里巴巴', 'Alibaba launches its ChatGPT-like AI model'],
        ['通义千问', 'Alibaba launches its ChatGPT-like AI model'],
        ['Tongyi', 'Alibaba launches its ChatGPT-like AI model'],
      ]) {
        phase = `query ${query}`;
        r = await typeQuery(page, query);
        if (!r.titles.some((t) => t.includes(expected))) fail(where(), `"${query}" does not find "${expected}": ${r.titles}`);
        report[query] = r.titles.length;
      }
      const alibaba = await typeQuery(page, '阿里巴巴');
      if (!alibaba.chips.every((c) => c.includes('Alibaba'))) fail(where(), '阿里巴巴 finds a story not filed under Alibaba');
    }

    if (fs.existsSync(path.join(root, 'zh', 'search', 'index.html'))) {
      // The Chinese search page searches the Chinese part of the one index, in Chinese.
      phase = 'Chinese search page';
      await page.waitForLoadState('networkidle');
      await page.goto(`${base}zh/search/`, { waitUntil: 'load' });
      await page.waitForSelector('#search[data-ready]', { timeout: 10000 })
        .catch(() => fail(where(), 'the search index did not load'));
      r = await typeQuery(page, '阿里巴巴');
      if (!r.titles.some((t) => t.includes('通义千问'))) fail(where(), `阿里巴巴 does not find the Chinese story: ${r.titles}`);
      if (r.titles.some((t) => /^[\x00-\x7f]+$/.test(t))) fail(where(), `an English story on the Chinese page: ${r.titles}`);
      if (!/篇报道/.test(r.status)) fail(where(), `the status is not in Chinese: ${r.status}`);
      report.zh = r.titles.length;
    }

    phase = 'query from the address';
    await page.goto(`${base}search/?q=${encodeURIComponent(word)}&year=${encodeURIComponent('1999')}`, { waitUntil: 'load' });
    r = await searchSettled(page);
    const field = await page.inputValue('#search-query');
    if (field !== word) fail(where(), `the field shows "${field}", not the address's query`);
    await page.goto(`${base}search/?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
    r = await searchSettled(page);
    if (!r.titles.length) fail(where(), `the address's query finds nothing: ${r.status}`);

    phase = 'keyboard';
    await page.goto(`${base}`, { waitUntil: 'load' });
    await page.focus('header input[type=search]');
    await page.keyboard.type(word);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    r = await searchSettled(page);
    if (!r.titles.length) fail(where(), `the header's search box leads to no result: ${page.url()}`);
    await context.close();
  } finally {
    server.close();
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Relative output from disk
// ---------------------------------------------------------------------------------------------

async function checkRelative(browser, opts) {
  const root = opts.relative;
  // 404.html keeps its links from the site root even with --relative: a host serves it at any
  // depth, where relative links would break. Opened from disk it is not meant to work.
  const pages = samplePages(root).filter((p) => p.rel !== '404.html');
  const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHTS[1280] } });
  const isLocal = (url) => url.startsWith('file://') || url.startsWith('data:') || url === 'about:blank';
  let linksChecked = 0;
  for (const p of pages) {
    const [rel, query] = p.rel.split('?');
    const file = path.join(root, rel.endsWith('/') || rel === '' ? path.join(rel, 'index.html') : rel);
    const url = pathToFileURL(file).href + (query ? `?${query}` : '');
    let phase = 'load';
    const where = () => `${opts.label} (file://) ${p.name} ${url} [${phase}]`;
    const page = await context.newPage();
    watch(page, where, isLocal);
    await page.goto(url, { waitUntil: 'load' });

    phase = 'stylesheets';
    const styles = await page.evaluate(() => {
      const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
      return {
        count: links.length,
        unloaded: links.filter((l) => !l.sheet).map((l) => l.getAttribute('href')),
        bodyMargin: getComputedStyle(document.body).marginTop,
        skipLinkPosition: getComputedStyle(document.querySelector('.skip-link') || document.body).position,
      };
    });
    if (!styles.count) fail(where(), 'no stylesheet linked');
    for (const href of styles.unloaded) fail(where(), `stylesheet ${href} did not load`);
    if (styles.bodyMargin !== '0px' || styles.skipLinkPosition !== 'absolute') {
      fail(where(), `the theme's styles are not applied (body margin ${styles.bodyMargin}, skip link ${styles.skipLinkPosition})`);
    }

    phase = 'links';
    for (const r of await resources(page)) {
      if (!r.url) {
        fail(where(), `${r.tag} ${r.attr}=${JSON.stringify(r.value)} is not a URL`);
        continue;
      }
      const u = new URL(r.url);
      if (u.protocol !== 'file:') {
        // Internal links must stay relative; only the canonical URL, feeds' self links and
        // external sources may be absolute.
        if (r.tag === 'a' && /^https?:/.test(r.value) && r.value.includes('example.com')) {
          fail(where(), `internal link is absolute: ${r.value}`);
        }
        continue;
      }
      linksChecked++;
      const target = fileURLToPath(u);
      let stat = null;
      try {
        stat = fs.statSync(target);
      } catch {
        // missing
      }
      if (!stat) fail(where(), `${r.tag} ${r.attr}=${JSON.stringify(r.value)} → ${target} does not exist`);
      else if (stat.isDirectory()) fail(where(), `${r.tag} ${r.attr}=${JSON.stringify(r.value)} → a folder (${target}); from disk it must name index.html`);
    }
    // Following the first article link really opens a styled page.
    if (p.name === 'home') {
      phase = 'navigate';
      const first = page.locator('main a[href*="articles/"]').first();
      if (await first.count()) {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), first.click()]);
        const ok = await page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet)
          && getComputedStyle(document.body).marginTop === '0px' && document.querySelectorAll('h1').length === 1);
        if (!ok) fail(where(), `the article opened from the home page (${page.url()}) is not styled`);
      }
    }
    if (p.search) {
      phase = 'search from disk';
      const said = await page.waitForFunction(() => document.getElementById('search-status')?.textContent, null, { timeout: 5000 })
        .then(() => page.evaluate(() => document.getElementById('search-status').textContent))
        .catch(() => '');
      if (!/not available when the site is opened from disk/.test(said)) fail(where(), `the search page does not say search is unavailable from disk: "${said}"`);
    }
    results.push({ site: `${opts.label} (file://)`, page: p.name, url, axe: null });
    await page.close();
  }
  await context.close();
  return { linksChecked };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: ${CHROMIUM} not found (apt-get install -y chromium)`);
    process.exit(2);
  }
  const started = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  let served = null;
  let relative = null;
  let searched = null;
  try {
    if (opts.site && !opts.searchOnly) served = await checkServed(browser, opts);
    if (opts.site) searched = await checkSearch(browser, opts);
    if (opts.relative && !opts.searchOnly) relative = await checkRelative(browser, opts);
  } finally {
    await browser.close();
  }

  const others = results.filter((r) => r.axe && !r.full);
  for (const r of results.filter((r) => !r.axe || r.full)) {
    if (r.axe) {
      const axe = Object.entries(r.axe).map(([k, v]) => `${k}: ${v}`).join(', ');
      const unsure = r.contrastIncomplete ? `; contrast not decidable on ${r.contrastIncomplete} nodes` : '';
      console.log(`${r.site} ${r.page.padEnd(8)} axe violations (${axe})${unsure}  ${r.url}`);
    } else {
      console.log(`${r.site} ${r.page.padEnd(8)} loaded from disk  ${r.url}`);
    }
  }
  if (others.length) {
    const total = others.reduce((n, r) => n + Object.values(r.axe).reduce((a, b) => a + b, 0), 0);
    console.log(`${opts.label}: ${others.length} more pages (--all): ${total} axe violations (light and dark, 1280 px), width checked at 390 px`);
  }
  if (served) console.log(`${opts.label}: served at ${served.base}; ${served.checkedUrls} linked URLs fetched; screenshots in ${opts.screenshots}`);
  if (relative) console.log(`${opts.label} (file://): ${relative.linksChecked} links resolved to files`);
  if (searched) {
    const first = searched.firstSearch;
    const found = Object.entries(searched).filter(([k]) => k !== 'firstSearch').map(([k, v]) => `${k} → ${v}`).join('; ');
    console.log(`${opts.label} search: ${found}`);
    console.log(`${opts.label} search: a first visit to /search/?q=… downloads ${first.raw} bytes (${first.gzip} gzip-compressed), of which search ${first.searchRaw} (${first.searchGzip}): ${first.files.join(', ')}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`\n${failures.length} problems (${seconds} s):`);
    for (const f of failures) console.log(`  ${f}`);
    process.exit(1);
  }
  console.log(`browser check passed (${seconds} s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
