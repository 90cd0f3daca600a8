//! A firm's brand for what it hands a client (the report, later the form): a
//! small TOML file (`firm`, `logo`, `accent`, `footer`, each optional). Parsing
//! and checking only: reading the files is the binary's, the words `render`'s.

use std::path::PathBuf;

use serde::Deserialize;

/// A brand, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brand {
    /// The firm's name, on the cover ("Prepared by ...").
    pub firm: Option<String>,
    /// The logo file, as written (relative to the brand file's folder).
    pub logo: Option<PathBuf>,
    /// The accent colour.
    pub accent: Option<Colour>,
    /// The line at the foot of every printed page (a confidentiality line).
    pub footer: Option<String>,
}

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub [u8; 3]);

impl Colour {
    /// Reads `#rrggbb` or `#rgb`.
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        match hex.len() {
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Colour([byte(0)?, byte(2)?, byte(4)?]))
            }
            3 => Some(Colour([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case: safe in CSS as it is.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// What is wrong with a brand file, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandError {
    /// 1-based line.
    pub line: usize,
    /// The key at fault, when one is.
    pub key: Option<String>,
    /// What is wrong.
    pub fault: BrandFault,
}

/// The kinds of fault of a brand file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrandFault {
    /// Not TOML, or a value of the wrong type: the parser's own message.
    Syntax(String),
    /// A key the brand does not have.
    UnknownKey,
    /// `accent` is not `#rrggbb`.
    NotAColour(String),
    /// A text that is empty.
    Empty,
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BrandFile {
    firm: Option<toml::Spanned<String>>,
    logo: Option<toml::Spanned<String>>,
    accent: Option<toml::Spanned<String>>,
    footer: Option<toml::Spanned<String>>,
}

/// The 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The key a parser message names in backquotes (serde's "unknown field `x`").
fn named_key(message: &str) -> Option<String> {
    let rest = message.split_once("unknown field `")?.1;
    Some(rest.split_once('`')?.0.to_string())
}

impl Brand {
    /// Parses and checks a brand file's text.
    pub fn parse(text: &str) -> Result<Brand, BrandError> {
        let file: BrandFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().to_string();
            match named_key(&message) {
                Some(key) => BrandError {
                    line,
                    key: Some(key),
                    fault: BrandFault::UnknownKey,
                },
                None => BrandError {
                    line,
                    key: None,
                    fault: BrandFault::Syntax(message),
                },
            }
        })?;
        let text_of = |key: &str, v: Option<toml::Spanned<String>>| match v {
            Some(v) if v.get_ref().trim().is_empty() => Err(BrandError {
                line: line_of(text, v.span().start),
                key: Some(key.to_string()),
                fault: BrandFault::Empty,
            }),
            v => Ok(v.map(|v| v.into_inner().trim().to_string())),
        };
        let accent = match file.accent {
            None => None,
            Some(v) => Some(Colour::parse(v.get_ref()).ok_or_else(|| BrandError {
                line: line_of(text, v.span().start),
                key: Some("accent".into()),
                fault: BrandFault::NotAColour(v.get_ref().clone()),
            })?),
        };
        Ok(Brand {
            firm: text_of("firm", file.firm)?,
            logo: text_of("logo", file.logo)?.map(PathBuf::from),
            accent,
            footer: text_of("footer", file.footer)?,
        })
    }
}

/// A logo's bytes and their media type, known from the bytes themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// `image/png`, `image/jpeg`, `image/gif`, `image/webp` or `image/svg+xml`.
    pub mime: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Logo {
    /// The logo, or `None` when the bytes are not an image the report can show.
    pub fn sniff(bytes: Vec<u8>) -> Option<Logo> {
        let head = &bytes[..bytes.len().min(512)];
        let mime = if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if head.starts_with(b"\xff\xd8\xff") {
            "image/jpeg"
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            "image/gif"
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            "image/webp"
        } else if String::from_utf8_lossy(head).contains("<svg") {
            "image/svg+xml"
        } else {
            return None;
        };
        Some(Logo { mime, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_optional() {
        assert_eq!(Brand::parse("").unwrap(), Brand::default());
        let b = Brand::parse(
            "firm = \"Ash & Co\"\nlogo = \"logo.png\"\naccent = \"#0B5FFF\"\nfooter = \"Confidential\"\n",
        )
        .unwrap();
        assert_eq!(b.firm.as_deref(), Some("Ash & Co"));
        assert_eq!(b.logo, Some(PathBuf::from("logo.png")));
        assert_eq!(b.accent.map(Colour::hex).as_deref(), Some("#0b5fff"));
        assert_eq!(Colour::parse("#abc"), Some(Colour([0xaa, 0xbb, 0xcc])));
    }

    #[test]
    fn faults_name_their_line_and_key() {
        let e = Brand::parse("firm = \"A\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (2, Some("colour")));
        assert_eq!(e.fault, BrandFault::UnknownKey);
        let e = Brand::parse("firm = \"A\"\n\naccent = \"blue\"\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (3, Some("accent")));
        assert_eq!(e.fault, BrandFault::NotAColour("blue".into()));
        let e = Brand::parse("firm = 3\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(matches!(e.fault, BrandFault::Syntax(_)));
        let e = Brand::parse("footer = \" \"\n").unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.fault),
            (Some("footer"), BrandFault::Empty)
        );
    }

    #[test]
    fn a_logo_is_known_by_its_bytes() {
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        assert_eq!(Logo::sniff(png).unwrap().mime, "image/png");
        assert_eq!(
            Logo::sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec())
                .unwrap()
                .mime,
            "image/svg+xml"
        );
        assert!(Logo::sniff(b"hello".to_vec()).is_none());
    }
}
