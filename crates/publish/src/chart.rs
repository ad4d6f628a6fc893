//! The introduction's charts, counted from the edition's practices: practices per theme and the
//! territories with the most practices. Each is an SVG bar chart with a title and a description
//! that states every figure, and the writers follow it with the same figures as a table.

use crate::Edition;
use crate::xhtml::esc;
use std::collections::BTreeMap;

/// The territory chart shows this many territories at most (the busiest ones).
const TOP_TERRITORIES: usize = 12;

/// One bar chart: what the writers print as a figure and a table.
pub(crate) struct Chart {
    /// Unique in the document: the SVG's title and description ids start with it.
    pub id: &'static str,
    pub title: String,
    pub description: String,
    /// The table's caption.
    pub data_caption: String,
    /// The table's first column heading.
    pub category: String,
    pub value_heading: String,
    /// (name, practices), largest first.
    pub bars: Vec<(String, usize)>,
}

impl Chart {
    /// The description followed by every figure: the SVG's `<desc>` and the PDF image's alt text.
    pub fn long_description(&self) -> String {
        let figures: Vec<String> = self.bars.iter().map(|(name, n)| format!("{name}: {n}")).collect();
        format!("{} {}.", self.description, figures.join("; "))
    }
}

/// The charts of `edition`: none when it has no practice.
pub(crate) fn charts(edition: &Edition) -> Vec<Chart> {
    let labels = &edition.labels;
    let mut themes: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut territories: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for practice in edition.chapters.iter().flat_map(|c| &c.practices) {
        let theme = match practice.theme.trim() {
            "" => labels.get("ebook-chart-no-theme").to_owned(),
            theme => theme.to_owned(),
        };
        themes.entry(reti_domain::text::fold(&theme)).or_insert((theme, 0)).1 += 1;
        let mut seen: Vec<String> = Vec::new();
        for territory in &practice.territories {
            let key = reti_domain::text::fold(territory);
            if !seen.contains(&key) {
                territories.entry(key.clone()).or_insert((territory.clone(), 0)).1 += 1;
                seen.push(key);
            }
        }
    }
    let by_count = |counts: BTreeMap<String, (String, usize)>| {
        // Stable sort: equal counts keep the alphabetical (folded) order.
        let mut bars: Vec<(String, usize)> = counts.into_values().collect();
        bars.sort_by_key(|bar| std::cmp::Reverse(bar.1));
        bars
    };
    let mut charts = Vec::new();
    let practices = labels.get("ebook-chart-practices").to_owned();
    let themes = by_count(themes);
    if !themes.is_empty() {
        charts.push(Chart {
            id: "chart-themes",
            title: labels.get("ebook-chart-themes").to_owned(),
            description: labels.get("ebook-chart-themes-description").to_owned(),
            data_caption: labels.get("ebook-chart-themes-data").to_owned(),
            category: labels.get("practice-field-theme").to_owned(),
            value_heading: practices.clone(),
            bars: themes,
        });
    }
    let mut territories = by_count(territories);
    territories.truncate(TOP_TERRITORIES);
    if !territories.is_empty() {
        charts.push(Chart {
            id: "chart-territories",
            title: labels.get("ebook-chart-territories").to_owned(),
            description: labels.get("ebook-chart-territories-description").to_owned(),
            data_caption: labels.get("ebook-chart-territories-data").to_owned(),
            category: labels.get("ebook-territory").to_owned(),
            value_heading: practices,
            bars: territories,
        });
    }
    charts
}

const WIDTH: usize = 600;
const LABEL_WIDTH: usize = 230;
const BAR_SPACE: usize = 310;
const ROW: usize = 28;
const TOP: usize = 10;
/// Names longer than this are shortened in the drawing; the table has them whole.
const LABEL_CHARS: usize = 30;

/// The chart as an SVG element (for inline use in XHTML, and as the PDF's image).
pub(crate) fn svg(chart: &Chart) -> String {
    let height = TOP * 2 + ROW * chart.bars.len();
    let max = chart.bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n\
<g font-family=\"Noto Serif, serif\" font-size=\"14\" fill=\"#222222\">\n",
        esc(&chart.title),
        esc(&chart.long_description()),
        id = chart.id,
    );
    for (i, (name, count)) in chart.bars.iter().enumerate() {
        let y = TOP + i * ROW;
        let width = (BAR_SPACE * count / max).max(2);
        let name: String = if name.chars().count() > LABEL_CHARS {
            name.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
        } else {
            name.clone()
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n\
<rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"#1d4e6e\"/>\n\
<text x=\"{}\" y=\"{}\">{count}</text>\n",
            LABEL_WIDTH - 8,
            y + 19,
            esc(&name),
            y + 5,
            ROW - 10,
            LABEL_WIDTH + width + 6,
            y + 19,
        ));
    }
    out.push_str("</g>\n</svg>\n");
    out
}
