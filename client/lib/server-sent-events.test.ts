import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { ServerSentEventParser, type ServerSentEvent } from './server-sent-events.ts';

function parse(...chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('server-sent events', () => {
  it('reads named events with their data, as the sync stream sends them', () => {
    expect(parse('event: resync\ndata: \n\nevent: change\ndata: {"collections":["students"]}\n\n')).to.deep.equal([
      { event: 'resync', data: '' },
      { event: 'change', data: '{"collections":["students"]}' },
    ]);
  });

  it('joins events split anywhere across chunks, CRLF and CR line ends included', () => {
    expect(parse('ev', 'ent: ping\r', '\ndata: a\r\n', '\r\n', 'data: b\rdata: c\r', '\r')).to.deep.equal([
      { event: 'ping', data: 'a' },
      { event: 'message', data: 'b\nc' },
    ]);
  });

  it('skips comments and events without data, and keeps the last event id', () => {
    expect(parse(': keep-alive\n\nevent: empty\n\nid: 7\ndata:x\n\n')).to.deep.equal([{ event: 'message', data: 'x', id: '7' }]);
  });

  it('waits for the blank line before dispatching', () => {
    expect(parse('event: change\ndata: {}\n')).to.deep.equal([]);
  });
});
