//! The funder report (issue 12, decision 0045): a programme's indicators over a period as a PDF,
//! typeset like the e-book by `reti_publish`, built as a job. The report prints what the
//! programme's dashboard shows to whoever asked for it: the story of what changed, the share of
//! networks with a funded sustainability plan, every indicator (built-in, then custom) against its
//! target, the charts, and a table per network. It is written in the language asked for, Italian by
//! default or English (decision 0058): every fixed text from the locale files, figures and dates as
//! that language writes them.

use crate::i18n::Translator;
use crate::indicators as ind;
use anyhow::Context;
use reti_domain::indicators::Period;
use reti_domain::{FieldError, Locale};
use reti_publish::{Report, ReportBar, ReportBlock, ReportChart, ReportSection, ReportTable};
use reti_store::Db;
use reti_store::editions::VersionStatus;
use reti_store::funder_reports::{FunderReport, ReportFile};
use reti_store::indicators::IndicatorScope;
use sha2::{Digest, Sha256};

/// The content type of the report.
pub const PDF_MIME: &str = crate::editions::PDF_MIME;

/// The report's file name: `rapporto-<programme code>-<period>.pdf`, in English
/// `report-<programme code>-<period>.pdf`.
pub fn file_name(programme_code: &str, period: Period, locale: Locale) -> String {
    let stem = match locale {
        Locale::It => "rapporto",
        Locale::En => "report",
    };
    format!("{stem}-{}-{period}.pdf", reti_publish::slug(programme_code))
}

/// The language a report is asked for in (`it` or `en`; Italian when blank); anything else is an
/// error on `field`.
pub fn language(field: &str, code: &str) -> Result<Locale, FieldError> {
    match code.trim() {
        "" => Ok(Locale::It),
        code => Locale::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| FieldError::new(field, "error-funder-language").with_arg("value", code)),
    }
}

/// When the report was built (RFC 3339, UTC) as `locale` writes it, in Italy's time:
/// `28/11/2026 09:15` in Italian, `28 November 2026, 09:15` in English.
fn built_at(locale: Locale, utc: &str) -> String {
    match locale {
        Locale::It => crate::pages::editions::local_time(utc),
        Locale::En => chrono::DateTime::parse_from_rfc3339(utc)
            .map(|t| {
                reti_domain::meetings::to_local(t.with_timezone(&chrono::Utc)).format("%-d %B %Y, %H:%M").to_string()
            })
            .unwrap_or_default(),
    }
}

/// The report of `scope` over `period` in `locale`, ready to typeset; `identifier` becomes the
/// PDF's.
pub async fn assemble(
    db: &Db,
    scope: &IndicatorScope,
    period: Period,
    locale: Locale,
    identifier: uuid::Uuid,
) -> anyhow::Result<Report> {
    let tr = Translator::new(locale);
    let numbers = |figure: String| ind::localised(locale, &figure);
    let programme = db
        .programme_details(&scope.programme_id)
        .await?
        .with_context(|| format!("no programme {:?}", scope.programme_id))?;
    let data = ind::dashboard(db, scope, scope, None, period).await?;
    let share = db.funded_plan_share(&scope.programme_id).await?;
    let in_scope = |id: &str| scope.network_ids.as_ref().is_none_or(|ids| ids.iter().any(|n| n == id));
    let counted: Vec<_> = share.rows.iter().filter(|r| in_scope(&r.network_id)).collect();
    let funded = counted.iter().filter(|r| r.funded).count();

    let story = ind::story_text(&tr, &ind::story(&data.figures, &data.before, &data.targets, None, period));
    let mut summary =
        vec![ReportBlock::Paragraph(if story.is_empty() { tr.t("indicators-story-none") } else { story.join(" ") })];
    summary.push(ReportBlock::Paragraph(tr.t_args(
        "funder-report-funded-share",
        &[
            ("funded", funded.to_string()),
            ("networks", counted.len().to_string()),
            ("share", percent(locale, funded, counted.len())),
        ],
    )));

    let headers = vec![
        tr.t("indicators-column-indicator"),
        tr.t("indicators-column-value"),
        tr.t("indicators-column-target"),
        tr.t("funder-report-column-outcome"),
    ];
    let figures_table = ReportTable {
        caption: tr.t_args("indicators-figures-caption", &[("period", period.to_string())]),
        headers: headers.clone(),
        rows: rows(&tr, &data, None, period, &numbers),
    };
    let charts = ind::charts(&tr, &data, None, period, &numbers)
        .into_iter()
        .map(|chart| {
            ReportBlock::Chart(ReportChart {
                title: chart.title,
                description: chart.description,
                target_legend: tr.t("funder-report-target-legend"),
                bars: chart
                    .bars
                    .into_iter()
                    .map(|bar| ReportBar {
                        shown: match bar.target {
                            Some(_) => format!("{} / {}", bar.shown, bar.target_shown),
                            None => bar.shown,
                        },
                        label: bar.label,
                        value: bar.value,
                        target: bar.target,
                    })
                    .collect(),
            })
        })
        .collect();

    let mut sections = vec![
        ReportSection { heading: tr.t("funder-report-summary"), blocks: summary },
        ReportSection { heading: tr.t("funder-report-indicators"), blocks: vec![ReportBlock::Table(figures_table)] },
        ReportSection { heading: tr.t("indicators-charts"), blocks: charts },
    ];
    let mut networks = Vec::with_capacity(data.networks.len() * 2);
    for (id, name) in &data.networks {
        networks.push(ReportBlock::Subheading(name.clone()));
        networks.push(ReportBlock::Table(ReportTable {
            caption: tr
                .t_args("funder-report-network-caption", &[("network", name.clone()), ("period", period.to_string())]),
            headers: headers.clone(),
            rows: rows(&tr, &data, Some(id), period, &numbers),
        }));
    }
    if networks.is_empty() {
        networks.push(ReportBlock::Paragraph(tr.t("indicators-none")));
    }
    sections.push(ReportSection { heading: tr.t("funder-report-networks"), blocks: networks });

    let modified = time::OffsetDateTime::now_utc();
    let built = modified.format(&time::format_description::well_known::Rfc3339).context("a time formats")?;
    Ok(Report {
        identifier,
        modified,
        title: tr.t("funder-report-title"),
        programme: programme.name,
        period: tr.t_args("funder-report-period", &[("period", period.to_string())]),
        notes: vec![tr.t_args("funder-report-built", &[("when", built_at(locale, &built))])],
        fonts: tr.t("funder-report-fonts"),
        language: locale,
        contents: tr.t("funder-report-contents"),
        sections,
    })
}

