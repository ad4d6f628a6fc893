//! `reti graph metrics`, run as an analyst would: output shapes, and every bad input refused with
//! its line and without a panic.

use std::process::{Command, Output};

fn metrics(content: &[u8], args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edges.csv");
    std::fs::write(&file, content).unwrap();
    Command::new(env!("CARGO_BIN_EXE_reti"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["graph", "metrics"])
        .arg(&file)
        .args(args)
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn refused(content: &[u8], expected: &[&str]) {
    let output = metrics(content, &[]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "refused: {}", text(&content[..content.len().min(80)]));
    assert!(output.stdout.is_empty(), "nothing written: {}", text(&output.stdout));
    assert!(!stderr.contains("panicked"), "{stderr}");
    for part in expected {
        assert!(stderr.contains(part), "{part:?} in {stderr}");
    }
}

#[test]
fn json_has_every_metric_and_ids_stay_strings() {
    let output =
        metrics("source,target\n007,7\n7,\"Città, «Nord»\"\n\"Città, «Nord»\",007\n7,8\n8,7\n8,8\n".as_bytes(), &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("line 6") && stderr.contains("is there already"), "{stderr}");
    assert!(stderr.contains("line 7") && stderr.contains("linked to itself"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["nodes"], 4);
    assert_eq!(report["edges"], 4);
    assert_eq!(report["components"], 1);
    assert!((report["density"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-12);
    assert!(report["modularity"].is_number());
    let rows = report["node_metrics"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().expect("string id")).collect();
    assert_eq!(ids, ["007", "7", "Città, «Nord»", "8"]);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    for key in ["id", "degree", "betweenness", "closeness", "eigenvector", "clustering", "constraint", "community"] {
        assert!(keys.iter().any(|k| *k == key), "{key} in {keys:?}");
    }
    // Node "7" is on every path to "8": 2 unordered pairs, 4 ordered, over (n-1)(n-2) = 6.
    assert!((rows[1]["betweenness"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-12);
    assert_eq!(rows[3]["clustering"], 0.0);
    let members: usize = report["communities"].as_array().unwrap().iter().map(|c| c.as_array().unwrap().len()).sum();
    assert_eq!(members, 4);
    assert!(report["communities"][0][0].is_string());
}

#[test]
fn csv_has_one_row_per_node() {
    let output = metrics(b"source,target\na,b\nb,c\n=cmd,c\n", &["--format", "csv"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let csv = text(&output.stdout);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "id;degree;betweenness;closeness;eigenvector;clustering;constraint;community");
    assert_eq!(lines.len(), 5);
    assert!(lines[2].starts_with("b;2;"), "{}", lines[2]);
    assert!(lines[4].starts_with("'=cmd;"), "no cell starts a formula: {}", lines[4]);
}

#[test]
fn a_graph_of_one_node_is_valid() {
    let output = metrics(b"source,target\nsolo,solo\n", &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((report["nodes"].as_u64(), report["edges"].as_u64()), (Some(1), Some(0)));
    assert!(report["modularity"].is_null());
    let row = &report["node_metrics"][0];
    assert_eq!((row["betweenness"].as_f64(), row["closeness"].as_f64()), (Some(0.0), Some(0.0)));
    assert!(row["constraint"].is_null(), "networkx: NaN");
    assert_eq!(row["eigenvector"], 1.0);
}

#[test]
fn a_disconnected_graph_has_no_eigenvector() {
    let output = metrics(b"source,target\na,b\nc,d\n", &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["components"], 2);
    assert!(report["node_metrics"].as_array().unwrap().iter().all(|r| r["eigenvector"].is_null()));
}

#[test]
fn bad_files_are_refused_naming_the_line() {
    refused(b"", &["the file is empty", "source,target"]);
    refused("\u{feff}".as_bytes(), &["the file is empty"]);
    refused(b"source,target\n", &["no edges"]);
    refused(b"from,to\na,b\n", &["line 1", "found \"from,to\""]);
    refused(b"source\na\n", &["line 1"]);
    refused(b"source,target,weight\na,b,1\n", &["line 1"]);
    refused(b"source,target\na,b\nc\n", &["line 3", "found 1"]);
    refused(b"source,target\na,b\n,c\nd,\n", &["line 3: source is empty", "line 4: target is empty", "2 lines"]);
    refused(b"source,target\na,b\n\"c\nd\",\n", &["line 3: target is empty"]);
    refused(b"source,target\na,\xff\xfe\n", &["line 2", "unreadable"]);
}

#[test]
fn a_file_past_the_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.csv");
    std::fs::File::create(&file).unwrap().set_len(reti_domain::table::MAX_BYTES as u64 + 1).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_reti"))
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["graph", "metrics"])
        .arg(&file)
        .env("LANG", "en_GB.UTF-8")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("huge.csv"), "{}", text(&output.stderr));
}
