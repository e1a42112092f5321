import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useId, useRef } from 'react';

import { formatCountdown } from '../../lib/format';

/**
 * Asks an inactive user whether to stay signed in, counting down to the
 * automatic log-off. Escape and the backdrop keep the session too, since
 * both show that someone is there.
 */
export function IdleWarningDialog({ open, secondsLeft, onStay, onSignOut }) {
  const titleId = useId();
  const textId = useId();
  const stayButton = useRef(null);
  return (
    <Dialog
      open={open}
      onClose={onStay}
      slotProps={{
        transition: { onEntered: () => stayButton.current?.focus() },
      }}
      aria-labelledby={titleId}
      aria-describedby={textId}
    >
      <DialogTitle id={titleId}>Are you still there?</DialogTitle>
      <DialogContent>
        <DialogContentText id={textId}>
          For the privacy of patient data you will be signed out in{' '}
          <strong role="timer">{formatCountdown(secondsLeft ?? 0)}</strong>{' '}
          because there has been no activity.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onSignOut}>Sign out now</Button>
        <Button onClick={onStay} variant="contained" ref={stayButton}>
          Stay signed in
        </Button>
      </DialogActions>
    </Dialog>
  );
}
