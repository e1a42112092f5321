import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';

import { LiveStatus } from '../../components/live-status';
import { PageHeader } from '../../components/page-header';
import { useEventFeed } from '../../lib/use-event-feed';

import { AuditFilters } from './audit-filters';
import { activeFilters, liveFeedPath, readLiveFilters } from './audit-query';
import { AuditRowDialog } from './audit-row-dialog';
import { AuditTable } from './audit-table';

/** How many rows the view keeps; older ones remain in the trail. */
export const LIVE_ROWS_KEPT = 200;

/**
 * Rows from the live feed, newest first, and how many the server skipped
 * because this browser read too slowly. Starts over when the filters change.
 */
function useLiveRows(path, paused) {
  const [feed, setFeed] = useState({ path, rows: [], missed: 0 });
  const current = feed.path === path ? feed : { path, rows: [], missed: 0 };
  const state = useEventFeed(
    path,
    ({ type, data }) => {
      if (type === 'audit') {
        let row;
        try {
          row = JSON.parse(data);
        } catch {
          return;
        }
        setFeed((before) => {
          const base =
            before.path === path ? before : { path, rows: [], missed: 0 };
          const rows = [row, ...base.rows].slice(0, LIVE_ROWS_KEPT);
          return { ...base, rows };
        });
      } else if (type === 'lagged') {
        const missed = Number.parseInt(data, 10);
        if (!Number.isFinite(missed)) return;
        setFeed((before) => ({ ...before, missed: before.missed + missed }));
      }
    },
    { enabled: !paused },
  );
  const clear = () => setFeed({ path, rows: [], missed: 0 });
  return { ...current, state, clear };
}

/**
 * Administrators watch the audit trail as it is written: denials, failed
 * sign-ins and emergency access as they happen. The rows are the stored
 * ones (ids and field names, no patient data); the search page holds the
 * complete trail.
 */
export function LiveAuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = readLiveFilters(params);
  const path = liveFeedPath(filters);
  const [paused, setPaused] = useState(false);
  const [open, setOpen] = useState(null);
  const { rows, missed, state, clear } = useLiveRows(path, paused);
  const searchLink = `/admin/audit?${new URLSearchParams(
    activeFilters(filters),
  )}`;

  return (
    <>
      <PageHeader
        title="Live audit"
        subtitle="Audit rows as they are written: watch denials, failed sign-ins and emergency access as they happen."
        actions={
          <>
            <Button variant="outlined" onClick={() => setPaused((was) => !was)}>
              {paused ? 'Resume' : 'Pause'}
            </Button>
            <Button onClick={clear}>Clear view</Button>
            <Button component={RouterLink} to={searchLink}>
              Search the trail
            </Button>
          </>
        }
      />
      <Paper variant="outlined" sx={{ p: 3, mb: 3 }}>
        <AuditFilters
          live
          filters={filters}
          onApply={(chosen) =>
            setParams(activeFilters(chosen), { replace: true })
          }
        />
      </Paper>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
        <LiveStatus state={state} />
        <Typography color="text.secondary" variant="body2">
          Showing the latest {LIVE_ROWS_KEPT} rows at most.
        </Typography>
      </Box>
      {paused ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          Paused: rows written meanwhile are not shown here. Search the trail
          for that time to see them.
        </Alert>
      ) : null}
      {missed > 0 ? (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {missed === 1 ? '1 row was' : `${missed} rows were`} written while
          this view fell behind and are not shown. They are stored: search the
          trail to see them.
        </Alert>
      ) : null}
      {state === 'unavailable' ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          The live audit feed is not available on this server. Search the trail
          instead.
        </Alert>
      ) : null}
      <Paper variant="outlined">
        <AuditTable label="Live audit rows" rows={rows} onOpen={setOpen} />
        {rows.length === 0 ? (
          <Typography sx={{ p: 3 }} color="text.secondary">
            Waiting for audit rows that match these filters.
          </Typography>
        ) : null}
      </Paper>
      <AuditRowDialog row={open} onClose={() => setOpen(null)} />
    </>
  );
}
