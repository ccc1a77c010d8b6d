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

uiTest('7b. a shard that is down makes the results visibly partial', async ({ page }) => {
  const partial = (process.env.CONCORD_PARTIAL_URL || '').replace(/\/$/, '');
  assert.ok(partial, 'CONCORD_PARTIAL_URL is set by run.sh');
  const full = await api('/api/search?q=security&limit=1');
  await afterSearch(page, () => page.goto(`${partial}/?q=security`), { status: 200 });
  assert.ok(await page.locator('#warnings').isVisible(), 'the partial-results notice is shown');
  assert.match(await page.locator('#warnings li').first().textContent(),
    /^Partial results: shard tcp:\/\/127\.0\.0\.1:1 unavailable/);
  // The reachable shard is the whole sample here, so the hits themselves are all there.
  assert.equal(await summaryTotal(page), paragraphs(full.body.total));
  await shot(page, '07c-partial-results');
  // The tools say it too: a phrase trace from the same server.
  await afterTool(page, 'trace', () => page.goto(`${partial}/?view=trace&phrase=security`), '/api/trace?');
  const notice = page.locator('#trace-result .partial-notice');
  assert.ok(await notice.isVisible(), 'the trace shows the partial-results notice');
  assert.match(await notice.textContent(), /^Partial results: shard tcp:\/\/127\.0\.0\.1:1 unavailable; the counts/);
  // And similar wording, for the paragraph the full server ranked first.
  const source = full.body.results[0].id;
  await afterTool(page, 'similar', () => page.goto(`${partial}/?view=similar&p=${encodeURIComponent(source)}`), '/api/similar?');
  const similarNotice = page.locator('#similar-source .partial-notice');
  assert.ok(await similarNotice.isVisible(), 'similar wording shows the partial-results notice');
  assert.match(await similarNotice.textContent(), /unavailable; the similar paragraphs miss its papers/);
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

// ---------------------------------------------------------------------------------------------
// The tools: compare two papers, similar wording, trace a phrase (fixture papers from run.sh).

const percent = (share) => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(share);
const perTenK = (n) => new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(n);

// Elements that markup in a paper would have created if it had been parsed.
async function injectedMarkup(page) {
  await page.waitForTimeout(300); // an injected image would have failed to load by now
  return page.evaluate(() => ({
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    images: document.querySelectorAll('img').length,
    tags: document.querySelectorAll('body b, body i, body u').length,
    svgs: document.querySelectorAll('svg:not(.trace-chart)').length,
    handlers: document.querySelectorAll('[onerror], [onload]').length,
  }));
}
const INERT = { scripts: ['/app.js'], images: 0, tags: 0, svgs: 0, handlers: 0 };

// Waits until a tool view has rendered what it fetched.
async function afterTool(page, view, action, apiPath) {
  const response = page.waitForResponse((r) => r.url().includes(apiPath));
  await action();
  const r = await response;
  assert.equal(r.status(), 200, `${apiPath} answered ${r.status()}`);
  await page.waitForFunction((id) => {
    const main = document.getElementById(`${id}-main`);
    return !document.getElementById(`${id}-view`).hidden && !main.hasAttribute('aria-busy');
  }, view);
}

const cssColor = (text) => text.match(/\d+/g).slice(0, 3).map(Number);

uiTest('9. comparing two editions of a paper shows the word diff, a split and a new paragraph', async ({ page }) => {
  const { body } = await api('/api/compare?a=harbour-strategy-2019&b=harbour-strategy-2021');
  assert.equal(body.summary.b_only, 1);

  // From a search result into the 2019 edition, then "Compare with…".
  await gotoSearch(page, '?q=%22container+terminal%22');
  await page.locator('#results .hit-title', { hasText: 'Harbour Security Strategy (2019 edition)' }).click();
  await page.waitForSelector('#doc-view:not([hidden]) .para-current');
  await page.locator('#doc-compare').click();
  await page.waitForSelector('#compare-view:not([hidden])');
  await page.waitForFunction(() => document.activeElement?.id === 'compare-b');
  assert.equal(await page.inputValue('#compare-a'), 'harbour-strategy-2019', 'paper A is the open paper');
  assert.equal(new URL(page.url()).searchParams.get('a'), 'harbour-strategy-2019');
  await page.selectOption('#compare-b', 'harbour-strategy-2021');
  await shot(page, '09a-compare-picker');
  await afterTool(page, 'compare', () => page.locator('#compare-form button[type="submit"]').click(), '/api/compare?');
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('view'), url.searchParams.get('a'), url.searchParams.get('b')],
    ['compare', 'harbour-strategy-2019', 'harbour-strategy-2021']);

  const check = async () => {
    // The summary: the share of A's wording found in B and the counts.
    assert.equal(await page.locator('.cmp-share-value').textContent(), percent(body.summary.share));
    assert.equal(percent(body.summary.share), '97.6%');
    const counts = await page.locator('.cmp-counts li').allTextContents();
    assert.equal(counts[0], '5 aligned pairs (1 split)');
    assert.equal(counts[1], '0 paragraphs only in A');
    assert.equal(counts[2], '1 paragraph only in B');
    const sections = await page.locator('.cmp-sections tbody tr').evaluateAll((rows) => rows.map((r) => [
      r.querySelector('th').textContent, r.querySelector('.share-text').textContent]));
    assert.deepEqual(sections, body.sections.map((s) => [s.heading, percent(s.share)]));

    // The changed pair: deleted words struck through in red on A's side, inserted ones green on B's.
    const changed = page.locator('.cmp-row[data-a="2"]');
    assert.equal(await changed.locator('.cmp-badge').first().textContent(), 'Changed');
    assert.deepEqual(await changed.locator('.cmp-side-a del').allTextContents(), ['twice', 'three months']);
    assert.deepEqual(await changed.locator('.cmp-side-b ins').allTextContents(), ['four times', 'six weeks']);
    assert.equal(await changed.locator('.cmp-side-a ins, .cmp-side-b del').count(), 0, 'each side marks only its own changes');
    assert.equal(await changed.locator('.cmp-side-b .cmp-text').textContent(),
      'The ports authority will inspect every container terminal four times a year and publish the findings within six weeks of each inspection.');
    const del = await changed.locator('del').first().evaluate((n) => ({ line: getComputedStyle(n).textDecorationLine, color: getComputedStyle(n).color }));
    const ins = await changed.locator('ins').first().evaluate((n) => ({ line: getComputedStyle(n).textDecorationLine, bg: getComputedStyle(n).backgroundColor }));
    const [dr, dg, db] = cssColor(del.color);
    const [ir, ig, ib] = cssColor(ins.bg);
    assert.ok(del.line.includes('line-through') && dr > 2 * dg && dr > 2 * db, `deleted words struck through in red: ${JSON.stringify(del)}`);
    assert.ok(!ins.line.includes('line-through') && ig > ir && ig > ib, `inserted words on green: ${JSON.stringify(ins)}`);

    // The split: A's paragraph 3 became B's paragraphs 3 and 4.
    const split = page.locator('.cmp-row.cmp-split');
    assert.equal(await split.count(), 1);
    assert.equal(await split.locator('.cmp-badge-split').textContent(), 'Split · 1 → 2');
    assert.deepEqual(await split.locator('.cmp-side-a .para-link').allTextContents(), ['¶ 3']);
    assert.deepEqual(await split.locator('.cmp-side-b .para-link').allTextContents(), ['¶ 3', '¶ 4']);

    // The new paragraph, only in B, in its place: after the row holding B's paragraph 5.
    const rows = await page.locator('.cmp-rows > li').evaluateAll((items) => items.map((li) => ({
      b: li.dataset.b, only: li.classList.contains('cmp-b-only'),
    })));
    const at = rows.findIndex((r) => r.only);
    assert.ok(at > 0 && rows[at - 1].b === '5', `the paragraph only in B follows B's paragraph 5: ${JSON.stringify(rows)}`);
    const only = page.locator('.cmp-row.cmp-b-only');
    assert.equal(await only.locator('.cmp-badge').textContent(), 'Only in B');
    assert.match(await only.locator('.cmp-side-b').textContent(), /A new cyber incident desk answers reports/);
    assert.equal(await only.locator('.cmp-side-a').textContent(), 'Not in A');
  };
  await check();
  await shot(page, '09b-compare-side-by-side');

  // The keyboard moves between changes.
  await page.locator('.cmp-share-value').click();
  await page.keyboard.press('n');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.a), '2', '"n" goes to the first change');
  await page.keyboard.press('n');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('cmp-split')), '"n" again goes to the split');
  await shot(page, '09c-compare-keyboard-next-change');

  // The URL alone restores the view.
  await afterTool(page, 'compare', () => page.reload(), '/api/compare?');
  assert.equal(await page.inputValue('#compare-b'), 'harbour-strategy-2021');
  await check();
  await shot(page, '09d-compare-reloaded');
});

