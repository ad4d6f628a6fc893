# Meetings: small groups as invitees (issue 7, decision 0036).
meeting-invite-groups = Piccoli gruppi invitati (tutte le reti del gruppo)
invitee-group-label = Gruppo { $number } (raggruppamento { $grouping })
