/**
 * A small HTTP client for arranging test data through the public API, the
 * way an administrator or a clinician would, before the browser takes over.
 */
import { nextCode } from './totp.js';

export class ApiSession {
  constructor(origin, body) {
    this.origin = origin;
    this.token = body.access_token;
    this.user = body.user;
    this.loginBody = body;
  }

  /**
   * Signs in; when the account needs a second factor, `person` (a staff
   * entry) supplies it: its authenticator secret, set up here on the first
   * sign-in that requires it, as the web app would.
   */
  static async signIn(origin, email, password, person = null) {
    const post = async (path, body) => {
      const response = await fetch(`${origin}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        throw new Error(`${path} for ${email} answered ${response.status}`);
      }
      return response.json();
    };
    const body = await post('/auth/login', { email, password });
    if (!body.mfa_required) return new ApiSession(origin, body);
    if (!person) throw new Error(`${email} needs a second factor`);
    const token = body.mfa_token;
    if (body.enrollment_required) {
      const setup = await post('/auth/mfa/enroll', { mfa_token: token });
      person.totpSecret = setup.secret;
      const done = await post('/auth/mfa/enroll/confirm', {
        mfa_token: token,
        code: await nextCode(person),
      });
      person.recoveryCodes = done.recovery_codes;
      return new ApiSession(origin, done);
    }
    const code = await nextCode(person);
    return new ApiSession(
      origin,
      await post('/auth/mfa', { mfa_token: token, code }),
    );
  }

  async call(method, path, body) {
    const response = await fetch(`${this.origin}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, body: json };
  }

  async ok(method, path, body) {
    const answer = await this.call(method, path, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} answered ${answer.status}`);
    }
    return answer.body;
  }
}
