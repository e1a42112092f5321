import { yupResolver } from '@hookform/resolvers/yup';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';
import {
  FormCheckbox,
  FormSelectField,
  FormTextField,
} from '../../components/form-fields';

import { RECORD_TYPES, SEVERITIES } from './patient-fields';
import { createRecord } from './patients-api';
import {
  EMPTY_RECORD,
  RECORD_LIMITS,
  recordSchema,
  toRecordBody,
} from './record-schema';

/** A doctor adds a medical record to a patient on their care team. */
export function AddRecordDialog({ open, patientId, onClose, onCreated }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(recordSchema),
    defaultValues: EMPTY_RECORD,
  });

  const close = () => {
    reset(EMPTY_RECORD);
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      const created = await createRecord(patientId, toRecordBody(values));
      reset(EMPTY_RECORD);
      onCreated(created);
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={open}
      title="Add record"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Add record"
      error={error}
    >
      <FormSelectField
        control={control}
        name="record_type"
        label="Record type"
        options={RECORD_TYPES}
        required
      />
      <FormTextField
        control={control}
        name="diagnosis"
        label="Diagnosis"
        required
        multiline
        minRows={2}
        helperText={`Up to ${RECORD_LIMITS.diagnosis} characters.`}
      />
      <FormSelectField
        control={control}
        name="severity"
        label="Severity"
        options={SEVERITIES}
        required
      />
      <FormTextField
        control={control}
        name="treatment"
        label="Treatment"
        multiline
        minRows={2}
      />
      <FormTextField
        control={control}
        name="medications"
        label="Medications"
        multiline
        minRows={2}
      />
      <FormTextField
        control={control}
        name="notes"
        label="Notes"
        multiline
        minRows={3}
      />
      <FormCheckbox
        control={control}
        name="sensitive"
        label="Sensitive (HIV, mental health, substance use, reproductive or genetic condition): nurses will not see the diagnosis or notes"
      />
    </FormDialog>
  );
}
