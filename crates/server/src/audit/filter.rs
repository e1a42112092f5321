//! The audit trail's search and export parameters, parsed once from the
//! query string (or the command line) into checked values, so the query
//! code below never sees a raw string.
//!
//! Every refusal names the parameter at fault and never echoes a value. An
//! unknown or repeated parameter is refused too: an auditor who mistypes a
//! filter name must not receive the whole trail believing it was filtered.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Outcome;
use crate::domain::{PageRequest, SortOrder};

/// Which audit rows to return; every field narrows the selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub action: Option<String>,
    pub outcome: Option<Outcome>,
    pub emergency: Option<bool>,
    /// Inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub to: Option<DateTime<Utc>>,
}

const FILTERS: &[&str] = &[
    "user_id",
    "patient_id",
    "action",
    "outcome",
    "emergency",
    "from",
    "to",
];
const SEARCH_EXTRAS: &[&str] = &["sort", "order", "page", "page_size"];
const EXPORT_EXTRAS: &[&str] = &["format"];
const ACTION_MAX: usize = 48;

impl AuditFilter {
    /// The names of the filters in use, for the audit row of a search or
    /// an export: which filters an auditor used, never their values.
    pub fn names(&self) -> Vec<&'static str> {
        let used = [
            self.user_id.is_some(),
            self.patient_id.is_some(),
            self.action.is_some(),
            self.outcome.is_some(),
            self.emergency.is_some(),
            self.from.is_some(),
            self.to.is_some(),
        ];
        FILTERS
            .iter()
            .zip(used)
            .filter_map(|(name, used)| used.then_some(*name))
            .collect()
    }

    /// `filters=user_id,from` (or `filters=none`), as kept on the audit row.
    pub fn describe(&self) -> String {
        let names = self.names();
        if names.is_empty() {
            "filters=none".into()
        } else {
            format!("filters={}", names.join(","))
        }
    }

    fn parse(values: &BTreeMap<&str, &str>) -> Result<AuditFilter, String> {
        let filter = AuditFilter {
            user_id: values
                .get("user_id")
                .map(|v| id("user_id", v))
                .transpose()?,
            patient_id: values
                .get("patient_id")
                .map(|v| id("patient_id", v))
                .transpose()?,
            action: values.get("action").map(|v| action(v)).transpose()?,
            outcome: values.get("outcome").map(|v| outcome(v)).transpose()?,
            emergency: values.get("emergency").map(|v| flag(v)).transpose()?,
            from: values.get("from").map(|v| instant("from", v)).transpose()?,
            to: values.get("to").map(|v| instant("to", v)).transpose()?,
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err("`from` must not be later than `to`.".into());
        }
        Ok(filter)
    }
}

/// Columns the trail may be sorted by; anything else is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditSort {
    Timestamp,
    Id,
    Action,
    UserId,
    PatientId,
    Outcome,
}

impl AuditSort {
    const ALL: [(&'static str, AuditSort); 6] = [
        ("timestamp", AuditSort::Timestamp),
        ("id", AuditSort::Id),
        ("action", AuditSort::Action),
        ("user_id", AuditSort::UserId),
        ("patient_id", AuditSort::PatientId),
        ("outcome", AuditSort::Outcome),
    ];

    fn parse(raw: &str) -> Option<AuditSort> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == raw)
            .map(|(_, sort)| *sort)
    }
}

/// One page of the trail: `GET /api/audit`.
#[derive(Clone, Debug)]
pub struct AuditSearch {
    pub filter: AuditFilter,
    pub sort: AuditSort,
    pub order: SortOrder,
    pub page: PageRequest,
}

