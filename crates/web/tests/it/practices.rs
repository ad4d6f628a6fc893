//! Good practices and the public board of experiences, on both engines: the workflow from draft
//! to board with its audit and mail, who may take which step, the Italian search on both
//! engines (inflections, accents, apostrophes), the public API, bad queries, the import, and an
//! XSS corpus through every field of the rendered pages.

use crate::app_tests;
use crate::builders::practice;
use crate::harness::TestApp;
use axum::http::StatusCode;
use reti_domain::Role;
use reti_domain::practices::PracticeRecord;
use reti_store::Actor;
use reti_store::practices::PracticeImport;

fn form(title: &str, network_id: &str, complete: bool) -> Vec<(&'static str, String)> {
    let mut fields = vec![("title", title.to_owned()), ("network_id", network_id.to_owned())];
    if complete {
        for (name, value) in [
            ("action_line", "2"),
            ("theme", "Inclusione"),
            ("year", "2024"),
            ("municipalities", "Milano"),
            ("context", "Un contesto."),
            ("problem", "Le **famiglie** restavano senza servizi nella città."),
            ("objectives", "Obiettivi."),
            ("target_group", "Famiglie straniere"),
            ("activities", "Attività."),
            ("results", "Risultati."),
            ("contacts", "Contatti."),
        ] {
            fields.push((name, value.to_owned()));
        }
    }
    fields
}

fn as_refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

