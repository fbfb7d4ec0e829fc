//! Test builds only: the kill harness stops a process at a chosen point of
//! its bulk write and kills it there. `SEATDESK_TEST_PAUSE` names the point
//! (`before`: the first write after opening, before its transaction begins;
//! `inside`: the first write of at least [`BULK_ROWS`] rows, after
//! its rows and before its commit; `after`: right after that commit), and
//! `SEATDESK_TEST_PAUSE_MARKER` a file written when the process gets
//! there. It then waits (up to a minute) to be killed.

use std::sync::atomic::{AtomicBool, Ordering};

pub const BULK_ROWS: u64 = 500;
static DONE: AtomicBool = AtomicBool::new(false);

fn point() -> Option<String> {
    std::env::var("SEATDESK_TEST_PAUSE").ok()
}

fn wait_here(phase: &str) {
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    if let Some(marker) = std::env::var_os("SEATDESK_TEST_PAUSE_MARKER") {
        // Written aside, then renamed: the harness never reads it half written.
        let marker = std::path::PathBuf::from(marker);
        let aside = marker.with_extension("writing");
        if std::fs::write(&aside, phase).is_ok() {
            let _ = std::fs::rename(&aside, &marker);
        }
    }
    std::thread::sleep(std::time::Duration::from_secs(60));
}

pub fn before_write(opened: bool) {
    if opened && point().as_deref() == Some("before") {
        wait_here("before");
    }
}

pub fn inside_write(bulk: bool) {
    if bulk && point().as_deref() == Some("inside") {
        wait_here("inside");
    }
}

pub fn after_write(bulk: bool) {
    if bulk && point().as_deref() == Some("after") {
        wait_here("after");
    }
}
