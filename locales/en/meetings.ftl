## Meetings: calendar, meeting page, attendance register, minutes, attachments, actions

meetings-calendar = Meetings calendar
meetings-agenda = My agenda
nav-agenda = Agenda
meetings-agenda-caption = Coming meetings of the networks you follow
meetings-view-month = Month view
meetings-view-list = List view
meetings-from = Meetings from { $month }
meetings-none = No meetings scheduled.
meetings-month-nav = Months
meetings-previous-month = ← Previous month
meetings-next-month = Next month →
meeting-new = New meeting
meeting-edit = Edit the meeting
meeting-cancelled = Cancelled
meeting-cancel = Cancel the meeting
meeting-when = When
meeting-time-zone = Italian time
meeting-time-hint = Date and time in Italy (Europe/Rome).
meeting-place-hint = For meetings in person or hybrid.
meeting-link-hint = For videoconferences, webinars and hybrid meetings: paste the room's link.
meeting-link-hint-room = Leave empty to create a room automatically, or paste another link.
meeting-capacity-hint = Leave empty when places are unlimited; past the limit people join the waiting list.
meeting-series = Series of meetings (repeat)
meeting-registration = Registration
meeting-invite-network = The whole network { $network }
meeting-invite-organisations = Invited organisations
meeting-invite-people = Invited people
meeting-places = { $registered } registered of { $capacity } places
meeting-waiting = { $count ->
    [one] one person on the waiting list
   *[other] { $count } people on the waiting list
}
meeting-download-ics = Download the calendar file (.ics)
meeting-registrations = Registered
meeting-no-registrations = No registrations.
meeting-register-person = Register a person
meeting-register = Register
meeting-register-me = Register me
meeting-unregister-me = Cancel my registration
meeting-register-title = Attendance register
meeting-minutes = Minutes
meeting-minutes-edit = Text of the minutes
meeting-minutes-hint = You can use Markdown: # headings, **bold**, lists with -, links [text](https://…). HTML is not allowed.
meeting-attachments = Attachments
meeting-attach = Attach
meeting-attachment-hint = PDF, PNG or JPEG images, Word, Excel, PowerPoint or OpenDocument files, text, CSV or Markdown; at most { $limit }.
meeting-actions = Decisions and actions
meeting-action-add = Add a decision or an action

meeting-kind-workshop = Group workshop
meeting-kind-accompaniment = Accompaniment meeting
meeting-kind-lab = Lab session
meeting-kind-webinar = Webinar
meeting-mode-in-presenza = In person
meeting-mode-videoconferenza = Videoconference
meeting-mode-webinar = Webinar
meeting-mode-ibrido = Hybrid

repeat-none = No repeat
repeat-weekly = Every week
repeat-fortnightly = Every two weeks
repeat-monthly = Every month

registration-open = Open
registration-closed = Closed
registration-registered = registered
registration-waiting = on the waiting list
registration-cancelled = registration cancelled
registration-cancel = Cancel the registration

invitee-person = person
invitee-organisation = organisation
invitee-network = network

register-present = present
register-absent = absent
register-walk-in = not invited
register-walk-in-add = Add someone who came without an invitation
register-save = Save the register
register-sign = Sign and close the register
register-sign-hint = Signing closes the register: every later correction needs a reason and is logged.
register-signed-by = Register signed by { $who } on { $at }.
register-hash = Fingerprint of the register (SHA-256)
register-hash-mismatch = Warning: the register was changed after signing without going through a correction.
register-not-signed = The register is not signed yet.
register-print = Printable register
register-reason-hint = The register is signed: say why you correct it.
register-corrections = Corrections after signing
register-no-invitees = Nobody invited or registered: add who was there below.
register-signature = Signature
register-summary = Present: { $present }; minutes of attendance in all: { $minutes }

action-kind-action = Action
action-kind-decision = Decision
action-status-open = To do
action-status-in-progress = In progress
action-status-done = Done

home-user-meetings = Your next meetings
home-user-no-meetings = No meetings scheduled for you.
next-step-agenda = See the agenda of your networks' meetings

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun

flash-meetings-created = { $count ->
    [one] Meeting scheduled.
   *[other] { $count } meetings of the series scheduled.
}
flash-meeting-cancelled = Meeting cancelled: whoever has it in their calendar receives the cancellation.
flash-registration-registered = Registration recorded.
flash-registration-waiting = The places are taken: registration on the waiting list.
flash-registration-cancelled = Registration cancelled.
flash-registration-cancelled-promoted = Registration cancelled: the place went to the first person on the waiting list.
flash-register-saved = Attendance register saved.
flash-register-signed = Register signed and closed.
flash-attachment-added = Attachment added.

