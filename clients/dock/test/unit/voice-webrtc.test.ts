// dock.voice.start over WebRTC with the real SDK's OpenAIRealtimeWebRTC on a fake peer connection (fake-webrtc.ts)
// and the service answered by a fake fetch: the offer goes to the session's SDP route through the Dock (token,
// headers, problem+json), not to OpenAI with a key.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDock, DockError } from '../../src/index.js';
import type { SessionInit } from '../../src/voice.js';
import { FakePeerConnection, OFFER, fakeMedia } from '../fake-webrtc.js';

const payload = {
  ...JSON.parse(readFileSync(resolve(import.meta.dirname, 'session2-retail.json'), 'utf8')) as SessionInit,
  history: [{ id: 'adh_1', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'earlier' }] }],
};
const SESSION = String(payload.session_id);
const CALLS = `/api/sessions/${SESSION}/realtime/calls`;
const ANSWER = 'v=0\r\ns=answer\r\n';

interface Seen { method: string; path: string; query: string; headers: Record<string, string>; body: unknown }

/** The service: session2, the SDP route (answering `offer`), the call's view; anything else is a 500. */
function service(offer: () => Response) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    seen.push({ method: init.method ?? 'GET', path: url.pathname, query: url.search,
      headers: init.headers as Record<string, string>,
      body: init.body });
    const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/session2') return json(payload);
    if (url.pathname === CALLS && init.method === 'POST') return offer();
    if (url.pathname === `${CALLS}/rtc_1`) return json({ call_id: 'rtc_1', session_id: SESSION, status: 'attached' });
    return new Response('unexpected', { status: 500 });
  };
  const dock = createDock({ baseUrl: 'http://dock.test', getToken: () => 'jwt-1', headers: { 'X-Dock': 'unit' }, fetch });
  return { dock, seen };
}

const answered = () => new Response(ANSWER, { status: 201,
  headers: { 'content-type': 'application/sdp', location: `${CALLS}/rtc_1` } });
const problem = (status: number, title: string, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify({ type: 'about:blank', title, status, detail: `${title} here` }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } });
const start = (dock: ReturnType<typeof createDock>, more: object = {}) => dock.voice.start({
  scenarioId: 'customer-service-retail', transport: 'webrtc', webrtc: fakeMedia, followSwitches: false, ...more });

