// One EventSource on /stream for the whole page. Its events (workflow, status, reorg, reset) are
// dispatched again as DOM events so that each view subscribes while it is shown.

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 60000;

export class LiveStream extends EventTarget {
  #source = null;
  #retryMs = FIRST_RETRY_MS;
  #wasOpen = false;
  state = 'connecting';

  start() {
    this.#connect();
  }

  #connect() {
    const source = new EventSource('/stream');
    this.#source = source;
    source.addEventListener('open', () => {
      this.#retryMs = FIRST_RETRY_MS;
      // A new EventSource cannot send Last-Event-ID: whatever happened while it was gone is read again.
      if (this.#wasOpen && this.state === 'unavailable') {
        this.#emit('reset', { reason: 'reconnected' });
      }

      this.#wasOpen = true;
      this.#setState('live');
    });
    for (const type of ['workflow', 'status', 'reorg', 'reset']) {
      source.addEventListener(type, (event) => this.#forward(type, event));
    }

    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.#setState('reconnecting'); // the browser retries by itself, sending Last-Event-ID
        return;
      }

      // Refused (an HTTP error, too many clients): the browser gives up, so retry later, more slowly each time.
      source.close();
      this.#setState('unavailable');
      setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
    });
  }

  #forward(type, event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // not an event of the contract: nothing to show
    }

    this.#emit(type, data);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #setState(state) {
    if (state !== this.state) {
      this.state = state;
      this.#emit('statechange', { state });
    }
  }

  /** Subscribes handlers ({ workflow: fn, reset: fn, … }, each given the event's data); returns the unsubscribe function. */
  subscribe(handlers) {
    const listeners = Object.entries(handlers).map(([type, handler]) => [type, (event) => handler(event.detail)]);
    for (const [type, listener] of listeners) {
      this.addEventListener(type, listener);
    }

    return () => {
      for (const [type, listener] of listeners) {
        this.removeEventListener(type, listener);
      }
    };
  }
}
