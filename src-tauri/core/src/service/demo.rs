//! A realistic demo account, generated deterministically from a seed.

use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use specta::Type;

use super::accounts::{account_view, create_account_in};
use super::billing::{apply_number_purchase, apply_seat_purchase, number_quote, seats_quote};
use super::routing::join_routing;
use super::{audit, now_stamp, AccountView, Ctx, Seatdesk};
use crate::domain::billing::MAX_QUANTITY;
use crate::domain::email::EmailKey;
use crate::domain::routing::RingStrategy;
use crate::domain::{BillingPeriod, Email, MemberId, Plan, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::store;
use crate::store::routing::List;
use crate::store::Tx;

pub const DEMO_ACCOUNT_NAME: &str = "Acme Demo";

/// `demo [--members N] [--seed S]`.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct DemoOptions {
    /// Account name; "Acme Demo" by default.
    pub name: Option<String>,
    /// Members besides the Owner; 36 by default.
    #[specta(type = Option<specta_typescript::Number>)]
    pub members: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub seed: Option<i64>,
    /// Conversations (and a quarter as many contacts); 120 by default.
    pub conversations: Option<i64>,
}

pub const MAX_DEMO_MEMBERS: i64 = 1_000_000;
pub const MAX_DEMO_CONVERSATIONS: i64 = 5_000_000;
const CHUNK: i64 = 20_000;

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jamal", "Keiko", "Liam", "Maya", "Noah", "Olga", "Priya",
    "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nguyen",
    "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Young",
];
const INBOXES: &[(&str, &str)] = &[("Sales", "+15550100001"), ("Support", "+15550100002"), ("Billing", "+15550100003")];

