-- Issue 6, speed (decision 0037).
-- The audit view reads a programme's entries newest first, ties broken by id: with the id in the
-- index the first page is the index's first fifty entries, with no sort of the programme's whole
-- log (PostgreSQL sorted every entry of the programme, before and after included, on each view).
-- It replaces the index on (programme_id, at), which it extends.
CREATE INDEX audit_log_programme_at_id ON audit_log(programme_id, at, id);
DROP INDEX audit_log_programme_at;
-- The administrator's view, every programme: newest first, ties broken by id.
CREATE INDEX audit_log_at_id ON audit_log(at, id);
DROP INDEX audit_log_at;
-- "My meetings" finds the meetings a person, their organisations or their networks are invited
-- to by the invitee, not meeting by meeting.
CREATE INDEX meeting_invitees_target ON meeting_invitees(target_id, kind);
