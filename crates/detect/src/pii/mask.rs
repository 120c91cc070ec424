//! Masked evidence, keyed hashes, and the seam for unmasking.
//!
//! Personal data never leaves the `pii` detector in clear: a signal's
//! `evidence` holds a masked form (`440************123`, `138****5678`) and a
//! keyed hash of the canonical value (`hmac:` + 32 hex digits, HMAC-SHA256
//! truncated to 128 bits). The same number written in different evasion forms
//! has the same canonical value and hence the same hash, so items can be
//! matched across a stream without keeping the number anywhere.
//!
//! The key comes from [`PiiKey::from_env`] (`QINGLANG_PII_KEY`) or from the
//! caller. Without one, [`PiiKey::DEVELOPMENT`] is used: it is public, so
//! hashes made with it can be reversed by brute force over the number space
//! and must not be relied on in production.
//!
//! Unmasking reads the original span from the stored item. It goes through
//! [`unmask`], which asks an [`UnmaskAuthority`] whether the actor's role may
//! see it and records every request, granted or not. The governance layer
//! (roles, audit log) implements that trait; nothing here stores anything.

use super::PiiKind;
use qinglang_model::Span;
use sha2::{Digest, Sha256};

/// The environment variable read by [`PiiKey::from_env`].
pub const KEY_ENV: &str = "QINGLANG_PII_KEY";

/// The secret key of the evidence hashes.
#[derive(Clone)]
pub struct PiiKey(Vec<u8>);

impl std::fmt::Debug for PiiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PiiKey(..)")
    }
}

impl PiiKey {
    /// The documented development key. Public, hence not secret.
    pub const DEVELOPMENT: &'static str = "qinglang-development-pii-key";

    /// A key from any bytes.
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        PiiKey(key.into())
    }

    /// The key in `QINGLANG_PII_KEY`, or the development key if it is unset or empty.
    pub fn from_env() -> Self {
        match std::env::var(KEY_ENV) {
            Ok(k) if !k.is_empty() => PiiKey::new(k),
            _ => PiiKey::new(Self::DEVELOPMENT),
        }
    }

    /// Whether this is the public development key.
    pub fn is_development(&self) -> bool {
        self.0 == Self::DEVELOPMENT.as_bytes()
    }

    /// HMAC-SHA256 (RFC 2104) of `message`.
    pub fn hmac(&self, message: &[u8]) -> [u8; 32] {
        const BLOCK: usize = 64;
        let mut k = [0u8; BLOCK];
        if self.0.len() > BLOCK {
            k[..32].copy_from_slice(&Sha256::digest(&self.0));
        } else {
            k[..self.0.len()].copy_from_slice(&self.0);
        }
        let mut inner = Sha256::new();
        inner.update(k.map(|b| b ^ 0x36));
        inner.update(message);
        let mut outer = Sha256::new();
        outer.update(k.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    /// The evidence hash of a canonical value of `kind`: 32 lower-case hex
    /// digits. The kind is part of the message, so an identity number and a
    /// bank card with the same digits hash differently.
    pub fn evidence_hash(&self, kind: PiiKind, canonical: &str) -> String {
        let mut msg = Vec::with_capacity(canonical.len() + 16);
        msg.extend_from_slice(kind.as_str().as_bytes());
        msg.push(b':');
        msg.extend_from_slice(canonical.as_bytes());
        let mac = self.hmac(&msg);
        let mut out = String::with_capacity(32);
        for b in &mac[..16] {
            out.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
            out.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
        }
        out
    }
}

/// The prefix of the hash inside a signal's evidence.
pub const HASH_PREFIX: &str = "hmac:";

/// The evidence string of one finding: the masked form and the hash.
pub fn evidence(masked: &str, hash: &str) -> String {
    format!("{masked} {HASH_PREFIX}{hash}")
}

/// The hash inside an evidence string made by [`evidence`], if any.
pub fn hash_of_evidence(evidence: &str) -> Option<&str> {
    let at = evidence.rfind(HASH_PREFIX)?;
    let h = &evidence[at + HASH_PREFIX.len()..];
    let h = h
        .split(|c: char| !c.is_ascii_hexdigit())
        .next()
        .unwrap_or("");
    (h.len() == 32).then_some(h)
}

/// Keeps `head` characters at the start and `tail` at the end of `value`
/// and stars the rest; short values are starred except their first character.
fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n <= head + tail {
        let keep = usize::from(n > 1);
        return chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i < keep { c } else { '*' })
            .collect();
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

/// The masked form of a canonical value.
pub fn mask(kind: PiiKind, canonical: &str) -> String {
    match kind {
        PiiKind::IdCard => keep_ends(canonical, 3, 3),
        PiiKind::Mobile => keep_ends(canonical, 3, 4),
        PiiKind::BankCard => keep_ends(canonical, 4, 4),
        PiiKind::Landline => keep_ends(canonical, 4, 2),
        PiiKind::Qq | PiiKind::Wechat => keep_ends(canonical, 2, 1),
        PiiKind::LicensePlate => keep_ends(canonical, 2, 1),
        PiiKind::Passport | PiiKind::HkMacaoPermit | PiiKind::TaiwanPermit => {
            keep_ends(canonical, 1, 2)
        }
        PiiKind::Email => match canonical.split_once('@') {
            Some((local, domain)) => format!("{}@{domain}", keep_ends(local, 1, 0)),
            None => keep_ends(canonical, 1, 0),
        },
        PiiKind::Address => {
            // Keep the administrative part (up to the last 省/市/区/县 in the
            // first twelve characters); star the street and number.
            let chars: Vec<char> = canonical.chars().collect();
            let cut = chars
                .iter()
                .take(12)
                .rposition(|c| matches!(c, '省' | '市' | '区' | '县' | '州' | '盟' | '旗'))
                .map_or(0, |p| p + 1);
            let mut s: String = chars[..cut].iter().collect();
            s.push_str("****");
            s
        }
    }
}

/// A request to see the clear text behind a masked finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmaskRequest<'a> {
    /// Who asks (a user id).
    pub actor: &'a str,
    /// The role the actor acts in.
    pub role: &'a str,
    /// The item the span belongs to.
    pub item_id: &'a str,
    /// The span of the finding in the item's original text.
    pub span: Span,
    /// Why the actor needs to see it (recorded in the audit log).
    pub reason: &'a str,
}

