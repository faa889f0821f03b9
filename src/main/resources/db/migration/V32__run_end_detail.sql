-- What a run's terminal event said beyond its status, error and usage (a guardrail's verdict, the upstream's HTTP
-- status of a failure, whether its input was redacted), so a replay from PostgreSQL says the same as the live stream.
ALTER TABLE ai_agent_runs ADD COLUMN end_detail jsonb;