/// A share as `locale` writes it: `50 %` in Italian, `50%` in English; `—` of nothing.
fn percent(locale: Locale, part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    let share = format!("{:.0}", part as f64 * 100.0 / whole as f64);
    match locale {
        Locale::It => format!("{share} %"),
        Locale::En => format!("{share}%"),
    }
}

/// Each indicator's row, built-in then custom: label, value, target, whether the target is met.
fn rows(
    tr: &Translator,
    data: &ind::Dashboard,
    network_id: Option<&str>,
    period: Period,
    numbers: &dyn Fn(String) -> String,
) -> Vec<Vec<String>> {
    let outcome = |status: &str| match status {
        "met" => tr.t("indicators-target-met"),
        "missed" => tr.t("indicators-target-missed"),
        _ => String::new(),
    };
    let shown = |figure: Option<String>| figure.map(numbers).unwrap_or_else(|| "—".to_owned());
    let built_in = data.figures.iter().map(|f| {
        let value = match network_id {
            Some(id) => f.network(id),
            None => f.total,
        };
        let target = ind::target_of(&data.targets, f.indicator, network_id, period);
        vec![
            tr.t(&f.indicator.label_key()),
            shown(value.map(|v| f.indicator.format(v))),
            target.map(|t| numbers(f.indicator.format(t))).unwrap_or_default(),
            outcome(ind::target_status(f.indicator, value, target)),
        ]
    });
    let custom = data.custom.iter().map(|f| {
        let indicator = &f.indicator;
        let value = f.of(network_id);
        let target = crate::custom_indicators::target_of(&data.custom_targets, &indicator.code, network_id, period);
        vec![
            indicator.label(tr.locale).to_owned(),
            shown(value.map(|v| indicator.format(v))),
            target.map(|t| numbers(indicator.format(t))).unwrap_or_default(),
            outcome(crate::custom_indicators::target_status(value, target)),
        ]
    });
    built_in.chain(custom).collect()
}

/// Typesets `report` off the async workers.
pub async fn typeset(report: Report) -> anyhow::Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || reti_publish::write_report_pdf(&report).context("writing the report's PDF"))
        .await
        .context("the report's writer stopped")?
}

/// The job of [`reti_store::funder_reports::FUNDER_REPORT_KIND`]: builds the report of the
/// payload. A build that fails marks the report failed with why, and the job is done; only
/// failing to record the outcome fails the attempt.
pub async fn run_build(db: &Db, payload: serde_json::Value) -> anyhow::Result<()> {
    let id = payload["report_id"].as_str().context("a report build names its report")?;
    let Some(report) = db.funder_report(id).await? else {
        // The programme was deleted with its reports: nothing to build.
        return Ok(());
    };
    build(db, &report).await
}

/// Builds `report` now, recording its progress, then its file or its failure.
pub async fn build(db: &Db, report: &FunderReport) -> anyhow::Result<()> {
    if report.status == VersionStatus::Done {
        return Ok(());
    }
    let id = report.id.as_str();
    db.funder_report_progress(id, VersionStatus::Running, 5).await?;
    let built = async {
        let identifier = uuid::Uuid::parse_str(id).context("a report id is a UUID")?;
        let document = assemble(db, &report.scope(), report.period, report.locale, identifier).await?;
        db.funder_report_progress(id, VersionStatus::Running, 40).await?;
        let programme = db.programme_details(&report.programme_id).await?.context("the report's programme")?;
        let bytes = typeset(document).await?;
        anyhow::Ok(ReportFile {
            file_name: file_name(&programme.code, report.period, report.locale),
            sha256: Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect(),
            bytes,
        })
    }
    .await;
    match built {
        Ok(file) => db.finish_funder_report(id, &file).await?,
        Err(error) => {
            tracing::warn!(report = %id, error = %format!("{error:#}"), "a funder report failed");
            db.fail_funder_report(id, &format!("{error:#}")).await?;
        }
    }
    Ok(())
}
