import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import { useEffect, useState } from 'react';

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
