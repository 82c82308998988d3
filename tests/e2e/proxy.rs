//! A small TCP proxy between the plugin and an API server: it can add latency to every chunk
//! sent upstream and cut connections, to play a slow or flaky link. TLS passes through
//! untouched, so the kubeconfig only needs the proxy's port.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// What the link does now; changed while it runs.
#[derive(Default)]
struct Faults {
    /// Added before each chunk is passed upstream.
    latency_ms: AtomicU64,
    /// Every Nth new connection is cut after its first chunk upstream (0: never).
    cut_every: AtomicUsize,
    connections: AtomicUsize,
    cut: AtomicUsize,
    stopped: AtomicBool,
}

/// A running proxy; stops accepting when dropped.
pub struct Proxy {
    pub addr: SocketAddr,
    faults: Arc<Faults>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `upstream`.
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().unwrap();
        let faults = Arc::new(Faults::default());
        let shared = Arc::clone(&faults);
        thread::spawn(move || {
            for client in listener.incoming() {
                if shared.stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let n = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
                let every = shared.cut_every.load(Ordering::SeqCst);
                let cut = every > 0 && n % every == 0;
                let faults = Arc::clone(&shared);
                thread::spawn(move || serve(client, upstream, cut, &faults));
            }
        });
        Proxy { addr, faults }
    }

    /// The `https://` URL a kubeconfig points at.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn set_latency(&self, latency: Duration) {
        self.faults
            .latency_ms
            .store(latency.as_millis() as u64, Ordering::SeqCst);
    }

    /// Cuts every `n`th connection from now on (0: none).
    #[allow(dead_code)]
    pub fn cut_every(&self, n: usize) {
        self.faults.cut_every.store(n, Ordering::SeqCst);
    }

    /// Connections accepted so far, and how many of them were cut.
    #[allow(dead_code)]
    pub fn counts(&self) -> (usize, usize) {
        (
            self.faults.connections.load(Ordering::SeqCst),
            self.faults.cut.load(Ordering::SeqCst),
        )
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.faults.stopped.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(client: TcpStream, upstream: SocketAddr, cut: bool, faults: &Arc<Faults>) {
    let Ok(server) = TcpStream::connect(upstream) else {
        // Upstream down: the client sees its connection closed, as with a dead server.
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(client_read), Ok(server_write)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let faults_up = Arc::clone(faults);
    let upward = thread::spawn(move || {
        pump(client_read, server_write, |first| {
            let latency = faults_up.latency_ms.load(Ordering::SeqCst);
            if latency > 0 {
                thread::sleep(Duration::from_millis(latency));
            }
            if cut && !first {
                faults_up.cut.fetch_add(1, Ordering::SeqCst);
                return false;
            }
            true
        })
    });
    pump(server, client, |_| true);
    let _ = upward.join();
}

/// Copies `from` to `to` until either closes or `before_chunk` says to cut; then closes both.
fn pump(mut from: TcpStream, mut to: TcpStream, mut before_chunk: impl FnMut(bool) -> bool) {
    let mut buffer = [0u8; 16 * 1024];
    let mut first = true;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if !before_chunk(first) || to.write_all(&buffer[..n]).is_err() {
            break;
        }
        first = false;
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