field-meeting-kind = Kind of meeting
field-mode = Mode
field-place = Place
field-link = Link
field-starts-at = Start
field-ends-at = End
field-agenda = Agenda
field-capacity = Places available
field-registration-open = Registration open
field-repeat = Repeat
field-repeat-count = Number of meetings
field-repeat-until = Until
field-invitees = Invitees
field-person = Person
field-from = From
field-to = To
field-network-id = Network
field-person-id = Person
field-present = Present
field-minutes = Minutes attended
field-walk-in-minutes = Minutes attended
field-reason = Reason for the correction
field-register = Attendance register
field-file = File
field-action-kind = Kind
field-owner = Owner
field-due-on = Due date

error-meeting-kind = The field “{ $field }” is not a kind of meeting: choose one from the list.
error-meeting-mode = The field “{ $field }” is not a mode: write in_presenza, videoconferenza, webinar or ibrido.
error-meeting-repeat = The field “{ $field }” is not a repeat: choose weekly, fortnightly or monthly.
error-datetime-invalid = The field “{ $field }” is not a valid date and time: write them as yyyy-mm-dd hh:mm, for example 2026-05-12 10:00.
error-time-nonexistent = The time in the field “{ $field }” does not exist: that day clocks jump from 2:00 to 3:00 for summer time. Choose a time from 3:00 on.
error-meeting-end-before-start = The field “{ $field }” is before the start (or equal to it): the end must follow the start.
error-meeting-too-long = The field “{ $field }” makes the meeting last more than 24 hours: for several days create a series.
error-capacity-invalid = The field “{ $field }” must be a whole number of places, at least 1, or empty.
error-repeat-count = The field “{ $field }” must be a number of meetings from 2 to 52.
error-repeat-end = The field “{ $field }” is empty: for a series say how many meetings or until when.
error-repeat-until-order = The date in the field “{ $field }” is before the first meeting: correct it.
error-url-invalid = The field “{ $field }” is not a valid link: write it whole, for example https://meet.example.org/room.
error-invitee-invalid = The field “{ $field }” names a person, organisation, network or small group that does not exist or is not of the meeting’s programme.
error-registration-closed = Registration is closed: the person in the field “{ $field }” cannot be registered.
error-person-invalid = The field “{ $field }” names a person who is not in the registry.
error-minutes-invalid = The field “{ $field }” must be a number of minutes between 0 and the length of the meeting.
error-reason-required = The register is signed: the field “{ $field }” is required to correct it.
error-register-empty = The “{ $field }” is empty: record at least one attendance before signing it.
error-register-locked = The register is signed: the field “{ $field }” cannot change, because the time is part of what was signed.
error-attachment-type = The “{ $field }” is not of an accepted type, or its content does not match its extension: upload PDF, images, office documents, text or CSV.
error-attachment-too-large = The “{ $field }” is larger than 10 MB: make it smaller or split it.
error-file-empty = The “{ $field }” is empty: choose a file with some content.
error-action-kind = The field “{ $field }” must be “decision” or “action”.
error-action-status = The field “{ $field }” is not a status: to do, in progress or done.

feeds-title = Calendar subscriptions
feeds-intro = A secret link your calendar program (Outlook, Google Calendar, Thunderbird, your phone) can follow: it shows the meetings and updates itself. Whoever has the link sees the meetings: revoke it if you shared it by mistake.
feeds-none = No active links.
feeds-mine = My meetings
feeds-network = The meetings of the network { $network }
feeds-what = Which meetings
feeds-create = Create a link
feeds-revoke = Revoke
flash-feed-created = Link created: { $link } — copy it into your calendar now, it will not be shown again.
flash-feed-revoked = Link revoked: it no longer works.

## Meeting mail: a series in one invitation, promotion from the waiting list, invitation withdrawn
mail-meeting-series-subject = Invitation: { $title } (series of meetings)
mail-meeting-series-intro = you are invited to the series of { $count } meetings “{ $title }”. The attached file adds them all to your calendar.
mail-meeting-promotion-subject = Place confirmed: { $title }
mail-meeting-promotion-intro = a place has become free: your registration for the meeting “{ $title }” is confirmed.
mail-meeting-uninvited-subject = Invitation withdrawn: { $title }
mail-meeting-uninvited-intro = you are no longer among the invitees of the meeting “{ $title }”. The attached file removes it from your calendar.
