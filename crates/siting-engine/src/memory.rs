//! The process's resident memory, for the stages' reports: its peak during
//! a stage, where the platform tells it.
//!
//! On Linux the kernel keeps the peak resident set size (`VmHWM` in
//! `/proc/self/status`) and resets it when `5` is written to
//! `/proc/self/clear_refs` (proc(5)); a stage resets it at its start and
//! reads it at its end. Elsewhere, or where the reset is refused, there is
//! no per-stage figure.

/// Resets the process's peak resident memory to its current resident
/// memory; `false` where the platform does not allow it.
pub fn reset_peak() -> bool {
    #[cfg(target_os = "linux")]
    {
        std::fs::write("/proc/self/clear_refs", b"5").is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// The process's peak resident memory since it started or since the last
/// [`reset_peak`], bytes, where the platform tells it.
pub fn peak_rss_bytes() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        vm_hwm_bytes(&status)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// `VmHWM` of a `/proc/PID/status` text, bytes (the kernel writes kB,
/// meaning KiB).
fn vm_hwm_bytes(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let mut words = line["VmHWM:".len()..].split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => Some(n * 1024),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_read_from_the_status_text() {
        let status =
            "Name:\tsiting\nVmPeak:\t  900000 kB\nVmHWM:\t  812340 kB\nVmRSS:\t  500000 kB\n";
        assert_eq!(vm_hwm_bytes(status), Some(812_340 * 1024));
        assert_eq!(vm_hwm_bytes("VmHWM:\t12 MB\n"), None);
        assert_eq!(vm_hwm_bytes("Name:\tx\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_reset_peak_grows_with_what_is_touched() {
        if !reset_peak() {
            return;
        }
        let before = peak_rss_bytes().expect("Linux reports VmHWM");
        let block = vec![1u8; 64 << 20];
        let after = peak_rss_bytes().expect("Linux reports VmHWM");
        assert!(block.iter().step_by(4096).all(|&b| b == 1));
        assert!(after >= before + (48 << 20), "{before} → {after}");
    }
}
