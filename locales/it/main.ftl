## Lingue
language-name-it = Italiano
language-name-en = English

## Navigazione
nav-home = Home
nav-users = Account e inviti
nav-invite = Invita una persona
nav-audit = Registro delle modifiche
nav-account = Il mio profilo

## Ruoli
role-admin = Amministrazione piattaforma
role-coordinator = Coordinamento regionale
role-facilitator = Accompagnatore / Esperto
role-network-lead = Referente di rete
role-network-member = Membro di rete

## Campi
field-email = Indirizzo e-mail
field-name = Nome
field-password = Password
field-new-password = Nuova password
field-current-password = Password attuale
field-password-confirm = Conferma della password
field-programme = Programma
field-role = Ruolo
field-locale = Lingua
field-token-name = Nome del token

## Errori dei campi
error-required = Il campo «{ $field }» è obbligatorio: compilalo.
error-email-invalid = Il campo «{ $field }» non contiene un indirizzo e-mail valido: scrivilo nella forma nome@dominio.it.
error-name-invalid = Il campo «{ $field }» è troppo lungo o contiene caratteri non ammessi: usa al massimo 200 caratteri.
error-password-too-short = La «{ $field }» è troppo corta: usa almeno 12 caratteri.
error-password-too-long = La «{ $field }» è troppo lunga: usa al massimo 256 caratteri.
error-password-mismatch = Il campo «{ $field }» non coincide con la nuova password: riscrivila uguale.
error-current-password = La «{ $field }» non è corretta: inserisci quella che usi per accedere.
error-role-invalid = Il campo «{ $field }» non contiene un ruolo previsto: scegline uno dall'elenco.
error-programme-invalid = Il campo «{ $field }» non indica un programma che coordini: scegline uno dall'elenco.
error-locale-invalid = Il campo «{ $field }» non indica una lingua disponibile: scegli italiano o inglese.
error-duplicate = Il valore del campo «{ $field }» è già registrato: usane un altro o modifica la scheda esistente.
form-has-errors = Il modulo contiene errori:

## Pagine di errore
error-not-found = Pagina non trovata
error-not-found-detail = L'indirizzo non corrisponde a nessuna pagina: controlla il link o torna alla home.
error-forbidden = Accesso non consentito
error-forbidden-detail = Il tuo profilo non ha accesso a questa pagina. Se pensi che sia un errore, contatta il coordinamento del programma.
error-unauthorized = Accesso richiesto
error-unauthorized-detail = Per continuare devi accedere con le tue credenziali.
error-csrf = Modulo scaduto
error-csrf-detail = Il modulo non è più valido, per esempio perché la sessione è scaduta: torna indietro, ricarica la pagina e invia di nuovo.
error-gone = Link non più valido
error-gone-detail = Il link è scaduto o è già stato usato.
error-rate-limited = Troppi tentativi
error-rate-limited-detail = Hai fatto troppi tentativi in poco tempo: attendi qualche minuto e riprova.
error-payload-too-large = Invio troppo grande
error-payload-too-large-detail = I dati inviati superano la dimensione massima consentita: riduci il contenuto o dividilo in più invii.
error-method-not-allowed = Operazione non consentita
error-method-not-allowed-detail = Questa pagina non accetta l'operazione richiesta.
error-conflict = Dati già presenti
error-conflict-detail = I dati inviati sono in conflitto con dati già registrati.
error-invalid = Dati non validi
error-invalid-detail = La richiesta contiene dati non validi: correggi i campi indicati e riprova.
error-internal = Si è verificato un errore
error-internal-detail = Qualcosa non ha funzionato da parte nostra e nessun dato è stato modificato. Riprova tra poco; se il problema continua, comunica al supporto il codice qui sotto.

## Home
home-title = Home
home-public-heading = Reti territoriali per l'integrazione
home-public-lead = Reti è lo spazio di lavoro comune delle reti territoriali che promuovono l'integrazione dei cittadini di paesi terzi: comuni, scuole, CPIA, servizi sanitari, terzo settore e associazioni di migranti.
home-public-body = La piattaforma accompagna il programma regionale dalla lettura del potenziale generativo delle reti fino alla diffusione delle buone prassi, perché al termine del percorso le reti locali siano più forti, più competenti e più capaci di governare interventi integrati.
home-activity-1-title = Il focus sui progetti
home-activity-1-text = Strumenti di lettura condivisi per mappare il potenziale generativo di ogni rete e incontri in piccoli gruppi.
home-activity-2-title = Accompagnamento alle reti locali
home-activity-2-text = Incontri periodici, diario dell'accompagnamento e matrice organizzativa per obiettivi e processi.
home-activity-3-title = Laboratori
home-activity-3-text = Confronto tra reti, scambi a distanza e un e-book delle buone prassi con la bacheca delle esperienze.
home-public-login = Accedi all'area riservata
home-user-heading = Benvenuta, benvenuto { $name }
home-user-roles = I tuoi ruoli
home-user-no-roles = Non hai ancora un ruolo in un programma: chiedi al coordinamento di invitarti.
home-user-networks = Le tue reti
home-user-no-networks = Non lavori ancora su nessuna rete.
home-user-next-steps = Prossimi passi
next-step-invite = Invita le persone del programma
next-step-users = Controlla chi ha accesso e con quale ruolo
next-step-audit = Consulta il registro delle modifiche
next-step-profile = Completa il tuo profilo
next-step-tokens = Gestisci lingua, password e token per le API

