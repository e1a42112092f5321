//! Parameter names and single values, checked one at a time. Messages
//! name the parameter and never repeat what was sent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::super::Outcome;

const ACTION_MAX: usize = 48;

/// Checks the parameter names against `known` and `extras` and drops
/// empty values, which a form sends for a filter left blank.
pub(super) fn collect<'a>(
    params: &'a [(String, String)],
    known: &[&str],
    extras: &[&str],
) -> Result<BTreeMap<&'a str, &'a str>, String> {
    let mut values = BTreeMap::new();
    for (name, value) in params {
        if !known.contains(&name.as_str()) && !extras.contains(&name.as_str()) {
            return Err(format!(
                "`{}` is not a parameter here; use {}.",
                printable(name),
                known
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

pub(super) fn id(name: &str, raw: &str) -> Result<i64, String> {
    crate::http::extract::parse_id(raw)
        .ok_or_else(|| format!("`{name}` must be a positive whole number."))
}

/// Action names are dotted lower-case words, such as `patient.view`. Names
/// are checked for shape, not against today's list, so rows written under
/// an action that no longer exists can still be found.
pub(super) fn action(raw: &str) -> Result<String, String> {
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let valid = raw.len() <= ACTION_MAX
        && raw
            .split_once('.')
            .is_some_and(|(head, tail)| word(head) && word(tail));
    valid
        .then(|| raw.to_string())
        .ok_or_else(|| "`action` must be an action name such as patient.view.".into())
}

pub(super) fn outcome(raw: &str) -> Result<Outcome, String> {
    match raw {
        "allowed" => Ok(Outcome::Allowed),
        "denied" => Ok(Outcome::Denied),
        "failed" => Ok(Outcome::Failed),
        _ => Err("`outcome` must be allowed, denied or failed.".into()),
    }
}

pub(super) fn flag(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("`emergency` must be true or false.".into()),
    }
}

pub(super) fn instant(name: &str, raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{name}` must be an RFC 3339 time such as 2026-12-01T00:00:00Z."))
}
