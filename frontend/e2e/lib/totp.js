/**
 * Authenticator codes computed by the tests themselves (RFC 6238: HMAC-SHA-1,
 * 30-second steps, six digits), from the secret the server hands out, as a
 * phone app would. Each person's last used step is remembered, because the
 * server refuses a code whose step was already used.
 */
import { createHmac } from 'node:crypto';

const STEP_SECONDS = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeBase32(text) {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('the secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

export function currentStep() {
  return Math.floor(Date.now() / 1000 / STEP_SECONDS);
}

export function codeAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', decodeBase32(secret))
    .update(counter)
    .digest();
  const offset = hash[19] & 0xf;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code for `person` (with `totpSecret`) that the server accepts now: a
 * step later than any they used, within one step of the clock, and not in
 * the last seconds of its step.
 */
export async function nextCode(person) {
  for (;;) {
    const secondsIntoStep = (Date.now() / 1000) % STEP_SECONDS;
    const now = currentStep();
    const step = Math.max(now, (person.lastStep ?? -1) + 1);
    if (secondsIntoStep < STEP_SECONDS - 3 && step <= now + 1) {
      person.lastStep = step;
      return codeAt(person.totpSecret, step);
    }
    await sleep(1000);
  }
}
