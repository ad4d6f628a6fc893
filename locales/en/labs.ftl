# Thematic labs (SPEC §6)
nav-labs = Labs
labs-title = Thematic labs
labs-intro = The labs of your programmes: experts and networks comparing their work on a theme, with sessions, participants and materials.
labs-all = All
labs-filter = Filter
labs-empty = No labs to show.
lab-new = New lab
lab-edit = Edit the lab
lab-other-programmes = Create the lab in another programme:
lab-markdown-hint = You can use Markdown: **bold**, lists, links.
lab-capacity-hint = Leave empty when places are not limited.
lab-enrolment-open = Open to the people of the programme's networks
lab-enrolment-invitation = By invitation only
lab-status-planned = Planned
lab-status-running = Running
lab-status-closed = Closed
lab-participants = Participants
lab-next-session = Next session
lab-networks-count = { $count ->
    [one] one network
   *[other] { $count } networks
}
lab-places = { $enrolled } enrolled of { $capacity } places
lab-enrolled = { $count ->
    [one] one person enrolled
   *[other] { $count } people enrolled
}
lab-enrol = Enrol in the lab
lab-enrol-from = You take part for the network
lab-leave = Leave the lab
lab-you-take-part = You take part for the network { $network }.
lab-closed-note = The lab is closed: it takes no new participants.
lab-invitation-note = Participation is by invitation of the coordination or the experts only.
lab-full-note = The lab is full.
lab-sessions = Sessions
lab-sessions-upcoming = Upcoming sessions
lab-sessions-past = Past sessions
lab-no-sessions = No sessions.
lab-present = { $count ->
    [one] one person present
   *[other] { $count } people present
}
lab-session-host = Network hosting the session
lab-session-add = Add a session
lab-no-participants = Nobody enrolled.
lab-invited = invited
lab-remove = Remove
lab-invite-person = Invite a person
lab-invite-network = Invite a whole network
lab-invite = Invite
lab-experts = Experts
lab-no-experts = No experts named.
lab-guest = guest without an account
lab-expert-account = E-mail of the expert's account
lab-expert-account-hint = An account already on the platform.
lab-expert-add = Add the expert
lab-expert-guest = Or a guest expert, without an account
lab-materials = Materials
lab-no-materials = No materials uploaded.
lab-material-upload = Upload the material
lab-flash-enrolled = Enrolment recorded.
lab-flash-left = You left the lab.
lab-flash-invited = { $count ->
    [0] They were all enrolled already.
    [one] One person enrolled in the lab.
   *[other] { $count } people enrolled in the lab.
}
lab-flash-removed = Person taken off the lab.
lab-flash-material-deleted = Material deleted.
field-enrolment = Enrolment
field-user-id = Person
error-lab-action-line = The field “{ $field }” must be one of the programme's action lines.
error-lab-choice = The field “{ $field }” has an unexpected value: pick one of the options.
error-lab-closed = The lab is closed (field “{ $field }”): it takes no new participants.
error-lab-invitation-only = The lab is by invitation only (field “{ $field }”): ask the coordination or the experts to invite you.
error-lab-full = The lab is full (field “{ $field }”): { $free } places left.
error-lab-capacity-below = The field “{ $field }” cannot be below the { $enrolled } people already enrolled.
error-lab-expert-unknown = The field “{ $field }” matches no active account: check the address or add the expert as a guest.
error-lab-outside-programme = The field “{ $field }” names a person who does not work on that network of the lab's programme.
error-lab-network-empty = The network chosen in “{ $field }” has nobody with an account to invite.
error-lab-programme = The field “{ $field }” must be one of the programmes you coordinate.
