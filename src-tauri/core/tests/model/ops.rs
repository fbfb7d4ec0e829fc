// The operations: drawn at random, then applied to the model and the
// service alike (included by main.rs).

#[derive(Debug, Clone)]
enum Op {
    Invite { emails: Vec<String>, role: Role, inbox: Option<String>, buy: bool },
    Accept { email: String },
    Revoke { email: String },
    ChangeRole { email: String, role: Role, remove_seat: bool },
    Delete { email: String, remove_seat: bool },
    BuySeats { n: i64, stale: bool },
    RemoveSeats { n: i64 },
    CreateInbox { name: String, number: Option<String> },
    BuyNumber { inbox: String, number: String },
    AddToInbox { inbox: String, email: String },
    RemoveFromInbox { inbox: String, email: String, everywhere: bool },
    Routing { inbox: String, ring_group: bool, email: String, present: bool },
    /// Round robin on or off, and the default assignee (`""` clears it).
    Assignment { inbox: String, round_robin: Option<bool>, default: Option<String> },
    /// `assignee: None` follows the inbox's Conversation Assignment.
    Conversation { inbox: String, assignee: Option<String> },
    Transfer { to: String, support: bool },
    /// A backup taken and restored at once: the data stays as it was; only
    /// the acting member's right to restore is in question.
    BackupRestore,
    /// A contact owned by someone (a holding that deletion hands over).
    AddContact { owner: String, phone: usize },
    /// The clock moved, forwards (renewals fall due) or back (back-dated
    /// bookkeeping).
    AdvanceDays { days: i64 },
    /// Call Distribution saved whole: groups of members, each ringing
    /// simultaneously for `ring_seconds`.
    Distribution { inbox: String, groups: Vec<Vec<String>>, ring_seconds: i64 },
    /// One member into or out of one distribution group.
    DistributionMember { inbox: String, position: i64, email: String, present: bool },
    /// One IVR digit set (or with `None` cleared).
    IvrOption { inbox: String, digit: i32, target: Option<MIvr> },
    /// The acting member retypes their own address in capitals: the same
    /// address (its key), shown as typed.
    RetypeMyEmail,
    /// A pending invite's address retyped in capitals.
    RetypeInvite { email: String },
    /// `account set-plan`: a price of `Some(None)` is typed empty; the
    /// renewal date is given as days from the current renewal date.
    SetPlan { period: Option<BillingPeriod>, seat: Option<Option<i64>>, number: Option<Option<i64>>, renews: Option<i64> },
}

fn code<T>(r: seatdesk_core::Result<T>) -> Outcome {
    r.map(|_| ()).map_err(|e| e.code)
}

/// Applies one step to both; returns (expected, actual).
fn apply(m: &mut Model, d: &mut Seatdesk, step: &Step) -> (Outcome, Outcome) {
    match &step.op {
        Op::AddToInbox { .. }
        | Op::RemoveFromInbox { .. }
        | Op::Routing { .. }
        | Op::Assignment { .. }
        | Op::Conversation { .. }
        | Op::Distribution { .. }
        | Op::DistributionMember { .. }
        | Op::IvrOption { .. } => apply_to_inboxes(m, d, step),
        _ => apply_to_account(m, d, step),
    }
}

