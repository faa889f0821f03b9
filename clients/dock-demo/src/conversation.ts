// What the page shows of one session, built from run events as they arrive (and from stored steps when a session
// is opened). One reducer, so a live turn, a re-joined one and a reloaded session render the same way.
import type { RunEvent } from '@agentdock/dock';

export type Item =
  | { kind: 'user'; key: string; seq?: number; text: string; failed?: boolean }
  | { kind: 'assistant'; key: string; seq?: number; runId?: string; agent?: string; text: string;
      status: 'streaming' | 'completed' | 'cancelled' | 'failed' | 'paused'; ttftMs?: number; rejoins?: number }
  | { kind: 'tool'; key: string; runId: string; toolCallId: string; name: string; args: string;
      status: 'running' | 'pending' | 'approved' | 'denied' | 'done'; ok?: boolean; result?: string }
  | { kind: 'switch'; key: string; from?: string; to: string; reason?: string; decidedBy?: string };

export interface Conversation {
  items: Item[];
  /** The run that streams now, if any. */
  runId?: string;
  /** The last paused run's SSE id (what its re-join after the decision resumes from). */
  pausedAt?: string;
}

export type Action =
  | { type: 'reset'; items?: Item[] }
  | { type: 'user'; text: string; key: string }
  | { type: 'user_failed'; key: string }
  | { type: 'event'; event: RunEvent; agent?: string; startedAt?: number }
  | { type: 'rejoined'; runId: string; rejoins: number }
  | { type: 'decided'; toolCallId: string; approved: boolean }
  | { type: 'switch'; key: string; from?: string; to: string; reason?: string; decidedBy?: string }
  | { type: 'truncate'; fromSeq: number }
  | { type: 'tool_results'; steps: StoredStep[] };

type StoredStep = { sequence?: number; role?: string; content?: string; tool_call_id?: string; tool_name?: string;
  tool_arguments?: string; run_id?: string; interrupted?: boolean; error?: string };

let counter = 0;
export const nextKey = (prefix: string) => `${prefix}-${++counter}`;

function lastAssistant(items: Item[], runId: string): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it.kind === 'assistant' && it.runId === runId) return i;
  }
  return -1;
}

