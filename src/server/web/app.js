// Concord web page: search, facets, a document reader, and three tools (compare two papers,
// similar wording, trace a phrase) over the JSON API.
//
// Rules this file keeps (the server's Content-Security-Policy and the tests rely on them):
// - The only string ever inserted as HTML is a search hit's `snippet`, which the server builds
//   from escaped text plus <mark>. Everything else goes in with textContent (see el() and
//   svg()); sizes go through attributes or the CSSOM, never a style attribute.
// - The whole view lives in the URL (q, filter..., page, sort, count, doc, para for search and
//   the reader; view=compare&a&b, view=similar&p, view=trace&phrase&variation&scale for the
//   tools); every change goes through navigate() and history.pushState, and popstate
//   re-renders from the URL.
'use strict';

(() => {
  const PAGE_SIZE = 20;
  const MAX_WINDOW = 10000; // the API's bound on offset + limit
  const FACET_TOP = 8; // values shown before "show more"
  const CRUMB_MAX = 48; // characters of one heading shown in a breadcrumb
  const SORTS = ['relevance', 'newest', 'oldest', 'document'];
  const COUNTS = ['paragraphs', 'documents'];
  const VIEWS = ['compare', 'similar', 'trace']; // the tools; no view is search or the reader
  const SCALES = ['count', 'rate']; // what the trace timeline's bars show
  const MAX_VARIATION = 10; // the API's bound on a trace's variation
  const SIMILAR_LIMIT = 20; // paragraphs listed by "Similar wording"
  const TRACE_EXAMPLES = 10; // oldest examples listed by a trace
  const FACETS = [
    { field: 'topic', title: 'Topic' },
    { field: 'region', title: 'Region', tree: true },
    { field: 'year', title: 'Year', byValueDesc: true },
    { field: 'country', title: 'Issuer country' },
    { field: 'issuer', title: 'Issuer' },
    { field: 'type', title: 'Type' },
    { field: 'lang', title: 'Language' },
    { field: 'doc', title: 'Paper' },
  ];
  const FIELD_NAMES = {
    topic: 'Topic', region: 'Region', year: 'Year', country: 'Country', issuer: 'Issuer',
    type: 'Type', lang: 'Language', doc: 'Paper',
  };

  const $ = (id) => document.getElementById(id);
  const ui = {};

  // ---------------------------------------------------------------------------------------
  // Small helpers

  // Builds an element. attrs: {class, text, title, ...attributes}; children: nodes or strings
  // (strings become text nodes, never HTML).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'hidden') node.hidden = true;
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  // el() for SVG (the trace chart): attributes and text only.
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  const numberFormat = new Intl.NumberFormat('en');
  const fmt = (n) => numberFormat.format(n);
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;
  const percentFormat = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  const rateFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

  // A share (0..1) as a percentage; "100%" only when it is whole.
  function pct(share) {
    const value = Math.max(0, Math.min(1, share || 0));
    const text = percentFormat.format(value);
    return value < 1 && text === '100%' ? '99.9%' : text;
  }

  // A rate per 10,000 paragraphs.
  const rate = (n) => (n > 0 && n < 0.05 ? '< 0.1' : rateFormat.format(n || 0));

  // How long the server took, as the summaries show it.
  const tookText = (ms) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;

  // Shortens at a word boundary, adding an ellipsis.
  function shorten(text, max) {
    if (text.length <= max) return text;
    let cut = text.slice(0, max);
    const space = cut.lastIndexOf(' ');
    if (space > max * 0.6) cut = cut.slice(0, space);
    return cut.replace(/[\s,;:.\-–—]+$/, '') + '…';
  }

  // A query for display: a phrase keeps its own quotes, anything else gets curly ones.
  function quoted(q) {
    return /^".*"$/.test(q) ? q : `“${q}”`;
  }

  function formatDate(date) {
    if (!date) return '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) return date;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (Number.isNaN(d.getTime())) return date;
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  }

  function isPlainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  class ApiError extends Error {
    constructor(message, status, code, column) {
      super(message);
      this.status = status;
      this.code = code;
      this.column = column;
    }
  }

  async function getJSON(path) {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: 'application/json' } });
    } catch (err) {
      throw new ApiError(`Could not reach the Concord server (${err.message}).`, 0, 'network');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const e = body && body.error;
      throw new ApiError(
        e && e.message ? e.message : `The server answered ${response.status} ${response.statusText}.`,
        response.status, e && e.code, e && typeof e.column === 'number' ? e.column : undefined);
    }
    if (!body) throw new ApiError('The server sent an answer that is not JSON.', response.status, 'bad_response');
    return body;
  }

  // ---------------------------------------------------------------------------------------
  // State <-> URL

  function parseFilter(raw) {
    let text = raw;
    let exclude = false;
    if (text.startsWith('-')) {
      exclude = true;
      text = text.slice(1);
    }
    const colon = text.indexOf(':');
    if (colon <= 0) return null;
    return { field: text.slice(0, colon).toLowerCase(), value: text.slice(colon + 1), exclude, raw };
  }

  const filterKey = (field, value, exclude) => `${exclude ? '-' : ''}${field}:${value}`;

  function readState(search) {
    const params = new URLSearchParams(search);
    const page = parseInt(params.get('page') || '1', 10);
    const sort = params.get('sort');
    const count = params.get('count');
    const para = parseInt(params.get('para') || '', 10);
    const view = params.get('view');
    const variation = parseInt(params.get('variation') || '0', 10);
    const scale = params.get('scale');
    return {
      q: params.get('q') || '',
      filters: params.getAll('filter').filter((f) => parseFilter(f) !== null),
      page: Number.isFinite(page) && page > 0 ? page : 1,
      sort: SORTS.includes(sort) ? sort : 'relevance',
      count: COUNTS.includes(count) ? count : 'paragraphs',
      doc: params.get('doc') || '',
      para: Number.isFinite(para) && para > 0 ? para : 0,
      view: VIEWS.includes(view) ? view : '',
      a: params.get('a') || '', // compare: paper ids
      b: params.get('b') || '',
      p: params.get('p') || '', // similar: a paragraph id
      phrase: params.get('phrase') || '', // trace
      variation: Number.isFinite(variation) ? Math.max(0, Math.min(MAX_VARIATION, variation)) : 0,
      scale: SCALES.includes(scale) ? scale : 'count',
    };
  }

  // A tool's state: only its own fields, so its URL carries nothing else.
  function viewState(view, fields) {
    return { ...readState(''), view, ...fields };
  }

  // Which view a state shows: a tool, the reader or the search results.
  const viewOf = (state) => state.view || (state.doc ? 'doc' : 'search');

  function stateParams(state) {
    const params = new URLSearchParams();
    if (state.view) {
      params.set('view', state.view);
      if (state.view === 'compare') {
        if (state.a) params.set('a', state.a);
        if (state.b) params.set('b', state.b);
      } else if (state.view === 'similar') {
        if (state.p) params.set('p', state.p);
      } else if (state.view === 'trace') {
        if (state.phrase) params.set('phrase', state.phrase);
        if (state.variation) params.set('variation', String(state.variation));
        if (state.scale !== 'count') params.set('scale', state.scale);
      }
      return params;
    }
    if (state.q) params.set('q', state.q);
    for (const f of state.filters) params.append('filter', f);
    if (state.page > 1) params.set('page', String(state.page));
    if (state.sort !== 'relevance') params.set('sort', state.sort);
    if (state.count !== 'paragraphs') params.set('count', state.count);
    if (state.doc) {
      params.set('doc', state.doc);
      if (state.para) params.set('para', String(state.para));
    }
    return params;
  }

  function stateUrl(state) {
    const query = stateParams(state).toString();
    return query ? `/?${query}` : '/';
  }

  // The parameters of the search the results view shows (also used for export).
  function searchQuery(state, extra) {
    const params = new URLSearchParams();
    params.set('q', state.q);
    for (const f of state.filters) params.append('filter', f);
    if (state.sort !== 'relevance') params.set('sort', state.sort);
    for (const [k, v] of Object.entries(extra || {})) params.set(k, String(v));
    return params;
  }

  function withState(changes) {
    return { ...current, ...changes };
  }

  let current = readState(location.search);

  // Moves to a new state: pushes a history entry (or replaces the current one) and renders.
  function navigate(state, options = {}) {
    const url = stateUrl(state);
    const here = location.pathname + location.search;
    // Remember where the reader was, so going back restores the scroll position.
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '', here);
    if (options.replace || url === here) {
      history.replaceState({ ...(options.historyState || {}) }, '', url);
    } else {
      history.pushState({ ...(options.historyState || {}) }, '', url);
    }
    const previous = current;
    current = state;
    render({ scrollTo: options.scrollTo, focusHit: leavingDoc(previous), focus: options.focus });
  }

  // A link to a state: a plain click navigates in the page, any other click keeps the browser's
  // own behaviour (a new tab, a download).
  function stateLink(state, attrs, children, options) {
    const a = el('a', { ...attrs, href: stateUrl(state) }, children);
    a.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      navigate(state, options);
    });
    return a;
  }

  window.addEventListener('popstate', (event) => {
    const previous = current;
    current = readState(location.search);
    const y = event.state && typeof event.state.scrollY === 'number' ? event.state.scrollY : null;
    render({ restoreScroll: y, fromHistory: true, focusHit: leavingDoc(previous) });
  });

  // When the reader leaves a paper for the results, focus returns to the hit they opened.
  function leavingDoc(previous) {
    return viewOf(previous) === 'doc' && viewOf(current) === 'search' ? `${previous.doc}:${previous.para}` : null;
  }

  // ---------------------------------------------------------------------------------------
  // Labels of facet values, remembered across searches (for badges and chips).

  const labels = new Map();
  const regionPaths = new Map();

  function rememberFacets(facets) {
    for (const [field, values] of Object.entries(facets || {})) {
      for (const v of values) {
        if (v.label) {
          labels.set(`${field}\u0000${v.value}`, v.label);
          labels.set(`${field}\u0000${String(v.value).toLowerCase()}`, v.label);
        }
        if (field === 'region' && Array.isArray(v.path)) regionPaths.set(v.value, v.path);
      }
    }
  }

  function labelOf(field, value) {
    return labels.get(`${field}\u0000${value}`) || labels.get(`${field}\u0000${String(value).toLowerCase()}`) || value;
  }

  // ---------------------------------------------------------------------------------------
  // Rendering: the two views

  function render(options = {}) {
    syncControls();
    const view = viewOf(current);
    for (const [name, node] of [['search', ui.searchView], ['doc', ui.docView], ['compare', ui.compareView],
      ['similar', ui.similarView], ['trace', ui.traceView]]) node.hidden = name !== view;
    if (view === 'doc') showDocument(current, options);
    else if (view === 'compare') showCompare(current, options);
    else if (view === 'similar') showSimilar(current, options);
    else if (view === 'trace') showTrace(current, options);
    else showSearch(current, options);
  }

  function syncControls() {
    if (ui.q.value !== current.q) ui.q.value = current.q;
    ui.sort.value = current.sort;
    for (const radio of document.querySelectorAll('input[name="count"]')) radio.checked = radio.value === current.count;
    const view = viewOf(current);
    for (const [link, name] of [[ui.modeTrace, 'trace'], [ui.modeCompare, 'compare']]) {
      if (view === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    ui.modeTrace.href = stateUrl(traceModeState());
  }

  // The trace tool opened from the top bar starts with the search's words when they are a plain
  // phrase (a quoted phrase, or words without operators or fields).
  function traceModeState() {
    if (viewOf(current) === 'trace') return current;
    const q = viewOf(current) === 'search' ? current.q.trim() : '';
    const quotedPhrase = /^"([^"]+)"$/.exec(q);
    let phrase = quotedPhrase ? quotedPhrase[1] : q;
    if (!/^[\p{L}\p{N}][\p{L}\p{N}\s'’-]*$/u.test(phrase) || /\b(AND|OR|NOT|NEAR|ADJ)\b/.test(phrase)) phrase = '';
    return viewState('trace', { phrase: phrase.trim() });
  }

  function setError(err) {
    if (!err) {
      ui.queryError.hidden = true;
      ui.queryError.textContent = '';
      ui.q.removeAttribute('aria-invalid');
      return;
    }
    ui.queryError.textContent = err.message;
    ui.queryError.hidden = false;
    ui.q.setAttribute('aria-invalid', 'true');
    if (typeof err.column === 'number' && document.activeElement === ui.q) {
      const at = Math.max(0, Math.min(ui.q.value.length, err.column - 1));
      ui.q.setSelectionRange(at, at);
    }
  }

  // ----- Search results ----------------------------------------------------------------------

  let searchSeq = 0;
  const searchCache = new Map(); // URL of a search -> {data, at}
  const LAST_REACHABLE_PAGE = Math.floor(MAX_WINDOW / PAGE_SIZE);
  let pageNotice = null; // {asked, page}: a page asked for was replaced by the last page there is

  // A link (or a stale bookmark) to a page past the results, or past the window the API pages
  // through, shows the last page there is and says so, rather than an error with no pager.
  function clampPage(state, page) {
    pageNotice = { asked: pageNotice ? pageNotice.asked : state.page, page };
    navigate(withState({ page }), { replace: true, scrollTo: 'top' });
  }

  async function showSearch(state, options) {
    const seq = ++searchSeq;
    if (state.page > LAST_REACHABLE_PAGE) {
      clampPage(state, LAST_REACHABLE_PAGE);
      return;
    }
    const offset = (state.page - 1) * PAGE_SIZE;
    const limit = Math.max(0, Math.min(PAGE_SIZE, MAX_WINDOW - offset));
    const params = searchQuery(state, { offset, limit });
    if (state.count !== 'paragraphs') params.set('count', state.count);
    const url = `/api/search?${params}`;
    document.title = state.q ? `${state.q} — Concord` : 'Concord';
    updateExportLinks(state);

    const cached = searchCache.get(url);
    let data;
    if (cached && options.fromHistory && Date.now() - cached.at < 5 * 60 * 1000) {
      data = cached.data;
    } else {
      setBusy(true);
      try {
        data = await getJSON(url);
      } catch (err) {
        if (seq !== searchSeq) return;
        setBusy(false);
        pageNotice = null;
        if (viewOf(current) === 'search') showSearchError(state, err);
        return;
      }
      if (seq !== searchSeq) return;
      setBusy(false);
      searchCache.set(url, { data, at: Date.now() });
      if (searchCache.size > 30) searchCache.delete(searchCache.keys().next().value);
      if (viewOf(current) !== 'search') return; // the person moved on to a paper or a tool meanwhile
    }
    const lastPage = Math.min(Math.ceil((data.total || 0) / PAGE_SIZE), LAST_REACHABLE_PAGE);
    if (state.page > 1 && state.page > lastPage && lastPage >= 1) {
      clampPage(state, lastPage);
      return;
    }
    const notice = pageNotice && pageNotice.page === state.page
      ? `There is no page ${fmt(pageNotice.asked)} of these results; showing page ${fmt(state.page)}, the last one.`
      : null;
    pageNotice = null;
    setError(null);
    rememberFacets(data.facets);
    renderSummary(state, data);
    renderChips(state, data);
    // A sharded index with a shard down answers from the others: say so first.
    const partial = data.partial
      ? [`Partial results: shard ${(data.unavailable_shards || []).join(', ')} unavailable; counts and hits miss its papers.`]
      : [];
    renderWarnings([...(notice ? [notice] : []), ...partial, ...(data.warnings || [])]);
    renderResults(state, data);
    renderPager(state, data);
    renderFacets(state, data);
    if (typeof options.restoreScroll === 'number') {
      window.scrollTo(0, options.restoreScroll);
    } else if (options.scrollTo === 'top') {
      window.scrollTo(0, 0);
    }
    if (options.focusHit) {
      const hit = [...ui.results.querySelectorAll('.hit')].find((node) => node.dataset.id === options.focusHit);
      const link = hit && hit.querySelector('.hit-title');
      if (link) {
        link.focus({ preventScroll: typeof options.restoreScroll === 'number' });
        if (typeof options.restoreScroll !== 'number') link.scrollIntoView({ block: 'center' });
      }
    }
  }

  function setBusy(busy) {
    if (busy) ui.main.setAttribute('aria-busy', 'true');
    else ui.main.removeAttribute('aria-busy');
    ui.main.classList.toggle('is-loading', busy);
  }

  function showSearchError(state, err) {
    setError(err);
    ui.summary.textContent = err.status === 400 ? 'The query could not be run' : 'Search failed';
    ui.results.replaceChildren(
      el('li', { class: 'empty' },
        el('p', { text: err.status === 400 ? 'Correct the query above and press Enter.' : err.message })));
    ui.pager.hidden = true;
    ui.pager.replaceChildren();
    ui.warnings.hidden = true;
    renderChips(state, { filters: [] });
    ui.facetGroups.replaceChildren();
  }

  function renderSummary(state, data) {
    const total = data.total || 0;
    const took = typeof data.took_ms === 'number' ? data.took_ms : null;
    const offset = data.offset || 0;
    const shown = (data.results || []).length;
    ui.summary.replaceChildren();
    const main = el('span', { class: 'summary-total' }, plural(total, 'paragraph', 'paragraphs'));
    ui.summary.append(main);
    if (total > 0 && shown > 0 && total > shown) {
      ui.summary.append(el('span', { class: 'summary-range' }, ` · ${fmt(offset + 1)}–${fmt(offset + shown)}`));
    }
    if (took !== null) ui.summary.append(el('span', { class: 'summary-time' }, ` · ${tookText(took)}`));
  }

  function updateExportLinks(state) {
    for (const [link, format] of [[ui.exportCsv, 'csv'], [ui.exportJson, 'json']]) {
      const params = searchQuery(state, { format });
      link.href = `/api/export?${params}`;
      link.title = `Download every matching paragraph (up to ${fmt(MAX_WINDOW)}) as ${format.toUpperCase()}`;
    }
  }

  // Chips: the URL's filters (removable) and filters written in the query (shown only).
  function renderChips(state, data) {
    const chips = [];
    const inUrl = new Set();
    for (const raw of state.filters) {
      const f = parseFilter(raw);
      if (!f) continue;
      inUrl.add(filterKey(f.field, f.value.toLowerCase(), f.exclude));
      const text = `${FIELD_NAMES[f.field] || f.field}: ${f.exclude ? 'not ' : ''}${labelOf(f.field, f.value)}`;
      const remove = el('button', {
        type: 'button', class: 'chip-remove', 'aria-label': `Remove filter ${text}`, title: 'Remove this filter',
      }, '×');
      remove.addEventListener('click', () => {
        const filters = state.filters.filter((x) => x !== raw);
        navigate(withState({ filters, page: 1 }));
        focusAfterChipRemoval();
      });
      chips.push(el('li', { class: f.exclude ? 'chip chip-exclude' : 'chip' }, el('span', { class: 'chip-text' }, text), remove));
    }
    for (const f of data.filters || []) {
      if (inUrl.has(filterKey(f.field, String(f.value).toLowerCase(), f.exclude))) continue;
      const text = `${FIELD_NAMES[f.field] || f.field}: ${f.exclude ? 'not ' : ''}${labelOf(f.field, f.value)}`;
      chips.push(el('li', { class: 'chip chip-query', title: 'Written in the query: edit the search box to change it' },
        el('span', { class: 'chip-text' }, text), el('span', { class: 'chip-note' }, 'in query')));
    }
    if (chips.length === 0) {
      ui.chips.hidden = true;
      ui.chips.replaceChildren();
      return;
    }
    const list = el('ul', { class: 'chip-list', 'aria-label': 'Active filters' }, chips);
    const parts = [el('span', { class: 'chips-label' }, 'Filters'), list];
    if (state.filters.length > 0) {
      const clear = el('button', { type: 'button', class: 'btn btn-link clear-all' }, 'Clear all');
      clear.addEventListener('click', () => {
        navigate(withState({ filters: [], page: 1 }));
        ui.q.focus();
      });
      parts.push(clear);
    }
    ui.chips.replaceChildren(...parts);
    ui.chips.hidden = false;
  }

  // After a chip's button is removed with the chip, keep keyboard focus nearby.
  function focusAfterChipRemoval() {
    requestAnimationFrame(() => {
      const next = ui.chips.querySelector('.chip-remove') || ui.main;
      next.focus({ preventScroll: true });
    });
  }

  // A tool's answer from a sharded index with a shard down: say what it misses.
  function partialNotice(data, missing) {
    if (!data.partial) return null;
    return el('ul', { class: 'warnings partial-notice' }, el('li', {
      text: `Partial results: shard ${(data.unavailable_shards || []).join(', ')} unavailable; ${missing} miss its papers.`,
    }));
  }

  function renderWarnings(warnings) {
    ui.warnings.replaceChildren(...warnings.map((w) => el('li', { text: w })));
    ui.warnings.hidden = warnings.length === 0;
  }

  function snippetFragment(html) {
    // `snippet` is the server's HTML: escaped text with <mark>. It is the one string this page
    // inserts as HTML; a <template> parses it inert, and only text and <mark> are kept.
    const template = document.createElement('template');
    template.innerHTML = html;
    const out = document.createDocumentFragment();
    for (const node of Array.from(template.content.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) out.append(node.textContent);
      else if (node.nodeType === Node.ELEMENT_NODE && node.tagName === 'MARK') out.append(el('mark', null, node.textContent));
      else out.append(node.textContent || '');
    }
    return out;
  }

  function breadcrumb(section, sectionNumber) {
    const crumbs = el('div', { class: 'crumbs' });
    if (!section || section.length === 0) {
      if (sectionNumber) crumbs.append(el('span', { class: 'crumb-number', title: 'Section number' }, `§ ${sectionNumber}`));
      else crumbs.hidden = true;
      return crumbs;
    }
    if (sectionNumber) crumbs.append(el('span', { class: 'crumb-number', title: 'Section number' }, `§ ${sectionNumber}`));
    const path = el('span', { class: 'crumb-path', title: section.join(' › ') });
    section.forEach((heading, i) => {
      if (i > 0) path.append(el('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, ' › '));
      const short = shorten(heading, CRUMB_MAX);
      path.append(el('span', { class: 'crumb', title: short !== heading ? heading : undefined }, short));
    });
    crumbs.append(path);
    return crumbs;
  }

  function badges(topics, regions, onPick) {
    const box = el('div', { class: 'badges' });
    for (const [field, values] of [['topic', topics || []], ['region', regions || []]]) {
      for (const value of values) {
        const label = labelOf(field, value);
        const button = el('button', {
          type: 'button', class: `badge badge-${field}`, title: `Filter by ${FIELD_NAMES[field].toLowerCase()}: ${label}`,
        }, label);
        if (onPick) button.addEventListener('click', () => onPick(field, value));
        else button.disabled = true;
        box.append(button);
      }
    }
    return box;
  }

  function addFilter(field, value) {
    const key = filterKey(field, value, false);
    if (current.filters.includes(key)) return;
    navigate(withState({ filters: [...current.filters, key], page: 1, doc: '', para: 0, view: '' }));
  }

  function docMeta(doc) {
    const parts = [];
    if (doc.date) parts.push(el('time', { datetime: doc.date }, formatDate(doc.date)));
    if (doc.issuer) parts.push(el('span', { class: 'hit-issuer' }, doc.issuer));
    else if (doc.country) parts.push(el('span', null, doc.country));
    if (doc.type) parts.push(el('span', { class: 'hit-type' }, doc.type));
    const box = el('span', { class: 'hit-meta' });
    parts.forEach((p, i) => {
      if (i > 0) box.append(el('span', { class: 'dot', 'aria-hidden': 'true' }, ' · '));
      box.append(p);
    });
    return box;
  }

  function renderResults(state, data) {
    const results = data.results || [];
    if (results.length === 0) {
      const empty = el('li', { class: 'empty' });
      if ((data.total || 0) > 0) {
        const first = el('a', { href: stateUrl(withState({ page: 1 })) }, 'Go to the first page');
        first.addEventListener('click', (event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          navigate(withState({ page: 1 }), { scrollTo: 'top' });
        });
        empty.append(el('p', null, 'This page is past the end of the results. '), first);
      } else {
        empty.append(el('p', { class: 'empty-title' }, state.q ? `No paragraphs match ${quoted(state.q)}.` : 'No paragraphs match.'));
        const tips = el('ul', { class: 'empty-tips' },
          el('li', null, 'Check the spelling, or use fewer words.'),
          el('li', null, 'Use OR between alternatives, or a prefix* for word forms.'));
        if (state.filters.length) tips.append(el('li', null, 'Remove a filter above.'));
        empty.append(tips);
      }
      ui.results.replaceChildren(empty);
      return;
    }
    ui.results.replaceChildren(...results.map((hit) => renderHit(state, hit)));
  }

  function renderHit(state, hit) {
    const doc = hit.doc || {};
    return hitItem(hit, { docState: withState({ doc: doc.id, para: hit.paragraph }), onBadge: addFilter });
  }

  // One hit of a list: title (opening the paper at the paragraph), metadata, breadcrumb,
  // highlighted snippet, context on demand and the "Similar wording" action. options:
  // docState (where the title leads), from (the view listing the hit, for the reader's "Back"),
  // onBadge (a topic or region badge was picked; without it the badges only show), stats (nodes
  // shown under the snippet), actions (more links in the foot).
  function hitItem(hit, options) {
    const doc = hit.doc || {};
    const title = stateLink(options.docState, { class: 'hit-title' }, doc.title || doc.id,
      { historyState: { fromResults: true, from: options.from || 'search' } });
    const where = el('span', { class: 'hit-where' }, `¶ ${hit.paragraph}`);
    if (typeof hit.page === 'number') where.append(el('span', { class: 'hit-page' }, ` · p. ${hit.page}`));

    const snippet = el('p', { class: 'snippet' });
    snippet.append(snippetFragment(hit.snippet || ''));

    const context = el('button', { type: 'button', class: 'btn btn-link context-toggle', 'aria-expanded': 'false' }, 'Show context');
    const contextBox = el('div', { class: 'context', hidden: true });
    context.addEventListener('click', () => toggleContext(hit, context, contextBox, snippet));

    return el('li', { class: 'hit', 'data-id': hit.id },
      el('div', { class: 'hit-head' }, title, docMeta(doc)),
      breadcrumb(hit.section, hit.section_number),
      el('div', { class: 'context-before' }),
      snippet,
      contextBox,
      options.stats || null,
      el('div', { class: 'hit-foot' }, where, context, similarLink(hit.id), options.actions || null,
        badges(hit.topics, hit.regions, options.onBadge || null)));
  }

  // The "Similar wording" action of a paragraph.
  function similarLink(paragraphId, extraClass) {
    return stateLink(viewState('similar', { p: paragraphId }), {
      class: `btn btn-link similar-link${extraClass ? ` ${extraClass}` : ''}`,
      title: 'Paragraphs elsewhere that share wording with this one',
    }, 'Similar wording', { historyState: { fromResults: true } });
  }

  // Shows the paragraphs around a hit, inline.
  async function toggleContext(hit, button, box, snippet) {
    const open = button.getAttribute('aria-expanded') === 'true';
    const before = snippet.previousElementSibling;
    button.textContent = open ? 'Show context' : 'Hide context';
    if (open) {
      button.setAttribute('aria-expanded', 'false');
      box.hidden = true;
      before.replaceChildren();
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'context-note' }, 'Loading…'));
    try {
      const data = await getJSON(`/api/paragraphs/${encodeURIComponent(hit.id)}?context=2`);
      if (button.getAttribute('aria-expanded') !== 'true') return;
      const para = (p) => el('p', { class: 'context-para' }, el('span', { class: 'context-no' }, `¶ ${p.paragraph}`), ' ', p.text);
      before.replaceChildren(...(data.before || []).map(para));
      box.replaceChildren(...(data.after || []).map(para));
      if (!(data.before || []).length && !(data.after || []).length) box.replaceChildren(el('p', { class: 'context-note' }, 'No neighbouring paragraphs.'));
    } catch (err) {
      box.replaceChildren(el('p', { class: 'context-note' }, err.message));
    }
  }

  function renderPager(state, data) {
    const total = data.total || 0;
    const pages = Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_WINDOW / PAGE_SIZE));
    if (pages <= 1 && state.page <= 1) {
      ui.pager.hidden = true;
      ui.pager.replaceChildren();
      return;
    }
    const page = state.page;
    const link = (n, text, extra) => {
      const target = withState({ page: n });
      const a = el('a', { href: stateUrl(target), class: 'page-link', ...extra }, text);
      a.addEventListener('click', (event) => {
        if (!isPlainClick(event)) return;
        event.preventDefault();
        navigate(target, { scrollTo: 'top' });
        ui.main.focus({ preventScroll: true });
      });
      return a;
    };
    const items = [];
    items.push(page > 1 ? link(page - 1, '‹ Previous', { rel: 'prev' })
      : el('span', { class: 'page-link disabled', 'aria-disabled': 'true' }, '‹ Previous'));
    const numbers = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2]);
    let last = 0;
    for (const n of [...numbers].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)) {
      if (n - last > 1) items.push(el('span', { class: 'page-gap', 'aria-hidden': 'true' }, '…'));
      items.push(n === page
        ? el('span', { class: 'page-link current', 'aria-current': 'page' }, String(n))
        : link(n, String(n), { 'aria-label': `Page ${n}` }));
      last = n;
    }
    items.push(page < pages ? link(page + 1, 'Next ›', { rel: 'next' })
      : el('span', { class: 'page-link disabled', 'aria-disabled': 'true' }, 'Next ›'));
    ui.pager.replaceChildren(...items);
    ui.pager.hidden = false;
  }

  // ----- Facets ------------------------------------------------------------------------------

  const expandedFacets = new Set(); // fields whose "show more" is open
  const collapsedGroups = new Set(); // fields whose group is folded
  const openRegions = new Set(); // region nodes expanded in the tree
  const closedRegions = new Set(); // region nodes the person closed

  function isSelected(state, field, v) {
    return Boolean(v.selected) || inUrl(state, field, v);
  }

  // Whether the URL's filters (not words in the query) select this value.
  function inUrl(state, field, v) {
    const want = [String(v.value).toLowerCase(), String(v.label || '').toLowerCase()];
    return state.filters.some((raw) => {
      const f = parseFilter(raw);
      return f && !f.exclude && f.field === field && want.includes(f.value.toLowerCase());
    });
  }

  function toggleFilter(field, v, on) {
    let filters = current.filters;
    if (on) {
      const key = filterKey(field, v.value, false);
      if (!filters.includes(key)) filters = [...filters, key];
    } else {
      const want = [String(v.value).toLowerCase(), String(v.label || '').toLowerCase()];
      filters = filters.filter((raw) => {
        const f = parseFilter(raw);
        return !(f && !f.exclude && f.field === field && want.includes(f.value.toLowerCase()));
      });
    }
    navigate(withState({ filters, page: 1 }));
  }

  function facetCheckbox(state, field, v, idSuffix) {
    const id = `f-${field}-${idSuffix}`;
    const checked = isSelected(state, field, v);
    const input = el('input', { type: 'checkbox', id, 'data-field': field, 'data-value': v.value });
    input.checked = checked;
    if (checked && !inUrl(state, field, v)) {
      // Selected by a field:value written in the query: the search box is where it changes.
      input.disabled = true;
      input.title = 'Set in the query: edit the search box to change it';
    }
    input.addEventListener('change', () => {
      pendingFocus = { field, value: String(v.value) };
      toggleFilter(field, v, input.checked);
    });
    const label = el('label', { for: id, class: 'facet-label' },
      el('span', { class: 'facet-name' }, v.label || v.value),
      el('span', { class: 'facet-count' }, fmt(v.count || 0)));
    if ((v.label || '').length > 28) label.title = v.label;
    return [input, label];
  }

  let pendingFocus = null; // the facet checkbox to focus again after a re-render

  function renderFacets(state, data) {
    const facets = data.facets || {};
    const groups = [];
    let index = 0;
    for (const spec of FACETS) {
      let values = (facets[spec.field] || []).slice();
      // A filter in the URL with no count any more still shows, so it can be unticked.
      for (const raw of state.filters) {
        const f = parseFilter(raw);
        if (!f || f.exclude || f.field !== spec.field) continue;
        const want = f.value.toLowerCase();
        const known = values.some((v) => String(v.value).toLowerCase() === want || String(v.label || '').toLowerCase() === want);
        if (!known) values.push({ value: f.value, label: labelOf(f.field, f.value), count: 0, selected: true, path: regionPaths.get(f.value) });
      }
      if (values.length === 0) continue;
      groups.push(spec.tree ? regionGroup(state, spec, values) : listGroup(state, spec, values, index));
      index += 1;
    }
    if (groups.length === 0) {
      ui.facetGroups.replaceChildren(el('p', { class: 'facets-empty' }, 'No filters for this result set.'));
    } else {
      ui.facetGroups.replaceChildren(...groups);
    }
    if (pendingFocus) {
      const target = ui.facetGroups.querySelector(
        `input[data-field="${CSS.escape(pendingFocus.field)}"][data-value="${CSS.escape(pendingFocus.value)}"]`);
      pendingFocus = null;
      if (target) target.focus({ preventScroll: true });
    }
  }

  function groupShell(spec, body, selectedCount) {
    const folded = collapsedGroups.has(spec.field);
    const bodyId = `facet-body-${spec.field}`;
    const toggle = el('button', {
      type: 'button', class: 'facet-toggle', 'aria-expanded': folded ? 'false' : 'true', 'aria-controls': bodyId,
    }, el('span', { class: 'facet-title' }, spec.title),
    selectedCount ? el('span', { class: 'facet-selected' }, `${selectedCount} selected`) : null);
    body.id = bodyId;
    body.hidden = folded;
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
      body.hidden = open;
      if (open) collapsedGroups.add(spec.field);
      else collapsedGroups.delete(spec.field);
    });
    return el('section', { class: `facet facet-${spec.field}`, 'aria-label': spec.title },
      el('h3', { class: 'facet-heading' }, toggle), body);
  }

  function listGroup(state, spec, values) {
    if (spec.byValueDesc) values.sort((a, b) => String(b.value).localeCompare(String(a.value), 'en', { numeric: true }));
    const selected = values.filter((v) => isSelected(state, spec.field, v));
    const showAll = expandedFacets.has(spec.field) || values.length <= FACET_TOP + 2;
    const visible = showAll ? values : values.filter((v, i) => i < FACET_TOP || isSelected(state, spec.field, v));
    const list = el('ul', { class: 'facet-list' });
    visible.forEach((v) => {
      list.append(el('li', { class: 'facet-item' }, facetCheckbox(state, spec.field, v, slug(v.value))));
    });
    const body = el('div', { class: 'facet-body' }, list);
    if (values.length > FACET_TOP + 2) {
      const more = el('button', {
        type: 'button', class: 'btn btn-link facet-more', 'aria-expanded': showAll ? 'true' : 'false',
      }, showAll ? 'Show fewer' : `Show ${values.length - visible.length} more`);
      more.addEventListener('click', () => {
        if (expandedFacets.has(spec.field)) expandedFacets.delete(spec.field);
        else expandedFacets.add(spec.field);
        const fresh = listGroup(state, spec, values);
        const old = more.closest('.facet');
        old.replaceWith(fresh);
        const again = fresh.querySelector('.facet-more');
        if (again) again.focus();
      });
      body.append(more);
    }
    return groupShell(spec, body, selected.length);
  }

  const slugs = new Map();
  function slug(value) {
    const text = String(value);
    if (!slugs.has(text)) slugs.set(text, `${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}-${slugs.size}`);
    return slugs.get(text);
  }

  // The region facet as a tree: continents at the top, sub-regions and countries below.
  function regionGroup(state, spec, values) {
    const nodes = new Map();
    for (const v of values) nodes.set(v.value, { v, children: [] });
    const roots = [];
    for (const node of nodes.values()) {
      const path = Array.isArray(node.v.path) && node.v.path.length ? node.v.path : (regionPaths.get(node.v.value) || [node.v.value]);
      if (node.v.value === 'world' && path.length <= 1) continue; // the root: its children are the top level
      let parent = null;
      for (let i = path.length - 2; i >= 0; i -= 1) {
        if (path[i] === 'world') break;
        if (nodes.has(path[i])) {
          parent = nodes.get(path[i]);
          break;
        }
      }
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const byCount = (a, b) => (b.v.count || 0) - (a.v.count || 0) || String(a.v.label).localeCompare(String(b.v.label));
    const selectedCount = values.filter((v) => isSelected(state, 'region', v)).length;

    const hasSelectedBelow = (node) => node.children.some((c) => isSelected(state, 'region', c.v) || hasSelectedBelow(c));

    const build = (list, level) => {
      const ul = el('ul', { class: level === 0 ? 'facet-list region-tree' : 'region-children' });
      for (const node of list.sort(byCount)) {
        const value = String(node.v.value);
        const li = el('li', { class: 'facet-item region-node' });
        const row = el('div', { class: 'region-row' });
        if (node.children.length) {
          const open = !closedRegions.has(value) && (openRegions.has(value) || hasSelectedBelow(node) || values.length <= 8);
          const childrenId = `region-children-${slug(value)}`;
          const toggle = el('button', {
            type: 'button', class: 'tree-toggle', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': childrenId,
            'aria-label': `Places within ${node.v.label || value}`,
          }, el('span', { class: 'tree-caret', 'aria-hidden': 'true' }));
          const children = build(node.children, level + 1);
          children.id = childrenId;
          children.hidden = !open;
          toggle.addEventListener('click', () => {
            const nowOpen = toggle.getAttribute('aria-expanded') !== 'true';
            toggle.setAttribute('aria-expanded', nowOpen ? 'true' : 'false');
            children.hidden = !nowOpen;
            if (nowOpen) {
              openRegions.add(value);
              closedRegions.delete(value);
            } else {
              openRegions.delete(value);
              closedRegions.add(value);
            }
          });
          row.append(toggle, ...facetCheckbox(state, 'region', node.v, slug(value)));
          li.append(row, children);
        } else {
          row.append(el('span', { class: 'tree-spacer', 'aria-hidden': 'true' }), ...facetCheckbox(state, 'region', node.v, slug(value)));
          li.append(row);
        }
        ul.append(li);
      }
      return ul;
    };
    const body = el('div', { class: 'facet-body' }, build(roots, 0));
    return groupShell(spec, body, selectedCount);
  }

  // ----- Document view -----------------------------------------------------------------------

  let docSeq = 0;
  const docCache = new Map(); // id -> {meta, paragraphs}
  let docRender = null; // {id, q, filters, hits} of what the view shows

  async function loadDocument(id) {
    if (docCache.has(id)) return docCache.get(id);
    const base = `/api/documents/${encodeURIComponent(id)}`;
    // The labels of this paper's topics and regions come from the facets of a browse of it.
    const tags = getJSON(`/api/search?${new URLSearchParams({ q: '*', filter: `doc:${id}`, limit: '0' })}`)
      .then((data) => rememberFacets(data.facets), () => {});
    const meta = await getJSON(base);
    const paragraphs = [];
    const CHUNK = 500;
    for (let from = 1; ; from += CHUNK) {
      const page = await getJSON(`${base}/paragraphs?from=${from}&to=${from + CHUNK - 1}`);
      paragraphs.push(...(page.paragraphs || []));
      const total = typeof page.total === 'number' ? page.total : paragraphs.length;
      if (!page.paragraphs || page.paragraphs.length === 0 || paragraphs.length >= total) break;
    }
    await tags;
    const doc = { meta, paragraphs };
    docCache.set(id, doc);
    if (docCache.size > 8) docCache.delete(docCache.keys().next().value);
    return doc;
  }

  function hasQuery(q) {
    const t = (q || '').trim();
    return t !== '' && t !== '*';
  }

  // The matches of the current search inside this paper, with their highlighted snippets.
  async function loadDocHits(state) {
    if (!hasQuery(state.q)) return null;
    const params = searchQuery({ ...state, sort: 'document' }, { limit: 1000, facets: 'false', snippet: 4096 });
    params.append('filter', `doc:${state.doc}`);
    try {
      const data = await getJSON(`/api/search?${params}`);
      const hits = new Map();
      for (const r of data.results || []) if (r.doc && r.doc.id === state.doc) hits.set(r.paragraph, r);
      return hits;
    } catch (err) {
      return null; // the paper still reads without highlights
    }
  }

  async function showDocument(state, options) {
    const seq = ++docSeq;
    setError(null);
    updateBackLabel();
    const sameDoc = docRender && docRender.id === state.doc && docRender.q === state.q
      && docRender.filters === state.filters.join('\n');
    if (sameDoc) {
      selectParagraph(state.para, { scroll: true, restore: options.restoreScroll });
      return;
    }
    ui.docStatus.textContent = 'Loading the paper…';
    ui.docStatus.hidden = false;
    ui.docMain.setAttribute('aria-busy', 'true');
    let doc;
    let hits;
    try {
      [doc, hits] = await Promise.all([loadDocument(state.doc), loadDocHits(state)]);
    } catch (err) {
      if (seq !== docSeq || current.doc !== state.doc) return;
      ui.docMain.removeAttribute('aria-busy');
      docRender = null;
      ui.docTitle.textContent = err.status === 404 ? 'Paper not found' : 'The paper could not be loaded';
      ui.docMeta.replaceChildren();
      ui.docHits.hidden = true;
      ui.outlineList.replaceChildren();
      ui.docParagraphs.replaceChildren();
      ui.docStatus.textContent = err.message;
      document.title = 'Concord';
      return;
    }
    if (seq !== docSeq || current.doc !== state.doc) return;
    ui.docMain.removeAttribute('aria-busy');
    ui.docStatus.textContent = '';
    ui.docStatus.hidden = true;
    docRender = { id: state.doc, q: state.q, filters: state.filters.join('\n'), hits };
    renderDocument(doc, hits, state);
    selectParagraph(state.para, { scroll: true, restore: options.restoreScroll, focus: !options.fromHistory });
  }

  function renderDocument(doc, hits, state) {
    const meta = doc.meta;
    document.title = `${meta.title || meta.id} — Concord`;
    ui.docTitle.textContent = meta.title || meta.id;

    const rows = [
      ['Issuer', meta.issuer], ['Date', meta.date ? formatDate(meta.date) : ''], ['Place', meta.place],
      ['Country', meta.country], ['Type', meta.type], ['Language', meta.language],
      ['Paragraphs', typeof meta.paragraphs === 'number' ? fmt(meta.paragraphs) : ''],
    ];
    if (meta.extra && typeof meta.extra === 'object') {
      for (const [k, v] of Object.entries(meta.extra)) {
        if (typeof v === 'string' || typeof v === 'number') rows.push([k.charAt(0).toUpperCase() + k.slice(1), String(v)]);
      }
    }
    rows.push(['Id', meta.id]);
    ui.docMeta.replaceChildren(...rows.filter(([, v]) => v).map(([k, v]) => el('div', { class: 'meta-row' }, el('dt', null, k), el('dd', null, v))));
    ui.docCompare.href = stateUrl(viewState('compare', { a: meta.id }));
    ui.docCompare.title = `Compare ${meta.title || meta.id} with another paper`;

    // Outline
    const sections = meta.sections || [];
    const hitsBySection = new Map();
    if (hits) {
      for (const p of doc.paragraphs) {
        if (hits.has(p.paragraph)) hitsBySection.set(p.section_index, (hitsBySection.get(p.section_index) || 0) + 1);
      }
    }
    if (sections.length === 0) {
      ui.outlineList.replaceChildren(el('li', { class: 'outline-empty' }, 'This paper has no detected sections.'));
    } else {
      ui.outlineList.replaceChildren(...sections.map((s) => {
        const target = withState({ para: s.first_paragraph || 0 });
        const count = hitsBySection.get(s.index);
        const a = el('a', {
          href: stateUrl(target), class: 'outline-link', 'data-section': s.index,
          title: s.heading,
        }, el('span', { class: 'outline-text' }, s.heading || s.number),
        count ? el('span', { class: 'outline-hits', title: `${plural(count, 'match', 'matches')} in this section` }, fmt(count)) : null);
        a.addEventListener('click', (event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          jumpToSection(s.index);
        });
        return el('li', { class: `outline-item level-${Math.min(s.level || 1, 6)}` }, a);
      }));
    }

    // Paragraphs, with section headings placed before their first paragraph.
    const headingAt = new Map(); // paragraph number -> sections starting there
    const trailing = [];
    const byNumber = new Map(doc.paragraphs.map((p) => [p.paragraph, p]));
    for (const s of sections) {
      const first = byNumber.get(s.first_paragraph);
      if (first && first.is_heading && first.section_index === s.index) continue; // the paragraph is the heading
      if (!first) {
        trailing.push(s);
        continue;
      }
      if (!headingAt.has(s.first_paragraph)) headingAt.set(s.first_paragraph, []);
      headingAt.get(s.first_paragraph).push(s);
    }
    const sectionHeading = (s) => el(`h${Math.min((s.level || 1) + 1, 6)}`, {
      class: 'doc-section', id: `sec-${s.index}`, tabindex: '-1', 'data-section': s.index,
    }, s.heading || s.number);

    const frag = document.createDocumentFragment();
    const ownHeadings = new Set(sections.filter((s) => {
      const first = byNumber.get(s.first_paragraph);
      return first && first.is_heading && first.section_index === s.index;
    }).map((s) => s.first_paragraph));
    for (const p of doc.paragraphs) {
      for (const s of headingAt.get(p.paragraph) || []) frag.append(sectionHeading(s));
      frag.append(renderParagraph(p, hits && hits.get(p.paragraph), ownHeadings.has(p.paragraph)));
    }
    for (const s of trailing) frag.append(sectionHeading(s));
    ui.docParagraphs.replaceChildren(frag);

    // Matches of the query in this paper, with previous/next.
    if (hits && hasQuery(state.q)) {
      const numbers = [...hits.keys()].sort((a, b) => a - b);
      ui.docHits.replaceChildren();
      const label = el('span', { class: 'doc-hits-label', 'aria-live': 'polite' });
      const position = el('span', { class: 'doc-hits-position' });
      ui.docHits.append(label, position);
      matchNav = { numbers, label, position, q: state.q };
      updateMatchLabel();
      if (numbers.length) {
        const prev = el('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': 'Previous match', 'aria-keyshortcuts': 'p', title: 'Previous match (p)',
        }, '‹ Prev');
        const next = el('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': 'Next match', 'aria-keyshortcuts': 'n', title: 'Next match (n)',
        }, 'Next ›');
        const step = (dir) => {
          const at = current.para || 0;
          let target;
          if (dir > 0) target = numbers.find((n) => n > at) ?? numbers[0];
          else target = [...numbers].reverse().find((n) => n < at) ?? numbers[numbers.length - 1];
          moveToParagraph(target);
        };
        prev.addEventListener('click', () => step(-1));
        next.addEventListener('click', () => step(1));
        stepMatch = step;
        ui.docHits.append(el('span', { class: 'doc-hits-nav' }, prev, next));
      }
      ui.docHits.hidden = false;
    } else {
      ui.docHits.hidden = true;
      ui.docHits.replaceChildren();
      stepMatch = null;
      matchNav = null;
    }
  }

  let matchNav = null; // {numbers, label, position, q} of the match bar

  function updateMatchLabel() {
    if (!matchNav) return;
    const { numbers, label, position, q } = matchNav;
    label.textContent = numbers.length
      ? `${plural(numbers.length, 'match', 'matches')} for ${quoted(q)} in this paper`
      : `No matches for ${quoted(q)} in this paper`;
    const at = numbers.indexOf(current.para);
    position.textContent = at >= 0 && numbers.length > 1 ? `· showing ${fmt(at + 1)} of ${fmt(numbers.length)}` : '';
  }

  let stepMatch = null; // moves to the previous (-1) or next (1) match in the open paper

  function renderParagraph(p, hit, isHeading) {
    const body = el(isHeading ? 'div' : 'p', { class: 'para-text' });
    let usedSnippet = false;
    if (hit && hit.snippet) {
      const frag = snippetFragment(hit.snippet);
      // Use the highlighted snippet only when it is the whole paragraph.
      if (frag.textContent.trim() === (p.text || '').trim()) {
        body.append(frag);
        usedSnippet = true;
      }
    }
    if (!usedSnippet) body.textContent = p.text || '';
    if (isHeading) {
      body.setAttribute('role', 'heading');
      body.setAttribute('aria-level', String(Math.min(((p.section || []).length || 1) + 1, 6)));
    }
    const link = el('a', { class: 'para-link', href: stateUrl(withState({ para: p.paragraph })), title: 'Link to this paragraph' }, `¶ ${p.paragraph}`);
    link.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      moveToParagraph(p.paragraph);
    });
    const gutter = el('div', { class: 'para-gutter' },
      p.section_number ? el('span', { class: 'para-section', title: (p.section || []).join(' › ') }, p.section_number) : null,
      link,
      typeof p.page === 'number' ? el('span', { class: 'para-page' }, `p. ${p.page}`) : null,
      isHeading ? null : similarLink(p.id || `${current.doc}:${p.paragraph}`, 'para-similar'));
    const classes = ['para'];
    if (isHeading) classes.push('para-heading');
    if (hit) classes.push('para-match');
    const tags = (p.topics && p.topics.length) || (p.regions && p.regions.length)
      ? badges(p.topics, p.regions, (field, value) => addFilter(field, value)) : null;
    return el('div', {
      class: classes.join(' '), id: `p-${p.paragraph}`, 'data-paragraph': p.paragraph, 'data-section': p.section_index, tabindex: '-1',
    }, gutter, el('div', { class: 'para-body' }, body, tags));
  }

  function selectParagraph(number, options = {}) {
    for (const old of ui.docParagraphs.querySelectorAll('.para-current')) {
      old.classList.remove('para-current');
      old.removeAttribute('aria-current');
    }
    for (const old of ui.outlineList.querySelectorAll('[aria-current]')) old.removeAttribute('aria-current');
    const target = number ? document.getElementById(`p-${number}`) : null;
    if (!target) {
      if (typeof options.restore === 'number') window.scrollTo(0, options.restore);
      else if (options.scroll) window.scrollTo(0, 0);
      if (options.focus) ui.docMain.focus({ preventScroll: true });
      return;
    }
    target.classList.add('para-current');
    target.setAttribute('aria-current', 'true');
    updateMatchLabel();
    const section = target.getAttribute('data-section');
    const outline = ui.outlineList.querySelector(`.outline-link[data-section="${CSS.escape(section || '')}"]`);
    if (outline) {
      outline.setAttribute('aria-current', 'location');
      outline.scrollIntoView({ block: 'nearest' });
    }
    if (typeof options.restore === 'number') window.scrollTo(0, options.restore);
    else if (options.scroll) target.scrollIntoView({ block: 'center' });
    if (options.focus !== false) target.focus({ preventScroll: true });
  }

  // Moves the highlight to a paragraph of the open paper and records it in the URL.
  function moveToParagraph(number) {
    current = withState({ para: number });
    history.replaceState(history.state, '', stateUrl(current));
    selectParagraph(number, { scroll: true, focus: true });
  }

  function jumpToSection(index) {
    const heading = document.getElementById(`sec-${index}`);
    const section = (docCache.get(current.doc)?.meta.sections || []).find((s) => s.index === index);
    if (heading) {
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    } else if (section) {
      const para = document.getElementById(`p-${section.first_paragraph}`);
      if (para) {
        para.scrollIntoView({ block: 'start' });
        para.focus({ preventScroll: true });
      }
    }
  }

  function backToResults() {
    if (history.state && history.state.fromResults) {
      history.back();
      return;
    }
    navigate(withState({ doc: '', para: 0 }));
  }

  // The reader's "Back" names the view that opened the paper.
  const BACK_LABELS = {
    compare: '‹ Back to the comparison', similar: '‹ Back to similar wording', trace: '‹ Back to the trace',
  };

  function updateBackLabel() {
    const from = history.state && history.state.fromResults ? history.state.from : '';
    ui.back.textContent = BACK_LABELS[from] || '‹ Back to results';
  }

  // ---------------------------------------------------------------------------------------
  // Tools: compare two papers, similar wording, trace a phrase

  // The reader at a paper (and paragraph), with a query's matches highlighted when q is given.
  const readerState = (doc, para, q) => ({ ...readState(''), doc, para: para || 0, q: q || '' });

  // Links from a tool into the reader: "Back" in the reader returns to the tool.
  const fromTool = (view) => ({ historyState: { fromResults: true, from: view } });

  // A tool's status line: a message (an error in red), or nothing.
  function setStatus(node, message, isError) {
    node.textContent = message || '';
    node.hidden = !message;
    node.classList.toggle('is-error', Boolean(message && isError));
  }

  function setToolBusy(main, busy) {
    if (busy) main.setAttribute('aria-busy', 'true');
    else main.removeAttribute('aria-busy');
    main.classList.toggle('is-loading', busy);
  }

  // Scroll after a tool has rendered: back/forward restores the position, a new view starts at the top.
  function placeScroll(options) {
    if (typeof options.restoreScroll === 'number') window.scrollTo(0, options.restoreScroll);
    else if (!options.fromHistory) window.scrollTo(0, 0);
  }

  // A horizontal bar showing a share (0..1); its number is always written next to it.
  function shareBar(share) {
    const fill = el('span', { class: 'bar-fill' });
    fill.style.width = `${Math.max(0, Math.min(1, share || 0)) * 100}%`; // CSSOM, allowed by the CSP
    return el('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
  }

  let documentList = null; // a promise of the papers of /api/documents
  let tagLabels = null; // a promise that the labels of every topic and region are known

  // The names of topics and regions for the badges of hits a tool lists (from a browse's facets).
  function loadTagLabels() {
    if (!tagLabels) {
      tagLabels = getJSON(`/api/search?${new URLSearchParams({ q: '*', limit: '0' })}`)
        .then((data) => rememberFacets(data.facets), () => {
          tagLabels = null; // the badges show ids meanwhile
        });
    }
    return tagLabels;
  }

  function loadDocumentList() {
    if (!documentList) {
      documentList = getJSON('/api/documents').then((data) => data.documents || [], (err) => {
        documentList = null;
        throw err;
      });
    }
    return documentList;
  }

  // ----- Compare two papers ------------------------------------------------------------------

  let compareSeq = 0;
  const compareCache = new Map(); // "a\0b" -> the API's answer
  let compareShown = ''; // the "a\0b" the view shows
  let hideUnchanged = false; // the "Hide unchanged paragraphs" box
  let stepChange = null; // moves to the previous (-1) or next (1) changed row of the comparison

  // The options of a paper picker: dated papers oldest first, then the undated ones by id.
  function paperOptions(select, docs, chosen, placeholder) {
    const titleCount = new Map();
    for (const d of docs) titleCount.set(d.title || d.id, (titleCount.get(d.title || d.id) || 0) + 1);
    const key = (d) => `${d.date || '~'}\u0000${d.date ? d.title || d.id : d.id}`;
    const sorted = [...docs].sort((x, y) => key(x).localeCompare(key(y), 'en', { numeric: true }));
    const options = [el('option', { value: '' }, placeholder)];
    for (const d of sorted) {
      const name = d.title || d.id;
      const parts = [shorten(name, 90)];
      if (d.date) parts.push(formatDate(d.date));
      if (titleCount.get(name) > 1 && name !== d.id) parts.push(d.id);
      options.push(el('option', { value: d.id, title: name }, parts.join(' · ')));
    }
    if (chosen && !docs.some((d) => d.id === chosen)) options.push(el('option', { value: chosen }, `${chosen} (not in the index)`));
    select.replaceChildren(...options);
    select.value = chosen;
  }

  async function showCompare(state, options) {
    const seq = ++compareSeq;
    const stale = () => seq !== compareSeq || viewOf(current) !== 'compare';
    setError(null);
    document.title = 'Compare papers — Concord';
    let docs;
    try {
      docs = await loadDocumentList();
    } catch (err) {
      if (!stale()) setStatus(ui.compareStatus, err.message, true);
      return;
    }
    if (stale()) return;
    paperOptions(ui.compareA, docs, state.a, 'Choose paper A…');
    paperOptions(ui.compareB, docs, state.b, 'Choose paper B…');
    if (!state.a || !state.b) {
      compareShown = '';
      stepChange = null;
      ui.compareResult.replaceChildren();
      setStatus(ui.compareStatus, state.a || state.b ? `Choose paper ${state.a ? 'B' : 'A'} to compare with.` : 'Choose two papers to compare.');
      if (options.focus === 'compare') (state.a ? ui.compareB : ui.compareA).focus();
      placeScroll(options);
      return;
    }
    const key = `${state.a}\u0000${state.b}`;
    let data = compareCache.get(key);
    if (key === compareShown && data) {
      document.title = compareTitle(data);
      setStatus(ui.compareStatus, '');
      placeScroll(options);
      return;
    }
    if (!data) {
      setStatus(ui.compareStatus, 'Comparing…');
      setToolBusy(ui.compareMain, true);
      try {
        data = await getJSON(`/api/compare?${new URLSearchParams({ a: state.a, b: state.b })}`);
      } catch (err) {
        if (stale()) return;
        setToolBusy(ui.compareMain, false);
        compareShown = '';
        stepChange = null;
        ui.compareResult.replaceChildren();
        setStatus(ui.compareStatus, err.message, true);
        return;
      }
      if (stale()) return;
      setToolBusy(ui.compareMain, false);
      compareCache.set(key, data);
      if (compareCache.size > 6) compareCache.delete(compareCache.keys().next().value);
    }
    setStatus(ui.compareStatus, '');
    compareShown = key;
    renderComparison(data);
    placeScroll(options);
  }

  const compareTitle = (data) => `${data.a.title || data.a.id} ⇄ ${data.b.title || data.b.id} — Concord`;

  // The rows of the side-by-side view in reading order: pairs and paragraphs only in A in A's
  // order, each paragraph only in B right after the row that holds the B paragraph before it.
  function compareRows(data) {
    const rows = (data.pairs || []).map((pair) => ({ type: 'pair', pair, a: pair.a, b: pair.b }));
    for (const n of data.a_only || []) rows.push({ type: 'a-only', a: [n], b: [] });
    rows.sort((x, y) => Math.min(...x.a) - Math.min(...y.a));
    const rowOfB = new Map();
    for (const row of rows) for (const n of row.b) rowOfB.set(n, row);
    for (const n of [...(data.b_only || [])].sort((x, y) => x - y)) {
      const row = { type: 'b-only', a: [], b: [n] };
      let before = null;
      for (let m = n - 1; m >= 1 && !before; m -= 1) before = rowOfB.get(m) || null;
      rows.splice(before ? rows.indexOf(before) + 1 : 0, 0, row);
      rowOfB.set(n, row);
    }
    return rows;
  }

  const WORD = /[\p{L}\p{N}]+/gu;

  // One side of a pair as segments ({text, changed}) per paragraph, from the side's own text.
  // The diff's equal pieces carry A's wording, so B's side is not rebuilt from the diff: its words
  // are walked in step with the words of B's paragraphs, and the inserted ones are marked there.
  // ownOps are the pieces whose text is this side's own (checked word by word). Returns null when
  // the words do not line up.
  function markedParagraphs(texts, pieces, ownOps, changedOp) {
    const words = [];
    for (const piece of pieces) {
      if (piece.op !== 'equal' && piece.op !== changedOp) continue;
      for (const m of piece.text.matchAll(WORD)) {
        words.push({ word: m[0], own: ownOps.includes(piece.op), changed: piece.op === changedOp });
      }
    }
    let at = 0;
    const out = [];
    for (const text of texts) {
      const segments = [];
      let plainFrom = 0;
      let run = null; // [start, end) of the changed words being gathered
      const closeRun = () => {
        if (!run) return;
        if (run[0] > plainFrom) segments.push({ text: text.slice(plainFrom, run[0]), changed: false });
        segments.push({ text: text.slice(run[0], run[1]), changed: true });
        plainFrom = run[1];
        run = null;
      };
      for (const m of text.matchAll(WORD)) {
        const w = words[at];
        at += 1;
        if (!w || (w.own && w.word !== m[0])) return null;
        if (!w.changed) closeRun();
        else if (run) run[1] = m.index + m[0].length;
        else run = [m.index, m.index + m[0].length];
      }
      closeRun();
      if (plainFrom < text.length) segments.push({ text: text.slice(plainFrom), changed: false });
      out.push(segments);
    }
    return at === words.length ? out : null;
  }

  // The fallback: one side's text as the diff gives it, split at its paragraph breaks.
  function diffParagraphs(pieces, changedOp) {
    const blocks = [[]];
    for (const piece of pieces) {
      if (piece.op !== 'equal' && piece.op !== changedOp) continue;
      piece.text.split('\n').forEach((part, i) => {
        if (i > 0) blocks.push([]);
        if (part) blocks[blocks.length - 1].push({ text: part, changed: piece.op === changedOp });
      });
    }
    return blocks;
  }

  function sideBlocks(paragraphs, pair, side) {
    const texts = paragraphs.map((p) => p.text || '');
    if (!pair) return texts.map((text) => [{ text, changed: false }]);
    const diff = pair.diff || [];
    return side === 'a'
      ? markedParagraphs(texts, diff, ['equal', 'delete'], 'delete') || diffParagraphs(diff, 'delete')
      : markedParagraphs(texts, diff, ['insert'], 'insert') || diffParagraphs(diff, 'insert');
  }

  // One side of a row: its paragraphs with a gutter (side, ¶ link into the reader, section).
  function compareSide(side, docId, paragraphs, blocks) {
    const letter = side.toUpperCase();
    const cell = el('div', { class: `cmp-side cmp-side-${side}` });
    if (!paragraphs.length) {
      cell.classList.add('cmp-missing');
      cell.append(el('p', { class: 'cmp-missing-note' }, `Not in ${letter}`));
      return cell;
    }
    const gutter = (ps) => el('div', { class: 'cmp-gutter' },
      el('span', { class: 'cmp-side-tag' }, letter),
      ps.length === 1 && ps[0].section_number
        ? el('span', { class: 'para-section', title: (ps[0].section || []).join(' › ') }, `§ ${ps[0].section_number}`) : null,
      ps.map((p) => stateLink(readerState(docId, p.paragraph), {
        class: 'para-link', title: `Open paper ${letter} at this paragraph`, 'aria-label': `Paper ${letter}, paragraph ${p.paragraph}`,
      }, `¶ ${p.paragraph}`, fromTool('compare'))));
    const tag = side === 'a' ? 'del' : 'ins';
    const text = (segments) => el('p', { class: 'cmp-text' }, segments.map((s) => (s.changed ? el(tag, null, s.text) : s.text)));
    if (blocks.length === paragraphs.length) {
      blocks.forEach((segments, i) => cell.append(el('div', { class: 'cmp-para' }, gutter([paragraphs[i]]), text(segments))));
    } else {
      cell.append(el('div', { class: 'cmp-para' }, gutter(paragraphs), el('div', null, blocks.map(text))));
    }
    return cell;
  }

  function compareRow(row, data, paraA, paraB) {
    const pair = row.pair;
    const as = row.a.map((n) => paraA.get(n)).filter(Boolean);
    const bs = row.b.map((n) => paraB.get(n)).filter(Boolean);
    const changed = pair ? (pair.diff || []).some((d) => d.op !== 'equal') : true;
    const unchanged = pair && pair.kind === 'one-to-one' && !changed;
    const head = el('div', { class: 'cmp-row-head' });
    if (row.type === 'a-only') {
      head.append(el('span', { class: 'cmp-badge cmp-badge-a-only' }, 'Only in A'),
        el('span', { class: 'cmp-note' }, 'no paragraph of B matches it'));
    } else if (row.type === 'b-only') {
      head.append(el('span', { class: 'cmp-badge cmp-badge-b-only' }, 'Only in B'),
        el('span', { class: 'cmp-note' }, 'new in B'));
    } else {
      if (pair.kind === 'split') {
        head.append(el('span', { class: 'cmp-badge cmp-badge-split', title: 'One paragraph of A became several in B' }, `Split · 1 → ${pair.b.length}`));
      } else if (pair.kind === 'merge') {
        head.append(el('span', { class: 'cmp-badge cmp-badge-merge', title: 'Several paragraphs of A became one in B' }, `Merged · ${pair.a.length} → 1`));
      } else if (pair.kind === 'regrouped') {
        head.append(el('span', { class: 'cmp-badge cmp-badge-merge', title: 'Paragraphs were split and merged again: the group is aligned as a whole' }, `Regrouped · ${pair.a.length} → ${pair.b.length}`));
      }
      head.append(el('span', { class: `cmp-badge ${changed ? 'cmp-badge-changed' : 'cmp-badge-same'}` },
        changed ? 'Changed' : unchanged ? 'Unchanged' : 'Same words'),
        el('span', { class: 'cmp-similarity', title: 'Share of consecutive word pairs the paragraphs have in common' },
          `${pct(pair.similarity)} similar`),
        el('span', { class: 'cmp-note' }, `${fmt(pair.a_words_found || 0)} of ${plural(pair.a_words || 0, 'word', 'words')} of A found in B`));
    }
    const classes = ['cmp-row', `cmp-${row.type === 'pair' ? pair.kind : row.type}`];
    if (unchanged) classes.push('cmp-unchanged');
    return el('li', { class: classes.join(' '), tabindex: '-1', 'data-a': row.a.join(' '), 'data-b': row.b.join(' ') },
      head,
      el('div', { class: 'cmp-cols' },
        compareSide('a', data.a.id, as, sideBlocks(as, pair, 'a')),
        compareSide('b', data.b.id, bs, sideBlocks(bs, pair, 'b'))));
  }

  function comparePaper(letter, doc) {
    return el('div', { class: `cmp-paper cmp-paper-${letter.toLowerCase()}` },
      el('span', { class: 'cmp-side-tag', 'aria-hidden': 'true' }, letter),
      el('div', { class: 'cmp-paper-body' },
        el('span', { class: 'visually-hidden' }, `Paper ${letter}: `),
        stateLink(readerState(doc.id), { class: 'cmp-paper-title', title: doc.title || doc.id }, doc.title || doc.id, fromTool('compare')),
        docMeta(doc)));
  }

  function renderComparison(data) {
    document.title = compareTitle(data);
    const summary = data.summary || {};
    const paraA = new Map((data.a.paragraphs || []).map((p) => [p.paragraph, p]));
    const paraB = new Map((data.b.paragraphs || []).map((p) => [p.paragraph, p]));
    const pairs = data.pairs || [];
    const splits = pairs.filter((p) => p.kind === 'split').length;
    const merges = pairs.filter((p) => p.kind === 'merge').length;
    const regrouped = pairs.filter((p) => p.kind === 'regrouped').length;
    const kinds = [splits ? `${fmt(splits)} split` : '', merges ? `${fmt(merges)} merged` : '', regrouped ? `${fmt(regrouped)} regrouped` : ''].filter(Boolean).join(', ');

    const head = el('div', { class: 'cmp-papers' }, comparePaper('A', data.a), comparePaper('B', data.b));

    const share = el('p', { class: 'cmp-share' },
      el('strong', { class: 'cmp-share-value' }, pct(summary.share)),
      el('span', null, ' of A’s wording is found in B '),
      el('span', { class: 'cmp-share-words' }, `(${fmt(summary.a_words_found || 0)} of ${plural(summary.a_words || 0, 'word', 'words')})`));
    const counts = el('ul', { class: 'cmp-counts' },
      el('li', null, el('strong', null, fmt(summary.pairs || 0)), ` aligned ${summary.pairs === 1 ? 'pair' : 'pairs'}`, kinds ? ` (${kinds})` : ''),
      el('li', { class: 'cmp-count-a-only' }, el('strong', null, fmt(summary.a_only || 0)), ` ${summary.a_only === 1 ? 'paragraph' : 'paragraphs'} only in A`),
      el('li', { class: 'cmp-count-b-only' }, el('strong', null, fmt(summary.b_only || 0)), ` ${summary.b_only === 1 ? 'paragraph' : 'paragraphs'} only in B`),
      typeof data.took_ms === 'number' ? el('li', { class: 'summary-time' }, tookText(data.took_ms)) : null);
    const summaryBox = el('section', { class: 'cmp-summary', 'aria-label': 'Summary' },
      el('div', { class: 'cmp-share-box' }, share, shareBar(summary.share)),
      counts,
      data.identical ? el('p', { class: 'cmp-identical' }, 'The two papers have the same text.') : null);

    const rows = compareRows(data);
    const list = el('ol', { class: `cmp-rows${hideUnchanged ? ' hide-unchanged' : ''}`, 'aria-label': 'Paragraphs of A and B side by side' },
      rows.map((row) => compareRow(row, data, paraA, paraB)));

    // By section of A, each name jumping to the section's first row.
    const rowOfA = new Map();
    for (const item of list.children) for (const n of item.dataset.a.split(' ').filter(Boolean)) rowOfA.set(Number(n), item);
    const firstRowOf = (section) => {
      const ps = data.a.paragraphs || [];
      const p = ps.find((x) => x.section_number === section.number)
        || (section.number ? ps.find((x) => (x.section_number || '').startsWith(`${section.number}.`)) : null);
      return p ? rowOfA.get(p.paragraph) : null;
    };
    const sections = (data.sections || []).map((section) => {
      const name = section.heading || section.number || 'Before the first heading';
      const target = firstRowOf(section);
      let label = el('span', { class: 'cmp-section-name', title: name }, shorten(name, 70));
      if (target) {
        label = el('button', { type: 'button', class: 'btn btn-link cmp-section-name', title: `Go to ${name}` }, shorten(name, 70));
        label.addEventListener('click', () => {
          target.classList.add('cmp-shown'); // even when unchanged rows are hidden
          target.scrollIntoView({ block: 'start' });
          target.focus({ preventScroll: true });
        });
      }
      return el('tr', null,
        el('th', { scope: 'row' }, label),
        el('td', { class: 'num' }, fmt(section.words || 0)),
        el('td', { class: 'num' }, fmt(section.words_found || 0)),
        el('td', { class: 'share-cell' }, shareBar(section.share), el('span', { class: 'share-text' }, pct(section.share))));
    });
    const sectionTable = sections.length ? el('table', { class: 'cmp-sections' },
      el('caption', null, 'A’s wording found in B, by section of A'),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Section'), el('th', { scope: 'col', class: 'num' }, 'Words'),
        el('th', { scope: 'col', class: 'num' }, 'Found'), el('th', { scope: 'col' }, 'Share found'))),
      el('tbody', null, sections)) : null;

    const unchangedCount = list.querySelectorAll('.cmp-unchanged').length;
    const hide = el('input', { type: 'checkbox', id: 'cmp-hide-unchanged' });
    hide.checked = hideUnchanged;
    hide.addEventListener('change', () => {
      hideUnchanged = hide.checked;
      list.classList.toggle('hide-unchanged', hideUnchanged);
      for (const shown of list.querySelectorAll('.cmp-shown')) shown.classList.remove('cmp-shown');
    });
    const toolbar = el('div', { class: 'cmp-toolbar' },
      el('span', { class: 'cmp-legend' }, el('del', null, 'deleted from A'), el('ins', null, 'inserted in B')),
      unchangedCount ? el('label', { class: 'cmp-hide', for: 'cmp-hide-unchanged' }, hide, ` Hide unchanged paragraphs (${fmt(unchangedCount)})`) : null,
      el('span', { class: 'cmp-keys' }, el('kbd', null, 'n'), ' / ', el('kbd', null, 'p'), ' next / previous change'));

    stepChange = (dir) => {
      const all = [...list.children];
      const changes = all.filter((r) => !r.classList.contains('cmp-unchanged'));
      if (!changes.length) return;
      const active = document.activeElement instanceof Element ? document.activeElement.closest('.cmp-row') : null;
      const at = active ? all.indexOf(active) : -1;
      const target = dir > 0
        ? changes.find((r) => all.indexOf(r) > at) || changes[0]
        : [...changes].reverse().find((r) => all.indexOf(r) < (at < 0 ? all.length : at)) || changes[changes.length - 1];
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    };

    ui.compareResult.replaceChildren(head, summaryBox, sectionTable, toolbar, list);
  }

  // ----- Similar wording ---------------------------------------------------------------------

  let similarSeq = 0;
  let similarShown = ''; // the paragraph id the view shows

  async function showSimilar(state, options) {
    const seq = ++similarSeq;
    const stale = () => seq !== similarSeq || viewOf(current) !== 'similar';
    setError(null);
    if (state.p && state.p === similarShown) {
      document.title = ui.similarMain.dataset.title || 'Similar wording — Concord';
      placeScroll(options);
      return;
    }
    document.title = 'Similar wording — Concord';
    similarShown = '';
    if (!state.p) {
      ui.similarSource.hidden = true;
      ui.similarSummary.hidden = true;
      ui.similarResults.replaceChildren();
      setStatus(ui.similarStatus, 'No paragraph was chosen: use “Similar wording” on a search result or on a paragraph of a paper.');
      placeScroll(options);
      return;
    }
    setToolBusy(ui.similarMain, true);
    setStatus(ui.similarStatus, 'Looking for the same wording elsewhere…');
    let source;
    let data;
    try {
      [source, data] = await Promise.all([
        getJSON(`/api/paragraphs/${encodeURIComponent(state.p)}?context=0`),
        getJSON(`/api/similar?${new URLSearchParams({ paragraph: state.p, limit: SIMILAR_LIMIT })}`),
        loadTagLabels(),
      ]);
    } catch (err) {
      if (stale()) return;
      setToolBusy(ui.similarMain, false);
      ui.similarSource.hidden = true;
      ui.similarSummary.hidden = true;
      ui.similarResults.replaceChildren();
      setStatus(ui.similarStatus, err.message, true);
      return;
    }
    if (stale()) return;
    setToolBusy(ui.similarMain, false);
    setStatus(ui.similarStatus, '');
    similarShown = state.p;
    renderSimilar(source, data);
    placeScroll(options);
    if (!options.fromHistory) ui.similarMain.focus({ preventScroll: true });
  }

  function renderSimilar(source, data) {
    const para = source.paragraph || {};
    const doc = source.document || { id: para.doc_id };
    const title = `Similar wording: ${doc.title || doc.id} ¶ ${para.paragraph} — Concord`;
    document.title = title;
    ui.similarMain.dataset.title = title;

    ui.similarSource.replaceChildren(
      el('h2', { class: 'source-label' }, 'Source paragraph'),
      el('div', { class: 'hit-head' },
        stateLink(readerState(doc.id, para.paragraph), { class: 'hit-title' }, doc.title || doc.id, fromTool('similar')),
        docMeta(doc)),
      breadcrumb(para.section, para.section_number),
      el('blockquote', { class: 'source-text' }, (data.source && data.source.text) || para.text || ''),
      el('p', { class: 'source-foot' }, `¶ ${para.paragraph}`,
        data.source && typeof data.source.words === 'number' ? ` · ${plural(data.source.words, 'word', 'words')}` : ''),
      partialNotice(data, 'the similar paragraphs'));
    ui.similarSource.hidden = false;

    const results = data.results || [];
    ui.similarSummary.replaceChildren(
      el('span', { class: 'summary-total' }, results.length
        ? `${plural(results.length, 'paragraph shares', 'paragraphs share')} its wording`
        : 'No other paragraph shares its wording'),
      typeof data.took_ms === 'number' ? el('span', { class: 'summary-time' }, ` · ${tookText(data.took_ms)}`) : null);
    ui.similarSummary.hidden = false;

    if (!results.length) {
      ui.similarResults.replaceChildren(el('li', { class: 'empty' },
        el('p', null, 'No paragraph of another paper repeats five or more words in a row of this one.')));
      return;
    }
    ui.similarResults.replaceChildren(...results.map((hit) => {
      const hitDoc = hit.doc || {};
      const stats = el('p', { class: 'sim-stats' },
        el('span', { class: 'sim-stat' }, el('strong', null, fmt(hit.shared_words || 0)), ` shared ${hit.shared_words === 1 ? 'word' : 'words'}`),
        el('span', { class: 'sim-stat' }, 'longest run ', el('strong', null, fmt(hit.longest || 0)), ` ${hit.longest === 1 ? 'word' : 'words'}`),
        el('span', { class: 'sim-stat' }, el('strong', null, pct(hit.share)), ' of the source’s words'));
      const compare = hitDoc.id && hitDoc.id !== doc.id
        ? stateLink(viewState('compare', { a: doc.id, b: hitDoc.id }), { class: 'btn btn-link', title: 'Compare the two papers side by side' }, 'Compare papers')
        : null;
      return hitItem(hit, { docState: readerState(hitDoc.id, hit.paragraph), from: 'similar', stats, actions: compare });
    }));
  }

  // ----- Trace a phrase ----------------------------------------------------------------------

  let traceSeq = 0;
  const traceCache = new Map(); // API URL -> answer
  let traceShown = null; // {url, data, drawChart} of what the view shows

  async function showTrace(state, options) {
    const seq = ++traceSeq;
    const stale = () => seq !== traceSeq || viewOf(current) !== 'trace';
    setError(null);
    if (ui.tracePhrase.value.trim() !== state.phrase.trim()) ui.tracePhrase.value = state.phrase;
    ui.traceVariation.value = String(state.variation);
    if (!state.phrase.trim()) {
      document.title = 'Trace a phrase — Concord';
      traceShown = null;
      ui.traceResult.replaceChildren();
      ui.traceSide.hidden = true;
      setStatus(ui.traceStatus, '');
      if (options.focus === 'trace') ui.tracePhrase.focus();
      placeScroll(options);
      return;
    }
    document.title = `Trace ${quoted(state.phrase)} — Concord`;
    const url = `/api/trace?${new URLSearchParams({ phrase: state.phrase, variation: state.variation, examples: TRACE_EXAMPLES })}`;
    if (traceShown && traceShown.url === url) {
      traceShown.drawChart(state.scale);
      placeScroll(options);
      return;
    }
    let data = traceCache.get(url);
    if (!data) {
      setToolBusy(ui.traceMain, true);
      setStatus(ui.traceStatus, 'Tracing…');
      try {
        [data] = await Promise.all([getJSON(url), loadTagLabels()]);
      } catch (err) {
        if (stale()) return;
        setToolBusy(ui.traceMain, false);
        traceShown = null;
        ui.traceResult.replaceChildren();
        ui.traceSide.hidden = true;
        setStatus(ui.traceStatus, err.message, true);
        return;
      }
      if (stale()) return;
      setToolBusy(ui.traceMain, false);
      traceCache.set(url, data);
      if (traceCache.size > 20) traceCache.delete(traceCache.keys().next().value);
    }
    setStatus(ui.traceStatus, '');
    traceShown = { url, data, drawChart: renderTrace(state, data) };
    placeScroll(options);
  }

  // Renders a trace; returns the function that redraws its chart on another scale.
  function renderTrace(state, data) {
    const query = data.query || quoted(data.phrase || state.phrase);
    const total = data.paragraphs || 0;
    const timeline = data.timeline || [];
    const dated = timeline.reduce((sum, t) => sum + (t.paragraphs || 0), 0);
    const searchAll = stateLink({ ...readState(''), q: query }, { class: 'trace-search-link' }, 'Show them in search');

    const summary = el('div', { class: 'trace-summary' },
      el('h2', { class: 'trace-total' }, total
        ? [el('strong', null, plural(total, 'paragraph', 'paragraphs')), ' in ', el('strong', null, plural(data.documents || 0, 'paper', 'papers'))]
        : `No paragraph uses ${quoted(data.phrase || state.phrase)}`),
      el('p', { class: 'trace-query' }, 'Searched as ', el('code', null, query),
        total ? [' · ', searchAll] : null,
        typeof data.took_ms === 'number' ? el('span', { class: 'summary-time' }, ` · ${tookText(data.took_ms)}`) : null),
      total && dated < total
        ? el('p', { class: 'trace-note' }, dated === 0
          ? 'None of them is in a dated paper, so there is no timeline.'
          : `${fmt(total - dated)} of them ${total - dated === 1 ? 'is' : 'are'} in papers without a date, so not on the timeline.`)
        : null,
      !total ? el('p', { class: 'trace-note' }, state.variation ? 'Check the spelling, or use fewer words.' : 'Check the spelling, or allow some variation.') : null,
      partialNotice(data, 'the counts, the timeline and the occurrences'));

    const parts = [summary];
    if (data.first || data.latest) {
      const same = data.first && data.latest && data.first.id === data.latest.id;
      parts.push(el('div', { class: 'trace-cards' },
        occurrenceCard(same ? 'Only dated use' : 'First use', data.first || data.latest, query, 'first'),
        same ? null : occurrenceCard('Latest use', data.latest, query, 'latest')));
    }

    let drawChart = () => {};
    if (timeline.length) {
      const figure = el('div', { class: 'trace-figure' });
      const readout = el('p', { class: 'trace-readout' });
      const scaleBox = el('fieldset', { class: 'trace-scale' }, el('legend', null, 'Bars show'),
        SCALES.map((scale) => {
          const input = el('input', { type: 'radio', name: 'trace-scale', value: scale });
          input.checked = scale === state.scale;
          input.addEventListener('change', () => {
            if (!input.checked) return;
            current = withState({ scale });
            history.replaceState(history.state, '', stateUrl(current));
            drawChart(scale);
          });
          return el('label', null, input, scale === 'rate' ? ' per 10,000 paragraphs' : ' paragraphs');
        }));
      drawChart = (scale) => {
        for (const input of scaleBox.querySelectorAll('input')) input.checked = input.value === scale;
        figure.replaceChildren(timelineChart(timeline, scale, query, readout));
        readout.textContent = 'Point at a year, or focus the chart and use the arrow keys, to read its numbers.';
      };
      drawChart(state.scale);
      const first = timeline[0].year;
      const last = timeline[timeline.length - 1].year;
      parts.push(el('section', { class: 'trace-timeline', 'aria-labelledby': 'trace-timeline-title' },
        el('div', { class: 'trace-timeline-head' },
          el('h3', { id: 'trace-timeline-title' }, first === last ? `In ${first}` : `By year, ${first}–${last}`), scaleBox),
        figure, readout, timelineTable(timeline, data.phrase || state.phrase)));
    }

    const examples = data.examples || [];
    if (examples.length) {
      parts.push(el('section', { class: 'trace-examples', 'aria-labelledby': 'trace-examples-title' },
        el('h3', { id: 'trace-examples-title' }, examples.length < dated ? `The ${fmt(examples.length)} oldest uses` : 'Every dated use, oldest first'),
        el('ol', { class: 'results' }, examples.map((hit) => hitItem(hit, {
          docState: readerState((hit.doc || {}).id, hit.paragraph, query), from: 'trace',
        })))));
    }
    ui.traceResult.replaceChildren(...parts);

    const perDoc = data.per_document || [];
    const most = Math.max(1, ...perDoc.map((d) => d.count || 0));
    const labelCount = new Map();
    for (const d of perDoc) labelCount.set(d.label, (labelCount.get(d.label) || 0) + 1);
    // Papers that share a title are told apart by their ids.
    const name = (d) => (!d.label ? d.value : labelCount.get(d.label) > 1 && d.label !== d.value ? `${d.label} (${d.value})` : d.label);
    ui.tracePapers.replaceChildren(...perDoc.map((d) => el('li', { class: 'rank-item' },
      el('span', { class: 'rank-row' },
        stateLink(readerState(d.value, 0, query), { class: 'rank-name', title: name(d) }, name(d), fromTool('trace')),
        el('span', { class: 'rank-count' }, fmt(d.count || 0))),
      shareBar((d.count || 0) / most))));
    ui.traceSide.hidden = perDoc.length === 0;
    return drawChart;
  }

  function occurrenceCard(label, hit, query, kind) {
    const doc = hit.doc || {};
    return el('section', { class: `trace-card trace-card-${kind}`, 'aria-label': label },
      el('h3', { class: 'trace-card-label' }, label,
        doc.date ? [' · ', el('time', { datetime: doc.date }, formatDate(doc.date))] : ''),
      el('p', { class: 'trace-card-head' },
        stateLink(readerState(doc.id, hit.paragraph, query), { class: 'trace-card-title' }, doc.title || doc.id, fromTool('trace')),
        el('span', { class: 'trace-card-where' }, ` ¶ ${hit.paragraph}`)),
      el('p', { class: 'snippet' }, snippetFragment(hit.snippet || '')));
  }

  const CHART = { width: 880, height: 230, top: 12, right: 8, bottom: 28, left: 56 };

  // The smallest 1, 2, 2.5 or 5 times a power of ten that is at least value.
  function niceCeil(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 2.5, 5, 10].find((step) => value <= step * power + 1e-9) * power;
  }

  function yearLabel(t) {
    const dated = t.corpus_paragraphs
      ? `${rate(t.per_10k)} per 10,000 of the year’s ${plural(t.corpus_paragraphs, 'dated paragraph', 'dated paragraphs')}`
      : 'no dated papers that year';
    return `${t.year}: ${plural(t.paragraphs || 0, 'paragraph', 'paragraphs')} in ${plural(t.documents || 0, 'paper', 'papers')}; ${dated}`;
  }

  // The timeline as an SVG bar chart: one bar per year (the year's count or rate), each with its
  // numbers in a <title> and the readout line, one tab stop with arrow keys between years, and a
  // year with uses linking to the search for the phrase in that year.
  function timelineChart(timeline, scale, query, readout) {
    const { width, height, top, right, bottom, left } = CHART;
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    const valueOf = (t) => (scale === 'rate' ? t.per_10k || 0 : t.paragraphs || 0);
    let max = niceCeil(Math.max(...timeline.map(valueOf)));
    if (scale === 'count') max = Math.max(2, Math.ceil(max));
    const ticks = scale === 'count' && max % 2 ? [0, max] : [0, max / 2, max];
    const y = (v) => top + plotH - (v / max) * plotH;
    const step = plotW / timeline.length;
    const barW = Math.max(1, Math.min(44, step * 0.68));
    const every = timeline.length <= 14 ? 1 : [2, 5, 10, 20, 50, 100].find((k) => timeline.length / k <= 12) || 200;
    const first = timeline[0].year;
    const last = timeline[timeline.length - 1].year;
    const what = scale === 'rate' ? 'Paragraphs per 10,000 dated paragraphs' : 'Paragraphs';

    const chart = svg('svg', {
      class: 'trace-chart', viewBox: `0 0 ${width} ${height}`, role: 'group',
      'aria-label': `${what} using the phrase, per year from ${first} to ${last}`,
    });
    for (const tick of ticks) {
      chart.append(
        svg('line', { class: 'trace-grid', x1: left, x2: width - right, y1: y(tick), y2: y(tick) }),
        svg('text', { class: 'trace-axis', x: left - 8, y: y(tick) + 4, 'text-anchor': 'end', 'aria-hidden': 'true' },
          scale === 'rate' ? rate(tick) : fmt(tick)));
    }
    const years = [];
    timeline.forEach((t, i) => {
      const x = left + i * step;
      const v = valueOf(t);
      const h = v > 0 ? Math.max(2, (v / max) * plotH) : 1;
      const label = yearLabel(t);
      const shapes = [
        svg('title', null, label),
        svg('rect', { class: 'trace-hit', x, y: top, width: step, height: plotH }),
        svg('rect', { class: `trace-bar${v > 0 ? '' : ' is-zero'}`, x: x + (step - barW) / 2, y: top + plotH - h, width: barW, height: h, 'data-year': t.year }),
      ];
      let year;
      if (t.paragraphs > 0) {
        const target = { ...readState(''), q: query, filters: [`year:${t.year}`] };
        year = svg('a', { class: 'trace-year', href: stateUrl(target), 'aria-label': `${label}. Open them in search.`, tabindex: '-1' }, shapes);
        year.addEventListener('click', (event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          navigate(target);
        });
      } else {
        year = svg('g', { class: 'trace-year', role: 'img', 'aria-label': label, tabindex: '-1' }, shapes);
      }
      const show = () => {
        readout.textContent = label;
      };
      year.addEventListener('mouseenter', show);
      year.addEventListener('focus', show);
      years.push(year);
      chart.append(year);
      if (v > 0 && timeline.length <= 24) {
        chart.append(svg('text', { class: 'trace-value', x: x + step / 2, y: top + plotH - h - 4, 'text-anchor': 'middle', 'aria-hidden': 'true' },
          scale === 'rate' ? rate(v) : fmt(v)));
      }
      if ((t.year - first) % every === 0) {
        chart.append(svg('text', { class: 'trace-axis', x: x + step / 2, y: height - 9, 'text-anchor': 'middle', 'aria-hidden': 'true' }, String(t.year)));
      }
    });
    chart.append(svg('line', { class: 'trace-baseline', x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));

    // One tab stop: the busiest year; the arrow keys, Home and End move between years.
    let peak = 0;
    timeline.forEach((t, i) => {
      if (valueOf(t) > valueOf(timeline[peak])) peak = i;
    });
    years[peak].setAttribute('tabindex', '0');
    chart.addEventListener('keydown', (event) => {
      const at = years.indexOf(event.target.closest('.trace-year'));
      if (at < 0) return;
      let next = null;
      if (event.key === 'ArrowRight' || event.key === 'ArrowUp') next = Math.min(years.length - 1, at + 1);
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') next = Math.max(0, at - 1);
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = years.length - 1;
      if (next === null) return;
      event.preventDefault();
      years[at].setAttribute('tabindex', '-1');
      years[next].setAttribute('tabindex', '0');
      years[next].focus();
    });
    return chart;
  }

  // The chart's numbers as a table (always both the counts and the rates).
  function timelineTable(timeline, phrase) {
    const num = (text) => el('td', { class: 'num' }, text);
    return el('details', { class: 'trace-table-box' },
      el('summary', null, 'Show the numbers as a table'),
      el('table', { class: 'trace-table' },
        el('caption', null, `Paragraphs using ${quoted(phrase)}, per year`),
        el('thead', null, el('tr', null,
          el('th', { scope: 'col' }, 'Year'), el('th', { scope: 'col', class: 'num' }, 'Paragraphs'),
          el('th', { scope: 'col', class: 'num' }, 'Papers'), el('th', { scope: 'col', class: 'num' }, 'Dated paragraphs that year'),
          el('th', { scope: 'col', class: 'num' }, 'Per 10,000'))),
        el('tbody', null, timeline.map((t) => el('tr', null,
          el('th', { scope: 'row' }, String(t.year)),
          num(fmt(t.paragraphs || 0)), num(fmt(t.documents || 0)), num(fmt(t.corpus_paragraphs || 0)),
          num(t.corpus_paragraphs ? rate(t.per_10k) : '—'))))));
  }

  // ---------------------------------------------------------------------------------------
  // Wiring

  function init() {
    Object.assign(ui, {
      q: $('q'), form: $('search-form'), queryError: $('query-error'), helpToggle: $('help-toggle'), help: $('syntax-help'),
      corpusInfo: $('corpus-info'), searchView: $('search-view'), docView: $('doc-view'), main: $('main'),
      summary: $('results-summary'), sort: $('sort'), exportCsv: $('export-csv'), exportJson: $('export-json'),
      chips: $('chips'), warnings: $('warnings'), results: $('results'), pager: $('pager'), facetGroups: $('facet-groups'),
      outlineList: $('outline-list'), docMain: $('doc-main'), docTitle: $('doc-title'), docMeta: $('doc-meta'),
      docHits: $('doc-hits'), docStatus: $('doc-status'), docParagraphs: $('doc-paragraphs'), back: $('back-to-results'),
      docCompare: $('doc-compare'), modeTrace: $('mode-trace'), modeCompare: $('mode-compare'),
      compareView: $('compare-view'), compareMain: $('compare-main'), compareForm: $('compare-form'), compareA: $('compare-a'),
      compareB: $('compare-b'), compareSwap: $('compare-swap'), compareStatus: $('compare-status'), compareResult: $('compare-result'),
      similarView: $('similar-view'), similarMain: $('similar-main'), similarBack: $('similar-back'), similarSource: $('similar-source'),
      similarStatus: $('similar-status'), similarSummary: $('similar-summary'), similarResults: $('similar-results'),
      traceView: $('trace-view'), traceMain: $('trace-main'), traceSide: $('trace-side'), tracePapers: $('trace-papers'),
      traceForm: $('trace-form'), tracePhrase: $('trace-phrase'), traceVariation: $('trace-variation'),
      traceStatus: $('trace-status'), traceResult: $('trace-result'),
    });

    const setHelp = (open) => {
      ui.helpToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      ui.help.hidden = !open;
    };

    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const q = ui.q.value.trim();
      setHelp(false);
      navigate(withState({ q, page: 1, doc: '', para: 0, view: '' }), { scrollTo: 'top' });
    });

    ui.helpToggle.addEventListener('click', () => setHelp(ui.helpToggle.getAttribute('aria-expanded') !== 'true'));
    document.addEventListener('click', (event) => {
      if (!ui.help.hidden && !ui.help.contains(event.target) && !ui.helpToggle.contains(event.target)) setHelp(false);
    });

    ui.sort.addEventListener('change', () => navigate(withState({ sort: ui.sort.value, page: 1 })));
    for (const radio of document.querySelectorAll('input[name="count"]')) {
      radio.addEventListener('change', () => {
        if (radio.checked) navigate(withState({ count: radio.value }));
      });
    }

    ui.back.addEventListener('click', backToResults);

    // The tools
    const onPlainClick = (link, action) => link.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      action();
    });
    onPlainClick(ui.modeTrace, () => navigate(traceModeState(), { focus: 'trace' }));
    onPlainClick(ui.modeCompare, () => navigate(viewState('compare', viewOf(current) === 'compare' ? { a: current.a, b: current.b } : {}), { focus: 'compare' }));
    onPlainClick(ui.docCompare, () => navigate(viewState('compare', { a: current.doc }), { focus: 'compare' }));

    ui.compareForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const a = ui.compareA.value;
      const b = ui.compareB.value;
      if (!a || !b) {
        setStatus(ui.compareStatus, `Choose paper ${a ? 'B' : 'A'} first.`, true);
        (a ? ui.compareB : ui.compareA).focus();
        return;
      }
      navigate(viewState('compare', { a, b }));
    });
    ui.compareSwap.addEventListener('click', () => {
      const a = ui.compareB.value;
      const b = ui.compareA.value;
      ui.compareA.value = a;
      ui.compareB.value = b;
      if (a && b) navigate(viewState('compare', { a, b }));
    });

    ui.similarBack.addEventListener('click', () => {
      if (history.state && history.state.fromResults) history.back();
      else navigate(readState(''));
    });

    ui.traceVariation.replaceChildren(...Array.from({ length: MAX_VARIATION + 1 }, (_, n) => el('option', { value: n },
      n === 0 ? 'Exact phrase' : `Up to ${plural(n, 'word', 'words')} between`)));
    ui.traceForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const phrase = ui.tracePhrase.value.trim();
      if (!phrase) {
        setStatus(ui.traceStatus, 'Type a phrase to trace.', true);
        ui.tracePhrase.focus();
        return;
      }
      navigate(viewState('trace', { phrase, variation: Number(ui.traceVariation.value) || 0, scale: current.scale }));
    });

    $('brand').addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      navigate(readState(''), { scrollTo: 'top' });
      ui.q.focus();
    });

    document.querySelector('.skip-link').addEventListener('click', (event) => {
      event.preventDefault();
      const target = {
        doc: ui.docMain, compare: ui.compareMain, similar: ui.similarMain, trace: ui.traceMain,
      }[viewOf(current)] || ui.main;
      target.focus();
      target.scrollIntoView({ block: 'start' });
    });

    document.addEventListener('keydown', (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const t = event.target;
      const typing = t instanceof HTMLElement && (t.isContentEditable || ['TEXTAREA', 'SELECT'].includes(t.tagName)
        || (t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(t.type)));
      if (event.key === '/' && !typing) {
        event.preventDefault();
        ui.q.focus();
        ui.q.select();
      } else if ((event.key === 'n' || event.key === 'p') && !typing && viewOf(current) === 'doc' && stepMatch) {
        event.preventDefault();
        stepMatch(event.key === 'n' ? 1 : -1);
      } else if ((event.key === 'n' || event.key === 'p') && !typing && viewOf(current) === 'compare' && compareShown && stepChange) {
        event.preventDefault();
        stepChange(event.key === 'n' ? 1 : -1);
      } else if (event.key === 'Escape') {
        if (!ui.help.hidden) {
          setHelp(false);
          ui.helpToggle.focus();
        } else if (t === ui.q) {
          ui.q.blur();
        }
      }
    });

    getJSON('/api/health').then((health) => {
      if (typeof health.documents === 'number') {
        ui.corpusInfo.textContent = `${plural(health.documents, 'paper', 'papers')} · ${plural(health.paragraphs || 0, 'paragraph', 'paragraphs')}`;
      }
    }).catch(() => { /* the footer note is optional */ });

    if ('scrollRestoration' in history) history.scrollRestoration = 'manual'; // popstate restores it
    history.replaceState(history.state || {}, '', stateUrl(current));
    render({});
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
