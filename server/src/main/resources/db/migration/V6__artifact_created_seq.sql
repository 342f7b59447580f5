-- Where each artifact's deltas start in its job's log: a streaming artifact's text is read from
-- the log (its deltas) instead of being rewritten in artifacts.content on every delta.
ALTER TABLE artifacts ADD COLUMN created_seq BIGINT;
