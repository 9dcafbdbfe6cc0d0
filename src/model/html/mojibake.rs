//! Text that was UTF-8 encoded twice, decoded once more.
//!
//! The commonest defect of crawled pages: a CMS, a database or a crawler read UTF-8 bytes as
//! Windows-1252 (or Latin-1) and wrote the result out as UTF-8 again, in raw characters or
//! as character references (`&acirc;&euro;&trade;`). A reader then sees `Earthâ€™s`, or
//! `Earthâs` with two invisible control characters, where the author wrote `Earth’s`, and
//! every word with such a character splits in two for search and motions. The repair runs
//! on text after the parser has decoded references, so both forms are caught; since it
//! works on the characters alone, the same page always gives the same text.

/// The Windows-1252 byte a character stands for when UTF-8 bytes were read as Windows-1252
/// (or Latin-1) and written out again as UTF-8: U+0080–U+00FF stand for themselves (the
/// C1 controls are what Latin-1 makes of 0x80–0x9F), and 0x80–0x9F's Windows-1252
/// characters for their byte.
fn byte_of(c: char) -> Option<u8> {
    Some(match c {
        '\u{80}'..='\u{ff}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    })
}

/// The Windows-1252 character of a C1 control (U+0080–U+009F), for the five bytes it
/// defines nothing for, `None`.
fn windows_1252(c: char) -> Option<char> {
    let b = u8::try_from(u32::from(c)).ok().filter(|b| (0x80..0xa0).contains(b))?;
    let byte = [b];
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    s.chars().next().filter(|&d| d != c)
}

/// At `at` (a character U+00C2–U+00F4), the characters that together are one UTF-8
/// sequence read as Windows-1252: how many bytes of `s` they take, what they stand for,
/// and whether only a double encoding makes them: a C1 control (text never has one), or a
/// Windows-1252 punctuation character among two after a letter like `â` (`â€™`). One such
/// character after one letter is not enough: `‘ß’` and `«É»` are written on purpose.
fn mojibake_at(s: &str, at: usize) -> Option<(usize, char, bool)> {
    let mut chars = s[at..].chars();
    let lead = byte_of(chars.next()?)?;
    let n = match lead {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    let mut len = s[at..].chars().next()?.len_utf8();
    let (mut control, mut punctuation) = (false, false);
    for slot in bytes.iter_mut().take(n).skip(1) {
        let c = chars.next()?;
        let b = byte_of(c).filter(|b| (0x80..0xc0).contains(b))?;
        control |= ('\u{80}'..'\u{a0}').contains(&c);
        punctuation |= !('\u{80}'..='\u{ff}').contains(&c);
        *slot = b;
        len += c.len_utf8();
    }
    let meant = std::str::from_utf8(&bytes[..n]).ok()?.chars().next()?;
    Some((len, meant, control || (punctuation && n >= 3)))
}

/// Undoes a double encoding in one piece of text (a text node, a metadata value). `None`
/// when there is nothing to repair, so text without it costs two byte searches. Only text
/// with at least one sequence nothing but a double encoding makes (see [`mojibake_at`]) is
/// re-decoded, and then every such sequence in it (`Ã©` too); a C1 control becomes the
/// Windows-1252 character it stands for either way, as the HTML standard does for `&#x92;`.
pub(super) fn undo_double_encoding(s: &str) -> Option<String> {
    // Every character U+00C2–U+00F4 is encoded 0xC3 0x82–0xB4; C1 controls 0xC2 0x80–0x9F.
    let bytes = s.as_bytes();
    let leads = || {
        memchr::memchr_iter(0xc3, bytes).filter(|&i| (0x82..=0xb4).contains(&bytes.get(i + 1).copied().unwrap_or(0)))
    };
    let c1 = memchr::memchr_iter(0xc2, bytes).any(|i| (0x80..0xa0).contains(&bytes.get(i + 1).copied().unwrap_or(0)));
    let doubled = leads().any(|i| mojibake_at(s, i).is_some_and(|(_, _, telling)| telling));
    if !doubled && !c1 {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    let mut changed = false;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if doubled && let Some((len, meant, _)) = mojibake_at(s, i) {
            out.push_str(&s[from..i]);
            out.push(meant);
            from = i + len;
            changed = true;
            // Skip the characters the sequence took.
            while chars.as_str().len() > s.len() - from {
                chars.next();
            }
        } else if let Some(meant) = windows_1252(c) {
            out.push_str(&s[from..i]);
            out.push(meant);
            from = i + c.len_utf8();
            changed = true;
        }
    }
    out.push_str(&s[from..]);
    changed.then_some(out)
}
