import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { Link as RouterLink, useNavigate } from 'react-router-dom';

import { formatDate } from '../../lib/format';

import { labelOf, SEX_OPTIONS } from './patient-fields';

const COLUMNS = [
  { key: 'mrn', label: 'MRN', sortable: true },
  { key: 'last_name', label: 'Last name', sortable: true },
  { key: 'first_name', label: 'First name', sortable: true },
  { key: 'date_of_birth', label: 'Date of birth', sortable: true },
  { key: 'sex', label: 'Sex' },
  { key: 'ssn', label: 'SSN', optional: true },
];

// TableCell's sortDirection sets aria-sort, which announces the order.
function SortableHeader({ column, sort, order, onSort }) {
  const active = sort === column.key;
  const direction = active ? order : 'asc';
  return (
    <TableCell sortDirection={active ? order : false} sx={{ fontWeight: 600 }}>
      <TableSortLabel
        active={active}
        direction={direction}
        onClick={() => onSort(column.key)}
      >
        {column.label}
      </TableSortLabel>
    </TableCell>
  );
}

/**
 * The patient list. The SSN column appears only when the server sent an
 * `ssn` key (masked, to doctors); a nurse's list has no such column.
 */
export function PatientTable({ items, sort, order, onSort }) {
  const navigate = useNavigate();
  const showSsn = items.some((item) =>
    Object.prototype.hasOwnProperty.call(item, 'ssn'),
  );
  const columns = COLUMNS.filter((column) => !column.optional || showSsn);

  return (
    <Table size="small" aria-label="Patients">
      <TableHead>
        <TableRow>
          {columns.map((column) =>
            column.sortable ? (
              <SortableHeader
                key={column.key}
                column={column}
                sort={sort}
                order={order}
                onSort={onSort}
              />
            ) : (
              <TableCell key={column.key} sx={{ fontWeight: 600 }}>
                {column.label}
              </TableCell>
            ),
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((patient) => (
          <TableRow
            key={patient.id}
            hover
            sx={{ cursor: 'pointer' }}
            onClick={() => navigate(`/patients/${patient.id}`)}
          >
            <TableCell>{patient.mrn}</TableCell>
            <TableCell>
              <Link
                component={RouterLink}
                to={`/patients/${patient.id}`}
                onClick={(event) => event.stopPropagation()}
              >
                {patient.last_name}
              </Link>
            </TableCell>
            <TableCell>{patient.first_name}</TableCell>
            <TableCell>{formatDate(patient.date_of_birth)}</TableCell>
            <TableCell>{labelOf(SEX_OPTIONS, patient.sex)}</TableCell>
            {showSsn ? <TableCell>{patient.ssn ?? ''}</TableCell> : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