impl AuditSearch {
    /// Newest first unless asked otherwise.
    pub fn parse(params: &[(String, String)]) -> Result<AuditSearch, String> {
        let values = collect(params, SEARCH_EXTRAS)?;
        let sort = match values.get("sort") {
            None => AuditSort::Timestamp,
            Some(raw) => AuditSort::parse(raw).ok_or(
                "`sort` must be one of timestamp, id, action, user_id, patient_id, outcome.",
            )?,
        };
        let order = match values.get("order").copied() {
            None | Some("desc") => SortOrder::Desc,
            Some("asc") => SortOrder::Asc,
            Some(_) => return Err("`order` must be asc or desc.".into()),
        };
        let page = PageRequest::parse(
            values.get("page").copied(),
            values.get("page_size").copied(),
        )?;
        Ok(AuditSearch {
            filter: AuditFilter::parse(&values)?,
            sort,
            order,
            page,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Ndjson,
    /// FHIR R4 `AuditEvent` resources, one per line.
    Fhir,
}

impl ExportFormat {
    pub fn parse(raw: &str) -> Option<ExportFormat> {
        match raw {
            "csv" => Some(ExportFormat::Csv),
            "ndjson" => Some(ExportFormat::Ndjson),
            "fhir" => Some(ExportFormat::Fhir),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Ndjson => "ndjson",
            ExportFormat::Fhir => "fhir",
        }
    }
}

/// The whole filtered trail as a file: `GET /api/audit/export` and
/// `healthsecure audit export`.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub filter: AuditFilter,
    pub format: ExportFormat,
}

impl ExportRequest {
    pub fn parse(params: &[(String, String)]) -> Result<ExportRequest, String> {
        let values = collect(params, EXPORT_EXTRAS)?;
        let format = values
            .get("format")
            .ok_or("Give `format`: csv, ndjson or fhir.")?;
        let format = ExportFormat::parse(format).ok_or("`format` must be csv, ndjson or fhir.")?;
        Ok(ExportRequest {
            filter: AuditFilter::parse(&values)?,
            format,
        })
    }

    /// `format=csv; filters=...`, as kept on the export's audit row.
    pub fn describe(&self) -> String {
        format!(
            "format={}; {}",
            self.format.as_str(),
            self.filter.describe()
        )
    }
}

/// Checks the parameter names and drops empty values, which a form sends
/// for a filter left blank.
fn collect<'a>(
    params: &'a [(String, String)],
    extras: &[&str],
) -> Result<BTreeMap<&'a str, &'a str>, String> {
    let mut values = BTreeMap::new();
    for (name, value) in params {
        if !FILTERS.contains(&name.as_str()) && !extras.contains(&name.as_str()) {
            return Err(format!(
                "`{}` is not a parameter here; use {}.",
                printable(name),
                FILTERS
                    .iter()
                    .chain(extras)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if values.insert(name.as_str(), value).is_some() {
            return Err(format!("`{name}` is given more than once."));
        }
    }
    Ok(values)
}

/// A parameter name safe to repeat in an error message.
fn printable(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(32)
        .collect()
}

fn id(name: &str, raw: &str) -> Result<i64, String> {
    crate::http::extract::parse_id(raw)
        .ok_or_else(|| format!("`{name}` must be a positive whole number."))
}

/// Action names are dotted lower-case words, such as `patient.view`. Names
/// are checked for shape, not against today's list, so rows written under
/// an action that no longer exists can still be found.
fn action(raw: &str) -> Result<String, String> {
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let valid = raw.len() <= ACTION_MAX
        && raw
            .split_once('.')
            .is_some_and(|(head, tail)| word(head) && word(tail));
    valid
        .then(|| raw.to_string())
        .ok_or_else(|| "`action` must be an action name such as patient.view.".into())
}

fn outcome(raw: &str) -> Result<Outcome, String> {
    match raw {
        "allowed" => Ok(Outcome::Allowed),
        "denied" => Ok(Outcome::Denied),
        "failed" => Ok(Outcome::Failed),
        _ => Err("`outcome` must be allowed, denied or failed.".into()),
    }
}

fn flag(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("`emergency` must be true or false.".into()),
    }
}

fn instant(name: &str, raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{name}` must be an RFC 3339 time such as 2026-12-01T00:00:00Z."))
}

#[cfg(test)]
mod tests {
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
}
