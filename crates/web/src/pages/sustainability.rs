//! A network's sustainability plan (decision 0044): its summary, funding sources, commitments of
//! member organisations, risks, the growth spaces it will pursue and its reviews at the
//! reading-tool rounds, with one form per list (prefilled to change an item); and the programme's
//! table of plans, which the indicator `funded_plan_share` counts. Everything works without
//! JavaScript.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::accompaniment::today;
use crate::error::{AppError, AppResult};
use crate::extract::CoordinatedProgramme;
use crate::page::{FormPage, PageContext};
use crate::sustainability::{ItemRaw, PlanAt, growth_spaces, parse_item, parse_review};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::input::sustainability::{
    CommitmentRaw, GrowthRaw, ReviewRaw, RiskRaw, SourceRaw, SummaryRaw, parse_summary,
};
use reti_domain::markdown;
use reti_domain::sustainability::{FundingKind, FundingStatus, Level, format_euro};
use reti_domain::{FieldErrors, Locale};
use reti_store::programmes::ProgrammeDetails;
use reti_store::reading::Round;
use reti_store::registry::networks::Network;
use reti_store::sustainability::{Plan, PlanRow, Section};
use serde::Deserialize;
use tower_sessions::Session;

/// Euro in the page's language: "1.500,00" in Italian, "1,500.00" in English.
pub fn euro(locale: Locale, cents: i64) -> String {
    format!("{} €", format_euro(cents, if locale == Locale::It { ',' } else { '.' }))
}

/// Every field any of the plan's forms sends; each form fills its own.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub kind: String,
    pub sustain_amount: String,
    pub status: String,
    pub note: String,
    pub organisation_id: String,
    pub sustain_commitment: String,
    pub sustain_until: String,
    pub description: String,
    pub sustain_likelihood: String,
    pub sustain_impact: String,
    pub sustain_mitigation: String,
    pub sustain_growth_label: String,
    pub round_id: String,
    pub sustain_reviewed_on: String,
    pub sustain_summary: String,
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

impl ItemForm {
    /// The form as the item of `section` (not the reviews, which are no item).
    fn item(&self, section: Section) -> Option<ItemRaw> {
        Some(match section {
            Section::Sources => ItemRaw::Source(SourceRaw {
                kind: some(&self.kind),
                sustain_amount: some(&self.sustain_amount),
                status: some(&self.status),
                note: some(&self.note),
            }),
            Section::Commitments => ItemRaw::Commitment(CommitmentRaw {
                organisation_id: some(&self.organisation_id),
                sustain_commitment: some(&self.sustain_commitment),
                sustain_until: some(&self.sustain_until),
            }),
            Section::Risks => ItemRaw::Risk(RiskRaw {
                description: some(&self.description),
                sustain_likelihood: some(&self.sustain_likelihood),
                sustain_impact: some(&self.sustain_impact),
                sustain_mitigation: some(&self.sustain_mitigation),
            }),
            Section::Growth => ItemRaw::Growth(GrowthRaw {
                organisation_id: some(&self.organisation_id),
                sustain_growth_label: some(&self.sustain_growth_label),
                note: some(&self.note),
            }),
            Section::Reviews => return None,
        })
    }

    /// The form prefilled with the item `id` of the plan, and its section.
    fn of_item(locale: Locale, plan: &Plan, id: &str) -> Option<(Section, ItemForm)> {
        if let Some(s) = plan.sources.iter().find(|s| s.id == id) {
            let amount = s.amount_cents.map(|c| format_euro(c, if locale == Locale::It { ',' } else { '.' }));
            return Some((
                Section::Sources,
                ItemForm {
                    kind: s.kind.code().into(),
                    sustain_amount: amount
                        .map(|a| if locale == Locale::It { a } else { a.replace(',', "") })
                        .unwrap_or_default(),
                    status: s.status.code().into(),
                    note: s.note.clone(),
                    ..ItemForm::default()
                },
            ));
        }
        if let Some(c) = plan.commitments.iter().find(|c| c.id == id) {
            return Some((
                Section::Commitments,
                ItemForm {
                    organisation_id: c.organisation_id.clone(),
                    sustain_commitment: c.commitment.clone(),
                    sustain_until: c.until.map(|d| d.to_string()).unwrap_or_default(),
                    ..ItemForm::default()
                },
            ));
        }
        if let Some(r) = plan.risks.iter().find(|r| r.id == id) {
            return Some((
                Section::Risks,
                ItemForm {
                    description: r.description.clone(),
                    sustain_likelihood: r.likelihood.code().into(),
                    sustain_impact: r.impact.code().into(),
                    sustain_mitigation: r.mitigation.clone(),
                    ..ItemForm::default()
                },
            ));
        }
        let g = plan.growth.iter().find(|g| g.id == id)?;
        Some((
            Section::Growth,
            ItemForm {
                organisation_id: g.organisation_id.clone().unwrap_or_default(),
                sustain_growth_label: g.label.clone(),
                note: g.note.clone(),
                ..ItemForm::default()
            },
        ))
    }
}

