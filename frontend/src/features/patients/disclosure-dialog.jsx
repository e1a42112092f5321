import { yupResolver } from '@hookform/resolvers/yup';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';
import { FormDateField, FormTextField } from '../../components/form-fields';

import {
  disclosureSchema,
  emptyDisclosure,
  toDisclosureBody,
} from './disclosure-schema';
import { recordDisclosure } from './patients-api';

/**
 * A doctor records a disclosure made outside HealthSecure (to an insurer,
 * a public-health agency, a court), so that the accounting is complete.
 */
export function DisclosureDialog({ open, patientId, onClose, onRecorded }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(disclosureSchema),
    defaultValues: emptyDisclosure(),
  });

  const close = () => {
    reset(emptyDisclosure());
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      await recordDisclosure(patientId, toDisclosureBody(values));
      reset(emptyDisclosure());
      onRecorded();
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={open}
      title="Record a disclosure"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Record disclosure"
      error={error}
    >
      <FormTextField
        control={control}
        name="recipient"
        label="Recipient"
        required
        autoComplete="off"
        helperText="The person or organisation that received the information."
      />
      <FormTextField
        control={control}
        name="purpose"
        label="Purpose"
        required
        autoComplete="off"
      />
      <FormDateField
        control={control}
        name="disclosed_at"
        label="Date of disclosure"
        required
      />
      <FormTextField
        control={control}
        name="description"
        label="What was disclosed"
        required
        multiline
        minRows={3}
      />
    </FormDialog>
  );
}
