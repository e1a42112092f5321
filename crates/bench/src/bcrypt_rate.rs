//! The raw bcrypt verification rate: what the product's sign-in rate is
//! compared with. THREADS plain threads verify one hash in a loop for the
//! given time, with nothing else around them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub fn run(cost: u32, threads: usize, seconds: u64) -> anyhow::Result<()> {
    let password = "correct horse battery staple, for the benchmark";
    let hash = Arc::new(bcrypt::hash(password, cost)?);
    let stop = Arc::new(AtomicBool::new(false));
    let checks = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads.max(1))
        .map(|_| {
            let (hash, stop, checks) = (hash.clone(), stop.clone(), checks.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if bcrypt::verify(password, &hash).unwrap_or(false) {
                        checks.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let done = checks.load(Ordering::Relaxed);
    println!(
        "{{\"cost\": {cost}, \"threads\": {threads}, \"checks\": {done}, \"seconds\": {elapsed:.2}, \"per_second\": {:.2}}}",
        done as f64 / elapsed
    );
    Ok(())
}
