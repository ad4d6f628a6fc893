## Incontri: calendario, pagina dell'incontro, registro presenze, verbale, allegati, azioni

meetings-calendar = Calendario degli incontri
meetings-agenda = La mia agenda
nav-agenda = Agenda
meetings-agenda-caption = Prossimi incontri delle reti che segui
meetings-view-month = Vista mese
meetings-view-list = Vista elenco
meetings-from = Incontri da { $month }
meetings-none = Nessun incontro in programma.
meetings-month-nav = Mesi
meetings-previous-month = ← Mese precedente
meetings-next-month = Mese successivo →
meeting-new = Nuovo incontro
meeting-edit = Modifica l'incontro
meeting-cancelled = Annullato
meeting-cancel = Annulla l'incontro
meeting-when = Quando
meeting-time-zone = ora italiana
meeting-time-hint = Data e ora italiane (Europe/Rome).
meeting-place-hint = Per gli incontri in presenza o ibridi.
meeting-link-hint = Per videoconferenze, webinar e incontri ibridi: incolla il link della stanza.
meeting-link-hint-room = Lascia vuoto per creare una stanza automaticamente, oppure incolla un altro link.
meeting-capacity-hint = Lascia vuoto se non ci sono limiti di posti; oltre il limite si entra in lista d'attesa.
meeting-series = Ciclo di incontri (ripetizione)
meeting-registration = Iscrizioni
meeting-invite-network = Tutta la rete { $network }
meeting-invite-organisations = Enti invitati
meeting-invite-people = Persone invitate
meeting-places = { $registered } iscritti su { $capacity } posti
meeting-waiting = { $count ->
    [one] una persona in lista d'attesa
   *[other] { $count } persone in lista d'attesa
}
meeting-download-ics = Scarica il file del calendario (.ics)
meeting-registrations = Iscritti
meeting-no-registrations = Nessuna iscrizione.
meeting-register-person = Iscrivi una persona
meeting-register = Iscrivi
meeting-register-me = Iscriviti
meeting-unregister-me = Annulla la tua iscrizione
meeting-register-title = Registro presenze
meeting-minutes = Verbale
meeting-minutes-edit = Testo del verbale
meeting-minutes-hint = Puoi usare Markdown: # titoli, **grassetto**, elenchi con -, link [testo](https://…). L'HTML non è ammesso.
meeting-attachments = Allegati
meeting-attach = Allega
meeting-attachment-hint = PDF, immagini PNG o JPEG, documenti Word, Excel, PowerPoint o OpenDocument, testo, CSV o Markdown; al massimo { $limit }.
meeting-actions = Decisioni e azioni
meeting-action-add = Aggiungi una decisione o un'azione

meeting-kind-workshop = Workshop di gruppo
meeting-kind-accompaniment = Incontro di accompagnamento
meeting-kind-lab = Sessione di laboratorio
meeting-kind-webinar = Webinar
meeting-mode-in-presenza = In presenza
meeting-mode-videoconferenza = Videoconferenza
meeting-mode-webinar = Webinar
meeting-mode-ibrido = Ibrido

repeat-none = Nessuna ripetizione
repeat-weekly = Ogni settimana
repeat-fortnightly = Ogni due settimane
repeat-monthly = Ogni mese

registration-open = Aperte
registration-closed = Chiuse
registration-registered = iscritto
registration-waiting = in lista d'attesa
registration-cancelled = iscrizione annullata
registration-cancel = Annulla l'iscrizione

invitee-person = persona
invitee-organisation = ente
invitee-network = rete

register-present = presente
register-absent = assente
register-walk-in = non invitato
register-walk-in-add = Aggiungi chi è venuto senza invito
register-save = Salva il registro
register-sign = Firma e chiudi il registro
register-sign-hint = Con la firma il registro si chiude: ogni correzione successiva richiede un motivo e resta tracciata.
register-signed-by = Registro firmato da { $who } il { $at }.
register-hash = Impronta del registro (SHA-256)
register-hash-mismatch = Attenzione: il registro è stato modificato dopo la firma senza passare dalle correzioni.
register-not-signed = Registro non ancora firmato.
register-print = Versione stampabile del registro
register-reason-hint = Il registro è firmato: spiega perché lo correggi.
register-corrections = Correzioni dopo la firma
register-no-invitees = Nessun invitato o iscritto: aggiungi chi era presente qui sotto.
register-signature = Firma
register-summary = Presenti: { $present }; minuti di presenza in tutto: { $minutes }

action-kind-action = Azione
action-kind-decision = Decisione
action-status-open = Da fare
action-status-in-progress = In corso
action-status-done = Fatta

home-user-meetings = I tuoi prossimi incontri
home-user-no-meetings = Nessun incontro in programma per te.
next-step-agenda = Consulta l'agenda degli incontri delle tue reti

month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre
weekday-1 = lun
weekday-2 = mar
weekday-3 = mer
weekday-4 = gio
weekday-5 = ven
weekday-6 = sab
weekday-7 = dom

flash-meetings-created = { $count ->
    [one] Incontro programmato.
   *[other] Programmati { $count } incontri del ciclo.
}
flash-meeting-cancelled = Incontro annullato: chi lo ha in calendario riceve l'annullamento.
flash-registration-registered = Iscrizione registrata.
flash-registration-waiting = I posti sono esauriti: iscrizione in lista d'attesa.
flash-registration-cancelled = Iscrizione annullata.
flash-registration-cancelled-promoted = Iscrizione annullata: il posto è andato alla prima persona in lista d'attesa.
flash-register-saved = Registro presenze salvato.
flash-register-signed = Registro firmato e chiuso.
flash-attachment-added = Allegato aggiunto.

