-- Optional free-text audience of a job ("engineering managers"); NULL when not given.
ALTER TABLE jobs ADD COLUMN audience TEXT;
