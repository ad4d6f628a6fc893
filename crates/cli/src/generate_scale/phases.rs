//! The phases: each writes its tables from the plan, in one transaction (see [`super::Run`]).

use super::*;

pub(super) fn created(date: Date) -> Value {
    Value::Text(at(date, 9 * 60))
}

pub(super) async fn programmes(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut programmes =
        Rows::new("programmes", &["id", "code", "name", "created_at", "fund", "cup", "starts_on", "ends_on"]);
    let mut lines = Rows::new("action_lines", &["id", "programme_id", "number", "title"]);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (p, programme) in world.programmes.iter().enumerate() {
        let n = counts.entry(&programme.region).or_default();
        *n += 1;
        let id = world.id(Kind::Programme, p);
        programmes.push([
            id.clone().into(),
            programme_code(p).into(),
            format!("FAMI 2021-2027 — {} {}", programme.region, n).into(),
            created(day(2023, 6, 1)),
            "FAMI 2021-2027".into(),
            format!("E{:02}F23{:07}", p % 100, 1_000_000 + p).into(),
            "2023-09-01".into(),
            "2027-06-30".into(),
        ]);
        for (l, title) in LINE_TITLES.iter().enumerate() {
            lines.push([
                world.id(Kind::ActionLine, p * 4 + l).into(),
                id.as_str().into(),
                Value::Int(l as i64 + 1),
                (*title).into(),
            ]);
        }
    }
    phase.flush(&mut [&mut programmes, &mut lines], true).await
}

pub(super) async fn organisations(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 10);
    let mut organisations = Rows::new(
        "organisations",
        &[
            "id",
            "name",
            "name_folded",
            "kind",
            "tax_code",
            "municipality_code",
            "address",
            "email",
            "phone",
            "website",
            "created_at",
            "updated_at",
        ],
    );
    let mut tags = Rows::new("organisation_tags", &["organisation_id", "tag", "tag_folded"]);
    for (o, &(_, place)) in world.organisations.iter().enumerate() {
        let place = &world.places[place];
        let kind = organisation_kind(&mut rng);
        let name = organisation_name(&mut rng, kind, place);
        let folded = fold(&name);
        let id = world.id(Kind::Organisation, o);
        let since = created(day(2023, 9, 1) + Duration::days(rng.below(400) as i64));
        let website = if rng.chance(0.6) { format!("https://www.ente{o}.example") } else { String::new() };
        organisations.push([
            id.clone().into(),
            Value::Text(name),
            Value::Text(folded),
            kind.code().into(),
            tax_code(o).into(),
            place.istat_code.as_str().into(),
            format!("{} {}", rng.pick(STREETS), rng.between(1, 120)).into(),
            format!("segreteria@ente{o}.example").into(),
            format!("0{} {:07}", rng.between(10, 99), rng.below(10_000_000)).into(),
            website.into(),
            since.clone(),
            since,
        ]);
        for k in rng.distinct_between(1, 3, RESOURCE_VOCABULARY.len()) {
            let tag = RESOURCE_VOCABULARY[k].1;
            tags.push([id.as_str().into(), tag.into(), fold(tag).into()]);
        }
        phase.flush(&mut [&mut organisations, &mut tags], false).await?;
    }
    phase.flush(&mut [&mut organisations, &mut tags], true).await
}

pub(super) async fn people(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 11);
    let mut people = Rows::new("people", &["id", "name", "name_folded", "email", "phone", "created_at", "updated_at"]);
    let mut affiliations =
        Rows::new("affiliations", &["id", "person_id", "organisation_id", "position", "created_at", "ended_at"]);
    let organisations = world.sizes.organisations;
    let mut affiliation = 0;
    for q in 0..world.sizes.people {
        let (first, last) = (*rng.pick(FIRST_NAMES), *rng.pick(SURNAMES));
        let name = format!("{first} {last}");
        let folded = fold(&name);
        let id = world.id(Kind::Person, q);
        let since = created(day(2023, 9, 1) + Duration::days(rng.below(500) as i64));
        people.push([
            id.clone().into(),
            Value::Text(name),
            Value::Text(folded),
            format!("{}.{}.{q}@persone.example", slug(first), slug(last)).into(),
            format!("+39 3{:02} {:07}", rng.below(100), rng.below(10_000_000)).into(),
            since.clone(),
            since.clone(),
        ]);
        // Where they work now (see `World::people_of`), and for one in twenty where they worked.
        let o = q % organisations;
        affiliations.push([
            world.id(Kind::Affiliation, affiliation).into(),
            id.as_str().into(),
            world.id(Kind::Organisation, o).into(),
            (*rng.pick(POSITIONS)).into(),
            since.clone(),
            Value::NullText,
        ]);
        affiliation += 1;
        if rng.chance(0.05) {
            let (p, _) = world.organisations[o];
            let before = world.pool_member(p, rng.below(world.pool(p)));
            if before != o {
                affiliations.push([
                    world.id(Kind::Affiliation, affiliation).into(),
                    id.as_str().into(),
                    world.id(Kind::Organisation, before).into(),
                    (*rng.pick(POSITIONS)).into(),
                    created(day(2022, 3, 1)),
                    since,
                ]);
                affiliation += 1;
            }
        }
        phase.flush(&mut [&mut people, &mut affiliations], false).await?;
    }
    phase.flush(&mut [&mut people, &mut affiliations], true).await
}

