//! The value parsers of the flags: every duration, label and annotation given on the command
//! line is read here, once, and reaches the layers below as a plain value.

use std::time::Duration;

use super::{KeyValue, LabelChange};

/// Go's `time.ParseDuration`, which kubectl uses for every duration: an optional sign, then
/// one or more decimal numbers each with a unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`),
/// e.g. `300ms`, `-1.5h`, `2h45m`; `0` alone needs no unit. Nanoseconds, as Go's `Duration`.
pub fn go_duration(input: &str) -> Result<i64, String> {
    let invalid = || format!("invalid duration {input:?}");
    let (negative, mut rest) = match input.as_bytes().first() {
        Some(b'-') => (true, &input[1..]),
        Some(b'+') => (false, &input[1..]),
        _ => (false, input),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Summed as an unsigned magnitude, so that -9223372036854775808ns fits.
    let limit: u64 = if negative { 1 << 63 } else { (1 << 63) - 1 };
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let (whole, fraction, scale, after) = number(rest).ok_or_else(invalid)?;
        let unit_len = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        let unit: u64 = match &after[..unit_len] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("missing unit in duration {input:?}")),
            other => return Err(format!("unknown unit {other:?} in duration {input:?}")),
        };
        let mut part = whole.checked_mul(unit).ok_or_else(invalid)?;
        if fraction > 0 {
            // Go rounds the fraction down to whole nanoseconds.
            let nanos = (fraction as f64) * (unit as f64 / scale);
            part = part.checked_add(nanos as u64).ok_or_else(invalid)?;
        }
        total = total
            .checked_add(part)
            .filter(|t| *t <= limit)
            .ok_or_else(invalid)?;
        rest = &after[unit_len..];
    }
    Ok(if negative {
        0i64.wrapping_sub_unsigned(total)
    } else {
        total as i64
    })
}

/// The decimal number at the start of `text`: its whole part, its fraction digits as a
/// number and their scale (`.25` is 25 over 100), and what follows. None when there are no
/// digits at all (`.s`), or the whole part overflows.
fn number(text: &str) -> Option<(u64, u64, f64, &str)> {
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let whole_len = digits(text);
    let whole = match whole_len {
        0 => 0,
        _ => text[..whole_len].parse::<u64>().ok()?,
    };
    let mut rest = &text[whole_len..];
    let (mut fraction, mut scale, mut fraction_len) = (0u64, 1f64, 0);
    if let Some(after_dot) = rest.strip_prefix('.') {
        fraction_len = digits(after_dot);
        // As Go's leadingFraction: digits that would overflow are read but add nothing.
        let mut overflowed = false;
        for c in after_dot[..fraction_len].bytes() {
            if overflowed || fraction > (1 << 63) / 10 {
                overflowed = true;
                continue;
            }
            let next = fraction * 10 + u64::from(c - b'0');
            if next > 1 << 63 {
                overflowed = true;
                continue;
            }
            fraction = next;
            scale *= 10.0;
        }
        rest = &after_dot[fraction_len..];
    }
    (whole_len > 0 || fraction_len > 0).then_some((whole, fraction, scale, rest))
}

/// A duration flag, as kubectl reads one: Go's grammar ([`go_duration`]) not below zero, or a
/// bare number of seconds (`30`).
pub fn duration(input: &str) -> Result<Duration, String> {
    let usage = |why: String| format!("{why}: use e.g. 30s, 1m30s, 500ms or 1.5h");
    if let Ok(seconds) = input.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let nanos = go_duration(input).map_err(usage)?;
    u64::try_from(nanos)
        .map(Duration::from_nanos)
        .map_err(|_| usage(format!("{input:?} is negative")))
}

/// `--request-timeout`: a duration; `0` means none.
pub fn request_timeout(input: &str) -> Result<Duration, String> {
    duration(input).map_err(|e| format!("{e} (0: no limit)"))
}

/// `--timeout` of registry checks: a duration from 1 s to 10 min.
pub fn probe_timeout(input: &str) -> Result<Duration, String> {
    let limit = duration(input)?;
    if !(Duration::from_secs(1)..=Duration::from_secs(600)).contains(&limit) {
        return Err(format!("must be between 1s and 10m, got {input:?}"));
    }
    Ok(limit)
}

/// `refresh --before`: how long before expiry a token counts as due; more than zero.
pub fn before(input: &str) -> Result<Duration, String> {
    let lead = duration(input)?;
    if lead.is_zero() {
        return Err(format!("must be more than zero, got {input:?}"));
    }
    Ok(lead)
}

