import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { fillIn, renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin)
    .on('GET', '/api/admin/users', [
      200,
      page([users.admin, users.doctor, users.nurse]),
    ])
    .on('POST', '/api/admin/users/:id/password', [204]);
});

async function openReset(user) {
  await user.click(
    await screen.findByRole('button', {
      name: 'Reset password for Florence Nightingale',
    }),
  );
  return screen.findByRole('dialog', {
    name: 'Reset the password of Florence Nightingale',
  });
}

describe('password reset by an administrator', () => {
  it('asks for a long enough password typed twice the same', async () => {
    const { user } = renderApp('/admin/users');
    const dialog = within(await openReset(user));

    await user.type(dialog.getByLabelText(/^New password/), 'short');
    await fillIn(user, dialog.getByLabelText(/^Repeat/), 'different');
    await user.click(dialog.getByRole('button', { name: 'Reset password' }));

    expect(
      await dialog.findByText('The password needs at least 12 characters.'),
    ).toBeInTheDocument();
    expect(
      dialog.getByText('The two passwords are not the same.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/users/2/password')).toHaveLength(0);
  });

  it('sets the new password and asks for a change at the next sign-in', async () => {
    const { user } = renderApp('/admin/users');
    const dialog = within(await openReset(user));

    await fillIn(
      user,
      dialog.getByLabelText(/^New password/),
      'a-new-long-secret',
    );
    await fillIn(user, dialog.getByLabelText(/^Repeat/), 'a-new-long-secret');
    await user.click(dialog.getByRole('button', { name: 'Reset password' }));

    expect(
      await screen.findByText(
        'The password of Florence Nightingale was reset.',
      ),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/users/2/password')[0].body).toEqual({
      password: 'a-new-long-secret',
      must_change_password: true,
    });
  });
});
