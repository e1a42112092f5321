/**
 * Starts the HealthSecure binary for the browser tests: a fresh temporary
 * data folder, new secrets, a free port on 127.0.0.1, and the built web app.
 * Everything it starts is stopped by `stop()`, also when a test fails.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30000;
const running = new Set();

function secret(bytes) {
  return randomBytes(bytes).toString('base64url');
}

/** Runs one CLI command against the server's database and returns its output. */
function runCli(bin, env, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, cwd: env.DATA_DIR });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`healthsecure ${args[0]} failed:\n${output}`)),
    );
    child.stdin.end(input ?? '');
  });
}

function waitForAddress(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the server did not start within 30 s')),
      START_TIMEOUT_MS,
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.message === 'listening' && entry.address) {
          clearTimeout(timer);
          resolve(entry.address);
        }
      } catch {
        // Not every line is JSON; only the listening line matters.
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before listening`));
    });
  });
}

/**
 * A server with its own database. `extraEnv` adds settings such as
 * IDLE_TIMEOUT; `cli()` runs subcommands on the same database.
 */
export function createServer({ bin, staticDir, extraEnv = {} }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'healthsecure-e2e-'));
  const env = {
    PATH: process.env.PATH,
    HOME: dataDir,
    ENVIRONMENT: 'development',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite://${dataDir}/healthsecure.db?mode=rwc`,
    JWT_SECRET: secret(48),
    PHI_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    BIND_ADDRESS: '127.0.0.1',
    SERVER_PORT: '0',
    STATIC_DIR: staticDir,
    LOGIN_RATE_LIMIT: '1000',
    RATE_LIMIT_REQUESTS: '5000',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  let child = null;
  const server = {
    env,
    dataDir,
    origin: null,
    cli: (args, input) => runCli(bin, env, args, input),
    async start() {
      child = spawn(bin, ['serve'], {
        env,
        cwd: dataDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.add(child);
      child.stderr.on('data', () => {});
      const address = await waitForAddress(child);
      server.origin = `http://${address}`;
      return server.origin;
    },
    async stop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Kills any server still running when the process is about to end. */
export function killAllServers() {
  for (const child of running) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  running.clear();
}
