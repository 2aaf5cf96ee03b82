-- Problem statements in several languages: the language of `name`/`statement` (NULL:
-- not said, English assumed) and the others as JSON {lang: {name, statement}}.
ALTER TABLE problems ADD COLUMN statement_language TEXT;
ALTER TABLE problems ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
