import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';

import { formatDurationWords } from '../../lib/format';

import { useAuth } from './auth-context';
import { IdleWarningDialog } from './idle-warning-dialog';
import { DEFAULT_IDLE_TIMEOUT_SECS, warningSecsFor } from './session-timing';
import { useIdleLogoff } from './use-idle-logoff';

/**
 * The automatic log-off of a signed-in shell: a warning with a countdown,
 * then sign-out with a notice on the sign-in page saying why.
 */
export function SessionGuard() {
  const { session, signOut } = useAuth();
  const navigate = useNavigate();
  const timeoutSecs = session?.idleTimeoutSecs ?? DEFAULT_IDLE_TIMEOUT_SECS;

  const endSession = useCallback(
    async (notice) => {
      await signOut(notice);
      navigate('/sign-in', { replace: true });
    },
    [signOut, navigate],
  );

  const onTimeout = useCallback(
    () =>
      endSession(
        `You were signed out after ${formatDurationWords(timeoutSecs)} without activity. Please sign in again.`,
      ),
    [endSession, timeoutSecs],
  );

  const { warning, secondsLeft, stay } = useIdleLogoff({
    timeoutSecs,
    warningSecs: warningSecsFor(timeoutSecs),
    onTimeout,
  });

  return (
    <IdleWarningDialog
      open={warning}
      secondsLeft={secondsLeft}
      onStay={stay}
      onSignOut={() => endSession(null)}
    />
  );
}
