//! The `impersonation` detector: accounts that pose as a protected news
//! unit, institution or brand, or present themselves as a news outlet
//! without a licence.
//!
//! An account's display name and handle are reduced to skeletons
//! ([`skeleton`]) and compared with every protected name: the same name
//! after folding (traditional characters, look-alikes, inserted symbols),
//! the name with decoration added (官方, 频道, 中心, 发布, official), the
//! same sound (pinyin handles such as `xinhuashe`, homophones), and near
//! spellings of longer names. The best match becomes one signal with rule
//! `impersonation`, category `news_impersonation`, the imitated name and
//! the way it was imitated in the evidence. The verified owner of a name
//! (`account` in the registry) is never flagged for that name.
//!
//! Independently, an account whose name ends like a news outlet (…日报,
//! …新闻, …电视台, …News) and that is not the owner of a licensed entry
//! gets rule `unlicensed_news_outlet` with a lower score. Without a
//! protected-name file this is all the detector does: it cannot know who is
//! licensed, so every such self-presentation is flagged at the lowest score
//! and left to review.
//!
//! Items by a flagged author carry the signal too: the scan loop keeps a
//! [`FlaggedAuthors`] and asks it for each item.

pub mod registry;
pub mod skeleton;

pub use registry::{ProtectedName, ProtectedNames, RegistryError};

use crate::{AccountContext, Detector, ItemContext};
use qinglang_model::{category, Item, Signal, Span};
use skeleton::{
    edit_distance, only_decoration, strip_decoration, Skeleton, HAN_DECORATION, SOUND_DECORATION,
};
use std::borrow::Cow;
use std::collections::HashMap;

/// Rule of a signal for imitating a protected name.
pub const RULE_IMPERSONATION: &str = "impersonation";
/// Rule of a signal for news-outlet self-presentation without a licence.
pub const RULE_UNLICENSED_NEWS: &str = "unlicensed_news_outlet";

/// Place names an impostor may add to a borrowed name ("新华社北京"): the
/// provinces, and the country as a whole.
static PLACES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut places = crate::pii::forms::PROVINCE_NAMES.to_vec();
    places.extend(["中国", "全国"]);
    places
});

/// Name endings of news outlets.
const NEWS_ENDINGS: &[&str] = &[
    "新闻",
    "日报",
    "晚报",
    "晨报",
    "早报",
    "时报",
    "商报",
    "快报",
    "周刊",
    "周报",
    "电视台",
    "广播电台",
    "通讯社",
    "新闻社",
    "报社",
    "融媒体",
    "新闻网",
    "卫视",
    "记者站",
    "新闻中心",
    "新闻频道",
];
/// Decoration that may follow a news ending ("XX日报官方").
const NEWS_TRAILERS: &[&str] = &[
    "官方", "频道", "官博", "官微", "账号", "认证", "发布", "平台", "号",
];

struct Entry {
    name: ProtectedName,
    sk: Skeleton,
    han_core: String,
    sound_core: String,
}

/// How an account imitates a protected name.
#[derive(Debug, Clone, PartialEq)]
pub struct Imitation {
    /// The protected name imitated.
    pub name: String,
    pub kind: Option<String>,
    pub score: f32,
    /// How: `same_name`, `traditional`, `confusable`, `symbols`,
    /// `decoration`, `pinyin`, `homophone`, `near_spelling`.
    pub how: &'static str,
}

/// The `impersonation` detector.
pub struct ImpersonationDetector {
    names: ProtectedNames,
    entries: Vec<Entry>,
    /// [`SOUND_DECORATION`] and the pinyin of [`HAN_DECORATION`].
    sound_decoration: Vec<String>,
}

impl ImpersonationDetector {
    /// The detector's name in signals and `--detectors`.
    pub const NAME: &'static str = "impersonation";

    /// A detector protecting `names` (which may be empty).
    pub fn new(names: ProtectedNames) -> Self {
        let mut sound_decoration: Vec<String> =
            SOUND_DECORATION.iter().map(|s| s.to_string()).collect();
        for w in HAN_DECORATION {
            let p = Skeleton::of(w).sound;
            if p.len() >= 4 && !sound_decoration.contains(&p) {
                sound_decoration.push(p);
            }
        }
        let deco: Vec<&str> = sound_decoration.iter().map(String::as_str).collect();
        let entries = names
            .names
            .iter()
            .map(|n| {
                let sk = Skeleton::of(&n.name);
                let han_core = strip_decoration(&sk.han, HAN_DECORATION).to_owned();
                // A core that is only a common word (中国 of 中国新闻网) would
                // match far too much: keep the whole sound then.
                let sound_core = if han_core.chars().count() >= 3 || sk.han.is_empty() {
                    strip_decoration(&sk.sound, &deco).to_owned()
                } else {
                    sk.sound.clone()
                };
                Entry {
                    name: n.clone(),
                    sk,
                    han_core,
                    sound_core,
                }
            })
            .collect();
        ImpersonationDetector {
            names,
            entries,
            sound_decoration,
        }
    }

