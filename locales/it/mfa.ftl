# Verifica in due passaggi: TOTP e codici di recupero (decisione 0060)

# Secondo passaggio dell'accesso
login-code-title = Verifica in due passaggi
login-code-intro = Apri l'app di autenticazione sul telefono e scrivi il codice di 6 cifre di Reti. Se non hai il telefono con te, usa uno dei tuoi codici di recupero.
field-login-code = Codice
login-code-hint = Le 6 cifre mostrate dall'app, oppure un codice di recupero (per esempio abcd-efgh-jkmn-pqrs).
login-code-submit = Verifica
login-code-failed = Codice non valido o già usato: controlla che l'ora del telefono sia giusta e riprova con il codice nuovo.
login-code-throttled = Troppi codici non validi: attendi 15 minuti e riprova.
login-code-expired = La verifica è scaduta: accedi di nuovo con e-mail e password.
login-code-cancel = Annulla e torna all'accesso

# Profilo
mfa-title = Verifica in due passaggi
mfa-intro = Oltre alla password, all'accesso ti chiediamo un codice che cambia ogni 30 secondi, generato da un'app di autenticazione sul telefono (per esempio Aegis, FreeOTP, Google Authenticator o Microsoft Authenticator).
mfa-required = Per il tuo ruolo questa protezione è richiesta.
mfa-off = Non è attiva.
mfa-setup = Attiva la verifica in due passaggi
mfa-pending = Attivazione in corso. Aggiungi un account nell'app di autenticazione: inquadra il codice QR, oppure copia l'indirizzo o scrivi a mano la chiave qui sotto; poi scrivi il codice che l'app mostra, per confermare.
mfa-secret = Chiave da scrivere nell'app
mfa-uri = Indirizzo da incollare nell'app
field-enable-code = Codice mostrato dall'app
mfa-enable = Conferma e attiva
mfa-restart = Genera una nuova chiave
mfa-on = Attiva dal { $date }.
mfa-codes-left = { $count ->
    [one] Ti resta un codice di recupero.
   *[other] Ti restano { $count } codici di recupero.
}
mfa-codes-title = I tuoi codici di recupero
mfa-codes-intro = Ognuno vale una sola volta, al posto del codice dell'app, se perdi il telefono. Stampali o salvali in un posto sicuro: non saranno più mostrati.
mfa-enabled = Verifica in due passaggi attivata: dal prossimo accesso ti chiederemo il codice dell'app.
mfa-renew = Genera nuovi codici di recupero
field-renew-code = Codice attuale dell'app
mfa-renew-hint = I codici di recupero precedenti smettono di funzionare.
mfa-disable = Disattiva la verifica in due passaggi
field-disable-code = Codice attuale dell'app o codice di recupero
field-disable-password = Oppure la password
mfa-disable-hint = Basta uno dei due.
flash-mfa-disabled = Verifica in due passaggi disattivata.
error-mfa-code = Codice non valido o già usato.
error-mfa-throttled = Troppi codici non validi: attendi 15 minuti e riprova.
error-mfa-confirm = Scrivi un codice dell'app o la password.
mfa-qr-label = Codice QR da inquadrare con l'app di autenticazione: contiene lo stesso indirizzo e la stessa chiave scritti qui sotto.
