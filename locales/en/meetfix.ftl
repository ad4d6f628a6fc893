# Meetings: small groups as invitees (issue 7, decision 0036).
meeting-invite-groups = Small groups invited (every network of the group)
invitee-group-label = Group { $number } (grouping { $grouping })
