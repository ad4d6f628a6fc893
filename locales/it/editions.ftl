# Editions of the e-book of best practices (issue 11, decision 0041).
nav-editions = E-book
editions-title = Edizioni dell'e-book
editions-intro = Ogni edizione raccoglie buone pratiche pubblicate in capitoli, con le loro introduzioni. Ogni costruzione crea una nuova versione; le versioni precedenti restano scaricabili dalla bacheca.
editions-new = Nuova edizione
editions-edit = Modifica l'edizione
editions-back = Torna alle edizioni
editions-empty = Nessuna edizione: creane una.
editions-board-link = Vedi le edizioni pubblicate
editions-latest-version = Ultima versione
editions-never-built = Mai costruita.
editions-version = Versione
editions-version-number = Versione { $number }
editions-editors-hint = Un nome per riga.
editions-licence-hint = Per esempio CC BY 4.0 (lasciato vuoto vale CC BY 4.0).
editions-markdown-hint = Testo in Markdown: **grassetto**, *corsivo*, elenchi, link e note a piè di pagina.
editions-cover = Copertina
editions-cover-none = Copertina generata: titolo, sottotitolo, anno e curatori.
editions-cover-file = Immagine di copertina
editions-cover-hint = JPEG, PNG o WebP, al massimo 5 MB e 8000 × 8000 pixel. Diventa la prima pagina dell'EPUB e del PDF e si mostra nella bacheca degli e-book.
editions-cover-upload = Carica la copertina
editions-cover-generated = Usa la copertina generata
editions-chapters = Capitoli
editions-chapters-none = Nessun capitolo: aggiungine uno o creali dalle linee d'azione o dai temi.
editions-practices-count = { $count ->
    [one] una pratica pubblicata
   *[other] { $count } pratiche pubblicate
}
editions-move-up = Sposta su
editions-move-down = Sposta giù
editions-chapter-add = Aggiungi un capitolo
editions-chapter-edit = Titolo e introduzione del capitolo
editions-chapter-remove = Elimina il capitolo
editions-chapter-remove-confirm = Eliminare il capitolo? Le pratiche restano sulla bacheca.
editions-chapter-practices = Pratiche del capitolo, nell'ordine del libro
editions-chapter-practices-none = Nessuna pratica: scegline una dalla bacheca qui sotto.
editions-chapter-action-line = Linea d'azione { $number }: { $title }
editions-chapter-action-line-number = Linea d'azione { $number }
editions-chapter-other = Altre pratiche
editions-practice-add = Aggiungi la pratica
editions-practice-remove = Togli dal capitolo
editions-practice-unpublished = non più pubblicata: esclusa dal libro
editions-no-candidates = Tutte le pratiche pubblicate sono già in questo capitolo.
editions-generate = Capitoli automatici
editions-generate-hint = Aggiunge in fondo un capitolo per ogni linea d'azione o tema, con le sue pratiche pubblicate in ordine di titolo.
editions-generate-button = Crea i capitoli
editions-basis-action-line = Un capitolo per linea d'azione
editions-basis-theme = Un capitolo per tema
editions-versions = Versioni
editions-build = Costruisci una nuova versione
editions-build-hint = La costruzione produce l'EPUB e il PDF delle pratiche scelte così come sono ora. Avviene in coda: puoi lasciare la pagina.
editions-pending-hint = Una costruzione è in corso: ricarica la pagina per vederne l'avanzamento.
editions-progress-of = Avanzamento della versione { $number }
editions-requested = Richiesta
editions-built-at = Costruita
editions-files = File
editions-failed-because = Non riuscita:
editions-status-queued = In coda
editions-status-running = In costruzione
editions-status-done = Pronta
editions-status-failed = Non riuscita
editions-build-error-empty = nessun capitolo contiene una pratica pubblicata: aggiungi almeno una pratica a un capitolo.
editions-build-error-gone = l'edizione non esiste più.
editions-flash-created = Edizione creata. Ora aggiungi i capitoli.
editions-flash-cover = Copertina caricata.
editions-flash-cover-generated = Si userà la copertina generata.
editions-flash-chapter-added = Capitolo aggiunto: scegli le sue pratiche.
editions-flash-chapter-removed = Capitolo eliminato.
editions-flash-chapters-generated = { $count ->
    [one] Creato un capitolo.
   *[other] Creati { $count } capitoli.
}
editions-flash-practice-added = Pratica aggiunta al capitolo.
editions-flash-practice-removed = Pratica tolta dal capitolo.
editions-flash-build-queued = Versione { $number } in coda di costruzione.
editions-error-too-many-editors = Il campo «{ $field }» ha troppi nomi: al massimo { $max }.
editions-error-practice-not-published = Il campo «{ $field }» non indica una pratica pubblicata: scegline una dall'elenco.
editions-error-practice-chosen = Il campo «{ $field }» indica una pratica già in questo capitolo.
editions-error-basis = Il campo «{ $field }» deve essere «linea d'azione» o «tema».
editions-error-direction = Il campo «{ $field }» deve essere «su» o «giù».
editions-board-title = E-book delle buone pratiche
editions-board-intro = Le edizioni dell'e-book delle buone pratiche, in EPUB accessibile e in PDF. Ogni versione resta scaricabile al suo indirizzo.
editions-board-empty = Nessuna edizione pubblicata per ora.
editions-board-latest = Versione { $number } del { $date }
editions-board-older = { $count ->
    [one] Una versione precedente
   *[other] { $count } versioni precedenti
}
editions-download = Scarica
field-editions-subtitle = Sottotitolo
field-editions-editors = Curatori
field-editions-licence = Licenza
field-editions-introduction = Introduzione
field-editions-english-summary = Riassunto in inglese
editions-english-summary-hint = Facoltativo: un riassunto in inglese per chi non legge l'italiano, in Markdown. Nell'e-book è marcato come testo inglese, perché i lettori di schermo lo leggano con la pronuncia giusta.
field-editions-chapter-title = Titolo del capitolo
field-editions-chapter-introduction = Introduzione del capitolo
field-editions-practice = Pratica pubblicata
field-editions-basis = Capitoli
field-editions-build = Costruzione
field-editions-direction = Direzione
editions-cli-reading-edition = lettura dell'edizione
editions-cli-reading-practices = lettura delle pratiche pubblicate
editions-cli-writing = scrittura dei file
editions-cli-introduction = { $count ->
    [one] Questa edizione raccoglie l'unica buona pratica pubblicata sulla bacheca delle esperienze.
   *[other] Questa edizione raccoglie le { $count } buone pratiche pubblicate sulla bacheca delle esperienze, ordinate per linea d'azione.
}

