/**
 * Debian's Chromium driven by playwright-core: one browser profile per
 * person, every request to another origin blocked and counted, an axe-core
 * check of the page, and screenshots into the test-output folder.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { nextCode } from './totp.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A fresh browser for one person. Requests that leave the test server's
 * origin are refused and listed in `blocked`.
 */
export async function openBrowser({ origin, profileRoot, name }) {
  const profile = path.join(profileRoot, name);
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15000);
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, blocked, close: () => context.close() };
}

/** Keeps the body of every response the page receives. */
export function recordResponses(page) {
  const pending = [];
  const bodies = [];
  page.on('response', (response) => {
    pending.push(
      response
        .body()
        .then((body) =>
          bodies.push({ url: response.url(), text: body.toString('utf8') }),
        )
        .catch(() => {}),
    );
  });
  return {
    bodies,
    settle: () => Promise.allSettled(pending),
  };
}

/** The serious and critical accessibility violations on the page now. */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((violation) => ['serious', 'critical'].includes(violation.impact))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join('; ')}`,
    );
}

export function screenshotter(outDir) {
  mkdirSync(outDir, { recursive: true });
  return async (page, name, { fullPage = true } = {}) => {
    const file = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage, animations: 'disabled' });
    return file;
  };
}

/** Signs in through the sign-in page and waits for the first section. */
export async function signIn(page, origin, person) {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  const login = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/auth/login') &&
      response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Sign in' }).click();
  const body = await (await login).json();
  if (body.mfa_required) {
    // The second step: a code computed from the person's authenticator secret.
    await page.getByLabel('Authentication code').fill(await nextCode(person));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return body;
}

/** Picks an option of an MUI select and waits until its menu has closed. */
export async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  // The menu fades out; checks run on the page only once it has gone.
  await page.locator('[role="listbox"]').waitFor({ state: 'detached' });
}
