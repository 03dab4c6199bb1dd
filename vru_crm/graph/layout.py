"""A fast force-directed layout in numpy: Fruchterman-Reingold on a particle mesh.

Why our own: NetworkX's ``spring_layout`` computes every pair's repulsion and
needs tens of seconds at 5,000 nodes; igraph's C code is fast but is one more
compiled dependency. Here the long-range repulsion (FR's ``k²/d``, the field of a
2-D charge) is spread on a grid and convolved with the field kernel by FFT, so an
iteration costs O(n + G² log G) instead of O(n²). Nodes that share a grid cell,
which the mesh cannot tell apart, repel each other exactly. The measured numbers
are in ``bench/results/graph_layout.md`` (``python bench/graph_layout.py``).

Incremental mode: nodes whose positions are given and marked ``fixed`` do not
move; new nodes start at the centre of their placed neighbours and settle among
them, so a small change to the data moves only what it must.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Array = NDArray[Any]
    Random = np.random.Generator

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
K = TypeVar("K", bound=Hashable)
LOCAL_LIMIT = 500  # up to this many nodes to place among fixed ones: only they are iterated


class LayoutCancelled(Exception):
    """The caller asked the layout to stop (the user pressed Cancel)."""


@dataclass(frozen=True)
class LayoutOptions:
    iterations: int = 150
    seed: int = 7
    grid: int = 64  # mesh cells per side (the FFT works on twice that, zero-padded)
    gravity: float = 1.0  # pull to the centre: sets the density and keeps components in view
    max_same_cell: int = 8  # exact repulsion among up to this many nodes sharing a cell
    min_distance: float = 0.05  # final separation guaranteed between any two nodes (in units of k)


def fr_layout(
    nodes: Sequence[K],
    edges: Sequence[tuple[K, K, float]],
    *,
    initial: Mapping[K, tuple[float, float]] | None = None,
    fixed: set[K] | None = None,
    options: LayoutOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> dict[K, tuple[float, float]]:
    """Positions for ``nodes`` (about ``sqrt(n)`` across; ideal edge length 1).

    ``edges`` are ``(u, v, weight)``. ``initial`` gives starting positions;
    nodes in ``fixed`` (which must have one) stay where they are.
    """
    import numpy as np

    opts = options or LayoutOptions()
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    src, dst, weight = _edge_arrays(index, edges)
    rng = np.random.default_rng(opts.seed)
    pos, movable = _start(nodes, index, src, dst, initial or {}, fixed or set(), rng)
    if movable.any() and n > 1:
        if movable.sum() <= LOCAL_LIMIT and not movable.all():
            _iterate_local(pos, movable, src, dst, weight, opts, progress, cancelled)
        else:
            _iterate(pos, movable, src, dst, weight, opts, rng, progress, cancelled)
        _gather_components(pos, movable, src, dst)
        _separate(pos, movable, opts.min_distance, rng)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _edge_arrays(
    index: Mapping[K, int], edges: Sequence[tuple[K, K, float]]
) -> tuple[Array, Array, Array]:
    import numpy as np

    pairs = [
        (index[u], index[v], float(w)) for u, v, w in edges if u in index and v in index and u != v
    ]
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    arr = np.array(pairs, dtype=float)
    weight = np.clip(np.sqrt(arr[:, 2]), 0.25, 3.0)  # heavy ties pull harder, but not without bound
    return arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), weight


def _start(
    nodes: Sequence[K],
    index: Mapping[K, int],
    src: Array,
    dst: Array,
    initial: Mapping[K, tuple[float, float]],
    fixed: set[K],
    rng: Random,
) -> tuple[Array, Array]:
    """Starting positions: given ones kept, new nodes at their placed neighbours' centre."""
    import numpy as np

    n = len(nodes)
    side = np.sqrt(n)
    pos = rng.uniform(0.0, side, size=(n, 2))
    known = np.zeros(n, dtype=bool)
    for node, xy in initial.items():
        i = index.get(node)
        if i is not None:
            pos[i] = xy
            known[i] = True
    movable = np.ones(n, dtype=bool)
    for node in fixed:
        i = index.get(node)
        if i is not None and known[i]:
            movable[i] = False
    if known.any() and not known.all():
        _place_near_neighbours(pos, known, src, dst, rng)
    return pos, movable


