//! The plain-HTTP listener. Every accepted socket is shared ([`SharedTcp`]): hyper reads
//! and writes it through one handle, and once a connection becomes a WebSocket the
//! fan-out writers write its frames through another, straight from their threads
//! (`ws::link`). Handlers see the peer as [`Peer`] (`ConnectInfo<Peer>`).

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Who is on the other end of a request's connection.
#[derive(Clone)]
pub struct Peer {
    /// The peer's address.
    pub addr: SocketAddr,
    /// The connection's socket, when it is plain TCP (not TLS): WebSocket frames are
    /// written to it directly.
    pub tcp: Option<Arc<TcpStream>>,
}

impl fmt::Debug for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Peer")
            .field("addr", &self.addr)
            .field("shared", &self.tcp.is_some())
            .finish()
    }
}

impl Connected<IncomingStream<'_, PeerListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, PeerListener>) -> Peer {
        Peer {
            addr: *stream.remote_addr(),
            tcp: Some(stream.io().0.clone()),
        }
    }
}

/// Over TLS (`axum-server`) only the address is known.
impl Connected<SocketAddr> for Peer {
    fn connect_info(addr: SocketAddr) -> Peer {
        Peer { addr, tcp: None }
    }
}

/// Connections the kernel queues before they are accepted: thousands of spectators may
/// arrive at once (tokio's default is 1,024; the kernel caps it at `net.core.somaxconn`).
pub const BACKLOG: u32 = 4096;

/// Listens on `addr` with a [`BACKLOG`] of pending connections.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// A TCP listener whose connections are [`SharedTcp`], with `TCP_NODELAY` set (a live
/// message is one small frame: it must not wait for the previous one's ACK).
pub struct PeerListener(pub TcpListener);

impl Listener for PeerListener {
    type Io = SharedTcp;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (SharedTcp, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (SharedTcp(Arc::new(stream)), addr);
                }
                // The peer gave up before we accepted: nothing to wait for.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) => {}
                // Out of descriptors and the like: wait for some to be freed.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// A TCP stream with several owners: reads and writes go through `&TcpStream`'s
/// readiness (`try_read`, `try_write`), so another owner may write between them.
pub struct SharedTcp(pub Arc<TcpStream>);

fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

impl AsyncRead for SharedTcp {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            ready!(self.0.poll_read_ready(cx))?;
            match self.0.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if would_block(&e) => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for SharedTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[io::IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.0.poll_write_ready(cx))?;
            match self.0.try_write_vectored(bufs) {
                Err(e) if would_block(&e) => continue,
                done => return Poll::Ready(done),
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        let shutdown = socket2::SockRef::from(&*self.0).shutdown(std::net::Shutdown::Write);
        Poll::Ready(match shutdown {
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
            other => other,
        })
    }
}
