import { yupResolver } from '@hookform/resolvers/yup';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';

import { ErrorAlert } from '../../components/error-alert';
import { FormTextField } from '../../components/form-fields';
import { isApiError } from '../../lib/api-error';
import { sameOriginPath } from '../../lib/safe-url';

import { useAuth } from './auth-context';
import { EnrolmentPanel } from './enrolment-panel';
import { MfaCodeForm } from './mfa-code-form';
import { signInSchema } from './sign-in-schema';
import { SsoButtons, SsoError } from './sso-buttons';

const WRONG_CREDENTIALS = 'The email address or password is not correct.';

function signInError(error) {
  if (isApiError(error, 'unauthorized')) {
    return {
      code: error.code,
      message: WRONG_CREDENTIALS,
      requestId: error.requestId,
    };
  }
  return error;
}

export function SignInPage() {
  const { status, notice, signIn, completeSignIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState(null);
  // The second step, when a second factor is due: {mfaToken, enrollmentRequired}.
  const [challenge, setChallenge] = useState(null);
  const { control, handleSubmit, formState } = useForm({
    resolver: yupResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });

  const from = location.state?.from;
  const destination =
    sameOriginPath(`${from?.pathname ?? ''}${from?.search ?? ''}`) ?? '/';
  if (status === 'signed-in' && !challenge) {
    return <Navigate to={destination} replace />;
  }

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    setChallenge(null);
    try {
      const result = await signIn(values);
      if (result.mfaRequired) setChallenge(result);
      else navigate(destination, { replace: true });
    } catch (caught) {
      setError(signInError(caught));
    }
  });

  const finish = (body) => {
    setChallenge(null);
    completeSignIn(body);
    navigate(destination, { replace: true });
  };

  if (challenge) {
    return (
      <Box
        component="main"
        sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2 }}
      >
        <Paper variant="outlined" sx={{ p: 4, width: '100%', maxWidth: 460 }}>
          <Typography variant="h4" component="h1" gutterBottom>
            HealthSecure
          </Typography>
          <Typography
            variant="h6"
            component="h2"
            color="text.secondary"
            gutterBottom
          >
            {challenge.enrollmentRequired
              ? 'Set up two-step sign-in'
              : 'Two-step sign-in'}
          </Typography>
          {challenge.enrollmentRequired ? (
            <Stack spacing={2}>
              <Alert severity="info">
                Your account needs a second step at sign-in: a code from an
                authenticator app on your phone. Set it up now to continue.
              </Alert>
              <EnrolmentPanel
                mfaToken={challenge.mfaToken}
                onDone={finish}
                onCancel={() => setChallenge(null)}
              />
            </Stack>
          ) : (
            <MfaCodeForm
              mfaToken={challenge.mfaToken}
              onSignedIn={finish}
              onRestart={() => setChallenge(null)}
            />
          )}
        </Paper>
      </Box>
    );
  }

  return (
    <Box
      component="main"
      sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2 }}
    >
      <Paper variant="outlined" sx={{ p: 4, width: '100%', maxWidth: 420 }}>
        <Typography variant="h4" component="h1" gutterBottom>
          HealthSecure
        </Typography>
        <Typography variant="h6" component="h2" color="text.secondary">
          Sign in
        </Typography>
        <Box component="form" onSubmit={onSubmit} noValidate sx={{ mt: 3 }}>
          <Stack spacing={2}>
            {notice ? <Alert severity="info">{notice}</Alert> : null}
            <SsoError />
            <ErrorAlert error={error} />
            <FormTextField
              control={control}
              name="email"
              label="Email address"
              type="email"
              autoComplete="username"
            />
            <FormTextField
              control={control}
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
            />
            <Button
              type="submit"
              variant="contained"
              size="large"
              loading={formState.isSubmitting}
            >
              Sign in
            </Button>
          </Stack>
        </Box>
        <SsoButtons returnTo={destination} />
      </Paper>
    </Box>
  );
}
