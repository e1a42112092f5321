import { yupResolver } from '@hookform/resolvers/yup';
import Alert from '@mui/material/Alert';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';
import { FormCheckbox, FormTextField } from '../../components/form-fields';

import { resetPassword } from './admin-api';
import { resetPasswordSchema } from './user-schema';

const EMPTY = { password: '', confirm: '', must_change_password: true };

/**
 * Sets a new password for a user who lost theirs. Their sessions end at
 * once; by default they must choose their own password at the next sign-in.
 */
export function ResetPasswordDialog({ user, onClose, onDone }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(resetPasswordSchema),
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
      await resetPassword(user.id, {
        password: values.password,
        mustChangePassword: Boolean(values.must_change_password),
      });
      reset(EMPTY);
      onDone(user);
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={Boolean(user)}
      title={user ? `Reset the password of ${user.name}` : 'Reset password'}
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Reset password"
      error={error}
    >
      <Alert severity="info">
        {user?.name ?? 'The user'} is signed out everywhere at once. Give the
        new password to them in person or by another secure channel.
      </Alert>
      <FormTextField
        control={control}
        name="password"
        label="New password"
        type="password"
        required
        autoComplete="new-password"
        helperText="At least 12 characters."
      />
      <FormTextField
        control={control}
        name="confirm"
        label="Repeat the new password"
        type="password"
        required
        autoComplete="new-password"
      />
      <FormCheckbox
        control={control}
        name="must_change_password"
        label="Ask for a new password at the next sign-in"
      />
    </FormDialog>
  );
}
