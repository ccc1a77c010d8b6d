// Real-browser tests of the Concord web page. Run through run.sh, which starts the server:
//   CONCORD_URL=http://127.0.0.1:PORT CONCORD_ARTIFACTS=DIR node --test ui.test.mjs
// Debian's Chromium is driven by playwright-core; no browser is downloaded. Every test fails on a
// console error, an uncaught page error, a CSP violation or a JavaScript dialog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.CONCORD_URL || '').replace(/\/$/, '');
const ARTIFACTS = process.env.CONCORD_ARTIFACTS || path.join(os.tmpdir(), 'concord-web-artifacts');
const CHROMIUM = process.env.CONCORD_CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 768 };
const TEST_TIMEOUT = 45_000;

if (!BASE) throw new Error('CONCORD_URL is not set (run tests/web/run.sh)');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const fmt = (n) => new Intl.NumberFormat('en').format(n);
const paragraphs = (n) => `${fmt(n)} ${n === 1 ? 'paragraph' : 'paragraphs'}`;

let context;
let profileDir;

before(async () => {
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    acceptDownloads: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  if (context) await context.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

async function api(pathAndQuery) {
  const response = await fetch(BASE + pathAndQuery);
  return { status: response.status, body: await response.json() };
}

// Opens a page that records console errors, page errors, CSP violations and dialogs.
async function openPage() {
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  const allowed = [];
  page.on('console', (message) => {
    const text = message.text();
    const csp = /Content Security Policy|Refused to/i.test(text);
    if (message.type() === 'error' || csp) {
      if (!csp && allowed.some((re) => re.test(text))) return;
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  return {
    page,
    allowConsole: (re) => allowed.push(re),
    async finish() {
      if (!page.isClosed()) {
        const csp = await page.evaluate(() => window.__cspViolations || []);
        for (const v of csp) problems.push(`CSP violation: ${v}`);
      }
      assert.deepEqual(dialogs, [], 'no JavaScript dialog may open');
      assert.deepEqual(problems, [], 'no console error, page error or CSP violation');
    },
  };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

// Runs an action that starts a search and waits until the page has rendered its answer.
async function afterSearch(page, action, { status } = {}) {
  const response = page.waitForResponse((r) => r.url().includes('/api/search?') && !r.url().includes('limit=0')
    && !r.url().includes('facets=false'));
  await action();
  const r = await response;
  if (status !== undefined) assert.equal(r.status(), status, `search answered ${r.status()}`);
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
  return r;
}

async function gotoSearch(page, query) {
  await afterSearch(page, () => page.goto(`${BASE}/${query}`));
}

const summaryTotal = (page) => page.locator('#results-summary .summary-total').textContent();

function uiTest(name, fn) {
  test(name, { timeout: TEST_TIMEOUT }, async () => {
    const session = await openPage();
    try {
      await fn(session);
      await session.finish();
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 50);
      await session.page.screenshot({ path: path.join(ARTIFACTS, `failed-${slug}.png`) }).catch(() => {});
      throw error;
    } finally {
      await session.page.close().catch(() => {});
    }
  });
}

// A topic with more than one page of hits for `q`, for the deep link and export tests.
async function bigTopic(q, min) {
  const { body } = await api(`/api/search?q=${encodeURIComponent(q)}&limit=0`);
  const topic = body.facets.topic.find((t) => t.count > min && t.count < body.total);
  assert.ok(topic, `a topic with more than ${min} hits for ${q}`);
  return topic;
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

uiTest('1. searching "ASEAN way" shows the paragraph with its breadcrumb and a highlight', async ({ page }) => {
  await gotoSearch(page, '');
  await page.fill('#q', '"ASEAN way"');
  await afterSearch(page, () => page.press('#q', 'Enter'), { status: 200 });

  assert.equal(await summaryTotal(page), '1 paragraph');
  const hits = page.locator('#results .hit');
  assert.equal(await hits.count(), 1);
  const hit = hits.first();
  assert.equal(await hit.locator('.hit-title').textContent(), 'The Global Security Initiative Concept Paper');
  const crumbs = await hit.locator('.crumb-path').textContent();
  assert.ok(crumbs.startsWith('3. Key cooperation directions › (6) '), `breadcrumb: ${crumbs}`);
  assert.ok(crumbs.endsWith('…'), `a long heading is shortened: ${crumbs}`);
  const full = await hit.locator('.crumb').nth(1).getAttribute('title');
  assert.ok(full.includes('uphold the "ASEAN way" of reaching a consensus'), 'the full heading is in the title');
  assert.equal(await hit.locator('.snippet mark').first().textContent(), 'ASEAN way');
  assert.match(await hit.locator('.hit-meta').textContent(), /2023/);
  assert.ok(await hit.locator('.badge-topic').count() >= 1, 'topic badges');
  assert.match(await page.locator('#results-summary .summary-time').textContent(), /ms/);
  assert.equal(new URL(page.url()).searchParams.get('q'), '"ASEAN way"');
  await shot(page, '01-search-asean-way');
});

uiTest('2. a facet value filters the results and shows a removable chip', async ({ page }) => {
  await gotoSearch(page, '?q=security');
  const before = await summaryTotal(page);
  const item = page.locator('.facet-topic .facet-item').first();
  const count = Number((await item.locator('.facet-count').textContent()).replace(/,/g, ''));
  const label = await item.locator('.facet-name').textContent();
  const value = await item.locator('input').getAttribute('data-value');
  assert.notEqual(paragraphs(count), before, 'the chosen topic narrows the results');

  await afterSearch(page, () => item.locator('input').click());
  assert.equal(await summaryTotal(page), paragraphs(count), 'the total becomes the facet count');
  const chip = page.locator('#chips .chip');
  assert.equal(await chip.count(), 1);
  assert.equal(await chip.locator('.chip-text').textContent(), `Topic: ${label}`);
  assert.deepEqual(new URL(page.url()).searchParams.getAll('filter'), [`topic:${value}`]);
  assert.ok(await page.locator(`.facet-topic input[data-value="${value}"]`).isChecked());
  // Multi-select: the other topics still show counts.
  assert.ok(await page.locator('.facet-topic .facet-item').count() > 1, 'other topic values remain');
  await shot(page, '02a-facet-topic-selected');

  await afterSearch(page, () => chip.locator('.chip-remove').click());
  assert.equal(await summaryTotal(page), before);
  assert.equal(await page.locator('#chips .chip').count(), 0);
  assert.equal(await page.locator('#chips').isHidden(), true);
  assert.deepEqual(new URL(page.url()).searchParams.getAll('filter'), []);
  await shot(page, '02b-facet-chip-removed');
});

uiTest('3. a deep link restores query, filter, sort and page; back and forward work', async ({ page }) => {
  const filter = 'year:2023';
  const link = `?q=security&filter=${encodeURIComponent(filter)}&sort=document&page=2`;
  const expected = (await api(`/api/search?q=security&filter=${encodeURIComponent(filter)}&sort=document&offset=20&limit=20`)).body;
  assert.ok(expected.total > 40, `three pages of hits (${expected.total})`);

  await gotoSearch(page, link);
  assert.equal(await page.inputValue('#q'), 'security');
  assert.equal(await page.inputValue('#sort'), 'document');
  assert.equal(await page.locator('#chips .chip-text').textContent(), 'Year: 2023');
  assert.ok(await page.locator('.facet-year input[data-value="2023"]').isChecked());
  assert.equal(await page.locator('#pager [aria-current="page"]').textContent(), '2');
  assert.equal(await summaryTotal(page), paragraphs(expected.total));
  assert.match(await page.locator('#results-summary .summary-range').textContent(), /21–/);
  const ids = await page.locator('#results .hit').evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
  assert.deepEqual(ids, expected.results.map((r) => r.id), 'the same results as the API gives for page 2');
  await shot(page, '03a-deep-link-page-2');

  // Next page, then back and forward through history.
  await afterSearch(page, () => page.locator('#pager a[rel="next"]').click());
  assert.equal(await page.locator('#pager [aria-current="page"]').textContent(), '3');
  assert.equal(new URL(page.url()).searchParams.get('page'), '3');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#pager [aria-current="page"]')?.textContent === '2');
  const back = await page.locator('#results .hit').evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
  assert.deepEqual(back, ids, 'back restores page 2');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('#pager [aria-current="page"]')?.textContent === '3');

  // Changing the sort is part of the URL too.
  await afterSearch(page, () => page.selectOption('#sort', 'newest'));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('sort'), 'newest');
  assert.equal(url.searchParams.get('page'), null, 'a new sort starts at page 1');
  await shot(page, '03b-sorted-newest');
});

uiTest('4. opening a result shows the paper, its outline and the hit paragraph in view', async ({ page }) => {
  await gotoSearch(page, '?q=%22ASEAN+way%22');
  await page.locator('#results .hit-title').first().click();
  await page.waitForSelector('#doc-view:not([hidden]) .para-current');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('doc'), 'gsi-concept-paper');
  assert.equal(url.searchParams.get('para'), '65');
  assert.equal(url.searchParams.get('q'), '"ASEAN way"', 'the search stays in the URL');

  assert.equal(await page.locator('#doc-title').textContent(), 'The Global Security Initiative Concept Paper');
  assert.match(await page.locator('#doc-meta').textContent(), /Ministry of Foreign Affairs/);
  const outline = await page.locator('#outline-list .outline-text').allTextContents();
  assert.ok(outline.length >= 30, `outline has ${outline.length} sections`);
  assert.ok(outline.includes('3. Key cooperation directions'));
  assert.ok(await page.locator('#outline-list .outline-item.level-2').count() > 10, 'sub-sections are indented');
  assert.match(await page.locator('#outline-list [aria-current]').textContent(), /^\(6\) Support and improve/);

  const current = page.locator('.para-current');
  assert.equal(await current.getAttribute('id'), 'p-65');
  assert.equal(await current.locator('.para-section').textContent(), '3.6');
  assert.equal(await current.locator('mark').first().textContent(), 'ASEAN way');
  const box = await current.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + Math.min(box.height, 100) <= VIEWPORT.height, `hit in view: ${JSON.stringify(box)}`);
  assert.ok(await current.evaluate((node) => {
    const r = node.getBoundingClientRect();
    return node.contains(document.elementFromPoint(r.left + r.width / 2, r.top + 12));
  }), 'the hit paragraph is not covered by a sticky bar');
  assert.equal(await page.locator('.para').count(), 114, 'every paragraph is shown');
  assert.equal(await page.locator('#p-1 .para-section').textContent(), '1');
  await shot(page, '04a-document-hit-paragraph');

  // The outline jumps to a section.
  await page.locator('#outline-list .outline-link', { hasText: '1. Background' }).click();
  await page.waitForFunction(() => {
    const heading = document.getElementById('sec-0');
    const r = heading.getBoundingClientRect();
    // In view near the top, and not hidden under the sticky top bar or match bar.
    return r.top >= 0 && r.top < 300 && heading.contains(document.elementFromPoint(r.left + 10, r.top + r.height / 2));
  }, null, { timeout: 5000 });
  await shot(page, '04b-document-outline-jump');

  // Reloading keeps the view; back returns to the results.
  await page.reload();
  await page.waitForSelector('#doc-view:not([hidden]) .para-current#p-65');
  await page.locator('#back-to-results').click();
  await page.waitForSelector('#search-view:not([hidden]) #results .hit');
  assert.equal(new URL(page.url()).searchParams.get('doc'), null);
  assert.equal(await summaryTotal(page), '1 paragraph');
  await page.waitForFunction(() => document.activeElement?.classList.contains('hit-title'));
  assert.equal(await page.evaluate(() => document.activeElement.closest('.hit').dataset.id), 'gsi-concept-paper:65',
    'focus returns to the result that was opened');
});

uiTest('5. export downloads the current result set as CSV and JSON', async ({ page }) => {
  const topic = await bigTopic('security', 5);
  const filter = `topic:${topic.value}`;
  await gotoSearch(page, `?q=security&filter=${encodeURIComponent(filter)}&sort=document`);
  const expected = (await api(`/api/search?q=security&filter=${encodeURIComponent(filter)}&sort=document&limit=1000&facets=false`)).body;
  assert.equal(expected.total, topic.count);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.match(csvDownload.suggestedFilename(), /\.csv$/);
  const csvPath = path.join(ARTIFACTS, '05-export.csv');
  await csvDownload.saveAs(csvPath);
  const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
  const header = rows.shift();
  assert.deepEqual(header, ['id', 'doc_id', 'title', 'date', 'issuer', 'country', 'section_number', 'section',
    'paragraph', 'page', 'score', 'topics', 'regions', 'text']);
  assert.equal(rows.length, topic.count, 'one row per matching paragraph');
  assert.deepEqual(rows.map((r) => r[0]), expected.results.map((r) => r.id), 'the rows in the page\'s order');
  for (const row of rows) assert.ok(row[11].split(/[;|, ]+/).includes(topic.value), `row ${row[0]} has the topic`);

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const jsonPath = path.join(ARTIFACTS, '05-export.json');
  await jsonDownload.saveAs(jsonPath);
  const exported = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const list = Array.isArray(exported) ? exported : exported.results;
  assert.ok(Array.isArray(list), 'the JSON export holds a list of results');
  assert.equal(list.length, topic.count);
  await shot(page, '05-export');
});

uiTest('6. markup in a paper is shown as text and never runs', async ({ page }) => {
  const title = 'Hostile <img src=x onerror=alert(3)> & "Paper" <script>alert(4)</script>';
  await gotoSearch(page, '?q=xylophonist');
  assert.equal(await summaryTotal(page), '3 paragraphs');
  const snippets = (await page.locator('#results .snippet').allTextContents()).join('\n');
  assert.ok(snippets.includes('<script>alert(1)</script>'), 'script tag shown as text');
  assert.ok(snippets.includes('<img src=x onerror=alert(2)>'), 'img tag shown as text');
  assert.ok(snippets.includes('"quotes" & <b>tags</b>'), 'quotes, ampersand and tags shown as text');
  assert.equal(await page.locator('#results .snippet mark').first().textContent(), 'xylophonist');
  assert.equal(await page.locator('#results .hit-title').first().textContent(), title);
  assert.match(await page.locator('#results .hit-meta').first().textContent(), /Ministry of <b>Testing<\/b> & Review/);
  assert.ok((await page.locator('#facet-groups').textContent()).includes(title), 'the paper facet shows the raw title');
  assert.ok((await page.locator('#results .crumb').first().textContent()).includes('<b>heading</b>'));
  await page.waitForTimeout(300); // an injected image would have failed to load by now
  const injected = async () => page.evaluate(() => ({
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    images: document.querySelectorAll('img').length,
    bold: document.querySelectorAll('body b').length,
  }));
  assert.deepEqual(await injected(), { scripts: ['/app.js'], images: 0, bold: 0 });
  await shot(page, '06a-hostile-results');

  await page.locator('#results .hit-title').first().click();
  await page.waitForSelector('#doc-view:not([hidden]) .para-current');
  assert.equal(await page.locator('#doc-title').textContent(), title);
  const text = await page.locator('#doc-paragraphs').textContent();
  assert.ok(text.includes('<script>alert(1)</script>'));
  assert.ok(text.includes('<img src=x onerror=alert(2)>'));
  assert.ok(text.includes('"quotes" & <b>tags</b>'));
  assert.ok((await page.locator('#outline-list').textContent()).includes('1. Markup <b>heading</b> & "quotes"'));
  assert.ok(await page.title().then((t) => t.startsWith('Hostile <img')), 'the window title is text too');
  await page.waitForTimeout(300);
  assert.deepEqual(await injected(), { scripts: ['/app.js'], images: 0, bold: 0 });
  await shot(page, '06b-hostile-document');
});

uiTest('7. a query that does not parse shows the server\'s message by the search box', async ({ page, allowConsole }) => {
  // Chromium itself logs the 400 response of the failed search; that one line is expected.
  allowConsole(/Failed to load resource: the server responded with a status of 400/);
  const bad = '"unclosed phrase';
  const { status, body } = await api(`/api/search?q=${encodeURIComponent(bad)}`);
  assert.equal(status, 400);

  await gotoSearch(page, '?q=security');
  await page.fill('#q', bad);
  await afterSearch(page, () => page.press('#q', 'Enter'), { status: 400 });
  const error = page.locator('#query-error');
  assert.ok(await error.isVisible(), 'the error is shown');
  assert.equal(await error.textContent(), body.error.message);
  assert.equal(await page.getAttribute('#q', 'aria-invalid'), 'true');
  assert.equal(await page.locator('#results .hit').count(), 0);
  const errorBox = await error.boundingBox();
  const inputBox = await page.locator('#q').boundingBox();
  assert.ok(errorBox.y - (inputBox.y + inputBox.height) < 40, 'the message is right below the search box');
  await shot(page, '07-bad-query-error');

  await page.fill('#q', 'security');
  await afterSearch(page, () => page.press('#q', 'Enter'), { status: 200 });
  assert.ok(await error.isHidden(), 'the error goes away with a good query');
  assert.equal(await page.getAttribute('#q', 'aria-invalid'), null);

  // A query that runs but carries a warning shows it above the results.
  await page.fill('#q', 'security region:narnia');
  await afterSearch(page, () => page.press('#q', 'Enter'), { status: 200 });
  assert.ok(await page.locator('#warnings').isVisible(), 'warnings are listed');
  assert.match(await page.locator('#warnings').textContent(), /narnia/);
  await shot(page, '07b-query-warning');
});

uiTest('8. the keyboard reaches the search box, facets, the region tree and chips', async ({ page }) => {
  await gotoSearch(page, '?q=security');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', '"/" focuses the search box');

  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return {
      tag: a.tagName, type: a.type || '', cls: a.className, value: a.dataset.value || '',
      inFacets: !!a.closest('#facets'), outline: getComputedStyle(a).outlineStyle,
    };
  });
  let focus;
  for (let i = 0; i < 30; i += 1) {
    await page.keyboard.press('Tab');
    focus = await active();
    if (focus.inFacets && focus.type === 'checkbox') break;
  }
  assert.ok(focus.inFacets && focus.type === 'checkbox', 'Tab reaches a facet checkbox');
  assert.notEqual(focus.outline, 'none', 'the focused checkbox shows a focus ring');
  await shot(page, '08a-keyboard-focus-facet');

  await afterSearch(page, () => page.keyboard.press('Space'));
  assert.equal(await page.locator('#chips .chip').count(), 1, 'Space ticks the facet');
  const again = await active();
  assert.equal(again.value, focus.value, 'focus stays on the same checkbox');
  assert.ok(await page.locator(`#facets input[data-value="${focus.value}"]`).isChecked());

  // Tab on to a region tree toggle and open it with Enter.
  let toggle;
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    toggle = await active();
    if (toggle.cls.includes('tree-toggle')) break;
  }
  assert.ok(toggle.cls.includes('tree-toggle'), 'Tab reaches a region tree toggle');
  const treeState = () => page.evaluate(() => {
    const a = document.activeElement;
    return { expanded: a.getAttribute('aria-expanded'), childrenHidden: document.getElementById(a.getAttribute('aria-controls')).hidden };
  });
  const first = await treeState();
  assert.equal(first.childrenHidden, first.expanded !== 'true');
  for (const key of ['Enter', 'Space']) {
    const before = await treeState();
    await page.keyboard.press(key);
    const now = await treeState();
    assert.notEqual(now.expanded, before.expanded, `${key} toggles the region node`);
    assert.equal(now.childrenHidden, now.expanded !== 'true', 'the sub-regions follow aria-expanded');
  }
  if ((await treeState()).expanded !== 'true') await page.keyboard.press('Enter');
  assert.equal((await treeState()).expanded, 'true');
  await shot(page, '08b-keyboard-region-tree-open');

  // Reach the chip's remove button from the search box and press it.
  await page.keyboard.press('/');
  let chip;
  for (let i = 0; i < 150; i += 1) {
    await page.keyboard.press('Tab');
    chip = await active();
    if (chip.cls.includes('chip-remove')) break;
  }
  assert.ok(chip.cls.includes('chip-remove'), 'Tab reaches the chip\'s remove button');
  await afterSearch(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.locator('#chips .chip').count(), 0, 'Enter removes the filter');
  await shot(page, '08c-keyboard-chip-removed');
});
