-- Images of a good practice (issue 10, decision 0038): the file lives under
-- data_dir/practice-images/<practice_id>/<id>; alt text is required.
CREATE TABLE practice_images (
    id TEXT PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX practice_images_practice ON practice_images(practice_id, position);
