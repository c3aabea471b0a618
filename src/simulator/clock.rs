//! The simulator's clock: wall-clock time plus an offset that tests move
//! forward, so a 60-minute confirmation window or a 5-minute delay needs no
//! real waiting.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Mutex;
use std::time::Duration;

/// Wall-clock time shifted by everything [`Clock::advance`] added.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Mutex<TimeDelta>,
}

impl Clock {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn advance(&self, by: Duration) {
        let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
        let mut offset = self.offset.lock().unwrap_or_else(|e| e.into_inner());
        *offset = offset.checked_add(&by).unwrap_or(*offset);
    }
}

/// `seconds` of documented delay scaled by the time factor, as a duration.
pub(crate) fn scaled(seconds: f64, factor: f64) -> TimeDelta {
    let ms = (seconds * factor * 1000.0).clamp(0.0, 1.0e12);
    TimeDelta::milliseconds(ms as i64)
}

/// How long to sleep in real time until simulator time `at` (zero if past).
pub(crate) fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        let after = clock.now();
        assert!(after - before >= TimeDelta::minutes(60));
        assert!(after - before < TimeDelta::minutes(61));
    }

    #[test]
    fn scaling() {
        assert_eq!(scaled(3.0, 1.0), TimeDelta::seconds(3));
        assert_eq!(scaled(300.0, 0.001), TimeDelta::milliseconds(300));
        assert_eq!(scaled(20.0, 0.0), TimeDelta::zero());
    }
}
