// The operations on inboxes: membership, the four routing settings and
// conversations (included by main.rs; drawn in ops.rs).

/// Inbox membership, routing and conversations.
fn apply_to_inboxes(m: &mut Model, d: &mut Seatdesk, step: &Step) -> (Outcome, Outcome) {
    let scope = Scope { account: Some(m.account.clone()), acting_as: step.actor.clone(), ..Scope::default() };
    match &step.op {
        Op::AddToInbox { inbox, email } => {
            let actual = code(d.add_inbox_member(&scope, inbox, email));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                // An invitee joins the inbox its invite names: edit the invite.
                if target.status != Status::Active {
                    return Err(ErrorCode::EditInviteInstead);
                }
                if m.members[email].inboxes.contains(&key) {
                    return Ok(());
                }
                m.members.get_mut(email).unwrap().inboxes.insert(key.clone());
                m.inboxes.get_mut(&key).unwrap().members.insert(email.clone());
                m.join_routing(&key, email);
                Ok(())
            })();
            (expected, actual)
        }
        Op::RemoveFromInbox { inbox, email, everywhere } => {
            let actual = code(d.remove_inbox_member(&scope, inbox, email, *everywhere));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if !target.inboxes.contains(&key) {
                    return Ok(());
                }
                // A pending invite's inbox is changed by editing the invite.
                if target.status == Status::Pending {
                    return Err(ErrorCode::EditInviteInstead);
                }
                if m.in_settings(&key, email) && !everywhere {
                    return Err(ErrorCode::MemberStillAssigned);
                }
                m.leave_routing(&key, email);
                m.inboxes.get_mut(&key).unwrap().members.remove(email);
                m.members.get_mut(email).unwrap().inboxes.remove(&key);
                // Their conversations here go where the assignment sends them.
                if m.convs.contains_key(&(key.clone(), Some(email.clone()))) {
                    let to = m.assignment_next(&key);
                    m.note = Some("conversations routed away from a member leaving the inbox");
                    m.move_convs(&key, email, to);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Routing { inbox, ring_group, email, present } => {
            let actual = code(d.set_routing_member(&scope, inbox, *ring_group, email, *present));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if *present && (target.status != Status::Active || !target.inboxes.contains(&key)) {
                    return Err(ErrorCode::NotInboxMember);
                }
                if *present && target.role == Role::Observer {
                    return Err(ErrorCode::ObserverHoldsNoWork);
                }
                if !*present && !*ring_group && m.inboxes[&key].rr_after == Some(m.sort_key(email)) && m.inboxes[&key].assignment.contains(email) {
                    m.note = Some("the member with round robin's turn left the rotation");
                }
                let i = m.inboxes.get_mut(&key).unwrap();
                let list = if *ring_group { &mut i.ring_group } else { &mut i.assignment };
                if *present {
                    list.insert(email.clone());
                } else {
                    list.remove(email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Assignment { inbox, round_robin, default } => {
            let change = AssignmentChange { round_robin: *round_robin, default_assignee: default.clone() };
            let actual = code(d.set_assignment(&scope, inbox, &change));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let i = &m.inboxes[&key];
                let (mut rr, mut def) = (i.round_robin, i.default_assignee.clone());
                if let Some(on) = round_robin {
                    rr = *on;
                    if *on {
                        def = None;
                    }
                }
                match default.as_deref() {
                    Some("") => def = None,
                    Some(e) => {
                        let t = m.members.get(e).ok_or(ErrorCode::NotFound)?;
                        if t.status != Status::Active || !t.inboxes.contains(&key) {
                            return Err(ErrorCode::NotInboxMember);
                        }
                        if t.role == Role::Observer {
                            return Err(ErrorCode::ObserverHoldsNoWork);
                        }
                        def = Some(e.to_string());
                        rr = false;
                    }
                    None => {}
                }
                if !rr && def.is_none() {
                    return Err(ErrorCode::InvalidAssignment);
                }
                let i = m.inboxes.get_mut(&key).unwrap();
                i.round_robin = rr;
                i.default_assignee = def;
                Ok(())
            })();
            (expected, actual)
        }
        Op::Conversation { inbox, assignee } => {
            let result = d.add_conversation(&scope, inbox, CONTACT, assignee.as_deref());
            let chosen = result.as_ref().ok().cloned().flatten().map(|e| e.to_lowercase());
            let actual = code(result);
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let who = match assignee {
                    Some(a) => match m.members.get(a) {
                        Some(t) if t.status == Status::Active && t.inboxes.contains(&key) => {
                            if t.role == Role::Observer {
                                return Err(ErrorCode::ObserverHoldsNoWork);
                            }
                            Some(a.clone())
                        }
                        _ => return Err(ErrorCode::NotInboxMember),
                    },
                    // The default assignee, or the next in round robin
                    // (alphabetical, after whoever had the last turn).
                    None => {
                        let next = m.assignment_next(&key);
                        assert_eq!(chosen, next, "Conversation Assignment picked {chosen:?}, the model says {next:?}");
                        next
                    }
                };
                *m.convs.entry((key, who)).or_default() += 1;
                Ok(())
            })();
            (expected, actual)
        }
        Op::Distribution { inbox, groups, ring_seconds } => {
            let input = DistributionInput {
                groups: groups.iter().map(|g| GroupInput { members: g.clone(), strategy: RingStrategy::Simultaneous, ring_seconds: *ring_seconds, was: None }).collect(),
                fallthrough: Fallthrough::Voicemail,
                version: None,
            };
            let actual = code(d.set_distribution(&scope, inbox, &input));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                if groups.len() > 5 {
                    return Err(ErrorCode::TooManyGroups);
                }
                let mut saved = Vec::new();
                for g in groups {
                    if !(1..=60).contains(ring_seconds) {
                        return Err(ErrorCode::InvalidRingTime);
                    }
                    for e in g {
                        m.routing_member(&key, e)?;
                    }
                    if g.is_empty() {
                        return Err(ErrorCode::InvalidDistribution);
                    }
                    saved.push(g.iter().cloned().collect::<BTreeSet<_>>());
                }
                // Digits that rang a group no longer there point nowhere.
                let n = saved.len() as i32;
                let i = m.inboxes.get_mut(&key).unwrap();
                i.groups = saved;
                for o in i.ivr.values_mut() {
                    if matches!(o, MIvr::Group(p) if *p > n) {
                        *o = MIvr::Nowhere;
                    }
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::DistributionMember { inbox, position, email, present } => {
            let actual = code(d.set_distribution_member(&scope, inbox, *position, email, *present));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let count = m.inboxes[&key].groups.len() as i64;
                if !(1..=count).contains(position) {
                    return Err(ErrorCode::NotFound);
                }
                if *present {
                    m.routing_member(&key, email)?;
                } else {
                    m.members.get(email).ok_or(ErrorCode::NotFound)?;
                }
                let group = &mut m.inboxes.get_mut(&key).unwrap().groups[*position as usize - 1];
                if !*present && group.len() == 1 && group.contains(email) {
                    return Err(ErrorCode::InvalidDistribution);
                }
                if *present {
                    group.insert(email.clone());
                } else {
                    group.remove(email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::IvrOption { inbox, digit, target } => {
            let wanted = target.as_ref().map(|t| match t {
                MIvr::Member(e) => IvrTarget::Member { email: e.clone() },
                MIvr::Group(p) => IvrTarget::DistributionGroup { position: *p },
                MIvr::Voicemail => IvrTarget::Voicemail,
                MIvr::Nowhere => IvrTarget::None,
            });
            let actual = code(d.set_ivr_option(&scope, inbox, *digit, wanted.as_ref()));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                if !(0..=9).contains(digit) {
                    return Err(ErrorCode::InvalidIvrOption);
                }
                match target {
                    Some(MIvr::Member(e)) => m.routing_member(&key, e)?,
                    Some(MIvr::Group(p)) if *p < 1 || *p as usize > m.inboxes[&key].groups.len() => return Err(ErrorCode::NotFound),
                    _ => {}
                }
                let ivr = &mut m.inboxes.get_mut(&key).unwrap().ivr;
                match target {
                    Some(t) => ivr.insert(*digit, t.clone()),
                    None => ivr.remove(digit),
                };
                Ok(())
            })();
            (expected, actual)
        }
        _ => unreachable!("not an inbox operation: apply_to_account"),
    }
}
