import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import TablePagination from '@mui/material/TablePagination';
import Typography from '@mui/material/Typography';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { isApiError } from '../../lib/api-error';
import { PAGE_SIZES } from '../../lib/pagination';
import { useApiQuery } from '../../lib/use-api-query';

import { listAuditRows } from './audit-api';
import { AuditFilters } from './audit-filters';
import {
  activeFilters,
  readAuditQuery,
  toApiParams,
  writeAuditQuery,
} from './audit-query';
import { AuditRowDialog } from './audit-row-dialog';
import { AuditTable } from './audit-table';
import { AuditTools } from './audit-tools';

function useAuditRows(query) {
  const key = JSON.stringify(toApiParams(query));
  const fetcher = useCallback(
    (signal) => listAuditRows(JSON.parse(key), signal),
    [key],
  );
  return useApiQuery(fetcher, { keepPreviousData: true });
}

/** MUI pages count from 0 and must stay within the known total. */
function pageIndex(query, data) {
  if (!data) return 0;
  const last = Math.max(0, Math.ceil(data.total / query.pageSize) - 1);
  return Math.min(query.page - 1, last);
}

/**
 * The audit trail for administrators: who did what to which patient's data,
 * when and with what outcome, filtered, sorted, paged and exported.
 */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const query = readAuditQuery(params);
  const [open, setOpen] = useState(null);
  const { data, error, loading, reload } = useAuditRows(query);

  const update = (changes) =>
    setParams(writeAuditQuery({ ...query, ...changes }), { replace: true });

  const onSort = (key) => {
    const order = query.sort === key && query.order === 'desc' ? 'asc' : 'desc';
    update({ sort: key, order, page: 1 });
  };

  const rows = data?.items ?? [];
  const missing = isApiError(error, 'not_found');
  return (
    <>
      <PageHeader
        title="Audit"
        subtitle="Every access to patient data, allowed or denied, and every administrative change."
      />
      <Paper variant="outlined" sx={{ p: 3, mb: 3 }}>
        <AuditFilters
          filters={query.filters}
          onApply={(filters) => update({ filters, page: 1 })}
        />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, mb: 3 }}>
        <AuditTools filters={activeFilters(query.filters)} />
      </Paper>
      {missing ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          The audit viewer is not available on this server yet.
        </Alert>
      ) : (
        <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      )}
      <Paper variant="outlined">
        {loading ? <LinearProgress aria-label="Loading audit rows" /> : null}
        <AuditTable
          rows={rows}
          sort={query.sort}
          order={query.order}
          onSort={onSort}
          onOpen={setOpen}
        />
        {!loading && !error && rows.length === 0 ? (
          <Typography sx={{ p: 3 }} color="text.secondary">
            No audit rows match these filters.
          </Typography>
        ) : null}
        <TablePagination
          component="div"
          count={data?.total ?? 0}
          page={pageIndex(query, data)}
          rowsPerPage={query.pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, page) => update({ page: page + 1 })}
          onRowsPerPageChange={(event) =>
            update({ pageSize: Number(event.target.value), page: 1 })
          }
        />
      </Paper>
      <AuditRowDialog row={open} onClose={() => setOpen(null)} />
    </>
  );
}
