//! Step 3: confirmation. The parties join by identity, objections are raised, answered and
//! resolved, and both sign exactly what was agreed. Signatures are verified on this device on
//! every change (see `domain::sign`); this tab only shows the verdict.

use super::{Editor, SheetMemo};
use crate::i18n::{self, t, tf};
use crate::repo::{self, IdentityInfo};
use crate::routes::me::CreateIdentity;
use domain::sign::{fingerprint, readiness, Report, SignatureState};
use domain::{Edit, Objection, ObjectionStatus, Reply, Role, RowId, Sheet};
use leptos::prelude::*;
use repo_sync::DocumentId;

/// The roles this device's identity holds on the sheet.
fn my_roles(sheet: &Sheet, me: Option<&IdentityInfo>) -> Vec<Role> {
    let Some(me) = me else { return Vec::new() };
    Role::ALL
        .into_iter()
        .filter(|r| sheet.party(*r).is_some_and(|p| p.key == me.key))
        .collect()
}

fn when(at: &str) -> String {
    i18n::moment(at)
}

#[component]
pub(super) fn ConfirmTab(
    editor: Editor,
    sheet: SheetMemo,
    id: DocumentId,
    confirmation: ArcRwSignal<Option<Report>>,
) -> impl IntoView {
    let identity = repo::identity();
    let me = {
        let identity = identity.clone();
        Memo::new(move |_| identity.get())
    };
    let roles = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| my_roles(s, me.get().as_ref()))
                .unwrap_or_default()
        })
    });
    let report = Memo::new(move |_| confirmation.get());
    let confirmed = move || report.get().is_some_and(|r| r.confirmed());
    view! {
        <div class="confirm">
            <Show when=confirmed>
                <p class="banner ok-banner" role="status" data-testid="confirmed">
                    {move || report.get().map(|r| {
                        let who = |s: &SignatureState, role: Role| match s {
                            SignatureState::Valid { name, key, at } => tf(
                                "{} ({}, {}) signed {}",
                                &[name, &i18n::role(role), &fingerprint(key), &when(at)],
                            ),
                            _ => String::new(),
                        };
                        tf(
                            "Confirmed: {}; {}.",
                            &[&who(&r.employee, Role::Employee), &who(&r.manager, Role::Manager)],
                        )
                    })}
                </p>
                // Objections are not part of what was signed, so the signatures stand; but an
                // objection raised after signing is news both should see here.
                <Show when=move || sheet.with(|s| s.as_ref().is_some_and(|s| s.objections.iter().any(|o| o.status == ObjectionStatus::Open)))>
                    <p class="banner warn" role="status" data-testid="objection-after-signing">
                        {t("The sheet was confirmed, but an objection has been raised since: resolve it together.")}
                    </p>
                </Show>
            </Show>
            <Show when=move || me.get().is_none()>
                <div class="card">
                    <p>{t("To join this sheet and sign it, set up your identity on this device first.")}</p>
                    <CreateIdentity />
                </div>
            </Show>
            <h3>{t("Parties")}</h3>
            <div class="parties">
                {Role::ALL
                    .into_iter()
                    .map(|role| view! { <PartyCard editor sheet role me roles /> })
                    .collect_view()}
            </div>
            <h3>{t("Objections")}</h3>
            <Objections editor sheet roles me />
            <h3>{t("Signatures")}</h3>
            <div class="signatures">
                {Role::ALL
                    .into_iter()
                    .map(|role| view! { <SignatureCard sheet id role report roles me /> })
                    .collect_view()}
            </div>
        </div>
    }
}

