//! Routing rules of an inbox (rules §7): ring strategies and their limits,
//! ring times, Call Distribution's group count, and the round-robin
//! preview of Conversation Assignment.

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::error::{Error, ErrorCode, Result};

/// A simultaneous ring rings at most this many members at once.
pub const MAX_SIMULTANEOUS: usize = 10;
/// Call Distribution holds at most this many groups.
pub const MAX_GROUPS: usize = 5;
/// A new inbox rings for this long.
pub const DEFAULT_RING_SECONDS: i64 = 30;
/// A ring time is from this many seconds…
pub const MIN_RING_SECONDS: i64 = 1;
/// …to this many.
pub const MAX_RING_SECONDS: i64 = 60;

/// Stored, sent and typed as its snake_case name (`strum`, `serde`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum RingStrategy {
    Simultaneous,
    #[cfg_attr(feature = "clap", value(alias = "round_robin"))]
    RoundRobin,
    #[cfg_attr(feature = "clap", value(alias = "linear_round_robin"))]
    LinearRoundRobin,
}

impl RingStrategy {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// As typed: any case, `-` for `_` (`round-robin`).
    pub fn parse(raw: &str) -> Option<RingStrategy> {
        raw.trim().replace('-', "_").parse().ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Fallthrough {
    Voicemail,
    Drop,
}

impl Fallthrough {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(raw: &str) -> Option<Fallthrough> {
        raw.trim().parse().ok()
    }
}

/// Where an IVR digit sends the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum IvrTarget {
    Member { email: String },
    RingGroup,
    DistributionGroup { position: i32 },
    Voicemail,
    /// Pointing nowhere (its member left the inbox, or its group was removed).
    None,
}

/// The command line's form of a target, as `inboxes show` prints it:
/// `member:EMAIL`, `ring-group`, `group:N`, `voicemail` or `none`.
impl std::str::FromStr for IvrTarget {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<IvrTarget, String> {
        Ok(match text.trim() {
            "ring-group" | "ring_group" => IvrTarget::RingGroup,
            "voicemail" => IvrTarget::Voicemail,
            "none" => IvrTarget::None,
            t => match t.split_once(':') {
                Some(("member", email)) => IvrTarget::Member { email: email.trim().to_string() },
                Some(("group", n)) => IvrTarget::DistributionGroup { position: n.trim().parse().map_err(|_| format!("{n:?} is not a group number"))? },
                _ => return Err(format!("{t:?}: use member:EMAIL, ring-group, group:N, voicemail or none")),
            },
        })
    }
}

impl std::fmt::Display for IvrTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IvrTarget::Member { email } => write!(f, "member:{email}"),
            IvrTarget::RingGroup => f.write_str("ring-group"),
            IvrTarget::DistributionGroup { position } => write!(f, "group:{position}"),
            IvrTarget::Voicemail => f.write_str("voicemail"),
            IvrTarget::None => f.write_str("none"),
        }
    }
}

/// Ring time must be 1–60 seconds.
pub fn check_ring_time(seconds: i64) -> Result<()> {
    if (MIN_RING_SECONDS..=MAX_RING_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::InvalidRingTime, format!("{seconds} s is not a ring time: use 1 to 60 seconds."))
            .with_details(json!({ "ring_seconds": seconds, "min": 1, "max": 60 })))
    }
}

/// A simultaneous ring takes at most [`MAX_SIMULTANEOUS`] members.
pub fn check_group_size(strategy: RingStrategy, members: usize, what: &str) -> Result<()> {
    if strategy == RingStrategy::Simultaneous && members > MAX_SIMULTANEOUS {
        Err(Error::new(
            ErrorCode::RingGroupFull,
            format!("{what} rings simultaneously, which allows at most {MAX_SIMULTANEOUS} members ({members} given)."),
        )
        .with_details(json!({ "members": members, "max": MAX_SIMULTANEOUS, "setting": what })))
    } else {
        Ok(())
    }
}

pub fn check_group_count(groups: usize) -> Result<()> {
    if groups > MAX_GROUPS {
        Err(Error::new(ErrorCode::TooManyGroups, format!("Call Distribution holds at most {MAX_GROUPS} groups ({groups} given)."))
            .with_details(json!({ "groups": groups, "max": MAX_GROUPS })))
    } else {
        Ok(())
    }
}

