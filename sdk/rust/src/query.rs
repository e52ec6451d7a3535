//! `application/x-www-form-urlencoded` lookups, as browsers write query strings.

/// The decoded value of the first `key` in `query` (`a=1&b=2`, no leading `?`).
/// A key without `=` has the value `""`. Keys are compared after decoding.
pub fn find_param(query: &str, key: &str) -> Option<String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .find_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if decode(name) == key {
                Some(decode(value))
            } else {
                None
            }
        })
}

/// Decodes `+` as a space and `%XX` as a byte; a `%` not followed by two hex
/// digits stays as it is (browsers send such strings, and failing would lose
/// the whole value). Invalid UTF-8 becomes U+FFFD rather than an error.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_decodes_a_value() {
        assert_eq!(find_param("name=ada&x=1", "name").as_deref(), Some("ada"));
        assert_eq!(find_param("x=1&name=Ada+Lovelace", "name").as_deref(), Some("Ada Lovelace"));
        assert_eq!(find_param("name=caf%C3%A9%21", "name").as_deref(), Some("café!"));
    }

    #[test]
    fn first_match_wins_and_missing_is_none() {
        assert_eq!(find_param("name=a&name=b", "name").as_deref(), Some("a"));
        assert_eq!(find_param("named=a&x=1", "name"), None);
        assert_eq!(find_param("", "name"), None);
    }

    #[test]
    fn bare_and_empty_values() {
        assert_eq!(find_param("debug&x=1", "debug").as_deref(), Some(""));
        assert_eq!(find_param("&&name=&", "name").as_deref(), Some(""));
        assert_eq!(find_param("a=b=c", "a").as_deref(), Some("b=c"));
    }

    #[test]
    fn keys_are_decoded_too() {
        assert_eq!(find_param("first%20name=ada", "first name").as_deref(), Some("ada"));
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%41%4a"), "AJ");
        assert_eq!(decode("%ff"), "\u{fffd}");
    }
}