uiTest('10. "Similar wording" on a result lists the paragraph that quotes it, marked, and opens it', async ({ page }) => {
  const source = 'coastal-charter-2017:2';
  const { body } = await api(`/api/similar?paragraph=${source}`);
  const quote = body.results.find((r) => r.id === 'port-review-2022:1');
  assert.ok(quote, 'the review quotes the charter');

  await gotoSearch(page, '?q=lighthouse');
  const hit = page.locator('#results .hit', { has: page.locator('.hit-title', { hasText: 'Coastal Charter' }) });
  await afterTool(page, 'similar', () => hit.locator('.similar-link').click(), '/api/similar?');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('view'), 'similar');
  assert.equal(url.searchParams.get('p'), source);

  assert.equal(await page.locator('#similar-source .hit-title').textContent(), 'Coastal Charter');
  const sourceText = await page.locator('#similar-source .source-text').textContent();
  assert.equal(sourceText, 'Every lighthouse keeper shall log each passing vessel, report any unlit buoy within one hour, and keep the lamp burning from dusk until the fishing fleet has returned to harbour.');
  assert.equal(await page.locator('#similar-summary .summary-total').textContent(),
    `${body.results.length} ${body.results.length === 1 ? 'paragraph shares' : 'paragraphs share'} its wording`);
  const result = page.locator('#similar-results .hit[data-id="port-review-2022:1"]');
  assert.equal(await result.locator('.hit-title').textContent(), 'Review of the Coastal Ports');
  const marks = await result.locator('.snippet mark').allTextContents();
  assert.ok(marks.length >= 1, 'the shared span is marked');
  for (const m of marks) assert.ok(sourceText.toLowerCase().includes(m.toLowerCase()), `marked text is the source's wording: ${m}`);
  assert.ok(marks.join(' ').includes('lighthouse keeper shall log each passing vessel'), `marks: ${marks}`);
  assert.ok(!marks.join(' ').includes('review found'), 'the review\'s own words are not marked');
  const stats = await result.locator('.sim-stats').textContent();
  assert.ok(stats.includes(`${quote.shared_words} shared words`), stats);
  assert.ok(stats.includes(`longest run ${quote.longest} words`), stats);
  await shot(page, '10a-similar-wording');

  // Open the quoting paragraph in its paper; "Back" returns to the list.
  await result.locator('.hit-title').click();
  await page.waitForSelector('#doc-view:not([hidden]) .para-current');
  assert.equal(await page.locator('#doc-title').textContent(), 'Review of the Coastal Ports');
  assert.equal(await page.locator('.para-current').getAttribute('id'), 'p-1');
  assert.deepEqual([new URL(page.url()).searchParams.get('doc'), new URL(page.url()).searchParams.get('para')], ['port-review-2022', '1']);
  const action = page.locator('.para-current .para-similar');
  assert.equal(await action.textContent(), 'Similar wording', 'the reader\'s paragraphs have the action too');
  assert.ok(await action.isVisible());
  assert.equal(new URL(await action.getAttribute('href'), BASE).searchParams.get('p'), 'port-review-2022:1');
  await shot(page, '10b-similar-opened-in-paper');
  assert.equal(await page.locator('#back-to-results').textContent(), '‹ Back to similar wording');
  await page.locator('#back-to-results').click();
  await page.waitForSelector('#similar-view:not([hidden]) #similar-results .hit');
  assert.equal(new URL(page.url()).searchParams.get('p'), source);

  await page.locator('#similar-back').click();
  await page.waitForSelector('#search-view:not([hidden]) #results .hit');
  assert.equal(new URL(page.url()).searchParams.get('q'), 'lighthouse');
});

