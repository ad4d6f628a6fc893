//! The GEXF and GraphML writers: well-formed XML that reads back to the same graph, whatever the
//! text in it. The sample's files are committed (`fixtures/export/`) and loaded by networkx in
//! `fixtures/check_exports.py`; `UPDATE_EXPORT_FIXTURES=1` rewrites them.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use reti_graph::export::{AttributeDecl, AttributeType, ExportEdge, ExportGraph, ExportNode, gexf, graphml};
use std::collections::BTreeMap;
use std::path::Path;

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Ids, labels and values with every kind of awkward text.
fn sample() -> ExportGraph {
    let node = |id: &str, label: &str, members: &str, broker: &str, position| ExportNode {
        id: id.to_owned(),
        label: label.to_owned(),
        attributes: attrs(&[("members", members), ("broker", broker), ("betweenness", "0.25"), ("note", label)]),
        position,
    };
    ExportGraph {
        title: "Legami <trasversali> & «reti»".to_owned(),
        node_attributes: vec![
            AttributeDecl::new("members", "organisations", AttributeType::Integer),
            AttributeDecl::new("broker", "broker", AttributeType::Boolean),
            AttributeDecl::new("betweenness", "betweenness", AttributeType::Double),
            AttributeDecl::new("note", "note", AttributeType::String),
        ],
        edge_attributes: vec![
            AttributeDecl::new("kind", "kind", AttributeType::String),
            AttributeDecl::new("shared", "shared organisations", AttributeType::Integer),
        ],
        nodes: vec![
            node("007", "Rete \"Nord\" & <Sud>", "3", "true", Some((0.1, 0.9))),
            node("7", "Città, «Nord»\nseconda riga", "2", "false", Some((0.5, 0.5))),
            node("a'b", "L'Aquila\tè qui\u{7}", "0", "false", None),
            node("alone", "Sola", "1", "false", Some((1.0, 0.0))),
        ],
        edges: vec![
            ExportEdge {
                source: "007".into(),
                target: "7".into(),
                weight: Some(3.0),
                attributes: attrs(&[("kind", "both"), ("shared", "2")]),
            },
            ExportEdge {
                source: "7".into(),
                target: "a'b".into(),
                weight: Some(1.5),
                attributes: attrs(&[("kind", "meetings <lab>"), ("shared", "0"), ("undeclared", "x")]),
            },
        ],
    }
}

/// Every element (name, attributes, text) of the document, checking that it is well-formed.
fn parse(xml: &str) -> Vec<(String, BTreeMap<String, String>, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    // The open elements: name and index in `out`; text belongs to the innermost.
    let mut open: Vec<(String, usize)> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let key = a.key.as_ref().to_owned();
                        (key, a.normalized_value(XmlVersion::Implicit1_0).expect("value").into_owned())
                    })
                    .collect();
                out.push((name, attributes, String::new()));
                if matches!(event, Event::Start(_)) {
                    open.push((e.name().as_ref().to_owned(), out.len() - 1));
                }
            }
            Event::Text(t) => {
                // Whitespace between elements (and after the declaration) is layout.
                if let Some(&(_, inner)) = open.last() {
                    out[inner].2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c.to_string(),
                    None => match &**r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unknown entity {other}"),
                    }
                    .to_owned(),
                };
                let &(_, inner) = open.last().expect("a reference inside an element");
                out[inner].2.push_str(&text);
            }
            Event::End(e) => {
                assert_eq!(open.pop().map(|(name, _)| name).as_deref(), Some(e.name().as_ref()), "balanced")
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element closed");
    out
}

fn elements<'a>(
    parsed: &'a [(String, BTreeMap<String, String>, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a (String, BTreeMap<String, String>, String)> + 'a {
    parsed.iter().filter(move |(n, _, _)| n == name)
}

