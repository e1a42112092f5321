import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import { Controller } from 'react-hook-form';

import { REASON_MAX, REASON_MIN, reasonLength } from './emergency-schema';

function counterText(count) {
  const base = `${count} / ${REASON_MAX} characters`;
  if (count < REASON_MIN) return `${base}, ${REASON_MIN - count} more needed`;
  return base;
}

/**
 * The justification, with a live count of characters beside any validation
 * message, so the clinician sees how much is still needed while typing.
 */
export function ReasonField({ control }) {
  return (
    <Controller
      name="reason"
      control={control}
      render={({ field, fieldState }) => {
        const count = reasonLength(field.value);
        return (
          <TextField
            name={field.name}
            value={field.value ?? ''}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            label="Justification"
            required
            multiline
            minRows={4}
            fullWidth
            error={Boolean(fieldState.error) || count > REASON_MAX}
            slotProps={{ formHelperText: { component: 'div' } }}
            helperText={
              <Box
                component="span"
                sx={{
                  display: 'flex',
                  justifyContent: 'space-between',
                  gap: 2,
                }}
              >
                <span>
                  {fieldState.error?.message ??
                    'What is happening and why you need this patient’s record now.'}
                </span>
                <Box
                  component="span"
                  data-testid="reason-counter"
                  sx={{ whiteSpace: 'nowrap' }}
                >
                  {counterText(count)}
                </Box>
              </Box>
            }
          />
        );
      }}
    />
  );
}
