import { DockError, type ChatTurn, type Dock, type VoiceCall, isSessionFrame, type AgentSwitchData } from '@agentdock/dock';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { dockFor, loadConfig, saveConfig, simulatorRealtimeUrl, type DemoConfig } from './config';
import { fromSteps, nextKey, reduce, type Item } from './conversation';

type Scenario = { id?: string; name?: string; description?: string; agent_names?: string[]; default_root_agent?: string };
type SessionRow = { session_id?: string; agent_name?: string; title?: string; root_agent?: string; updated_at?: string };

/** A refusal as the person should read it: status, title, the service's reason, when to try again. */
interface Problem { status: number; title: string; detail?: string; retryAfter?: number }

function toProblem(e: unknown): Problem {
  if (e instanceof DockError) return { status: e.status, title: e.title, detail: e.detail, retryAfter: e.retryAfter };
  if (e instanceof Error) return { status: 0, title: 'Network error', detail: e.message };
  // the Realtime SDK rejects with the socket's error event, which carries no reason a page may read
  if (typeof Event !== 'undefined' && e instanceof Event) {
    return { status: 0, title: 'Voice failed', detail: `the Realtime ${e.type === 'error' ? 'socket' : e.type} did not open` };
  }
  return { status: 0, title: 'Network error', detail: String(e) };
}

