/**
 * Server-sent events read with fetch, because EventSource cannot send the
 * Authorization header. `parseEventStream` turns text chunks into events;
 * `readEventStream` opens the stream and hands each event to a callback.
 */
import {
  apiClient,
  expireSession,
  getAccessToken,
  refreshSession,
} from './api-client';

/** A parser that keeps the unfinished tail of the text between chunks. */
export function createEventParser(onEvent) {
  let buffer = '';
  const dispatch = (block) => {
    let type = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) onEvent({ type, data: data.join('\n') });
  };
  return (chunk) => {
    buffer += chunk;
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop();
    blocks.forEach(dispatch);
  };
}

export class StreamUnavailable extends Error {}

async function open(url, signal, renewed = false) {
  const token = getAccessToken();
  const response = await fetch(url, {
    headers: {
      Accept: 'text/event-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    cache: 'no-store',
    signal,
  });
  if (response.status === 401 && !renewed) {
    try {
      await refreshSession();
    } catch {
      expireSession();
      throw new StreamUnavailable('session ended');
    }
    return open(url, signal, true);
  }
  if (response.status === 404 || response.status === 403) {
    throw new StreamUnavailable(`status ${response.status}`);
  }
  if (!response.ok || !response.body) {
    throw new Error(`event stream answered ${response.status}`);
  }
  return response.body;
}

/**
 * Reads `path` under the API until the stream ends or `signal` aborts;
 * `onOpen` runs once connected. Throws StreamUnavailable when the server
 * has no such stream for this user, any other error when it broke.
 */
export async function readEventStream(path, { signal, onOpen, onEvent }) {
  const body = await open(`${apiClient.defaults.baseURL}${path}`, signal);
  onOpen?.();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parse = createEventParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parse(decoder.decode(value, { stream: true }));
  }
}
