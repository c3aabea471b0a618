//! Pagination over DVS's `X-*` response headers.

use crate::transport::{content_language, header_u64};
use crate::{Error, Item, Malformed};
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt};
use std::sync::Arc;

/// The rate-limit headers of a response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-Ratelimit-Limit`: calls allowed in the current period.
    pub limit: Option<u64>,
    /// `X-Ratelimit-Remaining`: calls left in the current period.
    pub remaining: Option<u64>,
}

impl RateLimit {
    pub(crate) fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        Self {
            limit: header_u64(headers, "x-ratelimit-limit"),
            remaining: header_u64(headers, "x-ratelimit-remaining"),
        }
    }
}

/// One page of a list, with what the `X-*` headers said about the rest.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// `X-Page`: this page's number.
    pub page: Option<u64>,
    /// `X-Per-Page`: the page size.
    pub per_page: Option<u64>,
    /// `X-Total`: items in all pages.
    pub total: Option<u64>,
    /// `X-Total-Pages`: number of pages.
    pub total_pages: Option<u64>,
    /// `X-Next-Page`: the next page's number, if any.
    pub next_page: Option<u64>,
    /// `X-Prev-Page`: the previous page's number, if any.
    pub prev_page: Option<u64>,
    /// The rate-limit headers.
    pub rate_limit: RateLimit,
    /// `Content-Language`, on the endpoints that localize their content.
    pub content_language: Option<String>,
}

impl<T> Page<T> {
    /// A page from its items and the response headers (crate-internal: the
    /// public API carries no HTTP library's types).
    pub(crate) fn from_parts(items: Vec<T>, headers: &reqwest::header::HeaderMap) -> Self {
        Self {
            items,
            page: header_u64(headers, "x-page"),
            per_page: header_u64(headers, "x-per-page"),
            total: header_u64(headers, "x-total"),
            total_pages: header_u64(headers, "x-total-pages"),
            next_page: header_u64(headers, "x-next-page"),
            prev_page: header_u64(headers, "x-prev-page"),
            rate_limit: RateLimit::from_headers(headers),
            content_language: content_language(headers),
        }
    }

    /// True when the headers name a next page.
    pub fn has_next(&self) -> bool {
        self.next_page.is_some()
    }
}

/// The future of one page of a list operation.
pub(crate) type PageFuture<'a, T> = BoxFuture<'a, Result<Page<Item<T>>, Error>>;

/// A generated list operation (implemented by the code generator for every
/// operation that answers an array and takes `page` and `per_page`).
pub(crate) trait ListOperation: 'static {
    /// The generated client.
    type Client: Clone + Send + Sync + 'static;
    /// The generated request builder, whose setters are the list's filters.
    type Request<'a>: Send;
    /// An item of the list.
    type Item: Send + 'static;
    /// A request without filters.
    fn request(client: &Self::Client) -> Self::Request<'_>;
    /// Sends the request for one page.
    fn send_page(
        request: Self::Request<'_>,
        page: std::num::NonZeroU32,
        per_page: std::num::NonZeroU32,
    ) -> PageFuture<'_, Self::Item>;
}

/// The caller's filters of a list: a function over the generated builder
/// (implemented by the code generator for closures over each builder).
pub(crate) trait ListQuery<O: ListOperation> {
    /// Sets the filters on a request.
    fn apply<'a>(&self, request: O::Request<'a>) -> O::Request<'a>;
}

/// The pages of a generated list operation, with the caller's filters set
/// on every page's request.
pub(crate) fn list<O, Q>(client: O::Client, query: Q) -> Paginator<Item<O::Item>>
where
    O: ListOperation,
    Q: ListQuery<O> + Send + Sync + 'static,
{
    let shared = Arc::new((client, query));
    Paginator::new(move |page, per_page| {
        let shared = shared.clone();
        async move {
            let (client, query) = &*shared;
            let request = query.apply(O::request(client));
            O::send_page(
                request,
                crate::convert::n32("page", page)?,
                crate::convert::n32("per_page", per_page)?,
            )
            .await
        }
    })
}

type Fetch<T> = Arc<dyn Fn(u32, u32) -> BoxFuture<'static, Result<Page<T>, Error>> + Send + Sync>;