/// `--label KEY=VALUE`.
pub fn label(input: &str) -> Result<KeyValue, String> {
    let kv = split_key_value(input)?;
    crate::labels::validate_label_value(&kv.value)?;
    Ok(kv)
}

/// `--annotation KEY=VALUE`.
pub fn annotation(input: &str) -> Result<KeyValue, String> {
    split_key_value(input)
}

/// `label`'s `KEY=VALUE` (set) or `KEY-` (remove).
pub fn label_change(input: &str) -> Result<LabelChange, String> {
    change(input, label)
}

/// `label --annotation KEY=VALUE` or `KEY-`.
pub fn annotation_change(input: &str) -> Result<LabelChange, String> {
    change(input, annotation)
}

/// `KEY-` removes KEY; anything else is set as `set` reads it.
fn change(input: &str, set: fn(&str) -> Result<KeyValue, String>) -> Result<LabelChange, String> {
    match input.strip_suffix('-') {
        Some(key) if !input.contains('=') => {
            crate::labels::validate_key(key)?;
            Ok(LabelChange::Remove(key.to_string()))
        }
        _ => set(input).map(LabelChange::Set),
    }
}

fn split_key_value(input: &str) -> Result<KeyValue, String> {
    let (key, value) = input
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, got {input:?}"))?;
    crate::labels::validate_key(key)?;
    Ok(KeyValue {
        key: key.to_string(),
        value: value.to_string(),
    })
}

/// `--namespace-selector` and `diagnose -l`: a label selector as kubectl reads one
/// (apimachinery's `labels.Parse`), checked here so a typo is a usage error naming the flag
/// rather than a refusal from the API server. Requirements are comma-separated: `KEY=VALUE`,
/// `KEY==VALUE`, `KEY!=VALUE`, `KEY in (A,B)`, `KEY notin (A)`, `KEY`, `!KEY`, `KEY>N`,
/// `KEY<N`; keys and values follow the label syntax. The text goes on as given.
pub fn label_selector(input: &str) -> Result<String, String> {
    let tokens = selector_tokens(input);
    if tokens == [Token::End] {
        return Err("is empty: give at least one requirement, e.g. team=payments".into());
    }
    SelectorParser { tokens, at: 0 }
        .requirements()
        .map(|()| input.to_string())
        .map_err(|why| {
            format!(
                "{why} (a label selector is comma-separated KEY=VALUE, KEY!=VALUE, \
                 KEY in (A,B), KEY notin (A,B), KEY or !KEY)"
            )
        })
}

/// A token of the selector grammar: apimachinery's lexer, byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Not,
    Equals,
    DoubleEquals,
    NotEquals,
    Greater,
    Less,
    In,
    NotIn,
    Open,
    Close,
    Comma,
    End,
}

impl Token<'_> {
    /// How the token reads in a message.
    fn text(&self) -> &str {
        match self {
            Token::Word(word) => word,
            Token::Not => "!",
            Token::Equals => "=",
            Token::DoubleEquals => "==",
            Token::NotEquals => "!=",
            Token::Greater => ">",
            Token::Less => "<",
            Token::In => "in",
            Token::NotIn => "notin",
            Token::Open => "(",
            Token::Close => ")",
            Token::Comma => ",",
            Token::End => "the end",
        }
    }
}

/// Splits a selector as apimachinery's lexer does: whitespace separates; `= ! ( ) , > <` are
/// symbols, joined into the longest operator they make (`!=`, `==`); any other run of bytes is
/// a word, `in` and `notin` being keywords.
fn selector_tokens(input: &str) -> Vec<Token<'_>> {
    const SYMBOLS: &[u8] = b"=!(),><";
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
            at += 1;
            continue;
        }
        if SYMBOLS.contains(&byte) {
            let next = bytes.get(at + 1).copied();
            let (token, len) = match (byte, next) {
                (b'!', Some(b'=')) => (Token::NotEquals, 2),
                (b'=', Some(b'=')) => (Token::DoubleEquals, 2),
                (b'!', _) => (Token::Not, 1),
                (b'=', _) => (Token::Equals, 1),
                (b'(', _) => (Token::Open, 1),
                (b')', _) => (Token::Close, 1),
                (b',', _) => (Token::Comma, 1),
                (b'>', _) => (Token::Greater, 1),
                _ => (Token::Less, 1),
            };
            tokens.push(token);
            at += len;
            continue;
        }
        let end = bytes[at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || SYMBOLS.contains(b))
            .map_or(bytes.len(), |len| at + len);
        // Symbols and whitespace are ASCII, so `at..end` is on character boundaries.
        tokens.push(match &input[at..end] {
            "in" => Token::In,
            "notin" => Token::NotIn,
            word => Token::Word(word),
        });
        at = end;
    }
    tokens.push(Token::End);
    tokens
}

