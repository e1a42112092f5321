import * as yup from 'yup';

export const signInSchema = yup.object({
  email: yup
    .string()
    .trim()
    .required('Enter your email address.')
    .email('Enter a valid email address, like name@example.org.')
    .max(254, 'An email address has at most 254 characters.'),
  password: yup
    .string()
    .required('Enter your password.')
    .test(
      'bcrypt-limit',
      'A password has at most 72 bytes.',
      (value) => !value || new TextEncoder().encode(value).length <= 72,
    ),
});
