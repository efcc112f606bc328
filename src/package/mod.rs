//! Stage: a bundle's files as one zip an instructor downloads.
//!
//! The archive is a pure function of its entries and a timestamp: entries are
//! sorted by name, every entry carries the same modification time and the same
//! permissions, and nothing about the machine (clock, umask, locale, file order)
//! reaches the bytes. Auditors compare hashes, so this matters.

mod contents;

pub use contents::{Body, Bundled, Packing, PdfFile, SheetFile, bundle_zip, stem};

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A moment as the zip format records it (UTC, two-second steps, 1980–2107).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp(DateTime);

impl Stamp {
    /// Midnight UTC of a calendar date.
    pub fn from_date(year: i32, month: u8, day: u8) -> Result<Stamp, String> {
        let year = u16::try_from(year).map_err(|_| format!("year {year} is out of range"))?;
        DateTime::from_date_and_time(year, month, day, 0, 0, 0)
            .map(Stamp)
            .map_err(|_| {
                format!(
                    "{year}-{month:02}-{day:02} cannot be stored in a zip file (1980 to 2107 only)"
                )
            })
    }

    /// Seconds since 1970-01-01 UTC, as `SOURCE_DATE_EPOCH` gives them.
    pub fn from_epoch(seconds: i64) -> Result<Stamp, String> {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let year = u16::try_from(year)
            .map_err(|_| format!("{seconds} is out of the range a zip file can store"))?;
        DateTime::from_date_and_time(
            year,
            month,
            day,
            (secs / 3600) as u8,
            (secs % 3600 / 60) as u8,
            (secs % 60) as u8,
        )
        .map(Stamp)
        .map_err(|_| {
            format!("{seconds} is out of the range a zip file can store (1980 to 2107 only)")
        })
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A file to put in an archive, by its path inside the archive.
pub struct Entry<'a> {
    pub name: String,
    pub bytes: &'a [u8],
}

/// The SHA-256 of some bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex, for hashes in manifests, the catalog and cache file names.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Writes `entries` as a zip archive. PDFs are stored as they are (they are
/// compressed already); text is deflated.
pub fn zip(entries: &mut [Entry<'_>], stamp: Stamp) -> std::io::Result<Vec<u8>> {
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries.iter() {
        let method = if entry.name.ends_with(".pdf") {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(stamp.0)
            .unix_permissions(0o644)
            .large_file(false);
        writer.start_file(entry.name.as_str(), options)?;
        writer.write_all(entry.bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_utc_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        let stamp = Stamp::from_epoch(1_756_684_800 + 3_723).unwrap();
        assert_eq!(
            stamp,
            Stamp(DateTime::from_date_and_time(2025, 9, 1, 1, 2, 3).unwrap())
        );
        assert!(Stamp::from_epoch(0).is_err(), "1970 predates zip time");
        assert!(Stamp::from_date(1979, 12, 31).is_err());
    }

    #[test]
    fn archives_ignore_entry_order() {
        let stamp = Stamp::from_date(2026, 9, 1).unwrap();
        let a = zip(
            &mut [
                Entry {
                    name: "b.txt".into(),
                    bytes: b"bee",
                },
                Entry {
                    name: "a.pdf".into(),
                    bytes: b"%PDF-",
                },
            ],
            stamp,
        )
        .unwrap();
        let b = zip(
            &mut [
                Entry {
                    name: "a.pdf".into(),
                    bytes: b"%PDF-",
                },
                Entry {
                    name: "b.txt".into(),
                    bytes: b"bee",
                },
            ],
            stamp,
        )
        .unwrap();
        assert_eq!(a, b);
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        assert_eq!(archive.by_index(0).unwrap().name().unwrap(), "a.pdf");
        assert_eq!(archive.by_index(1).unwrap().unix_mode(), Some(0o100644));
    }
}
