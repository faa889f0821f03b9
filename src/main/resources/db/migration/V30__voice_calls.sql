-- Realtime voice calls the service joins (issue 16): which session a call belongs to and whether it is still on,
-- and every function call the service saw on a call (what /api/tools/execute checks a browser's call against).

CREATE TABLE ai_agent_voice_calls (
    call_id      varchar(200) PRIMARY KEY,
    session_id   uuid         NOT NULL REFERENCES ai_agent_sessions (session_id) ON DELETE CASCADE,
    user_id      varchar(200) NOT NULL,
    status       varchar(20)  NOT NULL CHECK (status IN ('attached', 'ended')),
    end_reason   varchar(200),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    ended_at     timestamptz
);

CREATE INDEX ai_agent_voice_calls_session_idx ON ai_agent_voice_calls (session_id, created_at DESC);
-- what the takeover scan reads every few seconds on every instance
CREATE INDEX ai_agent_voice_calls_attached_idx ON ai_agent_voice_calls (created_at) WHERE status = 'attached';

CREATE TABLE ai_agent_voice_tool_calls (
    session_id    uuid         NOT NULL REFERENCES ai_agent_sessions (session_id) ON DELETE CASCADE,
    tool_call_id  varchar(200) NOT NULL,
    call_id       varchar(200) NOT NULL,
    name          varchar(200) NOT NULL,
    arguments     text         NOT NULL,
    status        varchar(20)  NOT NULL CHECK (status IN ('running', 'awaiting_approval', 'completed', 'refused')),
    ok            boolean,
    output        text,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    PRIMARY KEY (session_id, tool_call_id)
);
