import LockIcon from '@mui/icons-material/Lock';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';

import { DetailList } from '../../components/detail-list';
import { formatDateTime } from '../../lib/format';

import { labelOf, RECORD_TYPES, SEVERITIES } from './patient-fields';

const SEVERITY_COLORS = {
  low: 'success',
  medium: 'info',
  high: 'warning',
  critical: 'error',
};

// The diagnosis is the card's title; these follow it as details.
const TEXT_FIELDS = [
  { key: 'treatment', label: 'Treatment' },
  { key: 'medications', label: 'Medications' },
  { key: 'notes', label: 'Notes' },
];

export function SeverityChip({ severity }) {
  if (!severity) return null;
  return (
    <Chip
      size="small"
      color={SEVERITY_COLORS[severity] ?? 'default'}
      label={`Severity: ${labelOf(SEVERITIES, severity)}`}
      variant={severity === 'critical' ? 'filled' : 'outlined'}
    />
  );
}

function presentText(record) {
  return TEXT_FIELDS.filter(
    ({ key }) =>
      Object.prototype.hasOwnProperty.call(record, key) &&
      record[key] !== null &&
      record[key] !== '',
  ).map(({ key, label }) => ({ key, label, value: record[key] }));
}

/**
 * One medical record of the timeline: the diagnosis as its title, then the
 * kind and time, then the details. A restricted record arrives without its
 * diagnosis and notes; the card says so instead of leaving a silent gap.
 */
export function RecordCard({ record }) {
  const has = (key) => Object.prototype.hasOwnProperty.call(record, key);
  const withheld =
    record.restricted === true && (!has('diagnosis') || !has('notes'));
  const rows = presentText(record);
  const kind = labelOf(RECORD_TYPES, record.record_type) ?? 'Record';
  const title = record.diagnosis || (withheld ? 'Restricted record' : kind);

  return (
    <Paper
      component="li"
      variant="outlined"
      sx={{ px: 2, py: 1.5, listStyle: 'none' }}
    >
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          columnGap: 1,
          rowGap: 0.5,
        }}
      >
        <Typography
          variant="subtitle1"
          component="h3"
          sx={{ fontWeight: 600, mr: 'auto', overflowWrap: 'anywhere' }}
        >
          {title}
        </Typography>
        <SeverityChip severity={record.severity} />
        {record.sensitive === true ? (
          <Chip
            size="small"
            label="Sensitive"
            color="secondary"
            variant="outlined"
          />
        ) : null}
        {record.restricted === true ? (
          <Chip
            size="small"
            icon={<LockIcon aria-hidden="true" />}
            label="Restricted"
            color="secondary"
          />
        ) : null}
      </Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {kind}
        {record.recorded_at ? (
          <>
            {' · '}
            <time dateTime={record.recorded_at}>
              {formatDateTime(record.recorded_at)}
            </time>
          </>
        ) : null}
      </Typography>
      {rows.length > 0 ? <DetailList items={rows} dense /> : null}
      {withheld ? (
        <Typography
          variant="body2"
          sx={{ mt: rows.length ? 1 : 0, display: 'flex', gap: 1 }}
          color="text.secondary"
        >
          <LockIcon fontSize="small" aria-hidden="true" />
          Details withheld for your role.
        </Typography>
      ) : null}
    </Paper>
  );
}
