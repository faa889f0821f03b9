-- The relational record of agent conversations: sessions, their steps (one row = one native LLM message), and runs.

CREATE TABLE ai_agent_sessions (
    session_id              uuid PRIMARY KEY,
    user_id                 varchar(200) NOT NULL,
    agent_name              varchar(200) NOT NULL,
    scenario_id             varchar(200),
    root_agent              varchar(200),
    title                   varchar(500),
    summary                 text,
    is_active               boolean      NOT NULL DEFAULT true,
    forked_from_session_id  uuid REFERENCES ai_agent_sessions (session_id) ON DELETE SET NULL,
    forked_at_sequence      integer,
    created_at              timestamptz  NOT NULL DEFAULT now(),
    updated_at              timestamptz  NOT NULL DEFAULT now()
);

-- listing a user's sessions of one agent, newest first
CREATE INDEX ai_agent_sessions_user_agent_idx ON ai_agent_sessions (user_id, agent_name, updated_at DESC);
CREATE INDEX ai_agent_sessions_forked_from_idx ON ai_agent_sessions (forked_from_session_id) WHERE forked_from_session_id IS NOT NULL;

CREATE TABLE ai_agent_runs (
    run_id                uuid PRIMARY KEY,
    session_id            uuid         NOT NULL REFERENCES ai_agent_sessions (session_id) ON DELETE CASCADE,
    agent_name            varchar(200) NOT NULL,
    status                varchar(20)  NOT NULL
        CHECK (status IN ('pending', 'running', 'paused', 'completed', 'interrupted', 'cancelled', 'error')),
    user_message_id       uuid,
    assistant_message_id  uuid,
    instance_id           varchar(200),
    heartbeat_at          timestamptz,
    started_at            timestamptz  NOT NULL DEFAULT now(),
    completed_at          timestamptz,
    input_tokens          integer      NOT NULL DEFAULT 0,
    output_tokens         integer      NOT NULL DEFAULT 0,
    total_tokens          integer      NOT NULL DEFAULT 0,
    step_count            integer      NOT NULL DEFAULT 0,
    last_sequence         integer,
    error                 text,
    pending_input         text,
    options               jsonb
);

CREATE INDEX ai_agent_runs_session_idx ON ai_agent_runs (session_id, started_at);
-- at most one active run per session: the database, not the application, is the arbiter
CREATE UNIQUE INDEX ai_agent_runs_one_active_idx ON ai_agent_runs (session_id) WHERE status IN ('running', 'paused');
-- the stale-heartbeat sweep
CREATE INDEX ai_agent_runs_running_heartbeat_idx ON ai_agent_runs (heartbeat_at) WHERE status = 'running';
CREATE INDEX ai_agent_runs_pending_idx ON ai_agent_runs (session_id, started_at) WHERE status = 'pending';

CREATE TABLE ai_agent_messages (
    message_id              uuid PRIMARY KEY,
    session_id              uuid          NOT NULL REFERENCES ai_agent_sessions (session_id) ON DELETE CASCADE,
    run_id                  uuid,
    sequence                integer       NOT NULL CHECK (sequence > 0),
    role                    varchar(20)   NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content                 text,
    tool_calls              jsonb,
    tool_call_id            varchar(200),
    name                    varchar(200),
    tool_name               varchar(200),
    tool_arguments          jsonb,
    external_id             varchar(200),
    duration_ms             double precision,
    first_token_latency_ms  double precision,
    input_tokens            integer,
    output_tokens           integer,
    total_tokens            integer,
    model_name              varchar(200),
    provider                varchar(100),
    tool_exec_time_ms       double precision,
    interrupted             boolean       NOT NULL DEFAULT false,
    error                   text,
    created_at              timestamptz   NOT NULL DEFAULT now(),
    completed_at            timestamptz,
    CONSTRAINT ai_agent_messages_session_sequence_uq UNIQUE (session_id, sequence)
);
-- The unique constraint's index serves range reads by (session_id, sequence).
CREATE INDEX ai_agent_messages_run_idx ON ai_agent_messages (run_id);
CREATE UNIQUE INDEX ai_agent_messages_external_idx ON ai_agent_messages (session_id, external_id) WHERE external_id IS NOT NULL;
