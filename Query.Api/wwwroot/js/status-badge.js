import { el } from './dom.js';
import { STATUSES } from './views/filters.js';

export function statusBadge(status) {
  const known = STATUSES.includes(status) ? status : 'unknown';
  return el('span', { class: `badge badge-${known}`, 'data-status': String(status) }, String(status));
}
