import { vi } from 'vitest';

/**
 * Replaces fetch with a server-sent event stream the test writes to:
 * `send(type, data)` delivers one event on the newest open stream. Each
 * call of fetch opens a new stream; an aborted one closes.
 */
export function stubEventStream() {
  const encoder = new TextEncoder();
  const streams = [];
  const fetchStub = vi.fn(async (_url, { signal }) => {
    const body = new ReadableStream({
      start(controller) {
        streams.push(controller);
        signal.addEventListener('abort', () => controller.close());
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);
  const send = (type, data) =>
    streams
      .at(-1)
      .enqueue(
        encoder.encode(
          `event: ${type}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
        ),
      );
  return { fetchStub, send };
}
