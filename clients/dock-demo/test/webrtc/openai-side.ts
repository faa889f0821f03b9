// OpenAI's side of a WebRTC call, for tests: the service's upstream (OPENAI_BASE_URL) is a small gateway that passes
// every request and socket through to the packaged jar's own simulator except the call creation. There it creates
// the call on the simulator (for the call id and Location, as OpenAI's would) and answers the browser's offer with a
// real RTCPeerConnection of a second Chromium page, whose `oai-events` data channel it bridges to a socket of that
// call on the simulator (`?call_id=`, a server key): the browser's data channel then speaks with the simulated model
// as it would with OpenAI's, and the service's sideband sees the same call.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Browser, Page } from 'playwright-core';

export const GATEWAY_KEY = 'sk-webrtc-gateway';

export interface OpenAiSide {
  /** The service's OPENAI_BASE_URL. */
  url: string;
  /** Where the simulator is (the jar's base URL), once the jar is up. */
  forwardTo(base: string): void;
  /** Offers the gateway answered with a real peer, by call id. */
  answered: string[];
  close(): Promise<void>;
}

const body = (req: IncomingMessage) => new Promise<Buffer>((ok, fail) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => ok(Buffer.concat(chunks))).on('error', fail);
});

/** The `sdp` field of a multipart/form-data body (what the service posts, as `curl -F` would). */
function sdpField(contentType: string, form: string): string {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const part = boundary && form.split(`--${boundary}`).find((p) => /name="sdp"/.test(p.split('\r\n\r\n')[0]));
  if (!part) throw new Error('no sdp field in the call request');
  return part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
}

/** In the "OpenAI" page: answers `offer`, and bridges the offer's data channel to the call's simulator socket. */
async function answer({ offer, socketUrl, key }: { offer: string; socketUrl: string; key: string }): Promise<string> {
  const pc = new RTCPeerConnection();
  (window as unknown as { peers: RTCPeerConnection[] }).peers.push(pc);
  pc.ondatachannel = ({ channel }) => {
    const ws = new WebSocket(socketUrl, ['realtime', `openai-insecure-api-key.${key}`]);
    const early: string[] = [];
    channel.onmessage = (m) => { if (ws.readyState === WebSocket.OPEN) ws.send(m.data); else early.push(m.data); };
    ws.onopen = () => { for (const m of early.splice(0)) ws.send(m); };
    ws.onmessage = (m) => { if (channel.readyState === 'open') channel.send(m.data); };
    ws.onclose = () => channel.close();
    channel.onclose = () => ws.close();
  };
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  // no trickle on this route: the answer carries the candidates (the browser's offer has none, as the SDK posts it)
  await new Promise<void>((ok) => {
    if (pc.iceGatheringState === 'complete') ok();
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') ok(); };
  });
  return pc.localDescription!.sdp;
}

export async function openAiSide(browser: Browser, pageUrl: string): Promise<OpenAiSide> {
  const context = await browser.newContext();
  const peerPage: Page = await context.newPage();
  await peerPage.goto(pageUrl);
  await peerPage.evaluate(() => { (window as unknown as { peers: unknown[] }).peers = []; });
  let simulator = '';
  const answered: string[] = [];

  const createCall = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const form = await body(req);
    const created = await fetch(`${simulator}/v1/realtime/calls`, {
      method: 'POST', body: new Uint8Array(form),
      headers: { 'content-type': String(req.headers['content-type']), authorization: String(req.headers.authorization) },
    });
    const location = created.headers.get('location');
    if (created.status !== 201 || !location) {
      res.writeHead(created.status, { 'content-type': created.headers.get('content-type') ?? 'text/plain' });
      res.end(await created.text());
      return;
    }
    const callId = location.split('/').pop()!;
    const socketUrl = `${simulator.replace(/^http/, 'ws')}/v1/realtime?call_id=${callId}`;
    const sdp = await peerPage.evaluate(answer, { offer: sdpField(String(req.headers['content-type']), form.toString()),
      socketUrl, key: GATEWAY_KEY });
    answered.push(callId);
    res.writeHead(201, { 'content-type': 'application/sdp', location });
    res.end(sdp);
  };

  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v1/realtime/calls') {
      createCall(req, res).catch((e: unknown) => { res.writeHead(502); res.end(String(e)); });
      return;
    }
    const target = new URL(req.url ?? '/', simulator);
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => { res.destroy(); });
    req.pipe(upstream);
  });
  // sockets (the service's sideband, a browser's socket): the upgrade passes through byte for byte
  server.on('upgrade', (req, client, head) => {
    const { hostname, port } = new URL(simulator);
    const upstream = connect(Number(port), hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    const drop = () => { client.destroy(); upstream.destroy(); };
    upstream.on('error', drop).on('close', drop);
    client.on('error', drop).on('close', drop);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    forwardTo: (base) => { simulator = base; },
    answered,
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await context.close();
    },
  };
}