/// Why an unmasking did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnmaskError {
    #[error("role `{role}` may not unmask personal information")]
    Denied { role: String },
    #[error("span {start}..{end} is not a character range of item `{item}` (length {len})")]
    BadSpan {
        item: String,
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("the unmasking could not be recorded in the audit log: {0}")]
    Audit(String),
}

/// The governance layer's side of unmasking: who may, and the audit record.
pub trait UnmaskAuthority {
    /// Whether `request.role` may unmask personal information.
    fn may_unmask(&self, request: &UnmaskRequest<'_>) -> bool;
    /// Records a request and whether it was granted. An error refuses the
    /// unmasking: nothing is shown that is not in the audit log.
    fn record(&self, request: &UnmaskRequest<'_>, granted: bool) -> Result<(), String>;
}

/// Refuses every request and records nothing: the default until the
/// governance issue brings roles and the audit log.
#[derive(Debug, Clone, Copy, Default)]
pub struct DenyAllUnmasking;

impl UnmaskAuthority for DenyAllUnmasking {
    fn may_unmask(&self, _request: &UnmaskRequest<'_>) -> bool {
        false
    }
    fn record(&self, _request: &UnmaskRequest<'_>, _granted: bool) -> Result<(), String> {
        Ok(())
    }
}

/// Returns the clear text of `request.span` in `original` (the stored item's
/// text) if the authority allows it, after recording the request.
pub fn unmask<'t>(
    authority: &dyn UnmaskAuthority,
    request: &UnmaskRequest<'_>,
    original: &'t str,
) -> Result<&'t str, UnmaskError> {
    let granted = authority.may_unmask(request);
    authority
        .record(request, granted)
        .map_err(UnmaskError::Audit)?;
    if !granted {
        return Err(UnmaskError::Denied {
            role: request.role.to_owned(),
        });
    }
    let Span { start, end } = request.span;
    original
        .get(start..end)
        .filter(|_| start < end)
        .ok_or_else(|| UnmaskError::BadSpan {
            item: request.item_id.to_owned(),
            start,
            end,
            len: original.len(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let key = PiiKey::new(b"Jefe".to_vec());
        let mac = key.hmac(b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(
            mask(PiiKind::IdCard, "440301199003071230"),
            "440************230"
        );
        assert_eq!(mask(PiiKind::Mobile, "13812345678"), "138****5678");
        assert_eq!(
            mask(PiiKind::BankCard, "6222021234567890128"),
            "6222***********0128"
        );
        assert_eq!(mask(PiiKind::Email, "zhangsan@qq.com"), "z*******@qq.com");
        assert_eq!(
            mask(PiiKind::Address, "广东省深圳市南山区科技路12号"),
            "广东省深圳市南山区****"
        );
        assert_eq!(mask(PiiKind::Qq, "12"), "1*");
    }

    #[test]
    fn evidence_hash_is_keyed_and_parsable() {
        let a = PiiKey::new("k1").evidence_hash(PiiKind::Mobile, "13812345678");
        let b = PiiKey::new("k2").evidence_hash(PiiKind::Mobile, "13812345678");
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let e = evidence("138****5678", &a);
        assert_eq!(hash_of_evidence(&e), Some(a.as_str()));
        assert_eq!(hash_of_evidence("no hash here"), None);
    }

    struct Log {
        allow: bool,
        seen: RefCell<Vec<(String, bool)>>,
    }
    impl UnmaskAuthority for Log {
        fn may_unmask(&self, r: &UnmaskRequest<'_>) -> bool {
            self.allow && r.role == "privacy_officer"
        }
        fn record(&self, r: &UnmaskRequest<'_>, granted: bool) -> Result<(), String> {
            self.seen.borrow_mut().push((r.actor.to_owned(), granted));
            Ok(())
        }
    }

    #[test]
    fn unmasking_is_checked_and_recorded() {
        let text = "电话13812345678";
        let req = UnmaskRequest {
            actor: "u1",
            role: "privacy_officer",
            item_id: "i1",
            span: Span::new(6, 17),
            reason: "appeal",
        };
        let log = Log {
            allow: true,
            seen: RefCell::new(vec![]),
        };
        assert_eq!(unmask(&log, &req, text), Ok("13812345678"));
        let bad = UnmaskRequest {
            span: Span::new(1, 4),
            ..req.clone()
        };
        assert!(matches!(
            unmask(&log, &bad, text),
            Err(UnmaskError::BadSpan { .. })
        ));
        let other = UnmaskRequest {
            role: "moderator",
            ..req.clone()
        };
        assert!(matches!(
            unmask(&log, &other, text),
            Err(UnmaskError::Denied { .. })
        ));
        assert_eq!(log.seen.borrow().len(), 3);
        assert!(matches!(
            unmask(&DenyAllUnmasking, &req, text),
            Err(UnmaskError::Denied { .. })
        ));
    }
}
