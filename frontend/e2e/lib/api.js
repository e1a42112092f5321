/**
 * A small HTTP client for arranging test data through the public API, the
 * way an administrator or a clinician would, before the browser takes over.
 */
export class ApiSession {
  constructor(origin, body) {
    this.origin = origin;
    this.token = body.access_token;
    this.user = body.user;
    this.loginBody = body;
  }

  static async signIn(origin, email, password) {
    const response = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) {
      throw new Error(`sign-in of ${email} answered ${response.status}`);
    }
    return new ApiSession(origin, await response.json());
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
