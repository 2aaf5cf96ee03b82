//! Live channels over `/ws`: one socket per subscription, reconnected with backoff and
//! resumed with `since` (the server replays what was missed or sends a fresh snapshot).
//! The socket closes when the reactive scope that opened it is disposed.

use crate::api::Api;
use codehub_protocol::Channel;
use codehub_protocol::ws::{ClientCommand, ServerMessage};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use sycamore::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The link's state, for a status dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Opening.
    Connecting,
    /// Subscribed.
    Live,
    /// Lost; trying again.
    Reconnecting,
}

struct Inner {
    api: Api,
    channel: String,
    last_seq: Cell<Option<u64>>,
    socket: RefCell<Option<web_sys::WebSocket>>,
    closed: Cell<bool>,
    backoff_ms: Cell<i32>,
    link: Signal<Link>,
    /// The scope that subscribed: callbacks run in it, so they may spawn scoped tasks.
    scope: NodeHandle,
    on_message: Box<dyn Fn(ServerMessage)>,
    handlers: RefCell<Vec<Box<dyn std::any::Any>>>,
}

/// Subscribes to `channel` for as long as the current scope lives; `on_message` gets
/// every message of the channel (and `error` messages). Returns the link state.
pub fn subscribe(
    api: Api,
    channel: Channel,
    on_message: impl Fn(ServerMessage) + 'static,
) -> ReadSignal<Link> {
    let link = create_signal(Link::Connecting);
    let inner = Rc::new(Inner {
        api,
        channel: channel.to_string(),
        last_seq: Cell::new(None),
        socket: RefCell::new(None),
        closed: Cell::new(false),
        backoff_ms: Cell::new(250),
        link,
        scope: use_current_scope(),
        on_message: Box::new(on_message),
        handlers: RefCell::new(Vec::new()),
    });
    connect(Rc::downgrade(&inner));
    let keep = inner.clone();
    on_cleanup(move || {
        keep.closed.set(true);
        if let Some(ws) = keep.socket.borrow_mut().take() {
            ws.set_onmessage(None);
            ws.set_onclose(None);
            ws.set_onopen(None);
            let _ = ws.close();
        }
        keep.handlers.borrow_mut().clear();
    });
    *link
}

fn ws_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    // The token goes in the first message, not the URL (`ClientCommand::Auth`).
    Some(format!("{scheme}://{host}/ws"))
}

fn connect(weak: Weak<Inner>) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(inner) = weak.upgrade() else { return };
        let token = inner.api.token().await;
        if inner.closed.get() {
            return;
        }
        let Some(url) = ws_url() else {
            return;
        };
        let Ok(ws) = web_sys::WebSocket::new(&url) else {
            retry(&inner);
            return;
        };
        let w = Rc::downgrade(&inner);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let Some(inner) = w.upgrade() else { return };
            let auth = token.clone().map(|token| ClientCommand::Auth { token });
            let subscribe = ClientCommand::Subscribe {
                channel: inner.channel.clone(),
                since: inner.last_seq.get(),
            };
            if let Some(ws) = inner.socket.borrow().as_ref() {
                // Commands are handled in order: the subscription is made as this user.
                for cmd in auth.into_iter().chain([subscribe]) {
                    if let Ok(cmd) = serde_json::to_string(&cmd) {
                        let _ = ws.send_with_str(&cmd);
                    }
                }
            }
            inner.backoff_ms.set(250);
            inner.link.set(Link::Live);
        });
        let w = Rc::downgrade(&inner);
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(inner) = w.upgrade() else { return };
                let Some(text) = e.data().as_string() else {
                    return;
                };
                let Ok(msg) = serde_json::from_str::<ServerMessage>(&text) else {
                    return;
                };
                if msg.channel.as_deref().is_some_and(|c| c != inner.channel) {
                    return;
                }
                if let Some(seq) = msg.seq {
                    inner.last_seq.set(Some(seq));
                }
                inner.scope.run_in(|| (inner.on_message)(msg));
            });
        let w = Rc::downgrade(&inner);
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = w.upgrade() {
                retry(&inner);
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut handlers = inner.handlers.borrow_mut();
        handlers.clear();
        handlers.push(Box::new(on_open));
        handlers.push(Box::new(on_message));
        handlers.push(Box::new(on_close));
        *inner.socket.borrow_mut() = Some(ws);
    });
}

fn retry(inner: &Rc<Inner>) {
    if inner.closed.get() {
        return;
    }
    inner.link.set(Link::Reconnecting);
    let delay = inner.backoff_ms.get();
    inner.backoff_ms.set((delay * 2).min(8000));
    let weak = Rc::downgrade(inner);
    gloo_timers::callback::Timeout::new(delay as u32, move || connect(weak)).forget();
}