# The words of the e-book itself (crates/publish, `Labels`): the section headings come from
# practices.ftl. No message here takes an argument.
ebook-territory = Territorio
ebook-contents = Indice
ebook-cover = Copertina
ebook-introduction = Introduzione
ebook-colophon = Colophon
ebook-title = Titolo
ebook-edited-by = A cura di
ebook-year = Anno
ebook-licence = Licenza
ebook-fonts = Caratteri tipografici
ebook-fonts-link = caratteri tipografici incorporati e loro licenze
ebook-fonts-embedded = Caratteri incorporati in questo libro
ebook-index = Indice delle reti e dei territori
ebook-index-networks = Reti
ebook-index-territories = Territori
ebook-index-empty = Nessuna voce.
ebook-landmarks = Punti di riferimento
ebook-start = Inizio
ebook-page = p.
ebook-accessibility-summary = Pubblicazione in italiano (l'eventuale riassunto in inglese è marcato come tale) che soddisfa le WCAG 2.1 livello AA. Navigazione strutturata con titoli per capitolo, pratica e sezione; indice generale e punti di riferimento; ordine di lettura logico; tabelle con intestazioni; note come note EPUB; indice delle reti e dei territori con collegamenti alle pratiche. La copertina ha un testo alternativo; i grafici hanno titolo e descrizione con tutti i valori, ripetuti in una tabella. Caratteri incorporati con le loro licenze. Nessun audio o video; nessun rischio noto.
ebook-english-summary = Summary in English
ebook-chart-themes = Pratiche per tema
ebook-chart-themes-description = Grafico a barre orizzontali: il numero di pratiche di ciascun tema in questa edizione, dal più frequente; gli stessi dati sono nella tabella che segue.
ebook-chart-themes-data = Pratiche per tema: i dati del grafico
ebook-chart-practices = Pratiche
ebook-chart-no-theme = Senza tema
ebook-chart-territories = Territori con più pratiche
ebook-chart-territories-description = Grafico a barre orizzontali: i territori (al massimo dodici) con più pratiche in questa edizione e il numero delle loro pratiche; gli stessi dati sono nella tabella che segue.
ebook-chart-territories-data = Territori con più pratiche: i dati del grafico
