## Anagrafiche: enti, persone, reti, adesioni, territorio

## Campi
field-tax-code = Codice fiscale / partita IVA
field-municipality = Comune
field-province = Provincia
field-kind = Tipologia
field-phone = Telefono
field-website = Sito web
field-address = Indirizzo
field-resources = Risorse e competenze
field-position = Qualifica
field-organisation = Ente
field-organisation-name = Denominazione dell'ente
field-first-name = Nome
field-last-name = Cognome
field-network = Rete
field-joined-on = Data di adesione
field-left-on = Data di uscita
field-maturity = Maturità
field-status = Stato
field-action-lines = Linee d'azione
field-municipalities = Comuni
field-lead = Capofila
field-description = Descrizione

## Errori dei campi e delle importazioni
error-tax-code-format = Il campo «{ $field }» non contiene un codice fiscale o una partita IVA: scrivi le 11 cifre della partita IVA (anche precedute da IT) oppure i 16 caratteri del codice fiscale, senza punti o trattini.
error-tax-code-check-digit = Il «{ $field }» non è valido: l'ultimo carattere, quello di controllo, non torna. Controlla di averlo copiato per intero e senza errori di battitura.
error-date-invalid = Il campo «{ $field }» non contiene una data valida: scrivila come gg/mm/aaaa, per esempio 01/03/2024.
error-date-order = La data del campo «{ $field }» viene prima della data di adesione: correggi una delle due date.
error-duplicate-in-file = Il valore del campo «{ $field }» compare già alla riga { $first_line } del file: togli la riga ripetuta o correggi il valore.
error-column-missing = Nel file manca la colonna «{ $field }»: aggiungila nella prima riga, con questo nome o con uno equivalente.
error-too-long = Il campo «{ $field }» è troppo lungo: accorcialo ad al massimo { $max } caratteri.
error-kind-invalid = Il campo «{ $field }» non contiene una tipologia di ente prevista: scrivi, per esempio, Comune, Istituto scolastico, CPIA, ASST/ATS, Prefettura, Questura, Terzo settore, Associazione di migranti, Ente religioso, Impresa, Università o Altro.
error-membership-role-invalid = Il campo «{ $field }» non contiene un ruolo nella rete previsto: scrivi capofila, partner o aderente.
error-maturity-invalid = Il campo «{ $field }» non contiene un livello di maturità previsto: scrivi prima esperienza, progetti FAMI precedenti o consolidata.
error-network-status-invalid = Il campo «{ $field }» non contiene uno stato previsto: scrivi in costituzione, attiva o conclusa.
error-municipality-unknown = Il campo «{ $field }» non corrisponde a nessun comune italiano: controlla come è scritto il nome oppure usa il codice ISTAT del comune.
error-municipality-ambiguous = Il nome nel campo «{ $field }» appartiene a più comuni italiani: indica anche la provincia (per esempio CO) oppure usa il codice ISTAT del comune.
error-municipality-province = Il comune del campo «{ $field }» non si trova nella provincia indicata: correggi il comune o la provincia.

## Tipologie di ente
kind-comune = Comune
kind-istituto-scolastico = Istituto scolastico
kind-cpia = CPIA
kind-asst-ats = ASST / ATS
kind-prefettura = Prefettura
kind-questura = Questura
kind-terzo-settore = Cooperativa o associazione del terzo settore
kind-associazione-migranti = Associazione di migranti
kind-ente-religioso = Ente religioso
kind-impresa = Impresa
kind-universita = Università
kind-altro = Altro

## Ruoli nella rete
membership-role-lead = Capofila
membership-role-partner = Partner
membership-role-supporter = Aderente

## Maturità della rete
maturity-first-experience = Prima esperienza FAMI
maturity-prior-projects = Progetti FAMI precedenti
maturity-consolidated = Rete consolidata

## Stato della rete
network-status-forming = In costituzione
network-status-active = Attiva
network-status-closed = Conclusa
