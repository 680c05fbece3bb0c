// Links to a block explorer (EXPLORER_URL, read from /dashboard/settings); plain text when none is set.
import { el } from './dom.js';

let base = null;

export function useExplorer(url) {
  base = typeof url === 'string' && /^https?:\/\//i.test(url) ? url.replace(/\/+$/, '') : null;
}

export function txLink(hash) {
  return link(hash, /^0x[0-9a-fA-F]{64}$/, (value) => `/tx/${value}`, `Transaction ${hash} in the explorer`);
}

export function blockLink(number) {
  return link(String(number), /^[0-9]+$/, (value) => `/block/${value}`, `Block ${number} in the explorer`);
}

export function addressLink(address) {
  return link(address, /^0x[0-9a-fA-F]{40}$/, (value) => `/address/${value}`, `Address ${address} in the explorer`);
}

function link(value, shape, path, label) {
  if (value === null || value === undefined) {
    return el('span', {}, '—');
  }

  const text = String(value);
  if (base === null || !shape.test(text)) {
    return el('span', { class: 'mono' }, text);
  }

  return el('a', { class: 'mono', href: base + path(text), title: label, rel: 'external noopener noreferrer' }, text);
}
