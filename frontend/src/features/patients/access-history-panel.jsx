import AddIcon from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { isApiError } from '../../lib/api-error';
import { formatDate, formatDateTime, humanize } from '../../lib/format';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';
import { purposeLabel } from '../../lib/purpose';
import { roleLabel } from '../../lib/roles';

import { DisclosureDialog } from './disclosure-dialog';
import { useAccessReport } from './use-patients';

const HEADERS = ['When', 'Kind', 'Who', 'What', 'Purpose', 'Outcome'];

function person(entry) {
  const role = entry.role ? ` (${roleLabel(entry.role)})` : '';
  if (entry.user_name) return `${entry.user_name}${role}`;
  return entry.user_id ? `User ${entry.user_id}${role}` : 'Unknown';
}

function describe(entry) {
  const when = entry.at ?? entry.timestamp;
  if (entry.kind === 'disclosure') {
    return {
      when: formatDate(when),
      who: entry.recipient ?? '—',
      what: entry.description || 'Disclosure',
      purpose: entry.purpose ?? '—',
      by:
        entry.user_name || entry.user_id ? `Recorded by ${person(entry)}` : '',
    };
  }
  return {
    when: formatDateTime(when),
    who: person(entry),
    what: entry.action ?? '—',
    purpose: purposeLabel(entry.purpose_of_use),
    by: '',
  };
}

function EntryRow({ entry }) {
  const { when, who, what, purpose, by } = describe(entry);
  return (
    <TableRow>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{when}</TableCell>
      <TableCell>
        <Chip
          size="small"
          variant="outlined"
          color={entry.kind === 'disclosure' ? 'secondary' : 'default'}
          label={entry.kind === 'disclosure' ? 'Disclosure' : 'Access'}
        />
        {entry.emergency_access_id ? (
          <Chip size="small" color="error" label="Emergency" sx={{ ml: 1 }} />
        ) : null}
      </TableCell>
      <TableCell>
        {who}
        {by ? (
          <Typography variant="body2" color="text.secondary">
            {by}
          </Typography>
        ) : null}
      </TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{what}</TableCell>
      <TableCell>{purpose}</TableCell>
      <TableCell>{entry.outcome ? humanize(entry.outcome) : '—'}</TableCell>
    </TableRow>
  );
}

/**
 * The accounting of disclosures for one patient, for doctors: every access
 * to the chart and every disclosure recorded outside HealthSecure.
 */
export function AccessHistoryPanel({ patientId }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState(null);
  const { data, error, loading, reload } = useAccessReport(patientId, {
    page,
    pageSize,
  });
  const items = data?.items ?? [];

  return (
    <>
      <Box
        sx={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          mb: 2,
        }}
      >
        <Typography variant="h6" component="h2">
          Access history
        </Typography>
        <Button
          variant="contained"
          startIcon={<AddIcon />}
          onClick={() => setAdding(true)}
        >
          Record a disclosure
        </Button>
      </Box>
      {notice ? (
        <Alert
          severity="success"
          onClose={() => setNotice(null)}
          sx={{ mb: 2 }}
        >
          {notice}
        </Alert>
      ) : null}
      {isApiError(error, 'not_found') ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          The access history is not available on this server yet.
        </Alert>
      ) : (
        <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      )}
      {loading ? <LinearProgress aria-label="Loading access history" /> : null}
      <TableContainer>
        <Table size="small" aria-label="Access history">
          <TableHead>
            <TableRow>
              {HEADERS.map((header) => (
                <TableCell key={header} sx={{ fontWeight: 600 }}>
                  {header}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((entry, index) => (
              <EntryRow
                key={`${entry.kind}-${entry.audit_id ?? entry.disclosure_id ?? index}`}
                entry={entry}
              />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {!loading && !error && items.length === 0 ? (
        <Typography sx={{ p: 2 }} color="text.secondary">
          No access recorded yet.
        </Typography>
      ) : null}
      {data ? (
        <TablePagination
          component="div"
          count={data.total ?? 0}
          page={Math.max(0, page - 1)}
          rowsPerPage={pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, next) => setPage(next + 1)}
          onRowsPerPageChange={(event) => {
            setPageSize(Number(event.target.value));
            setPage(1);
          }}
        />
      ) : null}
      <DisclosureDialog
        open={adding}
        patientId={patientId}
        onClose={() => setAdding(false)}
        onRecorded={() => {
          setAdding(false);
          setNotice('Disclosure recorded.');
          setPage(1);
          reload();
        }}
      />
    </>
  );
}
