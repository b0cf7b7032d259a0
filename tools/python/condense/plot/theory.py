"""P1's Figs. 5 and 6 for runs with one-dimensional input: the trained output against low-degree polynomial
fits, and the direction field of the first layer's input weights with the neurons' orientations."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from ..read import CondenseFileError
from ._common import TAYLOR, activation_function, as_run, derivative, forward, new_figure, p_text

__all__ = ["output_fit", "polynomial_fits", "direction_field", "tangential_field"]

FIT_TOLERANCE = 0.05  # condense's OutputPolynomialFit.defaultTolerance: ρ ≤ 0.05 "fits" (Sources/Analysis)


def _one_d_input(run, what):
    first = run.hidden[0]
    if run.shapes[first][1] != 2 or "train" not in run.data:
        raise CondenseFileError(f"{run.path}: {what} needs one-dimensional input and stored training data "
                                f"({first} has {run.shapes[first][1] - 1} inputs"
                                f"{'' if 'train' in run.data else ', no /data/train'})")


def polynomial_fits(x, f, degrees=(1, 2, 3)):
    """Least-squares fits of f(x) by polynomials (Chebyshev basis on the interval of x) and their relative
    residuals ρ_k = ‖f − fit_k‖ / ‖f − mean f‖ (condense's OutputPolynomialFit). Returns {k: (fit, ρ_k)}."""
    x = np.asarray(x, dtype=float)
    f = np.asarray(f, dtype=float)
    lo, hi = x.min(), x.max()
    t = (2 * x - lo - hi) / (hi - lo) if hi > lo else np.zeros_like(x)
    spread = np.linalg.norm(f - f.mean())
    out = {}
    for k in degrees:
        basis = np.polynomial.chebyshev.chebvander(t, k)
        coef, *_ = np.linalg.lstsq(basis, f, rcond=None)
        fit = basis @ coef
        out[k] = (fit, float(np.linalg.norm(f - fit) / spread) if spread > 0 else 0.0)
    return out


def output_fit(run, steps=None, snapshots=None, degrees=(1, 2, 3), points=1001, panel=(3.6, 3.2)):
    """P1 Fig. 5: the network's output f(x) over the training interval at each chosen snapshot (default the
    last), the training points, and the least-squares polynomial fits of degree 1, 2, 3 with their relative
    residuals ρ (a degree fits when ρ ≤ 0.05). The output is computed here from the stored weights, on 1001
    evenly spaced points of the training interval, as condense's SnapshotOutput does."""
    run = as_run(run)
    _one_d_input(run, "the output figure")
    chosen = run.resolve(steps, snapshots, [run.count - 1])
    x_train, y_train = run.data["train"]
    x = np.linspace(float(x_train.min()), float(x_train.max()), points)
    fig, axes = new_figure(1, len(chosen), panel=panel, extra=(0.3, 0.4))
    styles = {1: (0, (5, 2)), 2: (0, (2, 1.5)), 3: (0, (6, 1.5, 1, 1.5))}
    results = []
    for ax, s in zip(axes[0], chosen):
        f = forward(run, s, x[:, None])[:, 0]
        ax.plot(x_train[:, 0], y_train[:, 0], "o", ms=3.5, mfc="none", mec="0.35", label="training data")
        ax.plot(x, f, color="k", lw=2.2, alpha=0.85, label="network output")
        fits = polynomial_fits(x, f, degrees)
        best = next((k for k in sorted(fits) if fits[k][1] <= FIT_TOLERANCE), None)
        for i, (k, (fit, rho)) in enumerate(sorted(fits.items())):
            ax.plot(x, fit, color=f"C{i + 1}", lw=1.3, ls=styles.get(k, "--"), label=f"degree {k} fit")
        # ρ per panel in a corner box; the line styles once, in the figure's legend.
        ax.text(0.98, 0.03, "\n".join(f"ρ{k} = {rho:.3f}" for k, (_, rho) in sorted(fits.items())),
                transform=ax.transAxes, ha="right", va="bottom", fontsize="x-small", family="monospace",
                bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.85))
        ax.set_xlabel("x")
        ax.set_title(f"step {int(run.steps[s])}: " + (f"degree {best} fits" if best else
                                                      f"no degree ≤ {max(degrees)} fits"), fontsize="medium")
        results.append({"snapshot": s, "output": f, "fits": fits, "best": best})
    axes[0][0].set_ylabel("f(x)")
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="outside lower center", ncol=2 + len(degrees),
               fontsize="small")
    first = run.hidden[0]
    fig.suptitle(f"{run.name}: output vs polynomial fits ({run.activation(first)}, "
                 f"{p_text(run.multiplicity(first))}; fits ρ ≤ {FIT_TOLERANCE})", fontsize="medium")
    fig._condense = {"x": x, "panels": results}
    return fig


