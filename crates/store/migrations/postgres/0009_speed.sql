-- The audit view's filter lists the actions present: with this index it reads each distinct
-- action once (a recursive walk of the index) instead of the whole log (issue 6, speed). The
-- entities walk the existing `audit_log_entity` index the same way.
CREATE INDEX audit_log_action ON audit_log(action);
