import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useId } from 'react';

import { DetailList } from '../../components/detail-list';
import { formatDateTime } from '../../lib/format';
import { purposeLabel } from '../../lib/purpose';

const FIELDS = [
  ['timestamp', 'Time', formatDateTime],
  ['user_id', 'User number'],
  ['role', 'Role'],
  ['action', 'Action'],
  ['resource', 'Resource'],
  ['patient_id', 'Patient number'],
  ['record_id', 'Record number'],
  ['outcome', 'Outcome'],
  ['reason_code', 'Reason code'],
  ['emergency_use', 'Emergency access'],
  ['purpose_of_use', 'Purpose of use', purposeLabel],
  ['fields_released', 'Fields released'],
  ['fields_withheld', 'Fields withheld'],
  ['reason', 'Reason given'],
  ['ip_address', 'Client address'],
  ['user_agent', 'Browser'],
  ['request_id', 'Request id'],
  ['hash', 'Chain hash'],
];

function show(value, format) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return '—';
  return format ? format(value) : String(value);
}

/** Every field of one audit row, as plain text. */
export function AuditRowDialog({ row, onClose }) {
  const titleId = useId();
  const items = row
    ? FIELDS.map(([key, label, format]) => ({
        key,
        label,
        value: show(row[key], format),
      }))
    : [];
  return (
    <Dialog
      open={Boolean(row)}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>Audit row {row?.id}</DialogTitle>
      <DialogContent dividers>
        <DetailList items={items} dense />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