#[component]
fn PartyCard(
    editor: Editor,
    sheet: SheetMemo,
    role: Role,
    me: Memo<Option<IdentityInfo>>,
    roles: Memo<Vec<Role>>,
) -> impl IntoView {
    let party = Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.party(role).cloned())));
    let join = move |_| {
        if let Some(me) = me.get_untracked() {
            editor.apply(Edit::ClaimRole {
                role,
                party: domain::Party {
                    key: me.key,
                    name: me.name,
                },
            });
        }
    };
    let can_join =
        move || me.get().is_some() && party.get().is_none() && !roles.get().contains(&role.other());
    view! {
        <div class="card party" data-testid=format!("party-{}", role.as_str())>
            <span class="role">{t(role.label())}</span>
            {move || match party.get() {
                Some(p) => view! {
                    <span class="party-name">{p.name.clone()}</span>
                    {match p.key_problem() {
                        None => view! { <code class="hint">{fingerprint(&p.key)}</code> }.into_any(),
                        Some(problem) => view! {
                            <span class="bad" role="alert" data-testid="party-key-invalid">
                                {tf("invalid key: {}", &[&i18n::key_problem(&problem)])}
                            </span>
                        }
                        .into_any(),
                    }}
                    <Show when=move || roles.get().contains(&role)>
                        <span class="you">{t(" (you)")}</span>
                    </Show>
                }
                .into_any(),
                None => view! { <span class="hint">{t("not joined yet")}</span> }.into_any(),
            }}
            <Show when=can_join>
                <button type="button" class="primary" data-testid=format!("join-{}", role.as_str()) on:click=join>
                    {tf("Join as the {}", &[&i18n::role(role)])}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn SignatureCard(
    sheet: SheetMemo,
    id: DocumentId,
    role: Role,
    report: Memo<Option<Report>>,
    roles: Memo<Vec<Role>>,
    me: Memo<Option<IdentityInfo>>,
) -> impl IntoView {
    let state = Memo::new(move |_| report.get().map(|r| r.state(role).clone()));
    let problems = Memo::new(move |_| {
        let key = me.get().map(|m| m.key).unwrap_or_default();
        sheet.with(|s| {
            s.as_ref()
                .map(|s| readiness(s, role, &key))
                .unwrap_or_default()
        })
    });
    let error = RwSignal::new(None::<String>);
    let sign = move |_| match repo::sign_sheet(id, role) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(i18n::tr(&e))),
    };
    let mine = move || roles.get().contains(&role);
    // Not while the signatures are still being verified (no report yet).
    let can_sign =
        move || mine() && problems.read().is_empty() && state.get().is_some_and(|s| !s.is_valid());
    view! {
        <div class="card signature" data-testid=format!("signature-{}", role.as_str())>
            <span class="role">{t(role.label())}</span>
            <div data-testid=format!("signature-state-{}", role.as_str())>
                {move || match state.get() {
                    // Verified by the repo's engine, fetched after hydration: never shown as confirmed
                    // before it ran.
                    None => view! { <span class="hint" data-state="verifying">{t("Verifying signatures…")}</span> }.into_any(),
                    Some(SignatureState::Missing) => view! { <span class="hint" data-state="missing">{t("Not signed")}</span> }.into_any(),
                    Some(SignatureState::Valid { name, key, at }) => view! {
                        <span class="ok" data-state="valid">{tf("Signed by {} ({}) on {}", &[&name, &fingerprint(&key), &when(&at)])}</span>
                    }
                    .into_any(),
                    Some(SignatureState::Void { name, key, at, changes, by }) => view! {
                        <div class="bad" data-state="void">
                            <p>{tf("Void: {} ({}) signed on {}, and the agreement has changed since.", &[&name, &fingerprint(&key), &when(&at)])}</p>
                            <ul class="changes">{changes.into_iter().map(|c| view! { <li>{i18n::change_line(&c)}</li> }).collect_view()}</ul>
                            <p class="hint">{if by.is_empty() { String::new() } else { tf("Changed by {}.", &[&by.iter().map(|b| i18n::author(b)).collect::<Vec<_>>().join(", ")]) }}</p>
                            <p class="hint">{t("Both must sign again.")}</p>
                        </div>
                    }
                    .into_any(),
                    Some(SignatureState::Invalid(reason)) => view! {
                        <p class="bad" role="alert" data-state="invalid">{tf("This signature does not verify: {}.", &[&i18n::invalid(&reason)])}</p>
                    }
                    .into_any(),
                }}
            </div>
            <Show when=move || mine() && !problems.read().is_empty()>
                <ul class="errors" data-testid="not-ready">
                    {move || problems.get().into_iter().map(|p| view! { <li>{tf("To sign: {}", &[&i18n::not_ready(&p)])}</li> }).collect_view()}
                </ul>
            </Show>
            <Show when=can_sign>
                <button type="button" class="primary" data-testid=format!("sign-{}", role.as_str()) on:click=sign>
                    {tf("Sign as the {}", &[&i18n::role(role)])}
                </button>
            </Show>
            <Show when=move || error.read().is_some()>
                <p class="errors" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}