impl Seatdesk {
    /// Creates the demo account: an Owner, `members` more across roles and
    /// statuses (about a quarter pending), three inboxes, and purchased seats
    /// for everyone plus three spare. Large sizes are written in chunks of
    /// one transaction each; `progress(done, total)` is called after each.
    pub fn demo(&mut self, opts: &DemoOptions, mut progress: impl FnMut(i64, i64)) -> Result<AccountView> {
        self.clock().check_horizon(BillingPeriod::Monthly)?;
        let count = opts.members.unwrap_or(36);
        if !(0..=MAX_DEMO_MEMBERS).contains(&count) {
            return Err(Error::new(ErrorCode::InvalidQuantity, format!("--members must be 0 to {MAX_DEMO_MEMBERS}."))
                .with_details(json!({ "quantity": count, "max": MAX_DEMO_MEMBERS })));
        }
        let conversations = opts.conversations.unwrap_or(120);
        if !(0..=MAX_DEMO_CONVERSATIONS).contains(&conversations) {
            return Err(Error::new(ErrorCode::InvalidQuantity, format!("--conversations must be 0 to {MAX_DEMO_CONVERSATIONS}."))
                .with_details(json!({ "quantity": conversations, "max": MAX_DEMO_CONVERSATIONS })));
        }
        let total_work = count + conversations;
        let name = opts.name.clone().unwrap_or_else(|| DEMO_ACCOUNT_NAME.to_string());
        let mut rng = fastrand::Rng::with_seed(opts.seed.unwrap_or(7) as u64);
        self.write(|tx, today| {
            let next_month = today.with_day(1).map(|d| BillingPeriod::Monthly.forward_one(d)).unwrap_or(today);
            let plan = Plan {
                period: BillingPeriod::Monthly,
                period_start: today,
                renews_on: next_month,
                renewal_day: 1,
                seat_price_cents: 1_000,
                number_price_cents: 500,
                currency: "USD".into(),
                scheduled: None,
            };
            let owner_email = Email::parse("olivia.owner@acme-demo.example.com")?;
            let account_name = crate::domain::text::parse_name("account", &name)?;
            create_account_in(tx, today, &account_name, &owner_email, "Olivia Owner", &plan)?;
            let account = tx.accounts().by_name(&name)?;
            let owner = tx.members().owner(account.id)?;
            let ctx = Ctx { account, actor: owner, via: None, support: None };
            for (inbox, number) in INBOXES {
                let id = tx.inboxes().insert(ctx.account.id, inbox, None, ctx.actor.id, &now_stamp())?;
                let inbox = tx.inboxes().by_id(id)?;
                let quote = number_quote(tx, &ctx.account, today, &inbox.name, number)?;
                apply_number_purchase(tx, &ctx, today, &inbox, number, &quote)?;
            }
            Ok(())
        })?;
        let mut done = 0;
        while done < count {
            let upto = (done + CHUNK).min(count);
            self.write(|tx, today| {
                let account = tx.accounts().by_name(&name)?;
                let inboxes: Vec<_> = INBOXES.iter().map(|(n, _)| tx.inboxes().by_name(account.id, n)).collect::<Result<_>>()?;
                // Routing settings read once per chunk, not once per member.
                let rings_simultaneously: Vec<bool> = inboxes
                    .iter()
                    .map(|i| Ok(tx.routing().settings(i.id)?.ring_strategy == RingStrategy::Simultaneous))
                    .collect::<Result<_>>()?;
                let join = |k: usize, id: MemberId| -> Result<()> {
                    if rings_simultaneously[k] {
                        join_routing(tx, &inboxes[k], id)?;
                    } else {
                        tx.routing().add(inboxes[k].id, List::Assignment, id)?;
                        tx.routing().add(inboxes[k].id, List::RingGroup, id)?;
                    }
                    Ok(())
                };
                for i in done..upto {
                    let first = FIRST[rng.usize(..FIRST.len())];
                    let last = LAST[rng.usize(..LAST.len())];
                    let person = format!("{first} {last}");
                    let email = format!("{}.{}{}@acme-demo.example.com", first.to_lowercase(), last.to_lowercase(), i + 1);
                    let role = match rng.u8(..100) {
                        0..=9 => Role::Admin,
                        10..=29 => Role::Manager,
                        30..=84 => Role::Member,
                        _ => Role::Observer,
                    };
                    let pending = rng.u8(..100) < 25;
                    let days_ago = rng.i64(0..700);
                    let invited = today - chrono::Duration::days(days_ago + 3);
                    let id = tx.members().insert(&store::members::NewMemberRow {
                        account_id: account.id,
                        email: &email,
                        email_key: &EmailKey::of(&email),
                        name: &person,
                        role,
                        status: if pending { Status::Pending } else { Status::Active },
                        invited_on: Some(invited),
                        joined_on: if pending { None } else { Some(today - chrono::Duration::days(days_ago)) },
                        invited_by: None,
                        sent_at: Some(&format!("{invited}T09:00:00Z")),
                    })?;
                    let first_inbox = rng.usize(..inboxes.len());
                    tx.inboxes().add_member(inboxes[first_inbox].id, id)?;
                    if !pending {
                        // Observers hold no work: they join no routing.
                        let works = role != Role::Observer;
                        if works {
                            join(first_inbox, id)?;
                        }
                        if rng.bool() {
                            let second = (first_inbox + 1) % inboxes.len();
                            tx.inboxes().add_member(inboxes[second].id, id)?;
                            if works {
                                join(second, id)?;
                            }
                        }
                    }
                }
                // Every chunk buys the seats its invites need, so an interrupted
                // load still leaves a consistent account.
                top_up(tx, &name, today, 0)?;
                chunk_audit(tx, &name, today, "demo.members", json!({ "from": done + 1, "to": upto }))
            })?;
            done = upto;
            progress(done, total_work);
        }
        // Contacts, then conversations assigned among each inbox's active members.
        let contacts = (conversations / 4).max(i64::from(conversations > 0));
        let mut written = 0;
        while written < contacts {
            let upto = (written + CONVERSATION_CHUNK).min(contacts);
            self.write(|tx, today| {
                let account = tx.accounts().by_name(&name)?;
                let owners = tx.inboxes().active_worker_ids(tx.inboxes().by_name(account.id, INBOXES[0].0)?.id)?;
                let fallback = tx.members().owner(account.id)?.id;
                let now = now_stamp();
                // Owners drawn at random, then written in owner order (the
                // numbers follow the writing order): both indexes fill page
                // by page.
                let mut chosen: Vec<MemberId> =
                    (written..upto).map(|_| if owners.is_empty() { fallback } else { owners[rng.usize(..owners.len())] }).collect();
                chosen.sort_unstable_by_key(|m| m.0);
                for (i, owner) in (written..upto).zip(chosen) {
                    let who = format!("{} {}", FIRST[rng.usize(..FIRST.len())], LAST[rng.usize(..LAST.len())]);
                    tx.conversations().insert_contact(account.id, &who, &format!("+1555{:07}", 2_000_000 + i), owner, &now)?;
                }
                chunk_audit(tx, &name, today, "demo.contacts", json!({ "from": written + 1, "to": upto }))
            })?;
            written = upto;
        }
        written = 0;
        while written < conversations {
            let upto = (written + CONVERSATION_CHUNK).min(conversations);
            self.write(|tx, today| {
                let account = tx.accounts().by_name(&name)?;
                let base = tx.conversations().first_contact_id(account.id)?;
                let mut inboxes = Vec::new();
                for (n, _) in INBOXES {
                    let inbox = tx.inboxes().by_name(account.id, n)?;
                    let active = tx.inboxes().active_worker_ids(inbox.id)?;
                    inboxes.push((inbox.id, active));
                }
                let now = now_stamp();
                let mut rows: Vec<_> = (written..upto)
                    .map(|i| {
                        let (inbox, active) = &inboxes[rng.usize(..inboxes.len())];
                        let assignee = if active.is_empty() || rng.u8(..10) == 0 { None } else { Some(active[rng.usize(..active.len())]) };
                        (assignee, *inbox, base + i % contacts)
                    })
                    .collect();
                // Written in assignee order: the assignee index then fills
                // page by page instead of at random places.
                rows.sort_unstable_by_key(|r| r.0.map(|m| m.0));
                for (assignee, inbox, contact) in rows {
                    tx.conversations().insert_conversation(account.id, inbox, contact, assignee, &now)?;
                }
                chunk_audit(tx, &name, today, "demo.conversations", json!({ "from": written + 1, "to": upto }))
            })?;
            written = upto;
            progress(count + written, total_work);
        }
        self.write(|tx, today| {
            let account = tx.accounts().by_name(&name)?;
            let owner = tx.members().owner(account.id)?;
            let ctx = Ctx { account, actor: owner, via: None, support: None };
            // Three spare seats on top of those bought for each chunk.
            top_up(tx, &name, today, 3)?;
            audit(
                tx,
                &ctx,
                today,
                "demo.generate",
                &name,
                json!({ "members": count, "conversations": conversations, "seed": opts.seed.unwrap_or(7) }),
            )?;
            let account = tx.accounts().by_id(ctx.account.id)?;
            Ok(account_view(&account, &ctx.actor))
        })
    }
}

