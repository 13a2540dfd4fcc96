//! Pieces shared by the pages.

use crate::repo::{self, NetStatus};
use leptos::prelude::*;

/// The relay connection, in the top bar.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let status = repo::net_status();
    let label = {
        let status = status.clone();
        move || match status.get() {
            NetStatus::Connecting => "Connecting…",
            NetStatus::Online => "Online",
            NetStatus::Offline => "Offline",
        }
    };
    let class = move || match status.get() {
        NetStatus::Connecting => "badge connecting",
        NetStatus::Online => "badge online",
        NetStatus::Offline => "badge offline",
    };
    view! {
        <span class=class data-testid="net-status" role="status" aria-live="polite">
            {label}
        </span>
    }
}

/// Shown when a save to this device's storage failed.
#[component]
pub fn StorageWarning() -> impl IntoView {
    let problem = repo::storage_problem();
    view! {
        <Show when={
            let problem = problem.clone();
            move || problem.read().is_some()
        }>
            <div class="banner error" role="alert" data-testid="storage-warning">
                {
                    let problem = problem.clone();
                    move || problem.get().unwrap_or_default()
                }
            </div>
        </Show>
    }
}