## Accesso
login-title = Accedi
login-submit = Accedi
login-forgot = Hai dimenticato la password?
login-failed = Indirizzo e-mail o password non corretti: controlla i dati e riprova.
login-throttled = Troppi tentativi di accesso non riusciti: attendi 15 minuti e riprova, oppure reimposta la password.
password-hint = Almeno 12 caratteri. Una frase di più parole è facile da ricordare e difficile da indovinare.

## Password dimenticata
forgot-title = Reimposta la password
forgot-intro = Scrivi l'indirizzo e-mail del tuo account: ti invieremo un link per scegliere una nuova password, valido per un'ora.
forgot-submit = Invia il link
forgot-sent-title = Controlla la posta
forgot-sent-text = Se l'indirizzo corrisponde a un account, riceverai a breve un'e-mail con il link per reimpostare la password. Il link vale un'ora e si può usare una sola volta.
reset-title = Scegli una nuova password
reset-intro = Nuova password per l'account { $email }.
reset-submit = Salva la nuova password
link-invalid-title = Link non più valido
link-invalid-text = Il link è scaduto o è già stato usato. Puoi chiederne uno nuovo.
mail-reset-subject = Reti: reimposta la password
mail-reset-body =
    Gentile { $name },

    abbiamo ricevuto una richiesta di reimpostare la password del tuo account Reti.
    Per sceglierne una nuova apri questo link entro un'ora:

    { $link }

    Se non hai fatto tu la richiesta, ignora questo messaggio: la password resta invariata.

mail-password-changed-subject = Reti: la password del tuo account è cambiata
mail-password-changed-body =
    Gentile { $name },

    la password del tuo account Reti è stata cambiata il { $when } (ora italiana).
    Le altre sessioni aperte con il tuo account sono state chiuse.

    Se sei stata o stato tu, non devi fare nulla.

    Se non sei stata o stato tu, qualcuno potrebbe avere accesso al tuo account: scegli subito una nuova password da questa pagina

    { $link }

    e avvisa il coordinamento del tuo programma.

## Inviti
invite-title = Invita una persona
invite-intro = La persona riceverà un'e-mail con un link personale, valido 7 giorni e utilizzabile una sola volta, per creare il proprio account con il ruolo scelto.
invite-submit = Invia l'invito
flash-invitation-sent = Invito inviato a { $email }.
accept-title = Accetta l'invito
accept-intro = Sei invitata o invitato come «{ $role }» nel programma { $programme } con l'indirizzo { $email }.
accept-existing-account = Hai già un account con questo indirizzo: confermando, il nuovo ruolo si aggiunge a quelli che hai.
accept-submit = Accetta e continua
invitation-invalid-text = L'invito è scaduto o è già stato usato. Chiedi al coordinamento di inviartene uno nuovo.
flash-invitation-accepted = Invito accettato: benvenuta, benvenuto in Reti.
mail-invitation-subject = Reti: sei invitata o invitato a partecipare
mail-invitation-body =
    Buongiorno,

    { $inviter } ti invita a partecipare al programma { $programme } sulla piattaforma Reti con il ruolo «{ $role }».
    Per accettare e creare il tuo account apri questo link entro 7 giorni:

    { $link }

    Se non ti aspettavi questo invito, ignora il messaggio.

## Persone
users-title = Persone con accesso
users-caption = Persone che hanno un ruolo nei programmi che coordini
users-roles = Ruoli

## Registro delle modifiche
audit-title = Registro delle modifiche
audit-intro = Ogni modifica ai dati è registrata con autore, data e ora, stato precedente e successivo.
audit-actor = Autore
audit-entity = Tipo di dato
audit-action = Operazione
audit-since = Dal
audit-until = Al
audit-any = Tutti
audit-filter = Filtra
audit-when = Data e ora
audit-before = Prima
audit-after = Dopo
audit-count = { $count ->
    [one] Una modifica trovata.
   *[other] { $count } modifiche trovate.
}
pagination-label = Paginazione
pagination-previous = Pagina precedente
pagination-next = Pagina successiva