/// The pages of a list operation, with its filters kept on every page.
///
/// `per_page` defaults to 100 (the maximum). Paging follows `X-Next-Page`
/// and stops when there is none; it also stops, rather than loop, when a
/// server repeats a page number, goes backwards, or sends an empty page that
/// claims a next one. With [`concurrency`](Self::concurrency) above 1, once
/// the first page has told `X-Total-Pages`, the remaining pages are fetched
/// that many at a time and still yielded in order. A failed page ends the
/// stream with its error.
///
/// ```no_run
/// use futures::StreamExt;
/// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
/// // One page, with the totals from the headers.
/// let first = client.operators(|q| q.country_iso_code("IND")).first_page().await?;
/// println!("{} operators in {} pages", first.total.unwrap_or(0), first.total_pages.unwrap_or(0));
///
/// // Every page, 50 at a time, at most 10 pages.
/// let mut pages = std::pin::pin!(client
///     .operators(|q| q)
///     .per_page(50)?
///     .max_pages(10)
///     .pages());
/// while let Some(page) = pages.next().await {
///     println!("page {:?}: {} items", page?.page, first.items.len());
/// }
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct Paginator<T> {
    fetch: Fetch<T>,
    start_page: u32,
    per_page: u32,
    max_pages: Option<u32>,
    concurrency: usize,
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("start_page", &self.start_page)
            .field("per_page", &self.per_page)
            .field("max_pages", &self.max_pages)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

impl<T: Send + 'static> Paginator<T> {
    /// A paginator over `fetch(page, per_page)`.
    pub(crate) fn new<F, Fut>(fetch: F) -> Self
    where
        F: Fn(u32, u32) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Self {
            fetch: Arc::new(move |page, per_page| {
                Box::pin(crate::transport::capturing_headers(fetch(page, per_page)))
            }),
            start_page: 1,
            per_page: 100,
            max_pages: None,
            concurrency: 1,
        }
    }

    /// Items per page, 1 to 100 (default 100).
    pub fn per_page(mut self, per_page: u32) -> Result<Self, Error> {
        crate::validate::per_page(per_page)?;
        self.per_page = per_page;
        Ok(self)
    }

    /// The first page to fetch (default 1).
    pub fn start_page(mut self, page: u32) -> Result<Self, Error> {
        crate::validate::page(page)?;
        self.start_page = page;
        Ok(self)
    }

    /// Fetch at most this many pages.
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// Fetch up to `n` pages at a time once the number of pages is known
    /// (default 1: one after the other).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Only the first page.
    pub async fn first_page(&self) -> Result<Page<T>, Error> {
        (self.fetch)(self.start_page, self.per_page).await
    }

    /// The pages, in order.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        let Self {
            fetch,
            start_page,
            per_page,
            max_pages,
            concurrency,
        } = self;
        let max_pages = max_pages.unwrap_or(u32::MAX);
        let first_fetch = fetch.clone();
        let pages = stream::once(async move {
            if max_pages == 0 {
                None
            } else {
                Some(first_fetch(start_page, per_page).await)
            }
        })
        .filter_map(|x| async move { x })
        .flat_map(move |first| -> BoxStream<'static, Result<Page<T>, Error>> {
            let first = match first {
                Ok(page) => page,
                Err(e) => return stream::once(async move { Err(e) }).boxed(),
            };
            let rest: BoxStream<'static, _> = match first.total_pages {
                Some(total)
                    if concurrency > 1 && first.has_next() && plausible(&first, per_page) =>
                {
                    // Pages after the first, bounded by the caller's limit.
                    let last = last_page(total, start_page, max_pages);
                    let fetch = fetch.clone();
                    // Each page is its own task, so decoding runs on every
                    // core; `buffered` keeps them in page order.
                    stream::iter((u64::from(start_page) + 1)..=last)
                        .map(move |n| {
                            // Dropping the stream drops the handles, which
                            // stops the fetches (and their retries) ahead.
                            let page = AbortOnDrop(tokio::spawn(fetch(n as u32, per_page)));
                            async move {
                                page.await.unwrap_or_else(|e| {
                                    Err(Error::Transport {
                                        outcome: crate::Outcome::NotApplicable,
                                        source: Box::new(e),
                                    })
                                })
                            }
                        })
                        .buffered(concurrency)
                        // An empty page before the last one: the server's
                        // totals were wrong; stop rather than trust them.
                        .take_while(|page| {
                            let empty = matches!(page, Ok(p) if p.items.is_empty());
                            async move { !empty }
                        })
                        .boxed()
                }
                _ => sequential(fetch.clone(), &first, per_page, max_pages.saturating_sub(1)),
            };
            stream::once(async move { Ok(first) }).chain(rest).boxed()
        });
        stop_after_error(pages)
    }

    /// The items of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        self.pages().flat_map(|page| match page {
            Ok(page) => stream::iter(page.items.into_iter().map(Ok)).boxed(),
            Err(e) => stream::once(async move { Err(e) }).boxed(),
        })
    }

    /// Every item of every page.
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        let mut items = std::pin::pin!(self.items());
        while let Some(item) = items.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<T: Send + 'static> Paginator<Item<T>> {
    /// Every item of every page, apart: those that decoded, and those that
    /// did not ([`Malformed`], with their raw JSON and the reason).
    ///
    /// ```no_run
    /// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
    /// let (products, malformed) = client
    ///     .products(|q| q.country_iso_code("GTM"))
    ///     .collect_split()
    ///     .await?;
    /// for m in &malformed {
    ///     eprintln!("DVS sent a product this crate cannot read: {m}");
    /// }
    /// println!("{} products", products.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_split(self) -> Result<(Vec<T>, Vec<Malformed>), Error> {
        let mut decoded = Vec::new();
        let mut malformed = Vec::new();
        for item in self.collect_all().await? {
            match item {
                Item::Ok(t) => decoded.push(t),
                Item::Malformed(m) => malformed.push(m),
            }
        }
        Ok((decoded, malformed))
    }
}

