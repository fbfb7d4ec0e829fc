//! The argument objects the window sends to the Tauri commands, as
//! arbitrary JSON: each either fails to decode (the command is refused
//! before it runs) or runs and returns a result or a coded refusal, never a
//! panic and never `internal`; and whatever ran, the account's invariants
//! (`check`) still hold. Each input starts from the same demo account (a
//! copy of one built once), so every finding replays alone.
//! The first byte picks the command, the rest is its JSON argument object,
//! decoded exactly as Tauri decodes it (camelCase keys, i32 quantities).
#![no_main]
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::Role;
use seatdesk_core::service::{
    AssignmentChange, DistributionInput, InviteEdit, InviteRequest, IvrInput, LedgerQuery, MemberQuery, NewAccount, NewInbox,
    PlanChange, SeatChoice, SupportTicket,
};
use seatdesk_core::{Clock, ErrorCode, Scope, Seatdesk};
use serde::Deserialize;

fn clock() -> Clock {
    Clock::fixed(chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
}

/// The demo account, built once into a file (in memory-backed /dev/shm
/// when there is one); each input opens a fresh copy of it.
fn template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("seatdesk-fuzz-template-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut d = Seatdesk::open(&dir, clock()).unwrap();
        d.demo(&Default::default(), |_, _| {}).unwrap();
        let file = base.join(format!("seatdesk-fuzz-template-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&file);
        d.backup(&file).unwrap();
        file
    })
}

fn fresh() -> (Seatdesk, PathBuf) {
    let dir = template().with_extension("run");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(template(), dir.join("seatdesk.db")).unwrap();
    (Seatdesk::open(&dir, clock()).unwrap(), dir)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Args {
    #[serde(default)]
    scope: Scope,
    email: Option<String>,
    inbox: Option<String>,
    quantity: Option<i32>,
    quote_id: Option<String>,
    role: Option<Role>,
    seat: Option<SeatChoice>,
    reassign_to: Option<String>,
    offset: Option<i32>,
    limit: Option<i32>,
}

fn decode<T: for<'de> Deserialize<'de>>(json: &str, key: &str) -> Option<T> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    serde_json::from_value(value.get(key)?.clone()).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(json) = std::str::from_utf8(rest) else { return };
    let Ok(a) = serde_json::from_str::<Args>(json) else { return };
    {
        let (mut d, _dir) = fresh();
        let d = &mut d;
        let s = &a.scope;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let outcome: Result<(), seatdesk_core::Error> = match which % 16 {
            0 => decode::<MemberQuery>(json, "query").map_or(Ok(()), |q| d.members(s, &q).map(drop)),
            1 => decode::<NewAccount>(json, "input").map_or(Ok(()), |n| d.create_account(&n).map(drop)),
            2 => decode::<NewInbox>(json, "input").map_or(Ok(()), |n| d.create_inbox(s, &n).map(drop)),
            3 => a.quantity.map_or(Ok(()), |q| d.quote_seats(s, q.into()).map(drop)),
            4 => a.quantity.map_or(Ok(()), |q| d.buy_seats(s, q.into(), a.quote_id.as_deref()).map(drop)),
            5 => a.quantity.map_or(Ok(()), |q| d.remove_seats(s, q.into()).map(drop)),
            6 => decode::<InviteRequest>(json, "request").map_or(Ok(()), |r| d.invite(s, &r).map(drop)),
            7 => match (a.role, a.seat) {
                (Some(role), Some(seat)) => d.change_role_reassigning(s, &text(&a.email), role, seat, a.reassign_to.as_deref()).map(drop),
                _ => Ok(()),
            },
            8 => decode::<DistributionInput>(json, "input").map_or(Ok(()), |i| d.set_distribution(s, &text(&a.inbox), &i).map(drop)),
            9 => decode::<IvrInput>(json, "input").map_or(Ok(()), |i| d.set_ivr(s, &text(&a.inbox), &i).map(drop)),
            10 => decode::<AssignmentChange>(json, "change").map_or(Ok(()), |c| d.set_assignment(s, &text(&a.inbox), &c).map(drop)),
            11 => decode::<PlanChange>(json, "change").map_or(Ok(()), |c| d.update_plan(s, &c).map(drop)),
            12 => decode::<LedgerQuery>(json, "query").map_or(Ok(()), |q| d.ledger(s, &q).map(drop)),
            13 => a.seat.map_or(Ok(()), |seat| d.delete_member(s, &text(&a.email), a.reassign_to.as_deref(), seat).map(drop)),
            14 => decode::<SupportTicket>(json, "support").map_or(Ok(()), |t| d.transfer_owner(s, &text(&a.email), &t).map(drop)),
            _ => match (decode::<InviteEdit>(json, "edit"), a.offset, a.limit) {
                (Some(edit), _, _) => d.edit_invite(s, &text(&a.email), &edit).map(drop),
                (None, Some(o), Some(l)) => d.audit_log(s, o.into(), l.into()).map(drop),
                _ => Ok(()),
            },
        };
        if let Err(e) = outcome {
            assert!(!e.message.is_empty(), "every refusal explains itself");
            assert_ne!(e.code, ErrorCode::Internal, "bad input is never an internal fault: {}", e.message);
        }
        let violations = d.check(None).expect("check runs");
        assert!(violations.is_empty(), "{violations:?}");
    }
});
