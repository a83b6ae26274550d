//! The connections the preview server holds, so that their number stays bounded without the
//! accept loop ever waiting. Four kinds, each with its own cap (`serve::Limits`):
//!
//! - connections still sending their request head (evictable, oldest first);
//! - connections being answered;
//! - event streams (open preview tabs), known by id so a stream whose tab went away is freed
//!   the moment its socket closes, not at the next keep-alive;
//! - refusals being closed gently (answered, then drained for a moment), counted apart so a
//!   flood of bad or refused requests never takes the room real requests need.
//!
//! Must not: block (it is used under a lock by the accept loop), or do I/O beyond shutting a
//! socket down.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};

#[derive(Debug, Default)]
pub(crate) struct Registry {
    next: u64,
    reading: VecDeque<(u64, TcpStream)>,
    serving: usize,
    streams: Vec<u64>,
    refusing: usize,
}

impl Registry {
    /// Takes a new connection in. When `cap` connections are held, the one waiting longest for
    /// its request is shut (its thread then ends); None when all are being answered (503).
    pub fn admit(&mut self, conn: &TcpStream, cap: usize) -> Option<u64> {
        if self.reading.len() + self.serving >= cap.max(1) {
            let (_, oldest) = self.reading.pop_front()?;
            let _ = oldest.shutdown(Shutdown::Both);
        }
        let handle = conn.try_clone().ok()?;
        self.next += 1;
        self.reading.push_back((self.next, handle));
        Some(self.next)
    }

    /// The request of `id` has been read: it is answered now and no longer evictable. False
    /// when it was evicted meanwhile.
    pub fn serve(&mut self, id: u64) -> bool {
        let Some(i) = self.reading.iter().position(|(n, _)| *n == id) else {
            return false;
        };
        self.reading.remove(i);
        self.serving += 1;
        true
    }

    /// The connection `id` ended before being answered.
    pub fn forget(&mut self, id: u64) {
        self.reading.retain(|(n, _)| *n != id);
    }

    pub fn served(&mut self) {
        self.serving = self.serving.saturating_sub(1);
    }

    /// A connection not (or no longer) counted as served is to be refused: takes a refusal
    /// slot if one of `cap` is free (then the refusal may drain, and [`refused`] frees it).
    ///
    /// [`refused`]: Registry::refused
    pub fn begin_refusal(&mut self, cap: usize) -> bool {
        if self.refusing >= cap {
            return false;
        }
        self.refusing += 1;
        true
    }

    /// An answered connection turns out to be refused: it stops counting as served at once,
    /// and takes a refusal slot when one is free (see [`begin_refusal`]).
    ///
    /// [`begin_refusal`]: Registry::begin_refusal
    pub fn serving_to_refusal(&mut self, cap: usize) -> bool {
        self.served();
        self.begin_refusal(cap)
    }

    pub fn refused(&mut self) {
        self.refusing = self.refusing.saturating_sub(1);
    }

    /// Turns the answered connection `id` into an event stream, if there is room for one.
    pub fn open_stream(&mut self, id: u64, cap: usize) -> bool {
        if self.streams.len() >= cap {
            return false;
        }
        self.served();
        self.streams.push(id);
        true
    }

    /// The stream `id` ended (its tab went away, or the server could not write to it). Called
    /// by both of its threads; only the first call counts.
    pub fn close_stream(&mut self, id: u64) {
        self.streams.retain(|s| *s != id);
    }

    /// (sending their request, being answered, event streams, refusals being closed).
    pub fn held(&self) -> (usize, usize, usize, usize) {
        (
            self.reading.len(),
            self.serving,
            self.streams.len(),
            self.refusing,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn refusals_and_streams_never_take_the_room_of_requests() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let mut reg = Registry::default();
        let a = reg.admit(&conn, 2).unwrap();
        let b = reg.admit(&conn, 2).unwrap();
        assert!(reg.serve(a) && reg.serve(b));
        assert_eq!(reg.admit(&conn, 2), None, "both being answered");
        // One is refused: it leaves the served count whether or not it may drain.
        assert!(reg.serving_to_refusal(1));
        assert!(reg.open_stream(b, 4));
        assert_eq!(reg.held(), (0, 0, 1, 1));
        let c = reg.admit(&conn, 2).unwrap();
        assert!(reg.serve(c));
        assert!(!reg.serving_to_refusal(1), "the refusal budget is spent");
        assert_eq!(reg.held(), (0, 0, 1, 1));
        reg.close_stream(b);
        reg.close_stream(b);
        reg.refused();
        assert_eq!(reg.held(), (0, 0, 0, 0));
    }
}
