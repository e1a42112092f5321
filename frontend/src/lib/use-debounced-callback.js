import { useCallback, useEffect, useRef } from 'react';

/**
 * A function that calls `callback` once calls have stopped for `delay`
 * milliseconds; a pending call is dropped when the component unmounts.
 */
export function useDebouncedCallback(callback, delay = 300) {
  const latest = useRef(callback);
  const timer = useRef(null);

  useEffect(() => {
    latest.current = callback;
  });

  useEffect(() => () => clearTimeout(timer.current), []);

  return useCallback(
    (...args) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(...args), delay);
    },
    [delay],
  );
}
