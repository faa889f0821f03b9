export { createDock, type Dock, type ChatOptions, type CreatedCall } from './dock.js';
export { ChatTurn, type RunResult, type StreamOptions } from './chat.js';
export { EventStream, isSessionFrame, type EventsOptions } from './socket.js';
export { DockError, parseRetryAfter, type FieldError } from './errors.js';
export { SseParser, type SseMessage } from './sse.js';
export { buildAgents, type VoiceCall, type VoiceStartOptions, type SessionInit, type InitialAgent } from './voice.js';
export type { DockOptions, WebSocketLike, TokenSource } from './http.js';
export * from './events.js';
export type { paths, components } from './api.gen.js';
