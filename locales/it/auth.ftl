# Sicurezza degli accessi: password, token, limiti ai tentativi.

error-password-weak = La «{ $field }» è facile da indovinare: aggiungi una o due parole poco comuni.
error-password-common = La «{ $field }» è tra le più usate, o molto simile: scegline una diversa, per esempio una frase di più parole.
error-password-keyboard = La «{ $field }» segue i tasti della tastiera, facili da indovinare: usa invece alcune parole.
error-password-repeats = La «{ $field }» ripete gli stessi caratteri o le stesse parole: evita le ripetizioni.
error-password-sequence = La «{ $field }» contiene sequenze come abc o 6543, facili da indovinare.
error-password-dates = La «{ $field }» contiene anni o date, facili da indovinare: evitali.
error-password-word = La «{ $field }» è una parola sola, facile da indovinare: aggiungine un'altra o due.
error-password-names = La «{ $field }» è fatta di nomi e cognomi, facili da indovinare: aggiungi parole poco comuni.
password-throttled = Troppi tentativi. Riprova tra qualche minuto.
field-token-days = Validità (giorni)
token-days-hint = Da 1 a 365 giorni; il token smette di funzionare alla scadenza.
token-expires = Scade
token-expired = Scaduto
error-token-days = Il campo «{ $field }» deve essere un numero di giorni da 1 a 365.
