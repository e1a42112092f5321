import { useCallback } from 'react';

import { useStepUp } from '../auth/step-up';

import { useActiveGrants } from './active-grants-context';
import {
  activateEmergencyAccess,
  requestEmergencyAccess,
} from './emergency-api';
import { toRequestBody } from './emergency-schema';

/**
 * Requests emergency access and activates it at once with the one-time
 * token (an emergency never waits for approval), then refreshes the shell's
 * banner. Resolves to the active grant. Both steps need a recent sign-in:
 * when it is due, the user confirms with a password or code and the step
 * is tried again.
 */
export function useBreakGlass() {
  const { refresh } = useActiveGrants();
  const stepUp = useStepUp();
  return useCallback(
    async (values) => {
      const requested = await stepUp(() =>
        requestEmergencyAccess(toRequestBody(values)),
      );
      const grant = await stepUp(() =>
        activateEmergencyAccess(requested.access_token),
      );
      await refresh();
      return { ...grant, patient_id: grant.patient_id ?? requested.patient_id };
    },
    [refresh, stepUp],
  );
}
