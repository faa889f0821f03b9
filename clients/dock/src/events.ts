/**
 * The run events of a turn (SSE) and the frames of the orchestration socket. The OpenAPI document describes
 * neither stream's items, so they are typed here, after the README's "Run events" and "Socket frames".
 */
export interface RunEventBase {
  type: string;
  run_id: string;
  session_id: string;
  event_seq: number;
  ts: string;
  /** The SSE id the event arrived with (what a re-join resumes after). */
  sse_id?: string;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

export interface ToolCallDelta {
  index?: number;
  id?: string;
  name?: string;
  arguments?: string;
}

export interface PendingToolCall {
  tool_call_id: string;
  name: string;
  arguments: string;
}

export type RunEvent =
  | (RunEventBase & { type: 'run_started'; agent: string; model: string; user_sequence?: number; input_redacted?: boolean })
  | (RunEventBase & { type: 'step_started'; sequence: number; role: string; step_id?: string })
  | (RunEventBase & { type: 'step_delta'; sequence: number; delta: { content?: string; tool_call?: ToolCallDelta } })
  | (RunEventBase & { type: 'tool_call_started'; tool_call_id: string; name: string; arguments: string; sequence: number })
  | (RunEventBase & { type: 'tool_call_completed'; tool_call_id: string; name: string; ok: boolean; result?: unknown;
      error?: string; duration_ms?: number; sequence: number })
  | (RunEventBase & { type: 'step_completed'; sequence: number; step: Record<string, unknown> })
  | (RunEventBase & { type: 'run_completed'; status: string; last_sequence: number; usage: Usage; output_text?: string;
      max_steps_reached?: boolean })
  | (RunEventBase & { type: 'run_cancelled'; status: string; last_sequence: number; usage?: Usage; reason?: string })
  | (RunEventBase & { type: 'run_failed'; status: string; last_sequence?: number; error?: string; upstream_status?: number })
  | (RunEventBase & { type: 'run_paused'; status: 'paused'; sequence: number; pending_tool_calls: PendingToolCall[] })
  | (RunEventBase & { type: 'run_queued'; status: 'pending' })
  | (RunEventBase & { type: 'guardrail_tripped'; status?: string; [key: string]: unknown });

export type RunEventType = RunEvent['type'];

export const TERMINAL_RUN_EVENTS: ReadonlySet<string> = new Set([
  'run_completed', 'run_cancelled', 'run_failed', 'run_paused', 'run_queued', 'guardrail_tripped',
]);

export function isTerminal(event: { type: string }): boolean {
  return TERMINAL_RUN_EVENTS.has(event.type);
}

/** A session event on the orchestration socket: `{id, type, session_id, ts, data}`. */
export interface SessionFrame<T extends string = SessionFrameType, D = Record<string, unknown>> {
  id: string;
  type: T;
  session_id: string;
  ts: string;
  data: D;
}

export type SessionFrameType =
  | 'run_started' | 'run_completed' | 'run_cancelled' | 'run_failed' | 'run_paused' | 'tool_result'
  | 'agent_switch' | 'guardrail_tripped';

export interface AgentSwitchData {
  from?: string;
  to?: string;
  root_agent?: string;
  [key: string]: unknown;
}

export type SocketFrame =
  | SessionFrame
  | { type: 'channel_status'; ts: string; data: { degraded: boolean; detail: string } }
  | { type: 'error'; ts: string; data: { detail: string } }
  | { type: 'pong'; ts: string };
