//! Limited-memory BFGS for smooth convex objectives (the regularised
//! logistic and softmax losses of training), with a backtracking Armijo line
//! search. Deterministic: the same objective gives the same iterates.

/// Stopping rules for [`minimize`].
#[derive(Debug, Clone, Copy)]
pub struct LbfgsConfig {
    /// At most this many iterations.
    pub max_iter: usize,
    /// Stop when the objective improves by less than `tol * max(1, |f|)` in one iteration.
    pub tol: f64,
    /// How many correction pairs are kept.
    pub memory: usize,
}

/// Minimises `f` from `x` (updated in place). `f(x, grad)` returns the value
/// and writes the gradient. `on_iter(iteration, value)` is called after each
/// iteration. Returns the number of iterations and the final value.
pub fn minimize(
    x: &mut [f64],
    config: LbfgsConfig,
    f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64,
    on_iter: &mut dyn FnMut(usize, f64),
) -> (usize, f64) {
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut d = vec![0.0; n];
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut alpha = vec![0.0; config.memory];
    let mut iterations = 0;
    for it in 0..config.max_iter {
        // Two-loop recursion: d = -H g.
        d.copy_from_slice(&g);
        for i in (0..s_hist.len()).rev() {
            alpha[i] = rho[i] * dot(&s_hist[i], &d);
            axpy(-alpha[i], &y_hist[i], &mut d);
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(y)) => dot(s, y) / dot(y, y),
            _ => 1.0 / norm(&g).max(1e-12),
        };
        d.iter_mut().for_each(|v| *v *= gamma);
        for i in 0..s_hist.len() {
            let beta = rho[i] * dot(&y_hist[i], &d);
            axpy(alpha[i] - beta, &s_hist[i], &mut d);
        }
        d.iter_mut().for_each(|v| *v = -*v);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart with steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            let scale = 1.0 / norm(&g).max(1e-12);
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g * scale);
            slope = dot(&g, &d);
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            x_new
                .iter_mut()
                .zip(x.iter().zip(&d))
                .for_each(|(xn, (x, d))| *xn = x + step * d);
            let f_new = f(&x_new, &mut g_new);
            if f_new <= fx + 1e-4 * step * slope {
                accepted = Some(f_new);
                break;
            }
            step *= 0.5;
        }
        let Some(f_new) = accepted else { break };
        iterations = it + 1;
        let mut s: Vec<f64> = if s_hist.len() == config.memory {
            s_hist.remove(0)
        } else {
            vec![0.0; n]
        };
        let mut y: Vec<f64> = if y_hist.len() == config.memory {
            y_hist.remove(0)
        } else {
            vec![0.0; n]
        };
        if rho.len() == config.memory {
            rho.remove(0);
        }
        for i in 0..n {
            s[i] = x_new[i] - x[i];
            y[i] = g_new[i] - g[i];
        }
        let sy = dot(&s, &y);
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        let improvement = fx - f_new;
        fx = f_new;
        if sy > 1e-12 {
            s_hist.push(s);
            y_hist.push(y);
            rho.push(1.0 / sy);
        }
        on_iter(iterations, fx);
        if improvement < config.tol * fx.abs().max(1.0) {
            break;
        }
    }
    (iterations, fx)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_quadratic() {
        // f(x) = sum_i (i+1) (x_i - i)^2
        let mut x = vec![0.0; 5];
        let config = LbfgsConfig {
            max_iter: 100,
            tol: 1e-14,
            memory: 5,
        };
        let mut f = |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for i in 0..x.len() {
                let c = (i + 1) as f64;
                v += c * (x[i] - i as f64).powi(2);
                g[i] = 2.0 * c * (x[i] - i as f64);
            }
            v
        };
        let (_, value) = minimize(&mut x, config, &mut f, &mut |_, _| {});
        assert!(value < 1e-8, "value {value}");
        for (i, xi) in x.iter().enumerate() {
            assert!((xi - i as f64).abs() < 1e-4, "x[{i}] = {xi}");
        }
    }
}
