//! What the size-parity view per lever is sized to (`par=` in the link): a configuration's
//! weights or a typed size. State, so the scenario can hold it without knowing the view.

use crate::core::text::i18n::Msg;
use crate::core::text::units::{clip, Size, Unit};

/// What the view is sized to; `par=` in the link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// The weight bytes of configuration `i` (0-based; `par=c1` is the first).
    Config(usize),
    /// A size as typed: `par=24GB`.
    Size(Size),
}

impl Default for Target {
    fn default() -> Target {
        Target::Config(0)
    }
}

impl Target {
    /// `c1`, `24GB`.
    pub fn encode(&self) -> String {
        match self {
            Target::Config(i) => format!("c{}", i + 1),
            Target::Size(s) => s.encode(),
        }
    }

    /// `c<n>` for configuration n of `configs`, or a size (`24GB`, `1.5TB`, `500MB`, `16GiB`).
    pub fn parse(text: &str, configs: usize) -> Result<Target, Msg> {
        let s = text.trim().to_ascii_lowercase();
        if let Some(n) = s.strip_prefix('c') {
            return match n.parse::<usize>() {
                Ok(i) if (1..=configs).contains(&i) => Ok(Target::Config(i - 1)),
                _ => Err(crate::msg!(par_bad_config, clip(text), configs)),
            };
        }
        match Size::parse(text, &Unit::ALL, false) {
            Ok(size) if size.bytes() >= 1_000_000 => Ok(Target::Size(size)),
            _ => Err(crate::msg!(par_bad, clip(text))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::i18n::Lang;

    #[test]
    fn targets_read_and_write() {
        for (text, want) in [("c2", Target::Config(1)), (" C1 ", Target::Config(0))] {
            assert_eq!(Target::parse(text, 2), Ok(want));
        }
        let s = Target::parse("24GB", 2).unwrap();
        assert_eq!(s.encode(), "24GB");
        assert_eq!(Target::Config(0).encode(), "c1");
        assert_eq!(Target::parse("16gib", 1).map(|t| t.encode()), Ok("16GiB".into()));
        for bad in ["c3", "c0", "cx", "24", "0GB", "1KB", "-5GB", "x"] {
            let e = Target::parse(bad, 2).unwrap_err();
            assert!(!e.to_string().is_empty(), "{bad}");
            assert_ne!(e.text(Lang::En), e.text(Lang::ZhCn), "{bad}");
        }
        assert!(Target::parse("c3", 2).unwrap_err().contains("2"), "names how many there are");
    }
}
