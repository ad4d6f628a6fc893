//! The `page` value every template receives: language, user, CSRF token, navigation, header data.

use crate::context::{Identity, RequestContext, SESSION_CSRF_KEY, SESSION_FLASH_KEY};
use crate::error::{AppError, field_message};
use crate::i18n::Translator;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::{FieldErrors, Locale};
use tower_sessions::Session;

#[derive(Debug, Clone)]
pub struct UserView {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: &'static str,
    pub locale: Locale,
    pub programme_name: String,
    pub user: Option<UserView>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub switch_lang_href: String,
    pub switch_lang_label: String,
    pub switch_lang_code: &'static str,
    /// A one-time confirmation carried over a redirect.
    pub flash: Option<String>,
    pub identity: Option<Identity>,
    /// The header's bell: the user's unread notifications.
    pub unread_notifications: i64,
    /// The banner asking to turn the second factor on (decision 0060).
    pub mfa_setup_due: bool,
}

impl PageContext {
    pub fn t(&self, key: &str) -> String {
        self.translator().t(key)
    }

    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        self.translator().t_args(key, args)
    }

    pub fn t_count(&self, key: &str, count: &i64) -> String {
        self.translator().t_count(key, *count)
    }

    /// A date as Italians write it (dd/mm/yyyy), in both languages of the interface.
    pub fn date(&self, date: &time::Date) -> String {
        reti_domain::dates::format(*date)
    }

    pub fn translator(&self) -> Translator {
        Translator::new(self.locale)
    }

    /// The translated error of `field` in `errors`, or an empty string.
    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> String {
        errors.get(field).map(|e| field_message(&self.translator(), field, e.code, &e.args)).unwrap_or_default()
    }

    pub fn from_context(context: Option<&RequestContext>) -> PageContext {
        let Some(context) = context else {
            return PageContext::for_locale(Locale::default());
        };
        let tr = context.translator();
        let identity = context.identity.clone();
        let other = context.locale.other();
        let mut nav = vec![("/", "nav-home")];
        nav.push(("/bacheca", "nav-board"));
        if let Some(identity) = &identity {
            nav.push(("/networks", "nav-networks"));
            nav.push(("/organisations", "nav-organisations"));
            nav.push(("/programmes", "nav-programmes"));
            if identity.is_coordinator() || identity.has_role(reti_domain::Role::Facilitator) {
                nav.push(("/diary", "nav-diary"));
            }
            nav.push(("/agenda", "nav-agenda"));
            nav.push(("/reading", "nav-reading"));
            nav.push(("/labs", "nav-labs"));
            nav.push(("/practices", "nav-practices"));
            if identity.is_coordinator() {
                nav.push(("/ebook/editions", "nav-editions"));
                nav.push(("/people", "nav-people"));
                nav.push(("/users", "nav-users"));
                nav.push(("/audit", "nav-audit"));
            }
            if identity.user.is_admin {
                nav.push(("/admin/jobs", "nav-jobs"));
            }
            nav.push(("/account", "nav-account"));
        }
        PageContext {
            lang: context.locale.code(),
            locale: context.locale,
            programme_name: context.programme_name.clone(),
            user: identity.as_ref().map(|i| UserView { name: i.user.name.clone(), email: i.user.email.clone() }),
            csrf: context.csrf.clone().unwrap_or_default(),
            nav: nav
                .into_iter()
                .map(|(href, key)| NavItem {
                    href: href.to_owned(),
                    label: tr.t(key),
                    active: context.path == href || (href != "/" && context.path.starts_with(&format!("{href}/"))),
                })
                .collect(),
            // The request path comes from whoever sent the request: `//host/x` would make this a
            // link to another site, so only a path that stays here is echoed.
            switch_lang_href: format!("{}?lang={}", crate::access::safe_next(Some(&context.path)), other.code()),
            switch_lang_label: tr.t(&format!("language-name-{}", other.code())),
            switch_lang_code: other.code(),
            flash: None,
            identity,
            unread_notifications: context.unread_notifications,
            mfa_setup_due: context.mfa_setup_due,
        }
    }

    /// A page for a visitor we know nothing about but their language.
    pub fn for_locale(locale: Locale) -> PageContext {
        PageContext {
            lang: locale.code(),
            locale,
            programme_name: String::new(),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            switch_lang_href: format!("/?lang={}", locale.other().code()),
            switch_lang_label: Translator::new(locale).t(&format!("language-name-{}", locale.other().code())),
            switch_lang_code: locale.other().code(),
            flash: None,
            identity: None,
            unread_notifications: 0,
            mfa_setup_due: false,
        }
    }
}

/// Makes sure the session holds a CSRF token and returns it. Every page with a form calls this, so
/// that anonymous visitors of pages without forms cost no session write.
pub async fn ensure_csrf(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(SESSION_CSRF_KEY).await.map_err(|e| AppError::Internal(e.into()))? {
        return Ok(token);
    }
    let token = reti_store::secret::new_secret();
    session.insert(SESSION_CSRF_KEY, &token).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(token)
}

/// Stores a confirmation to show on the next page.
pub async fn set_flash(session: &Session, message: String) -> Result<(), AppError> {
    session.insert(SESSION_FLASH_KEY, message).await.map_err(|e| AppError::Internal(e.into()))
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut page = PageContext::from_context(parts.extensions.get::<RequestContext>());
        if let Some(session) = parts.extensions.get::<Session>() {
            let flash = session.get::<String>(SESSION_FLASH_KEY).await.map_err(|e| AppError::Internal(e.into()))?;
            if flash.is_some() {
                session.remove::<String>(SESSION_FLASH_KEY).await.map_err(|e| AppError::Internal(e.into()))?;
                page.flash = flash;
            }
        }
        Ok(page)
    }
}

/// The page context of a page that shows a form: it always carries a CSRF token.
pub struct FormPage(pub PageContext);

impl<S: Send + Sync> FromRequestParts<S> for FormPage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let mut page = PageContext::from_request_parts(parts, state).await?;
        if let Some(session) = parts.extensions.get::<Session>() {
            page.csrf = ensure_csrf(session).await?;
        }
        Ok(FormPage(page))
    }
}
