//! Callback delivery: one worker per transaction posts each status change,
//! in order, to the transaction's `callback_url`, retrying non-2xx answers
//! and connection errors a bounded number of times with a doubling backoff
//! scaled by the time factor.

use super::state::{stopped, Shared};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::mpsc;

pub(crate) async fn worker(
    shared: Arc<Shared>,
    url: String,
    mut queue: mpsc::UnboundedReceiver<(usize, Value)>,
) {
    let shutdown = shared.shutdown.subscribe();
    let stop = stopped(shutdown);
    tokio::pin!(stop);
    loop {
        let item = tokio::select! {
            item = queue.recv() => item,
            _ = &mut stop => return,
        };
        let Some((record, body)) = item else { return };
        for attempt in 1..=shared.callback_attempts {
            let send = shared.http.post(&url).json(&body).send();
            let result = tokio::select! {
                r = send => r,
                _ = &mut stop => return,
            };
            let status = result.as_ref().ok().map(|r| r.status().as_u16());
            let delivered = status.is_some_and(|s| (200..300).contains(&s));
            shared.record_attempt(record, status, delivered);
            if delivered || attempt == shared.callback_attempts {
                break;
            }
            let factor = shared.knobs().time_factor;
            let backoff = shared
                .callback_backoff
                .mul_f64(factor.max(0.0) * f64::from(1u32 << (attempt - 1).min(16)));
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = &mut stop => return,
            }
        }
    }
}
