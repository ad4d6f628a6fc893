import-more-errors = { $count ->
    [one] …e un altro errore, non elencato.
   *[other] …e altri { $count } errori, non elencati.
}
