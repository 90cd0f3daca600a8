//! The one way input is read in parallel: a reader thread cuts the input into jobs
//! in order (files, chunks of an export file, batches of rows), worker threads turn
//! each job into a result, and the calling thread takes the results back in input
//! order.
//!
//! Memory stays flat: a fixed number of buffers go round (the reader fills one per
//! job, the taker hands each back once it has taken its result), so at most that
//! many jobs are in flight however long the input. This is the only buffer
//! recycling on the reading side.
//!
//! Nothing is lost quietly: a panic on the reader or a worker thread ends the
//! pipeline with [`Stop::Panicked`] at the place in the input where it happened,
//! after every result before it has been taken. Reading errors are the reader's
//! to send as jobs, so that they too arrive in order.

use std::collections::VecDeque;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use crate::diag::{FileFault, InputError, IoReason};
use crate::origin::Origin;

/// What the run around a pipeline does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Read the next input.
    Continue,
    /// A thread failed: the error is said, and the run ends there.
    EndRun,
}

/// The error a failed thread is reported as, about the input it was reading.
pub(crate) fn failed(origin: &Origin, why: Failure) -> InputError {
    let fault = match why {
        Failure::Panicked => FileFault::Stopped,
        Failure::NoThread(e) => FileFault::NoThread(IoReason::of(&e)),
    };
    InputError::new(origin, fault)
}

/// How many threads work and how many buffers go round.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Worker threads; 0 runs everything on the calling thread, in turn.
    pub(crate) workers: usize,
    /// Buffers, which bound the jobs in flight (at least 1).
    pub(crate) buffers: usize,
}

impl Shape {
    /// One worker per core (at most 8), two buffers each and two more.
    pub(crate) fn per_core() -> Shape {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        Shape {
            workers,
            buffers: 2 * workers + 2,
        }
    }
}

/// Why a pipeline ended before the reader ran out of jobs.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The taker failed (a closed pipe); its error.
    Taker(io::Error),
    /// The reader or a worker panicked, or a thread could not be started: the input
    /// from job `seq` on was not read (job `seq` is the first not taken).
    Failed { seq: usize, why: Failure },
}

/// What went wrong on a thread.
#[derive(Debug)]
pub(crate) enum Failure {
    Panicked,
    /// A thread could not be started.
    NoThread(io::Error),
}

/// Runs a pipeline: `read` (on the reader thread) turns an empty buffer into the
/// next job, `None` at the end; `work` (on a worker, with that worker's scratch
/// from `scratch`) turns a job into a result; `take` (on this thread, in job order)
/// hands a result over and gives its buffer back, or `None` to end the pipeline
/// there. Returns once every job read has been taken, or at the first stop.
pub(crate) fn run<B, J, R, S>(
    shape: Shape,
    read: impl FnMut(B) -> Option<J> + Send,
    scratch: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, J) -> R + Sync,
    take: impl FnMut(R) -> io::Result<Option<B>>,
) -> Result<(), Stop>
where
    B: Default + Send,
    J: Send,
    R: Send,
{
    if shape.workers == 0 {
        return inline(read, scratch, work, take);
    }
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, J)>(shape.buffers.max(1));
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        // Whatever way this thread leaves (a stop, an error, a panic of `take`),
        // the others stop reading and working.
        let _stop = StopOnDrop(&stop);
        let (free_tx, free_rx) = mpsc::channel::<B>();
        for _ in 0..shape.buffers.max(1) {
            let _ = free_tx.send(B::default());
        }
        let (done_tx, done_rx) = mpsc::channel::<(usize, Result<R, Failure>)>();
        let reader_done = done_tx.clone();
        let stop = &stop;
        let reader = std::thread::Builder::new()
            .name("pmo-vmo-reader".into())
            .spawn_scoped(scope, move || {
                reader_loop(read, &free_rx, &job_tx, &reader_done, stop);
            });
        if let Err(e) = reader {
            return Err(Stop::Failed {
                seq: 0,
                why: Failure::NoThread(e),
            });
        }
        for _ in 0..shape.workers {
            let done_tx = done_tx.clone();
            let (job_rx, scratch, work) = (&job_rx, &scratch, &work);
            let worker = std::thread::Builder::new()
                .name("pmo-vmo-worker".into())
                .spawn_scoped(scope, move || {
                    worker_loop(job_rx, &done_tx, scratch, work, stop);
                });
            if let Err(e) = worker {
                return Err(Stop::Failed {
                    seq: 0,
                    why: Failure::NoThread(e),
                });
            }
        }
        drop(done_tx);
        take_in_order(&done_rx, &free_tx, take)
    })
}

