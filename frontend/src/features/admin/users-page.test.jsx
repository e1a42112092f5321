import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.admin).on('GET', '/api/admin/users', [
    200,
    page([users.admin, users.doctor, users.nurse], { total: 3 }),
  ]);
});

async function usersTable() {
  const table = await screen.findByRole('table', { name: 'Users' });
  await within(table).findByText('Dr Grace Hopper');
  return within(table);
}

describe('users page', () => {
  it('lists accounts with role, status and last sign-in', async () => {
    renderApp('/admin/users');

    const table = await usersTable();
    const row = table.getByText('Florence Nightingale').closest('tr');
    expect(within(row).getByText('Nurse')).toBeInTheDocument();
    expect(within(row).getByText('Active')).toBeInTheDocument();
    expect(within(row).getByText('Never')).toBeInTheDocument();
    expect(
      table.getByRole('button', { name: 'Deactivate Ada Admin' }),
    ).toBeDisabled();
  });

  it('validates and creates a user', async () => {
    api.on('POST', '/api/admin/users', (request) => [
      201,
      {
        id: 10,
        email: request.body.email,
        name: request.body.name,
        role: request.body.role,
        active: true,
      },
    ]);
    const { user } = renderApp('/admin/users');
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'New user' }));
    const dialog = within(
      await screen.findByRole('dialog', { name: 'New user' }),
    );

    await user.type(
      dialog.getByRole('textbox', { name: /full name/i }),
      'Dr New',
    );
    await user.type(
      dialog.getByRole('textbox', { name: /email address/i }),
      'new@clinic.example',
    );
    await user.type(dialog.getByLabelText(/initial password/i), 'short');
    await user.click(dialog.getByRole('button', { name: 'Create user' }));

    expect(await dialog.findByText('Choose a role.')).toBeInTheDocument();
    expect(
      dialog.getByText('The password needs at least 12 characters.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/users')).toHaveLength(0);

    await user.click(dialog.getByRole('combobox', { name: /role/i }));
    await user.click(await screen.findByRole('option', { name: 'Doctor' }));
    await user.type(dialog.getByLabelText(/initial password/i), ' and longer');
    await user.click(dialog.getByRole('button', { name: 'Create user' }));

    expect(
      await screen.findByText('Account created for new@clinic.example.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/users')[0].body).toEqual({
      email: 'new@clinic.example',
      name: 'Dr New',
      role: 'doctor',
      password: 'short and longer',
    });
  });

  it('deactivates a user after confirmation', async () => {
    api.on('POST', '/api/admin/users/2/deactivate', [204]);
    const { user } = renderApp('/admin/users');
    const table = await usersTable();

    await user.click(
      table.getByRole('button', { name: 'Deactivate Florence Nightingale' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await user.click(dialog.getByRole('button', { name: 'Deactivate' }));

    expect(
      await screen.findByText('Florence Nightingale is now deactivated.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/admin/users/2/deactivate')).toHaveLength(1);
  });

  it('reports a conflict in plain words', async () => {
    api.on('PUT', '/api/admin/users/1', [
      409,
      errorBody('conflict', 'role change refused', 'req-c'),
    ]);
    const { user } = renderApp('/admin/users');
    const table = await usersTable();

    await user.click(
      table.getByRole('button', { name: 'Edit Dr Grace Hopper' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await user.click(dialog.getByRole('combobox', { name: /role/i }));
    await user.click(await screen.findByRole('option', { name: 'Nurse' }));
    await user.click(dialog.getByRole('button', { name: 'Save' }));

    expect(
      await dialog.findByText(
        /conflicts with information that already exists/i,
      ),
    ).toBeInTheDocument();
    expect(api.calls('PUT', '/api/admin/users/1')[0].body).toEqual({
      role: 'nurse',
    });
  });

  it('asks for a code before a role change when the sign-in is not recent, then saves it', async () => {
    let confirmed = false;
    api
      .on('PUT', '/api/admin/users/1', (request) =>
        confirmed
          ? [200, { ...users.doctor, role: request.body.role }]
          : [403, errorBody('reauth_required')],
      )
      .on('POST', '/api/auth/reauth', () => {
        confirmed = true;
        return [204];
      });
    const { user } = renderApp('/admin/users');
    const table = await usersTable();

    await user.click(
      table.getByRole('button', { name: 'Edit Dr Grace Hopper' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await user.click(dialog.getByRole('combobox', { name: /role/i }));
    await user.click(await screen.findByRole('option', { name: 'Nurse' }));
    await user.click(dialog.getByRole('button', { name: 'Save' }));

    const stepUp = within(
      await screen.findByRole('dialog', { name: 'Confirm it is you' }),
    );
    await user.click(
      stepUp.getByRole('button', { name: /authenticator app instead/i }),
    );
    await user.type(stepUp.getByLabelText(/authentication code/i), '123 456');
    await user.click(stepUp.getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('Changes saved.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/auth/reauth')[0].body).toEqual({
      code: '123456',
    });
    expect(api.calls('PUT', '/api/admin/users/1')).toHaveLength(2);
  });
});