uiTest('11. tracing a phrase shows totals, first and latest use, a bar per year and the table', async ({ page }) => {
  const phrase = 'coastal resilience compact';
  const { body } = await api(`/api/trace?phrase=${encodeURIComponent(phrase)}&variation=0&examples=10`);
  assert.deepEqual(body.timeline.map((t) => t.year), [2017, 2018, 2019, 2020, 2021, 2022]);

  await gotoSearch(page, '');
  await page.locator('#mode-trace').click();
  await page.waitForFunction(() => document.activeElement?.id === 'trace-phrase');
  assert.equal(await page.getAttribute('#mode-trace', 'aria-current'), 'page');
  await page.fill('#trace-phrase', phrase);
  await afterTool(page, 'trace', () => page.press('#trace-phrase', 'Enter'), '/api/trace?');
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('view'), url.searchParams.get('phrase')], ['trace', phrase]);

  assert.equal(await page.locator('.trace-total').textContent(), `${body.paragraphs} paragraphs in ${body.documents} papers`);
  assert.equal(await page.locator('.trace-total').textContent(), '5 paragraphs in 4 papers');
  const first = page.locator('.trace-card-first');
  const latest = page.locator('.trace-card-latest');
  assert.equal(await first.locator('.trace-card-title').textContent(), 'Coastal Charter');
  assert.equal(await first.locator('time').getAttribute('datetime'), '2017-04-10');
  assert.equal(await latest.locator('.trace-card-title').textContent(), 'Review of the Coastal Ports');
  assert.equal(await latest.locator('time').getAttribute('datetime'), '2022-09-30');
  assert.equal(await first.locator('mark').first().textContent(), phrase);

  // One bar per year of the timeline, zero years included, each with its numbers in a <title>.
  const bars = page.locator('svg.trace-chart .trace-bar');
  assert.equal(await bars.count(), body.timeline.length);
  assert.equal(await page.locator('svg.trace-chart .trace-bar.is-zero').count(), 2, '2018 and 2020 have no uses');
  const titles = await page.locator('svg.trace-chart .trace-year > title').allTextContents();
  assert.equal(titles.length, body.timeline.length);
  assert.ok(titles[0].startsWith('2017: 2 paragraphs in 1 paper;'), titles[0]);
  assert.ok(titles[1].startsWith('2018: 0 paragraphs in 0 papers;'), titles[1]);
  const heights = await bars.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('height'))));
  assert.ok(heights[0] > heights[2] && heights[2] > heights[1], `bar heights follow the counts: ${heights}`);

  // The table alternative carries both counts and rates.
  await page.locator('.trace-table-box summary').click();
  const table = await page.locator('.trace-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(table, body.timeline.map((t) => [String(t.year), String(t.paragraphs), String(t.documents),
    String(t.corpus_paragraphs), t.corpus_paragraphs ? perTenK(t.per_10k) : '—']));
  assert.deepEqual(table[0], ['2017', '2', '1', '3', '6,666.7']);

  // Papers ranked by uses, and the oldest examples.
  const ranked = await page.locator('#trace-papers .rank-item').evaluateAll((items) => items.map((li) => [
    li.querySelector('.rank-name').textContent, li.querySelector('.rank-count').textContent]));
  assert.deepEqual(ranked, body.per_document.map((d) => [d.label, String(d.count)]));
  assert.deepEqual(await page.locator('.trace-examples .hit').evaluateAll((nodes) => nodes.map((n) => n.dataset.id)),
    body.examples.map((e) => e.id));
  await shot(page, '11a-trace-timeline');

  // Keyboard: the chart is one tab stop; the arrow keys read the years.
  await page.locator('svg.trace-chart .trace-year[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  assert.ok((await page.locator('.trace-readout').textContent()).startsWith('2018: 0 paragraphs'));
  await page.keyboard.press('End');
  assert.ok((await page.locator('.trace-readout').textContent()).startsWith('2022: 1 paragraph in 1 paper'));
  await shot(page, '11b-trace-keyboard-year');

  // The rate scale is part of the URL.
  await page.locator('.trace-scale input[value="rate"]').check();
  assert.equal(new URL(page.url()).searchParams.get('scale'), 'rate');
  assert.equal(await page.locator('svg.trace-chart .trace-value').first().textContent(), perTenK(body.timeline[0].per_10k));
  await shot(page, '11c-trace-rate');
  await afterTool(page, 'trace', () => page.reload(), '/api/trace?');
  assert.ok(await page.locator('.trace-scale input[value="rate"]').isChecked());
  assert.equal(await page.locator('svg.trace-chart .trace-bar').count(), body.timeline.length);

  // A year's bar opens the search for the phrase in that year.
  await afterSearch(page, () => page.locator('svg.trace-chart a.trace-year').nth(1).click());
  assert.deepEqual(new URL(page.url()).searchParams.getAll('filter'), ['year:2019']);
  assert.equal(await summaryTotal(page), '1 paragraph');
  assert.equal(await page.locator('#results .hit').first().getAttribute('data-id'), 'harbour-strategy-2019:5');
});

