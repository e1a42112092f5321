import Chip from '@mui/material/Chip';

const STATES = {
  connecting: { label: 'Connecting to live updates…', color: 'default' },
  live: { label: 'Live updates on', color: 'success' },
  reconnecting: {
    label: 'Live updates paused, reconnecting…',
    color: 'warning',
  },
  unavailable: { label: 'Live updates unavailable', color: 'default' },
  paused: { label: 'Live updates paused', color: 'default' },
};

/** Whether a page is following its live feed. */
export function LiveStatus({ state }) {
  const shown = STATES[state] ?? STATES.connecting;
  return (
    <Chip
      role="status"
      size="small"
      variant="outlined"
      color={shown.color}
      label={shown.label}
    />
  );
}
