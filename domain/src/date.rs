//! Dates as the document and the date inputs of forms write them: `YYYY-MM-DD`.
//!
//! Written out by hand rather than with chrono's `format`/`parse_from_str`, whose general
//! format-string machinery costs the browser bundle tens of kilobytes for this one layout.

use chrono::{Datelike, NaiveDate};

/// `2023-09-30`.
pub fn format_iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Parses `YYYY-MM-DD` (four-digit year); anything else, or a day that does not exist, is `None`.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(range)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// Serde for a date as `YYYY-MM-DD` (`#[serde(with = "date::iso")]`), by [`format_iso`] and
/// [`parse_iso`]: chrono's own serde parses with its general format machinery.
pub mod iso {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_iso(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_iso(&s).ok_or_else(|| D::Error::custom("not a YYYY-MM-DD date"))
    }
}

/// [`iso`] for an optional date (`null` for none).
pub mod iso_opt {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_some(&super::format_iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            Some(s) => super::parse_iso(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom("not a YYYY-MM-DD date")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 30).expect("date");
        assert_eq!(format_iso(d), "2023-09-30");
        assert_eq!(parse_iso("2023-09-30"), Some(d));
        let early = NaiveDate::from_ymd_opt(987, 1, 2).expect("date");
        assert_eq!(format_iso(early), "0987-01-02");
        assert_eq!(parse_iso("0987-01-02"), Some(early));
    }

    #[test]
    fn refuses_what_is_not_a_real_date_in_this_layout() {
        for bad in [
            "",
            "2023-9-30",
            "2023-02-30",
            "2023/09/30",
            "30-09-2023",
            "2023-09-3x",
            "+023-09-30",
            "2023-13-01",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }
}
