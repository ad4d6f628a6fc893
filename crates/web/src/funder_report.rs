//! The funder report (issue 12, decision 0045): a programme's indicators over a period as a PDF,
//! typeset like the e-book by `reti_publish`, built as a job. The report prints what the
//! programme's dashboard shows to whoever asked for it: the story of what changed, the share of
//! networks with a funded sustainability plan, every indicator against its target, the charts,
//! and a table per network. It is written in Italian, the programme's language towards the fund.

use crate::i18n::Translator;
use crate::indicators as ind;
use anyhow::Context;
use reti_domain::Locale;
use reti_domain::indicators::{Indicator, Period};
use reti_publish::{Report, ReportBar, ReportBlock, ReportChart, ReportSection, ReportTable};
use reti_store::Db;
use reti_store::editions::VersionStatus;
use reti_store::funder_reports::{FunderReport, ReportFile};
use reti_store::indicators::{Figures, IndicatorScope, Target};
use sha2::{Digest, Sha256};

/// The content type of the report.
pub const PDF_MIME: &str = crate::editions::PDF_MIME;

/// The report's file name: `rapporto-<programme code>-<period>.pdf`.
pub fn file_name(programme_code: &str, period: Period) -> String {
    format!("rapporto-{}-{period}.pdf", reti_publish::slug(programme_code))
}

/// The report of `scope` over `period`, ready to typeset; `identifier` becomes the PDF's.
pub async fn assemble(
    db: &Db,
    scope: &IndicatorScope,
    period: Period,
    identifier: uuid::Uuid,
) -> anyhow::Result<Report> {
    let tr = Translator::new(Locale::It);
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
            ("share", percent(funded, counted.len())),
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
        rows: rows(&tr, &data.figures, &data.targets, None, period),
    };

    let mut sections = vec![
        ReportSection { heading: tr.t("funder-report-summary"), blocks: summary },
        ReportSection { heading: tr.t("funder-report-indicators"), blocks: vec![ReportBlock::Table(figures_table)] },
        ReportSection { heading: tr.t("indicators-charts"), blocks: charts(&tr, &data, period) },
    ];
    let mut networks = Vec::with_capacity(data.networks.len() * 2);
    for (id, name) in &data.networks {
        networks.push(ReportBlock::Subheading(name.clone()));
        networks.push(ReportBlock::Table(ReportTable {
            caption: tr
                .t_args("funder-report-network-caption", &[("network", name.clone()), ("period", period.to_string())]),
            headers: headers.clone(),
            rows: rows(&tr, &data.figures, &data.targets, Some(id), period),
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
        notes: vec![tr.t_args("funder-report-built", &[("when", crate::pages::editions::local_time(&built))])],
        contents: tr.t("funder-report-contents"),
        sections,
    })
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "—".into() } else { format!("{:.0} %", part as f64 * 100.0 / whole as f64) }
}

/// Each indicator's row: label, value, target, whether the target is met.
fn rows(
    tr: &Translator,
    figures: &[Figures],
    targets: &[Target],
    network_id: Option<&str>,
    period: Period,
) -> Vec<Vec<String>> {
    figures
        .iter()
        .map(|f| {
            let value = match network_id {
                Some(id) => f.network(id),
                None => f.total,
            };
            let target = ind::target_of(targets, f.indicator, network_id, period);
            let outcome = match ind::target_status(f.indicator, value, target) {
                "met" => tr.t("indicators-target-met"),
                "missed" => tr.t("indicators-target-missed"),
                _ => String::new(),
            };
            vec![
                tr.t(&f.indicator.label_key()),
                ind::shown(f.indicator, value),
                target.map(|t| f.indicator.format(t)).unwrap_or_default(),
                outcome,
            ]
        })
        .collect()
}

/// The dashboard's charts: the figures against their targets, then each series by quarter.
fn charts(tr: &Translator, data: &ind::Dashboard, period: Period) -> Vec<ReportBlock> {
    let mut blocks = Vec::new();
    let legend = tr.t("funder-report-target-legend");
    let against: Vec<(Indicator, f64, f64)> = data
        .figures
        .iter()
        .filter_map(|f| Some((f.indicator, f.total?, ind::target_of(&data.targets, f.indicator, None, period)?)))
        .collect();
    if !against.is_empty() {
        blocks.push(ReportBlock::Chart(ReportChart {
            title: tr.t_args("indicators-chart-targets", &[("period", period.to_string())]),
            description: tr.t_args("indicators-chart-targets-desc", &[("count", against.len().to_string())]),
            target_legend: legend.clone(),
            bars: against
                .iter()
                .map(|(i, v, t)| ReportBar {
                    label: tr.t(&i.label_key()),
                    value: *v,
                    shown: format!("{} / {}", i.format(*v), i.format(*t)),
                    target: Some(*t),
                })
                .collect(),
        }));
    }
    for (indicator, points) in &data.series {
        let label = tr.t(&indicator.label_key());
        blocks.push(ReportBlock::Chart(ReportChart {
            title: tr.t_args("indicators-chart-series", &[("indicator", label), ("year", period.year().to_string())]),
            description: points
                .iter()
                .map(|(q, v)| format!("{q}: {}", indicator.format(*v)))
                .collect::<Vec<_>>()
                .join("; "),
            target_legend: legend.clone(),
            bars: points
                .iter()
                .map(|(q, v)| ReportBar { label: q.to_string(), value: *v, shown: indicator.format(*v), target: None })
                .collect(),
        }));
    }
    blocks
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
        let document = assemble(db, &report.scope(), report.period, identifier).await?;
        db.funder_report_progress(id, VersionStatus::Running, 40).await?;
        let programme = db.programme_details(&report.programme_id).await?.context("the report's programme")?;
        let bytes = typeset(document).await?;
        anyhow::Ok(ReportFile {
            file_name: file_name(&programme.code, report.period),
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
