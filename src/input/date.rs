//! The `date` of an answer sheet: a calendar day, written as a TOML date
//! (`date = 2026-11-25`) or, in JSON, as the string `"2026-11-25"`. Either form is
//! read from either format; a time, an offset or a day that does not exist is an
//! error at the key.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::diag::ParseNote;

/// A calendar day (proleptic Gregorian, years 1 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SheetDate {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl SheetDate {
    /// The day, if it exists.
    pub(crate) fn new(year: u16, month: u8, day: u8) -> Option<SheetDate> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then_some(SheetDate { year, month, day })
    }

    /// Reads exactly `YYYY-MM-DD` (ASCII digits, a real day).
    pub(crate) fn parse(text: &str) -> Option<SheetDate> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = &text[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let month = u8::try_from(num(5..7)?).ok()?;
        let day = u8::try_from(num(8..10)?).ok()?;
        SheetDate::new(num(0..4)?, month, day)
    }

    /// Today in UTC, from the system clock (the library reads no time zone).
    pub fn today_utc() -> SheetDate {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        SheetDate::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The day `days` after 1970-01-01 (H. Hinnant's civil-from-days).
    pub(crate) fn from_days(days: i64) -> SheetDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        SheetDate {
            year: u16::try_from(year.clamp(1, 9999)).unwrap_or(1970),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The same day as a TOML local date, for writing TOML sheets.
    pub(crate) fn to_toml(self) -> toml::value::Datetime {
        toml::value::Datetime {
            date: Some(toml::value::Date {
                year: self.year,
                month: self.month,
                day: self.day,
            }),
            time: None,
            offset: None,
        }
    }
}

impl fmt::Display for SheetDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Written as the string `YYYY-MM-DD` (JSON); TOML sheets write a TOML date through
/// [`SheetDate::to_toml`].
impl Serialize for SheetDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SheetDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SheetDate, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SheetDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{}", ParseNote::Date)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<SheetDate, E> {
                SheetDate::parse(s.trim()).ok_or_else(|| {
                    E::custom(ParseNote::DateText {
                        found: s.to_string(),
                    })
                })
            }
            // A TOML date-time arrives as toml's private one-key map.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SheetDate, A::Error> {
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match dt {
                    toml::value::Datetime {
                        date: Some(d),
                        time: None,
                        offset: None,
                    } => SheetDate::new(d.year, d.month, d.day).ok_or_else(|| {
                        de::Error::custom(ParseNote::NotADay {
                            date: dt.to_string(),
                        })
                    }),
                    _ => Err(de::Error::custom(ParseNote::DateWithTime {
                        found: dt.to_string(),
                    })),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for SheetDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SheetDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar day: a TOML local date (2026-11-25) or, in JSON, the string \"2026-11-25\".",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_written_in_full_are_read() {
        assert_eq!(
            SheetDate::parse("2026-11-25"),
            Some(SheetDate {
                year: 2026,
                month: 11,
                day: 25
            })
        );
        assert!(SheetDate::parse("2024-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-25",
            "26-11-25",
            "2026/11/25",
            "2026-11-25T10:00",
            "+026-11-25",
            "0000-01-01",
            "２０２６-11-25",
        ] {
            assert_eq!(SheetDate::parse(bad), None, "{bad}");
        }
        assert_eq!(
            SheetDate::parse("2000-02-29").unwrap().to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn days_since_1970_become_the_right_day() {
        assert_eq!(SheetDate::from_days(0).to_string(), "1970-01-01");
        assert_eq!(SheetDate::from_days(59).to_string(), "1970-03-01");
        assert_eq!(SheetDate::from_days(11_016).to_string(), "2000-02-29");
        assert_eq!(SheetDate::from_days(20_780).to_string(), "2026-11-23");
        let today = SheetDate::today_utc();
        assert!(today.year >= 2024, "{today}");
    }
}