/// Members, seats, numbers, the plan and the clock.
fn apply_to_account(m: &mut Model, d: &mut Seatdesk, step: &Step) -> (Outcome, Outcome) {
    let scope = Scope { account: Some(m.account.clone()), acting_as: step.actor.clone(), ..Scope::default() };
    let owner_scope = Scope::account(&m.account);
    match &step.op {
        Op::Invite { emails, role, inbox, buy } => {
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let existing = match inbox {
                    Some(name) => Some(m.inbox(name)?),
                    None => None,
                };
                // Observers hold no work, so no New Inbox of their own.
                if existing.is_none() && *role == Role::Observer {
                    return Err(ErrorCode::ObserverHoldsNoWork);
                }
                let mut seen = BTreeSet::new();
                let (mut invalid, mut dup, mut taken) = (false, false, false);
                for e in emails {
                    let key = e.to_lowercase();
                    if !e.contains('@') {
                        invalid = true;
                    } else if !seen.insert(key.clone()) || m.members.contains_key(&key) {
                        dup = true;
                    } else if existing.is_none() && m.inboxes.contains_key(&Model::inbox_key(e)) {
                        taken = true;
                    }
                }
                if invalid {
                    return Err(ErrorCode::InvalidEmail);
                }
                if dup {
                    return Err(ErrorCode::DuplicateEmail);
                }
                if taken {
                    return Err(ErrorCode::DuplicateInbox);
                }
                let needed = if role.takes_paid_seat() { emails.len() as i64 } else { 0 };
                Ok((actor, existing, needed))
            })();
            // The shortfall's quote is taken as the Owner right before the call.
            let shortfall = match &expected {
                Ok((_, _, needed)) => needed - m.unassigned(),
                Err(_) => 0,
            };
            let quote = (*buy && shortfall > 0).then(|| d.quote_seats(&owner_scope, shortfall).ok()).flatten();
            let req = InviteRequest {
                emails: emails.clone(),
                role: *role,
                inbox: inbox.clone(),
                new_inbox: inbox.is_none(),
                buy_shortfall_quote: quote.as_ref().map(|q| q.quote_id.clone()),
            };
            let actual = code(d.invite(&scope, &req));
            let expected = expected.and_then(|(_actor, existing, _)| {
                if shortfall > 0 {
                    // No quote on a date the books have passed.
                    m.open()?;
                    let q = quote.as_ref().ok_or(ErrorCode::NoFreeSeats)?;
                    let unit = m.terms.seat;
                    let due = m.prorate(shortfall, unit);
                    assert_eq!(q.due_now_cents, due, "the shortfall's quote is the prorated price");
                    m.purchased += shortfall;
                    let actor = m.acting(&step.actor);
                    m.book(LedgerKind::SeatPurchase, shortfall, unit, due, &actor)?;
                }
                for e in emails {
                    // Members are keyed by the address in lower case; the
                    // name is the local part as typed.
                    let who = e.to_lowercase();
                    let inbox = match &existing {
                        Some(key) => key.clone(),
                        None => {
                            let key = Model::inbox_key(e);
                            m.inboxes.insert(
                                key.clone(),
                                MInbox::new(e, None, &who, Some(who.clone())),
                            );
                            key
                        }
                    };
                    m.inboxes.get_mut(&inbox).unwrap().members.insert(who.clone());
                    m.names.insert(who.clone(), e.split('@').next().unwrap_or_default().to_string());
                    m.members.insert(who, MMember { role: *role, status: Status::Pending, inboxes: BTreeSet::from([inbox]) });
                }
                Ok(())
            });
            (expected, actual)
        }
        Op::Accept { email } => {
            let actual = code(d.accept_invite(&scope, email, None));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if target.status != Status::Pending {
                    return Err(ErrorCode::NotPending);
                }
                let inboxes = target.inboxes.clone();
                m.members.get_mut(email).unwrap().status = Status::Active;
                for i in inboxes {
                    m.join_routing(&i, email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Revoke { email } => {
            let actual = code(d.revoke_invite(&scope, email));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if target.status != Status::Pending {
                    return Err(ErrorCode::NotPending);
                }
                m.revoke(email, &actor);
                Ok(())
            })();
            (expected, actual)
        }
        Op::ChangeRole { email, role, remove_seat } => {
            let seat = if *remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            let actual = code(d.change_role(&scope, email, *role, seat));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?.clone();
                if target.role == Role::Owner || *role == Role::Owner {
                    return Err(ErrorCode::OwnerProtected);
                }
                if *role == target.role {
                    return Ok(());
                }
                if actor == *email {
                    return Err(ErrorCode::CannotChangeSelf);
                }
                if role.takes_paid_seat() && !target.role.takes_paid_seat() && m.unassigned() < 1 {
                    // The refusal carries a quote, which the books must allow.
                    m.open()?;
                    return Err(ErrorCode::NoFreeSeats);
                }
                // A pending invite that owns its New Inbox is no Observer's.
                if *role == Role::Observer && target.status == Status::Pending && m.inboxes.values().any(|i| i.owner == *email) {
                    return Err(ErrorCode::ObserverHoldsNoWork);
                }
                let freed = target.role.takes_paid_seat() && !role.takes_paid_seat();
                if freed && target.status == Status::Active {
                    let heir = m.heir(&actor, email)?;
                    m.hand_over(email, &heir);
                }
                m.members.get_mut(email).unwrap().role = *role;
                if freed && *remove_seat {
                    m.purchased -= 1;
                    let unit = m.terms.seat;
                    m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Delete { email, remove_seat } => {
            let seat = if *remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            let actual = code(d.delete_member(&scope, email, None, seat));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?.clone();
                if target.status == Status::Pending {
                    m.revoke(email, &actor);
                    // The reserved seat goes too when asked.
                    if target.role.takes_paid_seat() && *remove_seat {
                        m.purchased -= 1;
                        let unit = m.terms.seat;
                        m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                        m.note = Some("a pending invite deleted with its seat");
                    }
                    return Ok(());
                }
                if target.role == Role::Owner {
                    return Err(ErrorCode::OwnerProtected);
                }
                if actor == *email {
                    return Err(ErrorCode::CannotChangeSelf);
                }
                let heir = m.heir(&actor, email)?;
                m.hand_over(email, &heir);
                m.remove_member(email);
                if target.role.takes_paid_seat() && *remove_seat {
                    m.purchased -= 1;
                    let unit = m.terms.seat;
                    m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::BuySeats { n, stale } => {
            let quote = d.quote_seats(&scope, *n);
            let expected_quote = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                if !(1..=100_000).contains(n) {
                    return Err(ErrorCode::InvalidQuantity);
                }
                Ok(())
            })();
            let Ok(q) = quote else {
                return (expected_quote, code(quote));
            };
            if *stale {
                // Something changes the bill between the quote and the purchase.
                let other = d.quote_seats(&owner_scope, 1).unwrap();
                d.buy_seats(&owner_scope, 1, Some(&other.quote_id)).unwrap();
                let due = m.prorate(1, m.terms.seat);
                assert_eq!(other.due_now_cents, due, "a seat's quote is the prorated price");
                m.purchased += 1;
                let owner = m.owner.clone();
                let unit = m.terms.seat;
                m.book(LedgerKind::SeatPurchase, 1, unit, due, &owner).unwrap();
            }
            let actual = code(d.buy_seats(&scope, *n, Some(&q.quote_id)));
            let expected = expected_quote.and_then(|_| {
                if *stale {
                    return Err(ErrorCode::QuoteStale);
                }
                let unit = m.terms.seat;
                let due = m.prorate(*n, unit);
                assert_eq!(q.due_now_cents, due, "{n} seats' quote is the prorated price");
                m.purchased += n;
                let actor = m.acting(&step.actor);
                m.book(LedgerKind::SeatPurchase, *n, unit, due, &actor)
            });
            (expected, actual)
        }
        Op::RemoveSeats { n } => {
            let actual = code(d.remove_seats(&scope, *n));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                if !(1..=100_000).contains(n) {
                    return Err(ErrorCode::InvalidQuantity);
                }
                if *n > m.unassigned() {
                    return Err(ErrorCode::NotEnoughUnassignedSeats);
                }
                m.purchased -= n;
                let actor = m.acting(&step.actor);
                let unit = m.terms.seat;
                m.book(LedgerKind::SeatRemoval, *n, unit, 0, &actor)
            })();
            (expected, actual)
        }
        Op::CreateInbox { name, number } => {
            let actual = code(d.create_inbox(&scope, &NewInbox { name: name.clone(), number: number.clone(), quote_id: None }));
            let expected = (|| {
                let actor = m.actor(&step.actor, inboxes_perm)?;
                let key = Model::inbox_key(name);
                if m.inboxes.contains_key(&key) {
                    return Err(ErrorCode::DuplicateInbox);
                }
                if let Some(n) = number {
                    if m.inboxes.values().any(|i| i.number.as_deref() == Some(n)) {
                        return Err(ErrorCode::DuplicateNumber);
                    }
                    m.open()?;
                    if m.numbers() > 0 {
                        return Err(ErrorCode::QuoteRequired);
                    }
                    m.book(LedgerKind::NumberPurchase, 1, 0, 0, &actor)?;
                }
                m.inboxes.insert(
                    key,
                    MInbox::new(name, number.clone(), &actor, None),
                );
                Ok(())
            })();
            (expected, actual)
        }
        Op::BuyNumber { inbox, number } => {
            let expected_quote = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                let key = m.inbox(inbox)?;
                if m.inboxes.values().any(|i| i.number.as_deref() == Some(number.as_str())) {
                    return Err(ErrorCode::DuplicateNumber);
                }
                if m.inboxes[&key].number.is_some() {
                    return Err(ErrorCode::InboxHasNumber);
                }
                Ok(key)
            })();
            let quote = d.quote_number(&scope, inbox, number);
            let Ok(q) = quote else {
                return (expected_quote.map(|_| ()), code(quote));
            };
            let actual = code(d.buy_number(&scope, inbox, number, Some(&q.quote_id)));
            let expected = expected_quote.map(|key| {
                let included = m.numbers() == 0;
                assert_eq!(q.included, included, "the first number is the included one");
                m.inboxes.get_mut(&key).unwrap().number = Some(number.clone());
                let unit = if included { 0 } else { m.terms.number };
                let due = m.prorate(1, unit);
                assert_eq!(q.due_now_cents, due, "a number's quote is the prorated price");
                let actor = m.acting(&step.actor);
                m.book(LedgerKind::NumberPurchase, 1, unit, due, &actor).unwrap();
            });
            (expected, actual)
        }
        Op::Transfer { to, support } => {
            let ticket = if *support { SupportTicket { agent: "Sam Support".into(), ticket: "T-1".into() } } else { SupportTicket::default() };
            let actual = code(d.transfer_owner(&scope, to, &ticket));
            let expected = (|| {
                if !support {
                    return Err(ErrorCode::SupportModeRequired);
                }
                // The account asks: its Owner or an Admin must be acting.
                m.actor(&step.actor, |r| matches!(r, Role::Owner | Role::Admin))?;
                let new = m.members.get(to).ok_or(ErrorCode::InvalidTransferTarget)?;
                if new.status != Status::Active || new.role == Role::Owner {
                    return Err(ErrorCode::InvalidTransferTarget);
                }
                if !new.role.takes_paid_seat() && m.unassigned() < 1 {
                    // The refusal carries a quote, which the books must allow
                    // (a gap in the model a new seed found: an Observer made
                    // Owner after the clock went back before the books).
                    m.open()?;
                    return Err(ErrorCode::NoFreeSeats);
                }
                let old = m.owner.clone();
                m.members.get_mut(&old).unwrap().role = Role::Admin;
                m.members.get_mut(to).unwrap().role = Role::Owner;
                m.owner = to.clone();
                Ok(())
            })();
            (expected, actual)
        }
        Op::BackupRestore => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("backup.db");
            // The database holds the other sequences' accounts, whose Owners
            // differ once transferred: the restore goes through support mode.
            let support = SupportTicket { agent: "Sam Support".into(), ticket: "T-2".into() };
            let actual = d.backup(&file).and_then(|_| d.restore(&scope, &file, Some(&support))).map(drop).map_err(|e| e.code);
            // Only the Owner restores; a shared server is backed up by its
            // administrator, not by Seatdesk.
            let expected = if d.is_shared() {
                Err(ErrorCode::UnsupportedOnServer)
            } else {
                m.actor(&step.actor, |r| r == Role::Owner).map(drop)
            };
            (expected, actual)
        }
        Op::AddContact { owner, phone } => {
            let number = CONTACT_PHONES[*phone];
            let actual = code(d.add_contact(&scope, "Kim Contact", number, owner));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let o = m.members.get(owner).ok_or(ErrorCode::NotFound)?;
                if o.status != Status::Active || !(o.role == Role::Owner || o.role.takes_paid_seat()) {
                    return Err(ErrorCode::InvalidContactOwner);
                }
                if !m.phones.insert(number.to_string()) {
                    return Err(ErrorCode::DuplicateNumber);
                }
                *m.contacts.entry(owner.clone()).or_default() += 1;
                Ok(())
            })();
            (expected, actual)
        }
        Op::SetPlan { period, seat, number, renews } => {
            let text = |p: &Option<Option<i64>>| p.map(|c| c.map_or_else(String::new, cents_text));
            let renews_date = renews.map(|o| m.renews_on + chrono::Duration::days(o));
            let change = PlanChange {
                plan: period.map(|p| p.as_str().to_string()),
                seat_price: text(seat),
                number_price: text(number),
                currency: None,
                renews_on: renews_date.map(|d| d.to_string()),
                version: None,
            };
            let actual = code(d.update_plan(&scope, &change));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                let base = m.scheduled.as_ref().map_or_else(|| m.terms.clone(), |s| s.0.clone());
                if matches!(seat, Some(None)) || matches!(number, Some(None)) {
                    return Err(ErrorCode::InvalidPrice);
                }
                let p = period.unwrap_or(base.period);
                if p != base.period && (seat.is_none() || number.is_none()) {
                    return Err(ErrorCode::InvalidPrice);
                }
                let terms = MTerms { period: p, seat: seat.flatten().unwrap_or(base.seat), number: number.flatten().unwrap_or(base.number) };
                let date = renews_date.or(m.scheduled.as_ref().and_then(|s| s.1));
                if let Some(dt) = date {
                    let latest = forward(m.renews_on, p, m.renewal_day);
                    if dt < m.renews_on || dt > latest {
                        return Err(ErrorCode::InvalidDate);
                    }
                }
                let natural = forward(m.renews_on, p, m.renewal_day);
                let date = date.filter(|dt| *dt != m.renews_on && *dt != natural);
                m.scheduled = (terms != m.terms || date.is_some()).then_some((terms, date));
                Ok(())
            })();
            (expected, actual)
        }
        Op::RetypeMyEmail => {
            let me = m.acting(&step.actor);
            let actual = code(d.set_my_email(&scope, &me.to_uppercase()));
            let expected = m.actor(&step.actor, |_| true).map(drop);
            if expected.is_ok() && !me.is_ascii() {
                m.note = Some("an address with a Unicode domain retyped");
            }
            (expected, actual)
        }
        Op::RetypeInvite { email } => {
            let actual = code(d.edit_invite(&scope, email, &InviteEdit { email: Some(email.to_uppercase()), ..Default::default() }));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                // Only a member changes their own address (rules §6).
                if target.status == Status::Active {
                    return Err(ErrorCode::NotPermitted);
                }
                if !email.is_ascii() {
                    m.note = Some("an address with a Unicode domain retyped");
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::AdvanceDays { days } => {
            m.today = m.today + chrono::Duration::days(*days);
            if *days < 0 {
                m.note = Some("the clock moved back");
            }
            d.set_clock(Clock::fixed(m.today));
            let actual = code(d.run_renewals());
            m.renew();
            (Ok(()), actual)
        }
        _ => unreachable!("an inbox operation: apply_to_inboxes"),
    }
}
