import { useCallback } from 'react';

import { useActiveGrants } from './active-grants-context';
import {
  activateEmergencyAccess,
  requestEmergencyAccess,
} from './emergency-api';
import { toRequestBody } from './emergency-schema';

/**
 * Requests emergency access and activates it at once with the one-time
 * token (an emergency never waits for approval), then refreshes the shell's
 * banner. Resolves to the active grant.
 */
export function useBreakGlass() {
  const { refresh } = useActiveGrants();
  return useCallback(
    async (values) => {
      const requested = await requestEmergencyAccess(toRequestBody(values));
      const grant = await activateEmergencyAccess(requested.access_token);
      await refresh();
      return { ...grant, patient_id: grant.patient_id ?? requested.patient_id };
    },
    [refresh],
  );
}
