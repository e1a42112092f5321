import { yupResolver } from '@hookform/resolvers/yup';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import * as yup from 'yup';

import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-fields';
import { isApiError } from '../../lib/api-error';

import { lookupPatientByMrn } from './admin-api';

const schema = yup.object({
  mrn: yup
    .string()
    .trim()
    .required('Enter the MRN.')
    .matches(
      /^[A-Za-z0-9-]{1,64}$/,
      'An MRN has up to 64 letters, digits or dashes.',
    ),
});

/**
 * Finds a patient by medical record number. The answer is the internal id
 * only: an administrator never sees who the patient is.
 */
export function PatientMrnLookup({ patient, onFound }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, formState } = useForm({
    resolver: yupResolver(schema),
    defaultValues: { mrn: '' },
  });

  const onSubmit = handleSubmit(async ({ mrn }) => {
    setError(null);
    onFound(null);
    try {
      const found = await lookupPatientByMrn(mrn);
      onFound({ id: found.id, mrn });
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <Box component="form" onSubmit={onSubmit} noValidate>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}>
        <FormTextField
          control={control}
          name="mrn"
          label="Patient MRN"
          autoComplete="off"
        />
        <Button
          type="submit"
          variant="outlined"
          loading={formState.isSubmitting}
          sx={{ mt: 1, flexShrink: 0 }}
        >
          Find patient
        </Button>
      </Box>
      {isApiError(error, 'not_found') ? (
        <Alert severity="warning" sx={{ mt: 2 }}>
          No patient has this MRN.
        </Alert>
      ) : (
        <ErrorAlert error={error} sx={{ mt: 2 }} />
      )}
      {patient ? (
        <Alert severity="info" sx={{ mt: 2 }}>
          Patient with MRN {patient.mrn} found (patient number {patient.id}).
        </Alert>
      ) : null}
    </Box>
  );
}
