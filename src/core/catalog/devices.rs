//! Devices a budget can name: memory as the system reports it, and memory bandwidth.

use crate::core::text::i18n::Key;
use crate::core::text::i18n::Prose::{self, Same, Text};

#[derive(Debug, PartialEq)]
pub struct Device {
    pub id: &'static str,
    pub name: Prose,
    pub memory_bytes: u64,
    /// Peak memory bandwidth, GB/s (vendor spec).
    pub bandwidth_gbs: f64,
    pub note: &'static str,
}

/// Apple silicon: unified memory, of which Metal lets the GPU wire only part by default.
fn unified(note: &str) -> bool {
    note == UNIFIED
}

impl Device {
    /// Its name in the page's language (the phone's is a word; the rest are product names).
    pub fn name_in(&self, lang: crate::core::text::i18n::Lang) -> &'static str {
        lang.prose(self.name)
    }

    /// Unified memory (Apple silicon): the GPU may use only part of it.
    pub fn is_unified(&self) -> bool {
        unified(self.note)
    }

    /// What the GPU may use: a card's whole memory; on Apple silicon, Metal's default working-set
    /// limit (`recommendedMaxWorkingSetSize`), 2/3 of memory up to 32 GiB and 3/4 above. Measured:
    /// 10,922.67 MiB on 16 GB Macs (llama-cpp-python#687, exo#1672), 21,845.34 MiB on a 32 GB M2
    /// Pro, 49,152 MiB on a 64 GB Mac and "75 % of total RAM" (gpustack#1375). 36 and 48 GB
    /// machines are not pinned by a measurement here: they take 3/4. `sudo sysctl
    /// iogpu.wired_limit_mb=N` raises it until the next restart (macOS 14 and later).
    pub fn gpu_bytes(&self) -> u64 {
        match (self.is_unified(), self.memory_bytes <= 32 * GIB) {
            (false, _) => self.memory_bytes,
            (true, true) => self.memory_bytes / 3 * 2,
            (true, false) => self.memory_bytes / 4 * 3,
        }
    }
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

const SMI: &str = "memory: nvidia-smi total";
const UNIFIED: &str = "unified memory; by default macOS lets the GPU wire 2/3 of it up to 32 GB and 3/4 above";

/// The device list, smallest first within each kind.
pub static DEVICES: &[Device] = &[
    Device {
        id: "phone-8gb",
        name: Text(Key::dev_phone_8gb),
        memory_bytes: 8 * GIB,
        bandwidth_gbs: 68.0,
        note: "shared with the OS and apps (LPDDR5X, 64-bit)",
    },
    Device { id: "rtx-3060", name: Same("RTX 3060 12 GB"), memory_bytes: 12288 * MIB, bandwidth_gbs: 360.0, note: SMI },
    Device {
        id: "rtx-4090",
        name: Same("RTX 4090 24 GB"),
        memory_bytes: 24564 * MIB,
        bandwidth_gbs: 1008.0,
        note: SMI,
    },
    Device {
        id: "rtx-5090",
        name: Same("RTX 5090 32 GB"),
        memory_bytes: 32607 * MIB,
        bandwidth_gbs: 1792.0,
        note: SMI,
    },
    Device { id: "a100-40gb", name: Same("A100 40 GB"), memory_bytes: 40960 * MIB, bandwidth_gbs: 1555.0, note: SMI },
    Device { id: "a100-80gb", name: Same("A100 80 GB"), memory_bytes: 81920 * MIB, bandwidth_gbs: 2039.0, note: SMI },
    Device {
        id: "h100-80gb",
        name: Same("H100 80 GB (SXM)"),
        memory_bytes: 81559 * MIB,
        bandwidth_gbs: 3350.0,
        note: SMI,
    },
    Device { id: "h200", name: Same("H200 141 GB"), memory_bytes: 143771 * MIB, bandwidth_gbs: 4800.0, note: SMI },
    Device { id: "b200", name: Same("B200 192 GB"), memory_bytes: 183359 * MIB, bandwidth_gbs: 8000.0, note: SMI },
    Device {
        id: "mac-16gb",
        name: Same("Apple M4, 16 GB"),
        memory_bytes: 16 * GIB,
        bandwidth_gbs: 120.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-24gb",
        name: Same("Apple M4 Pro, 24 GB"),
        memory_bytes: 24 * GIB,
        bandwidth_gbs: 273.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-32gb",
        name: Same("Apple M4, 32 GB"),
        memory_bytes: 32 * GIB,
        bandwidth_gbs: 120.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-36gb",
        name: Same("Apple M4 Max, 36 GB"),
        memory_bytes: 36 * GIB,
        bandwidth_gbs: 410.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-48gb",
        name: Same("Apple M4 Pro, 48 GB"),
        memory_bytes: 48 * GIB,
        bandwidth_gbs: 273.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-64gb",
        name: Same("Apple M4 Max, 64 GB"),
        memory_bytes: 64 * GIB,
        bandwidth_gbs: 546.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-96gb",
        name: Same("Apple M3 Ultra, 96 GB"),
        memory_bytes: 96 * GIB,
        bandwidth_gbs: 819.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-128gb",
        name: Same("Apple M4 Max, 128 GB"),
        memory_bytes: 128 * GIB,
        bandwidth_gbs: 546.0,
        note: UNIFIED,
    },
    Device {
        id: "mac-192gb",
        name: Same("Apple M2 Ultra, 192 GB"),
        memory_bytes: 192 * GIB,
        bandwidth_gbs: 800.0,
        note: UNIFIED,
    },
];

