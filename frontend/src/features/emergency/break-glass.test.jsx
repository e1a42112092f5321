import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { grant, patientForNurse, users } from '../../test/fixtures';
import { createMockApi, errorBody, page } from '../../test/mock-api';
import { renderApp, signedInAs } from '../../test/render-app';

const REASON = 'Collapsed in the corridor, needs medication history now.';

let api;
let active;

beforeEach(() => {
  active = [];
  api = createMockApi().install();
  signedInAs(api, users.nurse)
    .on('GET', '/api/emergency/active', () => [200, active])
    .on('POST', '/api/emergency/request', [
      201,
      {
        id: 5,
        access_token: 'one-time',
        expires_at: grant().expires_at,
        patient_id: 99,
      },
    ])
    .on('POST', '/api/emergency/activate/:token', () => {
      active = [grant()];
      return [200, grant()];
    });
});

async function fillRequest(user, { patientId, reason = REASON } = {}) {
  if (patientId) {
    await user.type(await screen.findByLabelText(/patient number/i), patientId);
  }
  await user.click(await screen.findByRole('combobox', { name: /reason/i }));
  await user.click(
    await screen.findByRole('option', { name: 'Emergency treatment' }),
  );
  if (reason) {
    await user.click(screen.getByLabelText(/justification/i));
    await user.paste(reason);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the emergency banner', () => {
  it('counts down while a grant is active and disappears when it expires', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    active = [grant({ patient_id: 12 }, 0.1)];
    api.on('GET', '/api/patients', [200, page([])]);
    renderApp('/patients');

    const banner = await screen.findByRole('region', {
      name: 'Emergency access',
    });
    expect(banner).toHaveTextContent(/patient 12/);
    expect(within(banner).getByRole('timer')).toHaveTextContent(/^0:0[56]$/);
    expect(
      within(banner).getByRole('link', { name: 'Open patient' }),
    ).toHaveAttribute('href', '/patients/12');

    await act(() => vi.advanceTimersByTimeAsync(7000));

    expect(
      screen.queryByRole('region', { name: 'Emergency access' }),
    ).not.toBeInTheDocument();
  });
});

describe('polling for active grants', () => {
  it('reads once when the clinician holds none, so the audit trail is not flooded', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    api.on('GET', '/api/patients', [200, page([])]);
    renderApp('/patients');
    await screen.findByRole('heading', { name: 'Patients', level: 1 });

    await act(() => vi.advanceTimersByTimeAsync(5 * 60000));

    expect(api.calls('GET', '/api/emergency/active')).toHaveLength(1);
  });

  it('reads every minute while a grant is live', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    active = [grant()];
    api.on('GET', '/api/patients', [200, page([])]);
    renderApp('/patients');
    await screen.findByRole('region', { name: 'Emergency access' });

    await act(() => vi.advanceTimersByTimeAsync(3 * 60000 + 500));

    expect(api.calls('GET', '/api/emergency/active')).toHaveLength(4);
  });
});

