// Workflows started and finished over time, from GET /stats/timeline, drawn as SVG by hand:
// per bucket, a bar of starts beside a bar of terminal statuses stacked.
import { getJson, describeError } from '../api.js';
import { el, svg, replaceChildren } from '../dom.js';
import { count, nativeAmount, utc } from '../format.js';

const RANGES = {
  hour: { seconds: 3600, buckets: 48, label: 'last 48 hours, by hour' },
  day: { seconds: 86400, buckets: 30, label: 'last 30 days, by day' },
};
const TERMINAL = ['completed', 'failed', 'rejected'];
const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 44 };
const REFRESH_MS = 60000;

export function mountActivityChart(container, { live }) {
  const select = el('select', { id: 'activity-bucket' },
    Object.entries(RANGES).map(([bucket, range]) => el('option', { value: bucket }, range.label)));
  const figure = el('figure', { class: 'chart' });
  const messageNode = el('p', { class: 'message', role: 'alert', hidden: true });
  replaceChildren(
    container,
    el('p', { class: 'controls' }, el('label', { for: 'activity-bucket' }, 'Period'), select),
    messageNode,
    figure);

  let stopped = false;
  let request = 0;

  async function load() {
    const mine = ++request;
    const range = RANGES[select.value];
    try {
      const to = await windowEnd(range);
      const from = (Math.floor(to / range.seconds) - range.buckets + 1) * range.seconds;
      const { body } = await getJson(`/stats/timeline?bucket=${select.value}&from=${from}&to=${to}`);
      if (!stopped && mine === request) {
        draw(figure, body, range);
        messageNode.hidden = true;
      }
    } catch (error) {
      if (!stopped && mine === request) {
        replaceChildren(figure);
        messageNode.textContent = `Activity chart unavailable: ${describeError(error)}`;
        messageNode.hidden = false;
      }
    }
  }

  select.addEventListener('change', load);
  const timer = setInterval(load, REFRESH_MS);
  const unsubscribe = live.subscribe({ reset: load, reorg: load });
  load();
  return () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
  };
}

/** Now, or the newest workflow's start when the chain has been quiet longer than the window (an idle testnet). */
async function windowEnd(range) {
  const now = Math.floor(Date.now() / 1000);
  const { body } = await getJson('/workflows?limit=1');
  const newest = body[0]?.startedAt;
  return typeof newest === 'number' && newest < now - range.seconds * range.buckets ? newest : now;
}

function draw(figure, timeline, range) {
  const size = range.seconds;
  const byStart = new Map(timeline.buckets.map((bucket) => [bucket.start, bucket]));
  const starts = new Set(timeline.buckets.map((bucket) => bucket.start));
  for (let start = Math.floor(timeline.from / size) * size; start <= timeline.to; start += size) {
    starts.add(start);
  }

  const buckets = [...starts].sort((a, b) => a - b).map((start) => ({
    start, started: 0, completed: 0, failed: 0, rejected: 0, settled: '0', ...byStart.get(start),
  }));
  const totals = sum(buckets);
  const peak = roundUp(Math.max(1, ...buckets.map((b) => Math.max(b.started, b.completed + b.failed + b.rejected))));
  const summary = `${count(totals.started)} started, ${count(totals.completed)} completed, `
    + `${count(totals.failed)} failed, ${count(totals.rejected)} rejected, ${nativeAmount(totals.settled)} settled`;

  replaceChildren(
    figure,
    chartSvg(buckets, peak, summary, range),
    el('figcaption', {}, `${range.label[0].toUpperCase()}${range.label.slice(1)} (UTC): ${summary}.`),
    legend(),
    dataTable(buckets));
}

