import { useEffect, useRef, useState } from 'react';

import { readEventStream, StreamUnavailable } from './event-stream';

const FIRST_RETRY_MS = 2000;
const LONGEST_RETRY_MS = 30000;

function wait(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Follows the server-sent events at `path` (under the API) and hands each
 * `{type, data}` to `onEvent`. Reconnects with a growing pause when the
 * stream breaks, and starts over when `path` changes. With `enabled` false
 * nothing is open. The state says whether updates are live:
 * `connecting`, `live`, `reconnecting`, `unavailable` or `paused`.
 */
export function useEventFeed(path, onEvent, { enabled = true } = {}) {
  // The state belongs to one path: a new path starts at `connecting`
  // without a render of the old path's state.
  const [status, setStatus] = useState({ path, value: 'connecting' });
  const latest = useRef(onEvent);

  useEffect(() => {
    latest.current = onEvent;
  });

  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    const report = (value) => setStatus({ path, value });
    const follow = async () => {
      let pause = FIRST_RETRY_MS;
      while (!signal.aborted) {
        try {
          await readEventStream(path, {
            signal,
            onOpen: () => {
              pause = FIRST_RETRY_MS;
              report('live');
            },
            onEvent: (event) => latest.current(event),
          });
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof StreamUnavailable) {
            report('unavailable');
            return;
          }
        }
        if (signal.aborted) return;
        report('reconnecting');
        await wait(pause, signal);
        pause = Math.min(pause * 2, LONGEST_RETRY_MS);
      }
    };
    follow();
    return () => {
      controller.abort();
      report('connecting');
    };
  }, [path, enabled]);

  if (!enabled) return 'paused';
  return status.path === path ? status.value : 'connecting';
}
