import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { patientForDoctor, users } from '../../test/fixtures';
import { createMockApi, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.doctor)
    .on('GET', '/api/patients', [200, page([])])
    .on('GET', '/api/patients/42', [200, patientForDoctor]);
});

async function openDialog() {
  const view = renderApp('/patients');
  await view.user.click(
    await screen.findByRole('button', { name: 'New patient' }),
  );
  const dialog = within(
    await screen.findByRole('dialog', { name: 'New patient' }),
  );
  return { ...view, dialog };
}

async function fill(user, field, text) {
  await user.click(field);
  await user.paste(text);
}

describe('create patient dialog', () => {
  it('checks required fields and the SSN format before sending', async () => {
    const { user, dialog } = await openDialog();

    await fill(
      user,
      dialog.getByRole('textbox', { name: /ssn/i }),
      '123456789',
    );
    await user.click(dialog.getByRole('button', { name: 'Create patient' }));

    expect(
      await dialog.findByText('Enter the first name.'),
    ).toBeInTheDocument();
    expect(dialog.getByText('Enter the date of birth.')).toBeInTheDocument();
    expect(dialog.getByText('Choose the sex.')).toBeInTheDocument();
    expect(
      dialog.getByText('Write the SSN as 123-45-6789.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients')).toHaveLength(0);
  });

  it('sends the filled fields only and opens the new patient', async () => {
    api.on('POST', '/api/patients', [201, patientForDoctor]);
    const { user, dialog } = await openDialog();

    await fill(
      user,
      dialog.getByRole('textbox', { name: /first name/i }),
      'Alva',
    );
    await fill(
      user,
      dialog.getByRole('textbox', { name: /last name/i }),
      'Dickinson',
    );
    await fill(user, dialog.getByLabelText(/date of birth/i), '1968-04-17');
    await user.click(dialog.getByRole('combobox', { name: /sex/i }));
    await user.click(await screen.findByRole('option', { name: 'Female' }));
    await fill(
      user,
      dialog.getByRole('textbox', { name: /ssn/i }),
      '123-45-6789',
    );
    await user.click(dialog.getByRole('button', { name: 'Create patient' }));

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients')[0].body).toEqual({
      first_name: 'Alva',
      last_name: 'Dickinson',
      date_of_birth: '1968-04-17',
      sex: 'female',
      ssn: '123-45-6789',
    });
  });
});
