import { useCallback, useEffect, useRef, useState } from 'react';

const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'scroll',
];

/**
 * Watches for activity and calls `onTimeout` after `timeoutSecs` without
 * any. For the last `warningSecs` it reports a warning with the seconds
 * left; while the warning shows, only `stay()` keeps the session, so a
 * stray mouse movement cannot hide the question.
 */
export function useIdleLogoff({ timeoutSecs, warningSecs, onTimeout }) {
  const lastActivity = useRef(0);
  const warningShown = useRef(false);
  const latestTimeout = useRef(onTimeout);
  const [secondsLeft, setSecondsLeft] = useState(null);

  useEffect(() => {
    latestTimeout.current = onTimeout;
  });

  useEffect(() => {
    const markActive = () => {
      if (!warningShown.current) lastActivity.current = Date.now();
    };
    ACTIVITY_EVENTS.forEach((name) =>
      window.addEventListener(name, markActive, {
        capture: true,
        passive: true,
      }),
    );
    return () =>
      ACTIVITY_EVENTS.forEach((name) =>
        window.removeEventListener(name, markActive, { capture: true }),
      );
  }, []);

  useEffect(() => {
    lastActivity.current = Date.now();
    const check = () => {
      const idle = (Date.now() - lastActivity.current) / 1000;
      const left = Math.ceil(timeoutSecs - idle);
      if (left <= 0) {
        clearInterval(timer);
        warningShown.current = false;
        setSecondsLeft(null);
        latestTimeout.current();
      } else if (left <= warningSecs) {
        warningShown.current = true;
        setSecondsLeft(left);
      }
    };
    const timer = setInterval(check, 1000);
    return () => clearInterval(timer);
  }, [timeoutSecs, warningSecs]);

  const stay = useCallback(() => {
    lastActivity.current = Date.now();
    warningShown.current = false;
    setSecondsLeft(null);
  }, []);

  return { warning: secondsLeft !== null, secondsLeft, stay };
}
