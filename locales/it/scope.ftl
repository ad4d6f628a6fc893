# Scope of programmes and personal data; JSON bodies; formula-safe files.
error-invalid-type = Il campo «{ $field }» ha un tipo o un valore non valido: controlla il formato richiesto.
error-json-syntax = Il contenuto della richiesta non è JSON valido: controlla parentesi, virgole e virgolette.
field-body = Contenuto della richiesta
error-programme-out-of-scope = Il campo «{ $field }» indica un programma che non coordini: puoi importare solo dati dei tuoi programmi.
error-network-out-of-scope = Il campo «{ $field }» indica una rete di un programma che non coordini: puoi importare solo dati dei tuoi programmi.
error-person-out-of-scope = Il campo «{ $field }» indica una persona registrata da un altro programma: non puoi modificarla con un'importazione.
