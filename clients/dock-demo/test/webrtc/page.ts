// The browser side of a WebRTC call through the service's SDP route, bundled for the test page: the real Agents SDK's
// OpenAIRealtimeWebRTC transport posting its offer to POST /api/sessions/{id}/realtime/calls with the user's JWT,
// agents built from /api/session2 by the Dock (buildAgents), and the call's events recorded for the test to read.
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import { buildAgents, type InitialAgent } from '@agentdock/dock';

export interface CallStart {
  base: string;
  sessionId: string;
  token: string;
  model: string;
  agents: InitialAgent[];
}

export interface Connected {
  callId: string | undefined;
  status: string;
  peer: string | undefined;
  channel: string | undefined;
}

const events: Array<{ type: string; [key: string]: unknown }> = [];
let session: RealtimeSession | undefined;

async function start(opts: CallStart): Promise<Connected> {
  // the service runs the call's tools on its sideband: the SDK's own invocation answers nothing (as dock.voice does)
  const agents = buildAgents({ RealtimeAgent, tool }, opts.agents, async (name) => ({ name, ok: true, result: '' }));
  const serverTools = new Set(opts.agents.flatMap((a) => (a.tools ?? []).map((t) => t.name ?? '')));
  const transport = new OpenAIRealtimeWebRTC({
    baseUrl: `${opts.base}/api/sessions/${opts.sessionId}/realtime/calls`,
    useInsecureApiKey: true, // the "key" is the user's JWT: the service holds OpenAI's
  });
  const send = transport.sendFunctionCallOutput.bind(transport);
  transport.sendFunctionCallOutput = (call, output, startResponse) => {
    if (!serverTools.has(call.name)) send(call, output, startResponse);
  };
  session = new RealtimeSession(agents.values().next().value!, { transport, model: opts.model });
  session.on('transport_event', (e) => events.push(e as { type: string }));
  session.on('error', () => undefined);
  await session.connect({ apiKey: opts.token });
  return {
    callId: transport.callId,
    status: transport.status,
    peer: transport.connectionState.peerConnection?.connectionState,
    channel: transport.connectionState.dataChannel?.readyState,
  };
}

function stop(): void {
  session?.close();
  session = undefined;
}

Object.assign(window, { call: { start, stop, events } });
