// The overview: workflows by status (/stats), the indexer's state (/status), the activity chart.
import { getJson, describeError } from '../api.js';
import { el, replaceChildren } from '../dom.js';
import { count, ago, utcFromIso, rate } from '../format.js';
import { mountActivityChart } from './activity-chart.js';
import { STATUSES } from './filters.js';

const STATUS_POLL_MS = 5000;
const STATS_REFRESH_MS = 1000;
const STALE_HEARTBEAT_S = 30;

export function mountOverview(main, { live }) {
  const counts = el('ul', { class: 'counts' });
  const countsMessage = message();
  const indexer = el('dl', { class: 'facts' });
  const replay = el('div', { class: 'replay' });
  const indexerMessage = message();
  const proof = el('dl', { class: 'facts' });
  const chart = el('div');

  replaceChildren(
    main,
    el('h1', { tabindex: '-1' }, 'Overview'),
    section('counts-title', 'Workflows by status', countsMessage, counts),
    el('div', { class: 'columns' },
      section('indexer-title', 'Indexer', indexerMessage, replay, indexer),
      section('proof-title', 'Latest determinism proof', proof)),
    section('activity-title', 'Activity', chart));

  let stopped = false;
  let statsTimer = null;
  const unmountChart = mountActivityChart(chart, { live });

  async function loadStats() {
    try {
      const { body } = await getJson('/stats');
      if (!stopped) {
        showCounts(counts, body);
        countsMessage.hidden = true;
      }
    } catch (error) {
      if (!stopped) {
        showMessage(countsMessage, `Counts unavailable: ${describeError(error)}`);
      }
    }
  }

  async function loadStatus() {
    try {
      const { body } = await getJson('/status');
      if (!stopped) {
        showIndexer(indexer, replay, body);
        showProof(proof, body.proofs);
        indexerMessage.hidden = true;
      }
    } catch (error) {
      if (!stopped) {
        showMessage(indexerMessage, `Indexer status unavailable: ${describeError(error)}`);
      }
    }
  }

  // At most one read per period however busy the chain is (and a 304 when nothing moved).
  function refreshStatsSoon() {
    statsTimer ??= setTimeout(() => {
      statsTimer = null;
      loadStats();
    }, STATS_REFRESH_MS);
  }

  // Heartbeat and replay progress move without events, so /status is polled; the counts follow the
  // stream, and are polled too while it is not connected.
  const poll = setInterval(() => {
    loadStatus();
    if (live.state !== 'live') {
      loadStats();
    }
  }, STATUS_POLL_MS);
  const unsubscribe = live.subscribe({
    workflow: refreshStatsSoon,
    status: (status) => updateChain(indexer, status),
    reorg: () => {
      loadStats();
      loadStatus();
    },
    reset: () => {
      loadStats();
      loadStatus();
    },
  });

  loadStats();
  loadStatus();

  return {
    title: 'Overview',
    unmount() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(statsTimer);
      unsubscribe();
      unmountChart();
    },
  };
}

function section(titleId, title, ...content) {
  return el('section', { 'aria-labelledby': titleId, class: 'panel' }, el('h2', { id: titleId }, title), ...content);
}

function message() {
  return el('p', { class: 'message', role: 'alert', hidden: true });
}

function showMessage(node, text) {
  node.textContent = text;
  node.hidden = false;
}

function showCounts(list, stats) {
  const item = (key, label, href) => el('li', { class: `count count-${key}` },
    el('a', { href },
      el('span', { class: 'count-label' }, label),
      el('span', { class: 'count-value', 'data-count': key }, count(stats[key]))));
  replaceChildren(
    list,
    item('total', 'All workflows', '#/workflows'),
    STATUSES.map((status) => item(status, status[0].toUpperCase() + status.slice(1), `#/workflows?status=${status}`)));
}

function fact(key, label, ...value) {
  return [el('dt', {}, label), el('dd', { 'data-fact': key }, ...value)];
}

