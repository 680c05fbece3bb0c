// The workflow list: filters, keyset pages (the Link header's rel="next"), live rows from /stream.
import { getJson, describeError, isAbort } from '../api.js';
import { el, replaceChildren } from '../dom.js';
import { count, shortHex, utc } from '../format.js';
import { statusBadge } from '../status-badge.js';
import {
  STATUSES, PAGE_SIZES, readListQuery, toQuery, isFiltered, matches, isAddress, toDateTimeInput, fromDateTimeInput,
} from './filters.js';

const LIVE_BATCH_MS = 300;
// More changed workflows than this in one batch: reading the page again is cheaper than one request each.
const LIVE_BATCH_LIMIT = 20;
const HIGHLIGHT_MS = 4000;

export function mountWorkflowList(main, { live, query }) {
  let list = readListQuery(query);
  let controller = null;
  let stopped = false;
  const pending = new Set();
  let batchTimer = null;

  const form = filterForm(list, (next) => navigate({ ...next, cursor: null }));
  const summary = el('p', { class: 'summary', 'aria-live': 'polite' });
  const messageNode = el('p', { class: 'message', role: 'alert', hidden: true });
  const rows = el('tbody');
  const table = el('table', { class: 'workflows' },
    el('caption', {}, 'Workflows, newest first'),
    el('thead', {}, el('tr', {},
      ['Workflow', 'Status', 'Initiator', 'Started (UTC)', 'Finished (UTC)'].map((h) => el('th', { scope: 'col' }, h)))),
    rows);
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages' });

  replaceChildren(
    main,
    el('h1', { tabindex: '-1' }, 'Workflows'),
    form,
    el('section', { 'aria-labelledby': 'results-title', class: 'results' },
      el('h2', { id: 'results-title' }, 'Results'),
      summary,
      messageNode,
      table,
      pager));

  function navigate(next) {
    const target = `#/workflows?${toQuery(next)}`;
    if (location.hash === target) {
      load(); // the same filters again: hashchange would not fire
    } else {
      location.hash = target;
    }
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    messageNode.hidden = true;
    table.setAttribute('aria-busy', 'true');
    const loadCounts = getJson(`/stats?${toQuery(list, { paging: false })}`, { signal }).catch((error) => error);
    try {
      const page = await getJson(`/workflows?${toQuery(list)}`, { signal });
      replaceChildren(rows, page.body.map((workflow) => row(workflow)));
      showPager(page.next);
      showSummary(page.body.length, await loadCounts);
    } catch (error) {
      if (isAbort(error)) {
        return;
      }

      replaceChildren(rows);
      replaceChildren(pager);
      summary.textContent = '';
      messageNode.textContent = `The list could not be loaded: ${describeError(error)}`;
      messageNode.hidden = false;
    } finally {
      if (!signal.aborted) {
        table.removeAttribute('aria-busy');
        table.dataset.loads = String(Number(table.dataset.loads ?? 0) + 1); // lets a test wait for an answer shown
      }
    }
  }

  /** counts: the answer of /stats with the same filters, or the error it gave (then no total is shown). */
  function showSummary(shown, counts) {
    if (shown === 0) {
      summary.textContent = list.cursor ? 'No more workflows.' : 'No workflows match these filters.';
      return;
    }

    const total = counts instanceof Error ? null : counts.body?.total;
    const noun = isFiltered(list) ? 'matching workflows' : 'workflows';
    const of = typeof total === 'number' ? ` of ${count(total)} ${noun}` : ` ${noun}`;
    summary.textContent = `Showing ${count(shown)}${of}${list.cursor ? ', a later page' : ''}.`;
  }

  function showPager(next) {
    const first = list.cursor
      ? el('a', { class: 'button', href: `#/workflows?${toQuery({ ...list, cursor: null })}` }, 'First page')
      : null;
    const nextPage = next === null
      ? el('span', { class: 'secondary' }, 'End of the list.')
      : el('a', { class: 'button', rel: 'next', href: `#/workflows${new URL(next, location.origin).search}` }, 'Next page');
    replaceChildren(pager, first, nextPage);
  }

  // Live rows: a changed workflow is read again (its row changes in place); a new one that matches the
  // filters is put on top of the first page. Later pages only change in place, so paging stays exact.
  function changed(event) {
    if (typeof event.workflowId !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(event.workflowId)) {
      return;
    }

    const existing = rows.querySelector(`tr[data-workflow-id="${event.workflowId.toLowerCase()}"] [data-status]`);
    if (existing && typeof event.status === 'string') {
      existing.replaceWith(statusBadge(event.status));
    }

    pending.add(event.workflowId.toLowerCase());
    batchTimer ??= setTimeout(applyChanges, LIVE_BATCH_MS);
  }

  async function applyChanges() {
    batchTimer = null;
    const ids = [...pending];
    pending.clear();
    if (ids.length > LIVE_BATCH_LIMIT) {
      load();
      return;
    }

    const details = await Promise.all(ids.map((id) => getJson(`/workflows/${id}`).then(({ body }) => body, () => null)));
    if (stopped) {
      return;
    }

    const added = [];
    for (const detail of details.filter(Boolean)) {
      const current = rows.querySelector(`tr[data-workflow-id="${detail.workflow.workflowId.toLowerCase()}"]`);
      if (current) {
        current.replaceWith(row(detail.workflow));
      } else if (!list.cursor && matches(list, detail)) {
        added.push(detail);
      }
    }

    // Newest first: by the position of each workflow's first event.
    added.sort((a, b) => comparePosition(b.events[0], a.events[0]));
    for (const detail of added.reverse()) {
      const fresh = row(detail.workflow);
      fresh.classList.add('row-new');
      setTimeout(() => fresh.classList.remove('row-new'), HIGHLIGHT_MS);
      rows.prepend(fresh);
    }

    if (added.length > 0) {
      summary.textContent = `${count(added.length)} new ${added.length === 1 ? 'workflow' : 'workflows'} added at the top.`;
    }
  }

  const unsubscribe = live.subscribe({ workflow: changed, reset: load, reorg: load });
  load();

  return {
    title: 'Workflows',
    update(nextQuery) {
      list = readListQuery(nextQuery);
      form.show(list);
      load();
    },
    unmount() {
      stopped = true;
      controller?.abort();
      clearTimeout(batchTimer);
      unsubscribe();
    },
  };
}

