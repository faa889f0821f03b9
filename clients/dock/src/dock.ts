import type { components } from './api.gen.js';
import { ChatTurn, type StreamOptions } from './chat.js';
import { DockError } from './errors.js';
import { Http, type DockOptions, type WebSocketLike } from './http.js';
import { EventStream, type EventsOptions } from './socket.js';
import { startVoice, type VoiceCall, type VoiceStartOptions } from './voice.js';

type S = components['schemas'];

export interface ChatOptions extends StreamOptions {
  message: string;
  sessionId?: string;
  /** The run's id; the client picks one when absent, so the turn can be stopped and re-joined from its start. */
  runId?: string;
  /** What the service does when this connection drops (default 'continue': the client re-joins). */
  onDisconnect?: 'stop' | 'continue';
  multitask?: 'reject' | 'interrupt' | 'rollback' | 'enqueue';
}

function uuid(): string {
  return globalThis.crypto.randomUUID();
}

/** The Dock's client: every call typed from the service's OpenAPI document. */
export function createDock(options: DockOptions) {
  const http = new Http(options);
  const WebSocketImpl = (): WebSocketLike => {
    const impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketLike }).WebSocket;
    if (!impl) throw new TypeError('no WebSocket here: pass createDock({ WebSocket }) (e.g. the ws package on Node 20)');
    return impl;
  };

  const events = (sessionId: string | 'me', opts: EventsOptions = {}) =>
    new EventStream(http, sessionId, opts, WebSocketImpl());
  const callsUrl = (sessionId: string) => http.url('/api/sessions/{session_id}/realtime/calls', { session_id: sessionId });
  const postOffer = (sessionId: string, offer: string, signal?: AbortSignal) => http.send('post', callsUrl(sessionId),
    { text: { body: offer, contentType: 'application/sdp' }, accept: 'application/sdp', signal });

  const dock = {
    http,

    /** One streamed turn of `agent`: iterate its events, await `result`, `stop()` it. */
    chat(agent: string, opts: ChatOptions): ChatTurn {
      const runId = opts.runId ?? uuid();
      const body: S['ChatRequestBody'] = { message: opts.message, session_id: opts.sessionId, run_id: runId };
      const url = http.url('/api/agents/{agent}/chat', { agent }, {
        on_disconnect: opts.onDisconnect ?? 'continue', multitask: opts.multitask,
      });
      return new ChatTurn(http, agent, {
        runId, sessionId: opts.sessionId, options: opts,
        open: (_last, signal) => http.send('post', url, { body, signal, accept: 'text/event-stream' }),
      });
    },

    /** Re-joins a run (live or finished) after `lastEventId`, or from its start. */
    rejoin(runId: string, opts: StreamOptions & { lastEventId?: string; agent?: string } = {}): ChatTurn {
      const turn: ChatTurn = new ChatTurn(http, opts.agent, {
        runId, options: opts, lastEventId: opts.lastEventId,
        open: (_last, signal) => http.send('get', http.url('/api/runs/{run_id}/stream', { run_id: runId },
          opts.lastEventId ? {} : { after: 0 }), {
          signal, accept: 'text/event-stream', headers: opts.lastEventId ? { 'Last-Event-ID': opts.lastEventId } : {},
        }),
      });
      return turn;
    },

    /** Regenerates from `sequence` (an assistant step is regenerated from the user step before it), streamed. */
    retry(sessionId: string, sequence: number, opts: StreamOptions & { agent?: string } = {}): ChatTurn {
      const body: S['SequenceBody'] = { sequence };
      const url = http.url('/api/sessions/{session_id}/retry', { session_id: sessionId }, { on_disconnect: 'continue' });
      return new ChatTurn(http, opts.agent, {
        sessionId, options: opts,
        open: (_last, signal) => http.send('post', url, { body, signal, accept: 'text/event-stream' }),
      });
    },

    fork: async (sessionId: string, sequence: number): Promise<{ new_session_id: string }> =>
      (await http.json('post', '/api/sessions/{session_id}/fork', {
        path: { session_id: sessionId }, body: { sequence },
      })) as { new_session_id: string },

    steps: (sessionId: string, query: { start_seq?: number; end_seq?: number; limit?: number } = {}) =>
      http.json('get', '/api/sessions/{session_id}/steps', { path: { session_id: sessionId }, query }),
    step: (sessionId: string, sequence: number) =>
      http.json('get', '/api/sessions/{session_id}/steps/{sequence}', { path: { session_id: sessionId, sequence } }),
    deleteSteps: (sessionId: string, startSeq: number) =>
      http.json('delete', '/api/sessions/{session_id}/steps', { path: { session_id: sessionId },
        query: { start_seq: startSeq } }),
    context: (sessionId: string) =>
      http.json('get', '/api/sessions/{session_id}/context', { path: { session_id: sessionId } }),
    summary: (sessionId: string) =>
      http.json('get', '/api/sessions/{session_id}/summary', { path: { session_id: sessionId } }),
    branches: (sessionId: string) =>
      http.json('get', '/api/sessions/{session_id}/branches', { path: { session_id: sessionId } }),

    sessions: {
      list: (agent: string, query: { page?: number; size?: number } = {}) =>
        http.json('get', '/api/agents/{agent}/sessions', { path: { agent }, query }),
      get: (agent: string, sessionId: string) =>
        http.json('get', '/api/agents/{agent}/sessions/{session_id}', { path: { agent, session_id: sessionId } }),
      runs: (sessionId: string) =>
        http.json('get', '/api/sessions/{session_id}/runs', { path: { session_id: sessionId } }),
    },

    runs: {
      get: (runId: string) => http.json('get', '/api/runs/{run_id}', { path: { run_id: runId } }),
      cancel: (runId: string) => http.json('post', '/api/runs/{run_id}/cancel', { path: { run_id: runId } }),
      approve: (runId: string, body: S['ApprovalBody']) =>
        http.json('post', '/api/runs/{run_id}/approve', { path: { run_id: runId }, body }),
    },

    scenarios: {
      list: () => http.json('get', '/api/scenarios'),
      get: (id: string) => http.json('get', '/api/scenarios/{id}', { path: { id } }),
    },

    tools: {
      list: () => http.json('get', '/api/tools'),
      execute: (body: S['ExecuteBody']) => http.json('post', '/api/tools/execute', { body }),
    },

    moderate: (body: S['ModerateBody']) => http.json('post', '/api/moderate', { body }),
    contextSnapshot: (body: S['SnapshotRequest']) => http.json('post', '/api/context/snapshot', { body }),
    orchestrate: (body: S['OrchestrateRequest']) => http.json('post', '/api/orchestrate', { body }),
    /** The Responses API proxy; the raw Response (JSON, or an event stream with `stream: true`). */
    responses: (body: { model: string; stream?: boolean; [key: string]: unknown }, signal?: AbortSignal) =>
      http.send('post', http.url('/api/responses'), { body, signal,
        accept: body.stream ? 'text/event-stream' : 'application/json' }),

    /** The orchestration socket of a session, or of all the caller's sessions with 'me'. */
    events,

    voice: {
      current: undefined as VoiceCall | undefined,
      /** `mintKey: false`: no ephemeral key (a call set up through the service's SDP route needs none). */
      session2: (scenarioId: string, rootAgent?: string, sessionId?: string, mintKey?: boolean) =>
        http.json('get', '/api/session2', { query: { scenario_id: scenarioId, root_agent: rootAgent,
          session_id: sessionId, mint_key: mintKey === false ? 'false' : undefined } }),
      /** The service joins the session's Realtime call `callId` (its sideband) and runs the call's tools. */
      attach: (sessionId: string, callId: string) => http.json('post', '/api/sessions/{session_id}/realtime/call',
        { path: { session_id: sessionId }, body: { call_id: callId } }),
      /** The service's view of the session's call `callId`: status, the instance holding it, the active agent. */
      view: (sessionId: string, callId: string) => http.json('get', '/api/sessions/{session_id}/realtime/calls/{call_id}',
        { path: { session_id: sessionId, call_id: callId } }),
      /**
       * The SDP-offer path: the service creates the session's call on OpenAI from the browser's offer, with the
       * server's key and the active agent's session config, joins it and answers OpenAI's SDP answer, so the browser
       * holds no key at all. `callId` is the last segment of `Location`, as the Agents SDK reads it.
       */
      createCall: async (sessionId: string, offer: string, signal?: AbortSignal): Promise<CreatedCall> => {
        const response = await postOffer(sessionId, offer, signal);
        const location = response.headers.get('Location') ?? '';
        return { callId: location.split('/').pop() ?? '', location, answer: await response.text() };
      },
      /** Tool calls of the session's voice calls waiting for a human (approval tools), oldest first. */
      approvals: (sessionId: string) => http.json('get', '/api/sessions/{session_id}/realtime/approvals',
        { path: { session_id: sessionId } }),
      /** Decides one of them: approved, the service runs it and sends its output to the call. */
      approve: (sessionId: string, callId: string, toolCallId: string, approved: boolean) => http.json('post',
        '/api/sessions/{session_id}/realtime/calls/{call_id}/approve',
        { path: { session_id: sessionId, call_id: callId }, body: { tool_call_id: toolCallId, approved } }),
      /**
       * `/api/session2` → the scenario's RealtimeAgents → a connected RealtimeSession that follows agent_switch. Over
       * WebRTC (the browser default) its offer goes to the session's SDP route with the user's token: the service
       * creates and joins the call, and no OpenAI key is used (`offerTo: 'openai'` for the ephemeral key instead).
       */
      async start(opts: VoiceStartOptions): Promise<VoiceCall> {
        const call = await startVoice({
          session2: dock.voice.session2,
          // a refusal (403 not allowed for this agent, 422 bad arguments) is the model's to read, not a stalled turn
          execute: (name, args, sessionId) => dock.tools.execute({ name, arguments: args as never, session_id: sessionId })
            .catch((e: unknown) => {
              if (e instanceof DockError) return { name, ok: false, error: `${e.status} ${e.detail ?? e.title}` };
              throw e;
            }),
          events: (sessionId) => events(sessionId),
          attach: (sessionId, callId) => dock.voice.attach(sessionId, callId),
          offer: { url: callsUrl, post: postOffer },
          view: (sessionId, callId) => dock.voice.view(sessionId, callId),
        }, opts);
        dock.voice.current = call;
        return call;
      },
      stop(): void {
        dock.voice.current?.stop();
        dock.voice.current = undefined;
      },
      mute: (muted: boolean) => dock.voice.current?.mute(muted),
      interrupt: () => dock.voice.current?.interrupt(),
    },
  };
  return dock;
}

export type Dock = ReturnType<typeof createDock>;

/** A call the service created from an SDP offer (`dock.voice.createCall`). */
export interface CreatedCall {
  callId: string;
  /** Where the service shows the call (`GET` it for status, holder and active agent). */
  location: string;
  /** OpenAI's SDP answer, for `RTCPeerConnection.setRemoteDescription({ type: 'answer', sdp })`. */
  answer: string;
}