/// The next `n` inbound conversations under Conversation Assignment:
/// everything to the default assignee when there is one; otherwise round
/// robin over `order` (alphabetical; `places` are the members' places in
/// it), starting with the first member after the place `after` of whoever
/// had the last turn (wrapping to the top), so that whoever left or joined
/// since, nobody gets a second turn before the others had theirs; nobody
/// when round robin is off or nobody is in it.
pub fn assignment_preview(order: &[String], places: &[String], after: Option<&str>, round_robin: bool, default: Option<&str>, n: usize) -> Vec<String> {
    if let Some(d) = default {
        return vec![d.to_string(); n];
    }
    if !round_robin || order.is_empty() {
        return Vec::new();
    }
    let start = after.and_then(|a| places.iter().position(|p| p.as_str() > a)).unwrap_or(0);
    (0..n).map(|k| order[(start + k) % order.len()].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ivr_target_reads_back_as_it_is_printed() {
        for t in [
            IvrTarget::Member { email: "ana@example.com".into() },
            IvrTarget::RingGroup,
            IvrTarget::DistributionGroup { position: 3 },
            IvrTarget::Voicemail,
            IvrTarget::None,
        ] {
            assert_eq!(t.to_string().parse::<IvrTarget>(), Ok(t));
        }
        assert_eq!("ring_group".parse::<IvrTarget>(), Ok(IvrTarget::RingGroup));
        assert!("group:x".parse::<IvrTarget>().unwrap_err().contains("not a group number"));
        assert!("desk".parse::<IvrTarget>().unwrap_err().contains("use member:EMAIL"));
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn round_robin_continues_after_the_place_of_whoever_had_the_last_turn() {
        // Bob had the last turn and left: Cid is next, not Anna again.
        let (order, places) = (names(&["anna", "cid"]), names(&["anna", "cid"]));
        assert_eq!(assignment_preview(&order, &places, Some("bob"), true, None, 3), names(&["cid", "anna", "cid"]));
        // Bob comes back, or Bea joins before him: still Cid next (found by trying it).
        let (order, places) = (names(&["anna", "bea", "bob", "cid"]), names(&["anna", "bea", "bob", "cid"]));
        assert_eq!(assignment_preview(&order, &places, Some("bob"), true, None, 4), names(&["cid", "anna", "bea", "bob"]));
        // Cid, last in the order, had it: back to the top.
        assert_eq!(assignment_preview(&order, &places, Some("cid"), true, None, 1), names(&["anna"]));
    }

    #[test]
    fn round_robin_cycles_alphabetically_after_the_last_assignee() {
        let order = names(&["ana", "ben", "chloe"]);
        let p = &order;
        assert_eq!(assignment_preview(&order, p, None, true, None, 5), names(&["ana", "ben", "chloe", "ana", "ben"]));
        assert_eq!(assignment_preview(&order, p, Some("ben"), true, None, 4), names(&["chloe", "ana", "ben", "chloe"]));
        assert_eq!(assignment_preview(&order, p, Some("zz"), true, None, 2), names(&["ana", "ben"]));
        assert_eq!(assignment_preview(&order, p, None, true, Some("zed"), 3), names(&["zed", "zed", "zed"]));
        assert!(assignment_preview(&order, p, None, false, None, 3).is_empty());
        assert!(assignment_preview(&[], &[], None, true, None, 3).is_empty());
    }

    #[test]
    fn limits() {
        assert!(check_ring_time(1).is_ok() && check_ring_time(60).is_ok());
        for bad in [0, -5, 61, 3600] {
            assert_eq!(check_ring_time(bad).unwrap_err().code, ErrorCode::InvalidRingTime);
        }
        assert!(check_group_size(RingStrategy::Simultaneous, 10, "Ring Group").is_ok());
        assert_eq!(check_group_size(RingStrategy::Simultaneous, 11, "Ring Group").unwrap_err().code, ErrorCode::RingGroupFull);
        assert!(check_group_size(RingStrategy::RoundRobin, 200, "Ring Group").is_ok());
        assert!(check_group_count(5).is_ok());
        assert_eq!(check_group_count(6).unwrap_err().code, ErrorCode::TooManyGroups);
        assert_eq!(RingStrategy::parse("linear-round-robin"), Some(RingStrategy::LinearRoundRobin));
    }
}
