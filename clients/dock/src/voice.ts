import type { OpenAIRealtimeWebRTCOptions, RealtimeAgent, RealtimeSession, RealtimeSessionOptions,
  RealtimeTransportLayer } from '@openai/agents-realtime';
import type { components } from './api.gen.js';
import type { AgentSwitchData, SocketFrame } from './events.js';
import { isSessionFrame, type EventStream } from './socket.js';

export type SessionInit = components['schemas']['SessionInitPayload'];
export type InitialAgent = components['schemas']['InitialAgent'];
export type ToolResult = components['schemas']['ToolResult'];
export type CallView = components['schemas']['CallView'];

export interface VoiceStartOptions {
  scenarioId: string;
  rootAgent?: string;
  /** A session to continue; sent as `session_id` (a service without voice attach starts a new one). */
  sessionId?: string;
  /**
   * 'webrtc' (the browser default) or 'websocket' (the Node default), or a transport of your own. 'webrtc' posts
   * its SDP offer to the service (`offerTo`); the others connect to OpenAI with `/api/session2`'s ephemeral key.
   */
  transport?: 'webrtc' | 'websocket' | RealtimeTransportLayer;
  /**
   * Where 'webrtc' posts its offer: 'service' (default) to `POST /api/sessions/{id}/realtime/calls`, which creates
   * the call on OpenAI with the server's key and joins it, so the browser uses no OpenAI key; 'openai' to OpenAI
   * with the ephemeral key, then the call id is posted to `…/realtime/call` (the older path).
   */
  offerTo?: 'service' | 'openai';
  /** More options of the WebRTC transport (the audio element to play into, a microphone stream of your own). */
  webrtc?: Pick<OpenAIRealtimeWebRTCOptions, 'audioElement' | 'mediaStream' | 'changePeerConnection'>;
  /** Where the transport connects (default: OpenAI's Realtime endpoint; not used with `offerTo: 'service'`). */
  url?: string;
  /** More options for `new RealtimeSession(...)`. */
  sessionOptions?: Partial<RealtimeSessionOptions>;
  /** Called with the session before it connects, to listen from its first event (`transport_event`, …). */
  onSession?: (session: RealtimeSession) => void;
  /** Follow the session's orchestration socket and apply `agent_switch` (default true). */
  followSwitches?: boolean;
  /**
   * The Realtime call id to report to the service, so it attaches to the call and runs its tools (default: the
   * transport's own `callId`, which the WebRTC transport has). Once attached, the model's tool calls are the
   * service's: the SDK neither posts them to /api/tools/execute nor sends their output (handoffs stay the SDK's).
   */
  callId?: string | (() => string | undefined);
  /**
   * Put `/api/session2`'s `history` (the continued session's recent turns) on the call when the service is not
   * attached to do it (default true).
   */
  seedHistory?: boolean;
}

export interface VoiceCall {
  init: SessionInit;
  session: RealtimeSession;
  agents: Map<string, RealtimeAgent>;
  /** The agent the call speaks as now (follows SDK handoffs and the service's agent_switch). */
  readonly activeAgent: string;
  /** The orchestration socket, when followed. */
  events: EventStream | undefined;
  /** `error` events of the session (the call's `error` events among them), oldest first; kept here so an error
   * the page does not listen for does not crash it (an EventEmitter's unheard `error` throws). */
  errors: unknown[];
  /** The service's view of the call once it attached (undefined: no call id was known, tools run from here). */
  attached: CallView | undefined;
  /** Makes `name` the active agent (what an agent_switch frame does). */
  switchTo(name: string): Promise<void>;
  mute(muted: boolean): void;
  interrupt(): void;
  stop(): void;
}

/** The SDK's pieces voice needs, loaded on first use so a text-only page does not carry them. */
interface Sdk {
  RealtimeAgent: typeof RealtimeAgent;
  RealtimeSession: typeof RealtimeSession;
  tool: typeof import('@openai/agents-realtime').tool;
  OpenAIRealtimeWebSocket: typeof import('@openai/agents-realtime').OpenAIRealtimeWebSocket;
  OpenAIRealtimeWebRTC: typeof import('@openai/agents-realtime').OpenAIRealtimeWebRTC;
}

export type ExecuteTool = (name: string, args: unknown) => Promise<ToolResult>;