app_tests! {
    async fn a_practice_goes_from_draft_to_the_board_audited_and_announced(app: TestApp) {
        let a = app.network("Rete Adda").create().await;
        let author = app.user().on_network(&a.id, Role::NetworkMember).create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let other_programme = app.programme("ALTRO-1", "Altro programma").await;
        let outsider = app.user().role_in(&other_programme, Role::Coordinator).create().await;

        app.login(&author.email).await;
        assert_eq!(app.get("/practices/new").await.status, StatusCode::OK);
        let draft = form("L'integrazione dei nuovi arrivati", &a.id, false);
        let created = app.post("/practices", &as_refs(&draft)).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let path = created.location().to_owned();
        let id = path.trim_start_matches("/practices/").to_owned();

        // Submitting an incomplete draft names what is missing, and changes nothing.
        let refused = app.post(&format!("{path}/steps"), &[("step", "submit"), ("comment", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Per inviare la scheda compila il campo «Problema affrontato»"), "{}", refused.body);
        assert_eq!(app.db.practice(&id).await.unwrap().unwrap().status.code(), "draft");

        let complete = form("L'integrazione dei nuovi arrivati", &a.id, true);
        assert_eq!(app.post(&path, &as_refs(&complete)).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "submit"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
        // The authors cannot publish their own practice.
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "publish"), ("comment", "")]).await.status, StatusCode::FORBIDDEN);
        app.run_jobs().await;
        assert!(app.mails().iter().any(|m| m.contains(&coordinator.email) && m.contains("da rivedere")), "the coordination is told");

        // A coordinator of another programme does not see it, nor can review it.
        app.logout_locally();
        app.login(&outsider.email).await;
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
        let outside = app.post(&format!("{path}/steps"), &[("step", "start_review"), ("comment", "")]).await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND);
        assert_eq!(app.db.practice(&id).await.unwrap().unwrap().status.code(), "submitted");

        app.logout_locally();
        app.login(&coordinator.email).await;
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "start_review"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
        let no_reason = app.post(&format!("{path}/steps"), &[("step", "return"), ("comment", " ")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let returned = app.post(&format!("{path}/steps"), &[("step", "return"), ("comment", "Aggiungete i **numeri** dei risultati.")]).await;
        assert_eq!(returned.status, StatusCode::SEE_OTHER);
        app.run_jobs().await;
        assert!(app.mails().iter().any(|m| m.contains(&author.email) && m.contains("restituita")), "the author is told");

        app.logout_locally();
        app.login(&author.email).await;
        let page = app.get(&path).await;
        assert!(page.body.contains("<strong>numeri</strong>"), "the reason is shown, rendered");
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "submit"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);

        app.logout_locally();
        app.login(&coordinator.email).await;
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "comment"), ("comment", "Bene.")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.post(&format!("{path}/steps"), &[("step", "publish"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.db.practice(&id).await.unwrap().unwrap().status.code(), "published");
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'practice' AND entity_id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert!(audited >= 8, "create, update and every step are audited: {audited}");

        // On the public board, without login, found by an inflected word.
        app.logout_locally();
        let board = app.get("/bacheca?q=integrazioni").await;
        assert_eq!(board.status, StatusCode::OK);
        assert!(board.body.contains(&format!("/bacheca/{id}")), "{}", board.body);
        let public = app.get(&format!("/bacheca/{id}")).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("property=\"og:title\" content=\"L&#39;integrazione dei nuovi arrivati\"") || public.body.contains("property=\"og:title\" content=\"L&#x27;integrazione dei nuovi arrivati\""), "{}", public.body);
        assert!(public.body.contains(&format!("/bacheca/{id}\">")), "canonical URL");
        let api = app.api_get("/api/v1/board/practices?q=citta", None).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let json = api.json();
        assert_eq!(json["total"], 1);
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["items", "more", "total"]);
        let item = &json["items"][0];
        for key in ["id", "title", "url", "snippet", "network", "year"] {
            assert!(item.get(key).is_some(), "{key}: {item}");
        }
        assert_eq!(item["network"], "Rete Adda");
        assert!(item["snippet"].as_str().unwrap().contains("<mark>città</mark>"), "{item}");
        // A practice that is not published is not on the board.
        let draft_id = app.db.practices(&Default::default(), reti_store::PageRequest::all()).await.unwrap().items.len();
        assert_eq!(draft_id, 1);
    }

    async fn the_search_ranks_folds_and_refuses_bad_queries(app: TestApp) {
        let ids = app.publish(&[
            practice("Sportello per l'integrazione", "Le integrazioni mancavano nella città."),
            practice("Doposcuola di quartiere", "I ragazzi restavano soli dopo la scuola, lontano dalla città."),
            practice("Orti condivisi", "Nessuna relazione tra vicini."),
        ]).await;
        let titles = |json: serde_json::Value| -> Vec<String> {
            json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect()
        };
        let found = app.api_get("/api/v1/board/practices?q=l%27integrazione", None).await;
        assert_eq!(titles(found.json()), ["Sportello per l'integrazione"]);
        let found = app.api_get("/api/v1/board/practices?q=citta", None).await;
        assert_eq!(found.json()["total"], 2);
        let found = app.api_get("/api/v1/board/practices?q=CITTÀ%20scuole", None).await;
        assert_eq!(titles(found.json()), ["Doposcuola di quartiere"]);
        let all = app.api_get("/api/v1/board/practices", None).await;
        assert_eq!(all.json()["total"], 3);
        // The board's export, for everyone: the import's shape, and the tables.
        let json = app.get("/bacheca/export/practices.json").await;
        assert_eq!(json.status, StatusCode::OK);
        let records: Vec<PracticeRecord> = serde_json::from_str(&json.body).unwrap();
        assert_eq!(records.len(), 3);
        assert!(records.iter().any(|r| r.title == "Orti condivisi" && r.municipalities == ["015146"]), "{}", json.body);
        let csv = app.get("/bacheca/export/practices.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("Orti condivisi"));
        assert_eq!(app.get("/bacheca/export/practices.xlsx").await.status, StatusCode::OK);
        assert_eq!(app.get("/bacheca/export/practices.exe").await.status, StatusCode::NOT_FOUND);
        let filtered = app.api_get("/api/v1/board/practices?year=2023&action_line=2&province=MI", None).await;
        assert_eq!(filtered.json()["total"], 3, "{}", filtered.body);
        let none = app.api_get("/api/v1/board/practices?year=2001", None).await;
        assert_eq!(none.json()["total"], 0);

        // More like this: the practices sharing its words.
        let page = app.get(&format!("/bacheca/{}", ids[0])).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("/bacheca/{}", ids[1])), "like this: {}", page.body);

        let long = "parola ".repeat(1_500);
        for bad in [long.as_str(), "?!... --- ;;", "'''"] {
            let query = serde_urlencoded::to_string([("q", bad)]).unwrap();
            let api = app.api_get(&format!("/api/v1/board/practices?{query}"), None).await;
            assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
            assert!(api.json()["error"]["fields"][0]["message"].as_str().unwrap().contains("ricerca"), "{}", api.body);
            let page = app.get(&format!("/bacheca?{query}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(page.body.contains("La ricerca"), "a clear message");
        }
    }

    async fn a_database_from_before_the_board_index_gets_it_at_start(app: TestApp) {
        app.publish(&[
            practice("Sportello per l'integrazione", "Le integrazioni mancavano nella città."),
            practice("Orti condivisi", "Nessuna relazione tra vicini."),
        ])
        .await;
        // What migration 0026 left on a database with published practices: empty index tables.
        for table in ["practice_terms", "practice_term_counts", "practice_facets"] {
            sqlx::query(&format!("DELETE FROM {table}")).execute(app.db.pool()).await.unwrap();
        }
        assert_eq!(app.api_get("/api/v1/board/practices?q=citta", None).await.json()["total"], 0);
        app.db.migrate().await.unwrap();
        assert_eq!(app.api_get("/api/v1/board/practices?q=citta", None).await.json()["total"], 1);
        let all = app.api_get("/api/v1/board/practices?province=MI", None).await;
        assert_eq!(all.json()["total"], 2, "{}", all.body);
        // Once in step, a start indexes nothing again (counts would double).
        assert_eq!(app.db.rebuild_board_index_if_stale().await.unwrap(), 0);
        assert_eq!(app.api_get("/api/v1/board/practices", None).await.json()["total"], 2);
    }

    async fn an_import_is_all_or_nothing_with_every_problem_named(app: TestApp) {
        let a = app.network("Rete Adda").create().await;
        let mut good = practice("Buona", "Problema.");
        good.network = Some("rete adda".into());
        let mut bad_place = practice("Senza luogo", "Problema.");
        bad_place.municipalities = vec!["Atlantide".into()];
        let mut incomplete = practice("Incompleta", "");
        incomplete.network = Some("Rete inesistente".into());
        let errors = app.db.prepare_practice_import(&[good.clone(), bad_place, incomplete], true).await.unwrap().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["practices[1].municipalities", "practices[2].network", "practices[2].problem"]);
        assert_eq!(app.db.practices(&Default::default(), reti_store::PageRequest::all()).await.unwrap().total, 0);
        let entries: Vec<PracticeImport> = app.db.prepare_practice_import(&[good], false).await.unwrap().unwrap();
        assert_eq!(entries[0].input.network_id.as_deref(), Some(a.id.as_str()));
        app.db.import_practices(&Actor::cli(), &entries, false).await.unwrap();
        assert_eq!(app.api_get("/api/v1/board/practices", None).await.json()["total"], 0, "drafts stay off the board");
        let exported = app.get("/bacheca/export/practices.json").await;
        assert_eq!(exported.status, StatusCode::OK);
        assert_eq!(exported.body.trim(), "[]", "nor are they in the board's export");
    }

    async fn no_field_of_a_practice_can_run_script_on_any_page(app: TestApp) {
        let a = app.network("Rete Adda").create().await;
        let corpus = XSS_CORPUS;
        let payload = corpus.join("\n\n");
        let mut hostile = practice(&format!("{} {}", corpus[8], corpus[9]), &payload);
        hostile.network = Some(a.id.clone());
        hostile.theme = corpus[1].to_owned();
        for text in [
            &mut hostile.context, &mut hostile.objectives, &mut hostile.target_group, &mut hostile.activities,
            &mut hostile.actors, &mut hostile.resources, &mut hostile.results, &mut hostile.innovation,
            &mut hostile.sustainability, &mut hostile.transferability, &mut hostile.lessons, &mut hostile.contacts,
        ] {
            *text = format!("integrazione {payload}");
        }
        let mut plain = practice("Vicina di casa", "integrazione alert");
        plain.network = Some(a.id.clone());
        let ids = app.publish(&[hostile, plain]).await;
        let member = app.user().on_network(&a.id, Role::NetworkMember).create().await;

        let mut pages = vec![
            format!("/bacheca/{}", ids[0]),
            format!("/bacheca/{}", ids[1]),
            "/bacheca".to_owned(),
            format!("/bacheca?{}", serde_urlencoded::to_string([("q", "integrazione alert")]).unwrap()),
            format!("/bacheca?{}", serde_urlencoded::to_string([("q", corpus[0])]).unwrap()),
        ];
        for path in &pages {
            assert_safe(path, &app.get(path).await.body);
        }
        app.login(&member.email).await;
        pages = vec![format!("/practices/{}", ids[0]), "/practices".to_owned()];
        for path in &pages {
            let page = app.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_safe(path, &page.body);
        }
        let api = app.api_get("/api/v1/board/practices?q=integrazione", None).await;
        for item in api.json()["items"].as_array().unwrap() {
            assert_safe("api snippet", item["snippet"].as_str().unwrap());
        }
    }
}

