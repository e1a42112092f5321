import {
  FormDateField,
  FormSelectField,
  FormTextField,
} from '../../components/form-fields';

import { SEX_OPTIONS } from './patient-fields';

const FIELD_PROPS = {
  first_name: { label: 'First name', required: true, autoComplete: 'off' },
  last_name: { label: 'Last name', required: true, autoComplete: 'off' },
  date_of_birth: { label: 'Date of birth', required: true },
  sex: { label: 'Sex', required: true },
  phone: { label: 'Phone', type: 'tel', autoComplete: 'off' },
  address: { label: 'Address', multiline: true, minRows: 2 },
  emergency_contact: { label: 'Emergency contact' },
  ssn: {
    label: 'SSN (optional)',
    helperText: 'Written as 123-45-6789. Stored encrypted.',
    autoComplete: 'off',
  },
  mrn: {
    label: 'MRN (optional)',
    helperText: 'Leave empty to have one assigned.',
    autoComplete: 'off',
  },
};

/** The inputs for the given patient fields, in the order given. */
export function PatientFormFields({ control, fields }) {
  return fields.map((name) => {
    const props = { control, name, ...FIELD_PROPS[name] };
    if (name === 'date_of_birth')
      return <FormDateField key={name} {...props} />;
    if (name === 'sex') {
      return <FormSelectField key={name} {...props} options={SEX_OPTIONS} />;
    }
    return <FormTextField key={name} {...props} />;
  });
}
