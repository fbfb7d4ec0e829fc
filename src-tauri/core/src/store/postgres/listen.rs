//! Live updates from a shared server: a connection of its own that listens
//! for `seatdesk_changes` (sent as each change commits, see migration 3) and
//! says which account changed, skipping the changes of the watching desk's
//! own connection.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::PgConn;
use crate::error::Result;

/// A running listener; it stops when dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Listener {
    /// Connects to `url` (with `password` if given) and calls `changed`
    /// with the name of each account another connection changed.
    /// `own_pid` is the backend of the desk's own connection.
    pub fn start(url: &str, password: Option<&str>, schema: Option<&str>, own_pid: i32, changed: impl Fn(String) + Send + 'static) -> Result<Listener> {
        let mut conn = PgConn::connect_with(url, password, schema)?;
        conn.client().batch_execute("LISTEN seatdesk_changes")?;
        let schema: String = conn.client().query_one("SELECT current_schema()::text", &[])?.try_get(0)?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::Builder::new()
            .name("seatdesk-listen".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    let mut ids = Vec::new();
                    {
                        // Notices are gathered for at most 200 ms, then said:
                        // a busy server (others' schemas share the channel)
                        // never holds them back.
                        let gathering = std::time::Instant::now();
                        let mut notices = conn.client().notifications();
                        let mut waiting = notices.timeout_iter(Duration::from_millis(500));
                        while !stopped.load(Ordering::Relaxed) && (ids.is_empty() || gathering.elapsed() < Duration::from_millis(200)) {
                            match waiting.next() {
                                Ok(Some(n)) if n.process_id() != own_pid => {
                                    let here = n.payload().strip_prefix(schema.as_str()).and_then(|rest| rest.strip_prefix(':'));
                                    if let Some(id) = here.and_then(|id| id.parse::<i64>().ok()) {
                                        ids.push(id);
                                    }
                                }
                                Ok(Some(_)) => {}
                                Ok(None) => break,
                                // The server went away: the window's own
                                // commands will say so.
                                Err(_) => return,
                            }
                        }
                    }
                    ids.sort_unstable();
                    ids.dedup();
                    for id in ids {
                        if let Ok(Some(row)) = conn.client().query_opt("SELECT name FROM account WHERE id = $1", &[&id]) {
                            changed(row.get(0));
                        }
                    }
                }
            })
            .map_err(|e| crate::error::Error::internal(format!("cannot start listening: {e}")))?;
        Ok(Listener { stop })
    }
}
