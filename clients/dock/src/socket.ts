import { DockError } from './errors.js';
import type { SessionFrame, SocketFrame } from './events.js';
import type { Http, WebSocketInstance, WebSocketLike } from './http.js';

export interface EventsOptions {
  /** Resume after this frame id (e.g. one kept from an earlier page). */
  lastEventId?: string;
  /** Give up after this many sockets in a row that closed before the service answered (default 8). */
  maxUnanswered?: number;
  /** First reconnect delay (default 250 ms), doubled up to `maxDelayMs` (default 10 s), with jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

/** Close codes the service uses to refuse a socket, and what they mean here. */
const REFUSALS: Record<number, { status: number; title: string }> = {
  4401: { status: 401, title: 'Unauthorized' },
  4403: { status: 403, title: 'Forbidden' },
  4404: { status: 404, title: 'Not Found' },
};

/**
 * The orchestration socket of one session (or of all the caller's, with 'me'): typed frames as an async iterator
 * or through `on()`. A dropped socket reconnects with back-off and resumes after the last frame id, asking
 * `getToken` again each time, so a refreshed token loses no frames; a frame seen twice is given once.
 * A refusal (4403, 4404, or 4401 twice running after a fresh token) ends the stream with a DockError.
 */
export class EventStream implements AsyncIterable<SocketFrame> {
  lastEventId: string | undefined;
  /** Open, connecting or closed, for a status light. */
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  /** How many times the socket was opened (1 + reconnects). */
  connects = 0;

  private socket: WebSocketInstance | undefined;
  private closed = false;
  private failures = 0;
  private unauthorized = 0;
  private unanswered = 0;
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly listeners = new Set<(frame: SocketFrame) => void>();
  private readonly queue: SocketFrame[] = [];
  private waiter: { resolve: (r: IteratorResult<SocketFrame>) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly opened: Promise<void>;
  private markOpened!: () => void;
  private failOpen!: (e: unknown) => void;

  /** @internal */
  constructor(private readonly http: Http, private readonly target: string, private readonly options: EventsOptions,
              private readonly WebSocketImpl: WebSocketLike) {
    this.lastEventId = options.lastEventId;
    this.opened = new Promise((resolve, reject) => { this.markOpened = resolve; this.failOpen = reject; });
    this.opened.catch(() => undefined);
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
    void this.connect();
  }

  /** Resolves once the first socket is open (rejects if it was refused). */
  ready(): Promise<void> {
    return this.opened;
  }

  /** Calls `listener` for every frame; returns the unsubscribe function. */
  on(listener: (frame: SocketFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.state = 'closed';
    clearTimeout(this.timer);
    this.socket?.close(1000, 'closed by the client');
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<SocketFrame> {
    return {
      next: () => {
        const frame = this.queue.shift();
        if (frame) return Promise.resolve({ value: frame, done: false });
        if (this.failure !== undefined) return Promise.reject(this.failure);
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.state = 'connecting';
    const query: Record<string, string> = {};
    let token: string | undefined;
    try {
      token = await this.http.token();
    } catch (e) {
      this.fail(e);
      return;
    }
    if (token) query.access_token = token;
    const userId = this.http.options.headers?.['X-User-Id'];
    if (userId) query.user_id = userId;
    if (this.lastEventId) query.last_event_id = this.lastEventId;
    const path = this.target === 'me' ? '/ws/me' : `/ws/sessions/${encodeURIComponent(this.target)}`;
    const url = this.http.url(path, undefined, query).replace(/^http/, 'ws');
    if (this.closed) return;
    const ws = new this.WebSocketImpl(url);
    this.socket = ws;
    // A refused socket is accepted, then closed with 4401/4404: it is open only once the server answered a ping.
    let confirmed = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'ping' }));
    ws.onmessage = (ev) => {
      if (!confirmed) {
        confirmed = true;
        this.state = 'open';
        this.connects++;
        this.failures = 0;
        this.unauthorized = 0;
        this.unanswered = 0;
        this.markOpened();
        if (isPong(ev.data)) return;
      }
      this.frame(ev.data);
    };
    ws.onerror = () => undefined; // onclose follows and decides
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      if (this.closed) return;
      const refusal = REFUSALS[ev.code];
      if (refusal) {
        if (ev.code === 4401 && ++this.unauthorized < 2) {
          this.schedule(0); // one more try with a fresh token
          return;
        }
        this.fail(new DockError({ status: refusal.status, title: refusal.title, detail: ev.reason || undefined }));
        return;
      }
      // a handshake refused with an HTTP status reaches a page only as 1006: stop trying after a while
      if (!confirmed && ++this.unanswered >= (this.options.maxUnanswered ?? 8)) {
        this.fail(new DockError({ status: 0, title: 'socket refused',
          detail: `${this.unanswered} sockets in a row closed (last code ${ev.code}) before the service answered` }));
        return;
      }
      this.schedule();
    };
  }

  private schedule(delay?: number): void {
    this.state = 'connecting';
    const min = this.options.minDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 10_000;
    const wait = delay ?? Math.min(max, min * 2 ** this.failures++) * (0.75 + Math.random() * 0.5);
    this.timer = setTimeout(() => void this.connect(), wait);
  }

  private frame(data: unknown): void {
    let frame: SocketFrame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data)) as SocketFrame;
    } catch {
      return;
    }
    if ('id' in frame && typeof frame.id === 'string') {
      if (this.seen.has(frame.id)) return;
      this.remember(frame.id);
      this.lastEventId = frame.id;
    }
    for (const listener of this.listeners) listener(frame);
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: frame, done: false });
    } else {
      this.queue.push(frame);
      if (this.queue.length > 10_000) this.queue.shift(); // nobody iterates: keep memory bounded
    }
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > 1000) this.seen.delete(this.seenOrder.shift()!);
  }

  private fail(e: unknown): void {
    this.failure = e;
    this.failOpen(e);
    this.closed = true;
    this.state = 'closed';
    this.finish();
  }

  private finish(): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (!w) return;
    if (this.failure !== undefined) w.reject(this.failure);
    else w.resolve({ value: undefined, done: true });
  }
}

function isPong(data: unknown): boolean {
  try {
    return (JSON.parse(String(data)) as { type?: string }).type === 'pong';
  } catch {
    return false;
  }
}

/** Narrows a frame to a session event of one type. */
export function isSessionFrame<T extends SessionFrame['type']>(frame: SocketFrame, type?: T):
  frame is SessionFrame<T> {
  return 'id' in frame && 'session_id' in frame && (type === undefined || frame.type === type);
}
