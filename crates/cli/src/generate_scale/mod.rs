//! `reti generate --scale eu [--seed N]` (issue 13, decision 0053): fills the configured database
//! the way a whole country's programmes would, to measure the pages and the jobs at that size.
//!
//! At `eu` scale: 50 programmes over every Italian region, 10,000 networks (a few with hundreds of
//! members, most with 5–20), 200,000 organisations, 400,000 people, 100,000 meetings with
//! 1,000,000 register lines, 50,000 practices, 30,000 reading-tool answers, an actor map for every
//! network. `region` is a twentieth of it, for quick runs; the tests use a thousandth.
//!
//! Everything is drawn from one seeded generator, one stream per phase, and the ids and dates are
//! derived from the seed too, so a seed always gives the same database, whenever it is run. The
//! dates lie between January 2024 and January 2027, "today" being 28 November 2026: a few meetings
//! are still to come, the rest have their register.
//!
//! The rows go in through [`reti_store::bulk`]: multi-row statements, one transaction per phase
//! with one audit entry naming the phase, the seed and the rows. Every reference is valid by
//! construction (members are organisations of the programme's region, attendees people of the
//! meeting's network, answers organisations of the answering network…); the database's foreign
//! keys and unique constraints check it as the rows go in. What the application derives from the
//! rows is then rebuilt by the store's own paths: the board's index of the published practices,
//! and PostgreSQL's planner statistics.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use reti_domain::actor_map::RelationKind;
use reti_domain::meetings::{MeetingKind, MeetingMode, room_link};
use reti_domain::practices::{PracticeInput, PracticeStatus};
use reti_domain::reading::{ItemKind, RoundKind, default_instrument, parse_answers};
use reti_domain::registry::RESOURCE_VOCABULARY;
use reti_domain::territory::{Municipality, parse_istat};
use reti_domain::text::fold;
use reti_domain::{Maturity, MembershipRole, NetworkStatus};
use reti_store::audit::Change;
use reti_store::bulk::{Rows, Value};
use reti_store::{Actor, Db, Writer};
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::time::Instant;
use time::{Date, Duration};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub programmes: usize,
    pub networks: usize,
    pub organisations: usize,
    pub people: usize,
    pub meetings: usize,
    pub attendance: usize,
    pub practices: usize,
    pub answers: usize,
}

impl Sizes {
    pub const EU: Sizes = Sizes {
        programmes: 50,
        networks: 10_000,
        organisations: 200_000,
        people: 400_000,
        meetings: 100_000,
        attendance: 1_000_000,
        practices: 50_000,
        answers: 30_000,
    };

    /// The EU figures divided by `divisor`, each at least one.
    pub fn divided(divisor: usize) -> Sizes {
        let d = |n: usize| (n / divisor.max(1)).max(1);
        let eu = Sizes::EU;
        Sizes {
            programmes: d(eu.programmes),
            networks: d(eu.networks),
            organisations: d(eu.organisations),
            people: d(eu.people),
            meetings: d(eu.meetings),
            attendance: d(eu.attendance),
            practices: d(eu.practices),
            answers: d(eu.answers),
        }
    }
}

/// The first programme's code; the others follow (`PROG-3002`, …). Its presence tells that the
/// database holds generated data already.
const FIRST_PROGRAMME: usize = 3001;
/// The day the generated history ends: meetings before it have their register.
const TODAY: (i32, u8, u8) = (2026, 11, 28);
/// Rows per flush of a phase's buffers: the progress bar moves at this step.
const FLUSH: usize = 20_000;

