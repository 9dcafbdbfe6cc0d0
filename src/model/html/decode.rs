//! Bytes as saved to the page's text: gzip undone, the character set found and decoded.
//!
//! Saved pages come compressed or not, in UTF-8 mostly but also in legacy encodings that
//! only the page itself names, so this is the one place that turns them into a `String`.

use std::io::Read;

/// The largest page read, after decompression: 50 MB. News pages are well under 5 MB;
/// anything larger is a dump or an attack, and the parse tree costs many times its size.
pub const MAX_PAGE_BYTES: usize = 50_000_000;

/// How far into the page a `<meta charset>` is looked for. The HTML standard says 1024
/// bytes; real pages often put it later, after long comments or scripts.
const CHARSET_SCAN: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("the page is {0} bytes, over the {MAX_PAGE_BYTES}-byte limit for a page")]
    TooLarge(usize),
    #[error("the page is gzip-compressed but the gzip data is truncated or corrupt: {0}")]
    Gzip(std::io::Error),
}

/// The page's text and the warnings decoding it gave.
pub(super) fn decode(bytes: &[u8]) -> Result<(String, Vec<String>), HtmlError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(HtmlError::TooLarge(bytes.len()));
    }
    let unzipped;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(MAX_PAGE_BYTES as u64 + 1);
        reader.read_to_end(&mut out).map_err(HtmlError::Gzip)?;
        if out.len() > MAX_PAGE_BYTES {
            return Err(HtmlError::TooLarge(out.len()));
        }
        unzipped = out;
        &unzipped[..]
    } else {
        bytes
    };
    let mut warnings = Vec::new();
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) => (enc, &bytes[bom..]),
        None => (declared(&bytes[..bytes.len().min(CHARSET_SCAN)]).unwrap_or(encoding_rs::UTF_8), bytes),
    };
    let text = if encoding == encoding_rs::UTF_8 {
        match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => {
                warnings.push("the page is not valid UTF-8: invalid bytes were replaced with U+FFFD".to_string());
                String::from_utf8_lossy(body).into_owned()
            }
        }
    } else {
        let (s, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            warnings
                .push(format!("the page is not valid {}: invalid bytes were replaced with U+FFFD", encoding.name()));
        }
        s.into_owned()
    };
    Ok((text, warnings))
}

/// The encoding a page's head declares: `<meta charset=X>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=X">`. A UTF-16 label in
/// an ASCII-compatible page is a mistake, so it means UTF-8, as the standard says.
fn declared(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest: &[u8] = {
                    let t = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
                    &rest[t..]
                };
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                if let Some(enc) = encoding_rs::Encoding::for_label(&rest[..len]) {
                    return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        from = end.max(start + 5);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
