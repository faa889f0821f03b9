// A stand-in for the browser's RTCPeerConnection in Node: enough of it for the SDK's OpenAIRealtimeWebRTC to make its
// offer, take the answer, open its `oai-events` channel and get its `session.update` acknowledged, so the real SDK
// runs dock.voice.start's WebRTC path unchanged. A test plays the call's server events on the channel.
import type { ClientEvent } from './fake-realtime.js';

export const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=fake offer\r\n';

export class FakeDataChannel extends EventTarget {
  readyState: 'connecting' | 'open' | 'closed' = 'connecting';
  readonly sent: ClientEvent[] = [];

  send(data: string): void {
    const event = JSON.parse(data) as ClientEvent;
    this.sent.push(event);
    if (event.type === 'session.update') {
      this.play({ type: 'session.updated', event_id: `evt_${this.sent.length}`,
        session: { id: 'sess_fake', type: 'realtime', object: 'realtime.session' } });
    }
  }

  /** A server event of the call, as the data channel delivers it. */
  play(event: object): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(event) }));
  }

  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  close(): void {
    this.readyState = 'closed';
  }
}

export class FakePeerConnection {
  /** Every peer connection made, newest last. */
  static made: FakePeerConnection[] = [];
  readonly channel = new FakeDataChannel();
  connectionState = 'new';
  onconnectionstatechange: (() => void) | null = null;
  ontrack: ((e: unknown) => void) | null = null;
  /** The answer given to setRemoteDescription. */
  answer: string | undefined;

  constructor() {
    FakePeerConnection.made.push(this);
  }

  createDataChannel(): FakeDataChannel {
    return this.channel;
  }

  addTrack(): void {}

  getSenders(): unknown[] {
    return [];
  }

  async createOffer(): Promise<{ type: 'offer'; sdp: string }> {
    return { type: 'offer', sdp: OFFER };
  }

  async setLocalDescription(): Promise<void> {}

  /** The answer opens the channel, as ICE and DTLS would. */
  async setRemoteDescription(description: { sdp?: string }): Promise<void> {
    this.answer = description.sdp;
    this.connectionState = 'connected';
    setTimeout(() => this.channel.open(), 0);
  }

  close(): void {
    this.connectionState = 'closed';
    this.channel.close();
  }
}

/** A microphone the transport can add (it takes `getAudioTracks()[0]`) and a place to play audio. */
export const fakeMedia = {
  mediaStream: { getAudioTracks: () => [{ enabled: true, stop: () => undefined }] } as unknown as MediaStream,
  audioElement: {} as HTMLAudioElement,
};
