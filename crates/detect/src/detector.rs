//! The narrow interface between the pipeline and each detector.

use qinglang_model::{Account, Item, Signal};
use qinglang_text::Normalized;

/// What a detector sees of an item: the item and its normalised text.
pub struct ItemContext<'a> {
    pub item: &'a Item,
    /// `item.text`, normalised once for all detectors. Spans must be mapped
    /// back with [`Normalized::original_span`] before they go into a signal.
    pub text: &'a Normalized,
}

/// What a detector sees of an account: the account and its normalised display name.
pub struct AccountContext<'a> {
    pub account: &'a Account,
    /// `account.name`, normalised. Signal spans on accounts point into `name`.
    pub name: &'a Normalized,
}

/// A stateless detector. Implementations must not panic on any input and
/// must only append to `out`.
pub trait Detector: Send + Sync {
    /// The name used in signals and in `scan --detectors`.
    fn name(&self) -> &'static str;

    /// A version string recorded with every verdict this detector contributes to.
    fn version(&self) -> String {
        "1".to_owned()
    }

    /// Inspects one item.
    fn inspect_item(&self, cx: &ItemContext<'_>, out: &mut Vec<Signal>);

    /// Inspects one account. Most detectors only look at items.
    fn inspect_account(&self, _cx: &AccountContext<'_>, _out: &mut Vec<Signal>) {}
}
