## Languages
language-name-it = Italiano
language-name-en = English

## Navigation
nav-home = Home
nav-users = Accounts and invitations
nav-invite = Invite someone
nav-audit = Change log
nav-account = My profile

## Roles
role-admin = Platform administration
role-coordinator = Regional coordination
role-facilitator = Facilitator / Expert
role-network-lead = Network coordinator
role-network-member = Network member

## Fields
field-email = E-mail address
field-name = Name
field-password = Password
field-new-password = New password
field-current-password = Current password
field-password-confirm = Password confirmation
field-programme = Programme
field-role = Role
field-locale = Language
field-token-name = Token name

## Field errors
error-required = “{ $field }” is required: please fill it in.
error-email-invalid = “{ $field }” is not a valid e-mail address: write it as name@domain.org.
error-name-invalid = “{ $field }” is too long or contains characters that are not allowed: use at most 200 characters.
error-password-too-short = “{ $field }” is too short: use at least 12 characters.
error-password-too-long = “{ $field }” is too long: use at most 256 characters.
error-password-mismatch = “{ $field }” does not match the new password: type the same password again.
error-current-password = “{ $field }” is not correct: enter the password you log in with.
error-role-invalid = “{ $field }” is not one of the roles: choose one from the list.
error-programme-invalid = “{ $field }” is not a programme you coordinate: choose one from the list.
error-locale-invalid = “{ $field }” is not an available language: choose Italian or English.
error-duplicate = The value of “{ $field }” is already registered: use another one or edit the existing record.
form-has-errors = The form has errors:

## Error pages
error-not-found = Page not found
error-not-found-detail = This address matches no page: check the link or go back to the home page.
error-forbidden = Access not allowed
error-forbidden-detail = Your profile does not give access to this page. If you think this is a mistake, contact the programme's coordination.
error-unauthorized = Login required
error-unauthorized-detail = Please log in with your credentials to continue.
error-csrf = Form expired
error-csrf-detail = The form is no longer valid, for example because your session expired: go back, reload the page and submit again.
error-gone = Link no longer valid
error-gone-detail = The link has expired or has already been used.
error-rate-limited = Too many attempts
error-rate-limited-detail = You made too many attempts in a short time: wait a few minutes and try again.
error-payload-too-large = Submission too large
error-payload-too-large-detail = The data sent exceeds the maximum size allowed: reduce it or split it into several submissions.
error-method-not-allowed = Operation not allowed
error-method-not-allowed-detail = This page does not accept the requested operation.
error-conflict = Data already present
error-conflict-detail = The data sent conflicts with data already registered.
error-invalid = Invalid data
error-invalid-detail = The request contains invalid data: correct the fields indicated and try again.
error-internal = Something went wrong
error-internal-detail = Something failed on our side and no data was changed. Try again shortly; if the problem persists, give support the code below.

## Home
home-title = Home
home-public-heading = Local networks for integration
home-public-lead = Reti is the shared workspace of the local networks that promote the integration of third-country nationals: municipalities, schools, adult-education centres, health services, the third sector and migrant associations.
home-public-body = The platform supports the regional programme from reading the networks' generative potential to sharing good practices, so that at the end of the path local networks are stronger, more competent and better able to govern integrated interventions.
home-activity-1-title = Focus on the projects
home-activity-1-text = Shared reading tools to map each network's generative potential, and meetings in small groups.
home-activity-2-title = Accompanying the local networks
home-activity-2-text = Regular meetings, an accompaniment diary and an objectives–processes matrix.
home-activity-3-title = Thematic labs
home-activity-3-text = Exchange between networks, remote collaboration and an e-book of good practices with a public board of experiences.
home-public-login = Log in to the reserved area
home-user-heading = Welcome, { $name }
home-user-roles = Your roles
home-user-no-roles = You have no role in a programme yet: ask the coordination to invite you.
home-user-networks = Your networks
home-user-no-networks = You do not work on any network yet.
home-user-next-steps = Next steps
next-step-invite = Invite the programme's people
next-step-users = Check who has access and with which role
next-step-audit = Browse the change log
next-step-profile = Complete your profile
next-step-tokens = Manage language, password and API tokens

## Login
login-title = Log in
login-submit = Log in
login-forgot = Forgot your password?
login-failed = Wrong e-mail address or password: check them and try again.
login-throttled = Too many failed login attempts: wait 15 minutes and try again, or reset your password.
password-hint = At least 12 characters. A phrase of several words is easy to remember and hard to guess.

## Forgotten password
forgot-title = Reset your password
forgot-intro = Enter your account's e-mail address: we will send you a link to choose a new password, valid for one hour.
forgot-submit = Send the link
forgot-sent-title = Check your e-mail
forgot-sent-text = If the address belongs to an account, you will shortly receive an e-mail with a link to reset your password. The link is valid for one hour and can be used once.
reset-title = Choose a new password
reset-intro = New password for the account { $email }.
reset-submit = Save the new password
link-invalid-title = Link no longer valid
link-invalid-text = The link has expired or has already been used. You can ask for a new one.
mail-reset-subject = Reti: reset your password
mail-reset-body =
    Dear { $name },

    we received a request to reset the password of your Reti account.
    To choose a new one, open this link within one hour:

    { $link }

    If you did not ask for this, ignore this message: your password stays the same.

