import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { isApiError } from '../../lib/api-error';

import { normaliseCode } from './enrolment-panel';
import { verifyMfa } from './mfa-api';

const WRONG_CODE = {
  code: 'unauthorized',
  message:
    'That code was not accepted. Enter the code your authenticator app shows now (each code works once), or use a recovery code. If this sign-in has expired, start again.',
};

/**
 * The second step of signing in: the code from the authenticator app, or a
 * recovery code. `onSignedIn` receives the session body.
 */
export function MfaCodeForm({ mfaToken, onSignedIn, onRestart }) {
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState(null);
  const [error, setError] = useState(null);
  const [submitting, setSubmitting] = useState(false);

  const onSubmit = async (event) => {
    event.preventDefault();
    const typed = recovery ? value.trim() : normaliseCode(value);
    if (recovery ? typed.length < 8 : !/^\d{6}$/.test(typed)) {
      setFieldError(
        recovery
          ? 'Enter one of your recovery codes, like ABCD-EFGH-JKMN.'
          : 'Enter the six-digit code your authenticator app shows.',
      );
      return;
    }
    setFieldError(null);
    setError(null);
    setSubmitting(true);
    try {
      const body = await verifyMfa(
        recovery
          ? { mfaToken, recoveryCode: typed }
          : { mfaToken, code: typed },
      );
      onSignedIn(body);
    } catch (caught) {
      if (isApiError(caught, 'unauthorized')) {
        setError(WRONG_CODE);
      } else {
        setError(caught);
      }
      setValue('');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Box component="form" onSubmit={onSubmit} noValidate>
      <Stack spacing={2}>
        <Typography>
          {recovery
            ? 'Enter one of the recovery codes you saved when you set up two-step sign-in. Each code works once.'
            : 'Enter the six-digit code from your authenticator app.'}
        </Typography>
        <ErrorAlert error={error} />
        <TextField
          label={recovery ? 'Recovery code' : 'Authentication code'}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          error={Boolean(fieldError)}
          helperText={fieldError}
          autoComplete={recovery ? 'off' : 'one-time-code'}
          slotProps={{
            htmlInput: recovery
              ? { maxLength: 20 }
              : { inputMode: 'numeric', maxLength: 9 },
          }}
          fullWidth
        />
        <Button
          type="submit"
          variant="contained"
          size="large"
          loading={submitting}
        >
          Verify
        </Button>
        <Link
          component="button"
          type="button"
          onClick={() => {
            setRecovery(!recovery);
            setValue('');
            setFieldError(null);
          }}
        >
          {recovery
            ? 'Use a code from the authenticator app'
            : 'Use a recovery code instead'}
        </Link>
        <Link component="button" type="button" onClick={onRestart}>
          Start again
        </Link>
      </Stack>
    </Box>
  );
}
