import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

import { formatDateTime, formatTimeAfter } from '../../lib/format';
import { roleLabel } from '../../lib/roles';

import { labelFor, REASON_CATEGORIES } from './emergency-fields';
import { GrantStatusChip, ReviewChip } from './grant-chips';

const HEADERS = [
  'Clinician',
  'Patient',
  'Reason',
  'When',
  'Status',
  'Review',
  'Actions',
];

export function clinicianName(grant, usersById) {
  const user = usersById.get(grant.user_id);
  const role = roleLabel(grant.user_role ?? user?.role ?? '');
  const name = user?.name ?? `User ${grant.user_id}`;
  return role ? `${name} (${role})` : name;
}

/**
 * Emergency grants for administrators. The patient is named by number
 * only: reviewing an access never needs the patient's identity.
 */
export function GrantTable({ grants, usersById, onReview, onRevoke }) {
  return (
    <TableContainer>
      <Table size="small" aria-label="Emergency grants">
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
          {grants.map((grant) => (
            <TableRow key={grant.id}>
              <TableCell>{clinicianName(grant, usersById)}</TableCell>
              <TableCell>{grant.patient_id}</TableCell>
              <TableCell sx={{ maxWidth: 240 }}>
                <Box component="span" sx={{ fontWeight: 500 }}>
                  {labelFor(REASON_CATEGORIES, grant.reason_category)}
                </Box>
                {grant.reason ? (
                  <Typography
                    variant="body2"
                    color="text.secondary"
                    sx={{
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                    title={grant.reason}
                  >
                    {grant.reason}
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(grant.requested_at)}
                <Typography variant="body2" color="text.secondary">
                  {grant.revoked_at ? 'Revoked' : 'Ends'}{' '}
                  {formatTimeAfter(
                    grant.revoked_at ?? grant.expires_at,
                    grant.requested_at,
                  )}
                </Typography>
              </TableCell>
              <TableCell>
                <GrantStatusChip grant={grant} />
              </TableCell>
              <TableCell>
                <ReviewChip grant={grant} />
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {grant.reviewed_at ? null : (
                  <Button
                    size="small"
                    onClick={() => onReview(grant)}
                    aria-label={`Review grant ${grant.id}`}
                  >
                    Review
                  </Button>
                )}
                {grant.status === 'active' || grant.status === 'pending' ? (
                  <Button
                    size="small"
                    color="error"
                    onClick={() => onRevoke(grant)}
                    aria-label={`Revoke grant ${grant.id}`}
                  >
                    Revoke
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