/// Fills `db` with generated data of `sizes`, drawn from `seed`. Refuses a database that already
/// holds generated programmes. Prints one line per phase (rows and seconds) on standard output,
/// and draws a progress bar on standard error when it is a terminal.
pub async fn generate(db: &Db, sizes: Sizes, seed: u64) -> anyhow::Result<Summary> {
    db.sync_municipalities().await?;
    let code = programme_code(0);
    anyhow::ensure!(
        db.programme_by_code(&code).await?.is_none(),
        "the database already holds generated data (programme {code}): generate into an empty one"
    );
    let started = Instant::now();
    let world = World::plan(sizes, seed)?;
    let mut summary = Summary::default();
    let mut run = Run { db, world: &world, seed, summary: &mut summary };
    run.phase("programmes", "programmes", sizes.programmes, programmes).await?;
    run.phase("organisations", "organisations", sizes.organisations, organisations).await?;
    run.phase("people", "people", sizes.people, people).await?;
    run.phase("networks", "networks", sizes.networks, networks).await?;
    run.phase("meetings", "meetings", world.meetings.len(), meetings).await?;
    run.phase("attendance", "meeting_attendance", world.attendance_total(), attendance).await?;
    run.phase("practices", "practices", sizes.practices, practices).await?;
    run.phase("reading", "reading_answers", sizes.answers, reading).await?;
    run.phase("actor maps", "networks", sizes.networks, actor_maps).await?;
    let phase = Instant::now();
    let created =
        crate::demo::load_accounts(db, &Actor::cli(), &world.id(Kind::Programme, 0), &world.largest_networks(0))
            .await?;
    summary.lines.push(format!(
        "accounts: {} of the demo in {} (the network roles on its largest networks) in {:.1} s",
        created.len(),
        programme_code(0),
        seconds(phase)
    ));
    println!("{}", summary.lines.last().map_or("", String::as_str));
    let phase = Instant::now();
    let indexed = db.rebuild_board_index_if_stale().await?;
    db.refresh_statistics().await?;
    summary.lines.push(format!("board index and statistics: {indexed} practices in {:.1} s", seconds(phase)));
    println!("{}", summary.lines.last().map_or("", String::as_str));
    summary.lines.push(format!("total: {:.1} s", seconds(started)));
    println!("{}", summary.lines.last().map_or("", String::as_str));
    Ok(summary)
}

/// What each phase wrote, table by table, and the lines printed.
#[derive(Debug, Default)]
pub struct Summary {
    pub rows: BTreeMap<&'static str, usize>,
    pub lines: Vec<String>,
}

fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

fn programme_code(p: usize) -> String {
    format!("PROG-{}", FIRST_PROGRAMME + p)
}

// ---------------------------------------------------------------------------------------------
// Randomness and ids
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, fast, and the same sequence on every platform and version, which a library
/// generator does not promise.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }

    /// `list` in a random order (Fisher–Yates).
    fn shuffle<T>(&mut self, list: &mut [T]) {
        for i in (1..list.len()).rev() {
            list.swap(i, self.below(i + 1));
        }
    }

    /// `count` distinct numbers of `0..n` (at most `n`), in the order drawn.
    fn distinct_between(&mut self, low: usize, high: usize, n: usize) -> Vec<usize> {
        let count = self.between(low, high);
        self.distinct(count, n)
    }

    /// `count` distinct numbers of `0..n`, in the order drawn.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        let count = count.min(n);
        let mut seen = HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let k = self.below(n);
            if seen.insert(k) {
                out.push(k);
            }
        }
        out
    }
}

/// The kinds of record that get ids; each has its own range of the id's time part, so that ids of
/// one table are in the order of their rows (a B-tree grows at its end).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Programme,
    ActionLine,
    Organisation,
    Person,
    Affiliation,
    Network,
    Membership,
    Meeting,
    Practice,
    Reading,
    Answer,
    Relation,
}

/// An id shaped like the application's (UUID v7): the time part from the kind and the index, the
/// random part from the seed. The same (seed, kind, index) always gives the same id.
fn id(seed: u64, kind: Kind, index: usize) -> String {
    // 2024-01-01T00:00:00Z, then ten million milliseconds per kind.
    const BASE_MS: u64 = 1_704_067_200_000;
    let ms = BASE_MS + kind as u64 * 10_000_000 + index as u64;
    let mut rng = Rng::new(seed, ((kind as u64) << 40) | index as u64);
    let (a, b) = (rng.next().to_le_bytes(), rng.next().to_le_bytes());
    let random = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]];
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid().to_string()
}

fn day(year: i32, month: u8, day: u8) -> Date {
    let month = time::Month::try_from(month).expect("a month of the calendar");
    Date::from_calendar_date(year, month, day).expect("a day of the calendar")
}

fn today() -> Date {
    day(TODAY.0, TODAY.1, TODAY.2)
}

/// A stored timestamp (UTC, microseconds), at `minute` of `date`.
fn at(date: Date, minute: u32) -> String {
    format!("{date}T{:02}:{:02}:00.000000Z", minute / 60, minute % 60)
}

