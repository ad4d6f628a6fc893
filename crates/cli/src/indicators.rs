//! `reti indicators`: the records a built-in indicator counts, or how a custom one is made — its
//! formula with its inputs' values, or the values typed by hand with their evidence — (`explain`),
//! every indicator of a programme over a period as CSV, XLSX or JSON (`export`), as the dashboards
//! compute them (decisions 0043 and 0046), and the funder report as PDF (`report`, decision 0045).
//! The operator sees every network.

use anyhow::{Context, bail};
use reti_domain::Locale;
use reti_domain::indicators::{Indicator, Period};
use reti_store::Db;
use reti_store::indicators::{IndicatorScope, value_of_rows};
use reti_web::custom_indicators as custom;
use reti_web::export::{ExportWriter, Format};
use reti_web::i18n::Translator;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum IndicatorsCommand {
    /// Print the records CODE counts over a period, for a network or a whole programme, and the
    /// figure they make.
    Explain {
        /// The indicator's code, e.g. `accompaniment_hours`.
        code: String,
        /// The network (its id).
        #[arg(long)]
        network: Option<String>,
        /// The programme (its id or code), when no network is given; the only one by default.
        #[arg(long)]
        programme: Option<String>,
        /// `2026`, `2026-Q1` or `2026-03`.
        #[arg(long)]
        period: String,
    },
    /// Time the reads of the programme's dashboard (every figure of the period and the period
    /// before, the targets, the series by quarter): prints the median and the slowest run.
    Bench {
        #[arg(long)]
        period: String,
        /// The programme (its id or code); the only one by default.
        #[arg(long)]
        programme: Option<String>,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The funder report of a programme over a period as PDF (every network), as the dashboard's
    /// button builds it; prints the file's path.
    Report {
        #[arg(long)]
        period: String,
        /// The report's language: `it` (Italian) or `en` (English).
        #[arg(long, default_value = "it")]
        language: String,
        /// The programme (its id or code); the only one by default.
        #[arg(long)]
        programme: Option<String>,
        /// The PDF to write.
        #[arg(long)]
        output: PathBuf,
    },
    /// Every indicator of a programme over a period: its total, then each network.
    Export {
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: crate::FormatArg,
        /// The programme (its id or code); the only one by default.
        #[arg(long)]
        programme: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

fn period(text: &str) -> anyhow::Result<Period> {
    Period::parse("period", text).map_err(|_| {
        anyhow::anyhow!(
            "--period {text:?} is not a period: write a year (2026), a quarter (2026-Q1) or a month (2026-03)"
        )
    })
}

/// The programme's id: the one named (by id or code), or the only one.
async fn programme_id(db: &Db, named: Option<&str>) -> anyhow::Result<String> {
    let programmes = db.programmes().await?;
    match named {
        Some(key) => programmes
            .iter()
            .find(|p| p.id == key || p.code.eq_ignore_ascii_case(key))
            .map(|p| p.id.clone())
            .with_context(|| format!("no programme {key:?}")),
        None => match programmes.as_slice() {
            [only] => Ok(only.id.clone()),
            _ => bail!("there are several programmes: name one with --programme"),
        },
    }
}

pub async fn run(db: &Db, command: IndicatorsCommand) -> anyhow::Result<()> {
    match command {
        IndicatorsCommand::Explain { code, network, programme, period: text } => {
            let period = period(&text)?;
            let scope = match &network {
                Some(id) => {
                    let found = db.network(id).await?.with_context(|| format!("no network {id:?}"))?;
                    IndicatorScope::networks(&found.programme_id, vec![found.id])
                }
                None => IndicatorScope::programme(&programme_id(db, programme.as_deref()).await?),
            };
            let Ok(indicator) = Indicator::parse("code", &code) else {
                let customs = db.custom_indicators(&scope.programme_id).await?;
                if customs.iter().any(|c| c.code == code) {
                    return explain_custom(db, &scope, network.as_deref(), &code, period).await;
                }
                let known: Vec<&str> =
                    Indicator::ALL.iter().map(|i| i.code()).chain(customs.iter().map(|c| c.code.as_str())).collect();
                bail!("unknown indicator {code:?}; the indicators are: {}", known.join(", "));
            };
            let rows = db.indicator_rows(&scope, indicator, period, None).await?;
            let figures = db.indicator_figures(&scope, indicator, period).await?;
            let value = match &network {
                Some(id) => figures.network(id),
                None => figures.total,
            };
            let mut out = std::io::stdout().lock();
            writeln!(out, "network\tdate\trecord\tid\ttitle\tdetail\tamount")?;
            for row in &rows {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    row.network_name, row.date, row.record, row.record_id, row.title, row.detail, row.amount
                )?;
            }
            let shown = |v: Option<f64>| v.map(|v| indicator.format(v)).unwrap_or_else(|| "—".into());
            writeln!(out, "{} {period}: {} ({} rows)", indicator.code(), shown(value), rows.len())?;
            let from_rows = value_of_rows(indicator, &rows);
            let agree = match (from_rows, value) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                (a, b) => a.is_none() && b.is_none(),
            };
            if !agree {
                bail!("the rows make {} but the figure is {}", shown(from_rows), shown(value));
            }
            Ok(())
        }
        IndicatorsCommand::Bench { period: text, programme, runs } => {
            let period = period(&text)?;
            let scope = IndicatorScope::programme(&programme_id(db, programme.as_deref()).await?);
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs.max(1) {
                let start = std::time::Instant::now();
                reti_web::indicators::dashboard(db, &scope, &scope, None, period).await?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{} runs: median {:.1} ms, slowest {:.1} ms",
                times.len(),
                times[times.len() / 2],
                times[times.len() - 1]
            );
            Ok(())
        }
        IndicatorsCommand::Report { period: text, language, programme, output } => {
            let period = period(&text)?;
            let Ok(locale) = reti_web::funder_report::language("language", &language) else {
                bail!("--language {language:?} is not a language of the report: write it (Italian) or en (English)");
            };
            let scope = IndicatorScope::programme(&programme_id(db, programme.as_deref()).await?);
            let report = reti_web::funder_report::assemble(db, &scope, period, locale, uuid::Uuid::now_v7()).await?;
            let pdf = reti_web::funder_report::typeset(report).await?;
            std::fs::write(&output, pdf).with_context(|| format!("writing {}", output.display()))?;
            println!("{}", output.display());
            Ok(())
        }
        IndicatorsCommand::Export { period: text, format, programme, output } => {
            let period = period(&text)?;
            let programme_id = programme_id(db, programme.as_deref()).await?;
            let scope = IndicatorScope::programme(&programme_id);
            let networks = db.indicator_networks(&scope).await?;
            let figures = db.indicator_figures_all(&scope, period).await?;
            let targets = db.indicator_targets(&programme_id, Some(period)).await?;
            let tr = Translator::new(Locale::It);
            let mut table = reti_web::indicators::export_table(&tr, &programme_id, &networks, &figures, &targets);
            let custom = custom::figures(db, &scope, &networks, &figures, period).await?;
            let custom_targets = db.custom_targets(&programme_id, Some(period)).await?;
            table.rows.extend(custom::export_rows(&tr, &programme_id, &networks, &custom, &custom_targets));
            let format = Format::from(format);
            let sink: Box<dyn Write + Send> = match &output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(std::io::stdout()),
            };
            let mut writer = ExportWriter::new(table.columns, format, sink)?;
            for row in &table.rows {
                writer.row(row)?;
            }
            writer.finish()
        }
    }
}

