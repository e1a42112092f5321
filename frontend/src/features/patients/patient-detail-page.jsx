import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';

import { ErrorAlert } from '../../components/error-alert';
import { Loading } from '../../components/loading';
import { PageHeader } from '../../components/page-header';
import { StatusPage } from '../../components/status-page';
import { ROLES } from '../../lib/roles';
import { useAuth } from '../auth/auth-context';

import { AccessHistoryPanel } from './access-history-panel';
import { DemographicsPanel } from './demographics-panel';
import { NotOnCareTeam } from './not-on-care-team';
import { patientName } from './patient-fields';
import { RecordsPanel } from './records-panel';
import { usePatient } from './use-patients';

const TABS = [
  { value: 'demographics', label: 'Demographics' },
  { value: 'records', label: 'Records' },
  { value: 'access', label: 'Access history', roles: [ROLES.doctor] },
];

function tabsFor(role) {
  return TABS.filter((tab) => !tab.roles || tab.roles.includes(role));
}

function PatientNotFound() {
  return (
    <StatusPage
      title="Patient not found"
      message="There is no patient with this number, or the record no longer exists."
      linkTo="/patients"
      linkLabel="Back to patients"
    />
  );
}

function TabPanel({ tab, patient, role, busy, onSaved }) {
  if (tab === 'records') {
    return <RecordsPanel patientId={patient.id} role={role} />;
  }
  if (tab === 'access') return <AccessHistoryPanel patientId={patient.id} />;
  return (
    <DemographicsPanel
      patient={patient}
      role={role}
      busy={busy}
      onSaved={onSaved}
    />
  );
}

function PatientDetail({ patientId }) {
  const { user } = useAuth();
  const { data: patient, error, loading, reload } = usePatient(patientId);
  const [tab, setTab] = useState('demographics');

  if (error?.code === 'forbidden') {
    return <NotOnCareTeam patientId={patientId} onGranted={reload} />;
  }
  if (error?.code === 'not_found') return <PatientNotFound />;
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (!patient) return <Loading label="Loading patient…" />;

  return (
    <>
      <PageHeader
        title={patientName(patient) || 'Patient'}
        subtitle={patient.mrn ? `MRN ${patient.mrn}` : undefined}
        actions={
          <Button component={RouterLink} to="/patients">
            Back to patients
          </Button>
        }
      />
      <Paper variant="outlined">
        <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Tabs
            value={tab}
            onChange={(_event, value) => setTab(value)}
            aria-label="Patient information"
          >
            {tabsFor(user.role).map(({ value, label }) => (
              <Tab
                key={value}
                value={value}
                label={label}
                id={`patient-tab-${value}`}
                aria-controls={`patient-panel-${value}`}
              />
            ))}
          </Tabs>
        </Box>
        <Box
          role="tabpanel"
          id={`patient-panel-${tab}`}
          aria-labelledby={`patient-tab-${tab}`}
          sx={{ p: 3 }}
        >
          <TabPanel
            tab={tab}
            patient={patient}
            role={user.role}
            busy={loading}
            onSaved={reload}
          />
        </Box>
      </Paper>
    </>
  );
}

/** One patient, as much of them as the caller's role and care team allow. */
export function PatientDetailPage() {
  const { patientId } = useParams();
  if (!/^\d{1,18}$/.test(patientId ?? '')) return <PatientNotFound />;
  return <PatientDetail key={patientId} patientId={patientId} />;
}
