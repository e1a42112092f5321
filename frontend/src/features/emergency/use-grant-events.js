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
 * Follows the administrators' live feed of grant changes and calls
 * `onGrant` with each grant. Reconnects with a growing pause when the
 * stream breaks; the state says whether updates are live.
 */
export function useGrantEvents(onGrant) {
  const [state, setState] = useState('connecting');
  const latest = useRef(onGrant);

  useEffect(() => {
    latest.current = onGrant;
  });

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const follow = async () => {
      let pause = FIRST_RETRY_MS;
      while (!signal.aborted) {
        try {
          await readEventStream('/emergency/events', {
            signal,
            onOpen: () => {
              pause = FIRST_RETRY_MS;
              setState('live');
            },
            onEvent: ({ type, data }) => {
              if (type !== 'grant') return;
              try {
                latest.current(JSON.parse(data));
              } catch {
                // A malformed event is skipped; the next reload corrects it.
              }
            },
          });
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof StreamUnavailable) {
            setState('unavailable');
            return;
          }
        }
        if (signal.aborted) return;
        setState('reconnecting');
        await wait(pause, signal);
        pause = Math.min(pause * 2, LONGEST_RETRY_MS);
      }
    };
    follow();
    return () => controller.abort();
  }, []);

  return state;
}