field-meeting-kind = Tipo di incontro
field-mode = Modalità
field-place = Luogo
field-link = Link
field-starts-at = Inizio
field-ends-at = Fine
field-agenda = Ordine del giorno
field-capacity = Posti disponibili
field-registration-open = Iscrizioni aperte
field-repeat = Ripetizione
field-repeat-count = Numero di incontri
field-repeat-until = Fino al
field-invitees = Invitati
field-person = Persona
field-from = Dal giorno
field-to = Al giorno
field-network-id = Rete
field-person-id = Persona
field-present = Presente
field-minutes = Minuti di presenza
field-walk-in-minutes = Minuti di presenza
field-reason = Motivo della correzione
field-register = Registro presenze
field-file = File
field-action-kind = Tipo
field-owner = Responsabile
field-due-on = Scadenza

error-meeting-kind = Il campo «{ $field }» non contiene un tipo di incontro previsto: scegline uno dall'elenco.
error-meeting-mode = Il campo «{ $field }» non contiene una modalità prevista: scrivi in_presenza, videoconferenza, webinar o ibrido.
error-meeting-repeat = Il campo «{ $field }» non contiene una ripetizione prevista: scegli settimanale, quindicinale o mensile.
error-datetime-invalid = Il campo «{ $field }» non contiene una data e un'ora valide: scrivile come aaaa-mm-gg hh:mm, per esempio 2026-05-12 10:00.
error-time-nonexistent = L'ora del campo «{ $field }» non esiste: quel giorno gli orologi passano dalle 2:00 alle 3:00 per l'ora legale. Scegli un'ora dalle 3:00 in poi.
error-meeting-end-before-start = Il campo «{ $field }» viene prima dell'inizio (o coincide): la fine deve seguire l'inizio.
error-meeting-too-long = Il campo «{ $field }» fa durare l'incontro più di 24 ore: per più giorni crea un ciclo di incontri.
error-capacity-invalid = Il campo «{ $field }» deve essere un numero intero di posti, almeno 1, oppure vuoto.
error-repeat-count = Il campo «{ $field }» deve essere un numero di incontri da 2 a 52.
error-repeat-end = Il campo «{ $field }» è vuoto: per un ciclo indica quanti incontri oppure fino a quando.
error-repeat-until-order = La data del campo «{ $field }» viene prima del primo incontro: correggila.
error-url-invalid = Il campo «{ $field }» non contiene un link valido: scrivilo completo, per esempio https://meet.example.org/stanza.
error-invitee-invalid = Il campo «{ $field }» indica una persona, un ente, una rete o un piccolo gruppo che non esiste o non è del programma dell’incontro.
error-registration-closed = Le iscrizioni sono chiuse: non è possibile iscrivere la persona del campo «{ $field }».
error-person-invalid = Il campo «{ $field }» indica una persona che non è in anagrafica.
error-minutes-invalid = Il campo «{ $field }» deve essere un numero di minuti tra 0 e la durata dell'incontro.
error-reason-required = Il registro è firmato: il campo «{ $field }» è obbligatorio per correggerlo.
error-register-empty = Il «{ $field }» è vuoto: registra almeno una presenza prima di firmarlo.
error-register-locked = Il registro è firmato: il campo «{ $field }» non si può cambiare, perché l'orario fa parte di quanto firmato.
error-attachment-type = Il «{ $field }» non è di un tipo ammesso, o il contenuto non corrisponde all'estensione: carica PDF, immagini, documenti d'ufficio, testo o CSV.
error-attachment-too-large = Il «{ $field }» supera i 10 MB: riducilo o dividilo in più parti.
error-file-empty = Il «{ $field }» è vuoto: scegli un file con un contenuto.
error-action-kind = Il campo «{ $field }» deve essere «decisione» o «azione».
error-action-status = Il campo «{ $field }» non contiene uno stato previsto: da fare, in corso o fatta.

feeds-title = Abbonamenti al calendario
feeds-intro = Un link segreto che il tuo programma di calendario (Outlook, Google Calendar, Thunderbird, il telefono) può seguire: mostra gli incontri e si aggiorna da solo. Chi ha il link vede gli incontri: revocalo se lo hai condiviso per errore.
feeds-none = Nessun link attivo.
feeds-mine = I miei incontri
feeds-network = Gli incontri della rete { $network }
feeds-what = Quali incontri
feeds-create = Crea un link
feeds-revoke = Revoca
flash-feed-created = Link creato: { $link } — copialo ora nel tuo calendario, non sarà più mostrato.
flash-feed-revoked = Link revocato: non funziona più.

## Meeting mail: a series in one invitation, promotion from the waiting list, invitation withdrawn
mail-meeting-series-subject = Invito: { $title } (serie di incontri)
mail-meeting-series-intro = sei invitato/a alla serie di { $count } incontri «{ $title }». Il file allegato li aggiunge tutti al tuo calendario.
mail-meeting-promotion-subject = Posto confermato: { $title }
mail-meeting-promotion-intro = si è liberato un posto: la tua iscrizione all'incontro «{ $title }» è confermata.
mail-meeting-uninvited-subject = Invito ritirato: { $title }
mail-meeting-uninvited-intro = l'incontro «{ $title }» non ti vede più tra gli invitati. Il file allegato lo toglie dal tuo calendario.
