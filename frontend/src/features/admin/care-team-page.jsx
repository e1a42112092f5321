import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';

import { assignToCareTeam, removeFromCareTeam } from './admin-api';
import { ClinicianPicker } from './clinician-picker';
import { PatientMrnLookup } from './patient-mrn-lookup';

const ACTIONS = {
  assign: {
    call: assignToCareTeam,
    done: (name, mrn) => `${name} is now on the care team of patient ${mrn}.`,
  },
  remove: {
    call: removeFromCareTeam,
    done: (name, mrn) =>
      `${name} is no longer on the care team of patient ${mrn}.`,
  },
};

/** Adds a clinician to, or removes them from, a patient's care team. */
export function CareTeamPage() {
  const [clinician, setClinician] = useState(null);
  const [patient, setPatient] = useState(null);
  const [pending, setPending] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const ready = Boolean(clinician && patient) && !pending;

  const run = async (kind) => {
    setPending(kind);
    setError(null);
    setNotice(null);
    try {
      await ACTIONS[kind].call({ userId: clinician.id, patientId: patient.id });
      setNotice(ACTIONS[kind].done(clinician.name, patient.mrn));
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Care teams"
        subtitle="A clinician sees a patient's data only while on the patient's care team."
      />
      <Paper variant="outlined" sx={{ p: 3, maxWidth: 720 }}>
        <Stack spacing={3}>
          <Box>
            <Typography variant="h6" component="h2" gutterBottom>
              1. Choose the clinician
            </Typography>
            <ClinicianPicker value={clinician} onChange={setClinician} />
          </Box>
          <Box>
            <Typography variant="h6" component="h2" gutterBottom>
              2. Find the patient
            </Typography>
            <PatientMrnLookup patient={patient} onFound={setPatient} />
          </Box>
          <Box>
            <Typography variant="h6" component="h2" gutterBottom>
              3. Change the care team
            </Typography>
            <Stack direction="row" spacing={2}>
              <Button
                variant="contained"
                disabled={!ready}
                loading={pending === 'assign'}
                onClick={() => run('assign')}
              >
                Add to care team
              </Button>
              <Button
                variant="outlined"
                color="error"
                disabled={!ready}
                loading={pending === 'remove'}
                onClick={() => run('remove')}
              >
                Remove from care team
              </Button>
            </Stack>
          </Box>
          {notice ? <Alert severity="success">{notice}</Alert> : null}
          <ErrorAlert error={error} />
        </Stack>
      </Paper>
    </>
  );
}
