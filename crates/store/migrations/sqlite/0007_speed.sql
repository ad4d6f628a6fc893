-- Indexes for the pages' filters (issue 6, speed): the coordinator's audit log is filtered by
-- programme and read newest first; networks and organisations are filtered by province.
CREATE INDEX audit_log_programme_at ON audit_log(programme_id, at);
CREATE INDEX municipalities_province ON municipalities(province_code);