uiTest('12. markup in papers stays text in compare, similar wording and trace', async ({ page }) => {
  const hostile = 'Hostile <img src=x onerror=alert(3)> & "Paper" <script>alert(4)</script>';
  const echo = 'Echo <svg onload=alert(6)> & "Hostile" <b>Paper</b>';

  // Compare the hostile paper with its echo (by URL).
  await afterTool(page, 'compare', () => page.goto(`${BASE}/?view=compare&a=hostile-paper&b=hostile-echo`), '/api/compare?');
  assert.deepEqual(await page.locator('.cmp-paper-title').allTextContents(), [hostile, echo]);
  assert.match(await page.locator('.cmp-paper-b .hit-meta').textContent(), /Office of <i>Echoes<\/i>/);
  assert.ok((await page.locator('#compare-a option:checked').textContent()).startsWith(hostile));
  assert.ok((await page.title()).startsWith(hostile));
  assert.deepEqual(await page.locator('.cmp-rows del').allTextContents(), ['xylophonist']);
  const pair = page.locator('.cmp-row[data-a="1"]');
  assert.equal(await pair.locator('.cmp-side-b .cmp-text').textContent(),
    'The plan says <script>alert(1)</script> must stay text, and nuclear weapons tests must stop <img src=y onerror=alert(5)> today.');
  assert.deepEqual(await pair.locator('.cmp-side-b ins').allTextContents(), ['img src=y onerror=alert(5)> today']);
  assert.match(await page.locator('.cmp-rows').textContent(), /The echo annex adds <b>bold<\/b> & "quoted" words of its own\./);
  assert.match(await page.locator('.cmp-sections').textContent(), /1\. Markup <b>heading<\/b> & "quotes"/);
  assert.deepEqual(await injectedMarkup(page), INERT);
  await shot(page, '12a-hostile-compare');

  // Similar wording of the hostile paragraph finds the echo.
  await gotoSearch(page, '?q=xylophonist+plan');
  await afterTool(page, 'similar', () => page.locator('#results .hit').first().locator('.similar-link').click(), '/api/similar?');
  assert.equal(await page.locator('#similar-source .hit-title').textContent(), hostile);
  assert.match(await page.locator('#similar-source .source-text').textContent(), /says <script>alert\(1\)<\/script> must stay/);
  const result = page.locator('#similar-results .hit[data-id="hostile-echo:1"]');
  assert.equal(await result.locator('.hit-title').textContent(), echo);
  assert.deepEqual(await result.locator('.snippet mark').allTextContents(),
    ['plan says <script>alert(1)</script> must stay text, and nuclear weapons tests must stop']);
  assert.match(await result.locator('.snippet').textContent(), /<img src=y onerror=alert\(5\)> today/);
  assert.deepEqual(await injectedMarkup(page), INERT);
  await shot(page, '12b-hostile-similar');

  // Trace a phrase both papers use.
  await afterTool(page, 'trace', () => page.goto(`${BASE}/?view=trace&phrase=${encodeURIComponent('nuclear weapons tests must stop')}`), '/api/trace?');
  assert.equal(await page.locator('.trace-total').textContent(), '2 paragraphs in 2 papers');
  assert.deepEqual(await page.locator('#trace-papers .rank-name').allTextContents(), [echo, hostile]);
  assert.equal(await page.locator('.trace-card-first .trace-card-title').textContent(), echo);
  assert.equal(await page.locator('.trace-card-latest .trace-card-title').textContent(), hostile);
  assert.match(await page.locator('.trace-examples').textContent(), /stop <img src=y onerror=alert\(5\)> today/);
  assert.equal(await page.locator('svg.trace-chart .trace-bar').count(), 3);
  assert.deepEqual(await injectedMarkup(page), INERT);
  await shot(page, '12c-hostile-trace');
});