function showIndexer(list, replayArea, status) {
  const worker = status.worker ?? {};
  const heartbeatAge = worker.heartbeatAgeSeconds;
  const stale = heartbeatAge === null || heartbeatAge === undefined || heartbeatAge > STALE_HEARTBEAT_S;
  const reorgs = status.reorgs ?? { count: 0 };
  replaceChildren(
    list,
    fact('chainId', 'Chain id', status.chainId ?? '—'),
    fact('chainHead', 'Chain head', count(status.chainHead)),
    fact('confirmedHead', 'Confirmed head', count(status.confirmedHead)),
    fact('lastIndexedBlock', 'Last indexed block', count(status.lastIndexedBlock)),
    fact('lag', 'Lag', lag(status.lagBlocks)),
    fact('eventCount', 'Events in the log', count(status.eventCount)),
    fact('heartbeat', 'Worker heartbeat',
      el('span', { class: stale ? 'state state-bad' : 'state state-good' }, heartbeatAge === null || heartbeatAge === undefined ? 'none yet' : ago(heartbeatAge)),
      worker.instanceId ? el('span', { class: 'secondary mono' }, ` ${worker.instanceId}`) : null),
    fact('rpcCircuit', 'RPC circuit', el('span', { class: worker.rpcCircuit === 'closed' ? 'state state-good' : 'state state-bad' }, worker.rpcCircuit ?? '—')),
    fact('reorgs', 'Reorgs repaired', count(reorgs.count),
      reorgs.count > 0 ? el('span', { class: 'secondary' }, ` (deepest ${count(reorgs.deepest)}, last ${utcFromIso(reorgs.lastAt)})`) : null),
    fact('replay', 'Replay', status.replay?.state ?? '—'));
  showReplay(replayArea, status.replay);
}

function lag(blocks) {
  return blocks === null || blocks === undefined ? '—' : `${count(blocks)} ${blocks === 1 ? 'block' : 'blocks'}`;
}

function showReplay(area, replay) {
  if (replay?.state !== 'running') {
    replaceChildren(area);
    return;
  }

  const total = Math.max(replay.eventsTotal, replay.eventsDone, 1);
  replaceChildren(
    area,
    el('label', { for: 'replay-progress' }, 'Replay in progress'),
    el('progress', { id: 'replay-progress', max: total, value: replay.eventsDone }),
    el('p', { class: 'secondary' },
      `${count(replay.eventsDone)} of ${count(replay.eventsTotal)} events, ${rate(replay.eventsPerSecond)}`));
}

/** A status event from the stream: the chain figures move at once, without waiting for the next poll. */
function updateChain(list, status) {
  const set = (key, text) => {
    const node = list.querySelector(`[data-fact="${key}"]`);
    if (node && text !== undefined) {
      node.textContent = text;
    }
  };
  set('chainHead', status.chainHead === undefined ? undefined : count(status.chainHead));
  set('confirmedHead', status.confirmedHead === undefined ? undefined : count(status.confirmedHead));
  set('lastIndexedBlock', status.lastIndexedBlock === undefined ? undefined : count(status.lastIndexedBlock));
  set('lag', status.lag === undefined ? undefined : lag(status.lag));
}

function showProof(list, proof) {
  if (!proof) {
    replaceChildren(list, fact('proof', 'Proof', 'none yet (the worker computes one after its start, then periodically)'));
    return;
  }

  replaceChildren(
    list,
    fact('proofBlock', 'Covers up to block', count(proof.coveredBlock)),
    fact('proofEvents', 'Events', count(proof.eventCount)),
    fact('proofWorkflows', 'Workflows', count(proof.workflowCount)),
    fact('eventLogHash', 'Event-log hash', el('span', { class: 'mono wrap' }, proof.eventLogHash)),
    fact('projectionHash', 'Projection hash', el('span', { class: 'mono wrap' }, proof.projectionHash)),
    fact('proofComputedAt', 'Computed', utcFromIso(proof.computedAt)));
}
