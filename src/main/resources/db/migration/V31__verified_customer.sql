-- The customer a session's caller proved to be (authenticate_customer), kept server-side: customer-data tools read
-- it instead of trusting what the model or the client says; and how many verifications failed, to cap guessing.
ALTER TABLE ai_agent_sessions
    ADD COLUMN verified_customer_id  varchar(200),
    ADD COLUMN verification_attempts integer NOT NULL DEFAULT 0;
