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
guest-title = Register for the webinar
guest-intro = No account is needed: give your name and e-mail and we will send you a link to confirm your registration.
guest-submit = Register
guest-sent-title = Check your e-mail
guest-sent-text = We have sent you an e-mail with a link to confirm your registration. The link works for 48 hours.
guest-link-invalid = The link has expired or has already been used. You can register again from the webinar's page.
guest-confirm-title = Confirm your registration
guest-confirm-submit = Confirm my registration
guest-confirmed-title = Registration confirmed
guest-confirmed-text = You are registered. You will receive the calendar file by e-mail and a reminder the day before.
guest-confirmed-waiting = The places are taken: you are on the waiting list and will receive an e-mail if a place frees up.
mail-guest-confirm-subject = Reti: confirm your webinar registration
mail-guest-confirm-body =
    Dear { $name },

    to confirm your registration for the webinar “{ $title }” open this link within 48 hours:

    { $link }

    If you did not ask to register, ignore this message.
guest-link-label = Guest registration
guest-link-text = Public registration form (to share: no account needed)
