//! A binary WebSocket with Rust callbacks. Dropping it closes the socket and its handlers.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

pub struct Ws {
    socket: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Ws {
    pub fn connect(
        url: &str,
        on_open: impl FnMut() + 'static,
        mut on_message: impl FnMut(Vec<u8>) + 'static,
        mut on_close: impl FnMut(u16, String) + 'static,
    ) -> Result<Ws, String> {
        let socket = WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let mut on_open = on_open;
        let open = Closure::<dyn FnMut(Event)>::new(move |_| on_open());
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(buf) = e.data().dyn_ref::<js_sys::ArrayBuffer>() {
                on_message(js_sys::Uint8Array::new(buf).to_vec());
            }
        });
        let close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            on_close(e.code(), e.reason());
        });
        socket.set_onopen(Some(open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(close.as_ref().unchecked_ref()));
        Ok(Ws {
            socket,
            _on_open: open,
            _on_message: message,
            _on_close: close,
        })
    }

    pub fn send(&self, bytes: &[u8]) -> bool {
        self.socket.ready_state() == WebSocket::OPEN
            && self.socket.send_with_u8_array(bytes).is_ok()
    }
}

impl Drop for Ws {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}