def tangential_field(phi, inputs, residuals, activation, radius=None):
    """g(φ) = ω⊥·F(ω) on the unit circle ω = (cos φ, sin φ) (ω = (w, b)), with
    F(ω) = −(1/n) Σᵢ eᵢ σ'(ω·x̃ᵢ) x̃ᵢ and x̃ᵢ = (xᵢ, 1) (P1's formula; a neuron with readout a moves as a·F).

    Leading order (``radius`` None): σ'(z) ≈ p·c·z^{p−1} with σ(z) − σ(0) ≈ c·z^p, which does not depend on
    ‖ω‖; needs a built-in activation with p defined. At a radius r: the exact σ'(r·ω·x̃) (numerical derivative).
    A neuron's angle moves as φ̇ = a·g(φ)/‖ω‖: zeros where g falls from + to − attract a > 0, rises: a < 0."""
    phi = np.asarray(phi, dtype=float)
    omega = np.stack([np.cos(phi), np.sin(phi)], axis=1)
    xt = np.stack([np.asarray(inputs, dtype=float).ravel(), np.ones(len(residuals))], axis=1)
    e = np.asarray(residuals, dtype=float).ravel()
    z = omega @ xt.T  # (angles, samples)
    if radius is None:
        if activation not in TAYLOR:
            raise ValueError(f"the leading-order field needs p and its coefficient: {activation!r} is not a "
                             "built-in with p defined; pass a radius")
        p, c = TAYLOR[activation]
        slope = p * c * z ** (p - 1)
    else:
        slope = derivative(activation_function(activation), radius * z)
    field = -(slope * e[None, :]) @ xt / len(e)  # (angles, 2)
    perp = np.stack([-np.sin(phi), np.cos(phi)], axis=1)
    return np.sum(perp * field, axis=1)


def _crossings(phi, g, gap=0.05):
    """Transversal zeros of g: (falling + to −, attracting a > 0; rising − to +, attracting a < 0), each at the
    linearly interpolated angle. A stretch where g is exactly 0 (ReLU neurons whose inputs are all inactive do not
    move) wider than ``gap`` radians is not a stationary orientation that attracts, so it is not marked."""
    nonzero = np.flatnonzero(g != 0)
    down, up = [], []
    for i, j in zip(nonzero[:-1], nonzero[1:]):
        if np.sign(g[i]) == np.sign(g[j]) or phi[j] - phi[i] > gap:
            continue
        at = phi[i] + (phi[j] - phi[i]) * g[i] / (g[i] - g[j])
        (down if g[i] > 0 else up).append(at)
    return np.array(down), np.array(up)


