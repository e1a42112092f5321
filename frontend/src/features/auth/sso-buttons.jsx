import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';

import { sameOriginPath } from '../../lib/safe-url';

import { fetchProviders } from './auth-api';

const PROVIDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The address that starts single sign-on with one provider. The provider id
 * comes from the server, so it is checked before it becomes part of a link,
 * and the page to return to must stay on this site.
 */
export function ssoLoginHref(providerId, returnTo) {
  if (!PROVIDER_ID.test(providerId ?? '')) return null;
  const back = sameOriginPath(returnTo) ?? '/';
  const query = new URLSearchParams({ return_to: back });
  return `/api/auth/oidc/${providerId}/login?${query}`;
}

/** One button per configured provider; nothing when there are none. */
export function SsoButtons({ returnTo }) {
  const [providers, setProviders] = useState([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchProviders(controller.signal).then(setProviders);
    return () => controller.abort();
  }, []);

  const links = providers
    .map((provider) => ({
      id: provider.id,
      name: typeof provider.name === 'string' ? provider.name : provider.id,
      href: ssoLoginHref(provider.id, returnTo),
    }))
    .filter((provider) => provider.href);
  if (links.length === 0) return null;

  return (
    <Stack spacing={1.5} sx={{ mt: 3 }}>
      <Divider>or</Divider>
      {links.map((provider) => (
        <Button key={provider.id} variant="outlined" href={provider.href}>
          Sign in with {provider.name}
        </Button>
      ))}
    </Stack>
  );
}

/**
 * Why a single sign-on did not complete, from the `sso_error` code the
 * server adds when it sends the browser back to this page. The server's
 * audit trail keeps the precise reason; the person gets what they can act on.
 */
const SSO_ERRORS = {
  not_permitted:
    'Your organisation account is not linked to an active HealthSecure account. Ask an administrator to check your account.',
  provider_error:
    'Signing in with your organisation account did not complete. Try again, or sign in with your password.',
};
const SSO_ERROR_FALLBACK = 'Single sign-on did not complete. Please try again.';

export function SsoError() {
  const { search } = useLocation();
  const code = new URLSearchParams(search).get('sso_error');
  if (!code) return null;
  return (
    <Alert severity="error">{SSO_ERRORS[code] ?? SSO_ERROR_FALLBACK}</Alert>
  );
}