pub(super) const MATURITIES: [Option<Maturity>; 4] =
    [None, Some(Maturity::FirstExperience), Some(Maturity::PriorProjects), Some(Maturity::Consolidated)];

pub(super) async fn networks(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 12);
    let mut networks = Rows::new(
        "networks",
        &["id", "programme_id", "name", "name_folded", "description", "maturity", "status", "created_at", "updated_at"],
    );
    let mut places = Rows::new("network_municipalities", &["network_id", "istat_code"]);
    let mut lines = Rows::new("network_action_lines", &["network_id", "action_line_id"]);
    let mut memberships = Rows::new(
        "memberships",
        &["id", "network_id", "organisation_id", "role", "joined_on", "left_on", "created_at"],
    );
    let mut membership = 0;
    for (n, network) in world.networks.iter().enumerate() {
        let id = world.id(Kind::Network, n);
        let status = match rng.unit() {
            x if x < 0.80 => NetworkStatus::Active,
            x if x < 0.92 => NetworkStatus::Forming,
            _ => NetworkStatus::Closed,
        };
        let topic = rng.pick(TOPICS);
        networks.push([
            id.clone().into(),
            world.id(Kind::Programme, network.programme).into(),
            network.name.as_str().into(),
            fold(&network.name).into(),
            format!("La rete mette insieme servizi pubblici e terzo settore del territorio; lavora su {topic}.").into(),
            rng.pick(&MATURITIES).map(|m| m.code().to_owned()).into(),
            status.code().into(),
            created(network.created),
            created(network.created),
        ]);
        for &place in &network.places {
            places.push([id.as_str().into(), world.places[place].istat_code.as_str().into()]);
        }
        for l in rng.distinct_between(1, 3, LINE_TITLES.len()) {
            lines.push([id.as_str().into(), world.id(Kind::ActionLine, network.programme * 4 + l).into()]);
        }
        for member in &network.members {
            memberships.push([
                world.id(Kind::Membership, membership).into(),
                id.as_str().into(),
                world.id(Kind::Organisation, member.organisation).into(),
                member.role.code().into(),
                member.joined.to_string().into(),
                member.left.map(|d| d.to_string()).into(),
                created(member.joined),
            ]);
            membership += 1;
        }
        phase.flush(&mut [&mut networks, &mut places, &mut lines, &mut memberships], false).await?;
    }
    phase.flush(&mut [&mut networks, &mut places, &mut lines, &mut memberships], true).await
}

