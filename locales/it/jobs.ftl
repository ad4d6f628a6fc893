nav-jobs = Coda dei lavori
jobs-title = Coda dei lavori
jobs-intro = I lavori svolti dopo la richiesta che li ha chiesti, come l'invio delle e-mail. Un lavoro non riuscito viene ritentato con attese crescenti; esauriti i tentativi resta fermo finché non lo si ritenta da qui.
jobs-counts = Lavori per stato
jobs-status = Stato
jobs-any-status = Tutti
jobs-filter = Filtra
jobs-count = { $count ->
    [0] Nessun lavoro.
    [one] Un lavoro.
   *[other] { $count } lavori.
}
jobs-kind = Tipo
jobs-attempts = Tentativi
jobs-run-at = Da eseguire dal
jobs-updated-at = Ultima modifica
jobs-last-error = Ultimo errore
jobs-actions = Azioni
jobs-retry = Ritenta
jobs-retried = Il lavoro è di nuovo in coda.
jobs-status-queued = In coda
jobs-status-running = In esecuzione
jobs-status-done = Completati
jobs-status-failed = Non riusciti
jobs-status-dead = Esauriti
