-- Drafts the agents write for a user (store_draft_content), optionally within a project and from a session.
CREATE TABLE ai_agent_drafts (
    draft_id      uuid PRIMARY KEY,
    user_id       varchar(200) NOT NULL,
    project_id    varchar(200),
    session_id    uuid REFERENCES ai_agent_sessions (session_id) ON DELETE SET NULL,
    title         varchar(500) NOT NULL,
    content       text         NOT NULL,
    content_type  varchar(20)  NOT NULL,
    version       integer      NOT NULL DEFAULT 1,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);

-- a user's drafts in one project, most recently changed first (fetch_project_context, context snapshots)
CREATE INDEX ai_agent_drafts_user_project_idx ON ai_agent_drafts (user_id, project_id, updated_at DESC);
