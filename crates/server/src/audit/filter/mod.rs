//! The audit trail's search and export parameters, parsed once from the
//! query string (or the command line) into checked values, so the query
//! code below never sees a raw string.
//!
//! Every refusal names the parameter at fault and never echoes a value. An
//! unknown or repeated parameter is refused too: an auditor who mistypes a
//! filter name must not receive the whole trail believing it was filtered.

mod values;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{AuditRow, Outcome};
use crate::domain::{PageRequest, SortOrder};
use values::{action, collect, flag, id, instant, outcome};

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

/// The filters the live feed takes: a time range means nothing for rows
/// that are being written now.
const LIVE_FILTERS: &[&str] = &["user_id", "patient_id", "action", "outcome", "emergency"];

impl AuditFilter {
    /// The filter of `GET /api/audit/events`.
    pub fn parse_live(params: &[(String, String)]) -> Result<AuditFilter, String> {
        AuditFilter::parse(&collect(params, LIVE_FILTERS, &[])?)
    }

    /// Whether a row just written passes this filter: the same test the
    /// search runs in SQL, applied to one row of the live feed.
    pub fn matches(&self, row: &AuditRow) -> bool {
        let wanted = |want: Option<i64>, got: Option<i64>| want.is_none() || want == got;
        wanted(self.user_id, row.user_id)
            && wanted(self.patient_id, row.patient_id)
            && self.action.as_ref().is_none_or(|a| *a == row.action)
            && self.outcome.is_none_or(|o| o.as_str() == row.outcome)
            && self.emergency.is_none_or(|e| e == row.emergency_use)
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
        let values = collect(params, FILTERS, SEARCH_EXTRAS)?;
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
        let values = collect(params, FILTERS, EXPORT_EXTRAS)?;
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

#[cfg(test)]
mod tests;
