//! Editions for the tests and the benchmark: a normal one, one with every awkward thing a
//! practice may hold, and a synthetic one of any size.

use reti_publish::{Chapter, Edition, Labels, PracticeDoc, PracticeTexts};
use std::collections::HashMap;

/// The e-book's words as the web application gives them: read from `locales/LANG/*.ftl`, where
/// every message [`Labels`] needs is one line without arguments.
pub fn labels(lang: &str) -> Labels {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales").join(lang);
    let mut messages = HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((key, value)) = line.split_once(" = ") {
                messages.insert(key.to_owned(), value.to_owned());
            }
        }
    }
    Labels::from_lookup(|key| messages.get(key).cloned().unwrap_or_else(|| panic!("{key} is not in locales/{lang}")))
}

pub fn edition(chapters: Vec<Chapter>) -> Edition {
    Edition {
        identifier: uuid::Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001),
        modified: time::macros::datetime!(2026-11-27 10:00 UTC),
        title: "Buone pratiche 2026".into(),
        subtitle: Some("Reti per l'integrazione".into()),
        year: 2026,
        editors: vec!["Giulia Rossi".into(), "فاطمة الزهراء".into()],
        licence: "CC BY 4.0".into(),
        introduction_markdown: "Questa raccolta presenta le **buone pratiche** delle reti.".into(),
        english_summary_markdown: "This collection presents the networks' **good practices**.".into(),
        cover: None,
        chapters,
        labels: labels("it"),
    }
}

pub fn texts(fill: &str) -> PracticeTexts {
    PracticeTexts {
        context: format!("Contesto: {fill}"),
        problem: "Accesso difficile ai servizi.".into(),
        objectives: "- orientare\n- accompagnare".into(),
        target_group: "Donne e uomini neoarrivati.".into(),
        activities: "1. accoglienza\n2. sportello".into(),
        actors: "Comune, associazioni".into(),
        resources: "10.000 €".into(),
        results: "120 persone accompagnate".into(),
        innovation: String::new(),
        sustainability: String::new(),
        transferability: "Replicabile".into(),
        lessons: String::new(),
        contacts: "[Sito](https://example.org) e <info@example.org>".into(),
    }
}

pub fn normal() -> Edition {
    let practice = |n: usize| PracticeDoc {
        title: format!("Sportello di orientamento {n}"),
        network: Some(format!("Rete {}", n % 2 + 1)),
        territories: vec!["Milano".into(), "Cantù".into()],
        action_line: Some(1),
        theme: "Orientamento".into(),
        year: Some(2025),
        texts: texts("un territorio con molti servizi"),
    };
    edition(vec![
        Chapter {
            title: "Linea 1 — Accoglienza".into(),
            introduction_markdown: "Pratiche di accoglienza.".into(),
            practices: (1..=3).map(practice).collect(),
        },
        Chapter {
            title: "Linea 2 — Lavoro".into(),
            introduction_markdown: String::new(),
            practices: (4..=5).map(practice).collect(),
        },
    ])
}

/// A title made of every character typst markup gives a meaning to.
pub const TYPST_HOSTILE: &str =
    "Pratica #set $x$ *forte* _enfasi_ [a] \\ <etichetta> @rif `codice` = - + / ~ \"q\" 'a'";

