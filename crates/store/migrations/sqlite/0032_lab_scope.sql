-- Threads and documents of a lab (issue 10, decision 0040). Migrations 0024 and 0025 left room
-- for the lab as an owner: a nullable `lab_id`, the CHECK that exactly one owner is set and the
-- listing indexes. Here the column gets its foreign key, and a thread's messages an index in the
-- order they are paged.
--
-- SQLite cannot add a foreign key to an existing column, and rebuilding `exchange_threads` or
-- `documents` is not safe here: other tables reference them, and the migration runs inside a
-- transaction where `PRAGMA foreign_keys` cannot be turned off. Triggers enforce the same rule:
-- a lab_id names an existing lab, and a lab that owns threads or documents cannot go away.

CREATE TRIGGER exchange_threads_lab_insert BEFORE INSERT ON exchange_threads
WHEN NEW.lab_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM labs WHERE id = NEW.lab_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER exchange_threads_lab_update BEFORE UPDATE OF lab_id ON exchange_threads
WHEN NEW.lab_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM labs WHERE id = NEW.lab_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER documents_lab_insert BEFORE INSERT ON documents
WHEN NEW.lab_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM labs WHERE id = NEW.lab_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER documents_lab_update BEFORE UPDATE OF lab_id ON documents
WHEN NEW.lab_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM labs WHERE id = NEW.lab_id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER labs_owner_delete BEFORE DELETE ON labs
WHEN EXISTS (SELECT 1 FROM exchange_threads WHERE lab_id = OLD.id) OR EXISTS (SELECT 1 FROM documents WHERE lab_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER labs_owner_update BEFORE UPDATE OF id ON labs
WHEN NEW.id <> OLD.id
  AND (EXISTS (SELECT 1 FROM exchange_threads WHERE lab_id = OLD.id) OR EXISTS (SELECT 1 FROM documents WHERE lab_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE INDEX exchange_messages_page ON exchange_messages(thread_id, opening, created_at, id);
