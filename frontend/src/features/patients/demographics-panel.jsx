import EditIcon from '@mui/icons-material/Edit';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { DetailList } from '../../components/detail-list';

import { EditPatientDialog } from './edit-patient-dialog';
import { demographicRows, EDITABLE_FIELDS } from './patient-fields';

/**
 * The patient's demographics exactly as the server sent them: a field the
 * caller's role may not see is absent from the answer and so from the page.
 */
export function DemographicsPanel({ patient, role, busy, onSaved }) {
  const [editing, setEditing] = useState(false);
  const canEdit = Boolean(EDITABLE_FIELDS[role]);

  return (
    <>
      <Box
        sx={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          mb: 2,
        }}
      >
        <Typography variant="h6" component="h2">
          Demographics
        </Typography>
        {canEdit ? (
          <Button
            startIcon={<EditIcon />}
            onClick={() => setEditing(true)}
            disabled={busy}
          >
            Edit
          </Button>
        ) : null}
      </Box>
      <DetailList items={demographicRows(patient)} />
      {canEdit ? (
        <EditPatientDialog
          open={editing}
          patient={patient}
          role={role}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
        />
      ) : null}
    </>
  );
}
