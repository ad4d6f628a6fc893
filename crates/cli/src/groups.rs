//! `reti groups propose`: small groups of networks from a CSV file, without a database. The
//! optimiser is the domain's (`reti_domain::groups`); this reads the file within bounds, reports
//! every bad line in the user's language and writes the partition as JSON.

use anyhow::{Context, bail};
use reti_domain::groups::{self, Bounds, InputError};
use reti_web::i18n::Translator;
use std::io::Write;
use std::path::Path;

/// The largest input file: 2,000 networks with long lines fit well within it.
const MAX_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum GroupsFormat {
    Json,
}

#[derive(clap::Subcommand)]
pub enum GroupsCommand {
    /// Propose a partition of the networks of FILE (header `id,action_lines,maturity`, lines
    /// separated by `|`, maturity 0–100) into groups of MIN to MAX networks.
    Propose {
        #[arg(long)]
        input: std::path::PathBuf,
        #[arg(long)]
        min_size: usize,
        #[arg(long)]
        max_size: usize,
        #[arg(long, value_enum, default_value = "json")]
        format: GroupsFormat,
    },
}

pub fn run(command: GroupsCommand, tr: &Translator, out: &mut dyn Write) -> anyhow::Result<()> {
    let GroupsCommand::Propose { input, min_size, max_size, format: GroupsFormat::Json } = command;
    let refuse = |error: groups::GroupingError| {
        let error = error.field_error();
        anyhow::anyhow!(tr.t_args(error.code, &error.args))
    };
    let bounds = Bounds::new(min_size, max_size).map_err(refuse)?;
    let candidates = read(&input, tr)?;
    let proposal = groups::propose(&candidates, bounds).map_err(refuse)?;
    let named: Vec<Vec<&str>> =
        proposal.groups.iter().map(|g| g.iter().map(|&i| candidates[i].id.as_str()).collect()).collect();
    serde_json::to_writer(&mut *out, &Answer { groups: named, cost: proposal.cost })?;
    writeln!(out)?;
    Ok(out.flush()?)
}

/// The file's networks; its size is checked before it is read.
/// The answer, its fields in the documented order.
#[derive(serde::Serialize)]
struct Answer<'a> {
    groups: Vec<Vec<&'a str>>,
    cost: f64,
}

fn read(path: &Path, tr: &Translator) -> anyhow::Result<Vec<groups::Candidate>> {
    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    if size > MAX_BYTES {
        bail!(
            "{}: {}",
            path.display(),
            tr.t_args("table-too-large", &[("limit", format!("{} MB", MAX_BYTES / (1024 * 1024)))])
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    groups::parse_csv(&bytes).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|error| line_message(tr, error)).collect();
        anyhow::anyhow!("{}:\n{}", path.display(), lines.join("\n"))
    })
}

fn line_message(tr: &Translator, error: &InputError) -> String {
    let args = [("limit", groups::MAX_NETWORKS.to_string())];
    // A column is named as it is written in the file, not by its label on the site.
    let column = matches!(
        error.code,
        "error-groups-column-unknown" | "error-groups-column-repeated" | "error-groups-column-missing"
    );
    let message = if column {
        tr.t_args(error.code, &[("field", error.field.clone())])
    } else {
        reti_web::error::field_message(tr, &error.field, error.code, &args)
    };
    tr.t_args(
        "cli-import-error",
        &[("line", error.line.to_string()), ("message", message), ("value", error.value.clone())],
    )
}
