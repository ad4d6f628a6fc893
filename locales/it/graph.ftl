graph-file-empty = { $file }: il file è vuoto; la riga 1 deve essere l'intestazione «source,target».
graph-header = { $file }, riga 1: l'intestazione deve essere «source,target», trovata «{ $found }».
graph-columns = { $file }, riga { $line }: servono due valori, source e target; trovati { $count }.
graph-empty-id = { $file }, riga { $line }: { $column } è vuoto; ogni arco unisce due nodi con un nome.
graph-unreadable = { $file }, riga { $line }: riga illeggibile ({ $reason }).
graph-no-edges = { $file }: nessun arco dopo l'intestazione.
graph-duplicate = { $file }, riga { $line }: l'arco «{ $source }» – «{ $target }» c'è già; ignorato.
graph-self-loop = { $file }, riga { $line }: «{ $source }» è collegato a se stesso; arco ignorato.
graph-more-skipped = { $count ->
    [one] …e un altro arco ignorato, non elencato.
   *[other] …e altri { $count } archi ignorati, non elencati.
}
graph-refused = { $count ->
    [one] Nessuna metrica calcolata: c'è una riga da correggere.
   *[other] Nessuna metrica calcolata: ci sono { $count } righe da correggere.
}
