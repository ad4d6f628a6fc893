# Layout shared by every page (crates/web/templates/base.html, error.html).
# Same keys as locales/it/layout.ftl.

layout-site-name = Reti
layout-brand-tagline = Local networks for integration
layout-meta-description = Reti: the platform that supports local networks for the integration of third-country nationals.
layout-region = Lombardy Region · ANCI Lombardia

# Skip links (shown on keyboard focus only)
layout-skip-to-content = Skip to content
layout-skip-to-footer = Skip to footer

# Slim header
layout-language-switch = Change language
layout-login = Log in
layout-logout = Log out
layout-signed-in-as = Signed in as

# Main navigation
layout-nav-label = Main navigation
layout-nav-toggle = Show or hide the navigation menu
layout-nav-close = Close the navigation menu

# Footer
layout-footer-links = Useful links
layout-footer-accessibility = Accessibility statement
layout-footer-privacy = Privacy notice

# Error page
layout-error-status = Error
layout-error-code = Error code
layout-error-code-help = If you contact support, please quote this code: it helps us find the problem.
layout-error-home = Back to the home page
# Request to turn on two-step verification (decision 0060)
layout-mfa-banner = Your role requires two-step verification: protect your account with a code from your phone as well as your password.
layout-mfa-banner-link = Turn it on in your profile