function chartSvg(buckets, peak, summary, range) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / buckets.length;
  const barWidth = Math.max(1, slot * 0.4);
  const y = (value) => MARGIN.top + plotHeight - (value / peak) * plotHeight;
  const ticks = [0, peak / 2, peak];

  const grid = ticks.map((tick) => svg('g', { class: 'tick' },
    svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(tick), y2: y(tick) }),
    svg('text', { x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, count(tick))));

  const bars = buckets.map((bucket, index) => {
    const x = MARGIN.left + index * slot + slot * 0.1;
    let top = y(0);
    const stacked = TERMINAL.map((status) => {
      const height = y(0) - y(bucket[status]);
      top -= height;
      return svg('rect', { class: `bar bar-${status}`, x: x + barWidth, y: top, width: barWidth, height });
    });
    return svg('g', { class: 'bucket' },
      svg('title', {}, `${utc(bucket.start)}: ${count(bucket.started)} started, ${count(bucket.completed)} completed, `
        + `${count(bucket.failed)} failed, ${count(bucket.rejected)} rejected, ${nativeAmount(bucket.settled)} settled`),
      svg('rect', { class: 'bar bar-started', x, y: y(bucket.started), width: barWidth, height: y(0) - y(bucket.started) }),
      stacked);
  });

  const labelAt = (index, anchor) => svg('text', {
    class: 'axis-label', x: MARGIN.left + index * slot + slot / 2, y: HEIGHT - 8, 'text-anchor': anchor,
  }, axisTime(buckets[index].start, range));

  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'activity-svg-title activity-svg-desc' },
    svg('title', { id: 'activity-svg-title' }, `Workflow activity, ${range.label}`),
    svg('desc', { id: 'activity-svg-desc' }, `In total ${summary}. The table below lists every bucket with activity.`),
    grid,
    bars,
    svg('line', { class: 'axis', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0) }),
    labelAt(0, 'start'),
    labelAt(Math.floor(buckets.length / 2), 'middle'),
    labelAt(buckets.length - 1, 'end'));
}

/** The scale's top: the next of 2, 4, 6, 8, 10, 20, 40, … at or above value (so its half is whole too). */
function roundUp(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((step) => step * magnitude).find((top) => top >= value && top % 2 === 0);
}

function axisTime(start, range) {
  const iso = new Date(start * 1000).toISOString();
  return range.seconds < 86400 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

function legend() {
  const entry = (key, label) => el('li', {}, el('span', { class: `swatch bar-${key}`, 'aria-hidden': 'true' }), label);
  return el('ul', { class: 'legend' },
    entry('started', 'started'), entry('completed', 'completed'), entry('failed', 'failed'), entry('rejected', 'rejected'));
}

function dataTable(buckets) {
  const active = buckets.filter((b) => b.started + b.completed + b.failed + b.rejected > 0 || b.settled !== '0');
  const cell = (text) => el('td', { class: 'number' }, text);
  return el('details', { class: 'chart-data' },
    el('summary', {}, `Data (${count(active.length)} ${active.length === 1 ? 'bucket' : 'buckets'} with activity)`),
    el('div', { class: 'table-scroll' },
      el('table', {},
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col' }, 'Bucket start (UTC)'),
          ['Started', 'Completed', 'Failed', 'Rejected', 'Settled'].map((h) => el('th', { scope: 'col', class: 'number' }, h)))),
        el('tbody', {}, active.map((b) => el('tr', { 'data-bucket': b.start },
          el('th', { scope: 'row' }, utc(b.start)),
          cell(count(b.started)), cell(count(b.completed)), cell(count(b.failed)), cell(count(b.rejected)),
          cell(nativeAmount(b.settled))))))));
}

function sum(buckets) {
  const totals = { started: 0, completed: 0, failed: 0, rejected: 0, settled: 0n };
  for (const bucket of buckets) {
    for (const key of ['started', ...TERMINAL]) {
      totals[key] += bucket[key];
    }

    totals.settled += /^[0-9]+$/.test(bucket.settled) ? BigInt(bucket.settled) : 0n;
  }

  totals.settled = totals.settled.toString();
  return totals;
}
