// The reference model: an account in plain collections, its calendar and
// proration, and the rules each operation applies (included by main.rs).

/// Where an IVR digit rings.
#[derive(Debug, Clone, PartialEq)]
enum MIvr {
    Member(String),
    Group(i32),
    Voicemail,
    /// A member or group that went (flagged in the window).
    Nowhere,
}

/// The terms a period is billed on.
#[derive(Debug, Clone, PartialEq)]
struct MTerms {
    period: BillingPeriod,
    seat: i64,
    number: i64,
}

fn months(period: BillingPeriod) -> u32 {
    if period == BillingPeriod::Annual { 12 } else { 1 }
}

/// `date` on day `day` of its month, or the month's last day.
fn on_day(date: NaiveDate, day: u32) -> NaiveDate {
    (1..=day).rev().find_map(|d| date.with_day(d)).unwrap()
}

fn forward(date: NaiveDate, period: BillingPeriod, day: u32) -> NaiveDate {
    on_day(date.checked_add_months(Months::new(months(period))).unwrap(), day)
}

fn back(date: NaiveDate, period: BillingPeriod, day: u32) -> NaiveDate {
    on_day(date.checked_sub_months(Months::new(months(period))).unwrap(), day)
}

/// `round_half_up(quantity × unit × (end − from) / (end − whole))`, exact.
fn share(quantity: i64, unit: i64, from: NaiveDate, end: NaiveDate, whole: NaiveDate) -> i64 {
    let period = (end - whole).num_days() as i128;
    let left = (end - from).num_days().clamp(0, period as i64) as i128;
    let numerator = quantity as i128 * unit as i128 * left;
    ((2 * numerator + period) / (2 * period)) as i64
}

fn cents_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[derive(Debug, Clone)]
struct Step {
    actor: Option<String>,
    op: Op,
}

#[derive(Debug, Clone, PartialEq)]
struct MMember {
    role: Role,
    status: Status,
    inboxes: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct MInbox {
    name: String,
    number: Option<String>,
    owner: String,
    members: BTreeSet<String>,
    assignment: BTreeSet<String>,
    ring_group: BTreeSet<String>,
    created_for: Option<String>,
    round_robin: bool,
    default_assignee: Option<String>,
    /// Round robin's cursor: the place (sort key) of whoever had the last turn.
    rr_after: Option<(String, String)>,
    /// Call Distribution's groups in order (never empty).
    groups: Vec<BTreeSet<String>>,
    ivr: BTreeMap<i32, MIvr>,
}

impl MInbox {
    fn new(name: &str, number: Option<String>, owner: &str, created_for: Option<String>) -> MInbox {
        MInbox {
            name: name.into(),
            number,
            owner: owner.into(),
            members: BTreeSet::new(),
            assignment: BTreeSet::new(),
            ring_group: BTreeSet::new(),
            created_for,
            round_robin: true,
            default_assignee: None,
            rr_after: None,
            groups: Vec::new(),
            ivr: BTreeMap::new(),
        }
    }
}

/// The reference model of one account.
#[derive(Debug, Clone)]
struct Model {
    account: String,
    today: NaiveDate,
    began_on: NaiveDate,
    period_start: NaiveDate,
    renews_on: NaiveDate,
    renewal_day: u32,
    terms: MTerms,
    /// A plan change for the next renewal: the terms, and the moved date.
    scheduled: Option<(MTerms, Option<NaiveDate>)>,
    owner: String,
    purchased: i64,
    members: BTreeMap<String, MMember>,
    inboxes: BTreeMap<String, MInbox>,
    ledger: Vec<MLine>,
    /// Conversations per (inbox, assignee).
    convs: BTreeMap<(String, Option<String>), i64>,
    /// Contacts per owner, and the phones taken.
    contacts: BTreeMap<String, i64>,
    phones: BTreeSet<String>,
    /// Each member's name: the Owner's as created, an invitee's the local
    /// part of the address as typed (nobody here accepts with another name).
    names: BTreeMap<String, String>,
    /// A state the last step reached that the model's data alone does not show.
    note: Option<&'static str>,
}

/// A ledger line as the model books it: every field the service shows.
#[derive(Debug, Clone, PartialEq)]
struct MLine {
    date: NaiveDate,
    kind: LedgerKind,
    quantity: i64,
    unit_cents: i64,
    amount_cents: i64,
    actor: String,
}

type Outcome = Result<(), ErrorCode>;

impl Model {
    /// An account begun `today` on `period`, renewing on `renews` (one
    /// period on, on today's day, by default).
    fn new(account: &str, today: NaiveDate, period: BillingPeriod, renews: Option<NaiveDate>) -> Model {
        let mut members = BTreeMap::new();
        members.insert(OWNER.to_string(), MMember { role: Role::Owner, status: Status::Active, inboxes: BTreeSet::new() });
        let renews_on = renews.unwrap_or_else(|| forward(today, period, today.day()));
        let (seat, number) = if period == BillingPeriod::Annual { (10_000, 5_000) } else { (1_000, 500) };
        Model {
            account: account.to_string(),
            today,
            began_on: today,
            period_start: today,
            renews_on,
            renewal_day: renews.map_or(today.day(), |d| d.day()),
            terms: MTerms { period, seat, number },
            scheduled: None,
            owner: OWNER.into(),
            purchased: 0,
            members,
            inboxes: BTreeMap::new(),
            ledger: Vec::new(),
            convs: BTreeMap::new(),
            contacts: BTreeMap::from([(OWNER.to_string(), 1)]),
            phones: BTreeSet::from([CONTACT.to_string()]),
            names: BTreeMap::from([(OWNER.to_string(), "Olivia".to_string())]),
            note: None,
        }
    }

