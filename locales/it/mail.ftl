## E-mail degli incontri: inviti, aggiornamenti, annullamenti, promemoria; preferenze di notifica

mail-meeting-invitation-subject = Invito: { $title }
mail-meeting-invitation-intro = sei invitato/a all'incontro «{ $title }».
mail-meeting-update-subject = Aggiornato: { $title }
mail-meeting-update-intro = l'incontro «{ $title }» è stato modificato.
mail-meeting-cancellation-subject = Annullato: { $title }
mail-meeting-cancellation-intro = l'incontro «{ $title }» è stato annullato.
mail-meeting-reminder-subject = Promemoria: { $title } è domani
mail-meeting-reminder-intro = ti ricordiamo l'incontro «{ $title }».
mail-meeting-body =
    Gentile { $name },

    { $intro }

    Quando: { $when } (ora italiana)
    Dove: { $place }

    Dettagli: { $link }

    Il file allegato aggiorna il tuo calendario. Puoi scegliere quali e-mail ricevere dal tuo profilo.
mail-follow-up-subject = Promemoria: un'azione in scadenza
mail-follow-up-body =
    Gentile { $name },

    l'azione «{ $action }», decisa nell'incontro «{ $title }», scade il { $due }.

    Dettagli: { $link }
notifications-title = E-mail che ricevo
notifications-intro = Scegli quali e-mail ricevere sugli incontri a cui sei invitato/a o iscritto/a.
notifications-invitations = Inviti ai nuovi incontri
notifications-updates = Modifiche e annullamenti degli incontri
notifications-reminders = Promemoria il giorno prima dell'incontro
notifications-follow-ups = Promemoria delle azioni a me assegnate in scadenza
guest-title = Iscrizione al webinar
guest-intro = Non serve un account: indica nome ed e-mail e ti manderemo un link per confermare l'iscrizione.
guest-submit = Iscriviti
guest-sent-title = Controlla la posta
guest-sent-text = Ti abbiamo mandato un'e-mail con il link per confermare l'iscrizione. Il link vale 48 ore.
guest-link-invalid = Il link è scaduto o è già stato usato. Puoi iscriverti di nuovo dalla pagina del webinar.
guest-confirm-title = Conferma l'iscrizione
guest-confirm-submit = Confermo l'iscrizione
guest-confirmed-title = Iscrizione confermata
guest-confirmed-text = Sei iscritto/a. Riceverai per e-mail il file per il calendario e un promemoria il giorno prima.
guest-confirmed-waiting = I posti sono esauriti: sei in lista d'attesa e riceverai un'e-mail se si libera un posto.
mail-guest-confirm-subject = Reti: conferma l'iscrizione al webinar
mail-guest-confirm-body =
    Gentile { $name },

    per confermare l'iscrizione al webinar «{ $title }» apri questo link entro 48 ore:

    { $link }

    Se non hai chiesto tu l'iscrizione, ignora questo messaggio.
guest-link-label = Iscrizione degli ospiti
guest-link-text = Modulo pubblico di iscrizione (da condividere: non serve un account)
