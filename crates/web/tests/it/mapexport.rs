//! The actor map as a graph file (issue 9): `/networks/{id}/map.gexf` and `.graphml`, on both
//! engines. Each file is read back with an XML parser: the network's organisations with their
//! name, kind, member or context actor and resources, its relations with their kind, strength and
//! start; the download's type and name; another network's person is refused.

use crate::app_tests;
use crate::harness::TestApp;
use axum::http::{StatusCode, header};
use reti_domain::actor_map::{RelationInput, RelationKind};
use reti_domain::{OrganisationKind, Role, TaxCode};
use reti_store::Actor;
use reti_store::registry::organisations::OrganisationInput;
use std::collections::HashMap;

const FILES: [(&str, &str); 2] = [("gexf", "application/gexf+xml"), ("graphml", "application/graphml+xml")];

/// A municipality with a resource, named with characters XML must escape; returns its id.
async fn municipality(app: &TestApp) -> String {
    let input = OrganisationInput {
        name: "Comune & Servizi «sociali»".into(),
        kind: OrganisationKind::Municipality,
        tax_code: TaxCode::parse("01199250158").unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: None,
        phone: String::new(),
        website: String::new(),
        resources: vec!["Mediazione linguistica".into()],
    };
    app.db.create_organisation(&Actor::cli(), &input).await.unwrap().id
}

async fn relation(
    app: &TestApp,
    network_id: &str,
    pair: (&str, &str),
    kind: RelationKind,
    strength: u8,
    since: Option<time::Date>,
) {
    let input = RelationInput {
        organisation_a: pair.0.to_owned(),
        organisation_b: pair.1.to_owned(),
        kind,
        strength,
        since,
        note: String::new(),
    };
    app.db.map_add_relation(&Actor::cli(), network_id, &input).await.unwrap();
}

/// An element of an XML file: its name, attributes, text, and the element it is in.
struct Element {
    name: String,
    attributes: HashMap<String, String>,
    text: String,
    parent: Option<usize>,
}

impl Element {
    fn attribute(&self, name: &str) -> String {
        self.attributes.get(name).cloned().unwrap_or_default()
    }
}

/// Every element of `xml` in document order; panics unless the file is well-formed.
fn elements(xml: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    fn element(start: &BytesStart<'_>, parent: Option<usize>) -> Element {
        let attributes = start
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("an escaped value");
                (a.key.0.to_owned(), value.into_owned())
            })
            .collect();
        Element { name: start.name().0.to_owned(), attributes, text: String::new(), parent }
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(start) => {
                found.push(element(&start, open.last().copied()));
                open.push(found.len() - 1);
            }
            Event::Empty(start) => found.push(element(&start, open.last().copied())),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(text) => {
                if let Some(&i) = open.last() {
                    found[i].text.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(&i) = open.last() {
                    let entity = format!("&{};", reference.xml10_content());
                    found[i].text.push_str(&quick_xml::escape::unescape(&entity).expect("a known entity"));
                }
            }
            _ => {}
        }
    }
    found
}

/// A node or an edge with its values by attribute name (`label` and `weight` included).
struct Item {
    id: String,
    ends: [String; 2],
    values: HashMap<String, String>,
}

/// The nodes and edges of a GEXF or GraphML file.
fn graph(xml: &str) -> (Vec<Item>, Vec<Item>) {
    let elements = elements(xml);
    // Attribute names by (node or edge, id): GEXF's <attribute> in <attributes class>, GraphML's <key for>.
    let mut names: HashMap<(String, String), String> = HashMap::new();
    for e in &elements {
        match e.name.as_str() {
            "attribute" => {
                let class = elements[e.parent.unwrap()].attribute("class");
                names.insert((class, e.attribute("id")), e.attribute("title"));
            }
            "key" => {
                names.insert((e.attribute("for"), e.attribute("id")), e.attribute("attr.name"));
            }
            _ => {}
        }
    }
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    for (i, item) in elements.iter().enumerate().filter(|(_, e)| e.name == "node" || e.name == "edge") {
        let mut values: HashMap<String, String> = ["label", "weight"]
            .into_iter()
            .filter(|a| item.attributes.contains_key(*a))
            .map(|a| (a.to_owned(), item.attribute(a)))
            .collect();
        for value in &elements {
            // GEXF: <attvalue> in <attvalues> in the item; GraphML: <data> in the item.
            let (owner, key, text) = match value.name.as_str() {
                "attvalue" => {
                    (value.parent.and_then(|p| elements[p].parent), value.attribute("for"), value.attribute("value"))
                }
                "data" => (value.parent, value.attribute("key"), value.text.clone()),
                _ => continue,
            };
            if owner == Some(i) {
                let name = names.get(&(item.name.clone(), key.clone())).cloned().unwrap_or(key);
                values.insert(name, text);
            }
        }
        let parsed =
            Item { id: item.attribute("id"), ends: [item.attribute("source"), item.attribute("target")], values };
        if item.name == "node" { nodes.push(parsed) } else { edges.push(parsed) }
    }
    (nodes, edges)
}