#[test]
fn gexf_reads_back_with_every_string_intact() {
    let graph = sample();
    let parsed = parse(&gexf(&graph));
    let nodes: Vec<(String, String)> =
        elements(&parsed, "node").map(|(_, a, _)| (a["id"].clone(), a["label"].clone())).collect();
    assert_eq!(
        nodes,
        [
            ("007".to_owned(), "Rete \"Nord\" & <Sud>".to_owned()),
            ("7".to_owned(), "Città, «Nord»\nseconda riga".to_owned()),
            // The bell character cannot be written in XML 1.0: it is left out.
            ("a'b".to_owned(), "L'Aquila\tè qui".to_owned()),
            ("alone".to_owned(), "Sola".to_owned()),
        ]
    );
    let edges: Vec<(String, String, String)> = elements(&parsed, "edge")
        .map(|(_, a, _)| (a["source"].clone(), a["target"].clone(), a["weight"].clone()))
        .collect();
    assert_eq!(edges, [("007".into(), "7".into(), "3".into()), ("7".into(), "a'b".into(), "1.5".into())]);
    let declared: Vec<(String, String)> =
        elements(&parsed, "attribute").map(|(_, a, _)| (a["title"].clone(), a["type"].clone())).collect();
    assert_eq!(declared[0], ("organisations".to_owned(), "integer".to_owned()));
    assert_eq!(declared[1], ("broker".to_owned(), "boolean".to_owned()));
    assert_eq!(declared[5], ("shared organisations".to_owned(), "integer".to_owned()));
    // The undeclared edge attribute is not written: 4 values per node, 2 per edge.
    assert_eq!(elements(&parsed, "attvalue").count(), 4 * 4 + 2 * 2);
    assert!(elements(&parsed, "attvalue").any(|(_, a, _)| a["value"] == "meetings <lab>"));
    assert_eq!(elements(&parsed, "viz:position").count(), 3);
    assert_eq!(elements(&parsed, "description").next().expect("description").2, "Legami <trasversali> & «reti»");
}

#[test]
fn graphml_reads_back_with_every_string_intact() {
    let parsed = parse(&graphml(&sample()));
    let keys: Vec<(String, String, String)> = elements(&parsed, "key")
        .map(|(_, a, _)| (a["for"].clone(), a["attr.name"].clone(), a["attr.type"].clone()))
        .collect();
    assert!(keys.contains(&("node".into(), "organisations".into(), "int".into())));
    assert!(keys.contains(&("edge".into(), "weight".into(), "double".into())));
    let ids: Vec<&str> = elements(&parsed, "node").map(|(_, a, _)| a["id"].as_str()).collect();
    assert_eq!(ids, ["007", "7", "a'b", "alone"]);
    let texts: Vec<&str> = elements(&parsed, "data").map(|(_, _, t)| t.as_str()).collect();
    assert!(texts.contains(&"Città, «Nord»\nseconda riga"));
    assert!(texts.contains(&"Rete \"Nord\" & <Sud>"));
    assert_eq!(elements(&parsed, "edge").count(), 2);
}

#[test]
fn an_empty_graph_is_still_a_document() {
    let empty = ExportGraph::default();
    assert!(parse(&gexf(&empty)).iter().any(|(n, _, _)| n == "nodes"));
    assert!(parse(&graphml(&empty)).iter().any(|(n, _, _)| n == "graph"));
}

/// The committed files networkx checks are what the writers write.
#[test]
fn the_files_networkx_checks_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export");
    let graph = sample();
    let expected = serde_json::json!({
        "nodes": graph.nodes.iter().map(|n| &n.id).collect::<Vec<_>>(),
        "edges": graph.edges.iter().map(|e| [&e.source, &e.target]).collect::<Vec<_>>(),
        "weights": graph.edges.iter().map(|e| e.weight).collect::<Vec<_>>(),
    });
    let files =
        [("sample.gexf", gexf(&graph)), ("sample.graphml", graphml(&graph)), ("sample.json", format!("{expected}\n"))];
    for (name, text) in files {
        let path = dir.join(name);
        if std::env::var_os("UPDATE_EXPORT_FIXTURES").is_some() {
            std::fs::create_dir_all(&dir).expect("directory");
            std::fs::write(&path, &text).expect("write");
        }
        let committed = std::fs::read_to_string(&path).expect("fixture: run with UPDATE_EXPORT_FIXTURES=1");
        assert_eq!(committed, text, "{name} changed: rerun with UPDATE_EXPORT_FIXTURES=1 and check_exports.py");
    }
}
