-- The number of the last event a run emitted, so a run resumed after a pause (or replayed) continues the sequence.
ALTER TABLE ai_agent_runs ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;
-- SDK-style sessions carry their own agent definition.
ALTER TABLE ai_agent_sessions ADD COLUMN instructions text;
ALTER TABLE ai_agent_sessions ADD COLUMN model varchar(200);
