-- Threads and documents of a lab (issue 10, decision 0040). Migrations 0024 and 0025 left room
-- for the lab as an owner: a nullable `lab_id`, the CHECK that exactly one owner is set and the
-- listing indexes. Here the column gets its foreign key, and a thread's messages an index in the
-- order they are paged.

ALTER TABLE exchange_threads ADD CONSTRAINT exchange_threads_lab_id_fkey FOREIGN KEY (lab_id) REFERENCES labs(id);
ALTER TABLE documents ADD CONSTRAINT documents_lab_id_fkey FOREIGN KEY (lab_id) REFERENCES labs(id);

CREATE INDEX exchange_messages_page ON exchange_messages(thread_id, opening, created_at, id);
