# Layout comune a tutte le pagine (crates/web/templates/base.html, error.html).
# Stesse chiavi in locales/en/layout.ftl.

layout-site-name = Reti
layout-brand-tagline = Reti territoriali per l'integrazione
layout-meta-description = Reti: la piattaforma che accompagna le reti territoriali per l'integrazione dei cittadini di Paesi terzi.
layout-region = Regione Lombardia · ANCI Lombardia

# Link di salto (visibili solo con la tastiera)
layout-skip-to-content = Vai al contenuto
layout-skip-to-footer = Vai al piè di pagina

# Header slim
layout-language-switch = Cambia lingua
layout-login = Accedi
layout-logout = Esci
layout-signed-in-as = Accesso effettuato come

# Navigazione principale
layout-nav-label = Navigazione principale
layout-nav-toggle = Mostra o nascondi il menu di navigazione
layout-nav-close = Chiudi il menu di navigazione

# Piè di pagina
layout-footer-links = Link utili
layout-footer-accessibility = Dichiarazione di accessibilità
layout-footer-privacy = Informativa privacy

# Pagina di errore
layout-error-status = Errore
layout-error-code = Codice errore
layout-error-code-help = Se contatti l'assistenza, indica questo codice: ci aiuterà a individuare il problema.
layout-error-home = Torna alla pagina iniziale
# Richiesta di attivare la verifica in due passaggi (decisione 0060)
layout-mfa-banner = Per il tuo ruolo è richiesta la verifica in due passaggi: proteggi l'account con un codice dal telefono oltre alla password.
layout-mfa-banner-link = Attivala dal tuo profilo
