//! CSV as RFC 4180 describes it (CRLF line ends; cells holding a quote,
//! comma or line break quoted, quotes doubled), with every cell that a
//! spreadsheet could run as a formula made inert.
//!
//! User agents, attempted login names and break-glass reasons are written
//! by whoever sent the request, so an auditor opening the file must not
//! execute them: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return, even after leading spaces or line breaks, gets a
//! leading single quote and is shown as text.

use crate::store::entities::audit_log;

use super::super::chain::format_timestamp;

pub const HEADER: &[&str] = &[
    "id",
    "timestamp",
    "user_id",
    "role",
    "action",
    "resource",
    "patient_id",
    "record_id",
    "outcome",
    "reason_code",
    "emergency_use",
    "emergency_access_id",
    "purpose_of_use",
    "fields_released",
    "fields_withheld",
    "reason",
    "ip_address",
    "user_agent",
    "request_id",
    "prev_hash",
    "hash",
];

const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

pub fn write_header(out: &mut Vec<u8>) {
    write_line(out, HEADER.iter().copied());
}

pub fn write_row(out: &mut Vec<u8>, row: &audit_log::Model) {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let cells = [
        row.id.to_string(),
        format_timestamp(&row.timestamp),
        number(row.user_id),
        text(&row.role),
        row.action.clone(),
        row.resource.clone(),
        number(row.patient_id),
        number(row.record_id),
        row.outcome.clone(),
        text(&row.reason_code),
        row.emergency_use.to_string(),
        number(row.emergency_access_id),
        text(&row.purpose_of_use),
        text(&row.fields_released),
        text(&row.fields_withheld),
        text(&row.reason),
        text(&row.ip_address),
        text(&row.user_agent),
        text(&row.request_id),
        row.prev_hash.clone(),
        row.hash.clone(),
    ];
    write_line(out, cells.iter().map(String::as_str));
}

fn write_line<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_cell(out, cell);
    }
    out.extend_from_slice(b"\r\n");
}

fn could_run(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS)
        || cell
            .trim_start_matches([' ', '\n', '\r', '\t'])
            .starts_with(FORMULA_STARTS)
}

fn write_cell(out: &mut Vec<u8>, cell: &str) {
    let inert = if could_run(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if inert.contains(['"', ',', '\r', '\n']) {
        out.push(b'"');
        out.extend_from_slice(inert.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(inert.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: &str) -> String {
        let mut out = Vec::new();
        write_cell(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formula_cells_are_made_inert() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("  =1+1"), "'  =1+1");
        assert_eq!(cell("\r=1"), "\"'\r=1\"");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn quotes_commas_and_line_breaks_are_quoted() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("ünï 🚑"), "ünï 🚑");
        assert_eq!(cell(""), "");
    }
}