const CONVERSATION_CHUNK: i64 = 100_000;

/// Buys the seats the account lacks for its assigned members, plus `spare`,
/// through quotes (at most [`MAX_QUANTITY`] a purchase).
fn top_up(tx: &Tx, name: &str, today: chrono::NaiveDate, spare: i64) -> Result<()> {
    let account = tx.accounts().by_name(name)?;
    let owner = tx.members().owner(account.id)?;
    let missing = tx.members().assigned_seats(account.id)? + spare - account.purchased_seats;
    for chunk in chunks(missing.max(0), MAX_QUANTITY) {
        let ctx = Ctx { account: tx.accounts().by_id(account.id)?, actor: owner.clone(), via: None, support: None };
        let quote = seats_quote(tx, &ctx.account, today, chunk)?;
        apply_seat_purchase(tx, &ctx, today, &quote, "demo")?;
    }
    Ok(())
}

/// Splits `total` into pieces of at most `max` (purchases are capped per quote).
fn chunks(total: i64, max: i64) -> impl Iterator<Item = i64> {
    let full = total / max;
    let rest = total % max;
    std::iter::repeat_n(max, full as usize).chain((rest > 0).then_some(rest))
}

/// Every chunk of a demo load is a change of its own, in the audit log.
fn chunk_audit(tx: &Tx, name: &str, today: chrono::NaiveDate, action: &str, details: serde_json::Value) -> Result<()> {
    let account = tx.accounts().by_name(name)?;
    let owner = tx.members().owner(account.id)?;
    audit(tx, &Ctx { account, actor: owner, via: None, support: None }, today, action, name, details)
}
