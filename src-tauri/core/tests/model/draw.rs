// Drawing a random step from the model's state (included by main.rs).

fn manage(r: Role) -> bool {
    matches!(r, Role::Owner | Role::Admin)
}
fn inboxes_perm(r: Role) -> bool {
    matches!(r, Role::Owner | Role::Admin | Role::Manager)
}

/// One random step.
fn random_step(rng: &mut fastrand::Rng, model: &Model) -> Step {
    let existing: Vec<&String> = model.members.keys().collect();
    let person = |rng: &mut fastrand::Rng| -> String {
        match rng.u8(..20) {
            0 => OWNER.into(),
            1..=13 => existing[rng.usize(..existing.len())].clone(),
            _ => POOL[rng.usize(..POOL.len())].into(),
        }
    };
    let pending: Vec<&String> = model.members.iter().filter(|(_, m)| m.status == Status::Pending).map(|(e, _)| e).collect();
    let invitee = |rng: &mut fastrand::Rng| -> String {
        if pending.is_empty() || rng.u8(..5) == 0 { person(rng) } else { pending[rng.usize(..pending.len())].clone() }
    };
    let newcomer = |rng: &mut fastrand::Rng| -> String {
        let fresh: Vec<&&str> = POOL.iter().filter(|e| !model.members.contains_key(**e)).collect();
        if fresh.is_empty() || rng.u8(..5) == 0 { POOL[rng.usize(..POOL.len())].to_string() } else { fresh[rng.usize(..fresh.len())].to_string() }
    };
    let inboxes: Vec<&String> = model.inboxes.values().map(|i| &i.name).collect();
    let inbox = |rng: &mut fastrand::Rng| -> String {
        if rng.u8(..4) == 0 { INBOX_NAMES[rng.usize(..INBOX_NAMES.len())].into() } else { inboxes[rng.usize(..inboxes.len())].clone() }
    };
    // Mostly someone a routing setting may name: an Active member of the
    // inbox who holds work.
    let insider = |rng: &mut fastrand::Rng, name: &str| -> String {
        let workers: Vec<&String> = model.inboxes.get(&Model::inbox_key(name)).map_or_else(Vec::new, |i| {
            i.members.iter().filter(|e| model.members.get(*e).is_some_and(|m| m.status == Status::Active && m.role != Role::Observer)).collect()
        });
        if workers.is_empty() || rng.u8(..8) == 0 { person(rng) } else { workers[rng.usize(..workers.len())].clone() }
    };
    // Mostly an inbox with such people in it.
    let staffed: Vec<&String> = model
        .inboxes
        .values()
        .filter(|i| i.members.iter().any(|e| model.members.get(e).is_some_and(|m| m.status == Status::Active && m.role != Role::Observer)))
        .map(|i| &i.name)
        .collect();
    let busy_inbox = |rng: &mut fastrand::Rng| -> String {
        if staffed.is_empty() || rng.u8(..4) == 0 { inbox(rng) } else { staffed[rng.usize(..staffed.len())].clone() }
    };
    let groups_of = |name: &str| model.inboxes.get(&Model::inbox_key(name)).map_or(0, |i| i.groups.len() as i64);
    let role = |rng: &mut fastrand::Rng| [Role::Admin, Role::Manager, Role::Member, Role::Member, Role::Observer][rng.usize(..5)];
    let actor = match rng.u8(..30) {
        0..=20 => None,
        21 => Some(POOL[rng.usize(..POOL.len())].to_string()),
        _ => Some(existing[rng.usize(..existing.len())].clone()),
    };
    let op = match rng.u8(..114) {
        0..=17 => {
            let n = 1 + rng.usize(..3);
            let mut emails: Vec<String> = (0..n).map(|_| newcomer(rng)).collect();
            if rng.u8(..20) == 0 {
                emails.push("not-an-email".into());
            }
            if rng.u8(..20) == 0 {
                emails.push(OWNER.to_uppercase());
            }
            let inbox = if rng.u8(..4) == 0 { None } else { Some(inbox(rng)) };
            Op::Invite { emails, role: role(rng), inbox, buy: rng.bool() }
        }
        18..=29 => Op::Accept { email: invitee(rng) },
        30..=34 => Op::Revoke { email: invitee(rng) },
        35..=41 => Op::ChangeRole { email: person(rng), role: if rng.u8(..15) == 0 { Role::Owner } else { role(rng) }, remove_seat: rng.bool() },
        42..=47 => Op::Delete { email: person(rng), remove_seat: rng.bool() },
        48..=55 => Op::BuySeats { n: [0, 1, 1, 2, 3, 5, 100_001][rng.usize(..7)], stale: rng.u8(..5) == 0 },
        56..=60 => Op::RemoveSeats { n: [0, 1, 1, 2, 4][rng.usize(..5)] },
        61..=65 => Op::CreateInbox { name: inbox(rng), number: rng.bool().then(|| NUMBERS[rng.usize(..NUMBERS.len())].to_string()) },
        66..=68 => Op::BuyNumber { inbox: inbox(rng), number: NUMBERS[rng.usize(..NUMBERS.len())].into() },
        69..=76 => Op::AddToInbox { inbox: inbox(rng), email: person(rng) },
        77..=81 => Op::RemoveFromInbox { inbox: inbox(rng), email: person(rng), everywhere: rng.bool() },
        82..=86 => Op::Routing { inbox: inbox(rng), ring_group: rng.bool(), email: person(rng), present: rng.bool() },
        87 | 88 => Op::Assignment {
            inbox: inbox(rng),
            round_robin: match rng.u8(..3) {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            },
            default: match rng.u8(..3) {
                0 => Some(String::new()),
                1 => Some(person(rng)),
                _ => None,
            },
        },
        89..=93 => Op::Conversation { inbox: inbox(rng), assignee: (rng.u8(..3) != 0).then(|| person(rng)) },
        94..=96 => Op::Transfer { to: person(rng), support: rng.u8(..4) != 0 },
        97 if rng.u8(..4) == 0 => Op::BackupRestore,
        97 | 98 => Op::AddContact { owner: person(rng), phone: rng.usize(..CONTACT_PHONES.len()) },
        99..=101 => Op::AdvanceDays { days: [-40, -12, -3, 1, 10, 20, 40, 120, 400][rng.usize(..9)] },
        102 | 103 => {
            let inbox = busy_inbox(rng);
            let sizes = [0, 1, 1, 1, 1, 2, 2, 2, 3];
            let groups = (0..[0, 1, 1, 2, 2, 3, 3, 6][rng.usize(..8)]).map(|_| (0..sizes[rng.usize(..sizes.len())]).map(|_| insider(rng, &inbox)).collect()).collect();
            Op::Distribution { inbox, groups, ring_seconds: [20, 20, 20, 20, 20, 15, 15, 15, 0, 61][rng.usize(..10)] }
        }
        104..=106 => {
            let inbox = busy_inbox(rng);
            Op::DistributionMember { email: insider(rng, &inbox), position: rng.i64(0..groups_of(&inbox) + 2), inbox, present: rng.u8(..3) != 0 }
        }
        112 => Op::RetypeMyEmail,
        113 => Op::RetypeInvite { email: invitee(rng) },
        107 | 108 => {
            let inbox = busy_inbox(rng);
            let target = match rng.u8(..6) {
                0 => None,
                1 | 2 => Some(MIvr::Member(insider(rng, &inbox))),
                3 | 4 => Some(MIvr::Group(rng.i32(1..4))),
                _ => Some(MIvr::Voicemail),
            };
            Op::IvrOption { inbox, digit: [0, 1, 2, 3, 9, 10][rng.usize(..6)], target }
        }
        _ => {
            let price = |rng: &mut fastrand::Rng, prices: &[i64]| match rng.u8(..12) {
                0 => Some(None),
                1..=5 => Some(Some(prices[rng.usize(..prices.len())])),
                _ => None,
            };
            Op::SetPlan {
                period: (rng.u8(..3) == 0).then(|| if rng.bool() { BillingPeriod::Monthly } else { BillingPeriod::Annual }),
                seat: price(rng, &[800, 1_000, 1_500, 10_000, 12_000]),
                number: price(rng, &[0, 500, 700, 5_000]),
                renews: (rng.u8(..3) == 0).then(|| [-1, 0, 1, 5, 14, 27, 30, 31, 40, 200, 365, 366, 400][rng.usize(..13)]),
            }
        }
    };
    Step { actor, op }
}