    /// The books are closed on a date before the account began, its
    /// current period or its last ledger line: nothing is booked then.
    fn books_closed(&self) -> bool {
        let last = self.ledger.last().map_or(self.began_on, |l| l.date);
        self.today < self.began_on.max(self.period_start).max(last)
    }

    /// Refuses with `invalid_date` when the books are closed today.
    fn open(&mut self) -> Result<(), ErrorCode> {
        if self.books_closed() {
            self.note = Some("a booking refused: the clock is before the books");
            return Err(ErrorCode::InvalidDate);
        }
        Ok(())
    }

    /// Books a line dated today (refused when the books are closed).
    fn book(&mut self, kind: LedgerKind, quantity: i64, unit_cents: i64, amount_cents: i64, actor: &str) -> Result<(), ErrorCode> {
        self.open()?;
        self.ledger.push(MLine { date: self.today, kind, quantity, unit_cents, amount_cents, actor: actor.to_string() });
        Ok(())
    }

    /// The proration rule, computed here with exact integer fractions: N
    /// units bought on day D of the period that ends on R cost
    /// round_half_up(N × unit × (R − D) / (R − S)), S one whole period
    /// before R and D no earlier than the period's start (the account may
    /// have begun within it), in calendar days.
    fn prorate(&self, quantity: i64, unit_cents: i64) -> i64 {
        let whole = back(self.renews_on, self.terms.period, self.renewal_day);
        share(quantity, unit_cents, self.today.max(self.period_start), self.renews_on, whole)
    }

    /// The renewal on `renews_on`: the terms from it, the end of the
    /// period it pays and the anchor day from then on.
    fn next_period(&self) -> (MTerms, NaiveDate, u32) {
        match &self.scheduled {
            Some((terms, Some(moved))) => (terms.clone(), *moved, moved.day()),
            Some((terms, None)) => (terms.clone(), forward(self.renews_on, terms.period, self.renewal_day), self.renewal_day),
            None => (self.terms.clone(), forward(self.renews_on, self.terms.period, self.renewal_day), self.renewal_day),
        }
    }

    fn acting(&self, actor: &Option<String>) -> String {
        actor.clone().unwrap_or_else(|| self.owner.clone())
    }

    fn assigned(&self) -> i64 {
        self.members.values().filter(|m| m.role.takes_paid_seat()).count() as i64
    }

    fn unassigned(&self) -> i64 {
        self.purchased - self.assigned()
    }

    fn numbers(&self) -> i64 {
        self.inboxes.values().filter(|i| i.number.is_some()).count() as i64
    }

    fn inbox_key(name: &str) -> String {
        name.trim().to_lowercase()
    }

    /// The acting member, with `can` deciding the permission (rules §2).
    fn actor(&self, actor: &Option<String>, can: fn(Role) -> bool) -> Result<String, ErrorCode> {
        let email = actor.clone().unwrap_or_else(|| self.owner.clone());
        let m = self.members.get(&email).ok_or(ErrorCode::NotAMember)?;
        if m.status != Status::Active {
            return Err(ErrorCode::NotAMember);
        }
        if !can(m.role) {
            return Err(ErrorCode::NotPermitted);
        }
        Ok(email)
    }

    fn inbox(&self, name: &str) -> Result<String, ErrorCode> {
        let key = Model::inbox_key(name);
        self.inboxes.contains_key(&key).then_some(key).ok_or(ErrorCode::NotFound)
    }

    /// Joins an inbox's Conversation Assignment and Ring Group (Observers
    /// hold no work: they join neither).
    fn join_routing(&mut self, inbox: &str, email: &str) {
        if self.members.get(email).is_some_and(|m| m.role == Role::Observer) {
            return;
        }
        let i = self.inboxes.get_mut(inbox).unwrap();
        i.assignment.insert(email.into());
        i.ring_group.insert(email.into());
    }

