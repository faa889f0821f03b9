import type { RealtimeAgent, RealtimeSession, RealtimeSessionOptions, RealtimeTransportLayer } from '@openai/agents-realtime';
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
  /** 'webrtc' (the browser default) or 'websocket' (the Node default), or a transport of your own. */
  transport?: 'webrtc' | 'websocket' | RealtimeTransportLayer;
  /** Where the transport connects (default: OpenAI's Realtime endpoint). */
  url?: string;
  /** More options for `new RealtimeSession(...)`. */
  sessionOptions?: Partial<RealtimeSessionOptions>;
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
    OpenAIRealtimeWebSocket: sdk.OpenAIRealtimeWebSocket };
}

/** @internal the body of `dock.voice.start`, with the service calls passed in. */
export async function startVoice(deps: {
  session2: (scenarioId: string, rootAgent?: string, sessionId?: string) => Promise<SessionInit>;
  execute: (name: string, args: unknown, sessionId: string) => Promise<ToolResult>;
  events: (sessionId: string) => EventStream;
  attach?: (sessionId: string, callId: string) => Promise<CallView>;
}, options: VoiceStartOptions): Promise<VoiceCall> {
  const sdk = await loadSdk();
  const init = await deps.session2(options.scenarioId, options.rootAgent, options.sessionId);
  const sessionId = String(init.session_id);
  let attached: CallView | undefined;
  // an attached service runs the call's tools itself; the SDK's invocation is then a no-op whose output is not sent
  const agents = buildAgents(sdk, init.initial_agents ?? [], (name, args) => attached
    ? Promise.resolve({ name, ok: true, result: '' } as ToolResult)
    : deps.execute(name, args, sessionId));
  const serverTools = new Set((init.initial_agents ?? []).flatMap((a) => (a.tools ?? []).map((t) => t.name ?? '')));
  const root = agents.get(init.root_agent ?? '') ?? agents.values().next().value;
  if (!root) throw new TypeError('the service listed no agents for this scenario');
  const transport = options.transport === 'websocket'
    ? new sdk.OpenAIRealtimeWebSocket({ url: options.url })
    : options.transport ?? (typeof window === 'undefined' ? 'websocket' : 'webrtc');
  const session = new sdk.RealtimeSession(root, {
    model: init.realtime_model,
    transport: transport as never,
    ...(options.sessionOptions ?? {}),
  });
  let active = root.name;
  const errors: unknown[] = [];
  session.on('error', (e) => { errors.push(e); });
  session.on('agent_handoff', (_context, _from, to) => { active = to.name; });
  await session.connect({ apiKey: init.ephemeral_key?.value ?? '', model: init.realtime_model,
    ...(options.url && options.transport !== 'websocket' ? { url: options.url } : {}) });

  const transportLayer = session.transport as RealtimeTransportLayer & { callId?: string };
  const callId = typeof options.callId === 'function' ? options.callId() : options.callId ?? transportLayer.callId;
  if (callId && deps.attach) {
    const send = transportLayer.sendFunctionCallOutput.bind(transportLayer);
    transportLayer.sendFunctionCallOutput = (toolCall, output, startResponse) => {
      if (attached && serverTools.has(toolCall.name)) return;
      send(toolCall, output, startResponse);
    };
    try {
      attached = await deps.attach(sessionId, callId);
    } catch (e) {
      session.close();
      throw e;
    }
  }

  // continuity: an attached service puts the session's history on a new call itself; without it, the client does
  // (the items keep their ids, so the service's timeline does not store them again)
  const history = (init as { history?: Array<Record<string, unknown>> }).history ?? [];
  if (!attached && (options.seedHistory ?? true)) {
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
