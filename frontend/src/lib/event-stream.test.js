import { describe, expect, it } from 'vitest';

import { createEventParser } from './event-stream';

function parse(chunks) {
  const events = [];
  const feed = createEventParser((event) => events.push(event));
  chunks.forEach(feed);
  return events;
}

describe('server-sent event parser', () => {
  it('reads named events and ignores keep-alive comments', () => {
    expect(
      parse([': keep-alive\n\n', 'event: grant\ndata: {"id":1}\n\n']),
    ).toEqual([{ type: 'grant', data: '{"id":1}' }]);
  });

  it('joins an event split across chunks, even inside a line', () => {
    expect(parse(['event: gr', 'ant\ndata: {"i', 'd":2}\n', '\n'])).toEqual([
      { type: 'grant', data: '{"id":2}' },
    ]);
  });

  it('joins several data lines and accepts CRLF line ends', () => {
    expect(parse(['data: a\r\ndata: b\r\n\r\n'])).toEqual([
      { type: 'message', data: 'a\nb' },
    ]);
  });

  it('waits for the blank line that ends an event', () => {
    expect(parse(['event: grant\ndata: {}\n'])).toEqual([]);
  });
});