mail-password-changed-subject = Reti: the password of your account was changed
mail-password-changed-body =
    Dear { $name },

    the password of your Reti account was changed on { $when } (Italian time).
    The other sessions open with your account have been closed.

    If it was you, there is nothing to do.

    If it was not you, someone may have access to your account: choose a new password at once on this page

    { $link }

    and tell the coordination of your programme.

## Invitations
invite-title = Invite someone
invite-intro = The person will receive an e-mail with a personal link, valid for 7 days and usable once, to create their account with the chosen role.
invite-submit = Send the invitation
flash-invitation-sent = Invitation sent to { $email }.
accept-title = Accept the invitation
accept-intro = You are invited as “{ $role }” in the programme { $programme } with the address { $email }.
accept-existing-account = You already have an account with this address: confirming adds the new role to those you have.
accept-submit = Accept and continue
invitation-invalid-text = The invitation has expired or has already been used. Ask the coordination to send you a new one.
flash-invitation-accepted = Invitation accepted: welcome to Reti.
mail-invitation-subject = Reti: you are invited to take part
mail-invitation-body =
    Hello,

    { $inviter } invites you to take part in the programme { $programme } on the Reti platform as “{ $role }”.
    To accept and create your account, open this link within 7 days:

    { $link }

    If you did not expect this invitation, ignore this message.

## People
users-title = People with access
users-caption = People holding a role in the programmes you coordinate
users-roles = Roles

## Change log
audit-title = Change log
audit-intro = Every change to the data is recorded with its author, date and time, and the state before and after.
audit-actor = Author
audit-entity = Kind of record
audit-action = Operation
audit-since = From
audit-until = To
audit-any = All
audit-filter = Filter
audit-when = Date and time
audit-before = Before
audit-after = After
audit-count = { $count ->
    [one] One change found.
   *[other] { $count } changes found.
}
pagination-label = Pagination
pagination-previous = Previous page
pagination-next = Next page

## Profile
account-title = My profile
account-profile = Account details
account-language = Interface language
account-save = Save
account-change-password = Change password
account-tokens = API tokens
account-tokens-intro = Tokens let another program use the Reti API on your behalf. Keep them like a password; you can revoke them at any time.
account-no-tokens = You have no active tokens.
account-token-create = Create a token
account-token-created = Here is the new token. Copy it now: it will not be shown again.
account-token-revoke = Revoke
account-token-revoked = Revoked
flash-saved = Changes saved.
flash-password-changed = Password changed. Your other open sessions have been closed.
flash-password-reset = Password reset: you can now log in with the new password.
flash-token-revoked = Token revoked.
account-sessions = Open sessions
account-sessions-intro = The browsers where you are logged in with your account. If you do not recognise a session, end it and change your password.
account-session-logged-in = Logged in
account-session-address = Network address
account-session-expires = Ends if unused
account-session-state = State
account-session-current = This session
account-session-end = End
account-sessions-end-others = End all other sessions
flash-sessions-ended = { $count ->
    [0] There were no other open sessions.
    [one] One session ended.
   *[other] { $count } sessions ended.
}

## Accessibility statement
accessibility-title = Accessibility statement
accessibility-status-heading = Compliance status
accessibility-status-text = Reti is committed to making its service accessible, in accordance with Italian Law no. 4 of 9 January 2004 and the AgID Guidelines, which refer to WCAG 2.1 level AA. Every page is checked automatically with axe-core on every code change.
accessibility-measures-heading = How we ensure it
accessibility-measures-text = Pages also work without JavaScript, can be used with the keyboard, have a link to skip to the content, text alternatives, and data tables next to charts and maps.
accessibility-feedback-heading = Feedback
accessibility-feedback-text = If you meet a barrier, write to the programme's coordination naming the page and the problem: we will answer within 30 days.
accessibility-enforcement-heading = Enforcement procedure
accessibility-enforcement-text = If the answer is unsatisfactory or missing, you can turn to the Digital Ombudsman at AgID.

## Privacy notice
privacy-title = Privacy notice
privacy-controller-heading = Data controller
privacy-controller-text = The controller is the body that runs the regional programme (for LAB'IMPACT, ANCI Lombardia), under Regulation (EU) 2016/679.
privacy-data-heading = Which data we process
privacy-data-text = Name, e-mail address, role in the programme and organisations of the people who use the platform. The people the projects serve are never registered by name: they appear in aggregate figures only.
privacy-purpose-heading = For which purposes
privacy-purpose-text = To run the programme's activities (accompanying networks, meetings, labs, good practices) and to report on them to the fund that finances them.
privacy-retention-heading = For how long
privacy-retention-text = For the duration of the programme and the retention period the fund's reporting requires; login sessions expire after 8 hours of inactivity. Webinar guests' data is erased 12 months after the event. From your profile you can download your data ("Download my data").
privacy-rights-heading = Your rights
privacy-rights-text = You can ask the controller for access, correction, erasure or portability of your data; you can lodge a complaint with the Italian Data Protection Authority.

## Command line
cli-unknown-programme = The programme “{ $code }” does not exist: give the code of a registered programme, e.g. PROG-2463.
cli-unknown-user = No account has the address { $email }: check the address or create the account with “reti user create”.
cli-import-error = line { $line }: { $message } (value: “{ $value }”)
cli-import-dry-run = Check passed, nothing was written: { $rows } rows, { $created } new records, { $updated } updates.
cli-import-done = Import complete: { $rows } rows, { $created } new records, { $updated } updates.
next-step-networks = Browse the local networks and their organisations
next-step-import = Import organisations, people and networks from spreadsheets
home-user-all-networks = See all networks.