/// A spawned page fetch that is cancelled when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

/// Whether `X-Total-Pages` agrees with `X-Total` (when sent) closely enough
/// to fetch pages ahead on its word.
fn plausible<T>(first: &Page<T>, per_page: u32) -> bool {
    let Some(pages) = first.total_pages else {
        return false;
    };
    match first.total {
        // Server numbers: no arithmetic on them may overflow.
        Some(total) => pages <= total.div_ceil(u64::from(per_page.max(1))).saturating_add(1),
        None => pages <= 10_000,
    }
}

/// The last page to fetch ahead: the server's `X-Total-Pages`, bounded by
/// the caller's limit and by what a page number can be.
fn last_page(total_pages: u64, start_page: u32, max_pages: u32) -> u64 {
    let limit = u64::from(start_page)
        .saturating_add(u64::from(max_pages))
        .saturating_sub(1);
    total_pages.min(limit).min(u64::from(u32::MAX))
}

/// Follows `X-Next-Page` from `first`, never looping.
fn sequential<T: Send + 'static>(
    fetch: Fetch<T>,
    first: &Page<T>,
    per_page: u32,
    budget: u32,
) -> BoxStream<'static, Result<Page<T>, Error>> {
    struct State<T> {
        fetch: Fetch<T>,
        current: u64,
        next: Option<u64>,
        empty: bool,
        budget: u32,
    }
    let state = State {
        fetch,
        current: first.page.unwrap_or(0),
        next: first.next_page,
        empty: first.items.is_empty(),
        budget,
    };
    stream::unfold(state, move |mut s| async move {
        let next = s.next?;
        // A next page that is not after this one, or an empty page that
        // claims a next one, would loop: stop.
        if next <= s.current || s.empty || s.budget == 0 || next > u64::from(u32::MAX) {
            if next <= s.current || s.empty {
                tracing::warn!(
                    current = s.current,
                    next,
                    "inconsistent paging headers; stopping"
                );
            }
            return None;
        }
        let result = (s.fetch)(next as u32, per_page).await;
        s.budget -= 1;
        match &result {
            Ok(page) => {
                s.current = page.page.unwrap_or(next).max(next);
                s.next = page.next_page;
                s.empty = page.items.is_empty();
            }
            Err(_) => s.next = None,
        }
        Some((result, s))
    })
    .boxed()
}

/// Ends a stream after its first error (yielding the error).
fn stop_after_error<S, P>(s: S) -> impl Stream<Item = Result<P, Error>> + Send + 'static
where
    S: Stream<Item = Result<P, Error>> + Send + 'static,
    P: Send + 'static,
{
    s.scan(false, |failed, item| {
        let out = if *failed {
            None
        } else {
            *failed = item.is_err();
            Some(item)
        };
        async move { out }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn page_with(total: Option<u64>, total_pages: Option<u64>) -> Page<()> {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(t) = total {
            headers.insert("x-total", t.into());
        }
        if let Some(p) = total_pages {
            headers.insert("x-total-pages", p.into());
        }
        Page::from_parts(vec![()], &headers)
    }

    proptest! {
        /// Whatever numbers the server sends, the paging arithmetic neither
        /// panics nor lets a page number exceed what a request can carry.
        #[test]
        fn server_numbers_never_overflow(
            total in prop_oneof![Just(u64::MAX), Just(u64::MAX - 1), any::<u64>()],
            total_pages in prop_oneof![Just(u64::MAX), Just(0u64), any::<u64>()],
            per_page in 1u32..=100,
            start_page in prop_oneof![Just(u32::MAX), 1u32..=u32::MAX],
            max_pages in prop_oneof![Just(u32::MAX), any::<u32>()],
        ) {
            let first = page_with(Some(total), Some(total_pages));
            let _ = plausible(&first, per_page);
            let _ = plausible(&page_with(None, Some(total_pages)), per_page);
            let last = last_page(total_pages, start_page, max_pages);
            prop_assert!(last <= u64::from(u32::MAX));
            prop_assert!(last <= total_pages);
        }
    }
}
