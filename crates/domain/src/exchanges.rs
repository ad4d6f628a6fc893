//! Remote exchanges (issue 10, SPEC §6): what a thread, a reply and a moderator's hiding must hold,
//! the mail choice of each person, the quote a reply starts from and the @mentions of a message.

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest message body, in characters.
pub const MAX_BODY: usize = 20_000;
/// The longest reason for hiding a message, in characters.
pub const MAX_REASON: usize = 1_000;

fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(FieldError::new(field, "error-too-long").with_arg("max", max));
    }
    value.to_owned()
}

/// A new thread as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ThreadRaw {
    pub title: String,
    pub message: String,
}

/// A checked new thread: its title and its opening message (Markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadInput {
    pub title: String,
    pub body: String,
}

impl ThreadInput {
    /// Checks both fields and reports every problem at once.
    pub fn parse(raw: &ThreadRaw) -> Result<ThreadInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = text(&mut errors, "title", &raw.title, MAX_TITLE);
        let body = text(&mut errors, "message", &raw.message, MAX_BODY);
        errors.into_result().map(|()| ThreadInput { title, body })
    }
}

/// A reply as typed: its body and, when it quotes one, the quoted message.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReplyRaw {
    pub message: String,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyInput {
    pub body: String,
    /// The id of the quoted message (the store checks it is a visible message of the thread).
    pub quote: Option<String>,
}

impl ReplyInput {
    pub fn parse(raw: &ReplyRaw) -> Result<ReplyInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let body = text(&mut errors, "message", &raw.message, MAX_BODY);
        let quote = Some(raw.quote.trim().to_owned()).filter(|q| !q.is_empty());
        errors.into_result().map(|()| ReplyInput { body, quote })
    }
}

/// Why a moderator hides a message: required, shown to everyone in its place.
pub fn parse_reason(raw: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let reason = text(&mut errors, "hide_reason", raw, MAX_REASON);
    errors.into_result().map(|()| reason)
}

/// How a person wants the mail of their exchange notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailMode {
    /// One mail per notification, as it happens.
    #[default]
    Immediate,
    /// One mail a day with everything since the last one.
    Digest,
    /// In the application only.
    None,
}

impl MailMode {
    pub const ALL: [MailMode; 3] = [MailMode::Immediate, MailMode::Digest, MailMode::None];

    pub fn code(self) -> &'static str {
        match self {
            MailMode::Immediate => "immediate",
            MailMode::Digest => "digest",
            MailMode::None => "none",
        }
    }

    pub fn parse(code: &str) -> Result<MailMode, FieldError> {
        MailMode::ALL
            .into_iter()
            .find(|mode| mode.code() == code.trim())
            .ok_or_else(|| FieldError::new("exchange_mail", "error-exchange-mail-invalid"))
    }
}

/// The Markdown a reply quoting `body` by `author` starts from: a quote block naming the author.
pub fn quote(author: &str, body: &str) -> String {
    // The author's name is shown as text: characters Markdown would read as markup are escaped.
    let author: String =
        author.chars().flat_map(|c| if "\\`*_[]<>#!|~".contains(c) { vec!['\\', c] } else { vec![c] }).collect();
    let mut quoted = format!("> **{author}:**\n>\n");
    for line in body.lines() {
        quoted.push_str(if line.is_empty() { ">" } else { "> " });
        quoted.push_str(line);
        quoted.push('\n');
    }
    quoted.push('\n');
    quoted
}

/// Someone who may be mentioned: who can read the thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentionable {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// The people `body` mentions as `@name` or `@email` (any case), each once, in the order of
/// `candidates`. A mention must end the word: `@Anna` does not mention "Annamaria".
pub fn mentions<'a>(body: &str, candidates: &'a [Mentionable]) -> Vec<&'a Mentionable> {
    let lower = body.to_lowercase();
    let mut found: Vec<&Mentionable> = Vec::new();
    for (at, _) in lower.match_indices('@') {
        let rest = &lower[at + 1..];
        let best = candidates
            .iter()
            .flat_map(|c| [(c, c.email.to_lowercase()), (c, c.name.to_lowercase())])
            .filter(|(_, key)| !key.trim().is_empty() && rest.starts_with(key.as_str()))
            .filter(|(_, key)| !rest[key.len()..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_'))
            .max_by_key(|(_, key)| key.len());
        if let Some((candidate, _)) = best
            && !found.iter().any(|f| f.id == candidate.id)
        {
            found.push(candidate);
        }
    }
    candidates.iter().filter(|c| found.iter().any(|f| f.id == c.id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(id: &str, name: &str, email: &str) -> Mentionable {
        Mentionable { id: id.into(), name: name.into(), email: email.into() }
    }

    #[test]
    fn a_thread_needs_a_title_and_a_body_within_bounds() {
        let errors = ThreadInput::parse(&ThreadRaw { title: "  ".into(), message: String::new() }).unwrap_err();
        assert_eq!(errors.for_field("title"), Some("error-required"));
        assert_eq!(errors.for_field("message"), Some("error-required"));
        let long = ThreadRaw { title: "Tavolo".into(), message: "x".repeat(MAX_BODY + 1) };
        let errors = ThreadInput::parse(&long).unwrap_err();
        assert_eq!(errors.get("message").unwrap().code, "error-too-long");
        assert_eq!(errors.get("message").unwrap().args, vec![("max", MAX_BODY.to_string())]);
        let fine = ThreadInput::parse(&ThreadRaw { title: " Tavolo ".into(), message: "è".repeat(MAX_BODY) }).unwrap();
        assert_eq!(fine.title, "Tavolo");
    }

    #[test]
    fn a_reply_and_a_reason_are_required() {
        assert_eq!(ReplyInput::parse(&ReplyRaw::default()).unwrap_err().for_field("message"), Some("error-required"));
        let reply = ReplyInput::parse(&ReplyRaw { message: "ok".into(), quote: " m1 ".into() }).unwrap();
        assert_eq!(reply.quote.as_deref(), Some("m1"));
        assert_eq!(parse_reason(" ").unwrap_err().for_field("hide_reason"), Some("error-required"));
        assert_eq!(parse_reason("off topic").unwrap(), "off topic");
        assert_eq!(MailMode::parse("digest"), Ok(MailMode::Digest));
        assert!(MailMode::parse("weekly").is_err());
    }

    #[test]
    fn mentions_by_name_or_email_end_a_word() {
        let people = [
            person("1", "Anna Bianchi", "anna@rete.it"),
            person("2", "Anna", "a2@rete.it"),
            person("3", "Luca Verdi", "luca@rete.it"),
        ];
        let ids = |body: &str| mentions(body, &people).iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids("Ciao @anna bianchi, vedi @LUCA@RETE.IT."), vec!["1", "3"]);
        assert_eq!(ids("@Anna, e @Annamaria"), vec!["2"]);
        assert_eq!(ids("scrivi a info@rete.it"), Vec::<String>::new());
        assert_eq!(ids("@Luca Verdi @luca@rete.it"), vec!["3"], "each person once");
    }

    #[test]
    fn a_quote_names_its_author_and_quotes_every_line() {
        assert_eq!(quote("Anna *B*", "uno\n\ndue"), "> **Anna \\*B\\*:**\n>\n> uno\n>\n> due\n\n");
    }

    proptest! {
        #[test]
        fn mentions_never_panic(body in ".{0,200}") {
            let people = [person("1", "Ànna", "a@b.it"), person("2", "", "")];
            let _ = mentions(&body, &people);
        }
    }
}
