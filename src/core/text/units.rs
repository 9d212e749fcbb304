//! Parameter counts and byte sizes: exact parsing, canonical text, and display.

use crate::core::text::i18n::{fill, Msg, Strings};
use crate::msg;

/// Above this a count is refused as absurd (100 trillion parameters).
pub const MAX_PARAMS: u64 = 100_000_000_000_000;

const SUFFIXES: [(char, u32); 4] = [('T', 12), ('B', 9), ('M', 6), ('K', 3)];

/// Parses `7B`, `1.5T`, `350M`, `8e9`, `12k`, `8030261248` exactly (no floating point):
/// a decimal mantissa, an optional exponent and an optional K/M/B(G)/T suffix. A fractional
/// result is rounded to the nearest whole parameter.
pub fn parse_count(text: &str) -> Result<u64, Msg> {
    let s = text.trim();
    let bad = || msg!(err_count, clip(text));
    let (body, suffix_exp) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 3),
        Some('M') => (&s[..s.len() - 1], 6),
        Some('B' | 'G') => (&s[..s.len() - 1], 9),
        Some('T') => (&s[..s.len() - 1], 12),
        _ => (s, 0),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().map_err(|_| bad())?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return Err(msg!(err_digits, clip(text)));
    }
    let mant: u128 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| bad())? };
    let scale = i64::from(exp) + i64::from(suffix_exp) - frac.len() as i64;
    let too_big = || msg!(err_count_big, clip(text));
    let value: u128 = if mant == 0 {
        0
    } else if scale >= 0 {
        let p = 10u128.checked_pow(u32::try_from(scale).map_err(|_| too_big())?).ok_or_else(too_big)?;
        mant.checked_mul(p).ok_or_else(too_big)?
    } else if scale < -38 {
        0
    } else {
        let p = 10u128.pow((-scale) as u32);
        (mant + p / 2) / p
    };
    if value == 0 {
        return Err(msg!(err_count_zero, clip(text)));
    }
    if value > u128::from(MAX_PARAMS) {
        return Err(too_big());
    }
    Ok(value as u64)
}

/// The shortest exact text for a count with the largest suffix that keeps it ≥ 1: `8.030261248B`.
pub fn format_count(n: u64) -> String {
    for (c, e) in SUFFIXES {
        let p = 10u64.pow(e);
        if n >= p {
            let (int, frac) = (n / p, n % p);
            if frac == 0 {
                return format!("{int}{c}");
            }
            let frac = format!("{frac:0width$}", width = e as usize);
            return format!("{int}.{}{c}", frac.trim_end_matches('0'));
        }
    }
    n.to_string()
}

/// Three significant figures for display: `8.03B`, `110M`, `671B`.
pub fn human_count(n: u64) -> String {
    for (c, e) in SUFFIXES {
        let v = n as f64 / 10f64.powi(e as i32);
        if v >= 1.0 {
            return format!("{}{c}", sig3(v));
        }
    }
    n.to_string()
}

/// A count rounded to three significant figures (at least 1): 21,284,000,000 → 21.3B.
pub fn round_count(n: f64) -> u64 {
    if !n.is_finite() || n < 1.0 {
        return 1;
    }
    let step = 10f64.powi(libm::log10(n).floor() as i32 - 2).max(1.0);
    ((n / step).round() * step).min(MAX_PARAMS as f64) as u64
}

/// Three significant figures, trailing zeros dropped: `62.5`, `100`, `1.5`.
pub fn sig3(v: f64) -> String {
    let s = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Positions of the parameter-count slider: log scale from 1M to 2T.
pub const SLIDER_STEPS: u32 = 1000;
const SLIDER_LOG_MIN: f64 = 6.0;
const SLIDER_LOG_MAX: f64 = 12.301_029_995_663_981; // log10(2e12)

/// The count at a slider position, rounded to three significant figures (`7.24B`).
pub fn slider_to_count(pos: u32) -> u64 {
    let e =
        SLIDER_LOG_MIN + (SLIDER_LOG_MAX - SLIDER_LOG_MIN) * f64::from(pos.min(SLIDER_STEPS)) / f64::from(SLIDER_STEPS);
    let k = (e.floor() as u32).saturating_sub(2);
    let mant = libm::pow(10f64, e - f64::from(k)).round() as u64;
    mant * 10u64.pow(k)
}

/// The slider position nearest a count (clamped to the ends).
pub fn count_to_slider(n: u64) -> u32 {
    let t = (libm::log10(n.max(1) as f64) - SLIDER_LOG_MIN) / (SLIDER_LOG_MAX - SLIDER_LOG_MIN);
    (t * f64::from(SLIDER_STEPS)).round().clamp(0.0, f64::from(SLIDER_STEPS)) as u32
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    MB,
    GB,
    TB,
    MiB,
    GiB,
    TiB,
}

impl Unit {
    pub const ALL: [Unit; 6] = [Unit::MB, Unit::GB, Unit::TB, Unit::MiB, Unit::GiB, Unit::TiB];

    pub fn bytes(self) -> f64 {
        match self {
            Unit::MB => 1e6,
            Unit::GB => 1e9,
            Unit::TB => 1e12,
            Unit::MiB => 1048576.0,
            Unit::GiB => 1073741824.0,
            Unit::TiB => 1099511627776.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::MB => "MB",
            Unit::GB => "GB",
            Unit::TB => "TB",
            Unit::MiB => "MiB",
            Unit::GiB => "GiB",
            Unit::TiB => "TiB",
        }
    }
}

/// A size as the user wrote it: `24GB`, `0.5GiB`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub value: f64,
    pub unit: Unit,
}

