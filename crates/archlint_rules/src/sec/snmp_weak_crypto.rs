use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags pysnmp's `UsmUserData(...)` without both an authentication key and a privacy
    /// (encryption) key: the `noAuthNoPriv` and `authNoPriv` levels of SNMPv3. Keys may be
    /// given by position or as `authKey=`/`privKey=`.
    ///
    /// Bandit counts positional arguments only (fewer than 3); archlint also counts the
    /// keywords, so `UsmUserData("u", authKey=a, privKey=p)` is not flagged.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): SNMPv3 without privacy sends everything in clear
    /// text, and without authentication anyone can send commands.
    ///
    /// ## Example
    /// ```python
    /// from pysnmp.hlapi import UsmUserData
    ///
    /// user = UsmUserData("monitor", auth_key)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from pysnmp.hlapi import UsmUserData
    ///
    /// user = UsmUserData("monitor", auth_key, priv_key)
    /// ```
    pub static SNMP_WEAK_CRYPTO = Rule {
        code: "SEC509",
        name: "snmp-weak-crypto",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B509"), Peer::same("ruff", "S509")],
        check: Check::Call {
            targets: &["pysnmp.hlapi.UsmUserData", "pysnmp.hlapi.asyncio.UsmUserData"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if call.has_unpacking() {
        return;
    }
    let has_auth = call.argument(1, "authKey").is_some();
    let has_priv = call.argument(2, "privKey").is_some();
    if !(has_auth && has_priv) {
        cx.report(
            call.range(),
            "`UsmUserData` without both an authentication and a privacy key sends SNMP unencrypted; pass `authKey` and `privKey`",
        );
    }
}
