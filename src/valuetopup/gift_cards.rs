//! Gift card SKUs, page by page, following the vendor's cursor.

use super::raw::types;
use crate::Error;
use futures::future::BoxFuture;
use futures::stream::{self, Stream, StreamExt};
use std::collections::HashSet;
use std::sync::Arc;

/// One page of gift card SKUs.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SkuPage {
    /// The SKUs of this page.
    pub items: Vec<types::Sku>,
    /// The cursor this page was asked with (`None`: the first page).
    pub cursor: Option<i32>,
    /// `next` as the vendor sent it.
    pub next: Option<i64>,
    /// `next_cursor` as the vendor sent it.
    pub next_cursor: Option<i64>,
}

impl SkuPage {
    /// The cursor of the next page: `next_cursor`, else `next`, when
    /// positive and within `int32`; `None` at the end.
    pub fn next_page_cursor(&self) -> Option<i32> {
        [self.next_cursor, self.next]
            .into_iter()
            .flatten()
            .find(|c| *c > 0)
            .and_then(|c| i32::try_from(c).ok())
    }
}

pub(crate) type FetchPage =
    Arc<dyn Fn(Option<i32>) -> BoxFuture<'static, Result<SkuPage, Error>> + Send + Sync>;

/// The gift card SKUs (`GET /catalog/skus/giftcards`), fetched one page at a
/// time by following the cursor each page gives (`next_cursor`, else
/// `next`).
///
/// Paging stops at the first page without a next cursor, and also, rather
/// than loop, on an empty page, on a cursor already asked for (a repeated or
/// cycling cursor), and after [`max_pages`](Self::max_pages) pages (default
/// 1000). A failed page ends the stream with its error.
///
/// ```no_run
/// use dvs::valuetopup::Client;
/// use futures::StreamExt;
/// # async fn run(client: Client) -> Result<(), dvs::Error> {
/// let mut pages = std::pin::pin!(client
///     .gift_card_skus(|q| q.country_code("US").page_size(100))
///     .pages());
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     println!("{} SKUs from cursor {:?}", page.items.len(), page.cursor);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct GiftCardSkus {
    fetch: FetchPage,
    start: Option<i32>,
    max_pages: u32,
}

impl std::fmt::Debug for GiftCardSkus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GiftCardSkus")
            .field("start", &self.start)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

impl GiftCardSkus {
    pub(crate) fn new(fetch: FetchPage) -> Self {
        Self {
            fetch,
            start: None,
            max_pages: 1000,
        }
    }

    /// Start at this cursor (a SKU id, not negative) instead of the beginning.
    pub fn start_cursor(mut self, cursor: i32) -> Self {
        self.start = Some(cursor);
        self
    }

    /// Fetch at most this many pages (default 1000).
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// Only the first page.
    pub async fn first_page(&self) -> Result<SkuPage, Error> {
        (self.fetch)(self.start).await
    }

    /// The pages, in order.
    pub fn pages(self) -> impl Stream<Item = Result<SkuPage, Error>> + Send + 'static {
        struct State {
            fetch: FetchPage,
            next: Option<Option<i32>>,
            asked: HashSet<Option<i32>>,
            budget: u32,
        }
        let state = State {
            fetch: self.fetch,
            next: Some(self.start),
            asked: HashSet::new(),
            budget: self.max_pages,
        };
        stream::unfold(state, |mut s| async move {
            let cursor = s.next.take()?;
            if s.budget == 0 {
                return None;
            }
            if !s.asked.insert(cursor) {
                tracing::warn!(?cursor, "gift card cursor repeated; stopping");
                return None;
            }
            s.budget -= 1;
            let result = (s.fetch)(cursor).await;
            if let Ok(page) = &result {
                if page.items.is_empty() {
                    if page.next_page_cursor().is_some() {
                        tracing::warn!(
                            ?cursor,
                            "empty gift card page with a next cursor; stopping"
                        );
                    }
                } else {
                    s.next = page.next_page_cursor().map(Some);
                }
            }
            Some((result, s))
        })
    }

    /// The SKUs of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<types::Sku, Error>> + Send + 'static {
        self.pages().flat_map(|page| match page {
            Ok(page) => stream::iter(page.items.into_iter().map(Ok)).boxed(),
            Err(e) => stream::once(async move { Err(e) }).boxed(),
        })
    }

    /// Every SKU of every page.
    pub async fn collect_all(self) -> Result<Vec<types::Sku>, Error> {
        let mut out = Vec::new();
        let mut items = std::pin::pin!(self.items());
        while let Some(item) = items.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}
