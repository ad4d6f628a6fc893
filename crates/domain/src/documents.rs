//! Shared documents (SPEC §6, decision 0034): a title and a Markdown body whose every save is a
//! revision. Here the pure parts: the bounds of what is saved, the readable line diff between two
//! revisions (with the changed words marked inside changed lines), and the three-way merge offered
//! when a save was based on a revision that is no longer the newest.

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};
use std::time::Duration;

pub const MAX_TITLE: usize = 200;
/// Characters of a body: a long document, far from what a page can show at once.
pub const MAX_BODY: usize = 200_000;
pub const MAX_SUMMARY: usize = 300;
pub const MAX_COMMENT: usize = 10_000;
pub const MAX_QUOTE: usize = 1_000;

/// Who a document belongs to: a network or a lab (decision 0040). Every access and every list goes
/// through the scope: an owner is a variant, an owner column and an access rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum DocumentScope {
    Network(String),
    Lab(String),
}

impl DocumentScope {
    /// The page of the owner's documents.
    pub fn documents_path(&self) -> String {
        match self {
            DocumentScope::Network(id) => format!("/networks/{id}/documents"),
            DocumentScope::Lab(id) => format!("/labs/{id}/documents"),
        }
    }
}

/// A document form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DocumentRaw {
    pub title: String,
    pub body: String,
    pub summary: String,
    /// The revision the person started from; empty for a new document.
    pub base_revision: String,
}

/// A checked revision: what one save writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInput {
    pub title: String,
    /// Line ends as `\n`, whatever the browser sent.
    pub body: String,
    pub summary: String,
}

fn bounded(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.add(FieldError::new(field, "error-too-long").with_arg("max", max));
    }
}

/// `\r\n` and lone `\r` as `\n`: textareas send `\r\n`, and a diff should not see every line changed.
pub fn normalise_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

impl DocumentInput {
    pub fn parse(raw: &DocumentRaw) -> Result<DocumentInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = raw.title.trim().to_owned();
        if title.is_empty() {
            errors.push("title", "error-required");
        }
        bounded(&mut errors, "title", &title, MAX_TITLE);
        let body = normalise_lines(&raw.body);
        bounded(&mut errors, "document_body", &body, MAX_BODY);
        let summary = raw.summary.trim().to_owned();
        bounded(&mut errors, "summary", &summary, MAX_SUMMARY);
        if errors.is_empty() { Ok(DocumentInput { title, body, summary }) } else { Err(errors) }
    }
}

/// A comment as typed: on a revision, optionally quoting a passage of it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommentRaw {
    pub revision_id: String,
    pub quote: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentInput {
    pub revision_id: String,
    pub quote: String,
    pub body: String,
}

impl CommentInput {
    pub fn parse(raw: &CommentRaw) -> Result<CommentInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let revision_id = raw.revision_id.trim().to_owned();
        if revision_id.is_empty() {
            errors.push("revision_id", "error-required");
        }
        let quote = normalise_lines(raw.quote.trim());
        bounded(&mut errors, "quote", &quote, MAX_QUOTE);
        let body = normalise_lines(raw.body.trim());
        if body.is_empty() {
            errors.push("comment", "error-required");
        }
        bounded(&mut errors, "comment", &body, MAX_COMMENT);
        if errors.is_empty() { Ok(CommentInput { revision_id, quote, body }) } else { Err(errors) }
    }
}

/// A stored UTC timestamp as read in Italy: `27/11/2026 19:18`; the text itself when it is not
/// a timestamp.
pub fn local_time(utc: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(utc) {
        Ok(at) => at.with_timezone(&crate::meetings::ZONE).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => utc.to_owned(),
    }
}

// ------------------------------------------------------------------ diff

/// How a line of a diff changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Removed,
    Added,
}

impl LineChange {
    pub fn code(self) -> &'static str {
        match self {
            LineChange::Same => "same",
            LineChange::Removed => "removed",
            LineChange::Added => "added",
        }
    }
}

/// A piece of a line; `changed` marks the words that differ inside a changed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub change: LineChange,
    /// 1-based line numbers in the old and the new text.
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub segments: Vec<Segment>,
}

/// The changed parts of a diff, each with a few unchanged lines around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffHunk {
    pub lines: Vec<DiffLine>,
}

