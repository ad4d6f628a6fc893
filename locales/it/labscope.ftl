# Scambi e documenti di un laboratorio (issue 10, decisione 0040).
labscope-exchanges = Scambi
labscope-documents = Documenti
labscope-no-threads = Non ci sono ancora discussioni nel laboratorio.
labscope-no-documents = Non ci sono ancora documenti nel laboratorio.
labscope-threads-all = Tutte le discussioni ({ $count })
labscope-documents-all = Tutti i documenti ({ $count })
labscope-replies = { $count ->
    [one] { $count } risposta
   *[other] { $count } risposte
}
labscope-revisions = { $count ->
    [one] { $count } revisione
   *[other] { $count } revisioni
}
labscope-members-only = Scambi e documenti del laboratorio sono riservati a esperti, partecipanti iscritti, facilitatori e coordinamento.
labscope-documents-intro = I documenti del laboratorio: ogni salvataggio è una revisione, con la cronologia e il confronto fra due revisioni qualsiasi.