/**
 * Builds the scenario's agents as the SDK wants them: `handoffDescription`, tools as SDK `tool()`s whose calls go
 * to the service, and handoffs resolved from names to the agent objects (in a second pass, so an agent may hand
 * off to one listed after it, cycles included). Root first, as the service lists them.
 */
export function buildAgents(sdk: Pick<Sdk, 'RealtimeAgent' | 'tool'>, initialAgents: InitialAgent[],
                            execute: ExecuteTool): Map<string, RealtimeAgent> {
  const byName = new Map<string, RealtimeAgent>();
  for (const spec of initialAgents) {
    const name = spec.name ?? '';
    if (!name) throw new TypeError('an initial agent has no name');
    if (byName.has(name)) throw new TypeError(`agent '${name}' appears twice`);
    const tools = (spec.tools ?? []).map((t) => sdk.tool({
      name: t.name ?? '',
      description: t.description ?? '',
      parameters: (t.parameters ?? { type: 'object', properties: {} }) as never,
      strict: false,
      execute: async (args: unknown) => {
        const result = await execute(t.name ?? '', args);
        return result.ok ? (result.result ?? '') : `error: ${result.error ?? 'the tool failed'}`;
      },
    }));
    byName.set(name, new sdk.RealtimeAgent({
      name,
      instructions: spec.instructions ?? '',
      handoffDescription: spec.handoff_description ?? '',
      voice: spec.voice ?? undefined,
      tools,
    }));
  }
  for (const spec of initialAgents) {
    const agent = byName.get(spec.name ?? '')!;
    agent.handoffs = (spec.handoffs ?? []).map((target) => {
      const to = byName.get(target);
      if (!to) throw new TypeError(`${spec.name}: handoff to unknown agent '${target}'`);
      return to;
    });
  }
  return byName;
}

export async function loadSdk(): Promise<Sdk> {
  const sdk = await import('@openai/agents-realtime');
  return { RealtimeAgent: sdk.RealtimeAgent, RealtimeSession: sdk.RealtimeSession, tool: sdk.tool,
    OpenAIRealtimeWebSocket: sdk.OpenAIRealtimeWebSocket, OpenAIRealtimeWebRTC: sdk.OpenAIRealtimeWebRTC };
}

/**
 * Runs `connect` with the WebRTC transport's offer POST to `url` (it uses the global fetch and sends only a bearer
 * key) going through `post` instead: the Dock's own request, with its token and headers, whose refusal is a
 * DockError that connect() rejects with. Only that one request is taken; the global fetch is put back at once.
 */
async function routeOffer<T>(url: string, post: (sdp: string, signal?: AbortSignal) => Promise<Response>,
                             connect: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  const href = new URL(url).href;
  const restore = () => { if (globalThis.fetch === routed) globalThis.fetch = original; };
  const routed: typeof fetch = (input, init) => {
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (init?.method !== 'POST' || target !== href) return original(input, init);
    restore();
    return post(String(init.body), init.signal ?? undefined);
  };
  globalThis.fetch = routed;
  try {
    return await connect();
  } finally {
    restore();
  }
}

