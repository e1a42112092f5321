import { yupResolver } from '@hookform/resolvers/yup';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';
import {
  FormCheckbox,
  FormSelectField,
  FormTextField,
} from '../../components/form-fields';

import { createUser } from './admin-api';
import { createUserSchema, ROLE_OPTIONS } from './user-schema';

const EMPTY = {
  email: '',
  name: '',
  role: '',
  password: '',
  must_change_password: false,
};

function toBody({ must_change_password: mustChange, ...values }) {
  return mustChange ? { ...values, must_change_password: true } : values;
}

/** Creates a staff account with an initial password. */
export function CreateUserDialog({ open, onClose, onCreated }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(createUserSchema),
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
      const created = await createUser(toBody(values));
      reset(EMPTY);
      onCreated(created);
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={open}
      title="New user"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Create user"
      error={error}
    >
      <FormTextField
        control={control}
        name="name"
        label="Full name"
        required
        autoComplete="off"
      />
      <FormTextField
        control={control}
        name="email"
        label="Email address"
        type="email"
        required
        autoComplete="off"
      />
      <FormSelectField
        control={control}
        name="role"
        label="Role"
        options={ROLE_OPTIONS}
        required
      />
      <FormTextField
        control={control}
        name="password"
        label="Initial password"
        type="password"
        required
        autoComplete="new-password"
        helperText="At least 12 characters. Share it with the person securely."
      />
      <FormCheckbox
        control={control}
        name="must_change_password"
        label="Ask for a new password at the first sign-in"
      />
    </FormDialog>
  );
}
