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
editions-cover-hint = JPEG, PNG or WebP, at most 5 MB and 8000 × 8000 pixels. Shown on the e-book board.
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
editions-build-hint = A build makes the EPUB of the chosen practices as they are now. It runs in the queue: you may leave the page.
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
editions-board-intro = The editions of the e-book of best practices, as accessible EPUB. Every version stays downloadable at its address.
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
field-editions-chapter-title = Chapter title
field-editions-chapter-introduction = Chapter introduction
field-editions-practice = Published practice
field-editions-basis = Chapters
field-editions-build = Build
field-editions-direction = Direction
editions-cli-reading-edition = reading the edition
editions-cli-reading-practices = reading the published practices
editions-cli-writing = writing the files