// ---------------------------------------------------------------------------------------------
// Facets, sorting, syntax help and deep links past the last page.

const hitIds = (page) => page.locator('#results .hit').evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
const facetCount = async (item) => Number((await item.locator('.facet-count').textContent()).replace(/,/g, ''));

uiTest('13. two values of one facet combine: the results are their sum, with two chips', async ({ page }) => {
  await gotoSearch(page, '?q=*');
  // Years: a paper has one date, so two years never share a paragraph.
  const items = page.locator('.facet-year .facet-item');
  assert.ok(await items.count() >= 2, 'at least two years');
  const picks = [];
  for (const i of [0, 1]) {
    const item = items.nth(i);
    picks.push({ value: await item.locator('input').getAttribute('data-value'), count: await facetCount(item) });
  }
  await afterSearch(page, () => page.locator(`.facet-year input[data-value="${picks[0].value}"]`).click());
  assert.equal(await summaryTotal(page), paragraphs(picks[0].count));
  await afterSearch(page, () => page.locator(`.facet-year input[data-value="${picks[1].value}"]`).click());
  assert.equal(await summaryTotal(page), paragraphs(picks[0].count + picks[1].count), 'the total is the sum');
  assert.deepEqual(await page.locator('#chips .chip-text').allTextContents(), picks.map((p) => `Year: ${p.value}`));
  assert.deepEqual(new URL(page.url()).searchParams.getAll('filter'), picks.map((p) => `year:${p.value}`));
  const years = new Set();
  const docs = new Map((await api('/api/documents')).body.documents.map((d) => [d.id, d.date.slice(0, 4)]));
  for (const id of await hitIds(page)) years.add(docs.get(id.split(':')[0]));
  for (const y of years) assert.ok(picks.some((p) => p.value === y), `hit from ${y} is in a chosen year`);
  await shot(page, '13-facet-two-years');
});