pub fn awkward() -> Edition {
    let long_word = "a".repeat(300);
    let long_url = format!("https://example.org/{}?q={}", "percorso/".repeat(30), "x".repeat(100));
    let table = std::iter::once("| Comune | Persone | Note |\n|---|---:|---|".to_string())
        .chain((1..=200).map(|i| format!("| Comune {i} | {i} | riga & <nota> \"{i}\" |")))
        .collect::<Vec<_>>()
        .join("\n");
    let mut t = PracticeTexts {
        context: format!("Parola lunga: {long_word}\n\nIndirizzo: <{long_url}> e [link]({long_url}).\n\n{table}"),
        problem: "Elenco:\n\n- primo\n  - annidato\n    1. più annidato\n       - ancora 🌍\n- secondo 🎉👩‍👩‍👧".into(),
        objectives: "Testo con nota[^1] e un'altra[^due] e una mancante[^x].\n\n[^1]: Prima nota con *enfasi*.\n\n[^due]: Seconda nota.\n    Con un [link](https://example.org).".into(),
        target_group: "# Titolo nel testo\n\n## Sottotitolo\n\n<script>alert(1)</script> <b onclick=x>raw</b> &amp; &copy; \u{1}controllo".into(),
        activities: "```\ncodice <xml> & \"citato\"\n```\n\n> citazione\n\n![immagine](https://example.org/i.png) [rel](pagina.html) [js](javascript:alert(1))\n\n---".into(),
        ..Default::default()
    };
    t.contacts = "Tel. +39 000".into();
    let rtl = PracticeDoc {
        title: "مركز الاستقبال — Centro d'accoglienza".into(),
        network: Some("شبكة الأمل".into()),
        territories: vec!["الرباط".into(), "Palermo".into()],
        action_line: Some(2),
        theme: "Accoglienza".into(),
        year: Some(2024),
        texts: t,
    };
    let chinese = PracticeDoc {
        title: "中文学习小组 🌏".into(),
        network: Some("华人社区网络 & <amici>".into()),
        territories: vec!["Prato".into()],
        action_line: None,
        theme: String::new(),
        year: None,
        texts: PracticeTexts { context: "只有背景。".into(), ..Default::default() },
    };
    let hostile = PracticeDoc {
        title: TYPST_HOSTILE.into(),
        network: Some("Rete #1 [prova]".into()),
        territories: vec!["Forlì-Cesena".into()],
        texts: PracticeTexts {
            context: format!("{TYPST_HOSTILE}\n\n#pagebreak() #{{panic()}} $ a^2 $ = Titolo\n\n<c1-p1> @c1-p1"),
            results: "L'efficacia dell'affidamento e la fiducia: ﬁ, ffi, ffl; l’accoglienza è più ".to_string()
                + "forte perché c’è “qualità”.",
            ..Default::default()
        },
        ..Default::default()
    };
    let empty = PracticeDoc { title: "Pratica senza testo \"vuota\" <b>".into(), ..Default::default() };
    edition(vec![
        Chapter {
            title: "Capitolo <uno> & \"due\" 🎯".into(),
            introduction_markdown: "Intro con nota[^a].\n\n[^a]: Nota del capitolo.".into(),
            practices: vec![rtl, chinese, hostile, empty],
        },
        Chapter { title: "Capitolo vuoto".into(), introduction_markdown: String::new(), practices: Vec::new() },
    ])
}

/// `count` practices in chapters of 50, each with every section filled with a few paragraphs
/// of Italian text, a list, a small table and a footnote.
pub fn synthetic(count: usize) -> Edition {
    let networks = ["Rete Alfa", "Rete Beta", "Rete Gamma", "Rete Delta", "Rete Epsilon"];
    let towns = ["Milano", "Cantù", "Forlì", "Città di Castello", "Sant'Agata", "Palermo", "Aosta", "Bolzano"];
    let paragraph = |n: usize, what: &str| {
        format!(
            "Nel {what} della pratica {n} la rete ha coinvolto servizi sociali, scuole e associazioni del territorio, \
con un'attenzione particolare alle famiglie più fragili e all'efficacia degli interventi. \
Le attività si sono svolte tra settembre e giugno, con incontri settimanali e un tavolo di coordinamento mensile.\n\n\
Gli operatori hanno documentato ogni passaggio; la valutazione finale è stata condivisa con i partecipanti[^n]."
        )
    };
    let practice = |n: usize| PracticeDoc {
        title: format!("Pratica {n}: sportello di comunità per l’orientamento"),
        network: Some(networks[n % networks.len()].into()),
        territories: vec![towns[n % towns.len()].into(), towns[(n * 3 + 1) % towns.len()].into()],
        action_line: Some((n % 4 + 1) as i64),
        theme: "Inclusione".into(),
        year: Some(2020 + (n % 6) as i64),
        texts: PracticeTexts {
            context: format!("{}\n\n[^n]: Relazione di valutazione, {n}.", paragraph(n, "contesto")),
            problem: paragraph(n, "problema"),
            objectives:
                "- orientare le persone ai servizi\n- accompagnare le famiglie\n  - con un tutor\n  - con un mediatore"
                    .into(),
            target_group: "Famiglie con minori, persone neoarrivate, giovani tra 16 e 25 anni.".into(),
            activities: paragraph(n, "corso delle attività"),
            actors: "Comune, ASL, scuole, associazioni di volontariato.".into(),
            resources: "| Voce | Euro |\n|---|---:|\n| Personale | 12.000 |\n| Materiali | 1.500 |".into(),
            results: paragraph(n, "bilancio dei risultati"),
            innovation: "L'uso di un *diario condiviso* tra gli operatori.".into(),
            sustainability: "Il Comune ha inserito lo sportello nel piano di zona.".into(),
            transferability: "Replicabile in comuni tra 10.000 e 50.000 abitanti.".into(),
            lessons: "Serve tempo per costruire fiducia.".into(),
            contacts: format!("[Sito della rete](https://example.org/pratiche/{n})"),
        },
    };
    let chapters = (0..count.div_ceil(50))
        .map(|c| Chapter {
            title: format!("Capitolo {}: linea d’azione {}", c + 1, c % 4 + 1),
            introduction_markdown: "Le pratiche di questo capitolo mostrano come le reti accompagnano le persone."
                .into(),
            practices: (c * 50 + 1..=count.min(c * 50 + 50)).map(practice).collect(),
        })
        .collect();
    edition(chapters)
}