describe('breaking the glass', () => {
  it('counts the justification as it is typed and refuses fewer than 20 characters', async () => {
    const { user } = renderApp('/emergency');
    await fillRequest(user, { patientId: '99', reason: '' });
    const justification = screen.getByLabelText(/justification/i);
    const counter = screen.getByTestId('reason-counter');
    expect(counter).toHaveTextContent('0 / 1000 characters, 20 more needed');

    await user.type(justification, 'Too short');
    expect(counter).toHaveTextContent('9 / 1000 characters, 11 more needed');
    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );

    expect(
      await screen.findByText('Explain why in at least 20 characters.'),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/request')).toHaveLength(0);

    await user.type(justification, ' to be useful at all');
    expect(counter).toHaveTextContent('29 / 1000 characters');
  });

  it('refuses a justification over 1000 characters', async () => {
    const { user } = renderApp('/emergency');
    await fillRequest(user, { patientId: '99', reason: '' });
    const justification = screen.getByLabelText(/justification/i);
    await user.click(justification);
    await user.paste('x'.repeat(1001));

    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );

    expect(
      await screen.findByText(
        'Keep the justification to 1000 characters at most.',
      ),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/request')).toHaveLength(0);
  });

  it('confirms that the access is logged and reviewed, activates it and opens the patient', async () => {
    api.on('GET', '/api/patients/99', () =>
      active.length ? [200, patientForNurse] : [403, errorBody('forbidden')],
    );
    const { user } = renderApp('/emergency');
    await fillRequest(user, { patientId: '99' });

    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Confirm emergency access',
    });
    expect(dialog).toHaveTextContent(/logged/);
    expect(dialog).toHaveTextContent(/administrators are told at once/);
    expect(dialog).toHaveTextContent(/review it/);
    expect(api.calls('POST', '/api/emergency/request')).toHaveLength(0);
    await user.click(
      within(dialog).getByRole('button', { name: 'Open the record' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/request')[0].body).toEqual({
      patient_id: 99,
      reason_category: 'emergency_treatment',
      reason: REASON,
    });
    expect(api.calls('POST', '/api/emergency/activate/one-time')).toHaveLength(
      1,
    );
    const banner = await screen.findByRole('region', {
      name: 'Emergency access',
    });
    expect(banner).toHaveTextContent(
      /Emergency access to patient 99 is active/,
    );
    expect(within(banner).getByRole('timer')).toHaveTextContent(
      /^(1:00:00|59:\d\d)$/,
    );
  });

  it('asks the clinician to confirm who they are when the sign-in is not recent, then carries on', async () => {
    api.on('GET', '/api/patients/99', () =>
      active.length ? [200, patientForNurse] : [403, errorBody('forbidden')],
    );
    let confirmed = false;
    api.on('POST', '/api/emergency/request', () =>
      confirmed
        ? [
            201,
            {
              id: 5,
              access_token: 'one-time',
              expires_at: grant().expires_at,
              patient_id: 99,
            },
          ]
        : [403, errorBody('reauth_required')],
    );
    api.on('POST', '/api/auth/reauth', (request) => {
      if (request.body.password !== 'the right password') {
        return [403, errorBody('forbidden')];
      }
      confirmed = true;
      return [204];
    });
    const { user } = renderApp('/emergency');
    await fillRequest(user, { patientId: '99' });
    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );
    await user.click(
      within(
        await screen.findByRole('dialog', { name: 'Confirm emergency access' }),
      ).getByRole('button', { name: 'Open the record' }),
    );

    const stepUp = await screen.findByRole('dialog', {
      name: 'Confirm it is you',
    });
    await user.type(within(stepUp).getByLabelText(/^Password/), 'wrong');
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await within(stepUp).findByText(/not correct/)).toBeInTheDocument();
    await user.type(
      within(stepUp).getByLabelText(/^Password/),
      'the right password',
    );
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/request')).toHaveLength(2);
    expect(api.calls('POST', '/api/auth/reauth').at(-1).body).toEqual({
      password: 'the right password',
    });
    expect(api.calls('POST', '/api/emergency/activate/one-time')).toHaveLength(
      1,
    );
  });

  it('offers emergency access on the refused page and then shows the patient', async () => {
    api.on('GET', '/api/patients/99', () =>
      active.length ? [200, patientForNurse] : [403, errorBody('forbidden')],
    );
    const { user } = renderApp('/patients/99');

    await user.click(
      await screen.findByRole('button', { name: 'Request emergency access' }),
    );
    expect(screen.getByText('Patient number')).toHaveTextContent(
      'Patient number 99',
    );
    await fillRequest(user);
    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Open the record' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Alva Dickinson' }),
    ).toBeInTheDocument();
    expect(api.calls('POST', '/api/emergency/request')[0].body.patient_id).toBe(
      99,
    );
  });

  it('says in plain words that a clinician already on the care team needs no emergency access', async () => {
    api.on('POST', '/api/emergency/request', [
      409,
      errorBody('conflict', 'already assigned', 'req-409'),
    ]);
    const { user } = renderApp('/emergency');
    await fillRequest(user, { patientId: '99' });
    await user.click(
      screen.getByRole('button', { name: 'Request emergency access' }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Open the record' }),
    );

    expect(
      await screen.findByText(/already on this patient’s care team/),
    ).toBeInTheDocument();
    expect(screen.getByText('Reference: req-409')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('already assigned');
  });
});
