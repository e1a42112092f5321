import { useState } from 'react';

/**
 * An action on one item that a confirmation dialog guards: `setTarget`
 * opens the dialog, `confirm` runs `act(target)` and hands the message it
 * returns to `onDone`, `close` dismisses it. A failure stays in `error`
 * with the dialog open, so the person can retry or cancel.
 */
export function useConfirmedAction(act, onDone) {
  const [target, setTarget] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const message = await act(target);
      setTarget(null);
      onDone(message);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setTarget(null);
    setError(null);
  };
  return { target, setTarget, busy, error, confirm, close };
}
