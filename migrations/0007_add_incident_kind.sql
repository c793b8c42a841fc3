-- What an incident is: a complaint (something is wrong, the default) or a question (a request for
-- information the FAQ did not answer, for a moderator to answer). Statistics count them apart.
ALTER TABLE incidents ADD COLUMN kind TEXT NOT NULL DEFAULT 'complaint';
