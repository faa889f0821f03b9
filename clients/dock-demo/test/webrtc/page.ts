// The browser side of a WebRTC call through the service's SDP route, bundled for the test page: `dock.voice.start`
// from the package as a page uses it (the browser default: WebRTC, its offer posted by the Dock with the user's JWT to
// POST /api/sessions/{id}/realtime/calls), and the call's events recorded for the test to read.
import type { RealtimeSession } from '@openai/agents-realtime';
import { createDock, DockError, type Dock } from '@agentdock/dock';

export interface CallStart {
  base: string;
  token: string;
  scenarioId: string;
  /** A session to continue (another user's: refused). */
  sessionId?: string;
}

export interface Connected {
  sessionId: string;
  callId: string | undefined;
  attached: string | undefined;
  status: string;
  peer: string | undefined;
  channel: string | undefined;
}

/** A refusal as the page saw it: the Dock's typed error, which page.evaluate would flatten into a message. */
export interface Refusal {
  dockError: boolean;
  status?: number;
  detail?: string;
  body?: string;
  message: string;
}

/** What the WebRTC transport exposes beyond RealtimeTransportLayer. */
interface WebRtcState {
  callId?: string;
  status: string;
  connectionState: { peerConnection?: RTCPeerConnection; dataChannel?: RTCDataChannel };
}

const events: Array<{ type: string; [key: string]: unknown }> = [];
let dock: Dock | undefined;

const dockFor = (opts: CallStart) => createDock({ baseUrl: opts.base, getToken: () => opts.token });

async function start(opts: CallStart): Promise<Connected> {
  dock = dockFor(opts);
  const call = await dock.voice.start({ scenarioId: opts.scenarioId, sessionId: opts.sessionId,
    onSession: (session: RealtimeSession) => session.on('transport_event', (e) => events.push(e as { type: string })) });
  const transport = call.session.transport as unknown as WebRtcState;
  return {
    sessionId: String(call.init.session_id),
    callId: transport.callId,
    attached: call.attached?.status,
    status: transport.status,
    peer: transport.connectionState.peerConnection?.connectionState,
    channel: transport.connectionState.dataChannel?.readyState,
  };
}

function refusal(e: unknown): Refusal {
  if (!(e instanceof DockError)) return { dockError: false, message: String(e) };
  return { dockError: true, status: e.status, detail: e.detail, body: JSON.stringify(e.body), message: e.message };
}

/** `start` expected to be refused. */
async function refused(opts: CallStart): Promise<Refusal | undefined> {
  return start(opts).then(() => undefined, refusal);
}

/** An offer that is not SDP, posted through the package's `voice.createCall`. */
async function notSdp(opts: CallStart & { sessionId: string }): Promise<Refusal | undefined> {
  return dockFor(opts).voice.createCall(opts.sessionId, 'hello').then(() => undefined, refusal);
}

function stop(): void {
  dock?.voice.stop();
  dock = undefined;
}

Object.assign(window, { call: { start, refused, notSdp, stop, events } });
