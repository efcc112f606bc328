//! Work spread over one thread per core, results in input order.
//!
//! The pipeline's parallel stages (parsing files, running rules, typesetting
//! documents) share this one helper, so output order never depends on timing.

/// Runs `f` over `items` on one worker thread per core and returns the results
/// in the order of `items`.
///
/// Not rayon: typst parallelizes inside a compilation on rayon's pool, and a
/// rayon worker waiting there steals further documents, so dozens of
/// documents end up half-compiled at once. Measured on this repository's 68
/// lessons: 340 MB peak with rayon, 88 MB with these workers, same speed.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    let result = f(item);
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every index below the length was taken by a worker"))
        .collect()
}

/// [`map`] over consecutive groups of `items` whose `weight`s add up to at
/// most `budget` (an item heavier than that is a group of its own): work that
/// holds its weight in memory runs in parallel only as far as the budget
/// allows, so the peak is bounded by the budget, not by how many cores run.
pub(crate) fn map_within<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> u64,
    budget: u64,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut results = Vec::with_capacity(items.len());
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        let mut total = weight(&items[start]);
        while let Some(next) = items.get(end) {
            total = total.saturating_add(weight(next));
            if total > budget {
                break;
            }
            end += 1;
        }
        results.extend(map(&items[start..end], &f));
        start = end;
    }
    results
}

#[cfg(test)]
mod tests {
    use super::{map, map_within};

    #[test]
    fn map_keeps_the_order_of_its_items() {
        let items: Vec<u64> = (0..500).collect();
        let squares = map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |b| *b).is_empty());
    }

    #[test]
    fn map_within_runs_together_only_what_fits_the_budget() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let items: Vec<u64> = vec![3, 4, 9, 12, 1, 1, 1];
        // Each item adds its weight while it runs: the sum never passes the
        // budget, except for an item heavier than it, which runs alone.
        let running = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        let doubled = map_within(
            &items,
            |w| *w,
            10,
            |w| {
                let now = running.fetch_add(*w, Ordering::SeqCst) + w;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(*w, Ordering::SeqCst);
                w * 2
            },
        );
        assert_eq!(doubled, vec![6, 8, 18, 24, 2, 2, 2]);
        assert_eq!(peak.load(Ordering::SeqCst), 12, "12 alone; 3 + 4 and 9 fit");
        assert!(map_within(&[] as &[u64], |w| *w, 1, |w| *w).is_empty());
    }
}