describe('dock.voice.start over WebRTC through the service\'s SDP route', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    FakePeerConnection.made = [];
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    globalThis.fetch = realFetch;
  });

  it('posts the offer with the user\'s token, takes the answer and the call id from Location, and uses no key', async () => {
    const { dock, seen } = service(answered);
    let peersBefore = -1;
    const call = await start(dock, { onSession: () => { peersBefore = FakePeerConnection.made.length; } });
    try {
      expect(peersBefore).toBe(0); // onSession ran before the transport connected
      const posted = seen.filter((s) => s.method === 'POST');
      expect(posted).toHaveLength(1); // the offer; no attach: the service joined the call it created
      expect(posted[0]).toMatchObject({ path: CALLS, body: OFFER, headers: { Authorization: 'Bearer jwt-1',
        'Content-Type': 'application/sdp', 'X-Dock': 'unit' } });
      expect(JSON.stringify(seen)).not.toContain(payload.ephemeral_key!.value);
      // and none is minted for it
      expect(seen.find((s) => s.path === '/api/session2')!.query).toContain('mint_key=false');
      const peer = FakePeerConnection.made.at(-1)!;
      expect(peer.answer).toBe(ANSWER);
      expect((call.session.transport as { callId?: string }).callId).toBe('rtc_1');
      expect(call.attached).toMatchObject({ call_id: 'rtc_1', status: 'attached' });
      expect(globalThis.fetch).toBe(realFetch); // the offer was the only request taken
      const update = peer.channel.sent.find((e) => e.type === 'session.update'
        && typeof (e.session as { instructions?: unknown }).instructions === 'string');
      expect((update!.session as { instructions: string }).instructions).toBe(payload.initial_agents![0].instructions);
      // the service seeds the history on the call it holds
      expect(peer.channel.sent.filter((e) => e.type === 'conversation.item.create')).toEqual([]);
    } finally {
      call.stop();
    }
  });

  it('leaves a scenario tool to the service even without a call id (no Location): no /api/tools/execute, no output of its own, no history; a handoff is still the SDK\'s', async () => {
    const { dock, seen } = service(() => new Response(ANSWER, { status: 201 }));
    const call = await start(dock);
    try {
      expect(call.attached).toBeUndefined();
      expect((call.session.transport as { callId?: string }).callId).toBeUndefined();
      const channel = FakePeerConnection.made.at(-1)!.channel;
      const done = (name: string, callId: string) => channel.play({ type: 'response.output_item.done',
        event_id: `evt_${callId}`, response_id: `resp_${callId}`, output_index: 0, item: { id: `item_${callId}`,
          type: 'function_call', status: 'completed', name, call_id: callId, arguments: '{}', object: 'realtime.item' } });
      done('authenticate_customer', 'call_tool');
      done('transfer_to_returns', 'call_handoff');
      await vi.waitFor(() => expect(call.activeAgent).toBe('returns'));
      const outputs = channel.sent.filter((e) => e.type === 'conversation.item.create')
        .map((e) => (e.item as { call_id?: string }).call_id);
      expect(outputs).toContain('call_handoff');
      expect(outputs).not.toContain('call_tool');
      expect(outputs).not.toContain(undefined); // the history (a message) was not put on the call
      expect(seen.map((s) => s.path)).not.toContain('/api/tools/execute');
    } finally {
      call.stop();
    }
  });

  it('takes only the offer from the global fetch while connecting: the page\'s other requests pass untouched', async () => {
    const { dock, seen } = service(answered);
    const page: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
      page.push(`${init.method ?? 'GET'} ${String(input)}`);
      return new Response('{}');
    });
    const pageFetch = globalThis.fetch;
    const call = await start(dock, { webrtc: { ...fakeMedia, changePeerConnection: async (pc: RTCPeerConnection) => {
      await fetch('/relative', { method: 'POST' }); // during connect, before the offer
      await fetch(`http://dock.test${CALLS}`);
      return pc;
    } } });
    try {
      expect(page).toEqual(['POST /relative', `GET http://dock.test${CALLS}`]);
      expect(seen.filter((s) => s.path === CALLS)).toHaveLength(1); // the offer
      expect(globalThis.fetch).toBe(pageFetch);
    } finally {
      call.stop();
    }
  });

  it('surfaces the route\'s refusal as a DockError: 404 for another user\'s session, 503 with Retry-After', async () => {
    const notYours = service(problem(404, 'Not Found'));
    const refused = await start(notYours.dock).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DockError);
    expect(refused).toMatchObject({ status: 404, title: 'Not Found', detail: 'Not Found here' });
    expect(notYours.seen.map((s) => s.path)).not.toContain(`${CALLS}/rtc_1`);
    expect(globalThis.fetch).toBe(realFetch);

    const down = service(problem(503, 'Service Unavailable', { 'retry-after': '7' }));
    const unavailable = await start(down.dock).catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(DockError);
    expect(unavailable).toMatchObject({ status: 503, retryAfter: 7 });
  });

  it('offerTo \'openai\' keeps the older path: the offer to OpenAI with the ephemeral key, then the call id attached', async () => {
    const { dock, seen } = service(answered);
    const toOpenAi: Array<{ url: string; authorization: string }> = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
      toOpenAi.push({ url: String(input), authorization: (init.headers as Record<string, string>).Authorization });
      return new Response(ANSWER, { status: 201, headers: { location: '/v1/realtime/calls/rtc_openai' } });
    });
    const attach = vi.spyOn(dock.voice, 'attach').mockResolvedValue({ call_id: 'rtc_openai', status: 'attached' });
    const call = await start(dock, { offerTo: 'openai', url: 'http://openai.test/v1/realtime/calls' });
    try {
      expect(toOpenAi).toEqual([{ url: 'http://openai.test/v1/realtime/calls',
        authorization: `Bearer ${payload.ephemeral_key!.value}` }]);
      expect(attach).toHaveBeenCalledWith(SESSION, 'rtc_openai');
      expect(seen.map((s) => s.path)).not.toContain(CALLS);
      expect(seen.find((s) => s.path === '/api/session2')!.query).not.toContain('mint_key');
      expect(call.attached).toMatchObject({ call_id: 'rtc_openai' });
    } finally {
      call.stop();
    }
  });
});
