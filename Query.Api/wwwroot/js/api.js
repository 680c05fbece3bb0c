// The API's answers, and its errors as values the page can show.

export class ApiError extends Error {
  constructor(path, status, title, detail, errors) {
    super(`${path}: ${status === 0 ? 'no answer' : `HTTP ${status}`} ${title ?? ''}`.trim());
    this.name = 'ApiError';
    this.path = path;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors ?? {};
  }

  /** One sentence for a person: what failed, and the API's own explanation when it gave one. */
  describe() {
    if (this.status === 0) {
      return `The API could not be reached (${this.path}).`;
    }

    const fields = Object.entries(this.errors).flatMap(([, messages]) => messages);
    const explanation = [this.detail, ...fields].filter(Boolean).join(' ');
    const answer = `${this.path} answered ${this.status}${this.title ? ` (${this.title})` : ''}.`;
    return explanation ? `${answer} ${explanation}` : answer;
  }
}

/** GET path as JSON. Resolves to { body, next } (next: the Link header's rel="next" URL, or null). */
export async function getJson(path, { signal } = {}) {
  let response;
  try {
    // no-cache: always asked again (If-None-Match when an ETag is known), so a live refresh never shows a stale copy.
    response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-cache', signal });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }

    throw new ApiError(path, 0);
  }

  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(path, response.status, problem.title ?? response.statusText, problem.detail, problem.errors);
  }

  return { body: await response.json(), next: nextLink(response.headers.get('Link')) };
}

/** The target of rel="next" in an RFC 8288 Link header, or null. */
export function nextLink(header) {
  if (!header) {
    return null;
  }

  for (const [, target, parameters] of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(parameters);
    if (rel && (rel[1] ?? rel[2]).toLowerCase().split(/\s+/).includes('next')) {
      return target;
    }
  }

  return null;
}

export function describeError(error) {
  return error instanceof ApiError ? error.describe() : `Unexpected error: ${error.message}`;
}

export function isAbort(error) {
  return error?.name === 'AbortError';
}
