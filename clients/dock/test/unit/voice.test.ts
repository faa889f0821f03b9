import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RealtimeAgent, tool } from '@openai/agents-realtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAgents, startVoice, type SessionInit, type ToolResult } from '../../src/voice.js';
import { FakeRealtime, sessionTools, type ClientEvent } from '../fake-realtime.js';

/** The SDK's first session.update sets only tracing; the agent's come with instructions. */
const isAgentUpdate = (e: ClientEvent) => e.type === 'session.update' && typeof (e.session as { instructions?: unknown }).instructions === 'string';

// What /api/session2 answers for customer-service-retail: three agents whose handoffs form cycles.
const payload = JSON.parse(readFileSync(resolve(import.meta.dirname, 'session2-retail.json'), 'utf8')) as SessionInit;

describe('buildAgents', () => {
  it('wires handoffs by name into agent objects, cycles included, with handoffDescription and SDK tools', () => {
    const agents = buildAgents({ RealtimeAgent, tool }, payload.initial_agents!, async () => ({ ok: true }));
    const auth = agents.get('authentication')!;
    const returns = agents.get('returns')!;
    expect(auth.handoffs).toContain(returns);
    expect(returns.handoffs).toContain(auth); // authentication -> returns -> authentication
    expect(returns.handoffDescription).toBe(payload.initial_agents![1].handoff_description);
    const lookup = returns.tools.find((t) => t.name === 'lookup_order') as { type: string; isEnabled: unknown };
    expect(lookup.type).toBe('function');
    expect(typeof lookup.isEnabled).toBe('function'); // what raw tool objects lacked ("tool.isEnabled is not a function")
  });

  it('refuses a handoff to an agent the payload does not have, naming it', () => {
    const bad = [{ name: 'a', instructions: 'x', handoffs: ['ghost'], tools: [] }];
    expect(() => buildAgents({ RealtimeAgent, tool }, bad, async () => ({ ok: true }))).toThrow(/'ghost'/);
  });
});

describe('startVoice with the real SDK over its WebSocket transport', () => {
  let fake: FakeRealtime;
  const executed: Array<{ name: string; args: unknown; sessionId: string }> = [];

  beforeEach(async () => {
    fake = await FakeRealtime.start();
    executed.length = 0;
  });
  afterEach(() => fake.close());

  const start = (result: ToolResult = { name: 'lookup_order', ok: true, result: '{"status":"shipped"}' }) =>
    startVoice({
      session2: async () => payload,
      execute: async (name, args, sessionId) => { executed.push({ name, args, sessionId }); return result; },
      events: () => { throw new Error('not followed here'); },
    }, { scenarioId: 'customer-service-retail', transport: 'websocket', url: fake.url, followSwitches: false });

  it('connects with the ephemeral key and sends the root agent with its tools and handoffs', async () => {
    const call = await start();
    try {
      expect(fake.headers?.authorization).toBe(`Bearer ${payload.ephemeral_key!.value}`);
      const update = await fake.next(isAgentUpdate);
      const session = update.session as { instructions: string; model?: string };
      expect(session.instructions).toBe(payload.initial_agents![0].instructions);
      const tools = sessionTools(update);
      expect([...tools.keys()]).toEqual(expect.arrayContaining(['authenticate_customer', 'escalate_to_human',
        'transfer_to_returns', 'transfer_to_sales']));
      expect(tools.get('authenticate_customer')!.parameters)
        .toEqual(payload.initial_agents![0].tools![0].parameters);
      expect(call.activeAgent).toBe('authentication');
    } finally {
      call.stop();
    }
  });

  it('runs a tool call through the service and answers the model with its result', async () => {
    const call = await start();
    try {
      await fake.next(isAgentUpdate);
      const from = fake.received.length;
      const callId = fake.callTool('authenticate_customer', { phone_number: '+15551234567', date_of_birth: '1990-04-12' });
      const output = await fake.next((e) => e.type === 'conversation.item.create'
        && (e.item as { type: string }).type === 'function_call_output', from);
      expect(output.item).toMatchObject({ call_id: callId, output: '{"status":"shipped"}' });
      expect(executed).toEqual([{ name: 'authenticate_customer', sessionId: payload.session_id,
        args: { phone_number: '+15551234567', date_of_birth: '1990-04-12' } }]);
      await fake.next((e) => e.type === 'response.create', from);
    } finally {
      call.stop();
    }
  });

  it('gives the model the error of a failed tool instead of stalling', async () => {
    const call = await start({ name: 'authenticate_customer', ok: false, error: 'no such customer' });
    try {
      await fake.next(isAgentUpdate);
      const from = fake.received.length;
      fake.callTool('authenticate_customer', { phone_number: 'x', date_of_birth: 'y' });
      const output = await fake.next((e) => e.type === 'conversation.item.create', from);
      expect((output.item as { output: string }).output).toBe('error: no such customer');
    } finally {
      call.stop();
    }
  });

  it('follows a handoff the model makes, around the cycle and back', async () => {
    const call = await start();
    try {
      await fake.next(isAgentUpdate);
      let from = fake.received.length;
      fake.callTool('transfer_to_returns', {});
      const toReturns = await fake.next(isAgentUpdate, from);
      expect((toReturns.session as { instructions: string }).instructions).toBe(payload.initial_agents![1].instructions);
      expect(call.activeAgent).toBe('returns');
      from = fake.received.length;
      fake.callTool('transfer_to_authentication', {});
      const back = await fake.next(isAgentUpdate, from);
      expect((back.session as { instructions: string }).instructions).toBe(payload.initial_agents![0].instructions);
      expect(call.activeAgent).toBe('authentication');
    } finally {
      call.stop();
    }
  });

  it('switches agent on the service\'s word (agent_switch) with updateAgent, and passes interrupt through', async () => {
    const call = await start();
    try {
      await fake.next(isAgentUpdate);
      let from = fake.received.length;
      await call.switchTo('sales');
      const update = await fake.next(isAgentUpdate, from);
      expect((update.session as { instructions: string }).instructions).toBe(payload.initial_agents![2].instructions);
      expect(call.activeAgent).toBe('sales');
      fake.speak('item_spoken');
      await new Promise((r) => setTimeout(r, 50));
      from = fake.received.length;
      call.interrupt();
      await fake.next((e) => e.type === 'response.cancel', from);
      const truncate = await fake.next((e) => e.type === 'conversation.item.truncate', from);
      expect(truncate.item_id).toBe('item_spoken');
    } finally {
      call.stop();
    }
  });
});
