//! Reading tools (strumenti di lettura, SPEC §3): the coordination's instruments and editor,
//! rounds and their progress, the answering page of an organisation, a network's results (radar
//! against the programme's median, agreement, change, growth spaces) and the programme's
//! distribution with its ranking. Everything works without JavaScript.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};
use crate::extract::{CoordinatedProgramme, CurrentUser, NetworkAt, Private};
use crate::mail::Mail;
use crate::page::{FormPage, PageContext};
use crate::reading::{AnswerAt, CoordinatedRound, Series, SeriesStyle, VersionAt, box_plot, radar};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use reti_domain::reading::{
    Answers, DimensionInput, DimensionRaw, Instrument, ItemInput, ItemKind, ItemRaw, RoundContext, RoundInput,
    RoundKind, RoundRaw, Value, bands_text, default_instrument, format_number, growth_spaces, parse_answers,
    parse_bands, spread,
};
use reti_domain::{FieldError, FieldErrors, Locale};
use reti_store::programmes::ProgrammeDetails;
use reti_store::reading::{Answerable, NetworkProgress, Round, RoundResults, Version};
use reti_store::registry::export::{ExportColumn, ExportTable};
use reti_store::registry::networks::Network;
use serde::Deserialize;
use tower_sessions::Session;

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

fn score_text(locale: Locale, value: Option<f64>) -> String {
    match value {
        Some(value) if locale == Locale::It => one_decimal(value).replace('.', ","),
        Some(value) => one_decimal(value),
        None => "—".to_owned(),
    }
}

fn round_label(page: &PageContext, round: &Round) -> String {
    format!("{} ({})", page.t(&round.kind.label_key()), reti_domain::dates::format(round.opens_on))
}

// ---------------------------------------------------------------------------------------------
// Views of an instrument
// ---------------------------------------------------------------------------------------------

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct ItemView {
    pub key: String,
    pub number: String,
    pub text: String,
    pub text_it: String,
    pub text_en: String,
    pub kind: String,
    pub kind_label: String,
    pub options: Vec<OptionView>,
    pub min: String,
    pub max: String,
    pub weight: String,
    pub reverse: bool,
    pub anchors_text: String,
    pub choices_text: String,
    /// The answer given, for a number or a text.
    pub value: String,
    pub error: String,
}

pub struct DimensionView {
    pub key: String,
    pub number: usize,
    pub name: String,
    pub name_it: String,
    pub name_en: String,
    pub guide: String,
    pub guide_it: String,
    pub guide_en: String,
    pub weight: String,
    pub items: Vec<ItemView>,
}

