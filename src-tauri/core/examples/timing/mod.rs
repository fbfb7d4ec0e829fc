//! What the benchmarks share: timing a closure, p50 / p95, and one printed
//! row per operation (Seatdesk, its hand-written floor, and the ratio).
// Each benchmark uses some of these.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// The median and the 95th percentile, in milliseconds.
pub fn stats(mut t: Vec<Duration>) -> (f64, f64) {
    t.sort();
    let at = |p: f64| t[((t.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.95))
}

/// Runs `f` once to warm up (with `usize::MAX`), then `runs` times timed.
pub fn time(runs: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    f(usize::MAX);
    stats(
        (0..runs)
            .map(|i| {
                let t = Instant::now();
                f(i);
                t.elapsed()
            })
            .collect(),
    )
}

/// Times `ours` and `floor` in turns (one run of each, then the next), so
/// that both meet the same background work (autovacuum after a batch).
pub fn pair(runs: usize, mut ours: impl FnMut(usize), mut floor: impl FnMut(usize)) -> ((f64, f64), (f64, f64)) {
    ours(usize::MAX);
    floor(usize::MAX);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let t = Instant::now();
        ours(i);
        a.push(t.elapsed());
        let t = Instant::now();
        floor(i);
        b.push(t.elapsed());
    }
    (stats(a), stats(b))
}

/// One printed row: p50 and p95 of Seatdesk, of the floor, and the ratio at p95.
pub fn row(name: &str, ours: (f64, f64), floor: Option<(f64, f64)>) {
    match floor {
        Some(fl) => println!("{name:<46} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7.2}", ours.0, ours.1, fl.0, fl.1, ours.1 / fl.1.max(1e-6)),
        None => println!("{name:<46} {:>9.2} {:>9.2} {:>9} {:>9} {:>7}", ours.0, ours.1, "-", "-", "-"),
    }
}

/// The header over the rows.
pub fn header() {
    println!("{:<46} {:>9} {:>9} {:>9} {:>9} {:>7}", "operation", "p50 ms", "p95 ms", "floor p50", "floor p95", "ratio95");
}
