use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags pysnmp's `CommunityData(..., mpModel=0)` or `mpModel=1`: SNMPv1 and SNMPv2c.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): SNMPv1/v2c authenticate with a community string
    /// sent in clear text; anyone on the path can read it and then read or change the
    /// device's settings.
    ///
    /// ## Example
    /// ```python
    /// from pysnmp.hlapi import CommunityData
    ///
    /// auth = CommunityData("public", mpModel=0)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol
    ///
    /// auth = UsmUserData("monitor", auth_key, priv_key, authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
    /// ```
    pub static SNMP_INSECURE_VERSION = Rule {
        code: "SEC508",
        name: "snmp-insecure-version",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B508"), Peer::same("ruff", "S508")],
        check: Check::Call {
            targets: &["pysnmp.hlapi.CommunityData", "pysnmp.hlapi.asyncio.CommunityData"],
            run: check,
        },
    };
}

fn check(call: &CallSite, cx: &mut FileContext) {
    if let Some(model @ (0 | 1)) = call.keyword_value("mpModel").and_then(literal::int) {
        let version = if model == 0 { "SNMPv1" } else { "SNMPv2c" };
        cx.report(
            call.range(),
            format!("`CommunityData(mpModel={model})` uses {version}, which sends its community string in clear text; use SNMPv3 (`UsmUserData`) with encryption"),
        );
    }
}
