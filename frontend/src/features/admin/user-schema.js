import * as yup from 'yup';

import { ROLES } from '../../lib/roles';

export const ROLE_OPTIONS = [
  { value: ROLES.doctor, label: 'Doctor' },
  { value: ROLES.nurse, label: 'Nurse' },
  { value: ROLES.admin, label: 'Administrator' },
];

const name = yup
  .string()
  .trim()
  .required('Enter the name.')
  .max(200, 'A name has at most 200 characters.');

const role = yup
  .string()
  .required('Choose a role.')
  .oneOf(Object.values(ROLES), 'Choose a role.');

const byteLength = (value) => new TextEncoder().encode(value ?? '').length;

const newPassword = yup
  .string()
  .required('Enter a password.')
  .min(12, 'The password needs at least 12 characters.')
  .test(
    'bcrypt-limit',
    'The password can be at most 72 bytes long.',
    (value) => byteLength(value) <= 72,
  );

export const resetPasswordSchema = yup.object({
  password: newPassword,
  confirm: yup
    .string()
    .required('Enter the password again.')
    .oneOf([yup.ref('password')], 'The two passwords are not the same.'),
  must_change_password: yup.boolean(),
});

export const createUserSchema = yup.object({
  email: yup
    .string()
    .trim()
    .required('Enter the email address.')
    .email('Enter a valid email address.')
    .max(254, 'An email address has at most 254 characters.'),
  name,
  role,
  password: newPassword.required('Enter an initial password.'),
});

export const editUserSchema = yup.object({ name, role });
