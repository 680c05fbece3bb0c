// Boots the dashboard: reads its settings, opens the live stream, and shows the view the URL's hash names.
import { getJson } from './api.js';
import { el, replaceChildren } from './dom.js';
import { useExplorer } from './explorer.js';
import { LiveStream } from './live.js';
import { mountOverview } from './views/overview.js';
import { mountWorkflowList } from './views/workflow-list.js';
import { mountWorkflowPage } from './views/workflow-page.js';

const APP_NAME = 'x402 Workflow Observer';
const LIVE_STATES = {
  connecting: 'Live updates: connecting…',
  live: 'Live updates: on',
  reconnecting: 'Live updates: reconnecting…',
  unavailable: 'Live updates: unavailable, retrying',
};

const main = document.getElementById('main');
const live = new LiveStream();
let current = null;

/** #/ → overview, #/workflows?… → list, #/workflows/0x… → one workflow. */
function route(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split(/\?(.*)/s);
  if (path === '' || path === '/') {
    return { name: 'overview', mount: () => mountOverview(main, { live }) };
  }

  if (path === '/workflows' || path === '/workflows/') {
    const query = new URLSearchParams(search);
    return { name: 'workflows', query, mount: () => mountWorkflowList(main, { live, query }) };
  }

  const workflow = /^\/workflows\/(0x[0-9a-fA-F]{64})$/.exec(path);
  if (workflow) {
    return { name: `workflow:${workflow[1].toLowerCase()}`, mount: () => mountWorkflowPage(main, { live, workflowId: workflow[1] }) };
  }

  return { name: 'not-found', mount: () => notFound() };
}

function show({ focus }) {
  const next = route(location.hash);
  if (current?.name === next.name && current.view.update) {
    current.view.update(next.query); // same view, new parameters (filters, next page): keep the form and the focus
    return;
  }

  current?.view.unmount?.();
  const view = next.mount();
  current = { name: next.name, view };
  document.title = `${view.title} · ${APP_NAME}`;
  markCurrentLink(next.name);
  if (focus) {
    main.querySelector('h1')?.focus(); // so that keyboard and screen reader users start at the new page
  }
}

function markCurrentLink(name) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

function notFound() {
  replaceChildren(main,
    el('h1', { tabindex: '-1' }, 'Page not found'),
    el('p', {}, 'Nothing here. ', el('a', { href: '#/' }, 'Go to the overview'), '.'));
  return { title: 'Not found' };
}

function showLiveState() {
  document.getElementById('live-state').textContent = LIVE_STATES[live.state] ?? live.state;
  document.body.dataset.live = live.state;
}

// The skip link moves focus without touching the hash, which names the view.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

const settings = await getJson('/dashboard/settings').then(({ body }) => body, () => ({ explorerUrl: null }));
useExplorer(settings.explorerUrl);
live.addEventListener('statechange', showLiveState);
showLiveState();
live.start();
window.addEventListener('hashchange', () => show({ focus: true }));
show({ focus: false });
