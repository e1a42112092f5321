import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';

import { messageFor } from '../lib/api-error';

/**
 * Shows a failed call in plain words, with the server's reference in small
 * print so that support can find the request in the audit trail.
 */
export function ErrorAlert({ error, title, onRetry, sx }) {
  if (!error) return null;
  const message = error.code ? error.message : messageFor('unknown');
  return (
    <Alert
      severity="error"
      sx={sx}
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Try again
          </Button>
        ) : undefined
      }
    >
      {title ? <AlertTitle>{title}</AlertTitle> : null}
      {message}
      {error.detail ? (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {error.detail}
        </Typography>
      ) : null}
      {error.requestId ? (
        <Typography
          variant="caption"
          component="p"
          sx={{ mt: 0.5, opacity: 0.8 }}
        >
          Reference: {error.requestId}
        </Typography>
      ) : null}
    </Alert>
  );
}