/** @internal the body of `dock.voice.start`, with the service calls passed in. */
export async function startVoice(deps: {
  session2: (scenarioId: string, rootAgent?: string, sessionId?: string, mintKey?: boolean) => Promise<SessionInit>;
  execute: (name: string, args: unknown, sessionId: string) => Promise<ToolResult>;
  events: (sessionId: string) => EventStream;
  attach?: (sessionId: string, callId: string) => Promise<CallView>;
  /** The SDP route of a session, and the post of an offer to it (a refusal rejects as a DockError). */
  offer?: { url: (sessionId: string) => string; post: (sessionId: string, sdp: string, signal?: AbortSignal) => Promise<Response> };
  view?: (sessionId: string, callId: string) => Promise<CallView>;
}, options: VoiceStartOptions): Promise<VoiceCall> {
  const sdk = await loadSdk();
  const kind = options.transport ?? (typeof window === 'undefined' ? 'websocket' : 'webrtc');
  const viaService = kind === 'webrtc' && (options.offerTo ?? 'service') === 'service';
  if (viaService && !deps.offer) throw new TypeError("offerTo 'service' needs the service's SDP route (dock.voice.start)");
  // through the service, the page never needs an OpenAI key: none is minted
  const init = await deps.session2(options.scenarioId, options.rootAgent, options.sessionId, !viaService);
  const sessionId = String(init.session_id);
  let attached: CallView | undefined;
  const offer = viaService ? deps.offer : undefined;
  // the service runs the call's tools once it holds the call (from the start on its SDP route, else once attached):
  // the SDK's invocation is then a no-op whose output is not sent
  let serviceRuns = offer !== undefined;
  const agents = buildAgents(sdk, init.initial_agents ?? [], (name, args) => serviceRuns
    ? Promise.resolve({ name, ok: true, result: '' } as ToolResult)
    : deps.execute(name, args, sessionId));
  const serverTools = new Set((init.initial_agents ?? []).flatMap((a) => (a.tools ?? []).map((t) => t.name ?? '')));
  const root = agents.get(init.root_agent ?? '') ?? agents.values().next().value;
  if (!root) throw new TypeError('the service listed no agents for this scenario');
  const transport = kind === 'websocket' ? new sdk.OpenAIRealtimeWebSocket({ url: options.url })
    : kind === 'webrtc' ? new sdk.OpenAIRealtimeWebRTC({ ...(options.webrtc ?? {}),
      ...(offer ? { baseUrl: offer.url(sessionId), useInsecureApiKey: true } : {}) })
    : kind;
  const session = new sdk.RealtimeSession(root, {
    model: init.realtime_model,
    transport,
    ...(options.sessionOptions ?? {}),
  });
  const transportLayer = session.transport as RealtimeTransportLayer & { callId?: string };
  const send = transportLayer.sendFunctionCallOutput.bind(transportLayer);
  transportLayer.sendFunctionCallOutput = (toolCall, output, startResponse) => {
    if (serviceRuns && serverTools.has(toolCall.name)) return;
    send(toolCall, output, startResponse);
  };
  let active = root.name;
  const errors: unknown[] = [];
  session.on('error', (e) => { errors.push(e); });
  session.on('agent_handoff', (_context, _from, to) => { active = to.name; });
  options.onSession?.(session);
  if (offer) {
    // the "key" is never sent: the offer goes through the Dock with the user's token, and the service holds OpenAI's
    await routeOffer(offer.url(sessionId), (sdp, signal) => offer.post(sessionId, sdp, signal),
      () => session.connect({ apiKey: 'dock', model: init.realtime_model }));
  } else {
    await session.connect({ apiKey: init.ephemeral_key?.value ?? '', model: init.realtime_model,
      ...(options.url && kind !== 'websocket' ? { url: options.url } : {}) });
  }

  const callId = typeof options.callId === 'function' ? options.callId() : options.callId ?? transportLayer.callId;
  const join = offer ? deps.view : deps.attach;
  if (callId && join) {
    try {
      attached = await join(sessionId, callId);
      serviceRuns = true;
    } catch (e) {
      session.close();
      throw e;
    }
  }

  // continuity: the service on the call puts the session's history on it itself; without it, the client does
  // (the items keep their ids, so the service's timeline does not store them again)
  const history = (init as { history?: Array<Record<string, unknown>> }).history ?? [];
  if (!serviceRuns && (options.seedHistory ?? true)) {
    for (const item of history) {
      transportLayer.sendEvent({ type: 'conversation.item.create', item } as never);
    }
  }

  const switchTo = async (name: string): Promise<void> => {
    const agent = agents.get(name);
    if (!agent || name === active) return;
    await session.updateAgent(agent);
    active = name;
  };
  let events: EventStream | undefined;
  if (options.followSwitches ?? true) {
    events = deps.events(sessionId);
    events.on((frame: SocketFrame) => {
      if (isSessionFrame(frame, 'agent_switch')) {
        const to = (frame.data as AgentSwitchData).to;
        if (typeof to === 'string') void switchTo(to).catch(() => undefined);
      }
    });
  }
  return {
    init,
    session,
    agents,
    get activeAgent() { return active; },
    events,
    get attached() { return attached; },
    errors,
    switchTo,
    mute: (muted) => session.mute(muted),
    interrupt: () => session.interrupt(),
    stop: () => {
      events?.close();
      session.close();
    },
  };
}
