import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';

import { formatDateTime } from '../../lib/format';
import { roleLabel } from '../../lib/roles';

import { OUTCOME_COLORS } from './audit-fields';

const COLUMNS = [
  { key: 'timestamp', label: 'Time', sortable: true },
  { key: 'user_id', label: 'User', sortable: true },
  { key: 'action', label: 'Action', sortable: true },
  { key: 'patient_id', label: 'Patient', sortable: true },
  { key: 'outcome', label: 'Outcome', sortable: true },
  { key: 'reason_code', label: 'Reason' },
  { key: 'id', label: 'Row', sortable: true },
  { key: 'details', label: 'Details' },
];

function HeaderCell({ column, sort, order, onSort }) {
  if (!column.sortable || !onSort) {
    return <TableCell sx={{ fontWeight: 600 }}>{column.label}</TableCell>;
  }
  const active = sort === column.key;
  return (
    <TableCell sortDirection={active ? order : false} sx={{ fontWeight: 600 }}>
      <TableSortLabel
        active={active}
        direction={active ? order : 'asc'}
        onClick={() => onSort(column.key)}
      >
        {column.label}
      </TableSortLabel>
    </TableCell>
  );
}

function userText(row) {
  if (row.user_id === null || row.user_id === undefined) return 'Unknown';
  return row.role
    ? `${roleLabel(row.role)} ${row.user_id}`
    : `User ${row.user_id}`;
}

/**
 * Audit rows, with sortable columns when `onSort` is given; each row opens
 * its full details.
 */
export function AuditTable({
  rows,
  sort,
  order,
  onSort,
  onOpen,
  label = 'Audit trail',
}) {
  return (
    <TableContainer>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {COLUMNS.map((column) => (
              <HeaderCell
                key={column.key}
                column={column}
                sort={sort}
                order={order}
                onSort={onSort}
              />
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.id} hover>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(row.timestamp)}
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {userText(row)}
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <code>{row.action}</code>
                {row.emergency_use ? (
                  <Chip
                    size="small"
                    color="error"
                    label="Emergency"
                    sx={{ ml: 1 }}
                  />
                ) : null}
              </TableCell>
              <TableCell>{row.patient_id ?? '—'}</TableCell>
              <TableCell>
                <Chip
                  size="small"
                  variant="outlined"
                  color={OUTCOME_COLORS[row.outcome] ?? 'default'}
                  label={row.outcome}
                />
              </TableCell>
              <TableCell>
                {row.reason_code ? row.reason_code.replace(/_/g, ' ') : '—'}
              </TableCell>
              <TableCell>{row.id}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  onClick={() => onOpen(row)}
                  aria-label={`Details of audit row ${row.id}`}
                >
                  Details
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