    /// Conversations `email` holds, in every inbox.
    fn held(&self, email: &str) -> i64 {
        self.convs.iter().filter(|((_, a), _)| a.as_deref() == Some(email)).map(|(_, n)| n).sum()
    }

    /// Conversations in the inbox, assigned or not.
    fn in_inbox(&self, key: &str) -> i64 {
        self.convs.iter().filter(|((i, _), _)| i == key).map(|(_, n)| n).sum()
    }

    /// Moves `from`'s conversations in an inbox to `to`.
    fn move_convs(&mut self, key: &str, from: &str, to: Option<String>) {
        if let Some(n) = self.convs.remove(&(key.to_string(), Some(from.to_string()))) {
            *self.convs.entry((key.to_string(), to)).or_default() += n;
        }
    }

    /// The members table's order: the name without accents or case, then
    /// the address (names are the address's local part; the Owner's
    /// "Olivia"). The pool's accented letters, folded by hand.
    fn sort_key(&self, email: &str) -> (String, String) {
        let name = if email == OWNER { "Olivia".to_string() } else { email.split('@').next().unwrap().to_string() };
        let folded: String = name.to_lowercase().chars().map(|c| match c {
            'ë' | 'é' => 'e',
            'ü' => 'u',
            'ä' => 'a',
            c => c,
        }).collect();
        (folded, email.to_lowercase())
    }

    fn rotation(&self, key: &str) -> Vec<String> {
        let mut order: Vec<String> = self.inboxes[key].assignment.iter().cloned().collect();
        order.sort_by_key(|e| self.sort_key(e));
        order
    }

    /// What the account holds (not the clock, not the step's note): when it
    /// changes, an audit entry must say so.
    fn data(&self) -> String {
        format!(
            "{:?}",
            (
                &self.members,
                &self.inboxes,
                &self.ledger,
                &self.convs,
                &self.contacts,
                self.purchased,
                &self.owner,
                (self.period_start, self.renews_on, self.renewal_day, &self.terms, &self.scheduled),
            )
        )
    }

    /// The next `n` conversations' assignees, without moving the turn.
    fn preview(&self, key: &str, n: usize) -> Vec<String> {
        let mut copy = self.clone();
        (0..n).map_while(|_| copy.assignment_next(key)).collect()
    }

    /// Who Conversation Assignment sends the inbox's next conversation to
    /// (round robin's turn then moves on).
    fn assignment_next(&mut self, key: &str) -> Option<String> {
        let i = &self.inboxes[key];
        if let Some(d) = &i.default_assignee {
            return Some(d.clone());
        }
        let order = self.rotation(key);
        if !i.round_robin || order.is_empty() {
            return None;
        }
        // The first after the cursor's place, whoever left or joined since.
        let start = i.rr_after.as_ref().and_then(|a| order.iter().position(|e| self.sort_key(e) > *a)).unwrap_or(0);
        let chosen = order[start].clone();
        let place = self.sort_key(&chosen);
        self.inboxes.get_mut(key).unwrap().rr_after = Some(place);
        Some(chosen)
    }

    /// Takes `email` out of the inbox's routing (round robin's cursor keeps
    /// its place); an inbox whose default assignee they were goes back to
    /// round robin.
    fn leave_routing(&mut self, key: &str, email: &str) {
        let place = self.sort_key(email);
        if self.inboxes[key].rr_after.as_ref() == Some(&place) && self.inboxes[key].assignment.contains(email) {
            self.note = Some("the member with round robin's turn left the rotation");
        }
        let i = self.inboxes.get_mut(key).unwrap();
        if i.default_assignee.as_deref() == Some(email) {
            i.default_assignee = None;
            i.round_robin = true;
        }
        i.assignment.remove(email);
        i.ring_group.remove(email);
        for option in i.ivr.values_mut() {
            if *option == MIvr::Member(email.to_string()) {
                *option = MIvr::Nowhere;
            }
        }
        for g in &mut i.groups {
            g.remove(email);
        }
        // A group left with nobody goes; digits follow their group.
        while let Some(gone) = i.groups.iter().position(BTreeSet::is_empty) {
            let gone = gone as i32 + 1;
            i.groups.remove(gone as usize - 1);
            for option in i.ivr.values_mut() {
                match option {
                    MIvr::Group(p) if *p == gone => *option = MIvr::Nowhere,
                    MIvr::Group(p) if *p > gone => {
                        *p -= 1;
                        self.note = Some("an IVR digit followed its group up");
                    }
                    _ => {}
                }
            }
            if self.note.is_none() {
                self.note = Some("a distribution group went with its last member");
            }
        }
    }