    /// The best imitation of a protected name by `name` (a display name or a
    /// handle) of account `account_id`, if any.
    pub fn imitation(&self, account_id: &str, name: &str) -> Option<Imitation> {
        let a = Skeleton::of(name);
        if a.han.is_empty() && a.sound.is_empty() {
            return None;
        }
        let a_han_core = strip_decoration(&a.han, HAN_DECORATION);
        let deco: Vec<&str> = self.sound_decoration.iter().map(String::as_str).collect();
        let a_sound_core = strip_decoration(&a.sound, &deco);
        let mut best: Option<Imitation> = None;
        for e in &self.entries {
            if e.name.account.as_deref() == Some(account_id) {
                continue;
            }
            let Some((score, how)) = compare(&a, a_han_core, a_sound_core, e, name, &deco) else {
                continue;
            };
            if best.as_ref().map_or(true, |b| score > b.score) {
                best = Some(Imitation {
                    name: e.name.name.clone(),
                    kind: e.name.kind.clone(),
                    score,
                    how,
                });
            }
        }
        // An account that owns a name with the same skeleton is that name's
        // owner under another spelling, not an impostor.
        if let Some(b) = &best {
            let owned = self.entries.iter().any(|e| {
                e.name.account.as_deref() == Some(account_id)
                    && Skeleton::of(&b.name).han == e.sk.han
            });
            if owned {
                return None;
            }
        }
        best
    }

    /// Whether `name` presents the account as a news outlet.
    pub fn presents_as_news(name: &str) -> bool {
        let a = Skeleton::of(name);
        let han = strip_decoration(&a.han, NEWS_TRAILERS);
        if NEWS_ENDINGS
            .iter()
            .any(|e| han.ends_with(e) && han.chars().count() > e.chars().count())
        {
            return true;
        }
        let latin = strip_decoration(&a.latin, &["official", "tv", "cn", "app"]);
        ["news", "daily", "press"]
            .iter()
            .any(|e| latin.ends_with(e) && latin.len() > e.len() + 1)
    }

    fn signal(&self, rule: &str, score: f32, spans: Vec<Span>, evidence: String) -> Signal {
        Signal {
            detector: Cow::Borrowed(Self::NAME),
            rule: rule.to_owned(),
            category: category::NEWS_IMPERSONATION,
            score,
            spans,
            evidence,
        }
    }
}

/// Compares an account skeleton with one protected entry.
fn compare(
    a: &Skeleton,
    a_han_core: &str,
    a_sound_core: &str,
    e: &Entry,
    raw: &str,
    sound_decoration: &[&str],
) -> Option<(f32, &'static str)> {
    let p = &e.sk;
    let p_han_len = p.han.chars().count();
    let disguise = || {
        if a.disguises.traditional {
            "traditional"
        } else if a.disguises.confusable {
            "confusable"
        } else if a.disguises.symbols {
            "symbols"
        } else {
            "same_name"
        }
    };
    if p_han_len >= 2 {
        if a.han == p.han {
            let how = disguise();
            let score = if how == "same_name" && raw.trim() == e.name.name {
                0.9
            } else {
                0.95
            };
            return Some((score, how));
        }
        if let Some(at) = a.han.find(&p.han) {
            let (left, right) = (&a.han[..at], &a.han[at + p.han.len()..]);
            let extra = |s: &str| {
                s.is_empty() || only_decoration(s, HAN_DECORATION) || only_decoration(s, &PLACES)
            };
            if extra(left) && extra(right) {
                return Some((0.85, "decoration"));
            }
            if extra(left) && skeleton::short_addition(&p.han, right) {
                return Some((0.55, "added_words"));
            }
        }
        let core_len = e.han_core.chars().count();
        if core_len >= 3 && a_han_core == e.han_core {
            return Some((0.8, "decoration"));
        }
        if p_han_len >= 4 {
            let core_ok = a_han_core.chars().count() >= 3;
            if (core_ok && edit_distance(a_han_core, &p.han, 1) <= 1)
                || (a.han.chars().count() >= 3 && edit_distance(&a.han, &p.han, 1) <= 1)
                || (core_ok && core_len >= 4 && edit_distance(a_han_core, &e.han_core, 1) <= 1)
            {
                return Some((0.7, "near_spelling"));
            }
        }
    }
    let p_sound_len = p.sound.len();
    if p_sound_len >= 4 && a.han != p.han {
        let how = if a.latin.is_empty() {
            "homophone"
        } else {
            "pinyin"
        };
        if a.sound == p.sound || (e.sound_core.len() >= 6 && a_sound_core == e.sound_core) {
            return Some((0.85, how));
        }
        if p_sound_len >= 6 {
            if let Some(at) = a.sound.find(&p.sound) {
                let (left, right) = (&a.sound[..at], &a.sound[at + p.sound.len()..]);
                let extra = |s: &str| s.is_empty() || only_decoration(s, sound_decoration);
                if extra(left) && extra(right) {
                    return Some((0.8, how));
                }
            }
        }
        let max = if p_sound_len >= 12 {
            2
        } else if p_sound_len >= 8 {
            1
        } else {
            0
        };
        if max > 0 && edit_distance(a_sound_core, &p.sound, max) <= max {
            return Some((0.65, "near_spelling"));
        }
    }
    None
}