def _place_near_neighbours(pos: Array, known: Array, src: Array, dst: Array, rng: Random) -> None:
    """Put each new node beside the mean of its already-placed neighbours (a few sweeps)."""
    import numpy as np

    placed = known.copy()
    for _ in range(3):
        sums = np.zeros_like(pos)
        counts = np.zeros(len(pos))
        for a, b in ((src, dst), (dst, src)):
            ok = placed[b] & ~known[a]
            np.add.at(sums, a[ok], pos[b[ok]])
            np.add.at(counts, a[ok], 1.0)
        new = (counts > 0) & ~placed
        if not new.any():
            break
        pos[new] = sums[new] / counts[new, None] + rng.normal(0.0, 0.5, size=(int(new.sum()), 2))
        placed |= new
    lonely = ~placed
    if lonely.any():  # no placed neighbour at all: around the edge of the drawing
        lo, hi = pos[known].min(axis=0), pos[known].max(axis=0)
        pos[lonely] = rng.uniform(lo, hi, size=(int(lonely.sum()), 2))


def _iterate(
    pos: Array,
    movable: Array,
    src: Array,
    dst: Array,
    weight: Array,
    opts: LayoutOptions,
    rng: Random,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    import numpy as np

    n = len(pos)
    incremental = not movable.all()
    temperature = (0.1 if not incremental else 0.03) * np.sqrt(n) + 1.0
    steps = opts.iterations if not incremental else max(60, opts.iterations // 3)
    kernel = _KernelCache(opts.grid)
    for step in range(steps):
        if cancelled is not None and cancelled():
            raise LayoutCancelled()
        force = kernel.repulsion(pos)
        force += _same_cell_repulsion(pos, kernel.cell_of(pos), opts.max_same_cell)
        force += _attraction(pos, src, dst, weight)
        force -= opts.gravity * (pos - pos.mean(axis=0))
        length = np.sqrt((force**2).sum(axis=1)) + 1e-9
        scale = np.minimum(length, temperature) / length
        pos[movable] += (force * scale[:, None])[movable]
        temperature *= 1.0 - 3.0 / steps  # geometric cooling: ~5% of the start at the end
        if progress is not None and step % 10 == 0:
            progress(step, steps)
    if progress is not None:
        progress(steps, steps)


def _iterate_local(
    pos: Array,
    movable: Array,
    src: Array,
    dst: Array,
    weight: Array,
    opts: LayoutOptions,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    """A day's changes among a fixed map: iterate only the few nodes that move.

    The fixed nodes' field is spread on the mesh once (they do not move); each
    step samples it at the moving nodes, adds their exact repulsion on one
    another and the pull of their own ties. A step costs what the moving nodes
    and their ties cost, not the whole graph: at 60,000 nodes a full step is
    about 0.1 s, this one a millisecond.
    """
    import numpy as np

    moving = np.flatnonzero(movable)
    kernel = _KernelCache(opts.grid)
    field = kernel.field(pos, ~movable)
    touching = movable[src] | movable[dst]
    a, b, w = src[touching], dst[touching], weight[touching]
    centre = pos[~movable].mean(axis=0)
    temperature = 0.03 * np.sqrt(len(moving)) + 1.0
    steps = max(60, opts.iterations // 3)
    for step in range(steps):
        if cancelled is not None and cancelled():
            raise LayoutCancelled()
        here = pos[moving]
        force = kernel.sample(field, here)
        if len(moving) > 1:
            delta = here[:, None, :] - here[None, :, :]
            d2 = (delta**2).sum(axis=2) + 1e-6
            np.fill_diagonal(d2, np.inf)
            force += (delta / d2[:, :, None]).sum(axis=1)
        force += _attraction(pos, a, b, w)[moving]
        force -= opts.gravity * (here - centre)
        length = np.sqrt((force**2).sum(axis=1)) + 1e-9
        pos[moving] += force * (np.minimum(length, temperature) / length)[:, None]
        temperature *= 1.0 - 3.0 / steps
        if progress is not None and step % 10 == 0:
            progress(step, steps)
    if progress is not None:
        progress(steps, steps)


def _attraction(pos: Array, src: Array, dst: Array, weight: Array) -> Array:
    """FR's d²/k along each edge (k = 1), summed on both ends."""
    import numpy as np

    force = np.zeros_like(pos)
    if len(src) == 0:
        return force
    delta = pos[dst] - pos[src]
    dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
    pull = delta * (dist * weight)[:, None]
    for axis in (0, 1):
        force[:, axis] += np.bincount(src, pull[:, axis], minlength=len(pos))
        force[:, axis] -= np.bincount(dst, pull[:, axis], minlength=len(pos))
    return force


def _same_cell_repulsion(pos: Array, cell: Array, max_same: int) -> Array:
    """Exact k²/d repulsion between nodes the mesh puts in one cell."""
    import numpy as np

    force = np.zeros_like(pos)
    order = np.argsort(cell, kind="stable")
    sorted_cell = cell[order]
    for shift in range(1, max_same):
        same = sorted_cell[:-shift] == sorted_cell[shift:]
        if not same.any():
            break
        a, b = order[:-shift][same], order[shift:][same]
        delta = pos[a] - pos[b]
        d2 = (delta**2).sum(axis=1) + 1e-6
        push = delta / d2[:, None]
        for axis in (0, 1):
            force[:, axis] += np.bincount(a, push[:, axis], minlength=len(pos))
            force[:, axis] -= np.bincount(b, push[:, axis], minlength=len(pos))
    return force


class _KernelCache:
    """The FFT of the 2-D field kernel r/|r|², on a zero-padded grid, made once."""

    def __init__(self, grid: int) -> None:
        import numpy as np

        self.grid = grid
        size = 2 * grid
        offsets = np.fft.fftfreq(size, 1.0 / size)  # 0, 1, ..., G-1, -G, ..., -1
        dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
        r2 = dx**2 + dy**2 + 0.5  # softened inside a cell
        self.kx = np.fft.rfft2(dx / r2)
        self.ky = np.fft.rfft2(dy / r2)
        self.origin = np.zeros(2)
        self.cell = 1.0

    def _frame(self, pos: Array) -> None:
        """A square frame around the nodes, one cell of margin on each side."""

        lo, hi = pos.min(axis=0), pos.max(axis=0)
        span = float(max(hi[0] - lo[0], hi[1] - lo[1], 1e-6))
        self.cell = span / (self.grid - 3)
        self.origin = lo - self.cell

    def cell_of(self, pos: Array) -> Array:
        import numpy as np

        ij = np.floor((pos - self.origin) / self.cell).astype(np.int64)
        return ij[:, 0] * self.grid + ij[:, 1]

    def field(self, pos: Array, sources: Array) -> tuple[Array, Array]:
        """The mesh's field of the ``sources`` nodes (a mask), framed around all of ``pos``."""
        import numpy as np

        self._frame(pos)
        size = 2 * self.grid
        flat, weights = self._corners(pos[sources])
        density = np.zeros(size * size)
        for idx, w in zip(flat, weights, strict=True):
            density += np.bincount(idx, w, minlength=size * size)
        rho = np.fft.rfft2(density.reshape(size, size))
        fx = np.fft.irfft2(rho * self.kx, s=(size, size)).ravel()
        fy = np.fft.irfft2(rho * self.ky, s=(size, size)).ravel()
        return fx, fy

    def sample(self, field: tuple[Array, Array], points: Array) -> Array:
        """``field`` interpolated at ``points`` (clipped to the frame), as a force."""
        import numpy as np

        flat, weights = self._corners(points)
        out = np.zeros_like(points)
        for idx, w in zip(flat, weights, strict=True):
            out[:, 0] += field[0][idx] * w
            out[:, 1] += field[1][idx] * w
        return out / self.cell

    def _corners(self, points: Array) -> tuple[list[Array], list[Array]]:
        """Cloud-in-cell: each point's four mesh cells and their shares."""
        import numpy as np

        g, size = self.grid, 2 * self.grid
        u = (points - self.origin) / self.cell - 0.5
        i0 = np.floor(u).astype(np.int64)
        f = u - i0
        weights = [
            (1 - f[:, 0]) * (1 - f[:, 1]),
            f[:, 0] * (1 - f[:, 1]),
            (1 - f[:, 0]) * f[:, 1],
            f[:, 0] * f[:, 1],
        ]
        flat = [
            np.clip(i0[:, 0] + a, 0, g - 1) * size + np.clip(i0[:, 1] + b, 0, g - 1)
            for a, b in ((0, 0), (1, 0), (0, 1), (1, 1))
        ]
        return flat, weights

    def repulsion(self, pos: Array) -> Array:
        """The field of all nodes at each node, by cloud-in-cell deposit and interpolation."""
        import numpy as np

        self._frame(pos)
        g, size = self.grid, 2 * self.grid
        u = (pos - self.origin) / self.cell - 0.5
        i0 = np.floor(u).astype(np.int64)
        f = u - i0
        corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
        weights = [
            (1 - f[:, 0]) * (1 - f[:, 1]),
            f[:, 0] * (1 - f[:, 1]),
            (1 - f[:, 0]) * f[:, 1],
            f[:, 0] * f[:, 1],
        ]
        flat = [
            np.clip(i0[:, 0] + a, 0, g - 1) * size + np.clip(i0[:, 1] + b, 0, g - 1)
            for a, b in corners
        ]
        density = np.zeros(size * size)
        for idx, w in zip(flat, weights, strict=True):
            density += np.bincount(idx, w, minlength=size * size)
        rho = np.fft.rfft2(density.reshape(size, size))
        fx = np.fft.irfft2(rho * self.kx, s=(size, size)).ravel()
        fy = np.fft.irfft2(rho * self.ky, s=(size, size)).ravel()
        out = np.zeros_like(pos)
        for idx, w in zip(flat, weights, strict=True):
            out[:, 0] += fx[idx] * w
            out[:, 1] += fy[idx] * w
        return out / self.cell  # the kernel is in cell units; k = 1


def _components(n: int, src: Array, dst: Array) -> Array:
    """A component label per node (union-find with path halving; numpy has no graph code)."""
    import numpy as np

    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(src.tolist(), dst.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return np.array([find(i) for i in range(n)])


def _gather_components(pos: Array, movable: Array, src: Array, dst: Array) -> None:
    """Bring small components and isolates in to a ring just outside the main drawing.

    Repulsion from thousands of nodes flings a lone node far out; drawn there it
    would shrink everything else to a dot. Components holding a fixed node stay put.
    """
    import numpy as np

    labels = _components(len(pos), src, dst)
    ids, sizes = np.unique(labels, return_counts=True)
    main = labels == ids[np.argmax(sizes)]
    centre = pos[main].mean(axis=0)
    radius = float(np.quantile(np.sqrt(((pos[main] - centre) ** 2).sum(axis=1)), 0.98)) + 1.0
    for label in ids:
        members = labels == label
        if members is main or (members & main).any() or not movable[members].all():
            continue
        own = pos[members].mean(axis=0)
        offset = own - centre
        dist = float(np.sqrt((offset**2).sum())) or 1.0
        extent = float(np.sqrt(((pos[members] - own) ** 2).sum(axis=1)).max())
        target = radius + 1.5 + extent
        if dist > target:
            pos[members] += offset * (target / dist - 1.0)


def _separate(pos: Array, movable: Array, min_distance: float, rng: Random) -> None:
    """Nudge apart movable nodes that ended on the same spot (identical neighbourhoods)."""
    import numpy as np

    for _ in range(5):
        keys = np.round(pos / min_distance).astype(np.int64)
        _, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
        if (counts == 1).all():
            return
        dup = np.ones(len(pos), dtype=bool)
        dup[first] = False
        dup &= movable
        if not dup.any():
            return
        pos[dup] += rng.normal(0.0, 2 * min_distance, size=(int(dup.sum()), 2))
