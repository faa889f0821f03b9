import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isSessionFrame, type SocketFrame, type WebSocketLike } from '../../src/index.js';
import { FakeRealtime, type ClientEvent } from '../fake-realtime.js';
import { dockFor, until, user } from './helpers.js';

/** ws sockets a test can cut, as a network would. */
function cuttableWebSocket() {
  const open: WebSocket[] = [];
  class Cuttable extends WebSocket {
    constructor(url: string) {
      super(url);
      open.push(this);
    }
  }
  return { Impl: Cuttable as unknown as WebSocketLike, cut: () => open.forEach((s) => s.terminate()), open };
}

describe('dock.events against the packaged jar', () => {
  it('delivers a turn\'s frames, and after a cut resumes from the last id with a fresh token, losing none', async () => {
    const who = user('socket');
    const sockets = cuttableWebSocket();
    const dock = dockFor(who, { WebSocket: sockets.Impl });
    const first = await dock.chat('assistant', { message: 'open the session' }).result;
    const events = dock.events(first.sessionId, { minDelayMs: 50 });
    const frames: SocketFrame[] = [];
    events.on((f) => frames.push(f));
    await events.ready();
    const tokensBefore = dock.tokensMinted();

    await dock.chat('assistant', { message: 'second', sessionId: first.sessionId }).result;
    await until(() => frames.some((f) => f.type === 'run_completed'));
    sockets.cut();
    // while the socket is down, another turn happens
    const third = await dock.chat('assistant', { message: 'third', sessionId: first.sessionId }).result;
    await until(() => frames.filter((f) => f.type === 'run_completed').length >= 2);
    expect(events.connects).toBeGreaterThanOrEqual(2);
    expect(dock.tokensMinted()).toBeGreaterThan(tokensBefore);
    const completed = frames.filter((f) => isSessionFrame(f, 'run_completed'));
    expect(completed.map((f) => (f as { data: { run_id?: string } }).data.run_id)).toContain(third.runId);
    const ids = frames.filter((f) => 'id' in f).map((f) => (f as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    events.close();
  });

  it('a socket to somebody else\'s session ends with a 404 DockError, not endless reconnects', async () => {
    const owner = dockFor(user('owner'));
    const theirs = await owner.chat('assistant', { message: 'mine' }).result;
    const stranger = dockFor(user('stranger'));
    const events = stranger.events(theirs.sessionId, { minDelayMs: 50 });
    const error = await events.ready().catch((e: unknown) => e) as { status?: number };
    expect(error.status).toBe(404);
    expect(events.state).toBe('closed');
  });

  it('a socket with a token the service refuses ends with a DockError instead of reconnecting forever', async () => {
    // the security gate refuses the handshake with HTTP 401, which a WebSocket client sees only as 1006
    const dock = dockFor(user('nobody'), { getToken: () => 'not.a.jwt' });
    const events = dock.events('me', { minDelayMs: 20, maxDelayMs: 50, maxUnanswered: 3 });
    const error = await events.ready().catch((e: unknown) => e) as { status?: number; title?: string };
    expect([0, 401]).toContain(error.status);
    expect(events.state).toBe('closed');
  });
});

describe('dock.voice.start against the packaged jar and a fake Realtime socket', () => {
  let fake: FakeRealtime;
  beforeEach(async () => { fake = await FakeRealtime.start(); });
  afterEach(() => fake.close());

  const instructions = (e: ClientEvent) => (e.session as { instructions?: string }).instructions;

  it('builds the scenario from /api/session2, runs tools through /api/tools/execute, and follows agent_switch', async () => {
    const dock = dockFor(user('voice'));
    const call = await dock.voice.start({ scenarioId: 'customer-service-retail', transport: 'websocket', url: fake.url });
    try {
      expect(call.init.root_agent).toBe('authentication');
      expect(fake.headers?.authorization).toBe(`Bearer ${call.init.ephemeral_key!.value}`);
      await fake.next((e) => e.type === 'session.update' && instructions(e) !== undefined);
      await call.events!.ready();

      let from = fake.received.length;
      const callId = fake.callTool('authenticate_customer', { phoneNumber: '+1 555 010 0199', dateOfBirth: '1988-02-29' });
      const output = await fake.next((e) => e.type === 'conversation.item.create'
        && (e.item as { type: string }).type === 'function_call_output', from);
      expect((output.item as { call_id: string }).call_id).toBe(callId);
      // the service's own tool answered (this caller is no known customer): its words, not a client-side failure
      expect((output.item as { output: string }).output).toMatch(/no customer matches/);

      from = fake.received.length;
      const decision = await dock.orchestrate({ session_id: call.init.session_id, scenario_id: 'customer-service-retail',
        current_agent: 'authentication', last_user_message: 'sales please: product stock, prices and the nearest store' });
      expect(decision.switched).toBe(true);
      const update = await fake.next((e) => e.type === 'session.update' && instructions(e) !== undefined, from);
      const target = call.init.initial_agents!.find((a) => a.name === decision.root_agent)!;
      expect(instructions(update)).toBe(target.instructions);
      await until(() => call.activeAgent === decision.root_agent);
    } finally {
      dock.voice.stop();
    }
  });
});