## Profilo
account-title = Il mio profilo
account-profile = Dati dell'account
account-language = Lingua dell'interfaccia
account-save = Salva
account-change-password = Cambia la password
account-tokens = Token per le API
account-tokens-intro = I token permettono a un altro programma di usare le API di Reti a tuo nome. Conservali come una password; puoi revocarli in ogni momento.
account-no-tokens = Non hai token attivi.
account-token-create = Crea un token
account-token-created = Ecco il nuovo token. Copialo ora: non sarà più mostrato.
account-token-revoke = Revoca
account-token-revoked = Revocato
flash-saved = Modifiche salvate.
flash-password-changed = Password cambiata. Le altre sessioni aperte con il tuo account sono state chiuse.
flash-password-reset = Password reimpostata: ora puoi accedere con la nuova password.
flash-token-revoked = Token revocato.
account-sessions = Sessioni aperte
account-sessions-intro = I browser in cui hai effettuato l'accesso con il tuo account. Se non riconosci una sessione, chiudila e cambia la password.
account-session-logged-in = Accesso
account-session-address = Indirizzo di rete
account-session-expires = Scade se inattiva
account-session-state = Stato
account-session-current = Questa sessione
account-session-end = Chiudi
account-sessions-end-others = Chiudi tutte le altre sessioni
flash-sessions-ended = { $count ->
    [0] Non c'erano altre sessioni aperte.
    [one] Una sessione chiusa.
   *[other] { $count } sessioni chiuse.
}

## Dichiarazione di accessibilità
accessibility-title = Dichiarazione di accessibilità
accessibility-status-heading = Stato di conformità
accessibility-status-text = Reti si impegna a rendere il proprio servizio accessibile, conformemente alla Legge 9 gennaio 2004, n. 4 e alle Linee guida AgID, che rimandano alle WCAG 2.1 livello AA. Ogni pagina è verificata automaticamente con axe-core a ogni modifica del codice.
accessibility-measures-heading = Come lo garantiamo
accessibility-measures-text = Le pagine funzionano anche senza JavaScript, si usano da tastiera, hanno un collegamento per saltare al contenuto, testi alternativi e tabelle di dati accanto a grafici e mappe.
accessibility-feedback-heading = Segnalazioni
accessibility-feedback-text = Se incontri un ostacolo, scrivi al coordinamento del programma indicando la pagina e il problema: risponderemo entro 30 giorni.
accessibility-enforcement-heading = Procedura di attuazione
accessibility-enforcement-text = In caso di risposta insoddisfacente o mancata risposta puoi rivolgerti al Difensore civico per il digitale presso AgID.

## Informativa privacy
privacy-title = Informativa sul trattamento dei dati personali
privacy-controller-heading = Titolare del trattamento
privacy-controller-text = Il titolare è l'ente che gestisce il programma regionale (per LAB'IMPACT, ANCI Lombardia), ai sensi del Regolamento (UE) 2016/679.
privacy-data-heading = Quali dati trattiamo
privacy-data-text = Nome, indirizzo e-mail, ruolo nel programma ed enti di appartenenza delle persone che usano la piattaforma. Le persone a cui si rivolgono i progetti non sono mai registrate per nome: compaiono solo in dati aggregati.
privacy-purpose-heading = Per quali finalità
privacy-purpose-text = Per gestire le attività del programma (accompagnamento delle reti, incontri, laboratori, buone prassi) e per rendicontarle al fondo che le finanzia.
privacy-retention-heading = Per quanto tempo
privacy-retention-text = Per la durata del programma e per il periodo di conservazione richiesto dalla rendicontazione del fondo; le sessioni di accesso scadono dopo 8 ore di inattività. I dati degli ospiti dei webinar sono cancellati 12 mesi dopo l'evento. Dal tuo profilo puoi scaricare i tuoi dati («Scarica i miei dati»).
privacy-rights-heading = I tuoi diritti
privacy-rights-text = Puoi chiedere accesso, rettifica, cancellazione o portabilità dei tuoi dati scrivendo al titolare; puoi proporre reclamo al Garante per la protezione dei dati personali.

## Riga di comando
cli-unknown-programme = Il programma «{ $code }» non esiste: indica il codice di un programma registrato, per esempio PROG-2463.
cli-unknown-user = Nessun account con l'indirizzo { $email }: controlla l'indirizzo o crea l'account con «reti user create».
cli-import-error = riga { $line }: { $message } (valore: «{ $value }»)
cli-import-dry-run = Controllo riuscito, nulla è stato scritto: { $rows } righe, { $created } nuove schede, { $updated } aggiornamenti.
cli-import-done = Importazione completata: { $rows } righe, { $created } nuove schede, { $updated } aggiornamenti.
next-step-networks = Consulta le reti territoriali e i loro enti
next-step-import = Importa enti, persone e reti dai fogli di calcolo
home-user-all-networks = Vedi tutte le reti.
