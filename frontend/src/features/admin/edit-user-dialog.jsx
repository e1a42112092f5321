import { yupResolver } from '@hookform/resolvers/yup';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';

import { FormDialog } from '../../components/form-dialog';
import { FormSelectField, FormTextField } from '../../components/form-fields';
import { useStepUp } from '../auth/step-up';

import { updateUser } from './admin-api';
import { editUserSchema, ROLE_OPTIONS } from './user-schema';

/** Changes a user's name or role; only changed fields are sent. */
export function EditUserDialog({ user, onClose, onSaved }) {
  const [error, setError] = useState(null);
  const stepUp = useStepUp();
  const values = useMemo(
    () => ({ name: user?.name ?? '', role: user?.role ?? '' }),
    [user],
  );
  const { control, handleSubmit, formState } = useForm({
    resolver: yupResolver(editUserSchema),
    values,
  });

  const close = () => {
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (next) => {
    setError(null);
    const body = {};
    if (next.name !== user.name) body.name = next.name;
    if (next.role !== user.role) body.role = next.role;
    if (Object.keys(body).length === 0) {
      close();
      return;
    }
    try {
      // A role change needs a recent sign-in; the dialog asks when it is due.
      await stepUp(() => updateUser(user.id, body));
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={Boolean(user)}
      title={user ? `Edit ${user.email}` : 'Edit user'}
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      error={error}
    >
      <FormTextField control={control} name="name" label="Full name" required />
      <FormSelectField
        control={control}
        name="role"
        label="Role"
        options={ROLE_OPTIONS}
        required
      />
    </FormDialog>
  );
}