#[component]
fn Objections(
    editor: Editor,
    sheet: SheetMemo,
    roles: Memo<Vec<Role>>,
    me: Memo<Option<IdentityInfo>>,
) -> impl IntoView {
    let goals = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.goals
                        .iter()
                        .map(|g| (g.id.clone(), g.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let ids = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.objections
                        .iter()
                        .map(|o| o.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let row = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let raise = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(role), Some(me)) = (roles.get_untracked().first().copied(), me.get_untracked())
        else {
            problem.set(Some(t("Join the sheet as employee or manager to object.")));
            return;
        };
        let chosen = row.get_untracked();
        let target = goals
            .get_untracked()
            .into_iter()
            .find(|(id, _)| id.as_str() == chosen)
            .map(|(id, _)| id)
            .or_else(|| goals.get_untracked().first().map(|(id, _)| id.clone()));
        let Some(target) = target else {
            problem.set(Some(t("There is no goal to object to.")));
            return;
        };
        if reason.get_untracked().trim().is_empty() {
            problem.set(Some(t(
                "Say why: the reason is what the other side answers.",
            )));
            return;
        }
        problem.set(None);
        editor.apply(Edit::RaiseObjection(Objection {
            id: RowId::from_random(repo::random_u64()),
            row: target,
            by: role,
            name: me.name,
            reason: reason.get_untracked().trim().to_owned(),
            at: repo::now_rfc3339(),
            status: ObjectionStatus::Open,
            replies: Vec::new(),
        }));
        reason.set(String::new());
    };
    view! {
        <Show when=move || ids.with(Vec::is_empty)>
            <p class="empty" data-testid="no-objections">
                {t("No objections. If a goal seems wrong, either party can object to it here before signing; the other answers with the basis.")}
            </p>
        </Show>
        <ul class="objections" data-testid="objections">
            <For each=move || ids.get() key=|id| id.clone() let:id>
                <ObjectionThread editor sheet id roles me />
            </For>
        </ul>
        <Show when=move || !roles.read().is_empty()>
            <form class="card raise-objection" data-testid="raise-objection" on:submit=raise>
                <label>
                    {t("Object to goal")}
                    <select
                        data-field="row"
                        prop:value=move || {
                            let chosen = row.get();
                            if chosen.is_empty() {
                                goals.with(|g| g.first().map(|(id, _)| id.to_string()).unwrap_or_default())
                            } else {
                                chosen
                            }
                        }
                        on:change=move |ev| row.set(event_target_value(&ev))
                    >
                        {move || goals.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {t("Reason")}
                    <textarea
                        rows="2"
                        data-field="reason"
                        placeholder=t("e.g. the target is too high for the resources")
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <Show when=move || problem.get().is_some()>
                    <p class="errors" role="alert">{move || problem.get().unwrap_or_default()}</p>
                </Show>
                <button type="submit">{t("Raise objection")}</button>
            </form>
        </Show>
    }
}

#[component]
fn ObjectionThread(
    editor: Editor,
    sheet: SheetMemo,
    id: RowId,
    roles: Memo<Vec<Role>>,
    me: Memo<Option<IdentityInfo>>,
) -> impl IntoView {
    let i = id.clone();
    let objection = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| s.objections.iter().find(|o| o.id == i).cloned())
        })
    });
    let goal_name = Memo::new(move |_| {
        sheet
            .with(|s| {
                let s = s.as_ref()?;
                let o = objection.get()?;
                Some(
                    s.goal(&o.row)
                        .map(|g| g.name.clone())
                        .unwrap_or_else(|| t("a removed goal").into()),
                )
            })
            .unwrap_or_default()
    });
    let reply = RwSignal::new(String::new());
    let i = id.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(role), Some(me)) = (roles.get_untracked().first().copied(), me.get_untracked())
        else {
            return;
        };
        let text = reply.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        editor.apply(Edit::ReplyToObjection {
            id: i.clone(),
            reply: Reply {
                id: RowId::from_random(repo::random_u64()),
                by: role,
                name: me.name,
                text: text.trim().to_owned(),
                at: repo::now_rfc3339(),
            },
        });
        reply.set(String::new());
    };
    let is_raiser = move || objection.get().is_some_and(|o| roles.get().contains(&o.by));
    let open = move || {
        objection
            .get()
            .is_some_and(|o| o.status == ObjectionStatus::Open)
    };
    let set_status = {
        let id = id.clone();
        move |status: ObjectionStatus| {
            let id = id.clone();
            move |_| {
                editor.apply(Edit::SetObjectionStatus {
                    id: id.clone(),
                    status,
                })
            }
        }
    };
    view! {
        <li class="card objection" data-testid="objection" data-status=move || objection.get().map(|o| o.status.as_str()).unwrap_or_default()>
            {move || objection.get().map(|o| view! {
                <p class="objection-head">
                    <strong>{tf("On “{}”", &[&goal_name.get()])}</strong>
                    <span class=format!("status {}", o.status.as_str())>{t(o.status.as_str())}</span>
                </p>
                <p class="message"><span class="who">{tf("{} ({}): ", &[&o.name, &i18n::role(o.by)])}</span><span data-testid="objection-reason">{o.reason.clone()}</span></p>
                <ul class="replies">
                    {o.replies.into_iter().map(|r| view! {
                        <li class="message" data-testid="objection-reply"><span class="who">{tf("{} ({}): ", &[&r.name, &i18n::role(r.by)])}</span>{r.text}</li>
                    }).collect_view()}
                </ul>
            })}
            <Show when=move || open() && !roles.read().is_empty()>
                <form class="reply" on:submit=send.clone()>
                    <textarea
                        rows="2"
                        data-field="reply"
                        aria-label=t("Answer")
                        placeholder=t("the basis: history, resources…")
                        prop:value=move || reply.get()
                        on:input=move |ev| reply.set(event_target_value(&ev))
                    ></textarea>
                    <button type="submit" data-testid="send-reply">{t("Answer")}</button>
                </form>
            </Show>
            <Show when=move || open() && is_raiser()>
                <div class="buttons">
                    <button type="button" class="primary" data-testid="resolve-objection" on:click=set_status(ObjectionStatus::Resolved)>{t("Resolved")}</button>
                    <button type="button" data-testid="withdraw-objection" on:click=set_status(ObjectionStatus::Withdrawn)>{t("Withdraw")}</button>
                </div>
            </Show>
        </li>
    }
}
