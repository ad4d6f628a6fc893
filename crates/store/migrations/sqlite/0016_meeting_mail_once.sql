-- Meeting mail, exactly once (issue 7, decision 0026). Each mail a meeting's notice queues is
-- recorded under (meeting, notice, round, recipient) in the transaction that queues it: a notice
-- job run again after a crash finds its recipients recorded and queues nothing twice. The round
-- is the notice job's own key (a new one for each change), so a later change mails again.
CREATE TABLE meeting_notice_deliveries (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    notice TEXT NOT NULL,
    round TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, notice, round, email)
);

-- The language of the page a guest registered from: their mails and reminders speak it.
ALTER TABLE meeting_guest_requests ADD COLUMN locale TEXT;
