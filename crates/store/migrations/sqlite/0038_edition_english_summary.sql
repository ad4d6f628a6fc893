-- An edition's summary in English (issue 11, decision 0047): Markdown printed after the
-- introduction and marked as English in the EPUB (xml:lang) and the PDF (text lang).
ALTER TABLE editions ADD COLUMN english_summary TEXT NOT NULL DEFAULT '';
