import Alert from '@mui/material/Alert';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useNavigate } from 'react-router-dom';

import { PageHeader } from '../../components/page-header';

import { ActiveGrantList } from './active-grant-list';
import { useActiveGrants } from './active-grants-context';
import { EmergencyRequestForm } from './emergency-request-form';

/**
 * Break-glass for clinicians: request time-limited access to a patient who
 * is not on their care team, and see the access they hold now.
 */
export function EmergencyPage() {
  const navigate = useNavigate();
  const { available } = useActiveGrants();

  return (
    <>
      <PageHeader
        title="Emergency access"
        subtitle="For treating a patient who is not on your care team when there is no time to ask for an assignment."
      />
      {available ? null : (
        <Alert severity="info" sx={{ mb: 3 }}>
          Emergency access is not available on this server yet. Ask an
          administrator to add you to the patient’s care team.
        </Alert>
      )}
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 7 }}>
          <Paper variant="outlined" sx={{ p: 3 }}>
            <Typography variant="h6" component="h2" gutterBottom>
              Request access
            </Typography>
            <Typography color="text.secondary" sx={{ mb: 3 }}>
              Access starts at once and ends automatically. Every view is
              logged, administrators are notified, and each request is reviewed
              afterwards.
            </Typography>
            <EmergencyRequestForm
              onGranted={(grant) => navigate(`/patients/${grant.patient_id}`)}
            />
          </Paper>
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Paper variant="outlined" sx={{ p: 3 }}>
            <Typography variant="h6" component="h2" gutterBottom>
              Your active access
            </Typography>
            <ActiveGrantList />
          </Paper>
        </Grid>
      </Grid>
    </>
  );
}