pub(super) async fn meetings(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 13);
    let mut meetings = Rows::new(
        "meetings",
        &[
            "id",
            "network_id",
            "title",
            "kind",
            "mode",
            "place",
            "link",
            "starts_at",
            "ends_at",
            "agenda",
            "registration_open",
            "created_at",
            "updated_at",
        ],
    );
    let mut invitees = Rows::new("meeting_invitees", &["meeting_id", "kind", "target_id"]);
    let mut held: Vec<usize> = vec![0; world.networks.len()];
    for (m, meeting) in world.meetings.iter().enumerate() {
        let id = world.id(Kind::Meeting, m);
        let network = &world.networks[meeting.network];
        let network_id = world.id(Kind::Network, meeting.network);
        held[meeting.network] += 1;
        let topic = rng.pick(TOPICS);
        let title = match meeting.kind {
            MeetingKind::Accompaniment => format!("Incontro di accompagnamento n. {}", held[meeting.network]),
            MeetingKind::Workshop => format!("Workshop: {topic}"),
            MeetingKind::Lab => format!("Laboratorio: {topic}"),
            MeetingKind::Webinar => format!("Webinar: {topic}"),
        };
        let town = &world.places[network.places[0]].name;
        let place = if meeting.mode.has_place() { format!("Sala civica, {town}") } else { String::new() };
        let link = if meeting.mode.has_link() { room_link("https://meet.jit.si", &id) } else { String::new() };
        let end = meeting.minute + meeting.minutes;
        let planned = meeting.date - Duration::days(rng.between(7, 30) as i64);
        meetings.push([
            id.clone().into(),
            network_id.as_str().into(),
            Value::Text(title),
            meeting.kind.code().into(),
            meeting.mode.code().into(),
            Value::Text(place),
            Value::Text(link),
            at(meeting.date, meeting.minute).into(),
            at(meeting.date, end).into(),
            format!("1. Aggiornamenti dalla rete\n2. {topic}\n3. Prossimi passi").into(),
            Value::Int(1),
            created(planned),
            created(planned),
        ]);
        invitees.push([id.into(), "network".into(), network_id.into()]);
        phase.flush(&mut [&mut meetings, &mut invitees], false).await?;
    }
    phase.flush(&mut [&mut meetings, &mut invitees], true).await
}

pub(super) async fn attendance(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 14);
    let mut lines = Rows::new(
        "meeting_attendance",
        &["meeting_id", "person_id", "present", "minutes_attended", "role", "updated_at"],
    );
    let mut people: Vec<Option<Vec<usize>>> = (0..world.networks.len()).map(|_| None).collect();
    phase.w.pause_indicator_aggregates().await?;
    for (m, meeting) in world.meetings.iter().enumerate() {
        if meeting.attendees == 0 {
            continue;
        }
        let id = world.id(Kind::Meeting, m);
        let network_people = people[meeting.network].get_or_insert_with(|| world.network_people(meeting.network));
        let written = at(meeting.date + Duration::days(1), 10 * 60);
        for k in rng.distinct(meeting.attendees, network_people.len()) {
            let present = rng.chance(0.88);
            let minutes = match (present, rng.chance(0.1)) {
                (false, _) => 0,
                (true, true) => meeting.minutes / 2,
                (true, false) => meeting.minutes,
            };
            lines.push([
                id.as_str().into(),
                world.id(Kind::Person, network_people[k]).into(),
                Value::Int(i64::from(present)),
                Value::Int(i64::from(minutes)),
                if k == 0 { "referente" } else { "" }.into(),
                written.as_str().into(),
            ]);
        }
        phase.flush(&mut [&mut lines], false).await?;
    }
    phase.flush(&mut [&mut lines], true).await?;
    Ok(phase.w.rebuild_indicator_aggregates().await?)
}

/// The practices' columns: the record, the 13 texts of [`reti_domain::practices::TEXT_FIELDS`] in
/// their order, and the terms the board searches.
pub(super) const PRACTICE_COLUMNS: [&str; 27] = [
    "id",
    "programme_id",
    "network_id",
    "title",
    "theme",
    "action_line",
    "year",
    "context",
    "problem",
    "objectives",
    "target_group",
    "activities",
    "actors",
    "resources",
    "results",
    "innovation",
    "sustainability",
    "transferability",
    "lessons",
    "contacts",
    "status",
    "search_title",
    "search_body",
    "created_at",
    "updated_at",
    "published_at",
    "author_user_id",
];

pub(super) async fn practices(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 15);
    let mut practices = Rows::new("practices", &PRACTICE_COLUMNS);
    let mut places = Rows::new("practice_municipalities", &["practice_id", "istat_code", "position"]);
    for k in 0..world.sizes.practices {
        let n = rng.below(world.networks.len());
        let network = &world.networks[n];
        let mut raw = crate::practices::synthetic(k).to_raw();
        raw.network_id = world.id(Kind::Network, n);
        raw.year = (2024 + rng.below(3)).to_string();
        let input = PracticeInput::parse(&raw).map_err(|errors| anyhow::anyhow!("practice {k}: {errors:?}"))?;
        let status = match rng.unit() {
            x if x < 0.60 => PracticeStatus::Published,
            x if x < 0.75 => PracticeStatus::Draft,
            x if x < 0.85 => PracticeStatus::Submitted,
            x if x < 0.93 => PracticeStatus::InReview,
            _ => PracticeStatus::Returned,
        };
        let (search_title, search_body) = reti_store::practices::terms(&input);
        let written = network.created + Duration::days(rng.between(200, 900) as i64);
        let written = created(written.min(today()));
        let id = world.id(Kind::Practice, k);
        let record = [
            id.clone().into(),
            world.id(Kind::Programme, network.programme).into(),
            input.network_id.clone().into(),
            input.title.as_str().into(),
            input.theme.as_str().into(),
            input.action_line.into(),
            input.year.map(i64::from).into(),
        ];
        let texts = input.texts.fields().map(|(_, text)| Value::from(text));
        let workflow = [
            status.code().into(),
            Value::Text(search_title),
            Value::Text(search_body),
            written.clone(),
            written.clone(),
            match status {
                PracticeStatus::Published => written,
                _ => Value::NullText,
            },
            Value::NullText,
        ];
        practices.push_all(record.into_iter().chain(texts).chain(workflow));
        for (position, p) in rng.distinct_between(1, 2, network.places.len()).into_iter().enumerate() {
            let code = &world.places[network.places[p]].istat_code;
            places.push([id.as_str().into(), code.as_str().into(), Value::Int(position as i64)]);
        }
        phase.flush(&mut [&mut practices, &mut places], false).await?;
    }
    phase.flush(&mut [&mut practices, &mut places], true).await
}