/// Sets the flag when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The reader thread: a job for each buffer that comes back, until `read` has no
/// more, the pipeline stops, or `read` panics (said in order, as the next job).
fn reader_loop<B, J, R>(
    mut read: impl FnMut(B) -> Option<J>,
    free: &mpsc::Receiver<B>,
    jobs: &mpsc::SyncSender<(usize, J)>,
    done: &mpsc::Sender<(usize, Result<R, Failure>)>,
    stop: &AtomicBool,
) {
    let mut seq = 0;
    while let Ok(buf) = free.recv() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        match catch_unwind(AssertUnwindSafe(|| read(buf))) {
            Ok(Some(job)) => {
                if jobs.send((seq, job)).is_err() {
                    break;
                }
                seq += 1;
            }
            Ok(None) => break,
            Err(_) => {
                let _ = done.send((seq, Err(Failure::Panicked)));
                break;
            }
        }
    }
}

/// A worker thread: works the jobs it takes until there are none. Once the
/// pipeline stops it still takes them, unworked, so that the reader never waits
/// on a full queue.
fn worker_loop<J, R, S>(
    jobs: &Mutex<mpsc::Receiver<(usize, J)>>,
    done: &mpsc::Sender<(usize, Result<R, Failure>)>,
    scratch: &impl Fn() -> S,
    work: &impl Fn(&mut S, J) -> R,
    stop: &AtomicBool,
) {
    let mut own: Option<S> = None;
    loop {
        // A poisoned lock means another worker panicked while receiving, which
        // `recv` does not do; stop taking jobs all the same.
        let next = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok((seq, job)) = next else { break };
        if stop.load(Ordering::Relaxed) {
            continue;
        }
        let out = catch_unwind(AssertUnwindSafe(|| {
            work(own.get_or_insert_with(scratch), job)
        }));
        let out = out.map_err(|_| {
            // The scratch may be half-way through something: start afresh.
            own = None;
            Failure::Panicked
        });
        if done.send((seq, out)).is_err() {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// This thread's side: results in job order, each buffer back once taken.
fn take_in_order<B, R>(
    done: &mpsc::Receiver<(usize, Result<R, Failure>)>,
    free: &mpsc::Sender<B>,
    mut take: impl FnMut(R) -> io::Result<Option<B>>,
) -> Result<(), Stop> {
    // Results that came before their turn, by `seq - next`; never more than the
    // buffers in flight.
    let mut waiting: VecDeque<Option<Result<R, Failure>>> = VecDeque::new();
    let mut next = 0;
    for (seq, out) in done {
        let at = seq - next;
        if waiting.len() <= at {
            waiting.resize_with(at + 1, || None);
        }
        waiting[at] = Some(out);
        while let Some(Some(out)) = waiting.front_mut().map(Option::take) {
            waiting.pop_front();
            let seq = next;
            next += 1;
            match out {
                Ok(r) => match take(r) {
                    Ok(Some(buf)) => {
                        // The reader may have finished: then the buffer is dropped.
                        let _ = free.send(buf);
                    }
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(Stop::Taker(e)),
                },
                Err(why) => return Err(Stop::Failed { seq, why }),
            }
        }
    }
    Ok(())
}

/// The same pipeline on the calling thread alone: read, work and take each job in
/// turn.
fn inline<B, J, R, S>(
    mut read: impl FnMut(B) -> Option<J>,
    scratch: impl Fn() -> S,
    work: impl Fn(&mut S, J) -> R,
    mut take: impl FnMut(R) -> io::Result<Option<B>>,
) -> Result<(), Stop>
where
    B: Default,
{
    let mut own = None;
    let mut buf = B::default();
    for seq in 0.. {
        let step = catch_unwind(AssertUnwindSafe(|| {
            read(buf).map(|job| work(own.get_or_insert_with(&scratch), job))
        }));
        let out = match step {
            Ok(Some(out)) => out,
            Ok(None) => break,
            Err(_) => {
                return Err(Stop::Failed {
                    seq,
                    why: Failure::Panicked,
                });
            }
        };
        buf = match take(out) {
            Ok(Some(b)) => b,
            Ok(None) => break,
            Err(e) => return Err(Stop::Taker(e)),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Squares 0..n on `shape`, taking them back in order.
    fn squares(shape: Shape, n: usize, panic_at: Option<usize>) -> (Vec<usize>, Result<(), Stop>) {
        let mut next = 0;
        let mut got = Vec::new();
        let outcome = run(
            shape,
            |_: ()| {
                (next < n).then(|| {
                    next += 1;
                    next - 1
                })
            },
            || (),
            |(), i| {
                assert_ne!(Some(i), panic_at, "injected");
                // Later jobs finish first now and then.
                if i % 7 == 0 {
                    std::thread::yield_now();
                }
                i * i
            },
            |sq| {
                got.push(sq);
                Ok(Some(()))
            },
        );
        (got, outcome)
    }

    #[test]
    fn results_come_back_in_input_order() {
        for workers in [0, 1, 2, 5] {
            let shape = Shape {
                workers,
                buffers: 3,
            };
            let (got, outcome) = squares(shape, 1000, None);
            assert!(outcome.is_ok());
            assert_eq!(got, (0..1000).map(|i| i * i).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_stops_the_pipeline_after_the_results_before_it() {
        for workers in [0, 1, 3] {
            let shape = Shape {
                workers,
                buffers: 4,
            };
            let (got, outcome) = squares(shape, 1000, Some(500));
            assert!(
                matches!(
                    outcome,
                    Err(Stop::Failed {
                        seq: 500,
                        why: Failure::Panicked
                    })
                ),
                "{outcome:?}"
            );
            assert_eq!(got, (0..500).map(|i| i * i).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_reader_panic_is_said_in_its_place() {
        let mut next = 0;
        let mut got = Vec::new();
        let outcome = run(
            Shape {
                workers: 2,
                buffers: 3,
            },
            |_: ()| {
                assert!(next < 100, "injected");
                next += 1;
                Some(next - 1)
            },
            || (),
            |(), i| i,
            |i| {
                got.push(i);
                Ok(Some(()))
            },
        );
        assert!(
            matches!(outcome, Err(Stop::Failed { seq: 100, .. })),
            "{outcome:?}"
        );
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn the_taker_can_stop_early_and_its_error_comes_back() {
        let shape = Shape {
            workers: 2,
            buffers: 2,
        };
        let mut next = 0usize;
        let mut taken = 0;
        let outcome = run(
            shape,
            |_: ()| {
                next += 1;
                Some(next)
            },
            || (),
            |(), i| i,
            |i| {
                taken += 1;
                if i == 50 {
                    return Err(io::Error::from(io::ErrorKind::BrokenPipe));
                }
                Ok(Some(()))
            },
        );
        assert!(matches!(outcome, Err(Stop::Taker(e)) if e.kind() == io::ErrorKind::BrokenPipe));
        assert_eq!(taken, 50);
        // The reader never got far ahead: the buffers bound it.
        assert!(next <= 50 + 2 + 1, "{next}");
    }
}
