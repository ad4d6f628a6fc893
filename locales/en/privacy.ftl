## Personal data (GDPR, SPEC §9, decision 0050)
consent-label = I have read the privacy notice and consent to the processing of my personal data for this purpose.
consent-notice = Your data (name, e-mail address) is used only to manage your participation in the programme; webinar guests are erased after the retention period. You may ask for a copy or for erasure at any time.
consent-notice-link = Read the full privacy notice
field-consent = Consent to data processing
error-consent-required = To continue you must accept the privacy notice.
account-export = Download my data
account-export-hint = A JSON file with everything the platform holds about you.
erase-link = Erase personal data
erase-title = Erase personal data?
erase-intro = You are about to erase the personal data of { $name }, at their request.
erase-what-goes = Name, e-mail address, phone and tax code are replaced by a pseudonym ("Persona cancellata #"), login is disabled, sessions, tokens and pending invitations are deleted.
erase-what-stays = Attendance, registrations, written content and the audit log stay, without the personal data: counts and indicators do not change.
erase-irreversible = This cannot be undone and is recorded in the audit log.
erase-confirm = Erase for good
erase-cancel = Cancel
flash-person-erased = Personal data erased: the person now appears as “{ $pseudonym }”.