function row(workflow) {
  const id = String(workflow.workflowId).toLowerCase();
  return el('tr', { 'data-workflow-id': id },
    el('td', { 'data-label': 'Workflow' }, el('a', { class: 'mono', href: `#/workflows/${id}`, title: id }, shortHex(id, 10, 8))),
    el('td', { 'data-label': 'Status' }, statusBadge(workflow.status)),
    el('td', { 'data-label': 'Initiator', class: 'mono' }, workflow.initiator ? shortHex(workflow.initiator, 8, 6) : '—'),
    el('td', { 'data-label': 'Started' }, utc(workflow.startedAt)),
    el('td', { 'data-label': 'Finished' }, utc(workflow.completedAt)));
}

function comparePosition(a, b) {
  if (!a || !b) {
    return a ? 1 : b ? -1 : 0;
  }

  return a.blockNumber - b.blockNumber || a.transactionIndex - b.transactionIndex || a.logIndex - b.logIndex;
}

/** The filter form; onApply gets the list parameters it holds. form.show(list) puts parameters back into it. */
function filterForm(initial, onApply) {
  const field = (id, label, input, hint) => el('div', { class: 'field' },
    el('label', { for: id }, label), input, hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
  const checkboxes = STATUSES.map((status) => el('input', { type: 'checkbox', id: `filter-status-${status}`, name: 'status', value: status }));
  const address = (id) => el('input', {
    id, type: 'text', inputmode: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '0x…',
    pattern: '0x[0-9a-fA-F]{40}', 'aria-describedby': `${id}-hint`,
  });
  const initiator = address('filter-initiator');
  const payee = address('filter-payee');
  const startedFrom = el('input', { id: 'filter-started-from', type: 'datetime-local', step: '1' });
  const startedTo = el('input', { id: 'filter-started-to', type: 'datetime-local', step: '1' });
  const limit = el('select', { id: 'filter-limit' }, PAGE_SIZES.map((size) => el('option', { value: size }, String(size))));

  const form = el('form', { class: 'filters', 'aria-labelledby': 'filters-title' },
    el('h2', { id: 'filters-title' }, 'Filters'),
    el('fieldset', { class: 'statuses' },
      el('legend', {}, 'Status'),
      checkboxes.map((box) => el('label', { class: 'check', for: box.id }, box, box.value))),
    field('filter-initiator', 'Initiator', initiator, 'An address: 0x and 40 hex digits.'),
    field('filter-payee', 'Payee', payee, 'An address a settlement paid.'),
    field('filter-started-from', 'Started from (UTC)', startedFrom),
    field('filter-started-to', 'Started to (UTC)', startedTo),
    field('filter-limit', 'Rows per page', limit),
    el('div', { class: 'actions' },
      el('button', { type: 'submit' }, 'Apply filters'),
      el('a', { class: 'button secondary-button', href: '#/workflows' }, 'Clear filters')));

  for (const input of [initiator, payee]) {
    input.addEventListener('input', () => input.setCustomValidity(
      input.value === '' || isAddress(input.value.trim()) ? '' : 'Enter 0x followed by 40 hex digits.'));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) {
      return;
    }

    onApply({
      statuses: checkboxes.filter((box) => box.checked).map((box) => box.value),
      initiator: initiator.value.trim(),
      payee: payee.value.trim(),
      startedFrom: fromDateTimeInput(startedFrom.value),
      startedTo: fromDateTimeInput(startedTo.value),
      limit: Number(limit.value),
    });
  });

  form.show = (list) => {
    for (const box of checkboxes) {
      box.checked = list.statuses.includes(box.value);
    }

    initiator.value = list.initiator;
    payee.value = list.payee;
    startedFrom.value = toDateTimeInput(list.startedFrom);
    startedTo.value = toDateTimeInput(list.startedTo);
    limit.value = String(list.limit);
  };
  form.show(initial);
  return form;
}
