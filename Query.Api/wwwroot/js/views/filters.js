// The filters of GET /workflows (and /stats): read from and written to the page's URL, so a
// filtered list can be bookmarked and the browser's back button walks back through pages.

export const STATUSES = ['running', 'completed', 'failed', 'rejected'];
export const PAGE_SIZES = [25, 50, 100];
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The API's list parameters found in query (URLSearchParams); anything else is dropped. */
export function readListQuery(query) {
  return {
    statuses: query.getAll('status').filter((status) => STATUSES.includes(status)),
    initiator: query.get('initiator') ?? '',
    payee: query.get('payee') ?? '',
    startedFrom: wholeNumber(query.get('startedFrom')),
    startedTo: wholeNumber(query.get('startedTo')),
    limit: PAGE_SIZES.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : PAGE_SIZES[0],
    cursor: query.get('cursor'),
  };
}

/** Query parameters for /workflows (with limit and cursor) or /stats (filters only). */
export function toQuery(list, { paging = true } = {}) {
  const query = new URLSearchParams();
  for (const status of list.statuses) {
    query.append('status', status);
  }

  for (const name of ['initiator', 'payee', 'startedFrom', 'startedTo']) {
    if (list[name] !== '' && list[name] !== null) {
      query.set(name, String(list[name]));
    }
  }

  if (paging) {
    query.set('limit', String(list.limit));
    if (list.cursor) {
      query.set('cursor', list.cursor);
    }
  }

  return query;
}

export function isFiltered(list) {
  return list.statuses.length > 0 || list.initiator !== '' || list.payee !== '' || list.startedFrom !== null || list.startedTo !== null;
}

export function isAddress(text) {
  return ADDRESS.test(text);
}

/** unix seconds → the value of an <input type="datetime-local"> read as UTC. */
export function toDateTimeInput(seconds) {
  return seconds === null ? '' : new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** The value of an <input type="datetime-local">, read as UTC → unix seconds (null when empty). */
export function fromDateTimeInput(value) {
  if (!value) {
    return null;
  }

  const millis = Date.parse(`${value}Z`);
  return Number.isNaN(millis) ? null : Math.floor(millis / 1000);
}

function wholeNumber(text) {
  return text !== null && /^[0-9]{1,12}$/.test(text) ? Number(text) : null;
}
