import { inject } from 'vitest';
import WebSocket from 'ws';
import { createDock, type WebSocketLike } from '../../src/index.js';
import { token } from './jar.js';

export const baseUrl = () => inject('baseUrl');

export function user(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A Dock for `who`, with a token minted per request (as a page's getToken would refresh it). */
export function dockFor(who: string, extra: Partial<Parameters<typeof createDock>[0]> = {}) {
  let minted = 0;
  const dock = createDock({
    baseUrl: baseUrl(),
    getToken: () => { minted++; return token(who); },
    WebSocket: WebSocket as unknown as WebSocketLike,
    ...extra,
  });
  return Object.assign(dock, { tokensMinted: () => minted });
}

/** A fetch whose first streamed response is cut after `afterChunks` chunks, like a dropped connection. */
export function cuttingFetch(afterChunks: number): typeof fetch & { cuts: number } {
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    const isStream = response.headers.get('content-type')?.includes('text/event-stream');
    if (!isStream || wrapped.cuts > 0 || !response.body) return response;
    wrapped.cuts++;
    const reader = response.body.getReader();
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (n++ >= afterChunks) {
          void reader.cancel();
          controller.error(new TypeError('network connection lost'));
          return;
        }
        const { value, done } = await reader.read();
        if (done) controller.close(); else controller.enqueue(value);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  }) as typeof fetch & { cuts: number };
  wrapped.cuts = 0;
  return wrapped;
}

const LATE = Symbol('late');

/**
 * Polls `what` until it gives a value, for at most `timeoutMs` in all — an async `what` that never settles included —
 * then fails naming `label` and, if given, what `seen()` describes (so a failure says which step and what was there).
 */
export async function until<T>(what: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000,
                               label = 'a condition', seen?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = () => new Error(`timed out after ${timeoutMs} ms waiting for ${label}${seen ? `; seen: ${seen()}` : ''}`);
  for (;;) {
    const left = deadline - Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<typeof LATE>((ok) => { timer = setTimeout(() => ok(LATE), Math.max(0, left)); });
    const value = await Promise.race([Promise.resolve().then(what), late]).finally(() => clearTimeout(timer));
    if (value === LATE) throw timedOut();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw timedOut();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `promise`, or a failure naming `label` once `timeoutMs` has passed (a request that never answers). */
export function within<T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_ok, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms: ${label}`)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
