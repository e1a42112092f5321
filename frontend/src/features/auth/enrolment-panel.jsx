import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { Loading } from '../../components/loading';

import { confirmEnrolment, startEnrolment } from './mfa-api';
import { groupSecret, svgDataUrl } from './qr-image';
import { RecoveryCodes } from './recovery-codes';

const CODE_PATTERN = /^\d{6}$/;

export function normaliseCode(value) {
  return (value ?? '').replace(/\s+/g, '');
}

/**
 * Sets up an authenticator app: the QR code (and the secret to type in by
 * hand), the first code to confirm it, then the recovery codes, once.
 * `mfaToken` is the sign-in challenge when enrolment is part of signing in.
 * `onDone` receives the server's answer to the confirmation.
 */
export function EnrolmentPanel({ mfaToken, onDone, onCancel }) {
  const [setup, setSetup] = useState(null);
  const [error, setError] = useState(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState(null);
  const [submitting, setSubmitting] = useState(false);
  const [confirmed, setConfirmed] = useState(null);

  useEffect(() => {
    let active = true;
    startEnrolment({ mfaToken }).then(
      (body) => active && setSetup(body),
      (caught) => active && setError(caught),
    );
    return () => {
      active = false;
    };
  }, [mfaToken]);

  if (confirmed) {
    return (
      <RecoveryCodes
        codes={confirmed.recovery_codes ?? []}
        onDone={() => onDone(confirmed)}
      />
    );
  }
  if (!setup) {
    return error ? (
      <Stack spacing={2}>
        <ErrorAlert error={error} />
        {onCancel ? <Button onClick={onCancel}>Back</Button> : null}
      </Stack>
    ) : (
      <Loading label="Preparing your authenticator set-up" />
    );
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    const typed = normaliseCode(code);
    if (!CODE_PATTERN.test(typed)) {
      setCodeError('Enter the six-digit code your authenticator app shows.');
      return;
    }
    setCodeError(null);
    setError(null);
    setSubmitting(true);
    try {
      setConfirmed(await confirmEnrolment({ mfaToken, code: typed }));
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const image = svgDataUrl(setup.qr_svg);
  return (
    <Box component="form" onSubmit={onSubmit} noValidate>
      <Stack spacing={2}>
        <Typography>
          1. Open an authenticator app on your phone (any app for six-digit
          time-based codes) and scan this QR code.
        </Typography>
        {image ? (
          <Box
            component="img"
            src={image}
            alt="QR code for your authenticator app"
            sx={{ width: 220, height: 220, alignSelf: 'center' }}
          />
        ) : null}
        <Typography variant="body2">
          Cannot scan? Enter this key in the app instead:
        </Typography>
        <Typography
          data-testid="mfa-secret"
          sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        >
          {groupSecret(setup.secret)}
        </Typography>
        <Typography>2. Enter the six-digit code the app now shows.</Typography>
        <ErrorAlert error={error} />
        <TextField
          label="Code from the app"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={Boolean(codeError)}
          helperText={codeError}
          autoComplete="one-time-code"
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 9 } }}
          fullWidth
        />
        <Button type="submit" variant="contained" loading={submitting}>
          Confirm
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </Stack>
    </Box>
  );
}
