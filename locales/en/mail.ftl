## Meeting e-mail: invitations, updates, cancellations, reminders; notification preferences

mail-meeting-invitation-subject = Invitation: { $title }
mail-meeting-invitation-intro = you are invited to the meeting “{ $title }”.
mail-meeting-update-subject = Updated: { $title }
mail-meeting-update-intro = the meeting “{ $title }” has changed.
mail-meeting-cancellation-subject = Cancelled: { $title }
mail-meeting-cancellation-intro = the meeting “{ $title }” has been cancelled.
mail-meeting-reminder-subject = Reminder: { $title } is tomorrow
mail-meeting-reminder-intro = this is a reminder of the meeting “{ $title }”.
mail-meeting-body =
    Dear { $name },

    { $intro }

    When: { $when } (Italian time)
    Where: { $place }

    Details: { $link }

    The attached file updates your calendar. You can choose which e-mails you receive on your profile.
mail-follow-up-subject = Reminder: an action falling due
mail-follow-up-body =
    Dear { $name },

    the action “{ $action }”, agreed at the meeting “{ $title }”, is due on { $due }.

    Details: { $link }
notifications-title = E-mails I receive
notifications-intro = Choose which e-mails you receive about the meetings you are invited or registered to.
notifications-invitations = Invitations to new meetings
notifications-updates = Changes and cancellations of meetings
notifications-reminders = Reminders the day before a meeting
notifications-follow-ups = Reminders of actions assigned to me falling due