impl Detector for ImpersonationDetector {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn inspect_item(&self, _cx: &ItemContext<'_>, _out: &mut Vec<Signal>) {}

    fn inspect_account(&self, cx: &AccountContext<'_>, out: &mut Vec<Signal>) {
        let acc = cx.account;
        let by_name = self.imitation(&acc.id, &acc.name).map(|i| (i, true));
        let by_handle = acc
            .handle
            .as_deref()
            .and_then(|h| self.imitation(&acc.id, h))
            .map(|i| (i, false));
        let best = match (by_name, by_handle) {
            (Some(a), Some(b)) => Some(if b.0.score > a.0.score { b } else { a }),
            (a, b) => a.or(b),
        };
        if let Some((imit, on_name)) = best {
            let spans = if on_name && !acc.name.is_empty() {
                vec![Span::new(0, acc.name.len())]
            } else {
                vec![]
            };
            let kind = imit
                .kind
                .as_deref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default();
            let field = if on_name { "display name" } else { "handle" };
            let evidence = format!(
                "{field} imitates protected name {}{kind} by {}",
                imit.name, imit.how
            );
            out.push(self.signal(RULE_IMPERSONATION, imit.score, spans, evidence));
            return;
        }
        let news = Self::presents_as_news(&acc.name)
            || acc.handle.as_deref().is_some_and(Self::presents_as_news);
        if news && !self.names.is_licensed_account(&acc.id) {
            let (score, why) = if self.entries.is_empty() {
                (0.3, "no licence registry loaded")
            } else {
                (0.4, "not the owner of a licensed news unit in the registry")
            };
            let evidence = format!("presents itself as a news outlet; {why}");
            out.push(self.signal(RULE_UNLICENSED_NEWS, score, vec![], evidence));
        }
    }
}

/// Remembers which authors were flagged, so that their items carry the
/// signal too. The scan loop records every account's signals and asks for
/// each item; accounts must be seen before their items for this to work.
#[derive(Debug, Default, Clone)]
pub struct FlaggedAuthors {
    by_account: HashMap<String, Vec<Signal>>,
}

impl FlaggedAuthors {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the `impersonation` signals of `account_id`; returns whether
    /// the account is flagged. A later record without them clears the flag.
    pub fn record(&mut self, account_id: &str, signals: &[Signal]) -> bool {
        let kept: Vec<Signal> = signals
            .iter()
            .filter(|s| s.detector == ImpersonationDetector::NAME)
            .cloned()
            .collect();
        if kept.is_empty() {
            self.by_account.remove(account_id);
            false
        } else {
            self.by_account.insert(account_id.to_owned(), kept);
            true
        }
    }

    /// Whether `account_id` is flagged.
    pub fn is_flagged(&self, account_id: &str) -> bool {
        self.by_account.contains_key(account_id)
    }

    /// Appends the author's signals to an item's: same rule and category,
    /// no spans (they pointed into the account name), evidence saying so.
    pub fn signals_for_item(&self, item: &Item, out: &mut Vec<Signal>) {
        if let Some(sigs) = self.by_account.get(&item.author) {
            out.extend(sigs.iter().map(|s| Signal {
                spans: vec![],
                evidence: format!("author {}: {}", item.author, s.evidence),
                ..s.clone()
            }));
        }
    }

    /// Number of flagged accounts.
    pub fn len(&self) -> usize {
        self.by_account.len()
    }

    /// Whether no account is flagged.
    pub fn is_empty(&self) -> bool {
        self.by_account.is_empty()
    }
}
