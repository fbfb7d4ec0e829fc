// After each step: the whole state and the audit entries the step wrote,
// read through the service and compared with the model (included by main.rs).

/// An IVR target as the model writes it.
fn ivr_of(t: &IvrTarget) -> MIvr {
    match t {
        IvrTarget::Member { email } => MIvr::Member(email.to_lowercase()),
        IvrTarget::DistributionGroup { position } => MIvr::Group(*position),
        IvrTarget::Voicemail => MIvr::Voicemail,
        IvrTarget::None => MIvr::Nowhere,
        IvrTarget::RingGroup => panic!("the model never sets an IVR digit to the Ring Group"),
    }
}

/// The audit actions an operation may write (besides `plan.renew`, which
/// the system writes when a renewal falls due on the step's date).
fn audit_actions(op: &Op) -> &'static [&'static str] {
    match op {
        Op::Invite { .. } => &["member.invite", "seats.buy", "inbox.create"],
        Op::Accept { .. } => &["member.accept"],
        Op::Revoke { .. } => &["member.revoke", "inbox.hand_over", "inbox.remove"],
        Op::ChangeRole { .. } => &["member.role", "seats.remove"],
        Op::Delete { .. } => &["member.delete", "member.revoke", "inbox.hand_over", "inbox.remove", "seats.remove"],
        Op::BuySeats { .. } => &["seats.buy"],
        Op::RemoveSeats { .. } => &["seats.remove"],
        Op::CreateInbox { .. } => &["inbox.create", "inbox.buy_number"],
        Op::BuyNumber { .. } => &["inbox.buy_number"],
        Op::AddToInbox { .. } => &["inbox.add_member"],
        Op::RemoveFromInbox { .. } => &["inbox.remove_member"],
        Op::Routing { present: true, .. } => &["routing.add"],
        Op::Routing { present: false, .. } => &["routing.remove"],
        Op::Assignment { .. } => &["routing.assignment"],
        Op::Conversation { .. } => &["conversation.add"],
        Op::Transfer { .. } => &["owner.transfer"],
        Op::BackupRestore => &["db.restore"],
        Op::AddContact { .. } => &["contact.add"],
        Op::AdvanceDays { .. } => &[],
        Op::SetPlan { .. } => &["plan.update"],
        Op::Distribution { .. } => &["routing.distribution"],
        Op::DistributionMember { present: true, .. } => &["routing.distribution_add"],
        Op::DistributionMember { present: false, .. } => &["routing.distribution_remove"],
        Op::IvrOption { .. } => &["routing.ivr_option"],
        Op::RetypeMyEmail => &["member.set_email"],
        Op::RetypeInvite { .. } => &["member.edit_invite"],
    }
}

/// Entry by entry, the `n` audit entries a step wrote: each is one of the
/// operation's own actions, attributed to the acting member (a renewal to
/// the system), about a member, an inbox or the account the step touched.
fn audit_written(before: &Model, after: &Model, d: &mut Seatdesk, step: &Step, n: i64) -> Result<(), String> {
    let page = d.audit_log(&Scope::account(&after.account), 0, n).map_err(|e| e.message)?;
    // An owner transfer is support's work: the agent acts.
    let actor = match step.op {
        Op::Transfer { .. } => "support:sam support".to_string(),
        _ => before.acting(&step.actor),
    };
    // (The model keys an invitee by the address as typed, any case.)
    let member = |t: &str| [before, after].iter().any(|m| m.members.keys().any(|k| k.to_lowercase() == t.to_lowercase()));
    let inbox = |t: &str| [before, after].iter().any(|m| m.inboxes.values().any(|i| i.name == t));
    for e in &page.rows {
        let who = e.actor_email.to_lowercase();
        let t = e.target.as_str();
        let about = match e.action.split('.').next().unwrap_or_default() {
            "member" => member(t),
            "inbox" | "routing" | "conversation" => inbox(t),
            "seats" => t == "1 seat" || t.strip_suffix(" seats").is_some_and(|n| n.parse::<i64>().is_ok_and(|n| n > 1)),
            "contact" => CONTACT_PHONES.contains(&t),
            "plan" => t == after.account,
            "owner" => t == after.account || member(t),
            "db" => t.ends_with("backup.db"),
            _ => false,
        };
        let ok = about
            && if e.action == "plan.renew" { who != actor } else { audit_actions(&step.op).contains(&e.action.as_str()) && who == actor };
        if !ok {
            return Err(format!("the audit entry {:?} by {who} about {:?} is not one this step writes (acting: {actor})", e.action, e.target));
        }
    }
    Ok(())
}

/// How many audit entries the account holds (read as its Owner).
fn audit_entries(m: &Model, d: &mut Seatdesk) -> i64 {
    d.audit_log(&Scope::account(&m.account), 0, 1).expect("the Owner reads the audit log").total
}

