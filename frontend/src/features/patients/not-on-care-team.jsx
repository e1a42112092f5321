import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';

import { useActiveGrants } from '../emergency/active-grants-context';
import { EmergencyRequestForm } from '../emergency/emergency-request-form';

/**
 * The page a clinician meets when a patient is not on their care team. It
 * offers break-glass access for that patient, since the clinician cannot
 * look the patient up any other way.
 */
export function NotOnCareTeam({ patientId, onGranted }) {
  const { available } = useActiveGrants();
  const [requesting, setRequesting] = useState(false);
  const headingRef = useRef(null);

  // Focus moves to the form as soon as it opens, before its animation, so a
  // quick user's first click in the form is never undone by a late move.
  useEffect(() => {
    if (requesting) headingRef.current?.focus();
  }, [requesting]);

  return (
    <Paper variant="outlined" sx={{ p: 4, maxWidth: 720, mx: 'auto', mt: 4 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        You are not on this patient’s care team
      </Typography>
      <Typography sx={{ mb: 2 }}>
        Only clinicians on a patient’s care team can see their information. Ask
        an administrator to add you to the care team if you are treating this
        patient. This attempt has been recorded.
      </Typography>
      {available ? (
        <Typography sx={{ mb: 3 }}>
          In an emergency you can open the record now with emergency access: it
          is logged, administrators are told at once, and it is reviewed
          afterwards.
        </Typography>
      ) : null}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        {available && !requesting ? (
          <Button
            variant="contained"
            color="error"
            onClick={() => setRequesting(true)}
          >
            Request emergency access
          </Button>
        ) : null}
        <Button component={RouterLink} to="/patients" variant="outlined">
          Back to patients
        </Button>
      </Box>
      <Collapse in={requesting} unmountOnExit>
        <Box sx={{ mt: 4 }}>
          <Typography
            variant="h6"
            component="h2"
            gutterBottom
            tabIndex={-1}
            ref={headingRef}
            sx={{ '&:focus': { outline: 'none' } }}
          >
            Emergency access
          </Typography>
          <EmergencyRequestForm patientId={patientId} onGranted={onGranted} />
        </Box>
      </Collapse>
    </Paper>
  );
}
