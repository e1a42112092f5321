import EmergencyIcon from '@mui/icons-material/Emergency';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Link as RouterLink } from 'react-router-dom';

import { formatCountdown } from '../../lib/format';
import { useNow } from '../../lib/use-now';

import { useActiveGrants } from './active-grants-context';
import { isLive } from './emergency-fields';

/**
 * Shown under the header while the clinician holds an emergency grant, with
 * the time left; each line disappears when its grant expires.
 */
export function EmergencyBanner() {
  const { grants } = useActiveGrants();
  const hasGrants = grants.length > 0;
  const now = useNow(1000, hasGrants);
  const live = grants.filter((grant) => isLive(grant, now));
  if (live.length === 0) return null;

  return (
    <Stack
      component="section"
      aria-label="Emergency access"
      spacing={0}
      sx={{ borderBottom: 1, borderColor: 'divider' }}
    >
      {live.map((grant) => {
        const secondsLeft = (Date.parse(grant.expires_at) - now) / 1000;
        return (
          <Alert
            key={grant.id}
            severity="error"
            variant="filled"
            icon={<EmergencyIcon />}
            sx={{ borderRadius: 0, alignItems: 'center', px: { xs: 2, sm: 3 } }}
            action={
              <Button
                color="inherit"
                size="small"
                variant="outlined"
                component={RouterLink}
                to={`/patients/${grant.patient_id}`}
              >
                Open patient
              </Button>
            }
          >
            Emergency access to patient {grant.patient_id} is active. Every view
            is logged and will be reviewed. Ends in{' '}
            <strong role="timer" aria-live="off">
              {formatCountdown(secondsLeft)}
            </strong>
            .
          </Alert>
        );
      })}
    </Stack>
  );
}