def direction_field(run, step=None, snapshot=None, radius=None, points=721, figsize=(10.0, 4.4)):
    """P1 Fig. 6 for a two-layer network with one-dimensional input: the tangential velocity g(φ) of the
    input-weight orientation φ = atan2(b, w), from the residuals at the snapshot (default: the start of the
    first layer's initial stage, else snapshot 1), and the neurons' orientations at that snapshot (rug ticks,
    red a > 0, blue a < 0); the stable orientations marked. Right: the same field as arrows on the circle of
    (w, b) directions for a > 0 neurons, with the neurons as dots."""
    run = as_run(run)
    _one_d_input(run, "the direction field")
    if len(run.hidden) != 1:
        raise CondenseFileError(f"{run.path}: the direction field is P1's two-layer formula; this run has "
                                f"{len(run.hidden)} hidden layers")
    layer = run.hidden[0]
    if step is not None or snapshot is not None:
        s = run.resolve(step, snapshot)[0]
    else:
        stage = run.initial_stage(layer)
        s = run.snapshot_of_step(stage[0]) if stage else min(1, run.count - 1)
    x_train, y_train = run.data["train"]
    residuals = forward(run, s, x_train)[:, 0] - y_train[:, 0]
    activation = run.activation(layer)
    if radius is None and activation not in TAYLOR:
        w = run.weights(layer, s)
        radius = float(np.median(np.linalg.norm(w, axis=1)))  # e.g. ReLU: homogeneous, any radius is the same
    phi = np.linspace(-math.pi, math.pi, points)
    g = tangential_field(phi, x_train[:, 0], residuals, activation, radius)
    w = run.weights(layer, s)
    a = run.weights(run.order[-1], s)[0, :-1]
    angles = np.arctan2(w[:, 1], w[:, 0])

    fig = plt.figure(figsize=figsize, constrained_layout=True)
    ax, circ = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.7, 1]})
    scale = np.max(np.abs(g)) or 1.0
    ax.plot(phi, g / scale, color="k", lw=1.5, label="g(φ) (scaled to max 1)")
    ax.axhline(0, color="0.6", lw=0.8)
    down, up = _crossings(phi, g)
    ax.plot(down, np.zeros(len(down)), "v", color="C3", ms=8, label="stable for a > 0")
    ax.plot(up, np.zeros(len(up)), "^", color="C0", ms=8, label="stable for a < 0")
    for mask, color, name in ((a > 0, "C3", "a > 0"), (a <= 0, "C0", "a < 0")):
        ax.plot(angles[mask], np.full(mask.sum(), -1.12), "|", color=color, ms=12, mew=1.2,
                label=f"neurons, {name} ({int(mask.sum())})")
    ax.set_xlim(-math.pi, math.pi)
    ax.set_ylim(-1.25, 1.15)
    ax.set_xticks([-math.pi, -math.pi / 2, 0, math.pi / 2, math.pi], ["−π", "−π/2", "0", "π/2", "π"])
    ax.set_xlabel("φ = orientation of (w, b)")
    ax.set_ylabel("tangential velocity g(φ)")
    ax.legend(fontsize="x-small", loc="lower left", bbox_to_anchor=(0, 1.01), ncol=3, borderaxespad=0)
    evaluation = "leading order" if radius is None else f"at radius {radius:.3g}"

    arrows = np.linspace(-math.pi, math.pi, 24, endpoint=False)
    ga = tangential_field(arrows, x_train[:, 0], residuals, activation, radius) / scale
    circ.plot(np.cos(phi), np.sin(phi), color="0.7", lw=0.8)
    circ.quiver(np.cos(arrows), np.sin(arrows), -np.sin(arrows) * ga, np.cos(arrows) * ga, color="k",
                angles="xy", scale_units="xy", scale=2.2, width=0.009)
    r = 1.12
    circ.scatter(r * np.cos(angles), r * np.sin(angles), s=12, c=np.where(a > 0, "C3", "C0"), zorder=3)
    circ.set_aspect("equal")
    circ.set_xlim(-1.35, 1.35)
    circ.set_ylim(-1.35, 1.35)
    circ.set_xlabel("w")
    circ.set_ylabel("b")
    circ.set_title("flow of a > 0 neurons; dots: neurons", fontsize="medium")
    fig.suptitle(f"{run.name}: direction field of {layer} ({activation}, {p_text(run.multiplicity(layer))}) "
                 f"at step {int(run.steps[s])}, {evaluation}", fontsize="medium")
    fig._condense = {"phi": phi, "g": g, "snapshot": s, "residuals": residuals, "angles": angles,
                     "stable_positive": down, "stable_negative": up}
    return fig
