// One workflow (GET /workflows/{id}): its journey intent → decision → settlement → completion or
// failure, each step with block, time, transaction and sender, and any anomalies.
import { getJson, describeError, isAbort } from '../api.js';
import { el, replaceChildren } from '../dom.js';
import { count, nativeAmount, utc, isoUtc } from '../format.js';
import { addressLink, blockLink, txLink } from '../explorer.js';
import { statusBadge } from '../status-badge.js';

// The step a running workflow waits for, by phase.
const NEXT_STEP = {
  started: ['Decision', 'No decision recorded yet.'],
  approved: ['Settlement', 'Approved; no payment executed yet.'],
  settled: ['Completion', 'Paid; not completed yet.'],
};

const ANOMALY_KINDS = {
  missing_start: 'An event arrived for a workflow whose start was never seen',
  duplicate_start: 'The workflow was started a second time',
  illegal_transition: 'An event that the workflow’s phase does not allow',
  out_of_order: 'An event older than one already applied',
};

export function mountWorkflowPage(main, { live, workflowId }) {
  const id = workflowId.toLowerCase();
  const content = el('div');
  const messageNode = el('p', { class: 'message', role: 'alert', hidden: true });
  replaceChildren(
    main,
    el('p', { class: 'breadcrumb' }, el('a', { href: '#/workflows' }, 'All workflows')),
    el('h1', { tabindex: '-1' }, 'Workflow ', el('span', { class: 'mono wrap' }, id)),
    messageNode,
    content);

  let controller = null;

  async function load() {
    controller?.abort();
    controller = new AbortController();
    try {
      const { body } = await getJson(`/workflows/${id}`, { signal: controller.signal });
      messageNode.hidden = true;
      replaceChildren(content, summary(body), journey(body), anomalies(body.anomalies));
    } catch (error) {
      if (isAbort(error)) {
        return;
      }

      messageNode.textContent = error.status === 404
        ? `No workflow ${id} has been observed (yet).`
        : `The workflow could not be loaded: ${describeError(error)}`;
      messageNode.hidden = false;
    }
  }

  const unsubscribe = live.subscribe({
    workflow: (event) => {
      if (String(event.workflowId).toLowerCase() === id) {
        load();
      }
    },
    reset: load,
    reorg: load,
  });
  load();

  return {
    title: `Workflow ${id.slice(0, 10)}…`,
    unmount() {
      controller?.abort();
      unsubscribe();
    },
  };
}

function summary({ workflow }) {
  const item = (label, ...value) => [el('dt', {}, label), el('dd', {}, ...value)];
  return el('section', { 'aria-labelledby': 'summary-title', class: 'panel' },
    el('h2', { id: 'summary-title' }, 'Summary'),
    el('dl', { class: 'facts' },
      item('Status', statusBadge(workflow.status), el('span', { class: 'secondary' }, ` phase ${workflow.phase}`)),
      item('Initiator', addressLink(workflow.initiator)),
      item('Started', time(workflow.startedAt)),
      item('Finished', time(workflow.completedAt)),
      item('Settled', amount(workflow.settledTotal)),
      workflow.failureReason === null ? null : item('Failure reason', workflow.failureReason)));
}

function journey(detail) {
  const steps = detail.events.map((event) => step(event, detail.anomalies));
  const next = detail.workflow.status === 'running' ? NEXT_STEP[detail.workflow.phase] : undefined;
  if (next) {
    steps.push(el('li', { class: 'step step-pending', 'data-step': 'pending' },
      el('h3', {}, next[0]), el('p', { class: 'secondary' }, next[1])));
  }

  return el('section', { 'aria-labelledby': 'journey-title', class: 'panel' },
    el('h2', { id: 'journey-title' }, 'Journey'),
    steps.length === 0 ? el('p', {}, 'No events.') : el('ol', { class: 'journey' }, steps));
}

function step(event, anomalyList) {
  const [kind, title, description] = describeEvent(event);
  const flagged = anomalyList.some((anomaly) => anomaly.blockNumber === event.blockNumber
    && anomaly.transactionIndex === event.transactionIndex && anomaly.logIndex === event.logIndex);
  const item = (label, key, ...value) => [el('dt', {}, label), el('dd', { 'data-fact': key }, ...value)];
  return el('li', { class: `step step-${kind}${flagged ? ' step-anomaly' : ''}`, 'data-step': kind },
    el('h3', {}, title, flagged ? el('span', { class: 'badge badge-anomaly' }, 'anomaly') : null),
    description ? el('p', {}, ...description) : null,
    el('dl', { class: 'facts compact' },
      item('Block', 'block', blockLink(event.blockNumber), el('span', { class: 'secondary' }, ` tx ${event.transactionIndex}, log ${event.logIndex}`)),
      item('Time', 'time', time(event.blockTimestamp)),
      item('Transaction', 'transaction', txLink(event.txHash)),
      item('Sender', 'sender', event.txSender ? addressLink(event.txSender) : el('span', { class: 'secondary' }, 'not recorded'))));
}

/** [kind, title, description parts] of an event. */
function describeEvent(event) {
  const payload = event.payload ?? {};
  switch (event.eventType) {
    case 'WORKFLOW_STARTED':
      return ['intent', 'Intent', ['Started by ', addressLink(payload.initiator), '.']];
    case 'DECISION_RECORDED':
      return ['decision', payload.approved ? 'Decision: approved' : 'Decision: rejected', [quote(payload.reason)]];
    case 'PAYMENT_EXECUTED':
      return ['settlement', 'Settlement', [amount(payload.amount), ' from ', addressLink(payload.from), ' to ', addressLink(payload.to), '.']];
    case 'WORKFLOW_COMPLETED':
      return ['completion', 'Completion', null];
    case 'WORKFLOW_FAILED':
      return ['failure', 'Failure', [quote(payload.reason)]];
    default:
      return ['unknown', String(event.eventType), null];
  }
}

function anomalies(list) {
  const body = list.length === 0
    ? el('p', {}, 'None: every event fit the workflow’s state machine.')
    : el('ul', { class: 'anomalies' }, list.map((anomaly) => el('li', { 'data-anomaly': anomaly.kind },
      el('strong', {}, ANOMALY_KINDS[anomaly.kind] ?? String(anomaly.kind)),
      ` (${anomaly.kind}): ${anomaly.event} at block ${anomaly.blockNumber}, tx ${anomaly.transactionIndex}, `
        + `log ${anomaly.logIndex}${anomaly.phaseBefore ? `, phase before: ${anomaly.phaseBefore}` : ''}.`)));
  return el('section', { 'aria-labelledby': 'anomalies-title', class: 'panel' },
    el('h2', { id: 'anomalies-title' }, 'Anomalies'), body);
}

function time(seconds) {
  return seconds === null || seconds === undefined ? '—' : el('time', { datetime: isoUtc(seconds) }, utc(seconds));
}

function amount(wei) {
  return el('span', { class: 'amount', title: `${wei} wei` }, `${nativeAmount(wei)} `, el('span', { class: 'secondary' }, `(${wei} wei)`));
}

function quote(text) {
  return text === null || text === undefined || text === '' ? 'No reason given.' : `“${text}”`;
}
