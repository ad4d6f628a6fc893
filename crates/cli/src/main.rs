//! `reti`: the one binary. Commands wire the crates together; the work is theirs.

mod backup;
mod bench_data;
mod config;
mod demo;
mod demo_accompaniment;
mod demo_documents;
mod demo_editions;
mod demo_groups;
mod demo_lab_space;
mod demo_labs;
mod demo_map;
mod demo_meetings;
mod demo_practices;
mod demo_reading;
mod demo_sustainability;
mod demo_threads;
mod demo_ties;
mod ebook;
mod generate;
mod generate_scale;
mod graph;
mod groups;
mod indicators;
mod person;
mod practices;
mod relations;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use config::{Config, Overrides};
use reti_domain::{Email, FieldError, Locale, Password, PersonName, Role, TableError, TokenLifetime};
use reti_store::jobs::NewJob;
use reti_store::registry::import::{Entity, ImportError, ImportResult};
use reti_store::users::NewUser;
use reti_store::{Actor, Db, StoreError};
use reti_web::export::{ExportWriter, Format};
use reti_web::i18n::Translator;
use reti_web::jobs::{Registry, Runner};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "reti", version, about = "Reti: local networks for migrant integration")]
struct Cli {
    /// Holds the SQLite file, the mail outbox and attachments (created if missing).
    #[arg(long, global = true, env = "RETI_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// `sqlite://FILE` or `postgres://…`; SQLite under the data directory by default.
    #[arg(long, global = true, env = "RETI_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies migrations first).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        bind: Option<String>,
        /// On an empty database, load the demo and print its accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo programme and accounts (idempotent).
    Demo,
    /// Write the database and the files of the data directory (attachments, practice images) to
    /// one file, as of one moment, while `reti serve` goes on.
    Backup {
        /// The file to write (a zip archive with a manifest); it appears only once complete.
        #[arg(long)]
        output: PathBuf,
    },
    /// Replace the database and the files of the data directory by a backup's, after checking
    /// the whole backup. Stop `reti serve` first.
    Restore {
        file: PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// Import organisations, people, networks or memberships from a CSV or XLSX file. All or
    /// nothing: one bad row refuses the whole file, and every bad row is reported.
    Import {
        #[arg(value_enum)]
        entity: EntityArg,
        file: PathBuf,
        /// Check the file and report what would change, without writing.
        #[arg(long)]
        dry_run: bool,
        /// Practices only: put them straight on the public board (audited as a migration).
        #[arg(long)]
        publish: bool,
        /// Relations only: the network (its id) whose actor map receives them.
        #[arg(long, required_if_eq("entity", "relations"))]
        network: Option<String>,
    },
    /// Export organisations, people, networks, memberships, districts, the attendance registers
    /// of meetings (one row per person per meeting), or the participants of labs.
    Export {
        #[arg(value_enum)]
        entity: ExportArg,
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// Attendance only: the meetings of this network (its id).
        #[arg(long)]
        network: Option<String>,
        /// Attendance only: meetings from this day (yyyy-mm-dd, Italian time).
        #[arg(long)]
        from: Option<String>,
        /// Attendance only: meetings up to this day, included.
        #[arg(long)]
        to: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write synthetic data at a chosen scale, for benchmarks: an import file of organisations or
    /// practices, or with --scale a whole database.
    Generate {
        /// What to write as an import file (organisations, practices); none with --scale.
        #[arg(value_enum, required_unless_present = "scale", conflicts_with = "scale")]
        entity: Option<GenerateArg>,
        #[arg(long, default_value_t = 50_000)]
        rows: usize,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fill the configured database instead: `eu` (10,000 networks in 50 programmes, 200,000
        /// organisations, 400,000 people, 1,000,000 register lines…) or `region` (a twentieth).
        #[arg(long, value_enum, conflicts_with_all = ["rows", "output"])]
        scale: Option<ScaleArg>,
        /// With --scale: the same seed gives the same data (1 when not given).
        #[arg(long, conflicts_with = "entity")]
        seed: Option<u64>,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Run the job queue's workers (mail and other work done after a request).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Write synthetic records through the store, for benchmarks. Use a scratch database.
    #[command(subcommand)]
    BenchData(BenchDataCommand),
    /// Network analysis of an edge list.
    #[command(subcommand)]
    Graph(graph::GraphCommand),
    /// Small groups of networks by action line and maturity.
    #[command(subcommand)]
    Groups(groups::GroupsCommand),
    /// The e-book of good practices.
    #[command(subcommand)]
    Ebook(ebook::EbookCommand),
    /// Impact indicators: the records a figure counts, and every figure as a file.
    #[command(subcommand)]
    Indicators(indicators::IndicatorsCommand),
    /// A person's data: export it as JSON, or erase it.
    #[command(subcommand)]
    Person(person::PersonCommand),
}

#[derive(Subcommand)]
enum BenchDataCommand {
    /// COUNT meetings of a network over the year around today; the past ones with a register of
    /// ATTENDEES people (created in its lead organisation when the network has fewer).
    Meetings {
        /// The network's id.
        #[arg(long)]
        network: String,
        #[arg(long, default_value_t = 1000)]
        count: usize,
        #[arg(long, default_value_t = 12)]
        attendees: usize,
    },
    /// A programme CODE of NETWORKS networks, each with MEETINGS past weekly meetings whose
    /// registers hold ATTENDEES people, for the indicators' benchmark.
    Indicators {
        #[arg(long, default_value = "BENCH-IND")]
        code: String,
        #[arg(long, default_value_t = 1000)]
        networks: usize,
        #[arg(long, default_value_t = 25)]
        meetings: u32,
        #[arg(long, default_value_t = 40)]
        attendees: usize,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run jobs until Ctrl-C or SIGTERM (each worker finishes the job in hand), or once.
    Run {
        /// Workers side by side (default: `job_workers` of the configuration).
        #[arg(long)]
        workers: Option<usize>,
        /// Run the jobs due now, then stop.
        #[arg(long)]
        once: bool,
    },
    /// Measure jobs per second: enqueue N empty jobs and time two workers running them. Use a
    /// scratch database: the jobs stay in it.
    Bench {
        #[arg(long, default_value_t = 5000)]
        jobs: usize,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Mail jobs instead of empty ones, sent by the configured transport (the outbox under
        /// the data directory unless an SMTP relay is configured).
        #[arg(long)]
        mail: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EntityArg {
    Organisations,
    People,
    Networks,
    Memberships,
    Districts,
    /// Good practices from a JSON file (an array of practices).
    Practices,
    /// The relations of a network's actor map (with `--network`).
    Relations,
}

impl EntityArg {
    /// The registry table, or `None` for the practices (their own JSON import).
    fn registry(self) -> Option<Entity> {
        match self {
            EntityArg::Organisations => Some(Entity::Organisations),
            EntityArg::People => Some(Entity::People),
            EntityArg::Networks => Some(Entity::Networks),
            EntityArg::Memberships => Some(Entity::Memberships),
            EntityArg::Districts => Some(Entity::Districts),
            EntityArg::Practices | EntityArg::Relations => None,
        }
    }
}

/// What `export` writes: a registry table, or the attendance registers.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportArg {
    Organisations,
    People,
    Networks,
    Memberships,
    Districts,
    Attendance,
    Practices,
    /// The participants of every lab, one row per person per lab.
    Labs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ScaleArg {
    Eu,
    Region,
}

impl ScaleArg {
    fn sizes(self) -> generate_scale::Sizes {
        match self {
            ScaleArg::Eu => generate_scale::Sizes::EU,
            ScaleArg::Region => generate_scale::Sizes::divided(20),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GenerateArg {
    Organisations,
    /// Practices as a JSON import file.
    Practices,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Xlsx,
    Json,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create(CreateUser),
    /// Set a new password for an account, read from standard input.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Switch off an account's second factor (TOTP) and its recovery codes, for someone who lost
    /// both phone and codes; they log in with the password alone and turn it on again.
    ResetMfa {
        #[arg(long)]
        email: String,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("kind").required(true).args(["admin", "role"])))]
struct CreateUser {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// Platform administrator.
    #[arg(long)]
    admin: bool,
    /// coordinator, facilitator, network_lead or network_member.
    #[arg(long, requires = "programme")]
    role: Option<String>,
    /// The programme's code, e.g. PROG-2463.
    #[arg(long)]
    programme: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long, required = true)]
    password_stdin: bool,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for an account; the token is printed on the last line.
    Create {
        #[arg(long)]
        email: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days until the token expires (1 to 365).
        #[arg(long, default_value_t = TokenLifetime::DEFAULT_DAYS)]
        days: u16,
    },
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The CLI speaks the language of the terminal: Italian unless `LANG` says English.
fn translator() -> Translator {
    let lang = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_default();
    Translator::new(if lang.starts_with("en") { Locale::En } else { Locale::It })
}

fn field_error(error: FieldError) -> anyhow::Error {
    let tr = translator();
    anyhow::anyhow!(reti_web::error::field_message(&tr, &error.field, error.code, &error.args))
}

/// Writes the attendance registers of the meetings of `network` (every network when absent) that
/// start from `from` up to `to` (days in Europe/Rome, both included), row by row as they are read.
async fn export_attendance(
    db: &reti_store::Db,
    filters: (Option<String>, Option<&str>, Option<&str>),
    format: Format,
    out: impl Write + Send,
) -> anyhow::Result<()> {
    let (network, from, to) = filters;
    let day = |field: &'static str, text: &str| {
        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| field_error(FieldError::new(field, "error-date-invalid")))
    };
    // Midnight exists in Europe/Rome every day: the clocks change at 02:00 and 03:00.
    let midnight = |date: chrono::NaiveDate| {
        reti_domain::meetings::resolve_local("from", date.and_hms_opt(0, 0, 0).expect("midnight")).map_err(field_error)
    };
    let from = from.map(|text| day("from", text).and_then(midnight)).transpose()?;
    let to = to.map(|text| day("to", text).and_then(|date| midnight(date.succ_opt().unwrap_or(date)))).transpose()?;
    if let Some(id) = &network
        && db.network(id).await?.is_none()
    {
        return Err(field_error(FieldError::new("network", "error-network-unknown")));
    }
    let networks = network.map(|id| vec![id]);
    let mut writer = ExportWriter::new(reti_store::meetings::ATTENDANCE_COLUMNS, format, out)?;
    db.attendance_export(networks.as_deref(), from, to, |row| writer.row(&row)).await?;
    writer.finish()
}

fn store_error(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Conflict { field } => field_error(FieldError::new(field, "error-duplicate")),
        StoreError::Invalid(errors) => match errors.0.into_iter().next() {
            Some(first) => field_error(first),
            None => anyhow::anyhow!("invalid input"),
        },
        other => other.into(),
    }
}

/// Prints an import's outcome: warnings and counts on standard output, errors (one per line, by
/// line number) on standard error.
fn report_import(result: &ImportResult) {
    let tr = translator();
    if !result.unknown_columns.is_empty() {
        println!("{} {}", tr.t("import-unknown-columns"), result.unknown_columns.join(", "));
    }
    for warning in &result.warnings {
        let message = reti_web::error::field_message(&tr, &warning.field, warning.code, &warning.args);
        let line = tr.t_args(
            "cli-import-error",
            &[("line", warning.line.to_string()), ("message", message), ("value", warning.value.clone())],
        );
        println!("{line}");
    }
    for error in &result.errors {
        let message = reti_web::error::field_message(&tr, &error.field, error.code, &error.args);
        let line = tr.t_args(
            "cli-import-error",
            &[("line", error.line.to_string()), ("message", message), ("value", error.value.clone())],
        );
        eprintln!("{line}");
    }
    if result.more_errors > 0 {
        eprintln!("{}", tr.t_count("import-more-errors", result.more_errors as i64));
    }
    if result.accepted() {
        let key = if result.dry_run { "cli-import-dry-run" } else { "cli-import-done" };
        println!(
            "{}",
            tr.t_args(
                key,
                &[
                    ("rows", result.rows.to_string()),
                    ("created", result.created.to_string()),
                    ("updated", result.updated.to_string())
                ]
            )
        );
    }
}

/// Reads the password an operator chooses; the same strength rule as on the site applies.
fn read_password_line(user_inputs: &[&str]) -> anyhow::Result<Password> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    Password::parse(line.trim_end_matches(['\n', '\r']), user_inputs).map_err(field_error)
}

async fn open(config: &Config) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    let db = Db::connect(&config.database_url()).await.context("opening the database")?;
    db.migrate().await.context("applying migrations")?;
    let loaded = db.sync_municipalities().await.context("loading ISTAT's municipalities")?;
    if loaded > 0 {
        tracing::info!(municipalities = loaded, "ISTAT municipalities loaded");
    }
    Ok(db)
}

fn print_demo_accounts() {
    println!("Demo accounts (password: {}):", demo::DEMO_PASSWORD);
    for (email, name, role) in demo::ACCOUNTS {
        let role = role.map(|r| r.code()).unwrap_or("platform administrator");
        println!("  {email:<32} {role:<24} {name}");
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let bind = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    if let Command::Groups(command) = cli.command {
        // Works on a file alone: no configuration, no database.
        return groups::run(command, &translator(), &mut std::io::stdout().lock());
    }
    let config = Config::load(&cli.data_dir, Overrides { database_url: cli.database_url.clone(), bind })?;
    init_logging(&config.log_format);
    match cli.command {
        Command::Serve { demo, .. } => {
            let db = open(&config).await?;
            if demo {
                if db.user_count().await? == 0 {
                    demo::load(&db).await?;
                    demo_labs::load_materials(&db, &config.data_dir).await?;
                    print_demo_accounts();
                } else {
                    tracing::info!("the database has accounts already: demo not loaded");
                }
            }
            let web = web_config(&config);
            let listener = tokio::net::TcpListener::bind(&config.bind)
                .await
                .with_context(|| format!("listening on {}", config.bind))?;
            tracing::info!(address = %listener.local_addr()?, public_url = %config.public_url(), "Reti is listening");
            reti_web::serve(reti_web::AppState::new(db.clone(), web), listener).await?;
            db.close().await;
        }
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
        }
        Command::Demo => {
            let db = open(&config).await?;
            let created = demo::load(&db).await?;
            demo_labs::load_materials(&db, &config.data_dir).await?;
            println!("demo loaded ({} new accounts)", created.len());
            print_demo_accounts();
        }
        Command::Backup { output } => {
            let started = std::time::Instant::now();
            let summary = backup::backup(&config, &output).await?;
            let size = std::fs::metadata(&output)?.len();
            let seconds = started.elapsed().as_secs_f64();
            println!("backup written to {} ({size} bytes) in {seconds:.2} s: {summary}", output.display());
        }
        Command::Restore { file, force } => {
            let started = std::time::Instant::now();
            let summary = backup::restore(&config, &file, force).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!("restored {} in {seconds:.2} s: {summary}", file.display());
        }
        Command::Import { entity, file, dry_run, publish, network } => {
            if let EntityArg::Relations = entity {
                let network = network.context("--network is required for relations")?;
                let db = open(&config).await?;
                return relations::import(&db, &translator(), &file, &network, dry_run).await;
            }
            let Some(entity) = entity.registry() else {
                let db = open(&config).await?;
                let count = practices::import(&db, &translator(), &Actor::cli(), &file, publish).await?;
                println!("{count} practices imported");
                return Ok(());
            };
            let refused = |error: TableError| {
                anyhow::anyhow!("{}: {}", file.display(), reti_web::error::table_message(&translator(), &error))
            };
            // The size first: a file past the bound is never read.
            let size = std::fs::metadata(&file).with_context(|| format!("reading {}", file.display()))?.len();
            if size > reti_domain::table::MAX_BYTES as u64 {
                return Err(refused(TableError::TooLarge { limit: reti_domain::table::MAX_BYTES as u64 }));
            }
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let db = open(&config).await?;
            let result = match db.import_file(&Actor::cli(), entity, &bytes, dry_run).await {
                Ok(result) => result,
                Err(ImportError::Table(error)) => return Err(refused(error)),
                Err(ImportError::Store(error)) => return Err(store_error(error)),
            };
            report_import(&result);
            if !result.accepted() {
                bail!(translator().t_count("import-refused", result.error_count() as i64));
            }
        }
        Command::Export { entity, format, output, network, from, to } => {
            let db = open(&config).await?;
            let mut out: Box<dyn Write + Send> = match &output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout())),
            };
            let entity = match entity {
                ExportArg::Attendance => {
                    let filters = (network, from.as_deref(), to.as_deref());
                    export_attendance(&db, filters, format.into(), &mut out).await?;
                    return Ok(out.flush()?);
                }
                ExportArg::Practices => {
                    practices::export(&db, format.into(), &mut out).await?;
                    return Ok(out.flush()?);
                }
                ExportArg::Labs => {
                    let mut writer =
                        ExportWriter::new(reti_store::labs::LAB_PARTICIPANT_COLUMNS, format.into(), &mut out)?;
                    for row in db.lab_participants_export().await? {
                        writer.row(&row)?;
                    }
                    writer.finish()?;
                    return Ok(out.flush()?);
                }
                ExportArg::Organisations => Entity::Organisations,
                ExportArg::People => Entity::People,
                ExportArg::Networks => Entity::Networks,
                ExportArg::Memberships => Entity::Memberships,
                ExportArg::Districts => Entity::Districts,
            };
            let table = db.export_table(entity, &reti_store::registry::scope::Scope::All).await?;
            out.write_all(&reti_web::export::write(&table, format.into())?)?;
            out.flush()?;
        }
        Command::Generate { scale: Some(scale), seed, .. } => {
            let db = open(&config).await?;
            generate_scale::generate(&db, scale.sizes(), seed.unwrap_or(1)).await?;
            db.close().await;
        }
        Command::Generate { entity: None, .. } => unreachable!("clap requires an entity without --scale"),
        Command::Generate { entity: Some(GenerateArg::Organisations), rows, output, .. } => match output {
            Some(path) => {
                let mut file = std::io::BufWriter::new(
                    std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
                );
                generate::organisations(rows, &mut file)?;
            }
            None => generate::organisations(rows, &mut std::io::stdout().lock())?,
        },
        Command::Generate { entity: Some(GenerateArg::Practices), rows, output, .. } => match output {
            Some(path) => {
                let mut file = std::io::BufWriter::new(
                    std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
                );
                practices::generate(rows, &mut file)?;
            }
            None => practices::generate(rows, &mut std::io::stdout().lock())?,
        },
        Command::User(UserCommand::Create(args)) => {
            let email = Email::parse(&args.email).map_err(field_error)?;
            let name = PersonName::parse(&args.name).map_err(field_error)?;
            let role = args.role.as_deref().map(Role::parse).transpose().map_err(field_error)?;
            let password = read_password_line(&[email.as_str(), name.as_str()])?;
            let db = open(&config).await?;
            let programme = match &args.programme {
                Some(code) => match db.programme_by_code(code).await? {
                    Some(programme) => Some(programme),
                    None => bail!(translator().t_args("cli-unknown-programme", &[("code", code.clone())])),
                },
                None => None,
            };
            let roles: Vec<(String, Role)> = match (role, programme) {
                (Some(role), Some(programme)) => vec![(programme.id, role)],
                _ => Vec::new(),
            };
            let new = NewUser { email, name, password: Some(password), is_admin: args.admin };
            let user = db.create_user_with_roles(&Actor::cli(), new, &roles).await.map_err(store_error)?;
            println!("{}", user.id);
        }
        Command::User(UserCommand::ResetPassword { email, .. }) => {
            let email = Email::parse(&email).map_err(field_error)?;
            let password = read_password_line(&[email.as_str()])?;
            let db = open(&config).await?;
            let Some(user) = db.user_by_email(&email).await? else {
                bail!(translator().t_args("cli-unknown-user", &[("email", email.to_string())]));
            };
            let public_url = web_config(&config).public_url;
            let notice = |user: &reti_store::users::User| reti_web::pages::password::changed_mail(&public_url, user);
            db.reset_password(&Actor::cli(), &user.id, &password, notice).await?;
            println!("password updated for {email}");
        }
        Command::User(UserCommand::ResetMfa { email }) => {
            let email = Email::parse(&email).map_err(field_error)?;
            let db = open(&config).await?;
            let Some(user) = db.user_by_email(&email).await? else {
                bail!(translator().t_args("cli-unknown-user", &[("email", email.to_string())]));
            };
            match db.disable_totp(&Actor::cli(), &user.id, "operator").await {
                Ok(()) => println!("second factor switched off for {email}"),
                Err(reti_store::StoreError::NotFound) => println!("{email} has no second factor"),
                Err(error) => return Err(error.into()),
            }
        }
        Command::Token(TokenCommand::Create { email, name, days }) => {
            let email = Email::parse(&email).map_err(field_error)?;
            let lifetime = TokenLifetime::parse(&days.to_string(), "token_days").map_err(field_error)?;
            let db = open(&config).await?;
            let Some(user) = db.user_by_email(&email).await? else {
                bail!(translator().t_args("cli-unknown-user", &[("email", email.to_string())]));
            };
            let (_, secret) = db.create_token_for(&Actor::cli(), &user.id, &name, lifetime).await?;
            println!("{secret}");
        }
        Command::Jobs(JobsCommand::Run { workers, once }) => {
            let db = open(&config).await?;
            let mut runner = Runner::new(db.clone(), Registry::standard(&db, &web_config(&config))?);
            runner.lease = config.job_lease();
            let workers = workers.unwrap_or(config.job_workers);
            if once {
                // Run from cron instead of as a service, it queues the reminders due too.
                db.sweep_reminders(chrono::Utc::now()).await?;
                println!("{} jobs run", runner.run_due(workers).await?);
            } else {
                let (stop, stopped) = tokio::sync::watch::channel(false);
                tokio::spawn(async move {
                    reti_web::shutdown_signal().await;
                    let _ = stop.send(true);
                });
                tracing::info!(workers, "job workers running");
                runner.run(workers, stopped).await;
            }
            db.close().await;
        }
        Command::Jobs(JobsCommand::Bench { jobs, workers, mail }) => {
            let db = open(&config).await?;
            let mailer = mail.then(|| web_config(&config));
            bench_jobs(&db, jobs, workers, mailer.as_ref()).await?;
            db.close().await;
        }
        Command::BenchData(BenchDataCommand::Indicators { code, networks, meetings, attendees }) => {
            let db = open(&config).await?;
            bench_data::indicators(&db, &code, networks, meetings, attendees).await?;
            db.close().await;
        }
        Command::BenchData(BenchDataCommand::Meetings { network, count, attendees }) => {
            let db = open(&config).await?;
            bench_data::meetings(&db, &network, count, attendees).await?;
            db.close().await;
        }
        Command::Graph(command @ graph::GraphCommand::Ties { .. }) => {
            let db = open(&config).await?;
            graph::ties(&db, command).await?;
            db.close().await;
        }
        Command::Graph(command) => graph::run(command)?,
        Command::Ebook(command) => ebook::run(&open(&config).await?, command).await?,
        Command::Indicators(command) => indicators::run(&open(&config).await?, command).await?,
        Command::Person(command) => person::run(&open(&config).await?, command).await?,
        Command::Groups(_) => unreachable!("answered before the configuration is read"),
    }
    Ok(())
}

/// What the web layer (pages, and the jobs that write mail with links) needs of the configuration.
fn web_config(config: &Config) -> reti_web::WebConfig {
    let mut web = reti_web::WebConfig::new(&config.public_url(), config.data_dir.clone());
    web.trust_proxy = config.trust_proxy;
    web.metrics_token = config.metrics_token.clone().filter(|t| !t.is_empty());
    web.mail = config.mail();
    web.job_workers = config.job_workers;
    web.job_lease = config.job_lease();
    web.jitsi_url = config.jitsi_url.clone().filter(|u| !u.trim().is_empty());
    web.retention.guests = time::Duration::days(config.retention_guest_days.max(1));
    web.require_mfa_for = config.require_mfa_for;
    web
}

/// Enqueues `jobs` jobs in one transaction, then times `workers` workers claiming, running and
/// completing them one by one, as they do in production. The jobs are empty, or with `mail` (the
/// web configuration) e-mails that the application's mail handler sends.
async fn bench_jobs(db: &Db, jobs: usize, workers: usize, mail: Option<&reti_web::WebConfig>) -> anyhow::Result<()> {
    const KIND: &str = "bench";
    let started = std::time::Instant::now();
    let queued: Vec<NewJob> = (0..jobs)
        .map(|n| match mail {
            Some(_) => reti_web::mail::Mail {
                to: format!("persona.{n}@bench.reti.example"),
                subject: format!("Promemoria: incontro di prova {n}"),
                body: "Domani alle 10:00 si tiene l'incontro di accompagnamento della rete.\n".repeat(8),
                attachment: None,
            }
            .job(),
            None => NewJob::new(KIND, serde_json::json!({ "n": n })),
        })
        .collect();
    db.enqueue_all(&queued).await?;
    let enqueued = started.elapsed();
    let registry = match mail {
        Some(config) => Registry::standard(db, config)?,
        None => {
            let mut registry = Registry::default();
            registry.register(KIND, |_| async { Ok(()) });
            registry
        }
    };
    let started = std::time::Instant::now();
    let ran = Runner::new(db.clone(), registry).run_due(workers).await?;
    let elapsed = started.elapsed();
    let engine = match db.engine() {
        reti_store::Engine::Sqlite => "sqlite",
        reti_store::Engine::Postgres => "postgres",
    };
    let what = if mail.is_some() { "mail " } else { "" };
    println!(
        "{engine}: enqueued {jobs} {what}jobs in {:.2} s ({:.0}/s); {workers} workers ran {ran} in {:.2} s: {:.0} jobs/s",
        enqueued.as_secs_f64(),
        jobs as f64 / enqueued.as_secs_f64(),
        elapsed.as_secs_f64(),
        ran as f64 / elapsed.as_secs_f64(),
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("reti: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(args: &[&str]) -> Result<Command, clap::Error> {
        let args = ["reti", "--data-dir", "/tmp/reti-cli-test", "generate"].iter().chain(args);
        Cli::try_parse_from(args).map(|cli| cli.command)
    }

    #[test]
    fn generate_takes_an_entity_or_a_scale_not_both() {
        let Ok(Command::Generate { scale: Some(ScaleArg::Eu), seed: Some(7), entity: None, .. }) =
            generate(&["--scale", "eu", "--seed", "7"])
        else {
            panic!("--scale eu --seed 7");
        };
        assert!(matches!(generate(&["--scale", "region"]), Ok(Command::Generate { seed: None, .. })));
        let Ok(Command::Generate { entity: Some(GenerateArg::Organisations), rows: 20, scale: None, .. }) =
            generate(&["organisations", "--rows", "20"])
        else {
            panic!("organisations --rows 20");
        };
        assert!(matches!(generate(&["practices", "--output", "p.json"]), Ok(Command::Generate { .. })));
        for refused in [
            &[][..],
            &["organisations", "--scale", "eu"],
            &["--scale", "eu", "--rows", "5"],
            &["--scale", "eu", "--output", "x.csv"],
            &["organisations", "--seed", "3"],
            &["--scale", "country"],
        ] {
            assert!(generate(refused).is_err(), "{refused:?}");
        }
    }
}