/// Unchanged lines shown around a change.
const CONTEXT: usize = 3;
/// A diff of two long, very different texts gives up looking for the shortest edit after this
/// long and shows a longer (still correct) one.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// The line diff from `old` to `new`, in hunks; empty when the texts are the same.
pub fn diff(old: &str, new: &str) -> Vec<DiffHunk> {
    let diff = TextDiff::configure().algorithm(Algorithm::Patience).timeout(DIFF_DEADLINE).diff_lines(old, new);
    diff.grouped_ops(CONTEXT)
        .iter()
        .map(|group| {
            let mut lines = Vec::new();
            for op in group {
                for change in diff.iter_inline_changes(op) {
                    let kind = match change.tag() {
                        ChangeTag::Equal => LineChange::Same,
                        ChangeTag::Delete => LineChange::Removed,
                        ChangeTag::Insert => LineChange::Added,
                    };
                    let segments = change
                        .iter_strings_lossy()
                        .map(|(emphasised, text)| Segment {
                            text: text.trim_end_matches('\n').to_owned(),
                            changed: emphasised && kind != LineChange::Same,
                        })
                        .filter(|s| !s.text.is_empty())
                        .collect();
                    lines.push(DiffLine {
                        change: kind,
                        old_line: change.old_index().map(|i| i + 1),
                        new_line: change.new_index().map(|i| i + 1),
                        segments,
                    });
                }
            }
            DiffHunk { lines }
        })
        .collect()
}

// ----------------------------------------------------------------- merge

/// One side's change to the base: base lines `start..end` replaced by `lines`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit<'a> {
    start: usize,
    end: usize,
    lines: Vec<&'a str>,
}

fn with_line_end(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") }
}

