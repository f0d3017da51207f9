/**
 * Server-Sent Events read from a `fetch` body (EventSource cannot send an Authorization
 * header). Follows the WHATWG parsing rules: lines end in CR, LF or CRLF; a blank line
 * dispatches; `data` lines join with LF; lines starting with `:` are comments.
 */

export interface ServerSentEvent {
  /** `message` when the server named none. */
  event: string;
  data: string;
  id?: string;
}

/**
 * A push parser: feed it decoded text in whatever pieces the network delivers, and it calls
 * `dispatch` once per complete event.
 */
export class ServerSentEventParser {
  private buffer = '';
  /** A chunk ended in CR: an LF starting the next chunk belongs to the same line end. */
  private pendingCarriageReturn = false;
  private eventType = '';
  private dataLines: string[] = [];
  private lastEventId: string | undefined;

  constructor(private readonly dispatch: (event: ServerSentEvent) => void) {}

  push(text: string): void {
    let input = text;
    if (this.pendingCarriageReturn && input.startsWith('\n')) input = input.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += input;
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end === -1) return;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (next === this.buffer.length) this.pendingCarriageReturn = true;
        else if (this.buffer[next] === '\n') next++;
      }
      this.buffer = this.buffer.slice(next);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.flush();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.dataLines.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    // `retry` is ignored: reconnection follows our own backoff.
  }

  private flush(): void {
    const eventType = this.eventType;
    const dataLines = this.dataLines;
    this.eventType = '';
    this.dataLines = [];
    // An event with no data line is not dispatched (the spec's rule); ours always carry one.
    if (dataLines.length === 0) return;
    this.dispatch({
      event: eventType || 'message',
      data: dataLines.join('\n'),
      ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}),
    });
  }
}
