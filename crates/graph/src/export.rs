//! GEXF 1.3 and GraphML writers, for Gephi, yEd, networkx and the rest: a graph with its node
//! and edge attributes declared with their types, labels, weights and (GEXF) positions.
//!
//! Every string goes through [`escape`]: the five XML specials become entities, line breaks and
//! tabs become character references (an attribute parser would turn them into spaces), and
//! characters XML 1.0 cannot carry at all (most control characters) are left out.

use std::fmt::Write;

/// The type of an attribute, as both formats declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    String,
    Integer,
    Double,
    Boolean,
}

impl AttributeType {
    fn gexf(self) -> &'static str {
        match self {
            AttributeType::String => "string",
            AttributeType::Integer => "integer",
            AttributeType::Double => "double",
            AttributeType::Boolean => "boolean",
        }
    }

    fn graphml(self) -> &'static str {
        match self {
            AttributeType::String => "string",
            AttributeType::Integer => "int",
            AttributeType::Double => "double",
            AttributeType::Boolean => "boolean",
        }
    }
}

/// A declared attribute: `key` names it in the values, `title` is what tools show.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDecl {
    pub key: String,
    pub title: String,
    pub kind: AttributeType,
}

impl AttributeDecl {
    pub fn new(key: &str, title: &str, kind: AttributeType) -> AttributeDecl {
        AttributeDecl { key: key.to_owned(), title: title.to_owned(), kind }
    }
}

/// A node: its id, label, attribute values by key (as text: `true`/`false` for booleans, Rust's
/// number formatting for numbers; a key not declared is left out), and an optional position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportNode {
    pub id: String,
    pub label: String,
    pub attributes: Vec<(String, String)>,
    /// Written as GEXF's `viz:position` (GraphML has no standard place for it).
    pub position: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportEdge {
    pub source: String,
    pub target: String,
    pub weight: Option<f64>,
    pub attributes: Vec<(String, String)>,
}

/// An undirected graph ready to be written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportGraph {
    /// Written as the file's description.
    pub title: String,
    pub node_attributes: Vec<AttributeDecl>,
    pub edge_attributes: Vec<AttributeDecl>,
    pub nodes: Vec<ExportNode>,
    pub edges: Vec<ExportEdge>,
}

/// `text` safe inside XML character data and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0's `Char` production, less the three whitespace controls handled by [`escape`].
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// A number as both formats read it; non-finite numbers have no XML Schema form here, so `0`.
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { "0".to_owned() }
}

/// The declared attributes among `values`, in declaration order, with their position.
fn declared<'a>(decls: &'a [AttributeDecl], values: &'a [(String, String)]) -> impl Iterator<Item = (usize, &'a str)> {
    decls
        .iter()
        .enumerate()
        .filter_map(move |(i, d)| values.iter().find(|(k, _)| *k == d.key).map(|(_, v)| (i, v.as_str())))
}

/// The graph as GEXF 1.3, undirected, static.
pub fn gexf(graph: &ExportGraph) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>Reti</creator>\n    <description>{}</description>\n  </meta>",
        escape(&graph.title)
    );
    out.push_str("  <graph defaultedgetype=\"undirected\" mode=\"static\">\n");
    for (class, decls) in [("node", &graph.node_attributes), ("edge", &graph.edge_attributes)] {
        if decls.is_empty() {
            continue;
        }
        let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
        for (i, d) in decls.iter().enumerate() {
            let _ = writeln!(
                out,
                "      <attribute id=\"{i}\" title=\"{}\" type=\"{}\"/>",
                escape(&d.title),
                d.kind.gexf()
            );
        }
        out.push_str("    </attributes>\n");
    }
    out.push_str("    <nodes>\n");
    for node in &graph.nodes {
        let _ = writeln!(out, "      <node id=\"{}\" label=\"{}\">", escape(&node.id), escape(&node.label));
        gexf_values(&mut out, &graph.node_attributes, &node.attributes);
        if let Some((x, y)) = node.position {
            let _ = writeln!(out, "        <viz:position x=\"{}\" y=\"{}\" z=\"0.0\"/>", number(x), number(y));
        }
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (i, edge) in graph.edges.iter().enumerate() {
        let _ = write!(
            out,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\"",
            escape(&edge.source),
            escape(&edge.target)
        );
        if let Some(weight) = edge.weight {
            let _ = write!(out, " weight=\"{}\"", number(weight));
        }
        out.push_str(">\n");
        gexf_values(&mut out, &graph.edge_attributes, &edge.attributes);
        out.push_str("      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

fn gexf_values(out: &mut String, decls: &[AttributeDecl], values: &[(String, String)]) {
    let mut values = declared(decls, values).peekable();
    if values.peek().is_none() {
        return;
    }
    out.push_str("        <attvalues>\n");
    for (i, value) in values {
        let _ = writeln!(out, "          <attvalue for=\"{i}\" value=\"{}\"/>", escape(value));
    }
    out.push_str("        </attvalues>\n");
}

/// The graph as GraphML, undirected; the label is the node attribute `label`, the weight the
/// edge attribute `weight` (as networkx writes them). Attribute keys are `n0.., e0..`.
pub fn graphml(graph: &ExportGraph) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    out.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for (i, d) in graph.node_attributes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <key id=\"n{i}\" for=\"node\" attr.name=\"{}\" attr.type=\"{}\"/>",
            escape(&d.title),
            d.kind.graphml()
        );
    }
    out.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    for (i, d) in graph.edge_attributes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <key id=\"e{i}\" for=\"edge\" attr.name=\"{}\" attr.type=\"{}\"/>",
            escape(&d.title),
            d.kind.graphml()
        );
    }
    let _ = writeln!(out, "  <graph id=\"{}\" edgedefault=\"undirected\">", escape(&graph.title));
    for node in &graph.nodes {
        let _ = writeln!(out, "    <node id=\"{}\">", escape(&node.id));
        let _ = writeln!(out, "      <data key=\"label\">{}</data>", escape(&node.label));
        for (i, value) in declared(&graph.node_attributes, &node.attributes) {
            let _ = writeln!(out, "      <data key=\"n{i}\">{}</data>", escape(value));
        }
        out.push_str("    </node>\n");
    }
    for edge in &graph.edges {
        let _ = writeln!(out, "    <edge source=\"{}\" target=\"{}\">", escape(&edge.source), escape(&edge.target));
        if let Some(weight) = edge.weight {
            let _ = writeln!(out, "      <data key=\"weight\">{}</data>", number(weight));
        }
        for (i, value) in declared(&graph.edge_attributes, &edge.attributes) {
            let _ = writeln!(out, "      <data key=\"e{i}\">{}</data>", escape(value));
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_keeps_line_breaks_drops_what_xml_cannot_carry() {
        assert_eq!(escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(escape("one\ntwo\tthree\r"), "one&#10;two&#9;three&#13;");
        assert_eq!(escape("bell\u{7}\u{0}«città»\u{FFFE}"), "bell«città»");
    }
}
