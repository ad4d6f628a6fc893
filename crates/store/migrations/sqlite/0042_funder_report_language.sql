-- The language of a funder report (issue 12, decision 0058): chosen when it is requested,
-- Italian by default; the job writes every fixed text, number and date of the PDF in it.
ALTER TABLE funder_reports ADD COLUMN locale TEXT NOT NULL DEFAULT 'it';
