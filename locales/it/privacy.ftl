## Dati personali (GDPR, SPEC §9, decisione 0050)
consent-label = Ho letto l'informativa sul trattamento dei dati personali e acconsento al trattamento dei miei dati per questa finalità.
consent-notice = I tuoi dati (nome, indirizzo e-mail) servono solo a gestire la tua partecipazione al programma; gli ospiti dei webinar sono cancellati dopo il periodo di conservazione. Puoi chiederne copia o cancellazione in ogni momento.
consent-notice-link = Leggi l'informativa completa
field-consent = Consenso al trattamento dei dati
error-consent-required = Per continuare devi accettare l'informativa sul trattamento dei dati personali.
account-export = Scarica i miei dati
account-export-hint = Un file JSON con tutto ciò che la piattaforma conserva su di te.
erase-link = Cancella i dati personali
erase-title = Cancellare i dati personali?
erase-intro = Stai per cancellare i dati personali di { $name }, su sua richiesta.
erase-what-goes = Nome, indirizzo e-mail, telefono e codice fiscale sono sostituiti da uno pseudonimo («Persona cancellata n.»), l'accesso è disattivato, sessioni, token e inviti in sospeso sono eliminati.
erase-what-stays = Presenze, iscrizioni, contenuti scritti e registro delle modifiche restano, senza i dati personali: conteggi e indicatori non cambiano.
erase-irreversible = L'operazione non si può annullare ed è registrata nel registro delle modifiche.
erase-confirm = Cancella definitivamente
erase-cancel = Annulla
flash-person-erased = Dati personali cancellati: ora la persona compare come «{ $pseudonym }».
