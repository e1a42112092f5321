import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/**
 * The recovery codes, shown once: the server keeps only their hashes, so
 * this is the only time anyone sees them.
 */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel = 'I have saved these codes',
}) {
  return (
    <Stack spacing={2}>
      <Alert severity="warning">
        Save these recovery codes somewhere safe, such as a password manager or
        a printed copy kept locked away. Each one signs you in once if you lose
        your phone. They are shown only now.
      </Alert>
      <Box
        component="ol"
        aria-label="Recovery codes"
        sx={{
          fontFamily: 'monospace',
          fontSize: '1.05rem',
          columns: 2,
          m: 0,
          pl: 4,
        }}
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </Box>
      <Typography variant="body2" color="text.secondary">
        Lost codes cannot be shown again; an administrator can reset your
        two-step sign-in so you can set it up anew.
      </Typography>
      <Button variant="contained" onClick={onDone}>
        {doneLabel}
      </Button>
    </Stack>
  );
}