fn lines_of(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// One side's edits, one per stretch between unchanged lines. Myers' operations are not used one
/// by one: `similar` may report an insertion inside a deletion it has just made (delete base lines
/// 1..3, insert at 2), and two overlapping edits of one side would be applied twice.
fn edits<'a>(base: &[&'a str], other: &[&'a str]) -> Vec<Edit<'a>> {
    let ops = similar::capture_diff_slices(Algorithm::Myers, base, other);
    let mut out = Vec::new();
    let (mut base_at, mut other_at) = (0, 0);
    let mut changed = |base_at: usize, base_to: usize, other_at: usize, other_to: usize| {
        if base_at < base_to || other_at < other_to {
            out.push(Edit { start: base_at, end: base_to, lines: other[other_at..other_to].to_vec() });
        }
    };
    for op in &ops {
        if let DiffOp::Equal { old_index, new_index, len } = *op {
            changed(base_at, old_index, other_at, new_index);
            (base_at, other_at) = (old_index + len, new_index + len);
        }
    }
    changed(base_at, base.len(), other_at, other.len());
    out
}

/// Whether two edits of the same base touch: they overlap, insert at the same place, or meet
/// end to start. Touching edits are left to the person, as `diff3` and Git do.
fn touch(a: &Edit, b: &Edit) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The three-way merge of two texts edited from the same `base`: `Some` when their changes do not
/// touch (or are the same change), with both applied; `None` when a person must choose.
pub fn merge(base: &str, theirs: &str, yours: &str) -> Option<String> {
    if theirs == yours || yours == base {
        return Some(theirs.to_owned());
    }
    if theirs == base {
        return Some(yours.to_owned());
    }
    // Every line ends with its line end, so that a last line without one cannot be glued to
    // a line added after it: the merged text ends with a line end.
    let (base, theirs, yours) = (with_line_end(base), with_line_end(theirs), with_line_end(yours));
    let base_lines = lines_of(&base);
    let theirs_lines = lines_of(&theirs);
    let yours_lines = lines_of(&yours);
    let mut all = edits(&base_lines, &theirs_lines);
    let mine = edits(&base_lines, &yours_lines);
    let mut merged_edits = Vec::with_capacity(all.len() + mine.len());
    for edit in mine {
        if let Some(same) = all.iter().position(|e| *e == edit) {
            merged_edits.push(all.remove(same));
            continue;
        }
        if all.iter().any(|e| touch(e, &edit)) {
            return None;
        }
        merged_edits.push(edit);
    }
    merged_edits.append(&mut all);
    merged_edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(base.len().max(theirs.len()).max(yours.len()));
    let mut at = 0;
    for edit in &merged_edits {
        base_lines[at..edit.start].iter().for_each(|l| out.push_str(l));
        edit.lines.iter().for_each(|l| out.push_str(l));
        at = edit.end;
    }
    base_lines[at..].iter().for_each(|l| out.push_str(l));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(title: &str, body: &str) -> DocumentRaw {
        DocumentRaw { title: title.into(), body: body.into(), ..DocumentRaw::default() }
    }

    #[test]
    fn a_document_needs_a_title_and_bounded_texts() {
        let errors = DocumentInput::parse(&raw("  ", "x")).unwrap_err();
        assert_eq!(errors.for_field("title"), Some("error-required"));
        let errors = DocumentInput::parse(&raw("Piano", &"a".repeat(MAX_BODY + 1))).unwrap_err();
        assert_eq!(errors.for_field("document_body"), Some("error-too-long"));
        assert_eq!(errors.get("document_body").unwrap().args, vec![("max", MAX_BODY.to_string())]);
        let input = DocumentInput::parse(&raw(" Piano ", "uno\r\ndue\r")).unwrap();
        assert_eq!((input.title.as_str(), input.body.as_str()), ("Piano", "uno\ndue\n"));
        let errors =
            CommentInput::parse(&CommentRaw { revision_id: "r".into(), quote: String::new(), body: " ".into() })
                .unwrap_err();
        assert_eq!(errors.for_field("comment"), Some("error-required"));
    }

    #[test]
    fn times_are_shown_in_italy() {
        assert_eq!(local_time("2026-11-27T18:18:04.000000Z"), "27/11/2026 19:18");
        assert_eq!(local_time("2026-07-01T10:00:00.000000Z"), "01/07/2026 12:00");
    }

    #[test]
    fn the_diff_marks_lines_and_the_words_inside_them() {
        let hunks = diff("uno\ndue tre\nquattro\n", "uno\ndue TRE\nquattro\ncinque\n");
        assert_eq!(hunks.len(), 1);
        let lines = &hunks[0].lines;
        let removed = lines.iter().find(|l| l.change == LineChange::Removed).unwrap();
        assert_eq!(removed.old_line, Some(2));
        assert!(removed.segments.iter().any(|s| s.changed && s.text == "tre"), "{removed:?}");
        assert!(removed.segments.iter().any(|s| !s.changed && s.text.starts_with("due")), "{removed:?}");
        let added: Vec<_> = lines.iter().filter(|l| l.change == LineChange::Added).collect();
        assert_eq!(added.len(), 2);
        assert_eq!(added[1].new_line, Some(4));
        assert!(diff("same\n", "same\n").is_empty());
    }

    #[test]
    fn separate_changes_merge_and_touching_ones_do_not() {
        let base = "a\nb\nc\nd\ne\nf\n";
        let theirs = "A\nb\nc\nd\ne\nf\n";
        let yours = "a\nb\nc\nd\ne\nF\n";
        assert_eq!(merge(base, theirs, yours).as_deref(), Some("A\nb\nc\nd\ne\nF\n"));
        assert_eq!(merge(base, theirs, "a2\nb\nc\nd\ne\nf\n"), None);
        assert_eq!(merge(base, "a\nB\nc\nd\ne\nf\n", "a\nb\nC\nd\ne\nf\n"), None, "adjacent lines are the person's");
        assert_eq!(merge(base, theirs, theirs).as_deref(), Some(theirs));
        assert_eq!(merge("x", "x y", "x z"), None);
        // Found by the property below: `similar` reports an insertion inside its own deletion.
        assert_eq!(merge("\na\na\n\n", "\n\n\n", "\n\n\n\n\n\n"), None);
    }

    fn text() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[a-c]{0,2}", 0..12)
    }

    fn joined(lines: &[String]) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    proptest! {
        #[test]
        fn merging_with_an_unchanged_side_gives_the_other(base in text(), other in text()) {
            let (base, other) = (joined(&base), joined(&other));
            prop_assert_eq!(merge(&base, &base, &other), Some(other.clone()));
            prop_assert_eq!(merge(&base, &other, &base), Some(other.clone()));
            prop_assert_eq!(merge(&base, &other, &other), Some(other));
        }

        #[test]
        fn edits_far_apart_both_survive(base in prop::collection::vec("[a-z]{3}", 8..20), top in "[A-Z]{3}", bottom in "[A-Z]{3}") {
            let mut theirs = base.clone();
            theirs[0] = top.clone();
            let mut yours = base.clone();
            let last = yours.len() - 1;
            yours[last] = bottom.clone();
            let merged = merge(&joined(&base), &joined(&theirs), &joined(&yours)).expect("clean");
            let mut both = theirs.clone();
            both[last] = bottom;
            prop_assert_eq!(merged, joined(&both));
        }

        #[test]
        fn a_clean_merge_never_invents_a_line(
            base in text(), theirs in text(), yours in text()
        ) {
            let (b, t, y) = (joined(&base), joined(&theirs), joined(&yours));
            if let Some(merged) = merge(&b, &t, &y) {
                for line in merged.lines() {
                    prop_assert!(base.iter().chain(&theirs).chain(&yours).any(|l| l == line), "{line:?} invented");
                }
            }
        }

        #[test]
        fn the_diff_renders_every_line_of_both_texts_in_its_hunks(old in text(), new in text()) {
            let (o, n) = (joined(&old), joined(&new));
            let hunks = diff(&o, &n);
            prop_assert_eq!(hunks.is_empty(), o == n);
            for line in hunks.iter().flat_map(|h| &h.lines) {
                match line.change {
                    LineChange::Removed => prop_assert!(line.old_line.is_some() && line.new_line.is_none()),
                    LineChange::Added => prop_assert!(line.new_line.is_some() && line.old_line.is_none()),
                    LineChange::Same => prop_assert!(line.old_line.is_some() && line.new_line.is_some()),
                }
            }
        }
    }
}
