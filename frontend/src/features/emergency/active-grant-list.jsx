import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router-dom';

import { formatCountdown, formatDateTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';

import { useActiveGrants } from './active-grants-context';
import { isLive, labelFor, REASON_CATEGORIES } from './emergency-fields';

/** The clinician's own live grants, each a link to its patient. */
export function ActiveGrantList() {
  const { grants } = useActiveGrants();
  const now = useNow(1000, grants.length > 0);
  const live = grants.filter((grant) => isLive(grant, now));

  if (live.length === 0) {
    return (
      <Typography color="text.secondary">
        You have no active emergency access.
      </Typography>
    );
  }
  return (
    <List aria-label="Your active emergency access" disablePadding>
      {live.map((grant) => (
        <ListItem key={grant.id} disablePadding divider>
          <ListItemButton
            component={RouterLink}
            to={`/patients/${grant.patient_id}`}
          >
            <ListItemText
              primary={`Patient ${grant.patient_id}: ${labelFor(REASON_CATEGORIES, grant.reason_category)}`}
              secondary={`Ends in ${formatCountdown((Date.parse(grant.expires_at) - now) / 1000)} (at ${formatDateTime(grant.expires_at)})`}
            />
          </ListItemButton>
        </ListItem>
      ))}
    </List>
  );
}