/// apimachinery's selector parser, over the tokens of [`selector_tokens`]; it only checks.
struct SelectorParser<'a> {
    tokens: Vec<Token<'a>>,
    at: usize,
}

impl<'a> SelectorParser<'a> {
    /// The next token; where a key or value may stand, `in` and `notin` are plain words.
    fn peek_value(&self) -> Token<'a> {
        match self.tokens.get(self.at).copied().unwrap_or(Token::End) {
            Token::In => Token::Word("in"),
            Token::NotIn => Token::Word("notin"),
            token => token,
        }
    }

    fn next_value(&mut self) -> Token<'a> {
        let token = self.peek_value();
        self.at += 1;
        token
    }

    fn next_operator(&mut self) -> Token<'a> {
        let token = self.tokens.get(self.at).copied().unwrap_or(Token::End);
        self.at += 1;
        token
    }

    /// `requirement (',' requirement)*`.
    fn requirements(&mut self) -> Result<(), String> {
        loop {
            match self.peek_value() {
                Token::Word(_) | Token::Not => self.requirement()?,
                other => return Err(format!("found {:?}, expected a key or !KEY", other.text())),
            }
            match self.next_value() {
                Token::End => return Ok(()),
                Token::Comma if matches!(self.peek_value(), Token::Word(_) | Token::Not) => {}
                Token::Comma => {
                    let found = self.peek_value();
                    return Err(format!(
                        "found {:?} after ',', expected a key",
                        found.text()
                    ));
                }
                other => {
                    return Err(format!("found {:?}, expected ',' or the end", other.text()));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<(), String> {
        let absent = self.peek_value() == Token::Not;
        if absent {
            self.at += 1;
        }
        let key = match self.next_value() {
            Token::Word(key) => key,
            other => {
                return Err(format!(
                    "found {:?} after '!', expected a key",
                    other.text()
                ));
            }
        };
        crate::labels::validate_key(key)?;
        if absent || matches!(self.peek_value(), Token::End | Token::Comma) {
            return Ok(());
        }
        match self.next_operator() {
            Token::In | Token::NotIn => self.value_set(),
            Token::Equals | Token::DoubleEquals | Token::NotEquals => self.exact_value().map(drop),
            Token::Greater | Token::Less => {
                let value = self.exact_value()?;
                value
                    .parse::<i64>()
                    .map(drop)
                    .map_err(|_| format!("{key}: > and < compare with an integer, found {value:?}"))
            }
            other => Err(format!(
                "found {:?} after key {key:?}, expected =, ==, !=, in, notin, >, <, ',' or the end",
                other.text()
            )),
        }
    }

    /// The value after `=`, `==`, `!=`, `>` or `<`: a word, or nothing (an empty value).
    fn exact_value(&mut self) -> Result<&'a str, String> {
        let value = match self.peek_value() {
            Token::End | Token::Comma => "",
            Token::Word(value) => {
                self.at += 1;
                value
            }
            other => return Err(format!("found {:?}, expected a value", other.text())),
        };
        crate::labels::validate_label_value(value)?;
        Ok(value)
    }

    /// `( value (',' value)* )` after `in` or `notin`; values may be empty, as in `(a,)`.
    fn value_set(&mut self) -> Result<(), String> {
        let open = self.next_value();
        if open != Token::Open {
            return Err(format!(
                "found {:?} after in/notin, expected '('",
                open.text()
            ));
        }
        loop {
            match self.next_value() {
                Token::Word(value) => {
                    crate::labels::validate_label_value(value)?;
                    match self.next_value() {
                        Token::Comma => {}
                        Token::Close => return Ok(()),
                        other => {
                            return Err(format!("found {:?}, expected ',' or ')'", other.text()));
                        }
                    }
                }
                Token::Comma => {}
                Token::Close => return Ok(()),
                other => return Err(format!("found {:?}, expected a value or ')'", other.text())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: i64 = 1;
    const US: i64 = 1_000;
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000_000_000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;

    /// Go's own table (src/time/time_test.go, parseDurationTests).
    #[test]
    fn durations_parse_as_go_parses_them() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("5s", 5 * S),
            ("30s", 30 * S),
            ("1478s", 1478 * S),
            ("-5s", -5 * S),
            ("+5s", 5 * S),
            ("-0", 0),
            ("+0", 0),
            ("5.0s", 5 * S),
            ("5.6s", 5 * S + 600 * MS),
            ("5.s", 5 * S),
            (".5s", 500 * MS),
            ("1.0s", S),
            ("1.00s", S),
            ("1.004s", S + 4 * MS),
            ("1.0040s", S + 4 * MS),
            ("100.00100s", 100 * S + MS),
            ("10ns", 10 * NS),
            ("11us", 11 * US),
            ("12\u{b5}s", 12 * US),
            ("12\u{3bc}s", 12 * US),
            ("13ms", 13 * MS),
            ("14s", 14 * S),
            ("15m", 15 * M),
            ("16h", 16 * H),
            ("3h30m", 3 * H + 30 * M),
            ("10.5s4m", 4 * M + 10 * S + 500 * MS),
            ("-2m3.4s", -(2 * M + 3 * S + 400 * MS)),
            (
                "1h2m3s4ms5us6ns",
                H + 2 * M + 3 * S + 4 * MS + 5 * US + 6 * NS,
            ),
            ("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS),
            ("52763797000ns", 52763797000 * NS),
            ("0.3333333333333333333h", 20 * M),
            ("9007199254740993ns", (1 << 53) + 1),
            ("9223372036854775807ns", i64::MAX),
            ("9223372036854775.807us", i64::MAX),
            ("9223372036s854ms775us807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
            ("-9223372036854775.808us", i64::MIN),
            ("-9223372036s854ms775us808ns", i64::MIN),
            ("-2562047h47m16.854775808s", i64::MIN),
            ("0.100000000000000000000h", 6 * M),
            ("0.830103483285477580700h", 49 * M + 48 * S + 372539827 * NS),
        ];
        for (input, want) in cases {
            assert_eq!(go_duration(input), Ok(*want), "{input}");
        }
    }

    /// Go's parseDurationErrorTests.
    #[test]
    fn what_go_refuses_is_refused() {
        for input in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "\u{fffd}",
            "\u{fffd} hello \u{fffd} world",
            "9223372036854775810ns",
            "9223372036854775808ns",
            "-9223372036854775809ns",
            "9223372036854776us",
            "3000000h",
            "9223372036854775.808us",
            "9223372036854ms775us808ns",
        ] {
            assert!(go_duration(input).is_err(), "{input:?}");
        }
    }

    /// apimachinery's own tables (labels/selector_test.go: TestSelectorParse, TestParse,
    /// TestSetSelectorParser), plus the typo of issue 16.
    #[test]
    fn label_selectors_parse_as_kubectl_parses_them() {
        for good in [
            "x=a,y=b,z=c",
            "x!=a,y=b",
            "x=",
            "x= ",
            "x=,z= ",
            "x= ,z= ",
            "!x",
            "x>1",
            "x>1,z<5",
            "x==a",
            "x=a, y=b",
            "x in (foo,bar,baz)",
            "x in (foo,,baz),y,z notin ()",
            "x notin(foo,,baz)",
            "x in (,)",
            "x in (foo)",
            "x in ()",
            "in in (in,notin)",
            "example.com/team=payments,!kubernetes.io/metadata.name",
            "team",
        ] {
            assert_eq!(label_selector(good).as_deref(), Ok(good), "{good:?}");
        }
        for (bad, why) in [
            ("a b !!", "found \"b\" after key \"a\""),
            ("x=a||y=b", "invalid label value"),
            ("x==a==b", "found \"==\", expected ',' or the end"),
            ("!x=a", "found \"=\", expected ',' or the end"),
            ("x<a", "integer"),
            ("x>", "integer"),
            ("x in (foo,bar", "expected ',' or ')'"),
            ("x in foo", "expected '('"),
            ("x in (a b)", "expected ',' or ')'"),
            ("x=a,", "after ','"),
            (",x=a", "expected a key"),
            ("x=a,,y=b", "after ','"),
            ("Bad Key=x", "found \"Key\""),
            ("-bad=x", "invalid key"),
            ("x=-bad", "invalid label value"),
            ("x=(a)", "expected a value"),
            ("!", "expected a key"),
            ("", "is empty"),
            ("   ", "is empty"),
        ] {
            let err = label_selector(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn flags_take_go_durations_or_seconds() {
        assert_eq!(duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(duration("-1s").is_err());
        assert!(duration("2d").is_err());
        assert_eq!(request_timeout("0"), Ok(Duration::ZERO));
        assert_eq!(probe_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(probe_timeout("2m"), Ok(Duration::from_secs(120)));
        for bad in ["0", "0s", "11m", "", "ten", "500ms"] {
            assert!(probe_timeout(bad).is_err(), "{bad}");
        }
        assert_eq!(before("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(before("0").is_err());
    }
}
