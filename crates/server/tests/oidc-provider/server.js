// A real OpenID provider (the OpenID-certified `oidc-provider` package) for
// the single sign-on integration tests. Everything comes from the
// environment so that each test can run its own provider on a free
// loopback port:
//
//   OIDC_PORT            port to listen on (127.0.0.1 only)
//   OIDC_ISSUER          the issuer, exactly as clients will be configured
//                        with it (no trailing slash)
//   OIDC_CLIENT_ID       the one registered client, confidential and
//   OIDC_CLIENT_SECRET   required to use PKCE
//   OIDC_REDIRECT_URIS   comma-separated redirect URIs of that client
//   OIDC_ACCOUNTS        JSON object: login name -> claims (email,
//                        email_verified, name, groups); any other login
//                        name signs in as an account with no claims
//   OIDC_STOP_WITH_STDIN if set, stop when standard input closes, so a
//                        test run that ends in any way takes this along
//
// It prints "oidc-provider ready at <issuer>" once it accepts connections.

import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
}

const port = Number(required('OIDC_PORT'));
const issuer = required('OIDC_ISSUER');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

async function findAccount(_ctx, id) {
  const claims = Object.hasOwn(accounts, id) ? accounts[id] : {};
  return {
    accountId: id,
    async claims() {
      return { sub: id, ...claims };
    },
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: required('OIDC_CLIENT_ID'),
      client_secret: required('OIDC_CLIENT_SECRET'),
      redirect_uris: required('OIDC_REDIRECT_URIS').split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // The default requires PKCE only of public clients; this client is
  // confidential, and HealthSecure must send PKCE anyway.
  pkce: { required: () => true },
  // Put the requested profile claims in the ID token itself, as Google and
  // Entra ID do, rather than only at the userinfo endpoint.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  findAccount,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: { devInteractions: { enabled: true } },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ready at ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop);
if (process.env.OIDC_STOP_WITH_STDIN) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
