// Checks that a SessionInitPayload from agentdock's GET /api/session2 builds OpenAI Agents JS RealtimeAgents as-is:
// tools through the SDK's tool() helper (JSON-schema parameters, strict: false), handoffs wired by agent name.
// Usage: node check-initial-agents.mjs [http(s)://host/api/session2?scenario_id=... | payload.json]   (or JSON on stdin)
// Exit 0 when every agent, tool and handoff comes out as the payload describes, 1 otherwise.
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import { RunContext } from '@openai/agents-core';

async function readPayload(source) {
  if (source && /^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) {
      throw new Error(`${source} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }
  if (source) {
    return JSON.parse(await readFile(source, 'utf8'));
  }
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function buildAgents(initialAgents) {
  const byName = new Map();
  for (const spec of initialAgents) {
    if (byName.has(spec.name)) throw new Error(`agent '${spec.name}' appears twice`);
    const tools = (spec.tools ?? []).map((t) => {
      if (t.type !== 'function') throw new Error(`${spec.name}: tool ${t.name} has type ${t.type}`);
      return tool({
        name: t.name,
        description: t.description,
        parameters: t.parameters,
        strict: false,
        execute: async () => 'not executed by this check',
      });
    });
    byName.set(spec.name, new RealtimeAgent({
      name: spec.name,
      instructions: spec.instructions,
      handoffDescription: spec.handoff_description,
      voice: spec.voice,
      tools,
    }));
  }
  // second pass: handoffs may point at agents defined later in the list
  for (const spec of initialAgents) {
    byName.get(spec.name).handoffs = (spec.handoffs ?? []).map((target) => {
      const agent = byName.get(target);
      if (!agent) throw new Error(`${spec.name}: handoff to unknown agent '${target}'`);
      return agent;
    });
  }
  return initialAgents.map((spec) => byName.get(spec.name));
}

async function check(payload) {
  const problems = [];
  const expect = (ok, message) => { if (!ok) problems.push(message); };
  expect(typeof payload.session_id === 'string', 'session_id missing');
  expect(typeof payload.ephemeral_key?.value === 'string', 'ephemeral_key.value missing');
  expect(typeof payload.ephemeral_key?.expires_at === 'number', 'ephemeral_key.expires_at missing');
  expect(Array.isArray(payload.initial_agents) && payload.initial_agents.length > 0, 'initial_agents empty');
  if (problems.length) return problems;
  if (payload.root_agent) {
    expect(payload.initial_agents[0].name === payload.root_agent,
      `root agent '${payload.root_agent}' is not first (first is '${payload.initial_agents[0].name}')`);
  }

  const agents = buildAgents(payload.initial_agents);
  const context = new RunContext({});
  for (const [i, spec] of payload.initial_agents.entries()) {
    const agent = agents[i];
    expect(agent instanceof RealtimeAgent && agent.name === spec.name, `agent ${i} is not '${spec.name}'`);
    expect(agent.instructions === spec.instructions, `${spec.name}: instructions differ`);
    expect(agent.handoffDescription === (spec.handoff_description ?? ''), `${spec.name}: handoff description differs`);
    expect(agent.voice === spec.voice, `${spec.name}: voice ${agent.voice} != ${spec.voice}`);

    const tools = await agent.getAllTools(context);
    const want = (spec.tools ?? []).map((t) => t.name);
    expect(isDeepStrictEqual(tools.map((t) => t.name), want), `${spec.name}: tools ${tools.map((t) => t.name)} != ${want}`);
    for (const t of tools) {
      const source = spec.tools.find((s) => s.name === t.name);
      expect(t.type === 'function' && t.strict === false, `${spec.name}.${t.name}: not a non-strict function tool`);
      expect(t.description === source.description, `${spec.name}.${t.name}: description differs`);
      expect(isDeepStrictEqual(t.parameters, source.parameters), `${spec.name}.${t.name}: parameters differ`);
    }

    const handoffs = await agent.getEnabledHandoffs(context);
    const wantHandoffs = spec.handoffs ?? [];
    expect(isDeepStrictEqual(handoffs.map((h) => h.agentName), wantHandoffs),
      `${spec.name}: handoffs ${handoffs.map((h) => h.agentName)} != ${wantHandoffs}`);
    for (const h of handoffs) {
      expect(h.toolName === `transfer_to_${h.agentName}`, `${spec.name}: handoff tool ${h.toolName}`);
    }
  }
  // The root agent must be accepted by a RealtimeSession (not connected: that needs a browser or a live key).
  const session = new RealtimeSession(agents[0], { model: payload.realtime_model });
  expect(session.currentAgent === agents[0], 'RealtimeSession did not take the root agent');
  return problems;
}

try {
  const payload = await readPayload(process.argv[2]);
  const problems = await check(payload);
  if (problems.length) {
    console.error(`FAIL: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const summary = payload.initial_agents.map((a) =>
    `${a.name} [tools: ${(a.tools ?? []).map((t) => t.name).join(', ') || '-'}; handoffs: ${(a.handoffs ?? []).join(', ') || '-'}]`);
  console.log(`OK: ${payload.initial_agents.length} RealtimeAgents built, root '${payload.initial_agents[0].name}'\n  ${summary.join('\n  ')}`);
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  process.exit(1);
}