/// Per programme: the default instrument, published; three rounds a year apart (the last still
/// open "today"); and its share of the answers, half at the baseline, less later, each by a member
/// organisation of a network of the programme, once per round.
pub(super) async fn reading(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 16);
    let instrument = default_instrument();
    let content = serde_json::to_string(&instrument)?;
    let mut instruments = Rows::new("reading_instruments", &["id", "programme_id", "name", "created_at"]);
    let mut versions = Rows::new(
        "reading_versions",
        &["id", "instrument_id", "number", "content_json", "published_at", "created_at", "updated_at"],
    );
    let mut rounds = Rows::new(
        "reading_rounds",
        &["id", "programme_id", "version_id", "kind", "opens_on", "closes_on", "created_at"],
    );
    let mut answers = Rows::new(
        "reading_answers",
        &["id", "round_id", "network_id", "organisation_id", "values_json", "submitted_at", "created_at", "updated_at"],
    );
    let mut members: Vec<Vec<(usize, usize)>> = vec![Vec::new(); world.programmes.len()];
    for (n, network) in world.networks.iter().enumerate() {
        members[network.programme].extend(network.current().map(|m| (n, m.organisation)));
    }
    let programmes = world.programmes.len();
    let mut answer = 0;
    for (p, candidates) in members.iter().enumerate() {
        let programme_id = world.id(Kind::Programme, p);
        let (instrument_id, version_id) = (world.id(Kind::Reading, p * 8), world.id(Kind::Reading, p * 8 + 1));
        let published = created(day(2024, 9, 1));
        instruments.push([
            instrument_id.as_str().into(),
            programme_id.as_str().into(),
            instrument.name.it.as_str().into(),
            published.clone(),
        ]);
        versions.push([
            version_id.as_str().into(),
            instrument_id.into(),
            Value::Int(1),
            content.as_str().into(),
            published.clone(),
            published.clone(),
            published,
        ]);
        let share = world.sizes.answers / programmes + usize::from(p < world.sizes.answers % programmes);
        let per_round = [share / 2, share * 3 / 10, share - share / 2 - share * 3 / 10];
        for (r, kind) in RoundKind::ALL.into_iter().enumerate() {
            let round_id = world.id(Kind::Reading, p * 8 + 2 + r);
            let opens = day(2024 + r as i32, 10, 1);
            let closes = opens + Duration::days(60);
            rounds.push([
                round_id.as_str().into(),
                programme_id.as_str().into(),
                version_id.as_str().into(),
                kind.code().into(),
                opens.to_string().into(),
                closes.to_string().into(),
                created(opens - Duration::days(20)),
            ]);
            let mut answered = HashSet::new();
            let mut order = candidates.clone();
            rng.shuffle(&mut order);
            for (n, o) in order {
                if answered.len() == per_round[r] {
                    break;
                }
                if !answered.insert(o) {
                    continue;
                }
                let values = answer_values(&mut rng, &instrument)?;
                let day = opens + Duration::days(rng.between(1, 50) as i64);
                let submitted = (day < today() && rng.chance(0.9)).then(|| at(day, 11 * 60));
                answers.push([
                    world.id(Kind::Answer, answer).into(),
                    round_id.as_str().into(),
                    world.id(Kind::Network, n).into(),
                    world.id(Kind::Organisation, o).into(),
                    Value::Text(values),
                    submitted.into(),
                    created(day),
                    created(day),
                ]);
                answer += 1;
            }
        }
        phase.flush(&mut [&mut instruments, &mut versions, &mut rounds, &mut answers], false).await?;
    }
    phase.flush(&mut [&mut instruments, &mut versions, &mut rounds, &mut answers], true).await
}