mod names;
mod phases;
#[cfg(test)]
mod tests;

use names::*;
use phases::*;

// ---------------------------------------------------------------------------------------------
// The plan: who is where, drawn before anything is written
// ---------------------------------------------------------------------------------------------

struct Programme {
    region: String,
    /// The region's municipalities (indexes into `World::places`).
    places: Vec<usize>,
}

struct Member {
    organisation: usize,
    role: MembershipRole,
    joined: Date,
    left: Option<Date>,
}

struct Network {
    programme: usize,
    name: String,
    places: Vec<usize>,
    created: Date,
    members: Vec<Member>,
    /// Organisations on its actor map that are not members.
    context: Vec<usize>,
}

impl Network {
    fn current(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.left.is_none())
    }
}

struct Meeting {
    network: usize,
    kind: MeetingKind,
    mode: MeetingMode,
    date: Date,
    minute: u32,
    minutes: u32,
    /// Register lines (0 for a meeting still to come).
    attendees: usize,
}

struct World {
    sizes: Sizes,
    seed: u64,
    places: Vec<Municipality>,
    programmes: Vec<Programme>,
    /// Each organisation's programme (its region) and municipality.
    organisations: Vec<(usize, usize)>,
    networks: Vec<Network>,
    meetings: Vec<Meeting>,
}