/// Script smuggled every way we know into text and Markdown: tags, handlers, script and data
/// URLs, SVG and MathML, broken markup, Markdown link tricks.
pub(crate) const XSS_CORPUS: [&str; 16] = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    "[clic](javascript:alert('x3'))",
    "[clic](JaVaScRiPt:alert('x4'))",
    "<a href=\"javascript:alert('x5')\">x</a>",
    "[dati](data:text/html;base64,PHNjcmlwdD5hbGVydCgneDYnKTwvc2NyaXB0Pg==)",
    "<svg onload=alert('x7')><circle/></svg>",
    "<scr<script>ipt>alert('x8')</script>",
    "\"><script>alert('x9')</script>",
    "'\" onmouseover=alert('x10') x='",
    "![img](x\" onerror=\"alert('x11'))",
    "[a](<javascript:alert('x12')>)",
    "<iframe src=\"javascript:alert('x13')\"></iframe>",
    "<math><mi xlink:href=\"javascript:alert('x14')\">x</mi></math>",
    "<div style=\"background:url(javascript:alert('x15'))\">x</div>",
    "[x]: javascript:alert('x16')\n\n[link][x]",
];

/// Every tag of the page's content is harmless: no script, frame, object or SVG, no event
/// handler, no script or data URL. Attribute values are taken out before looking for handlers,
/// so that escaped text inside a value (the search box echoing a query) does not count.
pub(crate) fn assert_safe(path: &str, html: &str) {
    let content = html.split("<main").nth(1).and_then(|rest| rest.split("</main>").next()).unwrap_or(html);
    let head = html.split("</head>").next().unwrap_or("");
    for tag in content.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or("")) {
        let lower = tag.to_lowercase();
        let name = lower.trim_start_matches('/').split([' ', '/', '\n']).next().unwrap_or("");
        assert!(
            !["script", "iframe", "object", "embed", "svg", "math", "style", "base", "form action"].contains(&name),
            "{path}: <{tag}>"
        );
        let mut outside_values = String::new();
        let mut quoted = false;
        for c in lower.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                outside_values.push(c);
            }
        }
        assert!(
            !outside_values.split_whitespace().any(|attribute| attribute.starts_with("on")),
            "{path}: handler in <{tag}>"
        );
        for attribute in ["href=\"", "src=\"", "action=\"", "xlink:href=\""] {
            for value in lower.split(attribute).skip(1) {
                let value = value.trim_start();
                assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:") && !value.starts_with("vbscript:"),
                    "{path}: {attribute} in <{tag}>"
                );
            }
        }
    }
    // The head's tags carry user text only inside quoted, escaped values.
    for meta in head.split("<meta").skip(1).map(|rest| rest.split('>').next().unwrap_or("")) {
        assert_eq!(meta.matches('"').count() % 2, 0, "{path}: <meta{meta}>");
        assert!(!meta.contains('<'), "{path}: <meta{meta}>");
    }
}

