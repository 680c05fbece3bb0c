// The workflow list: filters, keyset pages (the Link header's rel="next"), live rows from /stream.
import { getJson, describeError, isAbort } from '../api.js';
import { el, replaceChildren } from '../dom.js';
import { count, shortHex, utc } from '../format.js';
import { statusBadge } from '../status-badge.js';
import {
  STATUSES, PAGE_SIZES, readListQuery, toQuery, isFiltered, isAddress, toDateTimeInput, fromDateTimeInput,
} from './filters.js';

// Changes arriving within this long are shown together, with one read of the page: a busy chain
// costs at most one request (answered 304 when nothing moved) per period, whatever its rate.
const LIVE_REFRESH_MS = 1000;
const HIGHLIGHT_MS = 4000;

export function mountWorkflowList(main, { live, query }) {
  let list = readListQuery(query);
  let controller = null;
  let refreshTimer = null;

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

  /** Reads the page. live: the same page again after changes, merged into the rows shown (focus and scroll stay). */
  async function load({ live: isLive = false } = {}) {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    table.setAttribute('aria-busy', 'true');
    const filters = toQuery(list, { paging: false }).toString();
    const loadCounts = getJson(filters ? `/stats?${filters}` : '/stats', { signal }).catch((error) => error);
    try {
      const page = await getJson(`/workflows?${toQuery(list)}`, { signal });
      messageNode.hidden = true;
      const added = isLive ? merge(rows, page.body) : replace(rows, page.body);
      showPager(page.next);
      showSummary(page.body.length, await loadCounts, added.length);
      for (const fresh of added) {
        fresh.classList.add('row-new');
        setTimeout(() => fresh.classList.remove('row-new'), HIGHLIGHT_MS);
      }
    } catch (error) {
      if (isAbort(error)) {
        return;
      }

      if (!isLive) {
        replaceChildren(rows);
        replaceChildren(pager);
        summary.textContent = '';
      }

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
  function showSummary(shown, counts, added) {
    if (shown === 0) {
      summary.textContent = list.cursor ? 'No more workflows.' : 'No workflows match these filters.';
      return;
    }

    const total = counts instanceof Error ? null : counts.body?.total;
    const noun = isFiltered(list) ? 'matching workflows' : 'workflows';
    const of = typeof total === 'number' ? ` of ${count(total)} ${noun}` : ` ${noun}`;
    const news = added > 0 ? ` ${count(added)} new ${added === 1 ? 'workflow' : 'workflows'} on top.` : '';
    summary.textContent = `Showing ${count(shown)}${of}${list.cursor ? ', a later page' : ''}.${news}`;
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

  // A changed workflow's status shows at once; then the page is read again (new workflows that match
  // the filters come on top of the first page; a later page, after its cursor, only changes in place).
  function changed(event) {
    if (typeof event.workflowId === 'string' && /^0x[0-9a-fA-F]{64}$/.test(event.workflowId) && typeof event.status === 'string') {
      rows.querySelector(`tr[data-workflow-id="${event.workflowId.toLowerCase()}"] [data-status]`)?.replaceWith(statusBadge(event.status));
    }

    refreshTimer ??= setTimeout(() => {
      refreshTimer = null;
      load({ live: true });
    }, LIVE_REFRESH_MS);
  }

  const unsubscribe = live.subscribe({ workflow: changed, reset: () => load({ live: true }), reorg: () => load({ live: true }) });
  load();

  return {
    title: 'Workflows',
    async update(nextQuery) {
      // The pager is drawn anew: a keyboard user who paged with it keeps the focus there.
      const pagedByKeyboard = pager.contains(document.activeElement);
      list = readListQuery(nextQuery);
      form.show(list);
      await load();
      if (pagedByKeyboard) {
        (pager.querySelector('a') ?? main.querySelector('h1')).focus();
      }
    },
    unmount() {
      controller?.abort();
      clearTimeout(refreshTimer);
      unsubscribe();
    },
  };
}

function replace(rows, workflows) {
  replaceChildren(rows, workflows.map(row));
  return [];
}

/**
 * Puts a new answer for the same page into the rows shown, keeping the rows that stay (so a focused
 * link keeps its focus): new rows are inserted where they belong, rows gone are removed. Returns the
 * new rows. When the rows that stay are in another order (a reorg), the rows are replaced.
 */
function merge(rows, workflows) {
  const shown = new Map([...rows.children].map((tr) => [tr.dataset.workflowId, tr]));
  const ids = workflows.map((workflow) => String(workflow.workflowId).toLowerCase());
  const staying = ids.filter((id) => shown.has(id));
  if (staying.join() !== [...shown.keys()].filter((id) => ids.includes(id)).join()) {
    return replace(rows, workflows);
  }

  for (const [id, tr] of shown) {
    if (!ids.includes(id)) {
      tr.remove();
    }
  }

  const added = [];
  let after = null;
  for (let index = workflows.length - 1; index >= 0; index--) {
    let tr = shown.get(ids[index]);
    if (tr) {
      fill(tr, workflows[index]);
    } else {
      tr = row(workflows[index]);
      rows.insertBefore(tr, after);
      added.push(tr);
    }

    after = tr;
  }

  return added;
}

function row(workflow) {
  const id = String(workflow.workflowId).toLowerCase();
  const tr = el('tr', { 'data-workflow-id': id },
    el('td', { 'data-label': 'Workflow' }, el('a', { class: 'mono', href: `#/workflows/${id}`, title: id }, shortHex(id, 10, 8))),
    el('td', { 'data-label': 'Status' }),
    el('td', { 'data-label': 'Initiator', class: 'mono' }),
    el('td', { 'data-label': 'Started' }),
    el('td', { 'data-label': 'Finished' }));
  fill(tr, workflow);
  return tr;
}

/** Every cell but the first (its link may hold the focus). */
function fill(tr, workflow) {
  const [, status, initiator, started, finished] = tr.cells;
  replaceChildren(status, statusBadge(workflow.status));
  initiator.textContent = workflow.initiator ? shortHex(workflow.initiator, 8, 6) : '—';
  started.textContent = utc(workflow.startedAt);
  finished.textContent = utc(workflow.completedAt);
}

/** The filter form; onApply gets the list parameters it holds. form.show(list) puts parameters back into it. */
function filterForm(initial, onApply) {
  const field = (id, label, input, hint) => el('div', { class: 'field' },
    el('label', { for: id }, label), input, hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
  const checkboxes = STATUSES.map((status) => el('input', { type: 'checkbox', id: `filter-status-${status}`, name: 'status', value: status }));
  const address = (id) => el('input', {
    id, type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '0x…', 'aria-describedby': `${id}-hint`,
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
