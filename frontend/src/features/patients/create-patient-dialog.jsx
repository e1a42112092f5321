import { yupResolver } from '@hookform/resolvers/yup';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';

import { PatientFormFields } from './patient-form-fields';
import { CREATE_FIELDS, patientSchema, toCreateBody } from './patient-schema';
import { createPatient } from './patients-api';

const schema = patientSchema(CREATE_FIELDS);
const EMPTY = Object.fromEntries(CREATE_FIELDS.map((field) => [field, '']));

/** A doctor registers a new patient, who is then on the doctor's care team. */
export function CreatePatientDialog({ open, onClose, onCreated }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(schema),
    defaultValues: EMPTY,
  });

  const close = () => {
    reset(EMPTY);
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      const created = await createPatient(toCreateBody(values));
      reset(EMPTY);
      onCreated(created);
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={open}
      title="New patient"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Create patient"
      error={error}
    >
      <PatientFormFields control={control} fields={CREATE_FIELDS} />
    </FormDialog>
  );
}
