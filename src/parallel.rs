//! Ordered parallel map: work on many items at once, hand the results back one at a time in
//! input order. Ingest uses it to read and extract releases on every core while one thread
//! writes them, so the database is written in the same order, and holds the same rows,
//! whatever the number of workers.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// How many results may wait for their turn per worker: enough to ride out one slow item,
/// few enough that memory stays flat however many items there are.
const AHEAD_PER_WORKER: usize = 64;

/// Items a worker takes at once.
const CHUNK: usize = 16;

/// The number of workers to use when the user does not say: one per core the process may
/// use.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Apply `map` to every item on `jobs` threads and pass each result to `consume` on the
/// calling thread, in the order of `items`. About `jobs × 64` results are held at once.
/// The first error `consume` returns stops the work and is returned.
pub fn ordered_map<T, R, E>(
    items: &[T],
    jobs: usize,
    map: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    ordered_map_iter(
        items.iter().enumerate(),
        jobs,
        |(_, item)| map(item),
        |(index, _), result| consume(index, result),
    )
}

/// `ordered_map` over items an iterator yields, one chunk at a time: the iterator is
/// advanced by the workers (under a lock), so items are made only as fast as they are used
/// and never all held at once. `consume` gets each item back with its result.
pub fn ordered_map_iter<I, T, R, E>(
    items: I,
    jobs: usize,
    map: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(T, R) -> Result<(), E>,
) -> Result<(), E>
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
{
    if jobs <= 1 {
        for item in items {
            let result = map(&item);
            consume(item, result)?;
        }
        return Ok(());
    }
    let window = (jobs * AHEAD_PER_WORKER).div_ceil(CHUNK);
    // the items not yet handed out, and the number of the next chunk
    let source = Mutex::new((items, 0usize, false));
    let stop = AtomicBool::new(false);
    // how many chunks the consumer has taken, for workers that are too far ahead to wait on
    let consumed = (Mutex::new(0usize), Condvar::new());
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<(T, R)>)>(window);
        for _ in 0..jobs {
            let sender = sender.clone();
            let (source, stop, consumed, map) = (&source, &stop, &consumed, &map);
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    // Workers take items a chunk at a time, so that handing work out and
                    // results back costs a lock and a wake-up per chunk rather than per item.
                    let (index, chunk) = {
                        let mut guard = source.lock().unwrap_or_else(|e| e.into_inner());
                        let (iter, next, done) = &mut *guard;
                        if *done {
                            return;
                        }
                        let chunk: Vec<T> = iter.by_ref().take(CHUNK).collect();
                        if chunk.len() < CHUNK {
                            *done = true;
                        }
                        if chunk.is_empty() {
                            return;
                        }
                        *next += 1;
                        (*next - 1, chunk)
                    };
                    {
                        let (count, wake) = consumed;
                        let mut taken = count.lock().unwrap_or_else(|e| e.into_inner());
                        while index >= *taken + window && !stop.load(Ordering::Relaxed) {
                            taken = wake.wait(taken).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    // A panic in `map` must not leave the consumer waiting for this chunk
                    // and the other workers for the consumer: stop everyone, then let the
                    // panic go on (the scope passes it to the caller).
                    let mapped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        chunk
                            .into_iter()
                            .map(|item| {
                                let result = map(&item);
                                (item, result)
                            })
                            .collect::<Vec<(T, R)>>()
                    }));
                    let results = match mapped {
                        Ok(results) => results,
                        Err(panic) => {
                            stop.store(true, Ordering::Relaxed);
                            let (count, wake) = consumed;
                            drop(count.lock().unwrap_or_else(|e| e.into_inner()));
                            wake.notify_all();
                            std::panic::resume_unwind(panic);
                        }
                    };
                    if sender.send((index, results)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, Vec<(T, R)>> = BTreeMap::new();
        let mut wanted = 0;
        let outcome = (|| {
            for (index, results) in &receiver {
                waiting.insert(index, results);
                while let Some(results) = waiting.remove(&wanted) {
                    for (item, result) in results {
                        consume(item, result)?;
                    }
                    wanted += 1;
                    let (count, wake) = &consumed;
                    *count.lock().unwrap_or_else(|e| e.into_inner()) = wanted;
                    wake.notify_all();
                }
            }
            Ok(())
        })();
        if outcome.is_err() {
            stop.store(true, Ordering::Relaxed);
            let (count, wake) = &consumed;
            drop(count.lock().unwrap_or_else(|e| e.into_inner()));
            wake.notify_all();
        }
        // workers blocked on a full channel see it closed and end
        drop(receiver);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn results_arrive_in_input_order_whatever_the_timing() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            ordered_map(
                &items,
                jobs,
                |&n| {
                    // uneven work so that workers finish out of order
                    if n % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(300));
                    }
                    n * n
                },
                |index, square| {
                    seen.push((index, square));
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            let expected: Vec<(usize, u64)> = items.iter().map(|&n| (n as usize, n * n)).collect();
            assert_eq!(seen, expected, "jobs = {jobs}");
        }
    }

    #[test]
    fn workers_stay_within_the_window_of_the_consumer() {
        let items: Vec<usize> = (0..2000).collect();
        let started = AtomicUsize::new(0);
        let mut furthest_ahead = 0;
        ordered_map(
            &items,
            4,
            |&n| {
                started.fetch_add(1, Ordering::SeqCst);
                n
            },
            |index, _| {
                // a slow consumer: workers must wait rather than pile results up
                std::thread::sleep(std::time::Duration::from_micros(50));
                let ahead = started.load(Ordering::SeqCst) - index;
                furthest_ahead = furthest_ahead.max(ahead);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        // the window, plus the chunk each worker is busy with
        assert!(
            furthest_ahead <= 4 * AHEAD_PER_WORKER + 4 * CHUNK + CHUNK,
            "{furthest_ahead} results ahead"
        );
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller_instead_of_hanging() {
        let items: Vec<usize> = (0..10_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            ordered_map(
                &items,
                2,
                |&n| {
                    assert!(n != 300, "a bug met on item 300");
                    n
                },
                |_, _| Ok::<(), ()>(()),
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn an_error_from_the_consumer_stops_the_work() {
        let items: Vec<usize> = (0..100_000).collect();
        let mapped = AtomicUsize::new(0);
        let mut consumed = 0;
        let result = ordered_map(
            &items,
            2,
            |&n| {
                mapped.fetch_add(1, Ordering::SeqCst);
                n
            },
            |index, _| {
                consumed += 1;
                if index == 10 { Err("broken") } else { Ok(()) }
            },
        );
        assert_eq!(result, Err("broken"));
        assert_eq!(consumed, 11);
        assert!(mapped.load(Ordering::SeqCst) < 2 * AHEAD_PER_WORKER + 4 * CHUNK);
    }
}
