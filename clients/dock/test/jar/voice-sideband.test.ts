// Voice with the real @openai/agents-realtime against the packaged jar's own simulator: the Dock builds the
// RealtimeSession from /api/session2, the SDK's WebSocket transport holds the browser's side of a simulated call,
// the Dock reports the call id and the service attaches over the call's sideband. The test plays the user through
// the simulator's hook (an utterance that makes the simulated model call a tool or hand off).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { DockError, isSessionFrame, type SocketFrame, type VoiceCall } from '../../src/index.js';
import { baseUrl, dockFor, until, user, within } from './helpers.js';

const SCENARIO = 'customer-service-retail';
const AUTHENTICATE = '[[tool:authenticate_customer {"phoneNumber":"2065550142","dateOfBirth":"1988-04-12"}]]';
const LOOKUP = '[[tool:lookup_order {"orderId":"ORD-1001"}]]';

const realtimeUrl = () => `${baseUrl().replace(/^http/, 'ws')}/v1/realtime?model=gpt-realtime`;

type ServerEvent = { type: string; [key: string]: unknown };
type Item = { id?: string; type?: string; call_id?: string; output?: string; name?: string };

/** The SDK's WebSocket transport on the simulator, keeping the call id the simulator answers the upgrade with. */
function simulatedTransport() {
  const seen = { callId: undefined as string | undefined, status: undefined as number | undefined };
  const transport = new OpenAIRealtimeWebSocket({
    url: realtimeUrl(),
    createWebSocket: async ({ url, apiKey }) => {
      const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}` } });
      ws.on('upgrade', (res) => { seen.callId = String(res.headers['x-sim-call-id'] ?? ''); });
      ws.on('unexpected-response', (_req, res) => { seen.status = res.statusCode; ws.terminate(); });
      return ws as never;
    },
  });
  return { transport, seen };
}

/** What the call sent the browser, as the SDK's transport saw it. */
function recorder(session: RealtimeSession) {
  const events: ServerEvent[] = [];
  session.on('transport_event', (e) => events.push(e as ServerEvent));
  return events;
}

async function say(callId: string, utterance: string): Promise<void> {
  const r = await fetch(`${baseUrl()}/v1/realtime/calls/${callId}/simulate`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ utterance }),
  });
  expect(r.status).toBe(200);
}

const outputs = (events: ServerEvent[], callId: string) => events
  .filter((e) => e.type === 'conversation.item.added')
  .map((e) => e.item as Item)
  .filter((i) => i.type === 'function_call_output' && i.call_id === callId);

const calledTool = (events: ServerEvent[], name: string) => events
  .filter((e) => e.type === 'response.function_call_arguments.done' && e.name === name)
  .map((e) => String(e.call_id));

describe('voice through the Dock, the real Agents SDK and the service on the call (packaged jar)', () => {
  let call: VoiceCall | undefined;
  afterEach(() => { call?.stop(); call = undefined; });

  async function start(who: string) {
    const dock = dockFor(who);
    const me: SocketFrame[] = [];
    const mine = dock.events('me', { minDelayMs: 50 });
    mine.on((f) => me.push(f));
    await mine.ready();
    const { transport, seen } = simulatedTransport();
    call = await dock.voice.start({ scenarioId: SCENARIO, transport, callId: () => seen.callId });
    const events = recorder(call.session);
    expect(seen.callId).toMatch(/^rtc_sim_/);
    expect(call.attached?.call_id).toBe(seen.callId);
    expect(call.attached?.status).toBe('attached');
    await call.events!.ready();
    return { dock, me, mine, callId: seen.callId!, events, call };
  }

  it('a tool the model calls is run by the service on its sideband: the output reaches the call once, the steps are stored', async () => {
    const who = user('voice-tool');
    const v = await start(who);
    try {
      await say(v.callId, `my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
      const toolCallId = await until(() => calledTool(v.events, 'authenticate_customer')[0]);
      const output = await until(() => outputs(v.events, toolCallId)[0]);
      expect(output.output).toContain('C-1001');
      // the SDK did not post the call to /api/tools/execute nor answer it itself: one output, the service's
      await until(() => v.events.some((e) => e.type === 'response.output_audio_transcript.done'
        && String(e.transcript).startsWith('The tool answered:')));
      expect(outputs(v.events, toolCallId)).toHaveLength(1);
      const result = await until(() => v.me.find((f) => isSessionFrame(f, 'tool_result')));
      expect((result as unknown as { data: object }).data).toMatchObject({ name: 'authenticate_customer', ok: true });

      const sessionId = String(v.call.init.session_id);
      const steps = await until(async () => {
        const page = await v.dock.steps(sessionId);
        return page.steps!.length >= 4 ? page.steps! : undefined;
      }, 15_000);
      expect(steps.map((s) => s.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
      expect(steps[0].content).toMatch(/^my number is 206 555 0142/);
      expect(steps[2].content).toContain('C-1001');
      expect(steps[2].tool_call_id).toBe(toolCallId);
      expect(steps[3].content).toMatch(/^The tool answered:/);
    } finally {
      v.mine.close();
    }
  });

  // Every wait is a named step with its own bound, all of them well inside the test's timeout, so a stall fails
  // naming the step and what the call had sent instead of a bare "test timed out". Each utterance waits until the
  // previous exchange is over on the call (the answer to the last output is done): the simulated model, like
  // OpenAI's, cancels a response in flight when the user speaks and plans the next one from the conversation as it
  // is then, so an utterance that overtakes the SDK's handoff tail (its transfer output and response.create) or the
  // service's response.create after a tool output makes the model answer something else than the test means.
  it('an SDK handoff reaches /ws/me as agent_switch, the next tool runs under the new agent; an orchestrated switch reaches the call and the client', async () => {
    const who = user('voice-handoff');
    const v = await start(who);
    const STEP = 6_000;
    const onCall = () => v.events.slice(-12).map((e) => e.type === 'conversation.item.added'
      ? `item.added:${(e.item as Item).type}:${(e.item as Item).name ?? ''}` : e.type).join(', ');
    const onMe = () => v.me.map((f) => f.type).join(', ') || 'nothing';
    const step = <T>(label: string, what: () => T | undefined | Promise<T | undefined>, seen = onCall) =>
      until(what, STEP, label, seen);
    /** The model's answer to the output of `toolCallId` is over: the next utterance interrupts nothing. */
    const answered = (toolCallId: string, what: string) => step(`the model's answer to ${what} to finish`, () => {
      const at = v.events.findIndex((e) => e.type === 'conversation.item.added'
        && (e.item as Item).type === 'function_call_output' && (e.item as Item).call_id === toolCallId);
      if (at < 0) return undefined;
      // the response that made the call may end after its output was added: the answer is the one quoting it
      const said = v.events.findIndex((e, i) => i > at && e.type === 'response.output_audio_transcript.done'
        && String(e.transcript).startsWith('The tool answered:'));
      return said >= 0 && v.events.slice(said).some((e) => e.type === 'response.done') ? true : undefined;
    });
    const sayNow = (utterance: string) => within(say(v.callId, utterance), STEP, `the simulator hearing "${utterance}"`);
    try {
      await sayNow(`my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
      const authenticate = await step('the authenticate_customer call', () => calledTool(v.events, 'authenticate_customer')[0]);
      await step('the service\'s authenticate_customer output on the call', () => outputs(v.events, authenticate)[0]);
      await answered(authenticate, 'authenticate_customer');

      await sayNow('I want to return something [[handoff:returns]]');
      const switched = await step('agent_switch on /ws/me', () => v.me.find((f) => isSessionFrame(f, 'agent_switch')), onMe);
      expect((switched as { data: object }).data).toMatchObject({ from: 'authentication', to: 'returns', decided_by: 'handoff',
        call_id: v.callId });
      await step('the Dock to follow the handoff', () => v.call.activeAgent === 'returns', () => v.call.activeAgent);
      const view = await within(v.dock.voice.view(String(v.call.init.session_id), v.callId), STEP, 'the call\'s view');
      expect(view.active_agent).toBe('returns');
      // the SDK's side of the handoff: its transfer output on the call, and the model's answer to it over
      const transfer = calledTool(v.events, 'transfer_to_returns')[0];
      expect(transfer).toBeTruthy();
      await step('the SDK\'s transfer_to_returns output on the call', () => outputs(v.events, transfer)[0]);
      await answered(transfer, 'transfer_to_returns');

      await sayNow(`where is my order ${LOOKUP}`);
      const lookup = await step('the lookup_order call', () => calledTool(v.events, 'lookup_order')[0]);
      expect((await step('the service\'s lookup_order output on the call', () => outputs(v.events, lookup)[0])).output)
        .toContain('TENT-2P');
      await answered(lookup, 'lookup_order');

      // /api/orchestrate: the service sends the new agent to the call; the client follows agent_switch
      const decision = await within(v.dock.orchestrate({ session_id: v.call.init.session_id, scenario_id: SCENARIO,
        last_user_message: 'sales please: product stock, prices and the nearest store' }), STEP, '/api/orchestrate');
      expect(decision.switched).toBe(true);
      const target = v.call.init.initial_agents!.find((a) => a.name === decision.root_agent)!;
      await step(`agent_switch to ${target.name} on /ws/me`, () => v.me.some((f) => isSessionFrame(f, 'agent_switch')
        && (f as unknown as { data: { to: string } }).data.to === target.name), onMe);
      await step(`the Dock to follow the switch to ${target.name}`, () => v.call.activeAgent === target.name,
        () => v.call.activeAgent);
      await step(`session.updated with ${target.name}'s instructions`, () => v.events.some((e) => e.type === 'session.updated'
        && (e.session as { instructions?: string }).instructions === target.instructions));
    } finally {
      v.mine.close();
    }
  }, 90_000);

  it('a dropped call resumes: session2 with the session id carries the history and the next call gets it', async () => {
    const who = user('voice-resume');
    const v = await start(who);
    const sessionId = String(v.call.init.session_id);
    try {
      await say(v.callId, `my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
      await until(async () => ((await v.dock.steps(sessionId)).steps!.length >= 4 ? true : undefined), 15_000);
      v.call.stop();

      const { transport, seen } = simulatedTransport();
      call = await v.dock.voice.start({ scenarioId: SCENARIO, sessionId, transport, callId: () => seen.callId });
      expect(String(call.init.session_id)).toBe(sessionId);
      const history = (call.init as { history?: Item[] }).history ?? [];
      expect(history.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
      // seeded while dock.voice.start attached: the SDK's own history has the earlier messages (it lists no function
      // calls it did not see made), and the assistant's follows the tool output on the call
      const resumed = call;
      const [said, , toolOutput, answered] = history;
      const seeded = await until(() => {
        const mine = resumed.session.history.filter((i) => i.itemId === said.id || i.itemId === answered.id);
        return mine.length === 2 ? mine : undefined;
      });
      expect(seeded.map((i) => i.itemId)).toEqual([said.id, answered.id]);
      expect((seeded[1] as { previousItemId?: string }).previousItemId).toBe(toolOutput.id);
      expect((await v.dock.steps(sessionId)).steps).toHaveLength(4);
    } finally {
      v.mine.close();
    }
  });
});

const OFFER = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendrecv', 'a=rtpmap:111 opus/48000/2',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sctp-port:5000', ''].join('\r\n');

describe('voice the service sets up, and voice without the service on the call (packaged jar)', () => {
  let call: VoiceCall | undefined;
  afterEach(() => { call?.stop(); call = undefined; });

  it('createCall: the service creates the call from the browser\'s SDP offer, answers the SDP and holds the call', async () => {
    const dock = dockFor(user('voice-sdp'));
    const init = await dock.voice.session2(SCENARIO);
    const sessionId = String(init.session_id);
    const created = await dock.voice.createCall(sessionId, OFFER);
    expect(created.answer).toMatch(/^v=0\r\n/);
    expect(created.answer).toContain('a=mid:1');
    expect(created.callId).toMatch(/^rtc_sim_/);
    expect(created.location).toContain(`/api/sessions/${sessionId}/realtime/calls/${created.callId}`);
    const view = await dock.voice.view(sessionId, created.callId);
    expect(view.status).toBe('attached');
    expect(view.held_by).toBeTruthy();

    // the service is on the call: the model's tool call is run and stored without any client code
    await say(created.callId, `my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
    const steps = await until(async () => {
      const page = await dock.steps(sessionId);
      return page.steps!.length >= 4 ? page.steps! : undefined;
    }, 15_000);
    expect(steps.map((s) => s.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(steps[2].content).toContain('C-1001');

    const bad = await dock.voice.createCall(sessionId, 'hello').catch((e: unknown) => e) as DockError;
    expect(bad).toBeInstanceOf(DockError);
    expect(bad.status).toBe(422);
    const theirs = await dockFor(user('voice-sdp-other')).voice.createCall(sessionId, OFFER)
      .catch((e: unknown) => e) as DockError;
    expect(theirs.status).toBe(404);
  });

  it('without the service attached, a continued session\'s history from session2 is put on the call by the client', async () => {
    const who = user('voice-seed');
    const dock = dockFor(who);
    // the history: a first call the service was on
    const first = simulatedTransport();
    call = await dock.voice.start({ scenarioId: SCENARIO, transport: first.transport, callId: () => first.seen.callId,
      followSwitches: false });
    const sessionId = String(call.init.session_id);
    await say(first.seen.callId!, `my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
    await until(async () => ((await dock.steps(sessionId)).steps!.length >= 4 ? true : undefined), 15_000);
    call.stop();

    // the next call: no call id reported, so nobody but the client can seed it
    const second = simulatedTransport();
    call = await dock.voice.start({ scenarioId: SCENARIO, sessionId, transport: second.transport,
      callId: () => undefined, followSwitches: false });
    // the seeding was sent before start returned; what the call answers arrives after this
    const seen = recorder(call.session);
    expect(call.attached).toBeUndefined();
    const history = (call.init as { history?: Item[] }).history ?? [];
    expect(history.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    const added = () => seen.filter((e) => e.type === 'conversation.item.added').map((e) => (e.item as Item).id);
    await until(() => history.every((h) => added().includes(h.id)));
    expect(added().filter((id) => history.some((h) => h.id === id))).toEqual(history.map((h) => h.id));
    // the SDK's own history has the messages (it lists no function call it did not see made)
    const resumed = call;
    await until(() => [history[0].id, history[3].id].every((id) => resumed.session.history.some((i) => i.itemId === id)));
    // the seeded turns answer nothing and are not stored again
    expect((await dock.steps(sessionId)).steps).toHaveLength(4);

    // seedHistory: false leaves the call empty
    call.stop();
    const third = simulatedTransport();
    call = await dock.voice.start({ scenarioId: SCENARIO, sessionId, transport: third.transport,
      callId: () => undefined, followSwitches: false, seedHistory: false });
    const events = recorder(call.session);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(events.filter((e) => e.type === 'conversation.item.added')).toHaveLength(0);
    expect(call.session.history).toHaveLength(0);
  });
});

describe('what voice gets refused (packaged jar)', () => {
  it('a key the simulator never issued, or one past its expiry, opens no call', async () => {
    for (const key of ['ek_sim_not_issued', await shortLivedKey()]) {
      const { transport, seen } = simulatedTransport();
      const session = new RealtimeSession(new RealtimeAgent({ name: 'x', instructions: 'x' }), { transport });
      const failed = await Promise.race([
        session.connect({ apiKey: key, model: 'gpt-realtime' }).then(() => 'connected', (e: unknown) => e),
        until(() => seen.status).then((s) => s),
      ]);
      session.close();
      expect(seen.status).toBe(401);
      expect(failed).not.toBe('connected');
    }
  }, 40_000);

  it('session2 for an unknown scenario, another caller\'s session, a bad token; attaching an unknown call', async () => {
    const owner = dockFor(user('voice-owner'));
    const theirs = await owner.voice.session2(SCENARIO);
    const e404 = await dockFor(user('voice-other')).voice.session2(SCENARIO, undefined, String(theirs.session_id))
      .catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(DockError);
    expect((e404 as DockError).status).toBe(404);
    const unknown = await owner.voice.start({ scenarioId: 'no-such-scenario', transport: simulatedTransport().transport })
      .catch((e: unknown) => e) as DockError;
    expect(unknown.status).toBe(404);
    const other = await owner.voice.session2('simple-handoff', undefined, String(theirs.session_id))
      .catch((e: unknown) => e) as DockError;
    expect(other.status).toBe(422);
    const badToken = await dockFor('x', { getToken: () => 'not.a.jwt' }).voice.session2(SCENARIO)
      .catch((e: unknown) => e) as DockError;
    expect(badToken.status).toBe(401);
    const gone = await owner.voice.attach(String(theirs.session_id), 'rtc_sim_never_opened').catch((e: unknown) => e) as DockError;
    expect(gone.status).toBe(422);
    expect(gone.detail).toMatch(/no open Realtime call/);
  });
});

/** A key minted at the simulator with its shortest lifetime (10 s), returned once it has expired. */
async function shortLivedKey(): Promise<string> {
  const r = await fetch(`${baseUrl()}/v1/realtime/client_secrets`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ expires_after: { anchor: 'created_at', seconds: 10 }, session: { type: 'realtime' } }),
  });
  const { value, expires_at } = await r.json() as { value: string; expires_at: number };
  await new Promise((ok) => setTimeout(ok, Math.max(0, expires_at * 1000 - Date.now()) + 1100));
  return value;
}