uiTest('14. sorting by date orders the results by their papers\' dates', async ({ page }) => {
  const dates = new Map((await api('/api/documents')).body.documents.map((d) => [d.id, d.date]));
  const datesShown = async () => (await hitIds(page)).map((id) => dates.get(id.split(':')[0]));
  await gotoSearch(page, '?q=*');
  for (const [sort, ordered] of [['newest', (a, b) => a >= b], ['oldest', (a, b) => a <= b]]) {
    await afterSearch(page, () => page.selectOption('#sort', sort));
    assert.equal(new URL(page.url()).searchParams.get('sort'), sort);
    const shown = await datesShown();
    assert.ok(shown.length > 1);
    for (let i = 1; i < shown.length; i += 1) assert.ok(ordered(shown[i - 1], shown[i]), `${sort}: ${shown.join(', ')}`);
    assert.ok(new Set(shown).size > 1, `more than one date on the page: ${shown.join(', ')}`);
    const all = [...dates.values()].sort();
    assert.equal(shown[0], sort === 'newest' ? all[all.length - 1] : all[0], `${sort} starts with that date`);
  }
  await shot(page, '14-sorted-oldest');
});

uiTest('15. the syntax help opens from its button and closes with Escape', async ({ page }) => {
  await gotoSearch(page, '?q=security');
  const help = page.locator('#syntax-help');
  assert.ok(await help.isHidden());
  await page.click('#help-toggle');
  assert.ok(await help.isVisible(), 'the help opens');
  assert.equal(await page.getAttribute('#help-toggle', 'aria-expanded'), 'true');
  assert.match(await help.textContent(), /NEAR\/5/);
  await shot(page, '15-syntax-help');
  await page.keyboard.press('Escape');
  assert.ok(await help.isHidden(), 'Escape closes it');
  assert.equal(await page.getAttribute('#help-toggle', 'aria-expanded'), 'false');
});

