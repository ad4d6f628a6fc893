//! Meeting mail (decision 0022): the jobs that turn a meeting's notice into one e-mail per
//! recipient with the meeting's `.ics`, and the reminder of a follow-up action to its owner. The
//! store decides who receives what (`reti_store::notices`); this renders it in each recipient's
//! language.

use crate::WebConfig;
use crate::calendar;
use crate::i18n::Translator;
use crate::mail::{Mail, MailAttachment};
use reti_domain::Locale;
use reti_domain::meetings::format_local;
use reti_store::Db;
use reti_store::meetings::Meeting;
use reti_store::notices::{FollowUp, MeetingNotice, Notice, Recipient};

fn translator(recipient: &Recipient) -> Translator {
    Translator::new(recipient.locale.as_deref().and_then(Locale::parse).unwrap_or_default())
}

fn meeting_url(config: &WebConfig, meeting: &Meeting) -> String {
    format!("{}/meetings/{}", config.public_url, meeting.id)
}

/// The programme's sending address, as the calendar file's organizer.
fn organizer(config: &WebConfig) -> (String, String) {
    match config.mail.from.parse::<lettre::message::Mailbox>() {
        Ok(mailbox) => (mailbox.name.unwrap_or_default(), mailbox.email.to_string()),
        Err(_) => (String::new(), config.mail.from.clone()),
    }
}

/// The e-mail of `notice` to `recipient`, with the calendar file of the meeting — of every
/// meeting of the series, for a series' invitation (`meetings` holds them in order).
pub fn meeting_mail(config: &WebConfig, meetings: &[Meeting], notice: Notice, recipient: &Recipient) -> Mail {
    let tr = translator(recipient);
    let meeting = &meetings[0];
    let (subject, intro) = match notice {
        Notice::Invitation => ("mail-meeting-invitation-subject", "mail-meeting-invitation-intro"),
        Notice::Update => ("mail-meeting-update-subject", "mail-meeting-update-intro"),
        Notice::Cancellation => ("mail-meeting-cancellation-subject", "mail-meeting-cancellation-intro"),
        Notice::Reminder => ("mail-meeting-reminder-subject", "mail-meeting-reminder-intro"),
        Notice::SeriesInvitation => ("mail-meeting-series-subject", "mail-meeting-series-intro"),
        Notice::Promotion => ("mail-meeting-promotion-subject", "mail-meeting-promotion-intro"),
        Notice::Uninvited => ("mail-meeting-uninvited-subject", "mail-meeting-uninvited-intro"),
    };
    let url = meeting_url(config, meeting);
    let place = [meeting.place.as_str(), meeting.link.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" — ");
    let when = meetings.iter().map(|m| format_local(m.starts_at)).collect::<Vec<_>>().join(", ");
    let body = tr.t_args(
        "mail-meeting-body",
        &[
            ("name", recipient.name.clone()),
            ("intro", tr.t_args(intro, &[("title", meeting.title.clone()), ("count", meetings.len().to_string())])),
            ("when", when),
            ("place", if place.is_empty() { "—".to_owned() } else { place }),
            ("link", url),
        ],
    );
    let (organizer_name, organizer_email) = organizer(config);
    let parties = calendar::Parties {
        organizer_name: &organizer_name,
        organizer_email: &organizer_email,
        attendee_name: &recipient.name,
        attendee_email: &recipient.email,
    };
    let (method, ics) = calendar::message(meetings, |m| meeting_url(config, m), notice == Notice::Uninvited, &parties);
    Mail {
        to: recipient.email.clone(),
        subject: tr.t_args(subject, &[("title", meeting.title.clone())]),
        body,
        attachment: Some(MailAttachment {
            file_name: "invito.ics".into(),
            content_type: format!("text/calendar; method={method}; charset=utf-8"),
            content: ics,
        }),
    }
}

/// The key of the Message-ID of a notice's mail to one address: the same whenever this notice
/// (this change of this meeting) is mailed to it, so that a mail job run twice is sent once.
pub fn meeting_mail_key(notice: &MeetingNotice, meeting: &Meeting, email: &str) -> String {
    use sha2::{Digest, Sha256};
    let round = notice.round.clone().unwrap_or_else(|| meeting.sequence.to_string());
    let code = serde_json::to_value(notice.notice).expect("serialisable");
    let text =
        format!("{}\n{}\n{round}\n{}", notice.meeting_id, code.as_str().unwrap_or_default(), email.to_lowercase());
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("meeting-{hex}")
}

/// Runs a meeting's notice job: queues its mails, each recipient once however often it runs.
pub async fn send_meeting_notice(db: &Db, config: &WebConfig, payload: serde_json::Value) -> anyhow::Result<()> {
    let notice: MeetingNotice = serde_json::from_value(payload)?;
    db.queue_meeting_mails(&notice, |meetings, recipient| {
        let key = meeting_mail_key(&notice, &meetings[0], &recipient.email);
        meeting_mail(config, meetings, notice.notice, recipient).job_keyed(&key)
    })
    .await?;
    Ok(())
}

fn follow_up_mail(config: &WebConfig, follow_up: &FollowUp, owner: &Recipient) -> Mail {
    let tr = translator(owner);
    let body = tr.t_args(
        "mail-follow-up-body",
        &[
            ("name", owner.name.clone()),
            ("action", follow_up.description.clone()),
            ("due", follow_up.due_on.clone()),
            ("title", follow_up.meeting.title.clone()),
            ("link", meeting_url(config, &follow_up.meeting)),
        ],
    );
    Mail { to: owner.email.clone(), subject: tr.t("mail-follow-up-subject"), body, attachment: None }
}

/// Runs a follow-up's reminder job: queues the mail to its owner, when the owner has an e-mail
/// and wants it.
pub async fn send_follow_up_notice(db: &Db, config: &WebConfig, payload: serde_json::Value) -> anyhow::Result<()> {
    let action_id = payload["action_id"].as_str().unwrap_or_default();
    let Some(follow_up) = db.follow_up(action_id).await? else { return Ok(()) };
    if let Some(owner) = &follow_up.owner {
        db.enqueue(&follow_up_mail(config, &follow_up, owner).job()).await?;
    }
    Ok(())
}
