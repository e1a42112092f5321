import AddIcon from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import TablePagination from '@mui/material/TablePagination';
import { useState } from 'react';

import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';
import { useConfirmedAction } from '../../lib/use-confirmed-action';
import { useAuth } from '../auth/auth-context';
import { useStepUp } from '../auth/step-up';

import { resetUserMfa, setUserActive } from './admin-api';
import { CreateUserDialog } from './create-user-dialog';
import { EditUserDialog } from './edit-user-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { useUserList } from './use-users';
import { UsersTable } from './users-table';

function useActivation(onDone) {
  return useConfirmedAction(async (target) => {
    await setUserActive(target.id, !target.active);
    return `${target.name} is now ${target.active ? 'deactivated' : 'active'}.`;
  }, onDone);
}

/** Resetting a user's two-step sign-in (a lost phone); a step-up action. */
function useMfaReset(onDone) {
  const stepUp = useStepUp();
  return useConfirmedAction(async (target) => {
    await stepUp(() => resetUserMfa(target.id));
    return `Two-step sign-in of ${target.name} was reset; they set it up again at their next sign-in where their role requires it.`;
  }, onDone);
}

/**
 * Staff accounts: create, rename, change role, reset a password, deactivate
 * and reactivate.
 */
export function UsersPage() {
  const { user: currentUser } = useAuth();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(null);
  const [resetting, setResetting] = useState(null);
  const [notice, setNotice] = useState(null);
  const { data, error, loading, reload } = useUserList({ page, pageSize });

  const done = (message) => {
    setNotice(message);
    reload();
  };
  const activation = useActivation(done);
  const mfaReset = useMfaReset(done);
  const target = activation.target;

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Staff accounts and their roles."
        actions={
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => setCreating(true)}
          >
            New user
          </Button>
        }
      />
      {notice ? (
        <Alert
          severity="success"
          onClose={() => setNotice(null)}
          sx={{ mb: 2 }}
        >
          {notice}
        </Alert>
      ) : null}
      <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      <Paper variant="outlined">
        {loading ? <LinearProgress aria-label="Loading users" /> : null}
        <UsersTable
          users={data?.items ?? []}
          currentUserId={currentUser.id}
          onEdit={setEditing}
          onResetPassword={setResetting}
          onResetMfa={mfaReset.setTarget}
          onToggleActive={activation.setTarget}
        />
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
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          done(`Account created for ${created.email}.`);
        }}
      />
      <EditUserDialog
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          done('Changes saved.');
        }}
      />
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(changed) => {
          setResetting(null);
          done(`The password of ${changed.name} was reset.`);
        }}
      />
      <ConfirmDialog
        open={Boolean(target)}
        title={
          target?.active ? 'Deactivate this account?' : 'Activate this account?'
        }
        message={
          target?.active
            ? `${target.name} will be signed out everywhere at once and cannot sign in until reactivated.`
            : `${target?.name ?? 'This user'} will be able to sign in again.`
        }
        confirmLabel={target?.active ? 'Deactivate' : 'Activate'}
        onConfirm={activation.confirm}
        onClose={activation.close}
        busy={activation.busy}
        error={activation.error}
      />
      <ConfirmDialog
        open={Boolean(mfaReset.target)}
        title="Reset two-step sign-in?"
        message={`${mfaReset.target?.name ?? 'This user'} loses their authenticator app and recovery codes and is signed out everywhere. Do this only after confirming who is asking, for example for a lost phone.`}
        confirmLabel="Reset"
        onConfirm={mfaReset.confirm}
        onClose={mfaReset.close}
        busy={mfaReset.busy}
        error={mfaReset.error}
      />
    </>
  );
}