pub struct SourceView {
    pub id: String,
    pub kind: String,
    pub amount: String,
    pub status: String,
    pub obtained: bool,
    pub note: String,
}

pub struct CommitmentView {
    pub id: String,
    pub organisation: String,
    pub commitment: String,
    pub until: String,
}

pub struct RiskView {
    pub id: String,
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub mitigation: String,
}

pub struct GrowthView {
    pub id: String,
    pub label: String,
    /// Whether it is one of the network's computed growth spaces.
    pub computed: bool,
    pub note: String,
}

pub struct ReviewView {
    pub id: String,
    pub round: String,
    pub reviewed_on: String,
    pub reviewer: String,
    pub note: String,
}

/// One form of the page: where it posts, what it shows.
pub struct FormView {
    pub action: String,
    pub values: ItemForm,
    /// Whether it changes an item rather than adding one.
    pub editing: bool,
}

#[derive(Template)]
#[template(path = "sustainability/show.html")]
struct ShowPage {
    page: PageContext,
    network: Network,
    editable: bool,
    /// The plan's path, which its forms post under.
    base: String,
    summary_html: String,
    status_label: String,
    obtained: String,
    last_review: Option<String>,
    /// The latest round that has opened, when the plan has no review at it.
    due: Option<String>,
    sources: Vec<SourceView>,
    commitments: Vec<CommitmentView>,
    risks: Vec<RiskView>,
    growth: Vec<GrowthView>,
    reviews: Vec<ReviewView>,
    kinds: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    /// (id, name) of the current member organisations.
    members: Vec<(String, String)>,
    /// (id, name) of the network's computed growth spaces.
    spaces: Vec<(String, String)>,
    /// (id, label) of the rounds that have opened and have no review yet.
    rounds: Vec<(String, String)>,
    summary_form: FormView,
    source_form: FormView,
    commitment_form: FormView,
    risk_form: FormView,
    growth_form: FormView,
    review_form: FormView,
    errors: FieldErrors,
    /// The form the errors belong to (`plan` or a section's code), so that only it shows them.
    failed_form: String,
}

impl ShowPage {
    /// The error of `field` when it belongs to the form `form`.
    fn error_of(&self, form: &str, field: &str) -> String {
        if self.failed_form == form { self.page.field_error(&self.errors, field) } else { String::new() }
    }
}

fn round_label(page: &PageContext, kind: reti_domain::reading::RoundKind, opens_on: time::Date) -> String {
    format!("{} ({})", page.t(&kind.label_key()), page.date(&opens_on))
}

