import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';

import { ROUTER_FUTURE } from '../app/app';
import { AppProviders } from '../app/app-providers';
import { AppRoutes } from '../app/app-routes';

import { loginBody } from './fixtures';

/**
 * Arranges a signed-in session the way a reload does: the refresh cookie is
 * exchanged for an access token, and /api/auth/me names the user.
 */
export function signedInAs(api, user) {
  api
    .on('POST', '/api/auth/refresh', [200, loginBody(user)])
    .on('GET', '/api/auth/me', [200, user]);
  return api;
}

/** Renders the whole app at `route`. */
export function renderApp(route = '/') {
  const user = userEvent.setup({ delay: null });
  const view = render(
    <MemoryRouter initialEntries={[route]} future={ROUTER_FUTURE}>
      <AppProviders>
        <AppRoutes />
      </AppProviders>
    </MemoryRouter>,
  );
  return { user, ...view };
}

/**
 * Puts text into a field at once, as a paste does; typing long text key by
 * key re-renders the form for every character and slows the suite down.
 */
export async function fillIn(user, field, text) {
  await user.click(field);
  await user.paste(text);
}
