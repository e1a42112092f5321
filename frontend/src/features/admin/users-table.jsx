import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';

import { formatDateTime } from '../../lib/format';
import { roleLabel } from '../../lib/roles';

const HEADERS = ['Name', 'Email', 'Role', 'Status', 'Last sign-in', 'Actions'];

/** Staff accounts with their state and the actions an administrator has. */
export function UsersTable({
  users,
  currentUserId,
  onEdit,
  onResetPassword,
  onResetMfa,
  onToggleActive,
}) {
  return (
    <Table size="small" aria-label="Users">
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
        {users.map((user) => (
          <TableRow key={user.id}>
            <TableCell>{user.name}</TableCell>
            <TableCell>{user.email}</TableCell>
            <TableCell>{roleLabel(user.role)}</TableCell>
            <TableCell>
              <Chip
                size="small"
                label={user.active ? 'Active' : 'Deactivated'}
                color={user.active ? 'success' : 'default'}
                variant="outlined"
              />
            </TableCell>
            <TableCell>
              {user.last_login ? formatDateTime(user.last_login) : 'Never'}
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              <Button
                size="small"
                onClick={() => onEdit(user)}
                aria-label={`Edit ${user.name}`}
              >
                Edit
              </Button>
              <Button
                size="small"
                onClick={() => onResetPassword(user)}
                aria-label={`Reset password for ${user.name}`}
              >
                Reset password
              </Button>
              {onResetMfa ? (
                <Button
                  size="small"
                  onClick={() => onResetMfa(user)}
                  aria-label={`Reset two-step sign-in for ${user.name}`}
                >
                  Reset two-step sign-in
                </Button>
              ) : null}
              <Button
                size="small"
                color={user.active ? 'error' : 'primary'}
                disabled={user.id === currentUserId}
                onClick={() => onToggleActive(user)}
                aria-label={`${user.active ? 'Deactivate' : 'Activate'} ${user.name}`}
              >
                {user.active ? 'Deactivate' : 'Activate'}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