uiTest('16. ticking a place inside the region tree filters by it', async ({ page }) => {
  await gotoSearch(page, '?q=*');
  const toggle = page.locator('.facet-region .tree-toggle').first();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const children = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
  assert.ok(await children.isVisible(), 'the node opens');
  const child = children.locator(':scope > li').first();
  const input = child.locator('input').first();
  const value = await input.getAttribute('data-value');
  const count = Number((await child.locator('.facet-count').first().textContent()).replace(/,/g, ''));
  const before = await summaryTotal(page);
  assert.notEqual(paragraphs(count), before, 'the child narrows the results');
  await afterSearch(page, () => input.click());
  assert.equal(await summaryTotal(page), paragraphs(count));
  assert.deepEqual(new URL(page.url()).searchParams.getAll('filter'), [`region:${value}`]);
  assert.equal(await page.locator('#chips .chip').count(), 1);
  assert.match(await page.locator('#chips .chip-text').textContent(), /^Region: /);
  const expected = (await api(`/api/search?q=*&filter=${encodeURIComponent(`region:${value}`)}&limit=20`)).body;
  assert.deepEqual(await hitIds(page), expected.results.map((r) => r.id));
  await shot(page, '16-region-child-ticked');
});

uiTest('17. a deep link past the last page shows the last page and says so', async ({ page }) => {
  const { body } = await api('/api/search?q=*&limit=0');
  const last = Math.ceil(body.total / 20);
  assert.ok(last > 1 && last < 600);
  await page.goto(`${BASE}/?q=*&page=600`);
  await page.waitForFunction((n) => document.querySelector('#pager [aria-current="page"]')?.textContent === String(n)
    && !document.getElementById('main').hasAttribute('aria-busy'), last);
  assert.equal(new URL(page.url()).searchParams.get('page'), String(last));
  assert.ok(await page.locator('#query-error').isHidden(), 'no error under the search box');
  assert.ok(await page.locator('#results .hit').count() > 0, 'the last page\'s results are shown');
  assert.match(await page.locator('#warnings').textContent(), new RegExp(`no page 600 .*showing page ${last}`));
  await shot(page, '17-deep-link-past-the-end');
  // The pager leads back.
  await afterSearch(page, () => page.locator('#pager a[rel="prev"]').click());
  assert.equal(new URL(page.url()).searchParams.get('page'), String(last - 1));
  assert.ok(await page.locator('#warnings').isHidden(), 'the notice goes with the next search');
});