/// How a custom indicator's figure is made: its formula and each input's value, or the values
/// typed by hand for the period with their evidence; then the figure.
async fn explain_custom(
    db: &Db,
    scope: &IndicatorScope,
    network: Option<&str>,
    code: &str,
    period: Period,
) -> anyhow::Result<()> {
    let networks = db.indicator_networks(scope).await?;
    let builtins = db.indicator_figures_all(scope, period).await?;
    let all = custom::figures(db, scope, &networks, &builtins, period).await?;
    let figure = all.iter().find(|f| f.indicator.code == code).context("the indicator has no figures")?;
    let indicator = &figure.indicator;
    let shown = |v: Option<f64>| v.map(|v| indicator.format(v)).unwrap_or_else(|| "—".into());
    let mut out = std::io::stdout().lock();
    match &indicator.formula {
        Some(expr) => {
            writeln!(out, "formula\t{expr}")?;
            writeln!(out, "input\tvalue")?;
            for name in reti_domain::indicator_formula::references(expr) {
                let value = match builtins.iter().find(|f| f.indicator.code() == name) {
                    Some(f) => {
                        let value = network.map_or(f.total, |id| f.network(id));
                        value.map(|v| f.indicator.format(v)).unwrap_or_else(|| "—".into())
                    }
                    None => all
                        .iter()
                        .find(|f| f.indicator.code == name)
                        .and_then(|f| f.of(network).map(|v| f.indicator.format(v)))
                        .unwrap_or_else(|| "—".into()),
                };
                writeln!(out, "{name}\t{value}")?;
            }
            if let Some(problem) = &figure.problem {
                writeln!(out, "problem\t{problem}")?;
            }
        }
        None => {
            writeln!(out, "network\tperiod\tvalue\tnote\tevidence\tby")?;
            let values = db.custom_values(&scope.programme_id, Some(&indicator.id), Some(period)).await?;
            let in_scope = |id: &Option<String>| match (id, network) {
                (Some(id), Some(wanted)) => id == wanted,
                (Some(id), None) => networks.iter().any(|(n, _)| n == id),
                (None, wanted) => wanted.is_none(),
            };
            for v in values.iter().filter(|v| in_scope(&v.network_id)) {
                let name = if v.network_id.is_some() { v.network_name.as_str() } else { "(programme)" };
                let evidence = v.evidence.as_ref().map(|e| e.file_name.as_str()).unwrap_or("");
                writeln!(
                    out,
                    "{name}\t{}\t{}\t{}\t{evidence}\t{}",
                    v.period,
                    indicator.format(v.value),
                    v.note,
                    v.created_by
                )?;
            }
        }
    }
    writeln!(out, "{code} {period}: {}", shown(figure.of(network)))?;
    Ok(())
}
