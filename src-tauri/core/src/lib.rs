//! Seatdesk's core: the domain rules, the SQLite store and the service layer
//! that the window and the command line share. No Tauri here, so it builds
//! and tests in seconds.

pub mod domain;
pub mod error;
pub mod service;
pub mod store;

pub use error::{Error, ErrorCode, Result};
pub use service::{Clock, Scope, Seatdesk};

/// The name of the computer's user running Seatdesk (for the audit log):
/// `$USER`, else `$LOGNAME`, else the password database's name for the
/// process's user id, else `uid N`.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(v) = std::env::var(var) {
            if !v.trim().is_empty() {
                return v;
            }
        }
    }
    // SAFETY: getuid cannot fail; getpwuid_r writes only into `buf` and `pw`.
    unsafe {
        let uid = libc::getuid();
        let mut pw: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let mut buf = vec![0 as libc::c_char; 4096];
        if libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr(), buf.len(), &mut found) == 0 && !found.is_null() && !pw.pw_name.is_null() {
            return std::ffi::CStr::from_ptr(pw.pw_name).to_string_lossy().into_owned();
        }
        format!("uid {uid}")
    }
}