/// No size anyone means is above an exabyte.
pub const MAX_SIZE_BYTES: f64 = 1e18;

impl Size {
    pub fn bytes(self) -> u64 {
        (self.value * self.unit.bytes()).round() as u64
    }

    /// `24GB`: the shortest text that reads back to the same value.
    pub fn encode(self) -> String {
        format!("{}{}", self.value, self.unit.name())
    }

    /// Reads `<number><unit>` with a unit from `units`; zero only when `allow_zero`.
    pub fn parse(text: &str, units: &[Unit], allow_zero: bool) -> Result<Size, Msg> {
        let s = text.trim();
        let split = s.find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E').unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let names: Vec<&str> = units.iter().map(|u| u.name()).collect();
        let unit = units
            .iter()
            .copied()
            .find(|u| u.name().eq_ignore_ascii_case(unit.trim()))
            .ok_or_else(|| msg!(err_unit, clip(text), names.join(", ")))?;
        let value: f64 = num.trim().parse().map_err(|_| msg!(err_number, clip(text)))?;
        if !value.is_finite() || value < 0.0 || (value == 0.0 && !allow_zero) {
            return Err(msg!(err_positive, clip(text)));
        }
        if value * unit.bytes() > MAX_SIZE_BYTES {
            return Err(msg!(err_exabyte, clip(text)));
        }
        Ok(Size { value, unit })
    }
}