/// A complete answer to `instrument`, through the answering page's own parser.
pub(super) fn answer_values(rng: &mut Rng, instrument: &reti_domain::reading::Instrument) -> anyhow::Result<String> {
    let level = rng.unit();
    let mut pairs = Vec::new();
    for item in instrument.dimensions.iter().flat_map(|d| &d.items) {
        let point = (1.0 + 4.0 * (0.7 * level + 0.3 * rng.unit())).round();
        let value = match item.kind {
            ItemKind::Likert => point.to_string(),
            ItemKind::Single => rng.below(item.choices.len()).to_string(),
            ItemKind::Multiple => {
                for choice in rng.distinct_between(1, 2, item.choices.len()) {
                    pairs.push((item.key.clone(), choice.to_string()));
                }
                continue;
            }
            ItemKind::Number => (item.min + (item.max - item.min) * level / 2.0).round().to_string(),
            ItemKind::Text => continue,
        };
        pairs.push((item.key.clone(), value));
    }
    let values = parse_answers(instrument, &pairs, true).map_err(|e| anyhow::anyhow!("generated answer: {e:?}"))?;
    Ok(serde_json::to_string(&values)?)
}

/// Every network's map: its context actors, the lead's ties with the partners, every supporter
/// tied to someone already on the map, a few more ties among members, and the context actors tied
/// to a member. Nodes are the network's organisations (members and context actors) only.
pub(super) async fn actor_maps(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 17);
    let mut actors = Rows::new("map_actors", &["network_id", "organisation_id", "created_at"]);
    let mut relations = Rows::new(
        "map_relations",
        &[
            "id",
            "network_id",
            "organisation_a",
            "organisation_b",
            "kind",
            "strength",
            "since",
            "note",
            "created_at",
            "updated_at",
        ],
    );
    let mut relation = 0;
    for (n, network) in world.networks.iter().enumerate() {
        let network_id = world.id(Kind::Network, n);
        let members: Vec<&Member> = network.current().collect();
        let mut ties: Vec<(usize, usize, RelationKind, i64)> = Vec::new();
        for (i, member) in members.iter().enumerate().skip(1) {
            let tie = match member.role {
                MembershipRole::Partner if i % 3 == 1 => (0, i, RelationKind::FormalAgreement, 3),
                MembershipRole::Partner => (0, i, RelationKind::Collaboration, 2),
                _ => (rng.below(i), i, RelationKind::InformationExchange, 1),
            };
            ties.push(tie);
        }
        for _ in 0..members.len() / 3 {
            let (a, b) = (rng.below(members.len()), rng.below(members.len()));
            ties.push((a, b, *rng.pick(&RelationKind::ALL), rng.between(1, 3) as i64));
        }
        let mut organisations: Vec<usize> = members.iter().map(|m| m.organisation).collect();
        for &context in &network.context {
            actors.push([
                network_id.as_str().into(),
                world.id(Kind::Organisation, context).into(),
                created(network.created),
            ]);
            organisations.push(context);
            ties.push((rng.below(members.len()), organisations.len() - 1, RelationKind::InformationExchange, 1));
        }
        let mut seen = HashSet::new();
        for (a, b, kind, strength) in ties {
            let (a, b) =
                (world.id(Kind::Organisation, organisations[a]), world.id(Kind::Organisation, organisations[b]));
            let (a, b) = match a.cmp(&b) {
                std::cmp::Ordering::Less => (a, b),
                std::cmp::Ordering::Greater => (b, a),
                std::cmp::Ordering::Equal => continue,
            };
            if !seen.insert((a.clone(), b.clone(), kind)) {
                continue;
            }
            let since = network.created + Duration::days(rng.below(500) as i64);
            relations.push([
                world.id(Kind::Relation, relation).into(),
                network_id.as_str().into(),
                a.into(),
                b.into(),
                kind.code().into(),
                Value::Int(strength),
                since.min(today()).to_string().into(),
                "".into(),
                created(network.created),
                created(network.created),
            ]);
            relation += 1;
        }
        phase.bar.inc(1);
        phase.flush(&mut [&mut relations, &mut actors], false).await?;
    }
    phase.flush(&mut [&mut relations, &mut actors], true).await
}