export function App() {
  const [config, setConfig] = useState<DemoConfig>(loadConfig);
  const dock = useMemo(() => dockFor(config), [config]);
  const [scenarios, setScenarios] = useState<Scenario[]>([]);
  const [scenarioId, setScenarioId] = useState<string>('');
  const [agent, setAgent] = useState<string>('');
  const [route, setRoute] = useState(true);
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [sessions, setSessions] = useState<SessionRow[]>([]);
  const [conversation, dispatch] = useReducer(reduce, { items: [] });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [socketState, setSocketState] = useState('closed');
  const [input, setInput] = useState('');
  const turnRef = useRef<ChatTurn | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const sessionRef = useRef<string | undefined>(undefined);
  sessionRef.current = sessionId;

  const scenario = scenarios.find((s) => s.id === scenarioId);
  const fail = useCallback((e: unknown) => setProblem(toProblem(e)), []);

  // scenarios, once per service
  useEffect(() => {
    setProblem(undefined);
    dock.scenarios.list().then((list) => {
      const rows = list as Scenario[];
      setScenarios(rows);
      const first = rows.find((s) => s.id === 'simple-handoff') ?? rows[0];
      if (first?.id) { setScenarioId(first.id); setAgent(first.default_root_agent ?? ''); }
    }).catch(fail);
  }, [dock, fail]);

  const refreshSessions = useCallback(async () => {
    if (!scenario?.agent_names) return;
    const lists = await Promise.all(scenario.agent_names.map((a) => dock.sessions.list(a).catch(() => [])));
    const rows = (lists.flat() as SessionRow[]).sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? ''));
    setSessions(rows);
  }, [dock, scenario]);
  useEffect(() => { void refreshSessions(); }, [refreshSessions]);

  // the caller's orchestration socket: agent switches of the open session
  useEffect(() => {
    const events = dock.events('me');
    const timer = setInterval(() => setSocketState(events.state), 250);
    const off = events.on((frame) => {
      if (isSessionFrame(frame, 'agent_switch') && frame.session_id === sessionRef.current) {
        const data = frame.data as AgentSwitchData & { reason?: string; decided_by?: string };
        const to = data.to ?? data.root_agent;
        if (!to) return;
        dispatch({ type: 'switch', key: frame.id ?? nextKey('w'), from: data.from, to, reason: data.reason,
          decidedBy: data.decided_by });
        setAgent(to);
      }
    });
    events.ready().catch(fail);
    return () => { off(); clearInterval(timer); events.close(); };
  }, [dock, fail]);

  /** Reads a turn into the conversation; a refusal is shown with its reason. */
  const follow = useCallback(async (turn: ChatTurn, who: string, startedAt?: number, userKey?: string) => {
    turnRef.current = turn;
    setBusy(true);
    try {
      for await (const event of turn) {
        dispatch({ type: 'event', event, agent: who, startedAt });
        if (turn.rejoins > 0) dispatch({ type: 'rejoined', runId: event.run_id, rejoins: turn.rejoins });
        if (event.type === 'run_started' && !sessionRef.current) {
          sessionRef.current = event.session_id;
          setSessionId(event.session_id);
        }
      }
      await turn.result;
    } catch (e) {
      if (userKey) dispatch({ type: 'user_failed', key: userKey });
      fail(e);
    } finally {
      turnRef.current = undefined;
      setBusy(false);
      void refreshSessions();
    }
  }, [fail, refreshSessions]);

  const send = useCallback(async () => {
    const message = input.trim();
    if (!message || busy) return;
    setInput('');
    setProblem(undefined);
    const key = nextKey('u');
    dispatch({ type: 'user', text: message, key });
    let who = agent;
    if (route && scenarioId && sessionId) {
      // the scenario's orchestrator decides who answers; a switch comes back on the socket as agent_switch
      try {
        const decision = await dock.orchestrate({ session_id: sessionId, scenario_id: scenarioId, current_agent: agent,
          last_user_message: message });
        if (decision.root_agent) who = decision.root_agent;
      } catch (e) { fail(e); }
    }
    setAgent(who);
    const startedAt = performance.now();
    await follow(dock.chat(who, { message, sessionId }), who, startedAt, key);
  }, [input, busy, agent, route, scenarioId, sessionId, dock, follow, fail]);

  const stop = useCallback(() => { void turnRef.current?.stop().catch(fail); }, [fail]);

  const retry = useCallback(async (item: Item & { seq?: number }) => {
    if (!sessionId || item.seq === undefined) return;
    setProblem(undefined);
    // an assistant step is regenerated from the user step before it; a user step from itself
    dispatch({ type: 'truncate', fromSeq: item.kind === 'user' ? item.seq + 1 : item.seq });
    await follow(dock.retry(sessionId, item.seq, { agent }), agent, performance.now());
  }, [sessionId, dock, agent, follow]);

  const open = useCallback(async (id: string, rootAgent?: string) => {
    setProblem(undefined);
    try {
      const page = await dock.steps(id, { limit: 500 });
      dispatch({ type: 'reset', items: fromSteps(page.steps ?? []) });
      setSessionId(id);
      if (rootAgent) setAgent(rootAgent);
    } catch (e) { fail(e); }
  }, [dock, fail]);

  const fork = useCallback(async (item: Item & { seq?: number }) => {
    if (!sessionId || item.seq === undefined) return;
    try {
      const { new_session_id } = await dock.fork(sessionId, item.seq);
      await open(new_session_id, agent);
      void refreshSessions();
    } catch (e) { fail(e); }
  }, [sessionId, dock, agent, open, refreshSessions, fail]);

  const decide = useCallback(async (item: Item & { kind: 'tool' }, approved: boolean) => {
    try {
      await dock.runs.approve(item.runId, { tool_call_id: item.toolCallId, approved });
      dispatch({ type: 'decided', toolCallId: item.toolCallId, approved });
      const waiting = conversation.items.filter((it) => it.kind === 'tool' && it.runId === item.runId
        && it.status === 'pending' && it.toolCallId !== item.toolCallId);
      // the last decision resumes the run under the same ids: re-join it after the pause
      if (waiting.length === 0) {
        await follow(dock.rejoin(item.runId, { lastEventId: conversation.pausedAt, agent }), agent);
        if (sessionId) dispatch({ type: 'tool_results', steps: (await dock.steps(sessionId, { limit: 500 })).steps ?? [] });
      }
    } catch (e) { fail(e); }
  }, [dock, conversation, agent, sessionId, follow, fail]);

  const newChat = useCallback(() => {
    setSessionId(undefined);
    dispatch({ type: 'reset' });
    setAgent(scenario?.default_root_agent ?? '');
    setProblem(undefined);
  }, [scenario]);

  return (
    <div className="page">
      <header>
        <h1>agentdock · Dock</h1>
        <Settings config={config} onChange={(c) => { saveConfig(c); setConfig(c); }} />
        <span className={`light ${socketState}`} data-testid="socket-state" title="orchestration socket">socket {socketState}</span>
      </header>
      {problem && (
        <div role="alert" className="problem" data-testid="problem" data-status={problem.status}>
          <strong>{problem.status ? `${problem.status} ${problem.title}` : problem.title}</strong>
          {problem.detail && <span> — {problem.detail}</span>}
          {problem.retryAfter !== undefined && <span className="muted"> · Retry-After {problem.retryAfter} s</span>}
          <button onClick={() => setProblem(undefined)} aria-label="dismiss">×</button>
        </div>
      )}
      <div className="columns">
        <aside>
          <label>Scenario
            <select data-testid="scenario" value={scenarioId} onChange={(e) => {
              const next = scenarios.find((s) => s.id === e.target.value);
              setScenarioId(e.target.value);
              setAgent(next?.default_root_agent ?? '');
              setSessionId(undefined);
              dispatch({ type: 'reset' });
            }}>
              {scenarios.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          {scenario?.description && <p className="muted">{scenario.description}</p>}
          <label>Agent
            <select data-testid="agent" value={agent} onChange={(e) => setAgent(e.target.value)}>
              {(scenario?.agent_names ?? []).map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </label>
          <label className="inline"><input type="checkbox" checked={route} onChange={(e) => setRoute(e.target.checked)} />
            route each message (/api/orchestrate)</label>
          <Voice dock={dock} config={config} scenarioId={scenarioId} onProblem={fail} />
          <h2>Sessions <button data-testid="new-chat" onClick={newChat}>New chat</button></h2>
          <ul className="sessions" data-testid="sessions">
            {sessions.map((s) => (
              <li key={s.session_id} className={s.session_id === sessionId ? 'current' : ''}>
                <button onClick={() => void open(s.session_id!, s.root_agent ?? s.agent_name)}>
                  {s.title || s.session_id?.slice(0, 8)} <span className="muted">{s.root_agent ?? s.agent_name}</span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <main>
          <div className="active">Active agent: <strong data-testid="active-agent">{agent || '—'}</strong>
            {sessionId && <span className="muted" data-testid="session-id"> session {sessionId}</span>}</div>
          <ol className="items" data-testid="items">
            {conversation.items.map((it) => <Row key={it.key} item={it} busy={busy} onRetry={retry} onFork={fork}
              onDecide={decide} />)}
          </ol>
          <form className="composer" onSubmit={(e) => { e.preventDefault(); void send(); }}>
            <input data-testid="message" value={input} placeholder={`Message ${agent || 'the agent'}…`}
              onChange={(e) => setInput(e.target.value)} />
            {busy
              ? <button type="button" data-testid="stop" onClick={stop}>Stop</button>
              : <button type="submit" data-testid="send" disabled={!agent}>Send</button>}
          </form>
        </main>
      </div>
    </div>
  );
}

function Row({ item, busy, onRetry, onFork, onDecide }: {
  item: Item; busy: boolean;
  onRetry: (item: Item) => void; onFork: (item: Item) => void; onDecide: (item: Item & { kind: 'tool' }, ok: boolean) => void;
}) {
  const actions = item.kind !== 'tool' && item.kind !== 'switch' && item.seq !== undefined && !busy && (
    <span className="actions">
      <button data-testid="retry" onClick={() => onRetry(item)}>Retry</button>
      <button data-testid="fork" onClick={() => onFork(item)}>Fork</button>
    </span>
  );
  switch (item.kind) {
    case 'user':
      return <li className={`user${item.failed ? ' failed' : ''}`} data-testid="user-message" data-seq={item.seq}>
        <div className="text">{item.text}</div>{actions}</li>;
    case 'assistant':
      // a step that only called tools has no text: its calls are the tool rows
      if (item.text === '' && item.status !== 'streaming') return null;
      return (
        <li className={`assistant ${item.status}`} data-testid="assistant-message" data-status={item.status}
            data-seq={item.seq} data-run-id={item.runId} data-ttft-ms={item.ttftMs} data-rejoins={item.rejoins ?? 0}>
          <div className="who">{item.agent ?? 'assistant'} <span className="muted">{item.status}
            {item.ttftMs !== undefined && ` · first token ${item.ttftMs} ms`}
            {item.rejoins ? ` · re-joined ×${item.rejoins}` : ''}</span></div>
          <div className="text" data-testid="assistant-text">{item.text}</div>{actions}
        </li>
      );
    case 'tool':
      return (
        <li className={`tool ${item.status}`} data-testid="tool-call" data-status={item.status} data-name={item.name}>
          <div className="who">tool <code>{item.name}</code> <span className="muted">{item.status}</span></div>
          {item.args && <pre>{item.args}</pre>}
          {item.status === 'pending' && (
            <span className="actions">
              <button data-testid="approve" onClick={() => onDecide(item, true)}>Approve</button>
              <button data-testid="deny" onClick={() => onDecide(item, false)}>Deny</button>
            </span>
          )}
          {item.result !== undefined && <pre className={item.ok === false ? 'error' : ''} data-testid="tool-result">{item.result}</pre>}
        </li>
      );
    case 'switch':
      return (
        <li className="switch" data-testid="agent-switch">
          agent switch: <strong>{item.from ?? '?'}</strong> → <strong>{item.to}</strong>
          {item.reason && <span className="muted"> ({item.reason}{item.decidedBy ? `, by ${item.decidedBy}` : ''})</span>}
        </li>
      );
  }
}

function Settings({ config, onChange }: { config: DemoConfig; onChange: (c: DemoConfig) => void }) {
  const [draft, setDraft] = useState(config);
  return (
    <form className="settings" onSubmit={(e) => { e.preventDefault(); onChange(draft); }}>
      <input aria-label="service URL" value={draft.baseUrl} onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })} />
      <input aria-label="bearer token" placeholder="token (JWT)" type="password" value={draft.token}
        onChange={(e) => setDraft({ ...draft, token: e.target.value })} />
      <input aria-label="dev user id" placeholder="X-User-Id (dev)" value={draft.userId}
        onChange={(e) => setDraft({ ...draft, userId: e.target.value })} />
      <button type="submit">Connect</button>
    </form>
  );
}

function Voice({ dock, config, scenarioId, onProblem }: { dock: Dock; config: DemoConfig; scenarioId: string;
  onProblem: (e: unknown) => void }) {
  const [state, setState] = useState<'idle' | 'connecting' | 'connected' | 'failed'>('idle');
  const [call, setCall] = useState<VoiceCall | undefined>();
  const [activeAgent, setActiveAgent] = useState<string | undefined>();
  useEffect(() => {
    if (!call) return;
    const timer = setInterval(() => setActiveAgent(call.activeAgent), 500);
    return () => clearInterval(timer);
  }, [call]);
  const start = async () => {
    setState('connecting');
    try {
      const simulator = config.voice === 'simulator';
      const started = await dock.voice.start({
        scenarioId,
        ...(simulator ? { transport: 'websocket' as const, url: simulatorRealtimeUrl(config, 'gpt-realtime') } : {}),
      });
      setCall(started);
      setActiveAgent(started.activeAgent);
      setState('connected');
    } catch (e) {
      setState('failed');
      onProblem(e);
    }
  };
  const stop = () => { dock.voice.stop(); setCall(undefined); setState('idle'); };
  return (
    <div className="voice">
      {call
        ? <button data-testid="voice" onClick={stop}>End voice</button>
        : <button data-testid="voice" onClick={() => void start()} disabled={!scenarioId || state === 'connecting'}>Voice</button>}
      <span className="muted" data-testid="voice-state" data-state={state}>
        {state}{call && activeAgent ? ` · ${activeAgent}` : ''}{config.voice === 'simulator' ? ' (simulator)' : ''}</span>
    </div>
  );
}