/// `16.06 GB`: decimal units, two decimals below 100, one below 1000.
pub fn fmt_bytes(bytes: u64) -> String {
    scaled(bytes as f64, &[(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")])
}

/// `14.96 GiB`: binary units, same precision.
pub fn fmt_bytes_binary(bytes: u64) -> String {
    scaled(bytes as f64, &[(1099511627776.0, "TiB"), (1073741824.0, "GiB"), (1048576.0, "MiB"), (1024.0, "KiB")])
}

fn scaled(b: f64, units: &[(f64, &str)]) -> String {
    for &(size, name) in units {
        if b >= size {
            let v = b / size;
            return if v >= 1000.0 {
                format!("{v:.0} {name}")
            } else if v >= 100.0 {
                format!("{v:.1} {name}")
            } else {
                format!("{v:.2} {name}")
            };
        }
    }
    format!("{b:.0} B")
}

/// `16,060,522,496`.
pub fn fmt_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Keeps echoed user text short in messages.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// `+0.0283`, or `≈ 0` when it rounds away.
pub fn delta_text(d: f64) -> String {
    if d.abs() < 5e-5 {
        "≈ 0".into()
    } else {
        format!("{d:+.4}")
    }
}

/// `+2.87 % PPL` for a Δloss.
pub fn ppl_text(d: f64, t: &Strings) -> String {
    let p = libm::expm1(d) * 100.0;
    if p.abs() < 0.005 {
        t.ppl_none.into()
    } else {
        fill(t.ppl_change, &[&format!("{p:+.2}")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_to_three_figures() {
        assert_eq!(round_count(21_284_000_000.0), 21_300_000_000);
        assert_eq!(round_count(87_549.0), 87_500);
        assert_eq!(round_count(7.0), 7);
        assert_eq!(round_count(f64::NAN), 1);
        assert_eq!(round_count(1e30), MAX_PARAMS);
    }

    #[test]
    fn counts_parse_exactly() {
        assert_eq!(parse_count("7B"), Ok(7_000_000_000));
        assert_eq!(parse_count("1.5T"), Ok(1_500_000_000_000));
        assert_eq!(parse_count("350M"), Ok(350_000_000));
        assert_eq!(parse_count("7e9"), Ok(7_000_000_000));
        assert_eq!(parse_count(" 8.030261248b "), Ok(8_030_261_248));
        assert_eq!(parse_count("12k"), Ok(12_000));
        assert_eq!(parse_count("110"), Ok(110));
        assert_eq!(parse_count("1.5"), Ok(2));
        assert_eq!(parse_count("0.5e-0"), Ok(1));
        assert_eq!(parse_count("7G"), Ok(7_000_000_000));
        assert_eq!(parse_count(".5M"), Ok(500_000));
    }

    #[test]
    fn bad_counts_say_why() {
        for bad in ["", "abc", "NaN", "inf", "-1", "1e", "7X", "1..2", "e9", "B"] {
            let e = parse_count(bad).unwrap_err();
            assert!(e.to_string().contains("not a parameter count"), "{bad}: {e}");
        }
        assert!(parse_count("0").unwrap_err().to_string().contains("zero"));
        assert!(parse_count("1e30").unwrap_err().to_string().contains("100T"));
        assert!(parse_count("101T").unwrap_err().to_string().contains("100T"));
        assert!(parse_count("1e999999999999").is_err());
        assert!(parse_count(&"9".repeat(40)).unwrap_err().to_string().contains("digits"));
        assert!(parse_count("0.0000001").unwrap_err().to_string().contains("zero"));
    }

    #[test]
    fn counts_format_canonically() {
        assert_eq!(format_count(7_000_000_000), "7B");
        assert_eq!(format_count(1_500_000_000_000), "1.5T");
        assert_eq!(format_count(8_030_261_248), "8.030261248B");
        assert_eq!(format_count(350_000_000), "350M");
        assert_eq!(format_count(1_001), "1.001K");
        assert_eq!(format_count(999), "999");
        assert_eq!(human_count(8_030_261_248), "8.03B");
        assert_eq!(human_count(70_553_706_496), "70.6B");
        assert_eq!(human_count(110_104_890), "110M");
        assert_eq!(human_count(1_000_000), "1M");
    }

    #[test]
    fn sizes_parse_and_encode() {
        let s = Size::parse("24GB", &Unit::ALL, false).unwrap();
        assert_eq!(s, Size { value: 24.0, unit: Unit::GB });
        assert_eq!(s.encode(), "24GB");
        assert_eq!(s.bytes(), 24_000_000_000);
        assert_eq!(Size::parse("0.5 gib", &Unit::ALL, false).unwrap().bytes(), 536_870_912);
        assert_eq!(Size::parse("1.5e1GB", &Unit::ALL, false).unwrap().value, 15.0);
        assert!(Size::parse("24", &Unit::ALL, false).unwrap_err().to_string().contains("unit"));
        assert!(Size::parse("NaNGB", &Unit::ALL, false).is_err());
        assert!(Size::parse("infGB", &Unit::ALL, false).is_err());
        assert!(Size::parse("-3GB", &Unit::ALL, false).is_err());
        assert!(Size::parse("0GB", &Unit::ALL, false).is_err());
        assert!(Size::parse("0GB", &Unit::ALL, true).is_ok());
        assert!(Size::parse("2000000TB", &Unit::ALL, false).unwrap_err().to_string().contains("exabyte"));
        assert!(Size::parse("24MB", &[Unit::GB], false).is_err());
    }

    #[test]
    fn slider_is_log_scaled_with_round_ends() {
        assert_eq!(slider_to_count(0), 1_000_000);
        assert_eq!(slider_to_count(SLIDER_STEPS), 2_000_000_000_000);
        assert_eq!(slider_to_count(u32::MAX), 2_000_000_000_000);
        let mut last = 0;
        for pos in 0..=SLIDER_STEPS {
            let n = slider_to_count(pos);
            assert!(n > last, "monotonic at {pos}");
            assert_eq!(count_to_slider(n), pos, "round trip at {pos}");
            last = n;
        }
        assert_eq!(count_to_slider(1), 0);
        assert_eq!(count_to_slider(u64::MAX), SLIDER_STEPS);
        // One step is 0.63 % of a decade in log10, so any count lands within 0.8 % of itself.
        let near = slider_to_count(count_to_slider(8_030_261_248)) as f64;
        assert!((near / 8_030_261_248.0 - 1.0).abs() < 0.008, "{near}");
    }

    #[test]
    fn bytes_display() {
        assert_eq!(fmt_bytes(16_060_522_496), "16.06 GB");
        assert_eq!(fmt_bytes(440_419_560), "440.4 MB");
        assert_eq!(fmt_bytes(1_073_741_824), "1.07 GB");
        assert_eq!(fmt_bytes_binary(1_073_741_824), "1.00 GiB");
        assert_eq!(fmt_bytes(512), "512 B");
        assert_eq!(fmt_thousands(16_060_522_496), "16,060,522,496");
        assert_eq!(fmt_thousands(999), "999");
        assert_eq!(clip(&"x".repeat(50)).chars().count(), 41);
    }
}
