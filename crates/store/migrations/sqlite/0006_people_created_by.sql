-- Who recorded a person: a coordinator sees the people they recorded even before those people work
-- for an organisation of their programmes (decision 0010). Empty for people recorded before this
-- column existed, or by the command line, or whose recorder's account was deleted.
ALTER TABLE people ADD COLUMN created_by_user_id TEXT REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX people_created_by ON people(created_by_user_id);
