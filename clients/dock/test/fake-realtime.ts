// A local stand-in for OpenAI's Realtime WebSocket: it records what the SDK sends (the upgrade's headers and every
// client event) and lets a test play server events, so the real @openai/agents-realtime runs against it unchanged.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';

export interface ClientEvent {
  type: string;
  [key: string]: unknown;
}

export class FakeRealtime {
  readonly received: ClientEvent[] = [];
  headers: IncomingMessage['headers'] | undefined;
  path: string | undefined;
  private socket: WebSocket | undefined;
  private readonly server: WebSocketServer;
  private waiters: Array<() => void> = [];

  private constructor(server: WebSocketServer) {
    this.server = server;
    server.on('connection', (ws, request) => {
      this.socket = ws;
      this.headers = request.headers;
      this.path = request.url;
      ws.on('message', (raw) => {
        this.received.push(JSON.parse(raw.toString()) as ClientEvent);
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((w) => w());
      });
      this.send({ type: 'session.created', event_id: 'evt_0', session: { id: 'sess_fake', type: 'realtime', object: 'realtime.session' } });
    });
  }

  static start(): Promise<FakeRealtime> {
    return new Promise((ok) => {
      const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, (): void => ok(new FakeRealtime(server)));
    });
  }

  get url(): string {
    const { port } = this.server.address() as { port: number };
    return `ws://127.0.0.1:${port}/v1/realtime`;
  }

  send(event: object): void {
    this.socket?.send(JSON.stringify(event));
  }

  /** Plays a finished function call from the model, as the Realtime API announces one. */
  callTool(name: string, args: object, callId = `call_${Math.random().toString(36).slice(2)}`): string {
    this.send({
      type: 'response.output_item.done', event_id: `evt_${callId}`, response_id: `resp_${callId}`, output_index: 0,
      item: { id: `item_${callId}`, type: 'function_call', status: 'completed', name, call_id: callId,
        arguments: JSON.stringify(args), object: 'realtime.item' },
    });
    return callId;
  }

  /** Starts a spoken answer (a response with one audio chunk), so there is something to interrupt. */
  speak(itemId = 'item_audio'): void {
    this.send({ type: 'response.created', event_id: 'evt_rc', response: { id: 'resp_audio', object: 'realtime.response', status: 'in_progress', output: [] } });
    this.send({ type: 'response.output_audio.delta', event_id: 'evt_ad', response_id: 'resp_audio', item_id: itemId,
      output_index: 0, content_index: 0, delta: Buffer.alloc(4800).toString('base64') });
  }

  /** Waits for the first client event after `from` that matches. */
  async next(match: (e: ClientEvent) => boolean, from = 0, timeoutMs = 5000): Promise<ClientEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(from).find(match);
      if (hit) return hit;
      if (Date.now() > deadline) {
        throw new Error(`no matching client event; got ${this.received.map((e) => e.type).join(', ')}`);
      }
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
  }

  close(): Promise<void> {
    for (const c of this.server.clients) c.terminate();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The tools of the SDK's last session.update, by name. */
export function sessionTools(update: ClientEvent): Map<string, Record<string, unknown>> {
  const session = update.session as { tools?: Array<Record<string, unknown>> };
  return new Map((session.tools ?? []).map((t) => [String(t.name), t]));
}