/// The search-quality set: (query, the title expected first).
fn quality_set() -> Vec<(&'static str, &'static str)> {
    include_str!("practices_queries.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split_once('\t').expect("query<TAB>title"))
        .collect()
}

app_tests! {
    async fn the_board_ranks_the_demo_as_a_person_expects(app: TestApp) {
        let mut records = reti_domain::practices::parse_import(include_bytes!("../../../cli/demo/practices.json")).unwrap();
        for record in &mut records {
            // The test programme has no demo networks; the practices stand without one.
            record.network = None;
        }
        app.publish(&records).await;
        let mut misses = Vec::new();
        for (query, expected) in quality_set() {
            let encoded = serde_urlencoded::to_string([("q", query)]).unwrap();
            let found = app.api_get(&format!("/api/v1/board/practices?{encoded}"), None).await.json();
            let first = found["items"][0]["title"].as_str().unwrap_or("(nothing)").to_owned();
            if first != expected {
                misses.push(format!("{query:?}: expected {expected:?}, got {first:?}"));
            }
        }
        assert!(misses.is_empty(), "{misses:#?}");
    }
}

/// The statements a page costs once warm.
async fn statements(app: &TestApp, path: &str) -> u64 {
    assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    let before = app.db.statements();
    assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    app.db.statements() - before
}

app_tests! {
    async fn the_board_pages_cost_a_fixed_number_of_statements(app: TestApp) {
        let a = app.network("Rete Adda").create().await;
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let batch = |n: usize| -> Vec<PracticeRecord> {
            (0..n)
                .map(|i| {
                    let mut r = practice(&format!("Sportello {i}"), "Integrazione nella città.");
                    r.network = Some(a.id.clone());
                    r
                })
                .collect()
        };
        let ids = app.publish(&batch(3)).await;
        let pages = [
            "/bacheca".to_owned(),
            "/bacheca?q=integrazione&province=MI".to_owned(),
            format!("/bacheca/{}", ids[0]),
            "/api/v1/board/practices?q=citta".to_owned(),
        ];
        let mut small = Vec::new();
        for path in &pages {
            small.push(statements(&app, path).await);
        }
        app.login(&coordinator.email).await;
        let app_small = statements(&app, "/practices").await;
        app.logout_locally();
        app.publish(&batch(12)).await;
        for (path, before) in pages.iter().zip(&small) {
            let after = statements(&app, path).await;
            assert_eq!(after, *before, "{path}: a statement per row?");
            assert!(after <= 9, "{path}: {after} statements");
        }
        app.login(&coordinator.email).await;
        assert_eq!(statements(&app, "/practices").await, app_small);
    }
}

/// A deterministic mix of words: practice `i` of a synthetic catalogue.
fn synthetic(i: usize) -> PracticeRecord {
    const WORDS: [&str; 12] = [
        "integrazione",
        "città",
        "sportello",
        "scuola",
        "lavoro",
        "famiglie",
        "giovani",
        "radio",
        "orti",
        "casa",
        "salute",
        "biblioteca",
    ];
    let word = |k: usize| WORDS[(i * 7 + k * 5 + i / 3) % WORDS.len()];
    let mut r =
        practice(&format!("{} {} {i}", word(0), word(1)), &(0..(i % 9) + 2).map(word).collect::<Vec<_>>().join(" "));
    r.results = (0..(i % 4) + 1).map(|k| word(k + 3)).collect::<Vec<_>>().join(" e ");
    r
}

app_tests! {
    async fn the_board_reads_the_best_first_and_ranks_as_scoring_every_match(app: TestApp) {
        // More practices than the first pass reads for a page (4 × 20), with many ties.
        let records: Vec<PracticeRecord> = (0..1_010).map(synthetic).collect();
        app.publish(&records).await;
        // Every published practice scored whole, from the stored terms: the reference ranking.
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, search_title, search_body FROM practices WHERE status = 'published'")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        let weights: Vec<(String, Vec<(String, f64)>)> =
            rows.iter().map(|(id, t, b)| (id.clone(), reti_domain::search::term_weights(t, b))).collect();
        for q in ["radio", "integrazione città", "orti casa salute", "scuola lavoro"] {
            let query = reti_domain::search::Query::parse(q).unwrap().unwrap();
            let df = |term: &str| weights.iter().filter(|(_, w)| w.iter().any(|(t, _)| t == term)).count() as i64;
            let idfs: Vec<f64> = query.terms.iter().map(|t| reti_domain::search::idf(rows.len() as i64, df(t))).collect();
            let mut expected: Vec<(f64, String)> = weights
                .iter()
                .filter_map(|(id, w)| {
                    let mut score = 0.0;
                    for (term, idf) in query.terms.iter().zip(&idfs) {
                        score += idf * w.iter().find(|(t, _)| t == term)?.1;
                    }
                    Some((score, id.clone()))
                })
                .collect();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            for page in [1, 3] {
                let encoded = serde_urlencoded::to_string([("q", q)]).unwrap();
                let json = app.api_get(&format!("/api/v1/board/practices?{encoded}&page={page}"), None).await.json();
                let got: Vec<String> =
                    json["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
                let want: Vec<String> = expected.iter().skip((page - 1) * 20).take(20).map(|(_, id)| id.clone()).collect();
                assert_eq!(got, want, "{q}, page {page}");
                let total = json["total"].as_i64().unwrap();
                assert_eq!(total, (expected.len() as i64).min(1_000), "{q}");
                assert_eq!(json["more"], expected.len() > 1_000, "{q}");
            }
        }
        // Past the cap, the list says "more than 1,000".
        let all = app.api_get("/api/v1/board/practices?action_line=2", None).await.json();
        assert_eq!((all["total"].as_i64(), all["more"].as_bool()), (Some(1_000), Some(true)));
        let page = app.get("/bacheca?action_line=2").await;
        assert!(page.body.contains("Più di 1000 esperienze trovate"), "{}", page.body);
    }
}

app_tests! {
    async fn the_network_filter_lists_the_networks_with_most_practices_and_the_one_chosen(app: TestApp) {
        let choices = reti_store::practices::BOARD_NETWORK_CHOICES;
        let (mut records, mut networks) = (Vec::new(), Vec::new());
        for n in 0..=choices {
            let name = format!("Rete {n:03}");
            networks.push(app.network(&name).create().await);
            records.push(PracticeRecord { network: Some(name.clone()), ..practice(&format!("Pratica di {name}"), "Un problema.") });
        }
        records.push(PracticeRecord { network: Some("Rete 000".into()), ..practice("Seconda pratica", "Un altro problema.") });
        app.publish(&records).await;

        let listed = app.db.board_facets(None).await.unwrap().networks;
        assert_eq!(listed.len(), choices, "the cap, not every network");
        assert!(listed.iter().any(|(_, name)| name == "Rete 000"), "the network with most practices is listed");
        let mut sorted = listed.clone();
        sorted.sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(sorted, listed, "by name");

        let left_out = networks.iter().find(|n| !listed.iter().any(|(id, _)| *id == n.id)).expect("one left out");
        let chosen = app.db.board_facets(Some(&left_out.id)).await.unwrap().networks;
        assert_eq!(chosen.len(), choices + 1);
        let page = app.get(&format!("/bacheca?network={}", left_out.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("value=\"{}\" selected", left_out.id)), "the chosen network stays chosen");
        assert!(page.body.contains(&format!("Pratica di {}", left_out.name)));
    }
}
