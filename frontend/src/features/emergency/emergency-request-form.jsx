import { yupResolver } from '@hookform/resolvers/yup';
import EmergencyIcon from '@mui/icons-material/Emergency';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { FormSelectField, FormTextField } from '../../components/form-fields';

import { emergencyRequestError } from './emergency-errors';
import { labelFor, REASON_CATEGORIES } from './emergency-fields';
import { EMPTY_REQUEST, requestSchema } from './emergency-schema';
import { ReasonField } from './reason-field';
import { useBreakGlass } from './use-break-glass';

function ConfirmMessage({ values }) {
  if (!values) return null;
  return (
    <>
      You are about to open the record of patient {values.patient_id} without
      being on their care team, for this reason:{' '}
      <strong>{labelFor(REASON_CATEGORIES, values.reason_category)}</strong>.
      The access is logged with your justification, administrators are told at
      once and will review it, and it ends automatically after a limited time.
    </>
  );
}

/**
 * The break-glass request: the patient (fixed when known), a reason and a
 * justification, then a confirmation that says the access is logged and
 * reviewed. Activation follows at once; `onGranted` receives the grant.
 */
export function EmergencyRequestForm({ patientId, onGranted }) {
  const breakGlass = useBreakGlass();
  const [pending, setPending] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const { control, handleSubmit } = useForm({
    resolver: yupResolver(requestSchema),
    defaultValues: {
      ...EMPTY_REQUEST,
      patient_id: patientId ? String(patientId) : '',
    },
  });

  const onSubmit = handleSubmit((values) => {
    setError(null);
    setPending(values);
  });

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const grant = await breakGlass(pending);
      setPending(null);
      onGranted(grant);
    } catch (caught) {
      setPending(null);
      setError(emergencyRequestError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={onSubmit} noValidate>
      <Stack spacing={2.5}>
        <ErrorAlert error={error} />
        {patientId ? (
          <Typography>
            Patient number <strong>{patientId}</strong>
          </Typography>
        ) : (
          <FormTextField
            control={control}
            name="patient_id"
            label="Patient number"
            required
            autoComplete="off"
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            helperText="The number of the patient’s record, from the ward or from the page that refused access."
          />
        )}
        <FormSelectField
          control={control}
          name="reason_category"
          label="Reason"
          options={REASON_CATEGORIES}
          required
        />
        <ReasonField control={control} />
        <Box>
          <Button
            type="submit"
            variant="contained"
            color="error"
            startIcon={<EmergencyIcon />}
          >
            Request emergency access
          </Button>
        </Box>
      </Stack>
      <ConfirmDialog
        open={Boolean(pending)}
        title="Confirm emergency access"
        message={<ConfirmMessage values={pending} />}
        confirmLabel="Open the record"
        confirmColor="error"
        onConfirm={confirm}
        onClose={() => setPending(null)}
        busy={busy}
      />
    </Box>
  );
}
