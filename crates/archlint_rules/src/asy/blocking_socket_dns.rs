use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags synchronous network set-up inside `async def`: `socket.create_connection`, DNS
    /// look-ups (`getaddrinfo`, `gethostbyname`, …), and the blocking protocol clients
    /// `smtplib`, `ftplib`, `poplib`, `imaplib`, `telnetlib` and `paramiko.SSHClient`.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight. A DNS look-up alone can take seconds.
    ///
    /// ## Example
    /// ```python
    /// import socket
    ///
    /// async def resolve(host):
    ///     return socket.gethostbyname(host)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import asyncio
    ///
    /// async def resolve(host):
    ///     loop = asyncio.get_running_loop()
    ///     return await loop.getaddrinfo(host, None)
    /// ```
    pub static BLOCKING_SOCKET_DNS = Rule {
        code: "ASY008",
        name: "blocking-socket-dns",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::related("ruff", "ASYNC210")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "socket.create_connection",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyname_ex",
    "socket.gethostbyaddr",
    "socket.getfqdn",
    "socket.getnameinfo",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "ftplib.FTP",
    "ftplib.FTP_TLS",
    "poplib.POP3",
    "imaplib.IMAP4",
    "imaplib.IMAP4_SSL",
    "telnetlib.Telnet",
    "paramiko.SSHClient",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "use `asyncio.open_connection`, `loop.getaddrinfo` or an async client (`aiosmtplib`, `asyncssh`)",
            "use `trio.open_tcp_stream` or `trio.socket`",
            "use `anyio.connect_tcp` or `anyio.getaddrinfo`",
        ],
    );
}
