/**
 * Step-up: the most sensitive actions (breaking the glass, changing a
 * role) need a sign-in from the last few minutes. When the server answers
 * `reauth_required`, a dialog asks for the password or an authenticator
 * code, and the action is tried again once the server has accepted it.
 */
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  createContext,
  useCallback,
  useContext,
  useId,
  useMemo,
  useState,
} from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { isApiError } from '../../lib/api-error';

import { normaliseCode } from './enrolment-panel';
import { reauthenticate } from './mfa-api';

const StepUpContext = createContext(null);

const NOT_ACCEPTED = {
  code: 'forbidden',
  message: 'That password or code is not correct. Try again.',
};

function StepUpDialog({ open, onCancel, onConfirm }) {
  const titleId = useId();
  const [method, setMethod] = useState('password');
  const [value, setValue] = useState('');
  const [error, setError] = useState(null);
  const [submitting, setSubmitting] = useState(false);

  const reset = () => {
    setValue('');
    setError(null);
    setMethod('password');
  };

  const submit = async (event) => {
    event.preventDefault();
    if (!value.trim()) {
      setError({
        code: 'validation_failed',
        message:
          method === 'password'
            ? 'Enter your password.'
            : 'Enter the six-digit code from your authenticator app.',
      });
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await onConfirm(
        method === 'password'
          ? { password: value }
          : { code: normaliseCode(value) },
      );
      reset();
    } catch (caught) {
      setError(isApiError(caught, 'forbidden') ? NOT_ACCEPTED : caught);
      setValue('');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (submitting) return;
        reset();
        onCancel();
      }}
      fullWidth
      maxWidth="xs"
      aria-labelledby={titleId}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Confirm it is you</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            <Typography>
              This action needs a recent sign-in. Confirm with your{' '}
              {method === 'password' ? 'password' : 'authenticator app code'} to
              continue.
            </Typography>
            <ErrorAlert error={error} />
            <TextField
              label={method === 'password' ? 'Password' : 'Authentication code'}
              type={method === 'password' ? 'password' : 'text'}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              autoComplete={
                method === 'password' ? 'current-password' : 'one-time-code'
              }
              fullWidth
            />
            <Link
              component="button"
              type="button"
              onClick={() => {
                setMethod(method === 'password' ? 'code' : 'password');
                setValue('');
                setError(null);
              }}
            >
              {method === 'password'
                ? 'Use a code from my authenticator app instead'
                : 'Use my password instead'}
            </Link>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button
            onClick={() => {
              reset();
              onCancel();
            }}
            disabled={submitting}
          >
            Cancel
          </Button>
          <Button type="submit" variant="contained" loading={submitting}>
            Confirm
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function StepUpProvider({ children }) {
  const [pending, setPending] = useState(null);

  const stepUp = useCallback(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!isApiError(error, 'reauth_required')) throw error;
      return new Promise((resolve, reject) => {
        setPending({ action, resolve, reject, error });
      });
    }
  }, []);

  const onCancel = () => {
    pending?.reject(pending.error);
    setPending(null);
  };

  const onConfirm = async (credentials) => {
    await reauthenticate(credentials);
    const current = pending;
    setPending(null);
    try {
      current.resolve(await current.action());
    } catch (error) {
      current.reject(error);
    }
  };

  const value = useMemo(() => ({ stepUp }), [stepUp]);
  return (
    <StepUpContext.Provider value={value}>
      {children}
      <StepUpDialog
        open={Boolean(pending)}
        onCancel={onCancel}
        onConfirm={onConfirm}
      />
    </StepUpContext.Provider>
  );
}

const WITHOUT_PROVIDER = { stepUp: (action) => action() };

/**
 * `stepUp(action)` runs `action`; if the server asks for a fresh sign-in,
 * it asks the user, then runs `action` again. Outside the provider it
 * simply runs the action.
 */
export function useStepUp() {
  return (useContext(StepUpContext) ?? WITHOUT_PROVIDER).stepUp;
}
