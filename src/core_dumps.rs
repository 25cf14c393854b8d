//! Core dumps off: a crash must not write the secret (held in this process
//! while it is in use) to a file. Called first thing by the CLI and the app.
//!
//! - Linux: `PR_SET_DUMPABLE` 0 (no core file, no ptrace by other processes
//!   of the same user, `/proc/PID/mem` closed to them) and `RLIMIT_CORE` 0.
//! - macOS and other Unix: `RLIMIT_CORE` 0.
//! - Windows: Windows Error Reporting collects no dump unless an
//!   administrator configured `LocalDumps`; the app sets the error mode so
//!   no crash dialog offers to send one.

/// Turns core dumps off for this process (and what it starts). Best effort:
/// a failure leaves the process as it was, and says nothing (there is no one
/// to tell before start-up).
#[allow(unsafe_code)] // setrlimit/prctl and SetErrorMode: system calls with no safe wrapper
pub fn disable() {
    #[cfg(unix)]
    // SAFETY: plain system calls on this process, with valid arguments.
    unsafe {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    #[cfg(windows)]
    // SAFETY: sets this process's error mode; no pointers involved.
    unsafe {
        use windows_sys::Win32::System::Diagnostics::Debug::{
            SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX, SetErrorMode,
        };
        SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(unix)]
    #[allow(unsafe_code)] // getrlimit/prctl queries: no safe wrapper
    fn after_disable_no_core_file_can_be_written() {
        super::disable();
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: reads this process's limit into a valid struct.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        #[cfg(target_os = "linux")]
        // SAFETY: a query with no pointers.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE) }, 0);
    }
}
