//! Calibration fitted on out-of-fold logits: Platt scaling (`σ(a·z + b)`)
//! for sigmoid columns, and temperature scaling for softmax heads. Both
//! minimise log-loss; Platt uses its smoothed targets so that a separable
//! fold does not drive the scale to infinity.

/// Fits Platt's `(a, b)` to (logit, is-positive) pairs. Returns `(1, 0)` when
/// there is nothing to fit.
pub fn fit_platt(pairs: &[(f64, bool)]) -> (f64, f64) {
    let positives = pairs.iter().filter(|p| p.1).count() as f64;
    let negatives = pairs.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return (1.0, 0.0);
    }
    let hi = (positives + 1.0) / (positives + 2.0);
    let lo = 1.0 / (negatives + 2.0);
    let loss = |a: f64, b: f64| -> f64 {
        pairs
            .iter()
            .map(|&(z, y)| {
                let t = if y { hi } else { lo };
                let s = a * z + b;
                // -[t ln σ(s) + (1-t) ln(1-σ(s))] = softplus(s) - t s
                let sp = if s > 30.0 { s } else { s.exp().ln_1p() };
                sp - t * s
            })
            .sum()
    };
    let (mut a, mut b) = (1.0, 0.0);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(z, y) in pairs {
            let t = if y { hi } else { lo };
            let p = crate::train::sigmoid(a * z + b);
            let d = p - t;
            let w = p * (1.0 - p);
            ga += d * z;
            gb += d;
            haa += w * z * z;
            hab += w * z;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = -(hbb * ga - hab * gb) / det;
        let db = -(haa * gb - hab * ga) / det;
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-8 {
            let next = loss(a + step * da, b + step * db);
            if next < current {
                a += step * da;
                b += step * db;
                improved = current - next > 1e-10 * current.abs().max(1.0);
                current = next;
                break;
            }
            step *= 0.5;
        }
        if !improved {
            break;
        }
    }
    (a, b)
}

/// Fits a softmax temperature: returns the scale `s = 1/T` minimising the
/// log-loss of `softmax(s·z)` on (logits, gold labels) pairs.
pub fn fit_temperature(logits: &[Vec<f32>], gold: &[&[usize]]) -> f64 {
    let nll = |s: f64| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(z, g)| {
                let y = g.first().copied().unwrap_or(0);
                let max = z
                    .iter()
                    .map(|&v| s * f64::from(v))
                    .fold(f64::NEG_INFINITY, f64::max);
                let sum: f64 = z.iter().map(|&v| (s * f64::from(v) - max).exp()).sum();
                max + sum.ln() - s * f64::from(z[y])
            })
            .sum()
    };
    // Golden-section search on ln s in [ln 0.05, ln 20].
    let (mut lo, mut hi) = (0.05f64.ln(), 20f64.ln());
    let r = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let m1 = hi - r * (hi - lo);
        let m2 = lo + r * (hi - lo);
        if nll(m1.exp()) < nll(m2.exp()) {
            hi = m2;
        } else {
            lo = m1;
        }
    }
    ((lo + hi) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_a_known_scale_and_offset() {
        // Logits whose true probability of being positive is σ(2z - 1).
        let mut pairs = Vec::new();
        for i in -200..=200 {
            let z = f64::from(i) / 50.0;
            let p = crate::train::sigmoid(2.0 * z - 1.0);
            let n_pos = (p * 100.0).round() as usize;
            for k in 0..100 {
                pairs.push((z, k < n_pos));
            }
        }
        let (a, b) = fit_platt(&pairs);
        assert!((a - 2.0).abs() < 0.1, "a = {a}");
        assert!((b + 1.0).abs() < 0.1, "b = {b}");
    }

    #[test]
    fn one_class_data_leaves_scores_alone() {
        assert_eq!(fit_platt(&[(1.0, true), (2.0, true)]), (1.0, 0.0));
    }

    #[test]
    fn temperature_shrinks_overconfident_logits() {
        // Logits of ±10 that are right only 75% of the time.
        let mut logits = Vec::new();
        let mut gold_store = Vec::new();
        for k in 0..400 {
            logits.push(vec![10.0f32, -10.0]);
            gold_store.push(vec![usize::from(k % 4 == 0)]);
        }
        let gold: Vec<&[usize]> = gold_store.iter().map(Vec::as_slice).collect();
        let s = fit_temperature(&logits, &gold);
        // softmax(s·20) should be near 0.75: s ≈ ln 3 / 20.
        assert!((s - 3f64.ln() / 20.0).abs() < 0.01, "s = {s}");
    }
}
