//! The funder report (decision 0045) on both engines: asked for from the programme's dashboard or
//! the API, built by the job queue, downloaded as a PDF whose text (read back by poppler's
//! `pdftotext` when installed) has the figures, the targets and the networks' names; a report
//! prints only what its requester sees and is served only to those who see all of it; the
//! dashboard shows the share of networks with a funded sustainability plan. A report asked for in
//! English (decision 0058) has English words, figures and dates only.

use crate::app_tests;
use axum::http::{Method, StatusCode};
use reti_domain::Role;
use reti_domain::indicators::{Indicator, Period, TargetInput};
use reti_store::Actor;
use std::process::Command;

/// The PDF's text with every run of white space made one space; `None` without poppler.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "pdftotext is not installed: under CI it must be");
        eprintln!("SKIPPED: pdftotext is not installed (apt-get install poppler-utils)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapporto.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" "))
}

fn this_year() -> String {
    reti_domain::meetings::today_in_rome().year().to_string()
}

app_tests! {
    async fn a_report_is_built_by_the_queue_and_downloaded_by_whoever_sees_it(app: TestApp) {
        let lead = app.organisation("Comune di Lecco", "00623530136").await;
        app.network("Rete Adda").lead(&lead).create().await;
        let brembo = app.network("Rete Brembo").create().await;
        let year = this_year();
        let period = Period::parse("period", &year).unwrap();
        let target = TargetInput { indicator: Indicator::MemberOrganisations, period, value: 7.0 };
        app.db.set_indicator_target(&Actor::cli(), &app.programme_id, None, &target).await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let member = app.user().role(Role::NetworkMember).on_network(&brembo.id, Role::NetworkMember).create().await;
        let dashboard = format!("/programmes/{}/indicators?period={year}", app.programme_id);

        app.login(&coordinator.email).await;
        let page = app.get(&dashboard).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"funder-report-request\"") && page.body.contains("id=\"funded-plan-share\""));
        assert!(page.body.contains("Reti con un piano di sostenibilità finanziato: 0 su 2 (0 %)"), "{}", page.body);
        let asked = app.post(&format!("/programmes/{}/indicators/reports", app.programme_id), &[("funder_period", &year)]).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        let reports = app.db.funder_reports(&app.programme_id).await.unwrap();
        assert_eq!(reports.len(), 1);
        let report = reports[0].clone();
        assert!(report.network_ids.is_none(), "the coordination's report is the whole programme's");
        let queued = app.get(&dashboard).await;
        assert!(queued.body.contains("In coda") && queued.body.contains(&format!("data-report=\"{}\"", report.id)), "{}", queued.body);
        let download = format!("/programmes/{}/indicators/reports/{}", app.programme_id, report.id);
        assert_eq!(app.get(&download).await.status, StatusCode::NOT_FOUND, "not built yet");

        assert!(app.run_jobs().await >= 1);
        let built = app.get(&dashboard).await;
        assert!(built.body.contains(&format!("href=\"{download}\"")), "{}", built.body);
        let pdf = app.get(&download).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.headers["content-type"], "application/pdf");
        assert!(pdf.headers["content-disposition"].to_str().unwrap().contains(&format!("rapporto-prog-2463-{year}.pdf")));
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&pdf.bytes) {
            for expected in [
                "Rapporto per il finanziatore",
                "LAB'IMPACT",
                &format!("Periodo: {year}"),
                "Rete Adda",
                "Rete Brembo",
                "Enti membri",
                "Reti con un piano di sostenibilità finanziato: 0 su 2 (0 %)",
            ] {
                assert!(text.contains(expected), "{expected:?} is not in the report:\n{text}");
            }
            // The programme's figure (Adda's lead) against its target of 7, in the table and the chart.
            assert!(text.contains("1 7"), "{text}");
            assert!(text.replace(' ', "").contains("1/7"), "{text}");
        }

        // A member of Brembo sees neither the whole programme's report nor Adda in their own.
        app.login(&member.email).await;
        assert_eq!(app.get(&download).await.status, StatusCode::FORBIDDEN);
        let theirs = app.get(&dashboard).await;
        assert!(!theirs.body.contains(&report.id), "the coordination's report is not listed");
        app.post(&format!("/programmes/{}/indicators/reports", app.programme_id), &[("funder_period", &year)]).await;
        app.run_jobs().await;
        let own = app.db.funder_reports(&app.programme_id).await.unwrap().into_iter().find(|r| r.id != report.id).unwrap();
        assert_eq!(own.network_ids, Some(vec![brembo.id.clone()]));
        let own_pdf = app.get(&format!("/programmes/{}/indicators/reports/{}", app.programme_id, own.id)).await;
        assert_eq!(own_pdf.status, StatusCode::OK);
        if let Some(text) = pdf_text(&own_pdf.bytes) {
            assert!(text.contains("Rete Brembo") && !text.contains("Rete Adda"), "{text}");
        }
        let bad = app.post(&format!("/programmes/{}/indicators/reports", app.programme_id), &[("funder_period", "2026-Q9")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Another programme's coordinator reads neither, through this programme or their own.
        let other = app.programme("ALTRO-1", "Altro programma").await;
        let stranger = app.user().role_in(&other, Role::Coordinator).create().await;
        app.login(&stranger.email).await;
        assert_eq!(app.get(&download).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/programmes/{other}/indicators/reports/{}", report.id)).await.status, StatusCode::NOT_FOUND);
        let refused = app.post(&format!("/programmes/{}/indicators/reports", app.programme_id), &[("funder_period", &year)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // The coordination sees every report, and a failed one says why.
        app.login(&coordinator.email).await;
        assert_eq!(app.get(&format!("/programmes/{}/indicators/reports/{}", app.programme_id, own.id)).await.status, StatusCode::OK);
        app.post(&format!("/programmes/{}/indicators/reports", app.programme_id), &[("funder_period", &year)]).await;
        let failing = app.db.funder_reports(&app.programme_id).await.unwrap().remove(0);
        app.db.fail_funder_report(&failing.id, "typesetting the report failed: no fonts").await.unwrap();
        let page = app.get(&dashboard).await;
        assert!(page.body.contains("typesetting the report failed: no fonts") && page.body.contains("Non riuscito"), "{}", page.body);
    }

    async fn the_api_asks_for_a_report_follows_it_and_downloads_it(app: TestApp) {
        app.network("Rete Adda").create().await;
        let brembo = app.network("Rete Brembo").create().await;
        let year = this_year();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let member = app.user().role(Role::NetworkMember).on_network(&brembo.id, Role::NetworkMember).create().await;
        let token = app.token_for(&coordinator).await;
        let member_token = app.token_for(&member).await;

        let body = serde_json::json!({"programme": app.programme_id, "period": year});
        let asked = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&token), body.clone()).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.body);
        let id = asked.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(asked.json()["status"], "queued");
        assert!(asked.json()["download_url"].is_null());
        app.run_jobs().await;
        let done = app.api_get(&format!("/api/v1/indicators/reports/{id}"), Some(&token)).await;
        assert_eq!(done.status, StatusCode::OK);
        assert_eq!(done.json()["status"], "done");
        let url = done.json()["download_url"].as_str().unwrap().to_owned();
        assert!(url.ends_with(&format!("/api/v1/indicators/reports/{id}/file")), "{url}");
        let file = app.api_get(&format!("/api/v1/indicators/reports/{id}/file"), Some(&token)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.bytes.starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&file.bytes) {
            assert!(text.contains("Rete Adda") && text.contains("Rete Brembo"), "{text}");
        }

        assert_eq!(app.api_get(&format!("/api/v1/indicators/reports/{id}"), Some(&member_token)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api_get(&format!("/api/v1/indicators/reports/{id}/file"), Some(&member_token)).await.status, StatusCode::FORBIDDEN);
        let mine = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&member_token), body).await;
        assert_eq!(mine.status, StatusCode::ACCEPTED);
        assert_eq!(mine.json()["network_ids"], serde_json::json!([brembo.id]));
        let bad = serde_json::json!({"programme": app.programme_id, "period": "2026-13"});
        let refused = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&token), bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("\"period\""), "{}", refused.body);
        assert_eq!(app.api_get("/api/v1/indicators/reports/nessuno", Some(&token)).await.status, StatusCode::NOT_FOUND);
    }

    async fn an_english_report_has_english_words_numbers_and_dates_only(app: TestApp) {
        app.network("Rete Adda").create().await;
        app.network("Rete Brembo").create().await;
        let year = this_year();
        let period = Period::parse("period", &year).unwrap();
        let target = TargetInput { indicator: Indicator::MemberOrganisations, period, value: 1234.0 };
        app.db.set_indicator_target(&Actor::cli(), &app.programme_id, None, &target).await.unwrap();
        let coordinator = app.user().role(Role::Coordinator).create().await;
        let token = app.token_for(&coordinator).await;
        let api = format!("/api/v1/programmes/{}/indicators/custom", app.programme_id);
        let made = app.api_send(Method::POST, &api, Some(&token), serde_json::json!({"code": "ore_volontari", "label_it": "Ore dei volontari", "label_en": "Volunteer hours", "unit": "hours"})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let typed = app.api_send(Method::POST, &format!("{api}/ore_volontari/values"), Some(&token), serde_json::json!({"period": year, "value": 1234.5})).await;
        assert_eq!(typed.status, StatusCode::CREATED, "{}", typed.body);

        // The dashboard's form offers the language, Italian first.
        app.login(&coordinator.email).await;
        let dashboard = format!("/programmes/{}/indicators?period={year}", app.programme_id);
        let page = app.get(&dashboard).await;
        assert!(page.body.contains("<label class=\"form-label fw-semibold\" for=\"funder_language\">Lingua del rapporto</label>"), "{}", page.body);
        assert!(page.body.contains("<option value=\"it\" selected>Italiano</option><option value=\"en\">Inglese</option>"), "{}", page.body);
        let reports = format!("/programmes/{}/indicators/reports", app.programme_id);
        let refused = app.post(&reports, &[("funder_period", &year), ("funder_language", "fr")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(app.db.funder_reports(&app.programme_id).await.unwrap().is_empty());
        let asked = app.post(&reports, &[("funder_period", &year), ("funder_language", "en")]).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        let report = app.db.funder_reports(&app.programme_id).await.unwrap().remove(0);
        assert_eq!(report.locale, reti_domain::Locale::En);
        app.run_jobs().await;
        let listed = app.get(&dashboard).await;
        assert!(listed.body.contains("<td>Inglese</td>"), "{}", listed.body);
        let pdf = app.get(&format!("{reports}/{}", report.id)).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.headers["content-disposition"].to_str().unwrap().contains(&format!("report-prog-2463-{year}.pdf")));
        if let Some(text) = pdf_text(&pdf.bytes) {
            for expected in [
                "Report for the funder",
                &format!("Period: {year}"),
                "Contents",
                "Summary",
                "Networks with a funded sustainability plan: 0 out of 2 (0%)",
                "Member organisations",
                "Volunteer hours",
                "Typefaces: Noto Serif",
                "The networks",
                // Figures as English writes them: the custom value, the target (table and chart).
                "1,234.50",
                "1,234",
            ] {
                assert!(text.contains(expected), "{expected:?} is not in the English report:\n{text}");
            }
            assert!(text.replace(' ', "").contains("0/1,234"), "the chart's figure against its target: {text}");
            let today = reti_domain::meetings::today_in_rome();
            let built = format!("Generated on {} {} {}, ", today.day(), today.month(), today.year());
            assert!(text.contains(&built), "{built:?}: the date as English writes it:\n{text}");
            // No fixed Italian text: none of the Italian words of the report's keys, nor the Italian labels.
            let it = reti_web::i18n::Translator::new(reti_domain::Locale::It);
            let en = reti_web::i18n::Translator::new(reti_domain::Locale::En);
            let mut keys: Vec<String> = [
                "funder-report-title", "funder-report-contents", "funder-report-summary", "funder-report-indicators",
                "funder-report-networks", "funder-report-column-outcome", "funder-report-target-legend",
                "indicators-column-indicator", "indicators-column-value", "indicators-column-target", "indicators-charts",
                "indicators-column-quarter", "indicators-target-met", "indicators-target-missed", "indicators-story-none",
            ]
            .into_iter()
            .map(str::to_owned)
            .collect();
            keys.extend(Indicator::ALL.iter().map(|i| i.label_key()));
            for key in &keys {
                let italian = it.t(key);
                if italian != en.t(key) {
                    assert!(!text.contains(&italian), "{italian:?} ({key}) is in the English report:\n{text}");
                }
            }
            for italian in ["Periodo", "Generato il", "Caratteri", "Reti con un piano", "Ore dei volontari", "per trimestre", "1.234"] {
                assert!(!text.contains(italian), "{italian:?} is in the English report:\n{text}");
            }
        }

        // The API asks for one in English and says so; another language is named as the field's fault.
        let body = serde_json::json!({"programme": app.programme_id, "period": year, "language": "en"});
        let asked = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&token), body).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.body);
        assert_eq!(asked.json()["language"], "en");
        let italian = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&token), serde_json::json!({"programme": app.programme_id, "period": year})).await;
        assert_eq!(italian.json()["language"], "it", "Italian by default");
        let bad = app.api_send(Method::POST, "/api/v1/indicators/reports", Some(&token), serde_json::json!({"programme": app.programme_id, "period": year, "language": "de"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("\"language\""), "{}", bad.body);

        // The Italian report writes the same figures the Italian way, with the custom indicator.
        app.run_jobs().await;
        let italian = app.db.funder_reports(&app.programme_id).await.unwrap().into_iter().find(|r| r.locale == reti_domain::Locale::It).unwrap();
        let pdf = app.get(&format!("{reports}/{}", italian.id)).await;
        assert!(pdf.headers["content-disposition"].to_str().unwrap().contains(&format!("rapporto-prog-2463-{year}.pdf")));
        if let Some(text) = pdf_text(&pdf.bytes) {
            for expected in ["Rapporto per il finanziatore", "Ore dei volontari", "1.234,50", "(0 %)"] {
                assert!(text.contains(expected), "{expected:?} is not in the Italian report:\n{text}");
            }
            assert!(text.replace(' ', "").contains("0/1.234"), "{text}");
        }
    }
}
