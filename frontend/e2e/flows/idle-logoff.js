/**
 * Automatic log-off on a server whose idle timeout is 20 seconds: the
 * warning with its countdown appears, then the session ends and the
 * sign-in page says why.
 */
import assert from 'node:assert/strict';

import { signIn } from '../lib/browser.js';

export async function idleLogoff(env, t, server, nurse) {
  const { page, blocked } = await env.open('idle', server.origin);
  const body = await signIn(page, server.origin, nurse);
  if (typeof body.idle_timeout_secs !== 'number') {
    t.skip(
      'SKIPPED: the server does not send idle_timeout_secs in the login answer yet',
    );
    return;
  }
  assert.equal(body.idle_timeout_secs, 20);
  const started = Date.now();

  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  await dialog.waitFor({ timeout: 20000 });
  await dialog.getByRole('timer').waitFor();
  await env.a11y(page, 'idle warning');
  await env.shot(page, '18-idle-warning');

  await page
    .getByText(/You were signed out after 20 seconds without activity/)
    .waitFor({ timeout: 20000 });
  const elapsed = (Date.now() - started) / 1000;
  assert.ok(elapsed >= 15 && elapsed < 30, `signed out after ${elapsed} s`);
  await env.shot(page, '19-idle-signed-out');

  // The sign-out revoked the session: a reload does not bring it back.
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(blocked, [], 'no request left the test server');
}
