import AddIcon from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import TablePagination from '@mui/material/TablePagination';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

import { ErrorAlert } from '../../components/error-alert';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';
import { ROLES } from '../../lib/roles';

import { AddRecordDialog } from './add-record-dialog';
import { RecordCard } from './record-card';
import { usePatientRecords } from './use-patients';

function newestFirst(items) {
  return [...items].sort((a, b) =>
    String(b.recorded_at ?? '').localeCompare(String(a.recorded_at ?? '')),
  );
}

/** The patient's records as a timeline, newest first, page by page. */
export function RecordsPanel({ patientId, role }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [adding, setAdding] = useState(false);
  const { data, error, loading, reload } = usePatientRecords(patientId, {
    page,
    pageSize,
  });
  const items = newestFirst(data?.items ?? []);

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
          Records
        </Typography>
        {role === ROLES.doctor ? (
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => setAdding(true)}
          >
            Add record
          </Button>
        ) : null}
      </Box>
      <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      {loading ? <LinearProgress aria-label="Loading records" /> : null}
      {!loading && !error && items.length === 0 ? (
        <Typography color="text.secondary">No records yet.</Typography>
      ) : null}
      <Box
        component="ol"
        aria-label="Medical records"
        sx={{ display: 'grid', gap: 2, p: 0, m: 0 }}
      >
        {items.map((record) => (
          <RecordCard key={record.id} record={record} />
        ))}
      </Box>
      {data ? (
        <TablePagination
          component="div"
          count={data.total ?? 0}
          page={Math.max(0, page - 1)}
          rowsPerPage={pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          labelRowsPerPage="Records per page:"
          onPageChange={(_event, next) => setPage(next + 1)}
          onRowsPerPageChange={(event) => {
            setPageSize(Number(event.target.value));
            setPage(1);
          }}
        />
      ) : null}
      {role === ROLES.doctor ? (
        <AddRecordDialog
          open={adding}
          patientId={patientId}
          onClose={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            setPage(1);
            reload();
          }}
        />
      ) : null}
    </>
  );
}