fn dimension_views(
    page: &PageContext,
    instrument: &Instrument,
    answers: &Answers,
    errors: &FieldErrors,
) -> Vec<DimensionView> {
    let locale = page.locale;
    instrument
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| DimensionView {
            key: dimension.key.clone(),
            number: d + 1,
            name: dimension.name.get(locale).to_owned(),
            name_it: dimension.name.it.clone(),
            name_en: dimension.name.en.clone(),
            guide: dimension.guide.get(locale).to_owned(),
            guide_it: dimension.guide.it.clone(),
            guide_en: dimension.guide.en.clone(),
            weight: format_number(dimension.weight),
            items: dimension
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let answer = answers.get(&item.key);
                    let chosen: Vec<usize> = match answer {
                        Some(Value::Choices(chosen)) => chosen.clone(),
                        Some(Value::Number(point)) if item.kind == ItemKind::Likert => vec![*point as usize],
                        _ => Vec::new(),
                    };
                    let options = match item.kind {
                        ItemKind::Likert => (1..=reti_domain::reading::LIKERT_POINTS)
                            .map(|point| OptionView {
                                value: point.to_string(),
                                label: match item.anchors.get(point - 1) {
                                    Some(anchor) => format!("{point} — {}", anchor.get(locale)),
                                    None => point.to_string(),
                                },
                                checked: chosen.contains(&point),
                            })
                            .collect(),
                        ItemKind::Single | ItemKind::Multiple => item
                            .choices
                            .iter()
                            .enumerate()
                            .map(|(index, choice)| OptionView {
                                value: index.to_string(),
                                label: choice.label.get(locale).to_owned(),
                                checked: chosen.contains(&index),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let value = match answer {
                        Some(Value::Number(value)) if item.kind == ItemKind::Number => format_number(*value),
                        Some(Value::Text(text)) => text.clone(),
                        _ => String::new(),
                    };
                    ItemView {
                        key: item.key.clone(),
                        number: format!("{}.{}", d + 1, i + 1),
                        text: item.text.get(locale).to_owned(),
                        text_it: item.text.it.clone(),
                        text_en: item.text.en.clone(),
                        kind: item.kind.code().to_owned(),
                        kind_label: page.t(&item.kind.label_key()),
                        options,
                        min: format_number(item.min),
                        max: format_number(item.max),
                        weight: format_number(item.weight),
                        reverse: item.reverse,
                        anchors_text: item.anchors_text(),
                        choices_text: item.choices_text(),
                        value,
                        error: page.field_error(errors, &item.key),
                    }
                })
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// My rounds
// ---------------------------------------------------------------------------------------------

pub struct ProgrammeRounds {
    pub id: String,
    pub name: String,
    pub coordinates: bool,
    /// (round label, open today, the row)
    pub rows: Vec<(String, bool, Answerable)>,
}

#[derive(Template)]
#[template(path = "reading/home.html")]
struct HomePage {
    page: PageContext,
    programmes: Vec<ProgrammeRounds>,
    networks: Vec<(String, String)>,
}

/// The reading tools of the user: the rounds their organisations answer, their networks' results,
/// and for the coordination the programmes' instruments and rounds.
pub async fn home(State(state): State<AppState>, page: PageContext, user: CurrentUser) -> AppResult<Response> {
    let mut programmes = Vec::new();
    let today = reti_domain::meetings::today_in_rome();
    for programme in state.db.programmes().await? {
        let coordinates = user.coordinates(&programme.id);
        if !coordinates && !user.assignments.iter().any(|a| a.programme_id == programme.id) {
            continue;
        }
        let rounds = state.db.reading_rounds(&programme.id).await?;
        let rows = state
            .db
            .answerable(&user.identity.user.email, &programme.id)
            .await?
            .into_iter()
            .filter_map(|row| {
                let round = rounds.iter().find(|r| r.id == row.round_id)?;
                Some((round_label(&page, round), round.is_open(today), row))
            })
            .collect();
        programmes.push(ProgrammeRounds { id: programme.id, name: programme.name, coordinates, rows });
    }
    let mut networks: Vec<(String, String)> =
        user.networks.iter().map(|n| (n.network_id.clone(), n.network_name.clone())).collect();
    networks.dedup_by(|a, b| a.0 == b.0);
    render(&HomePage { page, programmes, networks })
}

// ---------------------------------------------------------------------------------------------
// The programme's instruments and rounds (coordination)
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reading/programme.html")]
struct ProgrammePage {
    page: PageContext,
    programme: ProgrammeDetails,
    versions: Vec<Version>,
    rounds: Vec<Round>,
    form: RoundRaw,
    errors: FieldErrors,
}

impl ProgrammePage {
    fn published(&self) -> Vec<&Version> {
        self.versions.iter().filter(|v| v.published).collect()
    }

    fn kinds(&self) -> Vec<(String, String)> {
        RoundKind::ALL.iter().map(|k| (k.code().to_owned(), self.page.t(&k.label_key()))).collect()
    }

    fn round_label(&self, round: &Round) -> String {
        self.page.t(&round.kind.label_key())
    }

    fn name(&self, version: &Version) -> String {
        version.content.name.get(self.page.locale).to_owned()
    }

    fn date(&self, date: &time::Date) -> String {
        reti_domain::dates::format(*date)
    }
}

async fn programme_page(
    state: &AppState,
    page: PageContext,
    programme: ProgrammeDetails,
    form: RoundRaw,
    errors: FieldErrors,
) -> AppResult<Response> {
    let versions = state.db.reading_versions(&programme.id).await?;
    let rounds = state.db.reading_rounds(&programme.id).await?;
    let template = ProgrammePage { page, programme, versions, rounds, form, errors };
    render_status(form_status(&template.errors), &template)
}

pub async fn programme(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
) -> AppResult<Response> {
    programme_page(&state, page, programme, RoundRaw::default(), FieldErrors::default()).await
}

/// Loads the default instrument, "Potenziale generativo della rete", as a draft of the programme.
pub async fn load_default(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
) -> AppResult<Response> {
    let id = state.db.create_instrument(&user.actor(), &programme.id, &default_instrument(), false).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/reading/versions/{id}")).await
}

/// The invitation of one person to a round, in their language.
pub fn invitation(config: &crate::WebConfig, round: &RoundInput, invitee: &reti_store::reading::Invitee) -> Mail {
    let locale = invitee.recipient.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
    let tr = crate::i18n::Translator::new(locale);
    let args = [
        ("name", invitee.recipient.name.clone()),
        ("round", tr.t(&round.kind.label_key())),
        ("organisation", invitee.organisation_name.clone()),
        ("network", invitee.network_name.clone()),
        ("opens", reti_domain::dates::format(round.opens_on)),
        ("closes", reti_domain::dates::format(round.closes_on)),
        ("link", format!("{}/reading", config.public_url)),
    ];
    Mail {
        to: invitee.recipient.email.clone(),
        subject: tr.t_args("reading-mail-subject", &args),
        body: tr.t_args("reading-mail-body", &args),
        attachment: None,
    }
}

pub async fn create_round(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    axum::Form(raw): axum::Form<RoundRaw>,
) -> AppResult<Response> {
    let published: Vec<String> =
        state.db.reading_versions(&programme.id).await?.into_iter().filter(|v| v.published).map(|v| v.id).collect();
    let input = match RoundInput::parse(&raw, &RoundContext { published_version_ids: &published }) {
        Ok(input) => input,
        Err(errors) => return programme_page(&state, page, programme, raw, errors).await,
    };
    let invitees = state.db.round_invitees(&programme.id).await?;
    let mails: Vec<_> = invitees.iter().map(|i| invitation(&state.config, &input, i).job()).collect();
    match state.db.create_round(&user.actor(), &programme.id, &input, &mails).await {
        Ok(id) => {
            let message = page.t_args("flash-reading-round-opened", &[("count", mails.len().to_string())]);
            set_flash_redirect(&session, message, &format!("/reading/rounds/{id}")).await
        }
        Err(reti_store::StoreError::Conflict { .. }) => {
            let errors = FieldError::new("kind", "error-reading-round-exists").into();
            programme_page(&state, page, programme, raw, errors).await
        }
        Err(reti_store::StoreError::Invalid(errors)) => programme_page(&state, page, programme, raw, errors).await,
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The editor of a version
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reading/version.html")]
struct VersionPage {
    page: PageContext,
    version: Version,
    programme_name: String,
    dimensions: Vec<DimensionView>,
    bands: Vec<(String, String)>,
    bands_text: String,
    kinds: Vec<(String, String)>,
    errors: FieldErrors,
}

impl VersionPage {
    fn name(&self) -> String {
        self.version.content.name.get(self.page.locale).to_owned()
    }

    /// The error of the field `field` of the form whose fields are prefixed `form`.
    fn error_of(&self, form: &str, field: &str) -> String {
        self.page.field_error(&self.errors, &format!("{form}.{field}"))
    }
}

async fn version_page(
    state: &AppState,
    page: PageContext,
    version: Version,
    errors: FieldErrors,
) -> AppResult<Response> {
    let programme_name = state.db.programme(&version.programme_id).await?.map(|p| p.name).unwrap_or_default();
    let dimensions = dimension_views(&page, &version.content, &Answers::new(), &FieldErrors::default());
    let bands =
        version.content.bands.iter().map(|b| (format_number(b.min), b.label.get(page.locale).to_owned())).collect();
    let kinds = ItemKind::ALL.iter().map(|k| (k.code().to_owned(), page.t(&k.label_key()))).collect();
    let bands_text = bands_text(&version.content.bands);
    let template = VersionPage { page, version, programme_name, dimensions, bands, bands_text, kinds, errors };
    render_status(form_status(&template.errors), &template)
}

pub async fn version(State(state): State<AppState>, FormPage(page): FormPage, at: VersionAt) -> AppResult<Response> {
    version_page(&state, page, at.version, FieldErrors::default()).await
}

/// Prefixes every field of `errors` with the form's name, as the editor's inputs are named.
fn in_form(errors: FieldErrors, form: &str) -> FieldErrors {
    FieldErrors(errors.0.into_iter().map(|e| FieldError { field: format!("{form}.{}", e.field), ..e }).collect())
}

/// Applies `edit` to the version's content and saves it; a published version is refused whole,
/// bad input shows the editor again with the form's errors.
async fn edit(
    state: &AppState,
    session: &Session,
    page: PageContext,
    at: VersionAt,
    edit: impl FnOnce(&mut Instrument) -> Result<(), FieldErrors>,
) -> AppResult<Response> {
    if at.version.published {
        return Err(AppError::Invalid(FieldError::new("version", "error-reading-version-published").into()));
    }
    let mut content = at.version.content.clone();
    if let Err(errors) = edit(&mut content) {
        return version_page(state, page, at.version, errors).await;
    }
    state.db.save_version(&at.user.actor(), &at.version, &content).await?;
    set_flash_redirect(session, page.t("flash-saved"), &format!("/reading/versions/{}", at.version.id)).await
}

#[derive(Deserialize)]
pub struct KeyPath {
    pub id: String,
    pub key: String,
}

pub async fn add_dimension(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
    axum::Form(raw): axum::Form<DimensionRaw>,
) -> AppResult<Response> {
    edit(&state, &session, page, at, |content| {
        content.add_dimension(DimensionInput::parse(&raw).map_err(|e| in_form(e, "new"))?);
        Ok(())
    })
    .await
}

pub async fn update_dimension(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
    Path(path): Path<KeyPath>,
    axum::Form(raw): axum::Form<DimensionRaw>,
) -> AppResult<Response> {
    if at.version.content.dimension(&path.key).is_none() {
        return Err(AppError::NotFound);
    }
    edit(&state, &session, page, at, |content| {
        content.update_dimension(&path.key, DimensionInput::parse(&raw).map_err(|e| in_form(e, &path.key))?);
        Ok(())
    })
    .await
}

pub async fn remove_dimension(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: VersionAt,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    if at.version.content.dimension(&path.key).is_none() {
        return Err(AppError::NotFound);
    }
    edit(&state, &session, page, at, |content| {
        content.remove_dimension(&path.key);
        Ok(())
    })
    .await
}

#[derive(Deserialize)]
pub struct BandsRaw {
    #[serde(default)]
    pub bands: String,
}

pub async fn update_bands(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
    axum::Form(raw): axum::Form<BandsRaw>,
) -> AppResult<Response> {
    edit(&state, &session, page, at, |content| {
        content.bands = parse_bands(&raw.bands)?;
        Ok(())
    })
    .await
}

pub async fn add_item(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
    Path(path): Path<KeyPath>,
    axum::Form(raw): axum::Form<ItemRaw>,
) -> AppResult<Response> {
    if at.version.content.dimension(&path.key).is_none() {
        return Err(AppError::NotFound);
    }
    edit(&state, &session, page, at, |content| {
        let input = ItemInput::parse(&raw).map_err(|e| in_form(e, &format!("{}-new", path.key)))?;
        content.add_item(&path.key, input);
        Ok(())
    })
    .await
}

pub async fn update_item(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
    Path(path): Path<KeyPath>,
    axum::Form(raw): axum::Form<ItemRaw>,
) -> AppResult<Response> {
    if at.version.content.item(&path.key).is_none() {
        return Err(AppError::NotFound);
    }
    edit(&state, &session, page, at, |content| {
        content.update_item(&path.key, ItemInput::parse(&raw).map_err(|e| in_form(e, &path.key))?);
        Ok(())
    })
    .await
}

pub async fn remove_item(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: VersionAt,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    if at.version.content.item(&path.key).is_none() {
        return Err(AppError::NotFound);
    }
    edit(&state, &session, page, at, |content| {
        content.remove_item(&path.key);
        Ok(())
    })
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: VersionAt,
) -> AppResult<Response> {
    match state.db.publish_version(&at.user.actor(), &at.version).await {
        Ok(()) => {
            set_flash_redirect(
                &session,
                page.t("flash-reading-published"),
                &format!("/reading/versions/{}", at.version.id),
            )
            .await
        }
        Err(reti_store::StoreError::Invalid(errors)) if !at.version.published => {
            version_page(&state, page, at.version, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn new_draft(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: VersionAt,
) -> AppResult<Response> {
    let id = state.db.new_draft(&at.user.actor(), &at.version.instrument_id).await?;
    set_flash_redirect(&session, page.t("flash-reading-draft"), &format!("/reading/versions/{id}")).await
}

// ---------------------------------------------------------------------------------------------
// Progress of a round (coordination)
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reading/progress.html")]
struct ProgressPage {
    page: PageContext,
    round: Round,
    round_label: String,
    rows: Vec<NetworkProgress>,
}

pub async fn progress(State(state): State<AppState>, page: PageContext, at: CoordinatedRound) -> AppResult<Response> {
    let rows = state.db.round_progress(&at.round).await?;
    render(&ProgressPage { round_label: round_label(&page, &at.round), page, round: at.round, rows })
}

// ---------------------------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reading/answer.html")]
struct AnswerPage {
    page: PageContext,
    at_round: Round,
    round_label: String,
    answerable: Answerable,
    instrument_name: String,
    dimensions: Vec<DimensionView>,
    open: bool,
    submitted: bool,
    errors: FieldErrors,
}

async fn answer_page(
    state: &AppState,
    page: PageContext,
    at: AnswerAt,
    given: Option<Answers>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let version = state.db.reading_version(&at.round.version_id).await?.ok_or(AppError::NotFound)?;
    let stored = state.db.reading_answer(&at.round.id, &at.answerable.organisation_id).await?;
    let submitted = stored.as_ref().is_some_and(|a| a.submitted_at.is_some());
    let answers = given.or(stored.map(|a| a.values)).unwrap_or_default();
    let template = AnswerPage {
        round_label: round_label(&page, &at.round),
        instrument_name: version.content.name.get(page.locale).to_owned(),
        dimensions: dimension_views(&page, &version.content, &answers, &errors),
        open: at.round.is_open(reti_domain::meetings::today_in_rome()),
        page,
        at_round: at.round,
        answerable: at.answerable,
        submitted,
        errors,
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn answer_form(State(state): State<AppState>, FormPage(page): FormPage, at: AnswerAt) -> AppResult<Response> {
    answer_page(&state, page, at, None, FieldErrors::default()).await
}

/// Saves a draft (`action=draft`) or submits (`action=submit`); every problem names its item and
/// nothing is saved.
pub async fn save_answer(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: AnswerAt,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let submit = pairs.iter().any(|(k, v)| k == "action" && v == "submit");
    let version = state.db.reading_version(&at.round.version_id).await?.ok_or(AppError::NotFound)?;
    let answers = match parse_answers(&version.content, &pairs, submit) {
        Ok(answers) => answers,
        Err(errors) => {
            // Keep what was typed, so that the form comes back as it was sent.
            let given = parse_answers(&version.content, &pairs, false).unwrap_or_default();
            return answer_page(&state, page, at, Some(given), errors).await;
        }
    };
    let saved = state
        .db
        .save_answer(
            &at.user.actor(),
            &at.round,
            &at.answerable.network_id,
            &at.answerable.organisation_id,
            &answers,
            submit,
            reti_domain::meetings::today_in_rome(),
        )
        .await;
    match saved {
        Ok(_) => {
            let flash = if submit { "flash-reading-submitted" } else { "flash-reading-draft-saved" };
            let to = if submit {
                "/reading".to_owned()
            } else {
                format!("/reading/rounds/{}/answer/{}", at.round.id, at.answerable.organisation_id)
            };
            set_flash_redirect(&session, page.t(flash), &to).await
        }
        Err(reti_store::StoreError::Invalid(errors)) => answer_page(&state, page, at, Some(answers), errors).await,
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

pub struct ResultRow {
    pub number: usize,
    pub name: String,
    pub score: String,
    pub median: String,
    pub deviation: String,
    pub agreement: String,
    pub change: String,
}

pub struct GrowthView {
    pub dimension: String,
    pub score: String,
    pub items: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "reading/network.html")]
struct NetworkPage {
    page: PageContext,
    network: Network,
    /// (round id, label, selected)
    rounds: Vec<(String, String, bool)>,
    selected: Option<NetworkSummary>,
    history: Vec<(String, String, String)>,
}

struct NetworkSummary {
    round_label: String,
    index: String,
    median_index: String,
    band: String,
    organisations: usize,
    radar: String,
    rows: Vec<ResultRow>,
    growth: Vec<GrowthView>,
    previous: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoundQuery {
    pub round: String,
}

fn band_label(page: &PageContext, instrument: &Instrument, band: Option<usize>) -> String {
    band.and_then(|b| instrument.bands.get(b))
        .map(|b| b.label.get(page.locale).to_owned())
        .unwrap_or_else(|| "—".into())
}

fn network_summary(
    page: &PageContext,
    all: &[RoundResults],
    position: usize,
    network_id: &str,
) -> Option<NetworkSummary> {
    let results = &all[position];
    let network = results.network(network_id)?;
    let instrument = &results.instrument;
    let locale = page.locale;
    let (medians, median_index) = results.medians();
    // The network's previous round with results, on the same dimensions (by key) when comparable.
    let previous = all[..position].iter().rev().find_map(|r| r.network(network_id).map(|n| (r, n)));
    let rows = instrument
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            let result = &network.profile.dimensions[d];
            let change = previous.and_then(|(round, before)| {
                let (index, _) = round.instrument.dimension(&dimension.key)?;
                Some(result.score? - before.profile.dimensions.get(index)?.score?)
            });
            ResultRow {
                number: d + 1,
                name: dimension.name.get(locale).to_owned(),
                score: score_text(locale, result.score),
                median: score_text(locale, medians[d]),
                deviation: score_text(locale, result.deviation),
                agreement: result.agreement.map(|a| page.t(a.label_key())).unwrap_or_else(|| "—".into()),
                change: change
                    .map(|c| format!("{}{}", if c > 0.0 { "+" } else { "" }, score_text(locale, Some(c))))
                    .unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let scores: Vec<Option<f64>> = network.profile.dimensions.iter().map(|r| r.score).collect();
    let round_label = round_label(page, &results.round);
    let title = page
        .t_args("reading-radar-title", &[("network", network.network_name.clone()), ("round", round_label.clone())]);
    let description = instrument
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            format!(
                "{}. {}: {} ({} {})",
                d + 1,
                dimension.name.get(locale),
                score_text(locale, scores[d]),
                page.t("reading-median"),
                score_text(locale, medians[d])
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let network_label = network.network_name.clone();
    let median_label = page.t("reading-programme-median");
    let radar = radar(
        "radar",
        &title,
        &description,
        instrument.dimensions.len(),
        &[
            Series { label: &median_label, values: &medians, style: SeriesStyle::Dashed },
            Series { label: &network_label, values: &scores, style: SeriesStyle::Solid },
        ],
    );
    let growth = growth_spaces(&network.profile, 2)
        .into_iter()
        .map(|space| {
            let dimension = &instrument.dimensions[space.dimension];
            GrowthView {
                dimension: format!("{}. {}", space.dimension + 1, dimension.name.get(locale)),
                score: score_text(locale, network.profile.dimensions[space.dimension].score),
                items: space
                    .items
                    .iter()
                    .map(|i| {
                        let item = &dimension.items[*i];
                        let mean = network.profile.items[space.dimension][*i].map(|s| s * 100.0);
                        (
                            format!("{}.{}", space.dimension + 1, i + 1),
                            item.text.get(locale).to_owned(),
                            score_text(locale, mean),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    Some(NetworkSummary {
        round_label,
        index: score_text(locale, network.profile.index),
        median_index: score_text(locale, median_index),
        band: band_label(page, instrument, network.profile.band),
        organisations: network.profile.organisations,
        radar,
        rows,
        growth,
        previous: previous.map(|(r, _)| round_label_of(page, &r.round)).unwrap_or_default(),
    })
}

fn round_label_of(page: &PageContext, round: &Round) -> String {
    round_label(page, round)
}

/// A network's results: its members, facilitators and the coordination.
pub async fn network_results(
    State(state): State<AppState>,
    page: PageContext,
    at: NetworkAt<Private>,
    Query(query): Query<RoundQuery>,
) -> AppResult<Response> {
    let all = state.db.reading_results(&at.network.programme_id).await?;
    let with_results: Vec<usize> = (0..all.len()).filter(|i| all[*i].network(&at.network.id).is_some()).collect();
    let position =
        with_results.iter().copied().find(|i| all[*i].round.id == query.round).or(with_results.last().copied());
    let rounds = with_results
        .iter()
        .map(|i| (all[*i].round.id.clone(), round_label(&page, &all[*i].round), Some(*i) == position))
        .collect();
    let history = with_results
        .iter()
        .filter_map(|i| {
            let network = all[*i].network(&at.network.id)?;
            Some((
                round_label(&page, &all[*i].round),
                score_text(page.locale, network.profile.index),
                band_label(&page, &all[*i].instrument, network.profile.band),
            ))
        })
        .collect();
    let selected = position.and_then(|p| network_summary(&page, &all, p, &at.network.id));
    render(&NetworkPage { page, network: at.network, rounds, selected, history })
}

const RESULT_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "round", header: "Rilevazione" },
    ExportColumn { field: "opens_on", header: "Apertura" },
    ExportColumn { field: "network", header: "Rete" },
    ExportColumn { field: "dimension_number", header: "N. dimensione" },
    ExportColumn { field: "dimension", header: "Dimensione" },
    ExportColumn { field: "score", header: "Punteggio (0-100)" },
    ExportColumn { field: "deviation", header: "Deviazione standard tra enti" },
    ExportColumn { field: "organisations", header: "Enti che hanno risposto" },
    ExportColumn { field: "index", header: "Indice (0-100)" },
    ExportColumn { field: "band", header: "Fascia di maturità" },
];

/// The results as rows, one per round, network and dimension (numbers with a dot, as data).
fn results_table(all: &[RoundResults], network_id: Option<&str>) -> ExportTable {
    let number = |value: Option<f64>| value.map(one_decimal).unwrap_or_default();
    let mut rows = Vec::new();
    for results in all {
        for network in results.networks.iter().filter(|n| network_id.is_none_or(|id| id == n.network_id)) {
            let band = network.profile.band.and_then(|b| results.instrument.bands.get(b)).map(|b| b.label.it.clone());
            for (d, dimension) in results.instrument.dimensions.iter().enumerate() {
                let result = &network.profile.dimensions[d];
                rows.push(vec![
                    results.round.kind.code().to_owned(),
                    results.round.opens_on.to_string(),
                    network.network_name.clone(),
                    (d + 1).to_string(),
                    dimension.name.it.clone(),
                    number(result.score),
                    number(result.deviation),
                    result.answers.to_string(),
                    number(network.profile.index),
                    band.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    ExportTable { columns: RESULT_COLUMNS, rows }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    pub format: String,
}

fn download(table: &ExportTable, format: &str, name: &str) -> AppResult<Response> {
    let format = match Format::parse(format) {
        Some(format @ (Format::Csv | Format::Xlsx)) => format,
        _ => return Err(AppError::Invalid(FieldError::new("format", "error-export-format").into())),
    };
    let bytes = export::write(table, format).map_err(AppError::Internal)?;
    let filename = format!("{name}.{}", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response())
}

pub async fn network_export(
    State(state): State<AppState>,
    at: NetworkAt<Private>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let all = state.db.reading_results(&at.network.programme_id).await?;
    download(&results_table(&all, Some(&at.network.id)), &query.format, &format!("lettura-{}", at.network.id))
}

pub async fn programme_export(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let all = state.db.reading_results(&programme.id).await?;
    download(&results_table(&all, None), &query.format, &format!("lettura-{}", programme.code))
}

pub struct DistributionRow {
    pub name: String,
    pub min: String,
    pub q1: String,
    pub median: String,
    pub q3: String,
    pub max: String,
    pub count: usize,
    pub plot: String,
}

#[derive(Template)]
#[template(path = "reading/distribution.html")]
struct DistributionPage {
    page: PageContext,
    programme: ProgrammeDetails,
    rounds: Vec<(String, String, bool)>,
    round_label: String,
    rows: Vec<DistributionRow>,
    /// (rank, network id, network name, index, band, organisations)
    ranking: Vec<(usize, String, String, String, String, usize)>,
}

/// The programme's distribution per dimension and index, and the networks' ranking: the
/// coordination only.
pub async fn distribution(
    State(state): State<AppState>,
    page: PageContext,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Query(query): Query<RoundQuery>,
) -> AppResult<Response> {
    let all = state.db.reading_results(&programme.id).await?;
    let with_results: Vec<usize> = (0..all.len()).filter(|i| !all[*i].networks.is_empty()).collect();
    let position =
        with_results.iter().copied().find(|i| all[*i].round.id == query.round).or(with_results.last().copied());
    let rounds = with_results
        .iter()
        .map(|i| (all[*i].round.id.clone(), round_label(&page, &all[*i].round), Some(*i) == position))
        .collect();
    let locale = page.locale;
    let mut rows = Vec::new();
    let mut ranking = Vec::new();
    let mut label = String::new();
    if let Some(results) = position.map(|p| &all[p]) {
        label = round_label(&page, &results.round);
        let mut row = |name: String, values: Vec<f64>| {
            if let Some(s) = spread(&values) {
                rows.push(DistributionRow {
                    name,
                    min: score_text(locale, Some(s.min)),
                    q1: score_text(locale, Some(s.q1)),
                    median: score_text(locale, Some(s.median)),
                    q3: score_text(locale, Some(s.q3)),
                    max: score_text(locale, Some(s.max)),
                    count: s.count,
                    plot: box_plot(&s, None),
                });
            }
        };
        for (d, dimension) in results.instrument.dimensions.iter().enumerate() {
            let values = results.networks.iter().filter_map(|n| n.profile.dimensions[d].score).collect();
            row(format!("{}. {}", d + 1, dimension.name.get(locale)), values);
        }
        row(page.t("reading-index"), results.networks.iter().filter_map(|n| n.profile.index).collect());
        let mut ordered: Vec<_> = results.networks.iter().filter(|n| n.profile.index.is_some()).collect();
        ordered.sort_by(|a, b| b.profile.index.unwrap_or(0.0).total_cmp(&a.profile.index.unwrap_or(0.0)));
        ranking = ordered
            .into_iter()
            .enumerate()
            .map(|(rank, n)| {
                (
                    rank + 1,
                    n.network_id.clone(),
                    n.network_name.clone(),
                    score_text(locale, n.profile.index),
                    band_label(&page, &results.instrument, n.profile.band),
                    n.profile.organisations,
                )
            })
            .collect();
    }
    render(&DistributionPage { page, programme, rounds, round_label: label, rows, ranking })
}
