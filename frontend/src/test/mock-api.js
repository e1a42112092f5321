/**
 * A stand-in for the HealthSecure server at the axios adapter level. Routes
 * answer with canned bodies shaped like the API contract; every request is
 * recorded so that tests can check what was sent.
 */
import { AxiosError, AxiosHeaders } from 'axios';

import { apiClient } from '../lib/api-client';

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/:([a-z_]+)/gi, (_match, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
}

export function errorBody(
  code,
  error = 'Request refused',
  requestId = 'req-123',
) {
  return { error, code, request_id: requestId };
}

export function page(items, { page = 1, pageSize = 25, total } = {}) {
  return { items, page, page_size: pageSize, total: total ?? items.length };
}

export function createMockApi() {
  const routes = [];
  const requests = [];

  const adapter = async (config) => {
    const url = `${config.baseURL ?? ''}${config.url}`;
    const method = config.method.toUpperCase();
    const headers = AxiosHeaders.from(config.headers);
    const request = {
      method,
      path: url,
      query: { ...(config.params ?? {}) },
      body:
        typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
      headers,
      authorization: headers.get('Authorization') ?? null,
      withCredentials: Boolean(config.withCredentials),
    };
    requests.push(request);

    const route = routes.find((r) => r.method === method && r.regex.test(url));
    let answer = [404, errorBody('not_found', 'Not found')];
    if (route) {
      const values = route.regex.exec(url).slice(1);
      request.params = Object.fromEntries(
        route.names.map((n, i) => [n, values[i]]),
      );
      answer = await route.handler(request);
    }
    if (answer === 'network-error') {
      throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, {});
    }
    const [status, body, extraHeaders = {}] = answer;
    const response = {
      data: body === undefined ? '' : JSON.stringify(body),
      status,
      statusText: String(status),
      headers: AxiosHeaders.from({
        'content-type': 'application/json',
        'x-request-id': body?.request_id ?? 'req-header',
        ...extraHeaders,
      }),
      config,
      request: {},
    };
    if (status >= 200 && status < 300) return response;
    const code =
      status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
    throw new AxiosError(
      `Request failed with status code ${status}`,
      code,
      config,
      {},
      response,
    );
  };

  const api = {
    requests,
    on(method, pattern, handler) {
      const reply = typeof handler === 'function' ? handler : () => handler;
      routes.unshift({ method, ...compile(pattern), handler: reply });
      return api;
    },
    calls(method, path) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
    install() {
      apiClient.defaults.adapter = adapter;
      return api;
    },
  };
  return api;
}
