import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { patientForDoctor, plainRecord, users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

let api;

beforeEach(() => {
  api = createMockApi().install();
  signedInAs(api, users.doctor)
    .on('GET', '/api/patients/42', [200, patientForDoctor])
    .on('GET', '/api/patients/42/records', [200, page([])]);
});

async function openDialog() {
  const view = renderApp('/patients/42');
  await view.user.click(await screen.findByRole('tab', { name: 'Records' }));
  await view.user.click(
    await screen.findByRole('button', { name: 'Add record' }),
  );
  const dialog = within(
    await screen.findByRole('dialog', { name: 'Add record' }),
  );
  return { ...view, dialog };
}

async function fill(user, field, text) {
  await user.click(field);
  await user.paste(text);
}

async function choose(user, dialog, label, option) {
  await user.click(dialog.getByRole('combobox', { name: label }));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('add record dialog', () => {
  it('requires a diagnosis and a severity before sending anything', async () => {
    const { user, dialog } = await openDialog();

    await user.click(dialog.getByRole('button', { name: 'Add record' }));

    expect(await dialog.findByText('Enter a diagnosis.')).toBeInTheDocument();
    expect(dialog.getByText('Choose the severity.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients/42/records')).toHaveLength(0);
  });

  it('refuses a diagnosis longer than 500 characters', async () => {
    const { user, dialog } = await openDialog();
    await choose(user, dialog, 'Severity', 'Low');

    await fill(
      user,
      dialog.getByRole('textbox', { name: /^diagnosis/i }),
      'x'.repeat(501),
    );
    await user.click(dialog.getByRole('button', { name: 'Add record' }));

    expect(
      await dialog.findByText('Diagnosis has at most 500 characters.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/patients/42/records')).toHaveLength(0);
  });

  it('posts exactly the contract fields and shows the new record', async () => {
    api.on('POST', '/api/patients/42/records', (request) => {
      api.on('GET', '/api/patients/42/records', [
        200,
        page([{ ...plainRecord, ...request.body, id: 9 }]),
      ]);
      return [201, { ...plainRecord, ...request.body, id: 9 }];
    });
    const { user, dialog } = await openDialog();

    await choose(user, dialog, 'Record type', 'Condition');
    await fill(
      user,
      dialog.getByRole('textbox', { name: /^diagnosis/i }),
      '  Type 2 diabetes  ',
    );
    await choose(user, dialog, 'Severity', 'High');
    await fill(user, dialog.getByLabelText('Medications'), 'Metformin 500 mg');
    await user.click(dialog.getByRole('checkbox', { name: /sensitive/i }));
    await user.click(dialog.getByRole('button', { name: 'Add record' }));

    expect(await screen.findByText('Type 2 diabetes')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.calls('POST', '/api/patients/42/records')[0].body).toEqual({
      record_type: 'condition',
      diagnosis: 'Type 2 diabetes',
      severity: 'high',
      medications: 'Metformin 500 mg',
      sensitive: true,
    });
  });

  it('keeps the dialog open and explains a server refusal in plain words', async () => {
    api.on('POST', '/api/patients/42/records', [
      422,
      errorBody(
        'validation_failed',
        'diagnosis must not be blank',
        'req-val-1',
      ),
    ]);
    const { user, dialog } = await openDialog();

    await user.type(
      dialog.getByRole('textbox', { name: /^diagnosis/i }),
      'Asthma',
    );
    await choose(user, dialog, 'Severity', 'Low');
    await user.click(dialog.getByRole('button', { name: 'Add record' }));

    expect(
      await dialog.findByText(/some of the information is not valid/i),
    ).toBeInTheDocument();
    expect(dialog.getByText('diagnosis must not be blank')).toBeInTheDocument();
    expect(dialog.getByText('Reference: req-val-1')).toBeInTheDocument();
  });
});
