import Chip from '@mui/material/Chip';

import { GRANT_STATUSES, labelFor, REVIEW_OUTCOMES } from './emergency-fields';

export function GrantStatusChip({ grant }) {
  const status = GRANT_STATUSES[grant.status] ?? {
    label: grant.status,
    color: 'default',
  };
  return (
    <Chip
      size="small"
      label={status.label}
      color={status.color}
      variant={grant.status === 'active' ? 'filled' : 'outlined'}
    />
  );
}

export function ReviewChip({ grant }) {
  if (grant.review_outcome) {
    return (
      <Chip
        size="small"
        variant="outlined"
        color={grant.review_outcome === 'justified' ? 'success' : 'warning'}
        label={labelFor(REVIEW_OUTCOMES, grant.review_outcome)}
      />
    );
  }
  if (grant.review_overdue) {
    return <Chip size="small" color="error" label="Review overdue" />;
  }
  return <Chip size="small" variant="outlined" label="Awaiting review" />;
}