impl World {
    fn plan(sizes: Sizes, seed: u64) -> anyhow::Result<World> {
        let places = parse_istat(reti_store::registry::territory::ISTAT_LIST)
            .map_err(|e| anyhow::anyhow!("shipped ISTAT list: {e:?}"))?;
        let mut regions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, place) in places.iter().enumerate() {
            regions.entry(place.region.clone()).or_default().push(index);
        }
        let regions: Vec<(String, Vec<usize>)> = regions.into_iter().collect();
        let programmes: Vec<Programme> = (0..sizes.programmes)
            .map(|p| {
                let (region, places) = &regions[p % regions.len()];
                Programme { region: region.clone(), places: places.clone() }
            })
            .collect();
        let mut rng = Rng::new(seed, 1);
        let organisations: Vec<(usize, usize)> = (0..sizes.organisations)
            .map(|o| {
                let p = o % sizes.programmes;
                (p, *rng.pick(&programmes[p].places))
            })
            .collect();
        let mut world =
            World { sizes, seed, places, programmes, organisations, networks: Vec::new(), meetings: Vec::new() };
        world.networks = world.plan_networks(&mut Rng::new(seed, 2));
        world.meetings = world.plan_meetings(&mut Rng::new(seed, 3));
        Ok(world)
    }

    /// How many organisations programme `p` draws its members from (every `programmes`-th).
    fn pool(&self, p: usize) -> usize {
        (self.sizes.organisations - p).div_ceil(self.sizes.programmes)
    }

    fn pool_member(&self, p: usize, k: usize) -> usize {
        p + k * self.sizes.programmes
    }

    fn plan_networks(&self, rng: &mut Rng) -> Vec<Network> {
        let mut names: HashSet<(usize, String)> = HashSet::new();
        let mut by_province: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, place) in self.places.iter().enumerate() {
            by_province.entry(place.province_code.as_str()).or_default().push(index);
        }
        (0..self.sizes.networks)
            .map(|n| {
                let p = n % self.sizes.programmes;
                let pool = self.pool(p);
                // A few large networks, many small: the first of each programme and one in a hundred
                // have hundreds of members, one in ten a few dozen, the rest 5–20.
                let class = rng.unit();
                let size = if n < self.sizes.programmes || class < 0.01 {
                    rng.between(100, 400)
                } else if class < 0.10 {
                    rng.between(21, 60)
                } else {
                    rng.between(5, 20)
                };
                let size = size.min(pool / 2).max(2.min(pool));
                let seat = *rng.pick(&self.programmes[p].places);
                let province = &by_province[self.places[seat].province_code.as_str()];
                let mut places = vec![seat];
                for _ in 0..rng.below(8) {
                    let place = *rng.pick(province);
                    if !places.contains(&place) {
                        places.push(place);
                    }
                }
                let base = format!("Rete {} {}", self.places[seat].name, rng.pick(NETWORK_SUFFIXES));
                let mut name = base.clone();
                let mut again = 1;
                while !names.insert((p, fold(&name))) {
                    again += 1;
                    name = format!("{base} {again}");
                }
                let created = day(2023, 9, 1) + Duration::days(rng.below(180) as i64);
                let context = rng.between(1, 3);
                let chosen = rng.distinct(size + context, pool);
                let (members, context) = chosen.split_at(size.min(chosen.len()));
                let partners = (size / 4).clamp(1, 8);
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| {
                        let role = match i {
                            0 => MembershipRole::Lead,
                            i if i <= partners => MembershipRole::Partner,
                            _ => MembershipRole::Supporter,
                        };
                        let joined = created + Duration::days(rng.below(120) as i64);
                        let left = (i > 0 && rng.chance(0.04))
                            .then(|| (joined + Duration::days(rng.between(200, 600) as i64)).min(today()));
                        Member { organisation: self.pool_member(p, k), role, joined, left }
                    })
                    .collect();
                let context = context.iter().map(|&k| self.pool_member(p, k)).collect();
                Network { programme: p, name, places, created, members, context }
            })
            .collect()
    }

    /// Meetings shared out by the networks' sizes (less than proportionally: a network of 400 does
    /// not meet 40 times as often as one of 10), then their register lines: 5–30, 10 on average,
    /// never more than the network's people, adjusted to the exact total.
    fn plan_meetings(&self, rng: &mut Rng) -> Vec<Meeting> {
        let weights: Vec<f64> = self.networks.iter().map(|n| (n.current().count() as f64).powf(0.7)).collect();
        let total: f64 = weights.iter().sum();
        let shares: Vec<f64> = weights.iter().map(|w| w / total * self.sizes.meetings as f64).collect();
        let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|&a, &b| (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor())));
        let missing = self.sizes.meetings - counts.iter().sum::<usize>();
        for &n in order.iter().cycle().take(missing) {
            counts[n] += 1;
        }
        let first = day(2024, 1, 8);
        let past_days = (today() - first).whole_days() as usize;
        let mut meetings = Vec::with_capacity(self.sizes.meetings);
        let people: Vec<usize> = (0..self.networks.len()).map(|n| self.network_people(n).len()).collect();
        for (n, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let kind = *rng.pick(&MeetingKind::ALL);
                let mode = match kind {
                    MeetingKind::Webinar => MeetingMode::Webinar,
                    _ => *rng.pick(&[
                        MeetingMode::InPerson,
                        MeetingMode::InPerson,
                        MeetingMode::InPerson,
                        MeetingMode::Videoconference,
                        MeetingMode::Hybrid,
                    ]),
                };
                let upcoming = rng.chance(0.03);
                let date = if upcoming {
                    today() + Duration::days(rng.between(1, 64) as i64)
                } else {
                    first + Duration::days(rng.below(past_days) as i64)
                };
                // A skewed draw in 5–30 averaging 10.
                let attendees = if upcoming { 0 } else { (5 + (25.0 * rng.unit().powi(4)) as usize).min(people[n]) };
                meetings.push(Meeting {
                    network: n,
                    kind,
                    mode,
                    date,
                    minute: 60 * rng.between(8, 16) as u32 + 30 * rng.below(2) as u32,
                    minutes: *rng.pick(&[60, 90, 90, 120]),
                    attendees,
                });
            }
        }
        // Meetings in the order of their day, as a registry fills.
        meetings.sort_by_key(|m| (m.date, m.minute, m.network));
        let mut lines: usize = meetings.iter().map(|m| m.attendees).sum();
        let caps: Vec<usize> = meetings.iter().map(|m| people[m.network].min(30)).collect();
        let past: Vec<usize> = (0..meetings.len()).filter(|&i| meetings[i].date < today()).collect();
        let room: usize = past.iter().map(|&i| caps[i] - meetings[i].attendees).sum();
        let floor: usize = past.iter().map(|&i| caps[i].min(5)).sum();
        let target = self.sizes.attendance.clamp(floor, lines + room);
        while lines < target {
            let i = *rng.pick(&past);
            if meetings[i].attendees < caps[i] {
                meetings[i].attendees += 1;
                lines += 1;
            }
        }
        while lines > target {
            let i = *rng.pick(&past);
            if meetings[i].attendees > 5.min(caps[i]) {
                meetings[i].attendees -= 1;
                lines -= 1;
            }
        }
        meetings
    }

    /// The people of network `n`: those of its current members, two or so per organisation.
    fn network_people(&self, n: usize) -> Vec<usize> {
        self.networks[n].current().flat_map(|m| self.people_of(m.organisation)).collect()
    }

    /// The people working for organisation `o`: every `organisations`-th person from `o`.
    fn people_of(&self, o: usize) -> impl Iterator<Item = usize> + use<> {
        (o..self.sizes.people).step_by(self.sizes.organisations)
    }

    /// The ids of programme `p`'s networks, the one with most current members first: the demo's
    /// accounts take their network roles there, so the page benchmark reads the heaviest pages.
    fn largest_networks(&self, p: usize) -> Vec<String> {
        let mut networks: Vec<(usize, usize)> = (self.networks.iter().enumerate())
            .filter(|(_, network)| network.programme == p)
            .map(|(n, network)| (n, network.current().count()))
            .collect();
        networks.sort_by_key(|&(n, members)| (std::cmp::Reverse(members), n));
        networks.into_iter().map(|(n, _)| self.id(Kind::Network, n)).collect()
    }

    fn attendance_total(&self) -> usize {
        self.meetings.iter().map(|m| m.attendees).sum()
    }

    fn id(&self, kind: Kind, index: usize) -> String {
        id(self.seed, kind, index)
    }
}

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

