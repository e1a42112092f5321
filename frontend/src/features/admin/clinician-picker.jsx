import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

import { ErrorAlert } from '../../components/error-alert';
import { CLINICAL_ROLES, roleLabel } from '../../lib/roles';

import { useAllUsers } from './use-users';

function optionLabel(user) {
  return `${user.name} (${roleLabel(user.role)}, ${user.email})`;
}

/** Chooses an active doctor or nurse; care teams hold clinicians only. */
export function ClinicianPicker({ value, onChange }) {
  const { data, error, loading, reload } = useAllUsers();
  const clinicians = (data ?? []).filter(
    (user) => user.active && CLINICAL_ROLES.includes(user.role),
  );

  return (
    <>
      <ErrorAlert error={error} onRetry={reload} />
      <Autocomplete
        options={clinicians}
        value={value}
        onChange={(_event, next) => onChange(next)}
        loading={loading}
        getOptionLabel={optionLabel}
        isOptionEqualToValue={(option, selected) => option.id === selected.id}
        renderInput={(params) => (
          <TextField
            {...params}
            label="Clinician"
            helperText="An active doctor or nurse"
          />
        )}
      />
    </>
  );
}
