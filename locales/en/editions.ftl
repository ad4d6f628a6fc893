# Editions of the e-book of best practices (issue 11, decision 0041).
nav-editions = E-book
editions-title = E-book editions
editions-intro = Each edition gathers published good practices into chapters, with their introductions. Each build makes a new version; earlier versions stay downloadable from the board.
editions-new = New edition
editions-edit = Edit the edition
editions-back = Back to the editions
editions-empty = No editions yet: create one.
editions-board-link = See the published editions
editions-latest-version = Latest version
editions-never-built = Never built.
editions-version = Version
editions-version-number = Version { $number }
editions-editors-hint = One name per line.
editions-licence-hint = For example CC BY 4.0 (left blank, CC BY 4.0 applies).
editions-markdown-hint = Markdown text: **bold**, *italics*, lists, links and footnotes.
editions-cover = Cover
editions-cover-none = Generated cover: title, subtitle, year and editors.
editions-cover-file = Cover image
editions-cover-hint = JPEG, PNG or WebP, at most 5 MB and 8000 × 8000 pixels. It becomes the first page of the EPUB and the PDF and is shown on the e-book board.
editions-cover-upload = Upload the cover
editions-cover-generated = Use the generated cover
editions-chapters = Chapters
editions-chapters-none = No chapters: add one, or make them from the action lines or the themes.
editions-practices-count = { $count ->
    [one] one published practice
   *[other] { $count } published practices
}
editions-move-up = Move up
editions-move-down = Move down
editions-chapter-add = Add a chapter
editions-chapter-edit = The chapter's title and introduction
editions-chapter-remove = Delete the chapter
editions-chapter-remove-confirm = Delete the chapter? Its practices stay on the board.
editions-chapter-practices = The chapter's practices, in the book's order
editions-chapter-practices-none = No practices: choose one from the board below.
editions-chapter-action-line = Action line { $number }: { $title }
editions-chapter-action-line-number = Action line { $number }
editions-chapter-other = Other practices
editions-practice-add = Add the practice
editions-practice-remove = Take out of the chapter
editions-practice-unpublished = no longer published: left out of the book
editions-no-candidates = Every published practice is in this chapter already.
editions-generate = Chapters made for you
editions-generate-hint = Adds at the end one chapter per action line or theme, with its published practices by title.
editions-generate-button = Make the chapters
editions-basis-action-line = One chapter per action line
editions-basis-theme = One chapter per theme
editions-versions = Versions
editions-build = Build a new version
editions-build-hint = A build makes the EPUB and the PDF of the chosen practices as they are now. It runs in the queue: you may leave the page.
editions-pending-hint = A build is running: reload the page to see how far it is.
editions-progress-of = Progress of version { $number }
editions-requested = Requested
editions-built-at = Built
editions-files = Files
editions-failed-because = Failed:
editions-status-queued = Queued
editions-status-running = Building
editions-status-done = Ready
editions-status-failed = Failed
editions-build-error-empty = no chapter holds a published practice: add at least one practice to a chapter.
editions-build-error-gone = the edition no longer exists.
editions-flash-created = Edition created. Now add its chapters.
editions-flash-cover = Cover uploaded.
editions-flash-cover-generated = The generated cover will be used.
editions-flash-chapter-added = Chapter added: choose its practices.
editions-flash-chapter-removed = Chapter deleted.
editions-flash-chapters-generated = { $count ->
    [one] One chapter made.
   *[other] { $count } chapters made.
}
editions-flash-practice-added = Practice added to the chapter.
editions-flash-practice-removed = Practice taken out of the chapter.
editions-flash-build-queued = Version { $number } queued for building.
editions-error-too-many-editors = The field “{ $field }” has too many names: at most { $max }.
editions-error-practice-not-published = The field “{ $field }” does not name a published practice: choose one from the list.
editions-error-practice-chosen = The field “{ $field }” names a practice already in this chapter.
editions-error-basis = The field “{ $field }” must be “action line” or “theme”.
editions-error-direction = The field “{ $field }” must be “up” or “down”.
editions-board-title = E-book of best practices
editions-board-intro = The editions of the e-book of best practices, as accessible EPUB and as PDF. Every version stays downloadable at its address.
editions-board-empty = No edition published yet.
editions-board-latest = Version { $number } of { $date }
editions-board-older = { $count ->
    [one] One earlier version
   *[other] { $count } earlier versions
}
editions-download = Download
field-editions-subtitle = Subtitle
field-editions-editors = Editors
field-editions-licence = Licence
field-editions-introduction = Introduction
field-editions-english-summary = Summary in English
editions-english-summary-hint = Optional: a summary in English for readers without Italian, in Markdown. The e-book marks it as English text, so that screen readers pronounce it right.
field-editions-chapter-title = Chapter title
field-editions-chapter-introduction = Chapter introduction
field-editions-practice = Published practice
field-editions-basis = Chapters
field-editions-build = Build
field-editions-direction = Direction
editions-cli-reading-edition = reading the edition
editions-cli-reading-practices = reading the published practices
editions-cli-writing = writing the files
editions-cli-introduction = { $count ->
    [one] This edition collects the one good practice published on the board of experiences.
   *[other] This edition collects the { $count } good practices published on the board of experiences, by action line.
}

# The words of the e-book itself (crates/publish, `Labels`): the section headings come from
# practices.ftl. No message here takes an argument.
ebook-territory = Territory
ebook-contents = Contents
ebook-cover = Cover
ebook-introduction = Introduction
ebook-colophon = Colophon
ebook-title = Title
ebook-edited-by = Edited by
ebook-year = Year
ebook-licence = Licence
ebook-fonts = Typefaces
ebook-fonts-link = embedded typefaces and their licences
ebook-fonts-embedded = Typefaces embedded in this book
ebook-index = Index of networks and territories
ebook-index-networks = Networks
ebook-index-territories = Territories
ebook-index-empty = No entries.
ebook-landmarks = Landmarks
ebook-start = Start
ebook-page = p.
ebook-accessibility-summary = Publication in Italian (a summary in English, when present, is marked as such) meeting WCAG 2.1 level AA. Structured navigation with headings per chapter, practice and section; table of contents and landmarks; logical reading order; tables with headers; notes as EPUB notes; an index of networks and territories linking to the practices. The cover has a text alternative; the charts have a title and a description giving every value, repeated in a table. Embedded typefaces with their licences. No audio or video; no known hazards.
ebook-english-summary = Summary in English
ebook-chart-themes = Practices by theme
ebook-chart-themes-description = Horizontal bar chart: the number of practices of each theme in this edition, most frequent first; the same data are in the table that follows.
ebook-chart-themes-data = Practices by theme: the chart's data
ebook-chart-practices = Practices
ebook-chart-no-theme = No theme
ebook-chart-territories = Territories with the most practices
ebook-chart-territories-description = Horizontal bar chart: the territories (twelve at most) with the most practices in this edition and their number of practices; the same data are in the table that follows.
ebook-chart-territories-data = Territories with the most practices: the chart's data
