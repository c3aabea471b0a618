//! Client methods written once for every API version: the generated
//! operations they call have the same names and shapes in each version.

/// Expands, inside a version's `impl Client`, the methods whose generated
/// calls are the same in every version. `types`, `Transaction`, `convert`,
/// `to_raw`, `positive`, `n32`, `flows` and the crate's types must be in
/// scope where it is used, and the version's `impl Client` provides
/// `check_transaction_filter` and `version_transaction_filters`.
macro_rules! shared_client_methods {
    () => {
        /// One service.
        pub async fn service(&self, id: i64) -> Result<types::Service, Error> {
            let id = to_raw::<types::ServiceId>("service_id", positive("service_id", id)?)?;
            convert::value(self.raw.get_service_by_id().service_id(id).send().await)
        }
        /// One country, by ISO code.
        pub async fn country(&self, iso_code: &str) -> Result<types::Country, Error> {
            validate::country_code("country_iso_code", iso_code)?;
            let code = to_raw::<types::CountryIsoCode>("country_iso_code", iso_code)?;
            convert::value(
                self.raw
                    .get_country_by_iso_code()
                    .country_iso_code(code)
                    .send()
                    .await,
            )
        }
        /// One operator.
        pub async fn operator(&self, id: i64) -> Result<types::Operator, Error> {
            let id = to_raw::<types::OperatorId>("operator_id", positive("operator_id", id)?)?;
            convert::value(self.raw.get_operator_by_id().operator_id(id).send().await)
        }
        /// Benefit types.
        pub fn benefit_types(&self) -> Paginator<Item<types::BenefitType>> {
            let raw = self.raw.clone();
            Paginator::new(move |page, per_page| {
                let raw = raw.clone();
                async move {
                    let req = raw
                        .get_benefit_types()
                        .page(n32("page", page)?)
                        .per_page(n32("per_page", per_page)?);
                    convert::page(req.send().await)
                }
            })
        }
        /// Account balances.
        pub fn balances(&self) -> Paginator<Item<types::Balance>> {
            let raw = self.raw.clone();
            Paginator::new(move |page, per_page| {
                let raw = raw.clone();
                async move {
                    let req = raw
                        .get_balances()
                        .page(n32("page", page)?)
                        .per_page(n32("per_page", per_page)?);
                    convert::page(req.send().await)
                }
            })
        }
        /// Cancels a transaction that is still `CREATED`, releasing the held amount.
        ///
        /// Cancellation-safe: the request and its recovery run in a task of
        /// the client even if this future is dropped. If the outcome stays
        /// unknown, the error's [`Outcome::Unknown`] carries the transaction
        /// id: read it back with [`Client::transaction`] before cancelling again.
        pub async fn cancel_transaction(&self, id: i64) -> Result<Transaction, Error> {
            positive("transaction_id", id)?;
            let this = self.clone();
            flows::detached(Outcome::unknown_action(id), async move {
                this.cancel_now(id).await
            })
            .await
        }
        /// The cancel flow, run by [`Client::cancel_transaction`]'s task.
        async fn cancel_now(&self, id: i64) -> Result<Transaction, Error> {
            let tid =
                to_raw::<types::TransactionId>("transaction_id", positive("transaction_id", id)?)?;
            flows::act(
                id,
                ErrorCode::AlreadyCancelled,
                || {
                    let tid = tid.clone();
                    async move {
                        let r = self
                            .raw
                            .post_transaction_cancel()
                            .transaction_id(tid)
                            .send()
                            .await;
                        Ok(convert::result(r, Outcome::unknown_action(id))?.into_inner())
                    }
                },
                || self.transaction(id),
            )
            .await
        }
        /// One transaction, by id.
        pub async fn transaction(&self, id: i64) -> Result<Transaction, Error> {
            let tid =
                to_raw::<types::TransactionId>("transaction_id", positive("transaction_id", id)?)?;
            convert::value(
                self.raw
                    .get_transaction_by_id()
                    .transaction_id(tid)
                    .send()
                    .await,
            )
        }
        /// The transaction with your reference `external_id`, if any.
        ///
        /// `Ok(None)` means DVS has no such transaction. When DVS lists one
        /// that does not decode and may be it, the answer is the decoding
        /// error, never `None`: a transaction that exists must not be
        /// created again.
        pub async fn transaction_by_external_id(
            &self,
            external_id: &str,
        ) -> Result<Option<Transaction>, Error> {
            let page = self
                .transactions(TransactionFilter::new().external_id(external_id))?
                .first_page()
                .await?;
            let mut undecoded = None;
            for item in page.items {
                match item {
                    Item::Ok(t) if t.external_id == external_id => return Ok(Some(t)),
                    Item::Ok(_) => {}
                    Item::Malformed(m) => {
                        let other = m
                            .raw()
                            .get("external_id")
                            .and_then(serde_json::Value::as_str)
                            .is_some_and(|e| e != external_id);
                        if !other {
                            undecoded = Some(m);
                        }
                    }
                }
            }
            match undecoded {
                Some(m) => Err(m.into_error()),
                None => Ok(None),
            }
        }
        /// Polls a transaction until its status is final (capped backoff), or
        /// fails with [`Error::NotFinal`] carrying the last status seen.
        ///
        /// ```no_run
        /// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
        /// match client.await_final(123, std::time::Duration::from_secs(300)).await {
        ///     Ok(tx) => println!("final: {}", tx.status_class()),
        ///     Err(dvs::Error::NotFinal { last_status, .. }) => println!("still {last_status}"),
        ///     Err(e) => return Err(e),
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub async fn await_final(&self, id: i64, deadline: Duration) -> Result<Transaction, Error> {
            flows::await_final(id, deadline, || self.transaction(id)).await
        }
        /// Parses a callback body (the transaction DVS posts to `callback_url`).
        /// Do not act on it before [`Client::verify_callback`]: callbacks are not
        /// signed.
        pub fn parse_callback(body: &[u8]) -> Result<Transaction, Error> {
            let mut de = serde_json::Deserializer::from_slice(body);
            serde_path_to_error::deserialize(&mut de)
                .map_err(|e| Error::decode(e.path().to_string(), &e.inner().to_string()))
        }
        /// Parses a callback body and checks it against the transaction as DVS
        /// reports it (same id and `external_id`, a status that agrees), and
        /// returns DVS's version. DVS does not sign callbacks, so anyone who
        /// knows the URL can post one: never trust a callback without this.
        ///
        /// ```no_run
        /// # async fn on_callback(client: dvs::v1_21::Client, body: &[u8]) -> Result<(), dvs::Error> {
        /// // In your HTTP handler, with the raw request body:
        /// let tx = client.verify_callback(body).await?;
        /// if tx.is_success() {
        ///     // deliver the order for tx.external_id
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub async fn verify_callback(&self, body: &[u8]) -> Result<Transaction, Error> {
            let claimed = Self::parse_callback(body)?;
            flows::verify_callback(claimed, |id| self.transaction(id)).await
        }
        /// Transactions matching a filter (the last 24 hours by default).
        pub fn transactions(
            &self,
            filter: TransactionFilter,
        ) -> Result<Paginator<Item<Transaction>>, Error> {
            filter.validate()?;
            Self::check_transaction_filter(&filter)?;
            let raw = self.raw.clone();
            Ok(Paginator::new(move |page, per_page| {
                let (raw, f) = (raw.clone(), filter.clone());
                async move {
                    let req = raw
                        .get_transactions()
                        .page(n32("page", page)?)
                        .per_page(n32("per_page", per_page)?);
                    let mut req = Self::version_transaction_filters(req, &f)?;
                    if let Some(e) = f.external_id {
                        req = req.external_id(to_raw::<types::GetTransactionsExternalId>(
                            "external_id",
                            e,
                        )?);
                    }
                    if let Some(t) = f.product_type {
                        req = req.product_type(to_raw::<super::ProductType>(
                            "product_type",
                            t.as_str(),
                        )?);
                    }
                    if let Some(s) = f.service_id {
                        req = req.service_id(to_raw::<types::ServiceId>("service_id", s)?);
                    }
                    if let Some(c) = f.country_iso_code {
                        req = req.country_iso_code(to_raw::<types::CountryIsoCode>(
                            "country_iso_code",
                            c,
                        )?);
                    }
                    if let Some(o) = f.operator_id {
                        req = req.operator_id(to_raw::<types::OperatorId>("operator_id", o)?);
                    }
                    if let Some(s) = f.status {
                        req = req.status_id(s.id());
                    }
                    if let Some(m) = f.credit_party_mobile_number {
                        req = req.credit_party_mobile_number(to_raw::<types::E164>(
                            "credit_party_mobile_number",
                            m,
                        )?);
                    }
                    if let Some(a) = f.credit_party_account_number {
                        req = req.credit_party_account_number(to_raw::<types::AccountNumber>(
                            "credit_party_account_number",
                            a,
                        )?);
                    }
                    if let Some(d) = f.from_date {
                        req = req.from_date(d);
                    }
                    if let Some(d) = f.to_date {
                        req = req.to_date(d);
                    }
                    convert::page(req.send().await)
                }
            }))
        }
    };
}
pub(crate) use shared_client_methods;
