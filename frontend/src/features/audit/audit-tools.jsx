import DownloadIcon from '@mui/icons-material/Download';
import VerifiedIcon from '@mui/icons-material/VerifiedUser';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';

import { exportAudit, saveBlob, verifyAuditChain } from './audit-api';
import { EXPORT_FORMATS } from './audit-fields';

function VerifyResult({ result }) {
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert severity="success" role="status">
        The audit trail is intact: {result.rows} rows checked, every hash
        matches.
      </Alert>
    );
  }
  return (
    <Alert severity="error" role="alert">
      The audit trail has been altered: the chain breaks at row{' '}
      {result.first_bad_id ?? 'unknown'} ({result.rows} rows checked). Keep this
      page and contact your security officer.
    </Alert>
  );
}

/**
 * Exports of the rows matching the current filters, and the check of the
 * hash chain. Both are audited by the server.
 */
export function AuditTools({ filters }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [verified, setVerified] = useState(null);
  const [saved, setSaved] = useState(null);

  // Each result is set together with the end of `busy`, in one render, so
  // the buttons are enabled again when the result appears.
  const run = async (kind, work) => {
    setBusy(kind);
    setError(null);
    setSaved(null);
    let failure = null;
    let apply = () => {};
    try {
      apply = await work();
    } catch (caught) {
      failure = caught;
    }
    apply();
    setError(failure);
    setBusy(null);
  };

  const download = (format) =>
    run(format, async () => {
      const file = await exportAudit(format, filters);
      saveBlob(file);
      return () => setSaved(file.fileName);
    });

  const verify = () =>
    run('verify', async () => {
      setVerified(null);
      const result = await verifyAuditChain();
      return () => setVerified(result);
    });

  return (
    <Stack spacing={2}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        {EXPORT_FORMATS.map(({ value, label }) => (
          <Button
            key={value}
            variant="outlined"
            startIcon={<DownloadIcon />}
            loading={busy === value}
            onClick={() => download(value)}
            aria-label={`Export ${label}`}
          >
            {label}
          </Button>
        ))}
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<VerifiedIcon />}
          loading={busy === 'verify'}
          onClick={verify}
        >
          Verify chain
        </Button>
      </Box>
      {saved ? (
        <Alert severity="success" role="status" onClose={() => setSaved(null)}>
          Saved {saved}.
        </Alert>
      ) : null}
      <VerifyResult result={verified} />
      <ErrorAlert error={error} />
    </Stack>
  );
}
