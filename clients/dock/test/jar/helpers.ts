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

export async function until<T>(what: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
