import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { PageHeader } from '../../components/page-header';

import { EnrolmentPanel } from './enrolment-panel';

/**
 * The signed-in user's own sign-in security: setting up two-step sign-in
 * with an authenticator app. Once set up, every sign-in asks for a code.
 */
export function SecurityPage() {
  const [stage, setStage] = useState('intro');

  return (
    <>
      <PageHeader
        title="Sign-in security"
        subtitle="Two-step sign-in with an authenticator app."
      />
      <Paper variant="outlined" sx={{ p: 3, maxWidth: 560 }}>
        {stage === 'intro' ? (
          <Stack spacing={2}>
            <Typography>
              With two-step sign-in, signing in needs your password and a
              six-digit code from an authenticator app on your phone, so a
              stolen password alone is not enough.
            </Typography>
            <Button variant="contained" onClick={() => setStage('enrolling')}>
              Set up authenticator app
            </Button>
          </Stack>
        ) : null}
        {stage === 'enrolling' ? (
          <EnrolmentPanel
            onDone={() => setStage('done')}
            onCancel={() => setStage('intro')}
          />
        ) : null}
        {stage === 'done' ? (
          <Alert severity="success">
            Two-step sign-in is on. From your next sign-in, enter the code your
            authenticator app shows after your password.
          </Alert>
        ) : null}
      </Paper>
    </>
  );
}
