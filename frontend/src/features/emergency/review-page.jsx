import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import TablePagination from '@mui/material/TablePagination';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useCallback, useMemo, useState } from 'react';

import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { LiveStatus } from '../../components/live-status';
import { PageHeader } from '../../components/page-header';
import { isApiError } from '../../lib/api-error';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';
import { useConfirmedAction } from '../../lib/use-confirmed-action';
import { useDebouncedCallback } from '../../lib/use-debounced-callback';
import { useAllUsers } from '../admin/use-users';

import { revokeGrant } from './emergency-api';
import { clinicianName, GrantTable } from './grant-table';
import { ReviewDialog } from './review-dialog';
import { useGrantEvents } from './use-grant-events';
import { useGrantList } from './use-grant-list';

const QUEUES = [
  { value: 'active', label: 'Active now' },
  { value: 'unreviewed', label: 'Awaiting review' },
  { value: 'overdue', label: 'Review overdue' },
  { value: 'all', label: 'All grants' },
];

const EMPTY_TEXT = {
  active: 'No emergency access is active.',
  unreviewed: 'Every emergency access has been reviewed.',
  overdue: 'No review is overdue.',
  all: 'No emergency access has been requested yet.',
};

function useRevoke(onDone) {
  return useConfirmedAction(async (target) => {
    await revokeGrant(target.id);
    return 'The emergency access was revoked; it ended at once.';
  }, onDone);
}

/**
 * The administrators' queue of emergency grants: what is active now, what
 * still needs a review, and what is overdue, updated live as grants change.
 */
export function ReviewPage() {
  const [queue, setQueue] = useState('unreviewed');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [reviewing, setReviewing] = useState(null);
  const [notice, setNotice] = useState(null);
  const users = useAllUsers();
  const { data, error, loading, reload } = useGrantList({
    status: queue,
    page,
    pageSize,
  });
  const usersById = useMemo(
    () => new Map((users.data ?? []).map((user) => [user.id, user])),
    [users.data],
  );

  const reloadSoon = useDebouncedCallback(reload, 300);
  const onGrant = useCallback(
    (grant) => {
      if (grant.status === 'active' && !grant.reviewed_at) {
        setNotice(
          `New emergency access by ${clinicianName(grant, usersById)} to patient ${grant.patient_id}.`,
        );
      }
      reloadSoon();
    },
    [usersById, reloadSoon],
  );
  const live = useGrantEvents(onGrant);

  const done = (message) => {
    setNotice(message);
    reload();
  };
  const revoke = useRevoke(done);
  const items = data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Emergency review"
        subtitle="Every break-glass access is reviewed after the fact."
        actions={<LiveStatus state={live} />}
      />
      {notice ? (
        <Alert
          severity="info"
          onClose={() => setNotice(null)}
          sx={{ mb: 2 }}
          role="status"
        >
          {notice}
        </Alert>
      ) : null}
      {isApiError(error, 'not_found') ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          Emergency access is not available on this server yet.
        </Alert>
      ) : (
        <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      )}
      <Paper variant="outlined">
        <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Tabs
            value={queue}
            onChange={(_event, value) => {
              setQueue(value);
              setPage(1);
            }}
            aria-label="Grant queues"
            variant="scrollable"
            allowScrollButtonsMobile
          >
            {QUEUES.map(({ value, label }) => (
              <Tab key={value} value={value} label={label} />
            ))}
          </Tabs>
        </Box>
        {loading ? <LinearProgress aria-label="Loading grants" /> : null}
        <GrantTable
          grants={items}
          usersById={usersById}
          onReview={setReviewing}
          onRevoke={revoke.setTarget}
        />
        {!loading && !error && items.length === 0 ? (
          <Typography sx={{ p: 3 }} color="text.secondary">
            {EMPTY_TEXT[queue]}
          </Typography>
        ) : null}
        <TablePagination
          component="div"
          count={data?.total ?? 0}
          page={data ? page - 1 : 0}
          rowsPerPage={pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, next) => setPage(next + 1)}
          onRowsPerPageChange={(event) => {
            setPageSize(Number(event.target.value));
            setPage(1);
          }}
        />
      </Paper>
      <ReviewDialog
        grant={reviewing}
        clinician={reviewing ? clinicianName(reviewing, usersById) : ''}
        onClose={() => setReviewing(null)}
        onReviewed={() => {
          setReviewing(null);
          done('Review saved.');
        }}
      />
      <ConfirmDialog
        open={Boolean(revoke.target)}
        title="Revoke this emergency access?"
        message={`${revoke.target ? clinicianName(revoke.target, usersById) : ''} loses access to patient ${revoke.target?.patient_id ?? ''} at once. The grant still needs a review.`}
        confirmLabel="Revoke access"
        confirmColor="error"
        onConfirm={revoke.confirm}
        onClose={revoke.close}
        busy={revoke.busy}
        error={revoke.error}
      />
    </>
  );
}
