//! Small types with checked constructors. Handlers parse raw input into
//! these; nothing past a handler re-validates a raw string.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// A US Social Security number, kept as its nine digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Ssn(String);

impl Ssn {
    /// Accepts `ddd-dd-dddd` or nine digits; refuses the values the SSA
    /// never issues as structurally invalid (area 000 or 666, group 00,
    /// serial 0000). Area 900–999 is accepted: it is the range reserved for
    /// test and demonstration data.
    pub fn parse(raw: &str) -> Option<Ssn> {
        let raw = raw.trim();
        let digits: String = match raw.len() {
            9 => raw.to_string(),
            11 if raw.as_bytes()[3] == b'-' && raw.as_bytes()[6] == b'-' => raw.replace('-', ""),
            _ => return None,
        };
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (area, rest) = digits.split_at(3);
        let (group, serial) = rest.split_at(2);
        if area == "000" || area == "666" || group == "00" || serial == "0000" {
            return None;
        }
        Some(Ssn(digits))
    }

    pub fn digits(&self) -> &str {
        &self.0
    }

    pub fn formatted(&self) -> String {
        format!("{}-{}-{}", &self.0[..3], &self.0[3..5], &self.0[5..])
    }

    /// The form shown in lists: only the last four digits.
    pub fn masked(&self) -> String {
        format!("***-**-{}", &self.0[5..])
    }
}

impl std::fmt::Debug for Ssn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ssn([redacted])")
    }
}

/// An email address, normalised one way on every path that stores or looks
/// one up: trimmed, Unicode NFKC, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

pub const EMAIL_MAX: usize = 254;

impl Email {
    pub fn normalize(raw: &str) -> String {
        raw.trim().nfkc().collect::<String>().to_lowercase()
    }

    pub fn parse(raw: &str) -> Option<Email> {
        let email = Email::normalize(raw);
        let (local, domain) = email.split_once('@')?;
        let valid = email.len() <= EMAIL_MAX
            && !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
            && !domain.contains('@');
        valid.then_some(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
    Other,
    Unknown,
}

impl Sex {
    pub fn parse(raw: &str) -> Option<Sex> {
        match raw {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            "other" => Some(Sex::Other),
            "unknown" => Some(Sex::Unknown),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
            Sex::Other => "other",
            Sex::Unknown => "unknown",
        }
    }
}

/// Trims and checks a required text field: 1 to `max` characters, no
/// control characters other than newlines and tabs.
pub fn bounded_text(field: &str, raw: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("`{field}` must not be blank."));
    }
    optional_text(field, Some(raw), max).map(|v| v.unwrap_or_default())
}

/// Like `bounded_text`, for an optional field; blank becomes absent.
pub fn optional_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, String> {
    let Some(value) = raw.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(format!("`{field}` must be at most {max} characters."));
    }
    if value
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c))
    {
        return Err(format!("`{field}` must not contain control characters."));
    }
    Ok(Some(value.to_string()))
}

/// Bidirectional-text controls can make a name display differently from
/// what is stored (for example reversing part of it), so they are refused.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

pub const MAX_PAGE_SIZE: u64 = 100;
pub const DEFAULT_PAGE_SIZE: u64 = 25;

/// A checked page request: page from 1, page size from 1 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub page_size: u64,
}

impl PageRequest {
    pub fn parse(page: Option<&str>, page_size: Option<&str>) -> Result<PageRequest, String> {
        let page = match page {
            None => 1,
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or("`page` must be a whole number from 1.")?,
        };
        let page_size = match page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=MAX_PAGE_SIZE).contains(s))
                .ok_or("`page_size` must be a whole number from 1 to 100.")?,
        };
        Ok(PageRequest { page, page_size })
    }

    pub fn offset(self) -> u64 {
        (self.page - 1) * self.page_size
    }
}

/// One page of results, in the contract's shape.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub page_size: u64,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssns_parse_with_or_without_dashes_and_mask_to_the_last_four() {
        let ssn = Ssn::parse("912-34-5678").unwrap();
        assert_eq!(ssn.formatted(), "912-34-5678");
        assert_eq!(ssn.masked(), "***-**-5678");
        assert_eq!(Ssn::parse("912345678").unwrap().digits(), "912345678");
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "912-00-3456",
            "912-34-0000",
            "91-234-5678",
            "abc",
            "912-34-56789",
        ] {
            assert!(Ssn::parse(bad).is_none(), "{bad} should be refused");
        }
    }

    #[test]
    fn emails_are_normalised_before_use() {
        assert_eq!(
            Email::parse("  Dr.House@Example.ORG ").unwrap().as_str(),
            "dr.house@example.org"
        );
        // Fullwidth letters fold to ASCII under NFKC.
        assert_eq!(
            Email::parse("ｄｒ@example.org").unwrap().as_str(),
            "dr@example.org"
        );
        assert!(Email::parse("no-at-sign").is_none());
        assert!(Email::parse("a@b").is_none());
        assert!(Email::parse("a b@example.org").is_none());
    }

    #[test]
    fn page_sizes_above_one_hundred_or_malformed_are_refused() {
        assert_eq!(
            PageRequest::parse(None, None).unwrap(),
            PageRequest {
                page: 1,
                page_size: 25
            }
        );
        assert!(PageRequest::parse(Some("1"), Some("101")).is_err());
        assert!(PageRequest::parse(Some("0"), None).is_err());
        assert!(PageRequest::parse(Some("x"), None).is_err());
        assert!(PageRequest::parse(None, Some("-5")).is_err());
        assert_eq!(
            PageRequest::parse(Some("3"), Some("10")).unwrap().offset(),
            20
        );
    }

    #[test]
    fn text_fields_are_trimmed_capped_and_free_of_control_characters() {
        assert_eq!(bounded_text("name", "  Ann ", 10).unwrap(), "Ann");
        assert!(bounded_text("name", "   ", 10).is_err());
        assert!(bounded_text("name", "abcdefghijk", 10).is_err());
        assert!(bounded_text("name", "a\u{0007}b", 10).is_err());
        assert_eq!(optional_text("phone", Some(" "), 10).unwrap(), None);
        assert!(bounded_text("name", "A\u{202E}B", 10).is_err());
    }
}
