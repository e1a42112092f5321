import { yupResolver } from '@hookform/resolvers/yup';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import { Controller, useForm } from 'react-hook-form';
import * as yup from 'yup';

import { FormSelectField, FormTextField } from '../../components/form-fields';

import {
  EMERGENCY_OPTIONS,
  KNOWN_ACTIONS,
  OUTCOME_OPTIONS,
} from './audit-fields';
import { localInputToUtc, utcToLocalInput } from './audit-query';

const idFilter = yup
  .string()
  .trim()
  .test(
    'id',
    'Enter a whole number, like 42, or leave it empty.',
    (value) => !value || /^[1-9]\d{0,17}$/.test(value),
  );

const schema = yup.object({
  user_id: idFilter,
  patient_id: idFilter,
  action: yup.string().trim().max(100, 'At most 100 characters.'),
});

function toFormValues(filters) {
  return {
    ...filters,
    from: utcToLocalInput(filters.from),
    to: utcToLocalInput(filters.to),
  };
}

function ActionField({ control }) {
  return (
    <Controller
      name="action"
      control={control}
      render={({ field }) => (
        <Autocomplete
          freeSolo
          options={KNOWN_ACTIONS}
          value={field.value ?? ''}
          onChange={(_event, value) => field.onChange(value ?? '')}
          onInputChange={(_event, value) => field.onChange(value)}
          renderInput={(params) => (
            <TextField {...params} label="Action" name="action" />
          )}
        />
      )}
    />
  );
}

/**
 * The filters of the audit viewer; applied together with one button. The
 * live view (`live`) has no time range: it shows rows as they are written.
 */
export function AuditFilters({ filters, onApply, live = false }) {
  const { control, handleSubmit, reset } = useForm({
    resolver: yupResolver(schema),
    values: toFormValues(filters),
  });

  const onSubmit = handleSubmit((values) =>
    onApply({
      ...values,
      action: (values.action ?? '').trim(),
      user_id: (values.user_id ?? '').trim(),
      patient_id: (values.patient_id ?? '').trim(),
      ...(live
        ? {}
        : {
            from: localInputToUtc(values.from),
            to: localInputToUtc(values.to),
          }),
    }),
  );

  const clear = () => {
    const empty = Object.fromEntries(Object.keys(filters).map((k) => [k, '']));
    reset(empty);
    onApply(empty);
  };

  const dateProps = {
    type: 'datetime-local',
    slotProps: { inputLabel: { shrink: true } },
  };
  return (
    <Box component="form" onSubmit={onSubmit} noValidate aria-label="Filters">
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <FormTextField
            control={control}
            name="user_id"
            label="User number"
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <FormTextField
            control={control}
            name="patient_id"
            label="Patient number"
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <ActionField control={control} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <FormSelectField
            control={control}
            name="outcome"
            label="Outcome"
            options={OUTCOME_OPTIONS}
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <FormSelectField
            control={control}
            name="emergency"
            label="Emergency access"
            options={EMERGENCY_OPTIONS}
          />
        </Grid>
        {live ? null : (
          <>
            <Grid size={{ xs: 12, sm: 6, md: 3 }}>
              <FormTextField
                control={control}
                name="from"
                label="From"
                {...dateProps}
              />
            </Grid>
            <Grid size={{ xs: 12, sm: 6, md: 3 }}>
              <FormTextField
                control={control}
                name="to"
                label="To"
                {...dateProps}
              />
            </Grid>
          </>
        )}
        <Grid
          size={{ xs: 12, sm: 6, md: 3 }}
          sx={{ display: 'flex', gap: 1, alignItems: 'center' }}
        >
          <Button type="submit" variant="contained">
            Apply filters
          </Button>
          <Button onClick={clear}>Clear</Button>
        </Grid>
      </Grid>
    </Box>
  );
}