app_tests! {
    async fn the_map_downloads_as_gexf_and_graphml_to_whoever_sees_it(app: TestApp) {
        let lead = app.organisation("Cooperativa Alfa", "00743110157").await;
        let network = app.network("Rete Alfa").lead(&lead).create().await;
        let comune = municipality(&app).await;
        app.db.map_add_actor(&Actor::cli(), &network.id, &comune).await.unwrap();
        let started = time::macros::date!(2024 - 03 - 01);
        relation(&app, &network.id, (&lead, &comune), RelationKind::Collaboration, 2, Some(started)).await;
        relation(&app, &network.id, (&lead, &comune), RelationKind::InformationExchange, 3, None).await;
        let beta_lead = app.organisation("Associazione Beta", "01234567897").await;
        let beta = app.network("Rete Beta").lead(&beta_lead).create().await;
        let member = app.user().on_network(&network.id, Role::NetworkMember).create().await;
        let stranger = app.user().on_network(&beta.id, Role::NetworkMember).create().await;
        let map = format!("/networks/{}/map", network.id);

        app.login(&member.email).await;
        let page = app.get(&map).await;
        for (extension, _) in FILES {
            assert!(page.body.contains(&format!("href=\"{map}.{extension}\" download")), "the map page links its {extension}");
        }
        for (extension, content_type) in FILES {
            let file = app.get(&format!("{map}.{extension}")).await;
            assert_eq!(file.status, StatusCode::OK, "{}", file.body);
            assert_eq!(file.headers[header::CONTENT_TYPE], content_type);
            let disposition = format!("attachment; filename=\"mappa-{}.{extension}\"", network.id);
            assert_eq!(file.headers[header::CONTENT_DISPOSITION], disposition.as_str());
            let (nodes, edges) = graph(&file.body);
            let mut ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
            ids.sort_unstable();
            let mut expected = [lead.as_str(), comune.as_str()];
            expected.sort_unstable();
            assert_eq!(ids, expected, "{extension}: the network's organisations, and only them");
            let node = |id: &str| &nodes.iter().find(|n| n.id == id).unwrap().values;
            let alfa = node(&lead);
            assert_eq!((alfa["label"].as_str(), alfa["name"].as_str()), ("Cooperativa Alfa", "Cooperativa Alfa"), "{extension}");
            assert_eq!((alfa["kind"].as_str(), alfa["actor"].as_str()), ("terzo_settore", "member"), "{extension}");
            let town = node(&comune);
            assert_eq!(town["name"], "Comune & Servizi «sociali»", "{extension}: escaped and read back");
            assert_eq!((town["kind"].as_str(), town["actor"].as_str()), ("comune", "context"), "{extension}");
            assert_eq!(town["resources"], "Mediazione linguistica", "{extension}");
            assert_eq!(edges.len(), 2, "{extension}: one edge per relation");
            for edge in &edges {
                let mut ends = edge.ends.clone();
                ends.sort_unstable();
                assert_eq!(ends, expected, "{extension}");
            }
            let edge = |kind: &str| &edges.iter().find(|e| e.values["kind"] == kind).unwrap().values;
            let collaboration = edge("collaborazione");
            assert_eq!((collaboration["strength"].as_str(), collaboration["weight"].as_str()), ("2", "2"), "{extension}");
            assert_eq!(collaboration["since"], "2024-03-01", "{extension}");
            let exchange = edge("scambio_informazioni");
            assert_eq!(exchange["strength"], "3", "{extension}");
            assert!(!exchange.contains_key("since"), "{extension}: no start, no value");
            assert!(!file.body.contains("Associazione Beta"), "{extension}: another network's organisation");
        }

        // Another network's person gets neither file; nobody logged in is sent to log in.
        app.login(&stranger.email).await;
        for (extension, _) in FILES {
            let refused = app.get(&format!("{map}.{extension}")).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{extension}");
            assert!(!refused.body.contains("Comune &amp; Servizi") && !refused.body.contains("Cooperativa Alfa"), "{extension}");
        }
        app.logout_locally();
        for (extension, _) in FILES {
            let anonymous = app.get(&format!("{map}.{extension}")).await;
            assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{extension}");
            assert!(anonymous.location().starts_with("/login"), "{extension}");
        }
    }
}
