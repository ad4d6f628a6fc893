//! Work split over threads with `std::thread::scope`: each of `threads` workers takes every
//! `threads`-th item (striped, so that costly and cheap items mix evenly) and returns its own
//! partial result; the caller combines them in worker order, so a given thread count always gives
//! the same floating-point sums.

/// The threads to use: the machine's parallelism, never more than one per `grain` items.
pub(crate) fn threads_for(items: usize, grain: usize, requested: Option<usize>) -> usize {
    let available = requested.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    available.clamp(1, items.div_ceil(grain.max(1)).max(1))
}

/// Runs `work(worker, threads)` on `threads` workers and returns their results in worker order.
pub(crate) fn striped<T: Send>(threads: usize, work: impl Fn(usize, usize) -> T + Sync) -> Vec<T> {
    if threads <= 1 {
        return vec![work(0, 1)];
    }
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = (1..threads).map(|t| scope.spawn(move || work(t, threads))).collect();
        let mut results = vec![work(0, threads)];
        results.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
        results
    })
}
