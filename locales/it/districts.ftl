# Ambiti territoriali (distretti della programmazione sociale) e corrispondenza delle persone all'importazione.

entity-districts = Ambiti territoriali
field-person-tax-code = Codice fiscale della persona
error-district-name-differs = Il campo «{ $field }» dà a questo codice d'ambito un nome diverso dalla riga { $first_line }: usa lo stesso nome in tutte le righe dell'ambito.
error-district-municipality-taken = Il comune del campo «{ $field }» appartiene già a un altro ambito (tra parentesi) che il file non elenca: un comune sta in un solo ambito alla volta, quindi per spostarlo includi nel file anche l'ambito da cui esce.
error-person-tax-code-taken = Il «{ $field }» è già registrato per un'altra persona: controlla il codice o l'indirizzo e-mail della riga.
warning-likely-duplicate = Nello stesso ente c'è già una persona con questo «{ $field }» e un altro indirizzo e-mail (tra parentesi): verrà creata una nuova scheda. Se è la stessa persona, correggi l'e-mail nel file.
import-warnings-caption = Da verificare: righe che verranno importate ma sembrano doppioni
districts-title = Ambiti territoriali
districts-intro = Gli ambiti territoriali della programmazione sociale (piani di zona) raggruppano i comuni; ogni comune appartiene a un solo ambito. Si caricano da file, con una riga per comune.
districts-search = Nome o codice dell'ambito
districts-name = Ambito
districts-count = { $count ->
    [one] Un ambito
   *[other] { $count } ambiti
}
districts-networks-link = Reti nell'ambito { $name }
network-districts = Ambiti territoriali
networks-district = Ambito territoriale
