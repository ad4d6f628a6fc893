## Anagrafiche: pagine

## Azioni comuni
actions = Azioni
add = Aggiungi
archive = Archivia
archived = Archiviato
restore = Ripristina
edit = Modifica
save = Salva
remove = Rimuovi
choose = Scegli…
details = Dati
search = Cerca
search-label = Cerca per nome o codice
filter-include-archived = Mostra anche gli archiviati
flash-archived = Scheda archiviata: non compare più negli elenchi, la sua storia resta.
flash-restored = Scheda ripristinata.
pagination-position = Pagina { $page } di { $pages }
nav-networks = Reti
nav-organisations = Enti
nav-people = Persone
nav-programmes = Programmi

## Campi aggiuntivi
field-name-organisation = Denominazione
field-name-network = Nome della rete
field-name-programme = Nome del programma
field-organisation-id = Ente
field-region = Regione
field-cadastral-code = Codice catastale
field-title = Titolo
field-budget = Budget (euro)
field-starts-on = Data di inizio
field-ends-on = Data di fine
field-period = Periodo
field-fund = Fondo
field-cup = CUP
field-number = Numero
field-action = Azione
field-action-title = Azione
field-planned-outputs = Prodotti attesi
field-target-groups = Destinatari
tax-code-hint = 11 cifre della partita IVA o 16 caratteri del codice fiscale.
municipality-hint = Nome del comune (anche senza accenti) o codice ISTAT; se il nome esiste in più province, indica la provincia.
municipalities-hint = Nomi dei comuni o codici ISTAT, separati da virgole o uno per riga.
resources-hint = Separate da virgole: scegli dalle proposte o scrivine di nuove.
budget-hint = Per esempio 12.500,00.

## Errori
error-organisation-unknown = Il campo «{ $field }» indica un ente che non è in anagrafica: importa o crea prima l'ente, poi riprova.
error-programme-unknown = Il campo «{ $field }» non indica un programma registrato: usa il codice del programma, per esempio PROG-2463.
error-action-line-invalid = Il campo «{ $field }» contiene una linea d'azione che il programma non ha: usa il numero della linea, per esempio 1 o 2.
error-network-unknown = Il campo «{ $field }» indica una rete che non esiste: controlla il nome o crea prima la rete.
error-network-ambiguous = Il campo «{ $field }» indica un nome usato da più reti: rendi il nome univoco prima di importare.
error-network-name-taken = Esiste già una rete con questo «{ $field }» nel programma: scegline un altro.
error-lead-exists = La rete ha già un capofila: chiudi la sua adesione prima di indicarne un altro nel campo «{ $field }».
error-already-member = L'ente indicato nel campo «{ $field }» fa già parte della rete.
error-tax-code-taken = Un altro ente ha già questo «{ $field }»: cerca l'ente esistente e modificalo.
error-amount-invalid = Il campo «{ $field }» non contiene un importo valido: scrivi per esempio 12.500,00.
error-number-invalid = Il campo «{ $field }» deve essere un numero intero da 1 a 99.

## Enti
organisations-title = Enti
organisations-count = { $count ->
    [one] Un ente.
   *[other] { $count } enti.
}
organisation-new = Nuovo ente
organisation-edit = Modifica ente
organisation-networks = Reti di cui fa parte
organisation-no-networks = L'ente non fa parte di nessuna rete.
back-to-organisations = ← Tutti gli enti

## Persone
people-title = Persone
people-intro = Qui si registrano solo le persone che lavorano nel programma (referenti, operatori, esperti). Le persone a cui si rivolgono i progetti non si registrano mai per nome.
people-count = { $count ->
    [one] Una persona.
   *[other] { $count } persone.
}
person-new = Nuova persona
person-edit = Modifica persona
person-affiliations = Enti di appartenenza
affiliation-end = Chiudi
affiliation-ended = Conclusa
back-to-people = ← Tutte le persone

## Reti
networks-title = Reti territoriali
networks-count = { $count ->
    [one] Una rete.
   *[other] { $count } reti.
}
network-new = Nuova rete
network-edit = Modifica rete
network-territory = Territorio
network-members = Enti aderenti
network-membership-history = Storico delle adesioni
network-people = Persone di riferimento
network-no-people = Nessuna persona registrata per gli enti della rete.
network-projects = Progettazione locale
network-no-projects = Nessun progetto locale registrato.
network-private-note = Le adesioni con le date, i contatti e i progetti della rete sono visibili solo ai suoi membri, a chi la accompagna e al coordinamento regionale.
membership-add = Aggiungi un ente alla rete
membership-end = Chiudi l'adesione
membership-ended = Adesione conclusa
back-to-networks = ← Tutte le reti

## Progetti locali
project-new = Nuovo progetto locale
project-edit = Modifica progetto locale
project-actions = Azioni
project-no-actions = Nessuna azione registrata.
project-action-add = Aggiungi un'azione

## Programmi
programmes-title = Programmi
programme-edit = Modifica il programma
action-line-put = Aggiungi o rinomina una linea d'azione

## Comuni
municipalities-title = Comuni italiani
municipalities-search = Nome del comune o codice ISTAT
municipalities-count = { $count ->
    [one] Un comune trovato.
   *[other] { $count } comuni trovati.
}

## Importazione ed esportazione
import-title = Importa da file
import-intro = Carica un file CSV (separato da punto e virgola, virgola o tabulazione; UTF-8 o Windows-1252, come lo salva Excel) o XLSX. Prima vedrai un'anteprima: se anche una sola riga ha un errore, il file non viene importato e l'elenco mostra tutte le righe da correggere.
import-entity = Cosa importi
import-file = File
import-file-hint = CSV o XLSX, fino a 64 MB. La prima riga deve contenere i nomi delle colonne.
import-preview = Controlla il file
import-outcome = Esito del controllo
import-ready = Il file è corretto: { $rows } righe, { $created } nuove schede e { $updated } aggiornamenti. Conferma per importarlo.
import-confirm = Conferma l'importazione
import-refused = { $count ->
    [one] Il file non è stato importato: c'è un errore da correggere.
   *[other] Il file non è stato importato: ci sono { $count } errori da correggere.
}
import-errors-caption = Errori per riga (la riga 1 è quella delle intestazioni)
import-line = Riga
import-field = Campo
import-problem = Problema
import-value = Valore nel file
import-unknown-columns = Colonne non riconosciute, che non verranno importate:
import-no-file = Scegli un file da caricare.
flash-imported = Importazione completata: { $created } nuove schede, { $updated } aggiornate.
entity-organisations = Enti
entity-people = Persone
entity-networks = Reti
entity-memberships = Adesioni degli enti alle reti
export-csv = Esporta CSV
export-xlsx = Esporta XLSX
programme-new = Nuovo programma
field-code = Codice
picker-search-label = Cerca l'ente
picker-search-hint = Una parte del nome, oppure il codice fiscale.
picker-search = Cerca l'ente
picker-search-first = Cerca l'ente qui sopra, poi sceglilo qui.
picker-no-match = Nessun ente attivo corrisponde a «{ $query }»: prova con un'altra parte del nome o con il codice fiscale.
picker-more = Ci sono altri enti che corrispondono: scrivi di più per restringere la ricerca.
affiliation-add = Aggiungi un ente per cui lavora
