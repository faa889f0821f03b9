/**
 * A server-sent events parser written to the WHATWG spec (§9.2.6), not to one server's habits: `event:`, `id:`,
 * `data:` (joined by "\n"), `retry:`, comments and unknown fields ignored, CR / LF / CRLF line ends, a BOM at the
 * start, a field without a colon, and one optional space after the colon. An event is dispatched at a blank line
 * only if it had data; an `id:` with a NUL is ignored; the last id sticks across events, as in EventSource.
 */
export interface SseMessage {
  /** The `event:` name, or "message" when the frame had none. */
  event: string;
  data: string;
  /** The last event id seen so far (the spec's "last event ID buffer"), or undefined before any. */
  id: string | undefined;
}

export class SseParser {
  private buffer = '';
  private started = false;
  private sawCr = false;
  private data: string[] = [];
  private eventName = '';
  private hasData = false;
  /** The last event id, kept across frames as EventSource does. */
  lastEventId: string | undefined;
  /** The server's `retry:` hint in ms, if any. */
  retry: number | undefined;

  /** Feeds a decoded chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const out: SseMessage[] = [];
    let text = chunk;
    // A CR at the end of the previous chunk may be the first half of a CRLF.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(this.buffer.slice(start, i), out);
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.sawCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The stream ended: an incomplete frame is discarded, as the spec says. */
  end(): void {
    this.buffer = '';
    this.data = [];
    this.hasData = false;
    this.eventName = '';
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.hasData) {
        out.push({ event: this.eventName || 'message', data: this.data.join('\n'), id: this.lastEventId });
      }
      this.data = [];
      this.hasData = false;
      this.eventName = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventName = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // unknown fields (a stray `content-type:` line, say) are ignored
        break;
    }
  }
}
