import { DockError } from './errors.js';
import { isTerminal, type RunEvent, type Usage } from './events.js';
import type { Http } from './http.js';
import { SseParser } from './sse.js';

/** How a turn ended. */
export interface RunResult {
  runId: string;
  sessionId: string;
  /** The terminal event's type: run_completed, run_cancelled, run_failed, run_paused, run_queued, guardrail_tripped. */
  outcome: RunEvent['type'];
  status: string | undefined;
  /** Every `delta.content` of the turn, in order: exactly what a page that rendered the stream showed. */
  text: string;
  /** The server's final text of a completed run. */
  outputText: string | undefined;
  lastSequence: number | undefined;
  usage: Usage | undefined;
  error: string | undefined;
  terminal: RunEvent;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Re-joins after a dropped connection (default 5); 0 turns re-join off. */
  maxRejoins?: number;
  /** The first re-join waits this long, doubling each time (default 250 ms, at most 5 s). */
  rejoinDelayMs?: number;
}

type Opener = (lastEventId: string | undefined, signal: AbortSignal) => Promise<Response>;

/**
 * One streamed turn: an async iterator of its run events (once), `result` (the end, whoever iterates), `stop()`.
 * The stream is read from the moment the turn is created. A connection that drops before the terminal event is
 * re-joined at `GET /api/runs/{id}/stream` with `Last-Event-ID`, so the events come out once and in order.
 */
export class ChatTurn implements AsyncIterable<RunEvent> {
  runId: string | undefined;
  sessionId: string | undefined;
  /** The id of the last event received (what a re-join resumes after). */
  lastEventId: string | undefined;
  /** The text shown so far (every `delta.content`). */
  text = '';
  /** How many times the stream was re-joined. */
  rejoins = 0;
  readonly result: Promise<RunResult>;

  private readonly queue: Array<IteratorResult<RunEvent>> = [];
  private waiter: ((r: IteratorResult<RunEvent>) => void) | undefined;
  private failure: unknown;
  private done = false;
  private lastSeq = -1;
  private readonly controller = new AbortController();
  private resolveResult!: (r: RunResult) => void;
  private rejectResult!: (e: unknown) => void;
  private stopping: Promise<void> | undefined;

