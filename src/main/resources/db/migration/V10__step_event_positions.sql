-- Where a step sits in its run's event stream, so a re-join replayed from PostgreSQL honours every id the live
-- stream gave out: event_seq is the number of the step's first event (step_started, or tool_call_started), and
-- delta_ends the text length after each of its step_delta events (those are numbered event_seq+1 .. event_seq+n,
-- step_completed is event_seq+n+1). Written with the step's final state, in the statement that writes it anyway.
ALTER TABLE ai_agent_messages ADD COLUMN event_seq bigint;
ALTER TABLE ai_agent_messages ADD COLUMN delta_ends integer[];
