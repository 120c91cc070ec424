//! The global allocator and the one setting the command line changes.

/// The ingest path allocates many small strings per record; mimalloc is
/// markedly faster than the system allocator for that pattern.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc.h (the
/// bindings name no constant for it). Its default is 1000 ms.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system at once instead of a second later.
/// For one-shot commands whose peak matters more than a little speed:
/// compiling a big lexicon builds and drops large tables in turn, and with
/// the delay they would all count towards the peak.
pub fn return_freed_memory_at_once() {
    // SAFETY: mimalloc documents options as settable at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_we_set() {
        // SAFETY: reading an option has no preconditions.
        let v = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        // 1000 ms by default; 0 once a test has compiled a lexicon.
        assert!(v == 1000 || v == 0, "{v}");
    }
}
