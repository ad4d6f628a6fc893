//! Synthetic data at a chosen scale, for benchmarks: files shaped like the ones programme staff
//! import, with valid tax codes and real Lombard municipalities.

use reti_domain::taxcode::check_digit_numeric;
use reti_domain::territory::parse_istat;
use reti_domain::{OrganisationKind, registry::RESOURCE_VOCABULARY};
use std::io::Write;

/// Writes `rows` organisations as CSV (UTF-8, semicolons), deterministic for a given `rows`.
pub fn organisations(rows: usize, out: &mut impl Write) -> anyhow::Result<()> {
    let municipalities: Vec<_> = parse_istat(reti_store::registry::territory::ISTAT_LIST)
        .map_err(|e| anyhow::anyhow!("shipped ISTAT list: {e}"))?
        .into_iter()
        .filter(|m| m.region == "Lombardia")
        .collect();
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    writer.write_record([
        "Denominazione",
        "Tipologia",
        "Codice fiscale",
        "Comune",
        "Provincia",
        "E-mail",
        "Telefono",
        "Risorse e competenze",
    ])?;
    for index in 0..rows {
        let kind = OrganisationKind::ALL[index % OrganisationKind::ALL.len()];
        let municipality = &municipalities[(index * 7919) % municipalities.len()];
        // Ten digits from the index, then the check digit: valid, unique, never a real company's.
        let first10 = format!("9{:09}", index);
        let tax_code = format!("{first10}{}", check_digit_numeric(&first10));
        let resources: Vec<&str> =
            (0..1 + index % 3).map(|k| RESOURCE_VOCABULARY[(index + k * 5) % RESOURCE_VOCABULARY.len()].1).collect();
        writer.write_record([
            format!("Ente di prova {index} di {}", municipality.name),
            kind.code().to_owned(),
            tax_code,
            municipality.name.clone(),
            municipality.province_code.clone(),
            format!("ente{index}@prova.example"),
            format!("02 {:07}", index),
            resources.join(", "),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_rows_are_valid_import_rows() {
        let mut out = Vec::new();
        organisations(50, &mut out).unwrap();
        let table = reti_domain::table::read_table(&out).unwrap();
        let map = reti_domain::columns::map_columns(&table.headers, reti_domain::import::ORGANISATION_COLUMNS);
        let territory =
            reti_domain::territory::Territory::new(parse_istat(reti_store::registry::territory::ISTAT_LIST).unwrap());
        let (rows, errors) = reti_domain::import::parse_organisations(&table, &map, &territory);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 50);
    }
}
