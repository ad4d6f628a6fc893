# Laboratori tematici (SPEC §6)
nav-labs = Laboratori
labs-title = Laboratori tematici
labs-intro = I laboratori dei tuoi programmi: esperti e reti a confronto su un tema, con sessioni, partecipanti e materiali.
labs-all = Tutti
labs-filter = Filtra
labs-empty = Nessun laboratorio da mostrare.
lab-new = Nuovo laboratorio
lab-edit = Modifica il laboratorio
lab-other-programmes = Crea il laboratorio in un altro programma:
lab-markdown-hint = Puoi usare Markdown: **grassetto**, elenchi, link.
lab-capacity-hint = Lascia vuoto se non ci sono limiti di posti.
lab-enrolment-open = Iscrizione libera per le persone delle reti del programma
lab-enrolment-invitation = Solo su invito
lab-status-planned = In programma
lab-status-running = In corso
lab-status-closed = Concluso
lab-participants = Partecipanti
lab-next-session = Prossima sessione
lab-networks-count = { $count ->
    [one] una rete
   *[other] { $count } reti
}
lab-places = { $enrolled } iscritti su { $capacity } posti
lab-enrolled = { $count ->
    [one] una persona iscritta
   *[other] { $count } persone iscritte
}
lab-enrol = Iscriviti al laboratorio
lab-enrol-from = Partecipi per la rete
lab-leave = Lascia il laboratorio
lab-you-take-part = Partecipi per la rete { $network }.
lab-closed-note = Il laboratorio è concluso: non accetta nuove iscrizioni.
lab-invitation-note = Si partecipa solo su invito del coordinamento o degli esperti.
lab-full-note = Il laboratorio è al completo.
lab-sessions = Sessioni
lab-sessions-upcoming = Prossime sessioni
lab-sessions-past = Sessioni passate
lab-no-sessions = Nessuna sessione.
lab-present = { $count ->
    [one] una persona presente
   *[other] { $count } persone presenti
}
lab-session-host = Rete che ospita la sessione
lab-session-add = Aggiungi una sessione
lab-no-participants = Nessuna persona iscritta.
lab-invited = su invito
lab-remove = Rimuovi
lab-invite-person = Invita una persona
lab-invite-network = Invita un'intera rete
lab-invite = Invita
lab-experts = Esperti
lab-no-experts = Nessun esperto indicato.
lab-guest = ospite senza account
lab-expert-account = E-mail dell'account dell'esperto
lab-expert-account-hint = Un account già presente sulla piattaforma.
lab-expert-add = Aggiungi l'esperto
lab-expert-guest = Oppure un esperto ospite, senza account
lab-materials = Materiali
lab-no-materials = Nessun materiale caricato.
lab-material-upload = Carica il materiale
lab-flash-enrolled = Iscrizione registrata.
lab-flash-left = Hai lasciato il laboratorio.
lab-flash-invited = { $count ->
    [0] Erano già tutti iscritti.
    [one] Una persona iscritta al laboratorio.
   *[other] { $count } persone iscritte al laboratorio.
}
lab-flash-removed = Persona tolta dal laboratorio.
lab-flash-material-deleted = Materiale eliminato.
field-enrolment = Iscrizione
field-user-id = Persona
error-lab-action-line = Il campo «{ $field }» deve essere una delle linee d'azione del programma.
error-lab-choice = Il campo «{ $field }» ha un valore non previsto: scegli una delle opzioni.
error-lab-closed = Il laboratorio è concluso (campo «{ $field }»): non accetta nuove iscrizioni.
error-lab-invitation-only = Il laboratorio è solo su invito (campo «{ $field }»): chiedi al coordinamento o agli esperti di invitarti.
error-lab-full = Il laboratorio è al completo (campo «{ $field }»): restano { $free } posti.
error-lab-capacity-below = Il campo «{ $field }» non può essere inferiore alle { $enrolled } persone già iscritte.
error-lab-expert-unknown = Il campo «{ $field }» non corrisponde a nessun account attivo: controlla l'indirizzo o aggiungi l'esperto come ospite.
error-lab-outside-programme = Il campo «{ $field }» indica una persona che non lavora su quella rete del programma del laboratorio.
error-lab-network-empty = La rete scelta nel campo «{ $field }» non ha persone con un account da invitare.
error-lab-programme = Il campo «{ $field }» deve essere uno dei programmi che coordini.
