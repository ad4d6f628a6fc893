# Remote exchanges (issue 10): threads, replies, moderation, notifications.
exchange-title = Remote exchanges
exchange-threads = Threads
exchange-empty = No threads yet: open one below.
exchange-author = Author
exchange-replies = Replies
exchange-last-activity = Last message
exchange-unread = Unread
exchange-unread-count = { $count ->
    [one] { $count } new
   *[other] { $count } new
}
exchange-hidden-badge = hidden
exchange-new-thread = Open a thread
exchange-post-thread = Post the thread
exchange-body-hint = Markdown: **bold**, *italics*, lists, [links](https://…). To mention someone write @ followed by their name or e-mail (for example @Anna Bianchi).
exchange-attachment = Attachment (optional)
exchange-attachment-hint = PDF, PNG or JPEG images, Office or OpenDocument files, text or CSV; at most { $limit }.
exchange-messages = Messages
exchange-new-badge = new
exchange-quote = Quote
exchange-hide = Hide
exchange-hidden-by-moderator = Hidden by moderator: { $reason }
exchange-hidden-text = Hidden text (shown to moderators only)
exchange-thread-hidden-title = Thread hidden by a moderator
exchange-thread-closed = The message that opens this thread was hidden: it takes no more replies.
exchange-reply = Reply
exchange-send-reply = Send the reply
exchange-link = Remote exchanges
exchange-link-counts = { $count } threads, { $unread } unread
field-message = Message
field-hide-reason = Reason for hiding the message
field-quote = Quote
field-exchange-mail = E-mail about exchanges
error-exchange-thread-hidden = The field "{ $field }" cannot be sent: the thread was hidden by a moderator and takes no replies.
error-exchange-quote-invalid = The field "{ $field }" is not valid: the quoted message is not part of this thread or was hidden.
error-exchange-mail-invalid = The field "{ $field }" is not valid: choose one of the options offered.
flash-exchange-thread-created = Thread posted.
flash-exchange-reply-added = Reply sent.
flash-exchange-hidden = Message hidden; its author has been told.
flash-notifications-read = All notifications are marked as read.
notification-exchange-thread = { $actor } opened the thread "{ $subject }"
notification-exchange-reply = { $actor } replied in the thread "{ $subject }"
notification-exchange-mention = { $actor } mentioned you in the thread "{ $subject }"
notification-exchange-hidden = { $actor } hid a message of yours in the thread "{ $subject }"
notifications-page-title = Notifications
notifications-empty = No notifications.
notifications-open = Open
notifications-mark-all-read = Mark all as read
notifications-bell = Notifications
notifications-bell-unread = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
exchange-mail-title = E-mail about remote exchanges
exchange-mail-intro = When someone mentions you, replies in a thread you take part in or opens a thread in your network:
exchange-mail-immediate = an e-mail straight away, for each notification
exchange-mail-digest = one digest a day
exchange-mail-none = no e-mail (notifications in the application only)
exchange-mail-save = Save the choice
mail-exchange-subject = Reti: { $subject }
mail-exchange-body =
    Dear { $name },

    { $subject }.

    Read it: { $link }

    You can choose how to receive these e-mails (straight away, one digest a day or none) on your profile: { $title }
mail-exchange-digest-subject = Reti: the digest of the exchanges of { $date }
mail-exchange-digest-body =
    Dear { $name },

    here is what happened in the remote exchanges since the last digest:

    { $items }

    You can choose how to receive these e-mails on your profile: { $title }
