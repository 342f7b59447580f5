-- The provider and model a job asked for (NULL: the server's default). Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN provider TEXT;
ALTER TABLE jobs ADD COLUMN model TEXT;
