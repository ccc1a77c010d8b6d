// Concord web page: search, facets, and a document reader over the JSON API.
//
// Rules this file keeps (the server's Content-Security-Policy and the tests rely on them):
// - The only string ever inserted as HTML is a search hit's `snippet`, which the server builds
//   from escaped text plus <mark>. Everything else goes in with textContent (see el()).
// - The whole view lives in the URL (q, filter..., page, sort, count, doc, para); every change
//   goes through navigate() and history.pushState, and popstate re-renders from the URL.
'use strict';

(() => {
  const PAGE_SIZE = 20;
  const MAX_WINDOW = 10000; // the API's bound on offset + limit
  const FACET_TOP = 8; // values shown before "show more"
  const CRUMB_MAX = 48; // characters of one heading shown in a breadcrumb
  const SORTS = ['relevance', 'newest', 'oldest', 'document'];
  const COUNTS = ['paragraphs', 'documents'];
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

  const numberFormat = new Intl.NumberFormat('en');
  const fmt = (n) => numberFormat.format(n);
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

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
    return {
      q: params.get('q') || '',
      filters: params.getAll('filter').filter((f) => parseFilter(f) !== null),
      page: Number.isFinite(page) && page > 0 ? page : 1,
      sort: SORTS.includes(sort) ? sort : 'relevance',
      count: COUNTS.includes(count) ? count : 'paragraphs',
      doc: params.get('doc') || '',
      para: Number.isFinite(para) && para > 0 ? para : 0,
    };
  }

  function stateParams(state) {
    const params = new URLSearchParams();
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
    render({ scrollTo: options.scrollTo, focusHit: leavingDoc(previous) });
  }

  window.addEventListener('popstate', (event) => {
    const previous = current;
    current = readState(location.search);
    const y = event.state && typeof event.state.scrollY === 'number' ? event.state.scrollY : null;
    render({ restoreScroll: y, fromHistory: true, focusHit: leavingDoc(previous) });
  });

  // When the reader leaves a paper for the results, focus returns to the hit they opened.
  function leavingDoc(previous) {
    return previous.doc && !current.doc ? `${previous.doc}:${previous.para}` : null;
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
    if (current.doc) {
      ui.searchView.hidden = true;
      ui.docView.hidden = false;
      showDocument(current, options);
    } else {
      ui.docView.hidden = true;
      ui.searchView.hidden = false;
      showSearch(current, options);
    }
  }

  function syncControls() {
    if (ui.q.value !== current.q) ui.q.value = current.q;
    ui.sort.value = current.sort;
    for (const radio of document.querySelectorAll('input[name="count"]')) radio.checked = radio.value === current.count;
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

  async function showSearch(state, options) {
    const seq = ++searchSeq;
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
        if (!current.doc) showSearchError(state, err);
        return;
      }
      if (seq !== searchSeq) return;
      setBusy(false);
      searchCache.set(url, { data, at: Date.now() });
      if (searchCache.size > 30) searchCache.delete(searchCache.keys().next().value);
      if (current.doc) return; // the person moved on to a paper meanwhile
    }
    setError(null);
    rememberFacets(data.facets);
    renderSummary(state, data);
    renderChips(state, data);
    renderWarnings(data.warnings || []);
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
    if (took !== null) {
      ui.summary.append(el('span', { class: 'summary-time' }, ` · ${took < 10 ? took.toFixed(1) : Math.round(took)} ms`));
    }
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
    navigate(withState({ filters: [...current.filters, key], page: 1, doc: '', para: 0 }));
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
    const docState = withState({ doc: doc.id, para: hit.paragraph });
    const title = el('a', { class: 'hit-title', href: stateUrl(docState) }, doc.title || doc.id);
    title.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      navigate(docState, { historyState: { fromResults: true } });
    });
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
      el('div', { class: 'hit-foot' }, where, context,
        badges(hit.topics, hit.regions, addFilter)));
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
      typeof p.page === 'number' ? el('span', { class: 'para-page' }, `p. ${p.page}`) : null);
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
    });

    const setHelp = (open) => {
      ui.helpToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      ui.help.hidden = !open;
    };

    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const q = ui.q.value.trim();
      setHelp(false);
      navigate(withState({ q, page: 1, doc: '', para: 0 }), { scrollTo: 'top' });
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

    $('brand').addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      navigate(readState(''), { scrollTo: 'top' });
      ui.q.focus();
    });

    document.querySelector('.skip-link').addEventListener('click', (event) => {
      event.preventDefault();
      const target = current.doc ? ui.docMain : ui.main;
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
      } else if ((event.key === 'n' || event.key === 'p') && !typing && current.doc && stepMatch) {
        event.preventDefault();
        stepMatch(event.key === 'n' ? 1 : -1);
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