struct Run<'a> {
    db: &'a Db,
    world: &'a World,
    seed: u64,
    summary: &'a mut Summary,
}

/// What a phase writes with: the transaction, the plan, its bar, and the rows it wrote per table.
struct Phase<'w, 'x, 'a> {
    w: &'w mut Writer<'x>,
    world: &'a World,
    bar: ProgressBar,
    /// The table whose rows the bar counts.
    main: &'static str,
    rows: BTreeMap<&'static str, usize>,
}

impl Phase<'_, '_, '_> {
    /// Writes every buffer of `tables`, in their order (parents before the rows that reference
    /// them), once one of them holds a flush's worth, or at once with `now`. Rows of the phase's
    /// main table move the bar.
    async fn flush(&mut self, tables: &mut [&mut Rows], now: bool) -> anyhow::Result<()> {
        if !now && tables.iter().all(|rows| rows.len() < FLUSH) {
            return Ok(());
        }
        for rows in tables.iter_mut() {
            let table = rows.table();
            let written = self.w.insert_rows(rows).await?;
            *self.rows.entry(table).or_default() += written;
            if table == self.main {
                self.bar.inc(written as u64);
            }
        }
        Ok(())
    }
}

impl Run<'_> {
    /// Runs one phase in one transaction with its audit entry, behind a bar of `steps`.
    async fn phase(
        &mut self,
        name: &'static str,
        main: &'static str,
        steps: usize,
        work: impl AsyncFnOnce(&mut Phase<'_, '_, '_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let bar = progress_bar(name, steps);
        let (world, seed) = (self.world, self.seed);
        let rows = self
            .db
            .write(&Actor::cli(), async |w| {
                let mut phase = Phase { w, world, bar: bar.clone(), main, rows: BTreeMap::new() };
                work(&mut phase).await?;
                let rows = std::mem::take(&mut phase.rows);
                let after = serde_json::json!({"phase": name, "seed": seed, "sizes": format!("{:?}", world.sizes), "rows": rows});
                let change = Change {
                    action: "generate",
                    entity: "database",
                    entity_id: None,
                    programme_id: None,
                    before: None,
                    after: Some(after),
                };
                phase.w.audit(change).await?;
                Ok::<_, anyhow::Error>(rows)
            })
            .await
            .with_context(|| format!("generating {name}"))?;
        bar.finish_and_clear();
        let counts: Vec<String> = rows.iter().map(|(table, n)| format!("{table} {n}")).collect();
        let line = format!("{name}: {} in {:.1} s", counts.join(", "), seconds(started));
        println!("{line}");
        self.summary.lines.push(line);
        for (table, n) in rows {
            *self.summary.rows.entry(table).or_default() += n;
        }
        Ok(())
    }
}

/// A bar on a terminal's standard error; nothing elsewhere (a pipe, a log, a test).
fn progress_bar(name: &str, steps: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps as u64);
    if let Ok(style) = ProgressStyle::with_template("{prefix:>14} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_owned());
    bar
}