    /// Whether a routing setting of the inbox names `email` (the removal guard).
    fn in_settings(&self, key: &str, email: &str) -> bool {
        let i = &self.inboxes[key];
        i.assignment.contains(email)
            || i.ring_group.contains(email)
            || i.default_assignee.as_deref() == Some(email)
            || i.groups.iter().any(|g| g.contains(email))
            || i.ivr.values().any(|o| *o == MIvr::Member(email.to_string()))
    }

    /// An Active member of the inbox who holds work, as a setting needs.
    fn routing_member(&self, key: &str, email: &str) -> Result<(), ErrorCode> {
        let t = self.members.get(email).ok_or(ErrorCode::NotFound)?;
        if t.status != Status::Active || !t.inboxes.contains(key) {
            return Err(ErrorCode::NotInboxMember);
        }
        if t.role == Role::Observer {
            return Err(ErrorCode::ObserverHoldsNoWork);
        }
        Ok(())
    }

    /// What a deletion or a move to Observer hands over to `heir`: contacts
    /// and inbox ownership; conversations in the heir's inboxes to the heir,
    /// elsewhere where Conversation Assignment sends them.
    fn hand_over(&mut self, leaving: &str, heir: &str) {
        let keys: Vec<String> = self.inboxes.keys().cloned().collect();
        for key in &keys {
            self.leave_routing(key, leaving);
        }
        for key in &keys {
            if self.convs.contains_key(&(key.clone(), Some(leaving.to_string()))) {
                let to = if self.inboxes[key].members.contains(heir) {
                    Some(heir.to_string())
                } else {
                    self.note = Some("conversations routed away on a deletion");
                    self.assignment_next(key)
                };
                self.move_convs(key, leaving, to);
            }
        }
        if let Some(n) = self.contacts.remove(leaving) {
            *self.contacts.entry(heir.into()).or_default() += n;
        }
        for i in self.inboxes.values_mut() {
            if i.owner == leaving {
                i.owner = heir.into();
                i.created_for = None;
            }
        }
    }

    fn heir(&self, actor: &str, leaving: &str) -> Result<String, ErrorCode> {
        let m = &self.members[actor];
        if actor == leaving || m.status != Status::Active || !(m.role == Role::Owner || m.role.takes_paid_seat()) {
            return Err(ErrorCode::InvalidReassignTarget);
        }
        Ok(actor.into())
    }

    fn remove_member(&mut self, email: &str) {
        let m = self.members.remove(email).unwrap();
        for i in m.inboxes {
            let inbox = self.inboxes.get_mut(&i).unwrap();
            inbox.members.remove(email);
        }
    }

    /// Revoking an invite drops the inbox a "New Inbox" invite made for it
    /// while that inbox is still empty and has no number.
    fn revoke(&mut self, email: &str, actor: &str) {
        let created = self.inboxes.iter().find(|(_, i)| i.created_for.as_deref() == Some(email)).map(|(k, _)| k.clone());
        if let Some(key) = created {
            let inbox = &self.inboxes[&key];
            let others = inbox.members.iter().filter(|m| *m != email).count();
            let held = self.in_inbox(&key);
            if inbox.number.is_none() && others == 0 && held == 0 {
                self.inboxes.remove(&key);
                self.members.get_mut(email).unwrap().inboxes.remove(&key);
            } else {
                let inbox = self.inboxes.get_mut(&key).unwrap();
                inbox.owner = actor.into();
                inbox.created_for = None;
            }
        }
        self.remove_member(email);
    }

    /// Books each renewal due, at the terms from it, for the period it
    /// pays (a moved renewal date makes it shorter and pro rata).
    fn renew(&mut self) {
        while self.renews_on <= self.today {
            let (terms, end, day) = self.next_period();
            let whole = back(end, terms.period, day);
            let start = self.renews_on;
            let line = |kind, quantity: i64, unit: i64| MLine {
                date: start,
                kind,
                quantity,
                unit_cents: unit,
                amount_cents: share(quantity, unit, start, end, whole),
                actor: "system".into(),
            };
            self.ledger.push(line(LedgerKind::SeatRenewal, self.purchased, terms.seat));
            let billable = (self.numbers() - 1).max(0);
            if billable > 0 {
                self.ledger.push(line(LedgerKind::NumberRenewal, billable, terms.number));
            }
            if whole != start {
                self.note = Some("a short period booked to a moved renewal date");
            } else if terms != self.terms {
                self.note = Some("a renewal at changed terms");
            } else if terms.period == BillingPeriod::Annual {
                self.note = Some("an annual period renewed");
            }
            self.period_start = start;
            self.renews_on = end;
            self.renewal_day = day;
            self.terms = terms;
            self.scheduled = None;
        }
    }
}