  /** @internal */
  constructor(private readonly http: Http, private readonly agent: string | undefined, init: {
    runId?: string; sessionId?: string; open: Opener; options?: StreamOptions; lastEventId?: string;
  }) {
    this.runId = init.runId;
    this.sessionId = init.sessionId;
    this.lastEventId = init.lastEventId;
    this.result = new Promise<RunResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => undefined); // a caller who only iterates must not see an unhandled rejection
    const signal = init.options?.signal;
    if (signal) {
      if (signal.aborted) this.abort(signal.reason);
      else signal.addEventListener('abort', () => this.abort(signal.reason), { once: true });
    }
    void this.drive(init.open, init.options ?? {});
  }

  /**
   * Asks the service to stop the run (on whichever instance runs it) and keeps reading, so the turn still ends
   * with its `run_cancelled` and `text` stays exactly what was shown.
   */
  stop(): Promise<void> {
    if (this.done) return Promise.resolve();
    this.stopping ??= this.requestStop();
    return this.stopping;
  }

  private async requestStop(): Promise<void> {
    // until the first event names the session, the run can still be stopped by its id
    await this.firstEvent;
    if (!this.runId || (this.done && !this.aborted)) return;
    if (this.agent && this.sessionId) {
      // 409 run-finished: the run ended before the stop reached it; the turn still ends with what it streamed
      await this.http.json('post', '/api/agents/{agent}/stop', {
        path: { agent: this.agent }, body: { session_id: this.sessionId, run_id: this.runId },
      }).catch((e: unknown) => { if (!(e instanceof DockError && e.status === 409)) throw e; });
    } else {
      await this.http.json('post', '/api/runs/{run_id}/cancel', { path: { run_id: this.runId } })
        .catch((e: unknown) => { if (!(e instanceof DockError && e.status === 409)) throw e; });
    }
  }

  private firstEventSeen!: () => void;
  private readonly firstEvent = new Promise<void>((resolve) => { this.firstEventSeen = resolve; });

  [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    return {
      next: () => {
        const item = this.queue.shift();
        if (item) return Promise.resolve(item);
        if (this.failure !== undefined) return Promise.reject(this.failure);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiter = (r) => (this.failure !== undefined && r.done ? reject(this.failure) : resolve(r));
        });
      },
      return: () => {
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private emit(item: IteratorResult<RunEvent>): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(item);
    } else if (!item.done) {
      this.queue.push(item);
    }
  }

  private end(failure?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.firstEventSeen();
    if (failure !== undefined) {
      this.failure = failure;
      this.rejectResult(failure);
    }
    this.emit({ value: undefined, done: true });
  }

  private aborted = false;

  private abort(reason: unknown): void {
    if (this.done) return;
    this.aborted = true;
    void this.stop().catch(() => undefined);
    this.controller.abort(reason);
    this.end(reason ?? new DOMException('aborted', 'AbortError'));
  }

  private async drive(open: Opener, options: StreamOptions): Promise<void> {
    const maxRejoins = options.maxRejoins ?? 5;
    let delay = options.rejoinDelayMs ?? 250;
    let attempt = 0;
    let first = true;
    while (!this.done) {
      let response: Response;
      try {
        response = first ? await open(undefined, this.controller.signal) : await this.rejoin(this.controller.signal);
      } catch (e) {
        if (this.done) return;
        // a refusal is final; a network failure is worth a re-join if the run may exist
        if (e instanceof DockError || !this.runId || attempt >= maxRejoins) {
          if (!first && e instanceof DockError && e.status === 404 && this.lastEventId === undefined) {
            this.end(e);
            return;
          }
          this.end(e);
          return;
        }
        attempt++;
        await sleep(delay, this.controller.signal);
        delay = Math.min(delay * 2, 5000);
        first = false;
        continue;
      }
      first = false;
      const terminal = await this.read(response);
      if (terminal || this.done) return;
      if (!this.runId || attempt >= maxRejoins) {
        this.end(new DockError({ status: 0, title: 'stream ended', detail: 'the event stream ended before the run did' }));
        return;
      }
      attempt++;
      this.rejoins++;
      await sleep(delay, this.controller.signal);
      delay = Math.min(delay * 2, 5000);
    }
  }

  private rejoin(signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {};
    const query: Record<string, string> = {};
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    else query.after = '0';
    return this.http.send('get', this.http.url('/api/runs/{run_id}/stream', { run_id: this.runId! }, query), {
      headers, signal, accept: 'text/event-stream',
    });
  }

  /** Reads one connection; true when the run's terminal event arrived. */
  private async read(response: Response): Promise<boolean> {
    const body = response.body;
    if (!body) return false;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (this.accept(message.data, message.id)) {
            void reader.cancel().catch(() => undefined);
            return true;
          }
        }
      }
    } catch {
      // a dropped connection: the caller re-joins
    }
    return false;
  }

  /** Takes one frame; true when it was the terminal event. */
  private accept(data: string, id: string | undefined): boolean {
    let event: RunEvent;
    try {
      event = JSON.parse(data) as RunEvent;
    } catch {
      return false;
    }
    if (!event || typeof event.type !== 'string') return false;
    if (typeof event.event_seq === 'number') {
      if (event.event_seq <= this.lastSeq) return false; // already delivered before a re-join
      this.lastSeq = event.event_seq;
    }
    if (id !== undefined) {
      this.lastEventId = id;
      event.sse_id = id;
    }
    this.runId ??= event.run_id;
    this.sessionId ??= event.session_id;
    this.firstEventSeen();
    if (event.type === 'step_delta' && typeof event.delta?.content === 'string') this.text += event.delta.content;
    this.emit({ value: event, done: false });
    if (!isTerminal(event)) return false;
    const e = event as RunEvent & Record<string, unknown>;
    this.resolveResult({
      runId: event.run_id,
      sessionId: event.session_id,
      outcome: event.type,
      status: typeof e.status === 'string' ? e.status : undefined,
      text: this.text,
      outputText: typeof e.output_text === 'string' ? e.output_text : undefined,
      lastSequence: typeof e.last_sequence === 'number' ? e.last_sequence : undefined,
      usage: e.usage as Usage | undefined,
      error: typeof e.error === 'string' ? e.error : typeof e.reason === 'string' ? e.reason : undefined,
      terminal: event,
    });
    this.end();
    return true;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
