//! How search and export parameters are checked.

use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn every_filter_parses_and_only_names_reach_the_description() {
    let search = AuditSearch::parse(&pairs(&[
        ("user_id", "7"),
        ("action", "patient.view"),
        ("emergency", "true"),
        ("from", "2026-12-01T00:00:00+01:00"),
        ("to", "2026-12-02T00:00:00Z"),
        ("outcome", ""),
    ]))
    .unwrap();

    assert_eq!(search.filter.user_id, Some(7));
    assert_eq!(search.filter.outcome, None);
    assert_eq!(search.sort, AuditSort::Timestamp);
    assert_eq!(search.order, SortOrder::Desc);
    assert_eq!(
        search.filter.describe(),
        "filters=user_id,action,emergency,from,to"
    );
}

#[test]
fn bad_values_unknown_names_and_repeats_are_refused_by_name() {
    for (name, value, expected) in [
        ("user_id", "-1", "`user_id`"),
        ("patient_id", "x", "`patient_id`"),
        ("action", "DROP TABLE", "`action`"),
        ("outcome", "maybe", "`outcome`"),
        ("emergency", "yes", "`emergency`"),
        ("from", "yesterday", "`from`"),
        ("sort", "password_hash", "`sort`"),
        ("order", "up", "`order`"),
        ("page_size", "101", "`page_size`"),
        ("patient", "5", "`patient`"),
    ] {
        let err = AuditSearch::parse(&pairs(&[(name, value)])).unwrap_err();
        assert!(err.contains(expected), "{name}: {err}");
        assert!(value.len() < 2 || !err.contains(value), "{err}");
    }
    let twice = AuditSearch::parse(&pairs(&[("user_id", "1"), ("user_id", "2")]));
    assert!(twice.unwrap_err().contains("more than once"));
    let reversed = pairs(&[
        ("from", "2026-12-02T00:00:00Z"),
        ("to", "2026-12-01T00:00:00Z"),
    ]);
    assert!(AuditSearch::parse(&reversed).is_err());
}

#[test]
fn exports_need_a_known_format_and_take_no_paging() {
    let export = ExportRequest::parse(&pairs(&[("format", "fhir"), ("patient_id", "3")]));
    assert_eq!(
        export.unwrap().describe(),
        "format=fhir; filters=patient_id"
    );
    assert!(ExportRequest::parse(&pairs(&[])).is_err());
    assert!(ExportRequest::parse(&pairs(&[("format", "xlsx")])).is_err());
    assert!(ExportRequest::parse(&pairs(&[("format", "csv"), ("page", "2")])).is_err());
}
