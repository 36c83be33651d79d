// The live feed: server-sent events of GET /api/stream (event names: job, job-deleted, job-event,
// checkpoint, metrics, eval-result, eval-progress, leaderboard, reset; data: the event's JSON).
//
// Without a token the browser's EventSource reads it (it reconnects by itself and resumes with
// Last-Event-ID). EventSource cannot send an Authorization header, so with a token the same stream
// is read with fetch() and parsed here, reconnecting and resuming the same way.

import { ApiError, apiUrl, authHeaders, token } from './api.js';

export const EVENT_NAMES = ['job', 'job-deleted', 'job-event', 'checkpoint', 'metrics', 'eval-result',
  'eval-progress', 'leaderboard', 'reset'];

const RETRY_MS = 3000;
const MAX_RETRY_MS = 60000;

// Refused connections (429 when the gateway's stream caps are reached, 401 without a token) are
// retried less and less often; a stream that opened resets the delay.
function backoff(delay) {
  return Math.min(delay * 2, MAX_RETRY_MS);
}

/**
 * Opens the stream. {@code onEvent(name, data)} gets each event with its parsed JSON;
 * {@code onState(state, detail)} gets 'connecting', 'open', 'reconnecting' or 'unauthorized'.
 * Returns {close()}.
 */
export function openFeed(path, { onEvent, onState }) {
  return token() ? new FetchFeed(path, onEvent, onState) : new EventSourceFeed(path, onEvent, onState);
}

function dispatch(onEvent, name, raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    console.warn('moelora: event', name, 'is not JSON', raw);
    return;
  }
  try {
    onEvent(name, data);
  } catch (e) {
    console.error('moelora: handling event', name, e);
  }
}

class EventSourceFeed {
  constructor(path, onEvent, onState) {
    this.path = path;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.closed = false;
    this.delay = RETRY_MS;
    this.connect();
  }

  connect() {
    this.onState('connecting');
    // A closed EventSource (e.g. answered 429) is replaced; ?lastEventId= resumes it without a gap.
    const source = new EventSource(apiUrl(this.path, { lastEventId: this.lastId }));
    this.source = source;
    source.onopen = () => {
      this.delay = RETRY_MS;
      this.onState('open');
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // EventSource gives up on a non-200 answer: try again later, from the last event seen.
        this.onState('reconnecting', 'the stream was refused; retrying in ' + this.delay / 1000 + ' s');
        if (!this.closed) {
          this.timer = setTimeout(() => this.connect(), this.delay);
          this.delay = backoff(this.delay);
        }
      } else {
        this.onState('reconnecting');
      }
    };
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        if (e.lastEventId) {
          this.lastId = e.lastEventId;
        }
        dispatch(this.onEvent, name, e.data);
      });
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.source?.close();
  }
}

class FetchFeed {
  constructor(path, onEvent, onState) {
    this.path = path;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.retryMs = RETRY_MS; // the server's retry: field
    this.delay = RETRY_MS;
    this.abort = new AbortController();
    this.run();
  }

  async run() {
    while (!this.abort.signal.aborted) {
      this.onState('connecting');
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (this.lastId) {
          headers['Last-Event-ID'] = this.lastId;
        }
        const response = await fetch(apiUrl(this.path), { headers, cache: 'no-store', signal: this.abort.signal });
        if (!response.ok) {
          throw new ApiError(response.status, '');
        }
        this.delay = this.retryMs;
        this.onState('open');
        await this.read(response.body);
        this.onState('reconnecting');
      } catch (e) {
        if (this.abort.signal.aborted) {
          return;
        }
        const refused = e instanceof ApiError && (e.status === 401 || e.status === 403);
        this.onState(refused ? 'unauthorized' : 'reconnecting', e.message);
        if (e instanceof ApiError) {
          this.delay = backoff(this.delay);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, this.delay));
    }
  }

  // The text/event-stream format: "field: value" lines, an empty line ends an event, ':' starts a comment.
  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = 'message';
    let data = [];
    let id = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          // As EventSource: the id counts once its event is complete.
          if (id !== null) {
            this.lastId = id;
          }
          if (data.length > 0) {
            dispatch(this.onEvent, name, data.join('\n'));
          }
          name = 'message';
          data = [];
          id = null;
          continue;
        }
        if (line.startsWith(':')) {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) {
          val = val.slice(1);
        }
        if (field === 'event') {
          name = val;
        } else if (field === 'data') {
          data.push(val);
        } else if (field === 'id') {
          id = val;
        } else if (field === 'retry' && /^\d+$/.test(val)) {
          this.retryMs = Number(val);
        }
      }
    }
  }

  close() {
    this.abort.abort();
  }
}
