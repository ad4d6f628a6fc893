# Scambi a distanza (issue 10): discussioni, risposte, moderazione, notifiche.
exchange-title = Scambi a distanza
exchange-threads = Discussioni
exchange-empty = Non ci sono ancora discussioni: aprine una qui sotto.
exchange-author = Autore o autrice
exchange-replies = Risposte
exchange-last-activity = Ultimo messaggio
exchange-unread = Da leggere
exchange-unread-count = { $count ->
    [one] { $count } nuovo
   *[other] { $count } nuovi
}
exchange-hidden-badge = nascosta
exchange-new-thread = Apri una discussione
exchange-post-thread = Pubblica la discussione
exchange-body-hint = Markdown: **grassetto**, *corsivo*, elenchi, [link](https://…). Per menzionare qualcuno scrivi @ seguito dal nome o dall'e-mail (per esempio @Anna Bianchi).
exchange-attachment = Allegato (facoltativo)
exchange-attachment-hint = PDF, immagini PNG o JPEG, documenti Office o OpenDocument, testo o CSV; al massimo { $limit }.
exchange-messages = Messaggi
exchange-new-badge = nuovo
exchange-quote = Cita
exchange-hide = Nascondi
exchange-hidden-by-moderator = Nascosto dalla moderazione: { $reason }
exchange-hidden-text = Testo nascosto (visibile solo alla moderazione)
exchange-thread-hidden-title = Discussione nascosta dalla moderazione
exchange-thread-closed = Il messaggio che apre questa discussione è stato nascosto: non si può più rispondere.
exchange-reply = Rispondi
exchange-send-reply = Invia la risposta
exchange-link = Scambi a distanza
exchange-link-counts = { $count } discussioni, { $unread } da leggere
field-message = Messaggio
field-hide-reason = Motivo per nascondere il messaggio
field-quote = Citazione
field-exchange-mail = E-mail sugli scambi
error-exchange-thread-hidden = Il campo «{ $field }» non può essere inviato: la discussione è stata nascosta dalla moderazione e non accetta risposte.
error-exchange-quote-invalid = Il campo «{ $field }» non è valido: il messaggio citato non fa parte di questa discussione o è stato nascosto.
error-exchange-mail-invalid = Il campo «{ $field }» non è valido: scegli una delle opzioni proposte.
flash-exchange-thread-created = Discussione pubblicata.
flash-exchange-reply-added = Risposta inviata.
flash-exchange-hidden = Messaggio nascosto; l'autore o l'autrice ne è stato/a informato/a.
flash-notifications-read = Tutte le notifiche sono segnate come lette.
notification-exchange-thread = { $actor } ha aperto la discussione «{ $subject }»
notification-exchange-reply = { $actor } ha risposto nella discussione «{ $subject }»
notification-exchange-mention = { $actor } ti ha menzionato/a nella discussione «{ $subject }»
notification-exchange-hidden = { $actor } ha nascosto un tuo messaggio nella discussione «{ $subject }»
notifications-page-title = Notifiche
notifications-empty = Nessuna notifica.
notifications-open = Apri
notifications-mark-all-read = Segna tutte come lette
notifications-bell = Notifiche
notifications-bell-unread = { $count ->
    [one] { $count } notifica da leggere
   *[other] { $count } notifiche da leggere
}
exchange-mail-title = E-mail sugli scambi a distanza
exchange-mail-intro = Quando qualcuno ti menziona, risponde a una discussione a cui partecipi o apre una discussione nella tua rete:
exchange-mail-immediate = un'e-mail subito, per ogni notifica
exchange-mail-digest = un riepilogo al giorno
exchange-mail-none = nessuna e-mail (solo le notifiche nell'applicazione)
exchange-mail-save = Salva la scelta
mail-exchange-subject = Reti: { $subject }
mail-exchange-body =
    Gentile { $name },

    { $subject }.

    Leggi: { $link }

    Puoi scegliere come ricevere queste e-mail (subito, un riepilogo al giorno o nessuna) dal tuo profilo: { $title }
mail-exchange-digest-subject = Reti: il riepilogo degli scambi del { $date }
mail-exchange-digest-body =
    Gentile { $name },

    ecco le novità degli scambi a distanza dall'ultimo riepilogo:

    { $items }

    Puoi scegliere come ricevere queste e-mail dal tuo profilo: { $title }