function setAt(items: Item[], index: number, item: Item): Item[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

export function reduce(state: Conversation, action: Action): Conversation {
  switch (action.type) {
    case 'reset':
      return { items: action.items ?? [] };
    case 'user':
      return { ...state, items: [...state.items, { kind: 'user', key: action.key, text: action.text }] };
    case 'user_failed':
      return { ...state, items: state.items.map((it) => (it.key === action.key && it.kind === 'user'
        ? { ...it, failed: true } : it)) };
    case 'switch':
      return { ...state, items: [...state.items, { kind: 'switch', key: action.key, from: action.from, to: action.to,
        reason: action.reason, decidedBy: action.decidedBy }] };
    case 'truncate':
      return { items: state.items.filter((it) => !('seq' in it) || it.seq === undefined || it.seq < action.fromSeq) };
    case 'decided':
      return { ...state, items: state.items.map((it) => (it.kind === 'tool' && it.toolCallId === action.toolCallId
        ? { ...it, status: action.approved ? 'approved' : 'denied' } : it)) };
    case 'rejoined': {
      const i = lastAssistant(state.items, action.runId);
      if (i < 0) return state;
      return { ...state, items: setAt(state.items, i, { ...(state.items[i] as Item & { kind: 'assistant' }),
        rejoins: action.rejoins }) };
    }
    case 'tool_results': {
      // a run resumed after an approval runs the decided call before its first event: its result is a stored step
      const results = new Map(action.steps.filter((st) => st.role === 'tool' && st.tool_call_id)
        .map((st) => [st.tool_call_id!, st]));
      return { ...state, items: state.items.map((it) => {
        const st = it.kind === 'tool' && it.result === undefined ? results.get(it.toolCallId) : undefined;
        return st && it.kind === 'tool' ? { ...it, result: st.content ?? st.error ?? '', ok: !st.error } : it;
      }) };
    }
    case 'event':
      return onEvent(state, action.event, action.agent, action.startedAt);
  }
}

function onEvent(state: Conversation, e: RunEvent, agent: string | undefined, startedAt: number | undefined): Conversation {
  let items = state.items;
  switch (e.type) {
    case 'run_started': {
      if (e.user_sequence !== undefined) {
        // the newest user message without a sequence is this run's
        for (let i = items.length - 1; i >= 0; i--) {
          const it = items[i];
          if (it.kind === 'user' && it.seq === undefined) { items = setAt(items, i, { ...it, seq: e.user_sequence }); break; }
        }
      }
      return { ...state, items, runId: e.run_id };
    }
    case 'step_started': {
      if (e.role !== 'assistant') return state;
      const i = lastAssistant(items, e.run_id);
      const current = i >= 0 ? items[i] as Item & { kind: 'assistant' } : undefined;
      // a resumed or re-joined run names a step it already started: keep that one
      if (current && (current.seq === undefined || current.seq === e.sequence) && current.text === '') {
        return { ...state, items: setAt(items, i, { ...current, seq: e.sequence, status: 'streaming' }) };
      }
      if (current && current.seq === e.sequence) return state;
      return { ...state, items: [...items, { kind: 'assistant', key: nextKey('a'), seq: e.sequence, runId: e.run_id,
        agent, text: '', status: 'streaming' }] };
    }
    case 'step_delta': {
      const content = e.delta?.content;
      if (typeof content !== 'string' || content === '') return state;
      const i = lastAssistant(items, e.run_id);
      if (i < 0) {
        return { ...state, items: [...items, { kind: 'assistant', key: nextKey('a'), seq: e.sequence, runId: e.run_id,
          agent, text: content, status: 'streaming',
          ttftMs: startedAt !== undefined ? Math.round(performance.now() - startedAt) : undefined }] };
      }
      const it = items[i] as Item & { kind: 'assistant' };
      const first = it.text === '' && it.ttftMs === undefined && startedAt !== undefined;
      return { ...state, items: setAt(items, i, { ...it, text: it.text + content,
        ttftMs: first ? Math.round(performance.now() - startedAt) : it.ttftMs }) };
    }
    case 'tool_call_started':
      if (items.some((it) => it.kind === 'tool' && it.toolCallId === e.tool_call_id)) return state;
      return { ...state, items: [...items, { kind: 'tool', key: nextKey('t'), runId: e.run_id, toolCallId: e.tool_call_id,
        name: e.name, args: e.arguments, status: 'running' }] };
    case 'tool_call_completed': {
      const result = e.ok ? stringify(e.result) : (e.error ?? 'failed');
      const known = items.some((it) => it.kind === 'tool' && it.toolCallId === e.tool_call_id);
      if (!known) {
        items = [...items, { kind: 'tool', key: nextKey('t'), runId: e.run_id, toolCallId: e.tool_call_id, name: e.name,
          args: '', status: 'done', ok: e.ok, result }];
      } else {
        items = items.map((it) => (it.kind === 'tool' && it.toolCallId === e.tool_call_id
          ? { ...it, status: it.status === 'approved' || it.status === 'denied' ? it.status : 'done', ok: e.ok, result } : it));
      }
      return { ...state, items };
    }
    case 'run_paused': {
      for (const p of e.pending_tool_calls ?? []) {
        if (items.some((it) => it.kind === 'tool' && it.toolCallId === p.tool_call_id)) {
          items = items.map((it) => (it.kind === 'tool' && it.toolCallId === p.tool_call_id ? { ...it, status: 'pending' } : it));
        } else {
          items = [...items, { kind: 'tool', key: nextKey('t'), runId: e.run_id, toolCallId: p.tool_call_id, name: p.name,
            args: p.arguments, status: 'pending' }];
        }
      }
      return { ...state, items: endRun(items, e.run_id, 'paused'), runId: undefined, pausedAt: e.sse_id };
    }
    case 'run_completed':
      return { ...state, items: endRun(items, e.run_id, 'completed'), runId: undefined };
    case 'run_cancelled':
      return { ...state, items: endRun(items, e.run_id, 'cancelled'), runId: undefined };
    case 'run_failed':
    case 'guardrail_tripped':
      return { ...state, items: endRun(items, e.run_id, 'failed'), runId: undefined };
    default:
      return state;
  }
}

function endRun(items: Item[], runId: string, status: 'completed' | 'cancelled' | 'failed' | 'paused'): Item[] {
  return items.map((it) => (it.kind === 'assistant' && it.runId === runId && it.status === 'streaming'
    ? { ...it, status } : it));
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A stored session as items (for opening one from the list, or a fork). */
export function fromSteps(steps: StoredStep[]): Item[] {
  const items: Item[] = [];
  for (const s of steps) {
    const key = `s-${s.sequence}`;
    if (s.role === 'user') items.push({ kind: 'user', key, seq: s.sequence, text: s.content ?? '' });
    else if (s.role === 'assistant' && s.content) {
      items.push({ kind: 'assistant', key, seq: s.sequence, runId: s.run_id, text: s.content,
        status: s.interrupted ? 'cancelled' : s.error ? 'failed' : 'completed' });
    } else if (s.role === 'tool') {
      items.push({ kind: 'tool', key, runId: s.run_id ?? '', toolCallId: s.tool_call_id ?? key, name: s.tool_name ?? 'tool',
        args: s.tool_arguments ?? '', status: 'done', ok: !s.error, result: s.content ?? s.error ?? '' });
    }
  }
  return items;
}