pub fn by_id(id: &str) -> Option<&'static Device> {
    DEVICES.iter().find(|d| d.id == id)
}

/// System RAM that weights can be offloaded to: DDR generation, speed and channel count. Its
/// peak bandwidth is written here as the spec computes it: channels × MT/s × 8 bytes (one 64-bit
/// channel moves 8 bytes a transfer).
#[derive(Debug, PartialEq)]
pub struct RamKind {
    pub id: &'static str,
    /// `DDR5-6000`
    pub memory: &'static str,
    pub channels: u32,
    /// Mega-transfers per second per channel.
    pub mts: u32,
    /// Where it is found (product names, not translated).
    pub platform: &'static str,
}

impl RamKind {
    /// Peak bandwidth, GB/s: channels × MT/s × 8 bytes.
    pub fn bandwidth_gbs(&self) -> f64 {
        f64::from(self.channels) * f64::from(self.mts) * 8.0 / 1000.0
    }
}

/// RAM presets, desktops first. 2 × 3,200 × 8 = 51.2 GB/s; 2 × 6,000 × 8 = 96 GB/s;
/// 8 × 4,800 × 8 = 307.2 GB/s; 12 × 4,800 × 8 = 460.8 GB/s.
pub static RAM_KINDS: &[RamKind] = &[
    RamKind { id: "ddr4-3200-2ch", memory: "DDR4-3200", channels: 2, mts: 3200, platform: "AM4, LGA 1200" },
    RamKind { id: "ddr5-5600-2ch", memory: "DDR5-5600", channels: 2, mts: 5600, platform: "LGA 1700, LGA 1851" },
    RamKind { id: "ddr5-6000-2ch", memory: "DDR5-6000", channels: 2, mts: 6000, platform: "AM5" },
    RamKind { id: "ddr5-6400-4ch", memory: "DDR5-6400", channels: 4, mts: 6400, platform: "Threadripper 7000" },
    RamKind { id: "ddr4-3200-8ch", memory: "DDR4-3200", channels: 8, mts: 3200, platform: "EPYC 7003 Milan" },
    RamKind { id: "ddr5-4800-8ch", memory: "DDR5-4800", channels: 8, mts: 4800, platform: "Xeon Sapphire Rapids" },
    RamKind { id: "ddr5-4800-12ch", memory: "DDR5-4800", channels: 12, mts: 4800, platform: "EPYC 9004 Genoa" },
];

pub fn ram_by_id(id: &str) -> Option<&'static RamKind> {
    RAM_KINDS.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metal's default working set, as llama.cpp prints it (`recommendedMaxWorkingSetSize`, MiB):
    /// 10,922.67 on 16 GB, 21,845.34 on 32 GB, 49,152.00 on 64 GB; a card keeps all its memory.
    #[test]
    fn the_gpu_share_of_unified_memory() {
        let mib = |id: &str| by_id(id).unwrap().gpu_bytes() as f64 / MIB as f64;
        assert!((mib("mac-16gb") - 10_922.67).abs() < 0.01, "{}", mib("mac-16gb"));
        assert!((mib("mac-32gb") - 21_845.34).abs() < 0.01, "{}", mib("mac-32gb"));
        assert_eq!(mib("mac-64gb"), 49_152.0);
        assert_eq!(by_id("rtx-4090").unwrap().gpu_bytes(), 24564 * MIB);
        assert!(by_id("mac-192gb").unwrap().is_unified() && !by_id("h100-80gb").unwrap().is_unified());
    }

    /// Peak bandwidth by hand, channels × MT/s × 8 bytes: dual-channel DDR4-3200 51.2 GB/s,
    /// dual-channel DDR5-6000 96 GB/s, 8-channel DDR5-4800 (Sapphire Rapids) 307.2 GB/s,
    /// 12-channel DDR5-4800 (EPYC Genoa, AMD's spec sheet: 460.8 GB/s).
    #[test]
    fn ram_bandwidth_by_hand() {
        let bw = |id: &str| ram_by_id(id).unwrap().bandwidth_gbs();
        assert_eq!(bw("ddr4-3200-2ch"), 51.2);
        assert_eq!(bw("ddr5-6000-2ch"), 96.0);
        assert_eq!(bw("ddr5-4800-8ch"), 307.2);
        assert_eq!(bw("ddr5-4800-12ch"), 460.8);
        assert_eq!(bw("ddr4-3200-8ch"), 204.8);
        for (i, a) in RAM_KINDS.iter().enumerate() {
            assert!(a.id.starts_with(&a.memory.to_ascii_lowercase()) && a.id.ends_with(&format!("-{}ch", a.channels)));
            assert!(RAM_KINDS[i + 1..].iter().all(|b| b.id != a.id));
        }
    }

    #[test]
    fn ids_unique_and_sizes_sane() {
        for (i, a) in DEVICES.iter().enumerate() {
            assert!(a.memory_bytes >= 8 * GIB && a.bandwidth_gbs > 0.0);
            for b in &DEVICES[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
        // The 4090 reports 24564 MiB: 25.76 GB.
        assert_eq!(by_id("rtx-4090").unwrap().memory_bytes, 25_757_220_864);
    }
}
