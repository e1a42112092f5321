import { yupResolver } from '@hookform/resolvers/yup';
import Alert from '@mui/material/Alert';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';

import { EDITABLE_FIELDS } from './patient-fields';
import { PatientFormFields } from './patient-form-fields';
import { patientSchema, toUpdateBody } from './patient-schema';
import { updatePatient } from './patients-api';

const NO_FIELDS = [];

function initialValues(patient, fields) {
  return Object.fromEntries(
    fields.map((field) => [field, patient[field] ?? '']),
  );
}

/**
 * Edits the demographics a role may change: all of them for a doctor, the
 * contact fields only for a nurse. Only changed fields are sent.
 */
export function EditPatientDialog({ open, patient, role, onClose, onSaved }) {
  const fields = EDITABLE_FIELDS[role] ?? NO_FIELDS;
  const schema = useMemo(() => patientSchema(fields), [fields]);
  const values = useMemo(
    () => initialValues(patient, fields),
    [patient, fields],
  );
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(schema),
    values,
  });

  const close = () => {
    reset();
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    const body = toUpdateBody(values, formState.dirtyFields);
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    try {
      await updatePatient(patient.id, body);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={open}
      title="Edit demographics"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      error={error}
    >
      {role === 'nurse' ? (
        <Alert severity="info">
          Nurses can update contact details: phone, address and emergency
          contact.
        </Alert>
      ) : null}
      <PatientFormFields control={control} fields={fields} />
    </FormDialog>
  );
}