/// The whole observable state, read through the service as the window reads it.
fn compare(m: &Model, d: &mut Seatdesk) -> Result<(), String> {
    let s = Scope::account(&m.account);
    let members: BTreeMap<String, MMember> = d
        .all_members(&s, &MemberQuery::default())
        .map_err(|e| e.message)?
        .into_iter()
        .map(|v| {
            let inboxes = v.inboxes.iter().map(|i| Model::inbox_key(i)).collect();
            (v.email.to_lowercase(), MMember { role: v.role, status: v.status, inboxes })
        })
        .collect();
    if members != m.members {
        return Err(format!("members differ:\n service {members:?}\n model   {:?}", m.members));
    }
    // Names: the Owner's as created; an invitee's is the part of the
    // address before @ as invited (nobody here accepts with another name; a
    // retyped address keeps its name).
    for v in d.all_members(&s, &MemberQuery::default()).map_err(|e| e.message)? {
        let email = v.email.to_lowercase();
        let want = m.names.get(&email).cloned().unwrap_or_default();
        if v.name != want {
            return Err(format!("{email} is named {:?}, the model says {want:?}", v.name));
        }
    }
    let seats = d.seats(&s).map_err(|e| e.message)?;
    if (seats.purchased, seats.assigned, seats.unassigned) != (m.purchased, m.assigned(), m.unassigned()) {
        return Err(format!("seats differ: service {seats:?}, model purchased {} assigned {}", m.purchased, m.assigned()));
    }
    let inboxes = d.inboxes(&s).map_err(|e| e.message)?;
    let names: BTreeSet<String> = inboxes.iter().map(|i| Model::inbox_key(&i.name)).collect();
    if names != m.inboxes.keys().cloned().collect() {
        return Err(format!("inboxes differ: service {names:?}, model {:?}", m.inboxes.keys()));
    }
    for view in &inboxes {
        let want = &m.inboxes[&Model::inbox_key(&view.name)];
        let detail = d.inbox_detail(&s, &view.name).map_err(|e| e.message)?;
        let got = (
            view.name.clone(),
            view.number.clone(),
            view.owner.to_lowercase(),
            detail.members.iter().map(|e| e.to_lowercase()).collect::<BTreeSet<_>>(),
            detail.conversation_assignment.members.iter().map(|e| e.to_lowercase()).collect::<Vec<_>>(),
            detail.conversation_assignment.round_robin,
            detail.conversation_assignment.default_assignee.as_ref().map(|e| e.to_lowercase()),
            detail.conversation_assignment.next.iter().map(|e| e.to_lowercase()).collect::<Vec<_>>(),
            detail.ring_group.members.iter().map(|e| e.to_lowercase()).collect::<BTreeSet<_>>(),
            detail.distribution.groups.iter().enumerate().map(|(n, g)| (g.position - n as i64, g.members.iter().map(|e| e.to_lowercase()).collect())).collect::<Vec<(i64, BTreeSet<String>)>>(),
            detail.ivr.options.iter().map(|o| (o.digit, (ivr_of(&o.target), o.points_nowhere))).collect::<BTreeMap<_, _>>(),
        );
        let expected = (
            want.name.clone(),
            want.number.clone(),
            want.owner.clone(),
            want.members.clone(),
            m.rotation(&Model::inbox_key(&view.name)),
            want.round_robin,
            want.default_assignee.clone(),
            m.preview(&Model::inbox_key(&view.name), 5),
            want.ring_group.clone(),
            want.groups.iter().map(|g| (1, g.clone())).collect::<Vec<_>>(),
            want.ivr.iter().map(|(d, o)| (*d, (o.clone(), *o == MIvr::Nowhere))).collect::<BTreeMap<_, _>>(),
        );
        if got != expected {
            return Err(format!("inbox {} differs:\n service {got:?}\n model   {expected:?}", view.name));
        }
    }
    let ledger: Vec<MLine> = d
        .ledger_all(&s, None)
        .map_err(|e| e.message)?
        .into_iter()
        .map(|e| MLine {
            date: e.date.parse().unwrap(),
            kind: e.kind,
            quantity: e.quantity,
            unit_cents: e.unit_cents,
            amount_cents: e.amount_cents,
            actor: e.actor_email.to_lowercase(),
        })
        .collect();
    if ledger != m.ledger {
        return Err(format!("ledger differs:\n service {ledger:?}\n model   {:?}", m.ledger));
    }
    let renews_on = d.seats(&s).map_err(|e| e.message)?.renews_on;
    if renews_on != m.renews_on.to_string() {
        return Err(format!("renews on {renews_on}, the model says {}", m.renews_on));
    }
    let view = d.show_account(&s).map_err(|e| e.message)?;
    let (next_terms, then, _) = m.next_period();
    let got = (
        view.plan,
        view.began_on.clone(),
        view.period_start.clone(),
        view.then_renews_on.clone(),
        view.seat_price_cents,
        view.number_price_cents,
        view.scheduled.as_ref().map(|x| (x.plan, x.seat_price_cents, x.number_price_cents, x.renews_on.clone())),
    );
    let want = (
        m.terms.period,
        m.began_on.to_string(),
        m.period_start.to_string(),
        then.to_string(),
        m.terms.seat,
        m.terms.number,
        m.scheduled.as_ref().map(|(t, dt)| (t.period, t.seat, t.number, dt.map(|x| x.to_string()))),
    );
    if got != want {
        return Err(format!("the plan differs:\n service {got:?}\n model   {want:?}"));
    }
    let whole = back(then, next_terms.period, m.next_period().2);
    let billable = (m.numbers() - 1).max(0);
    let total = share(m.purchased, next_terms.seat, m.renews_on, then, whole) + share(billable, next_terms.number, m.renews_on, then, whole);
    let seats = d.seats(&s).map_err(|e| e.message)?;
    if seats.renewal_total_cents != total {
        return Err(format!("the renewal total is {}, the model says {total}", seats.renewal_total_cents));
    }
    for email in m.members.keys() {
        let h = d.holdings(&s, email).map_err(|e| e.message)?;
        let want = (m.held(email), m.contacts.get(email).copied().unwrap_or(0));
        if (h.conversations, h.contacts) != want {
            return Err(format!("{email} holds {} conversations and {} contacts, the model says {want:?}", h.conversations, h.contacts));
        }
    }
    let violations = d.check(Some(&m.account)).map_err(|e| e.message)?;
    if !violations.is_empty() {
        return Err(format!("check: {violations:?}"));
    }
    Ok(())
}