/// What the page shows again after a refused form: which form, the values typed, the item changed.
struct Failed {
    form: String,
    values: ItemForm,
    item_id: Option<String>,
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    at: PlanAt,
    edit: Option<&str>,
    errors: FieldErrors,
    failed: Option<Failed>,
) -> AppResult<Response> {
    let network = at.network;
    let locale = page.locale;
    let plan = state.db.sustainability_plan(&network.id).await?;
    let rounds = state.db.reading_rounds(&network.programme_id).await?;
    let spaces = if at.editable { growth_spaces(state, &network, locale).await? } else { Vec::new() };
    let base = format!("/networks/{}/sustainability", network.id);
    let editing = edit.and_then(|id| ItemForm::of_item(locale, &plan, id).map(|(section, form)| (id, section, form)));
    let form_of = |section: Section| -> FormView {
        let add = format!("{base}/{}", section.code());
        if let Some(failed) = failed.as_ref().filter(|f| f.form == section.code()) {
            return FormView {
                action: failed.item_id.as_ref().map(|id| format!("{add}/{id}")).unwrap_or(add),
                values: failed.values.clone(),
                editing: failed.item_id.is_some(),
            };
        }
        match &editing {
            Some((id, s, values)) if *s == section => {
                FormView { action: format!("{add}/{id}"), values: values.clone(), editing: true }
            }
            _ => FormView { action: add, values: ItemForm::default(), editing: false },
        }
    };
    let mut review_form = form_of(Section::Reviews);
    if review_form.values.sustain_reviewed_on.is_empty() {
        review_form.values.sustain_reviewed_on = today().to_string();
    }
    let summary_form = FormView {
        action: base.clone(),
        values: match failed.as_ref().filter(|f| f.form == "plan") {
            Some(failed) => failed.values.clone(),
            None => ItemForm { sustain_summary: plan.summary.clone(), ..ItemForm::default() },
        },
        editing: true,
    };
    let now = today();
    let due = plan.review_due(&rounds, now).map(|r| round_label(&page, r.kind, r.opens_on));
    let open_rounds: Vec<(String, String)> = rounds
        .iter()
        .filter(|r| r.opens_on <= now && !plan.reviews.iter().any(|v| v.round_id == r.id))
        .map(|r: &Round| (r.id.clone(), round_label(&page, r.kind, r.opens_on)))
        .collect();
    let last_review = plan.last_review().map(|r| {
        page.t_args(
            "sustain-last-review",
            &[
                ("date", page.date(&r.reviewed_on)),
                ("round", round_label(&page, r.round_kind, r.round_opens_on)),
                ("reviewer", r.reviewer_name.clone()),
            ],
        )
    });
    let template = ShowPage {
        summary_html: markdown::render(&plan.summary),
        status_label: page.t(&plan.status().label_key()),
        obtained: euro(locale, plan.obtained_cents()),
        last_review,
        due,
        sources: plan
            .sources
            .iter()
            .map(|s| SourceView {
                id: s.id.clone(),
                kind: page.t(&s.kind.label_key()),
                amount: s.amount_cents.map(|c| euro(locale, c)).unwrap_or_else(|| "—".into()),
                status: page.t(&s.status.label_key()),
                obtained: s.status == FundingStatus::Obtained,
                note: s.note.clone(),
            })
            .collect(),
        commitments: plan
            .commitments
            .iter()
            .map(|c| CommitmentView {
                id: c.id.clone(),
                organisation: c.organisation_name.clone(),
                commitment: c.commitment.clone(),
                until: c.until.map(|d| page.date(&d)).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        risks: plan
            .risks
            .iter()
            .map(|r| RiskView {
                id: r.id.clone(),
                description: r.description.clone(),
                likelihood: page.t(&r.likelihood.label_key()),
                impact: page.t(&r.impact.label_key()),
                mitigation: r.mitigation.clone(),
            })
            .collect(),
        growth: plan
            .growth
            .iter()
            .map(|g| GrowthView {
                id: g.id.clone(),
                label: g.label.clone(),
                computed: g.organisation_id.is_some(),
                note: g.note.clone(),
            })
            .collect(),
        reviews: plan
            .reviews
            .iter()
            .map(|r| ReviewView {
                id: r.id.clone(),
                round: round_label(&page, r.round_kind, r.round_opens_on),
                reviewed_on: page.date(&r.reviewed_on),
                reviewer: r.reviewer_name.clone(),
                note: r.note.clone(),
            })
            .collect(),
        kinds: FundingKind::ALL.iter().map(|k| (k.code().to_owned(), page.t(&k.label_key()))).collect(),
        statuses: FundingStatus::ALL.iter().map(|s| (s.code().to_owned(), page.t(&s.label_key()))).collect(),
        levels: Level::ALL.iter().map(|l| (l.code().to_owned(), page.t(&l.label_key()))).collect(),
        members: network.current_members().map(|m| (m.organisation_id.clone(), m.organisation_name.clone())).collect(),
        spaces,
        rounds: open_rounds,
        source_form: form_of(Section::Sources),
        commitment_form: form_of(Section::Commitments),
        risk_form: form_of(Section::Risks),
        growth_form: form_of(Section::Growth),
        review_form,
        summary_form,
        failed_form: failed.map(|f| f.form).unwrap_or_default(),
        errors,
        editable: at.editable,
        base,
        network,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// The item whose form to prefill.
    pub edit: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: PlanAt,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    let edit = query.edit.filter(|_| at.editable);
    show_page(&state, page, at, edit.as_deref(), FieldErrors::default(), None).await
}

fn back(network_id: &str) -> String {
    format!("/networks/{network_id}/sustainability")
}

pub async fn save_summary(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: PlanAt,
    axum::Form(form): axum::Form<ItemForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    match parse_summary(&SummaryRaw { sustain_summary: some(&form.sustain_summary) }) {
        Ok(summary) => {
            state.db.save_plan_summary(&at.user.actor(), &at.network.id, &summary).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await
        }
        Err(errors) => {
            let failed = Failed { form: "plan".into(), values: form, item_id: None };
            show_page(&state, page, at, None, errors, Some(failed)).await
        }
    }
}

#[derive(Deserialize)]
pub struct SectionPath {
    pub id: String,
    pub section: String,
}

#[derive(Deserialize)]
pub struct ItemPath {
    pub id: String,
    pub section: String,
    pub item_id: String,
}

fn section(code: &str) -> AppResult<Section> {
    Section::parse(code).ok_or(AppError::NotFound)
}

/// Adds an item to a list, or a review.
pub async fn add(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: PlanAt,
    Path(path): Path<SectionPath>,
    axum::Form(form): axum::Form<ItemForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let section = section(&path.section)?;
    let actor = at.user.actor();
    let outcome = match form.item(section) {
        Some(raw) => {
            let spaces = if section == Section::Growth {
                growth_spaces(&state, &at.network, page.locale).await?
            } else {
                Vec::new()
            };
            match parse_item(&at.network, &spaces, raw) {
                Ok(item) => state.db.add_plan_item(&actor, &at.network.id, &item).await.map(|_| Ok(()))?,
                Err(errors) => Err(errors),
            }
        }
        None => {
            let plan = state.db.sustainability_plan(&at.network.id).await?;
            let rounds = state.db.reading_rounds(&at.network.programme_id).await?;
            let raw = ReviewRaw {
                round_id: some(&form.round_id),
                sustain_reviewed_on: some(&form.sustain_reviewed_on),
                note: some(&form.note),
            };
            match parse_review(&plan, &rounds, &raw) {
                Ok(input) => {
                    let user_id = at.user.identity.user.id.clone();
                    state.db.add_plan_review(&actor, &at.network.id, &user_id, &input).await.map(|_| Ok(()))?
                }
                Err(errors) => Err(errors),
            }
        }
    };
    match outcome {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await,
        Err(errors) => {
            let failed = Failed { form: section.code().into(), values: form, item_id: None };
            show_page(&state, page, at, None, errors, Some(failed)).await
        }
    }
}

/// Changes an item of a list (reviews are added and removed, not changed).
pub async fn update(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: PlanAt,
    Path(path): Path<ItemPath>,
    axum::Form(form): axum::Form<ItemForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let section = section(&path.section)?;
    let raw = form.item(section).ok_or(AppError::NotFound)?;
    let spaces =
        if section == Section::Growth { growth_spaces(&state, &at.network, page.locale).await? } else { Vec::new() };
    match parse_item(&at.network, &spaces, raw) {
        Ok(item) => {
            state.db.update_plan_item(&at.user.actor(), &at.network.id, &path.item_id, &item).await?;
            set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await
        }
        Err(errors) => {
            let failed = Failed { form: section.code().into(), values: form, item_id: Some(path.item_id) };
            show_page(&state, page, at, None, errors, Some(failed)).await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: PlanAt,
    Path(path): Path<ItemPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let section = section(&path.section)?;
    state.db.delete_plan_item(&at.user.actor(), &at.network.id, section, &path.item_id).await?;
    set_flash_redirect(&session, page.t("sustain-flash-removed"), &back(&at.network.id)).await
}

pub struct RowView {
    pub row: PlanRow,
    pub status: String,
    pub obtained: String,
    pub last_review: String,
}

#[derive(Template)]
#[template(path = "sustainability/programme.html")]
struct ProgrammePage {
    page: PageContext,
    programme: ProgrammeDetails,
    funded: i64,
    networks: i64,
    share: String,
    rows: Vec<RowView>,
}

/// The programme's table of plans: the rows of the indicator `funded_plan_share`.
pub async fn programme(
    State(state): State<AppState>,
    page: PageContext,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
) -> AppResult<Response> {
    let share = state.db.funded_plan_share(&programme.id).await?;
    let locale = page.locale;
    let percent = share.share().map(|s| format!("{:.0} %", s * 100.0)).unwrap_or_else(|| "—".into());
    let rows = share
        .rows
        .into_iter()
        .map(|row| RowView {
            status: page.t(&row.status.label_key()),
            obtained: euro(locale, row.obtained_cents),
            last_review: row.last_review_on.map(|d| page.date(&d)).unwrap_or_else(|| "—".into()),
            row,
        })
        .collect();
    render(&ProgrammePage { funded: share.funded, networks: share.networks, share: percent, rows, programme, page })
}
