//! Point labels placed without collisions: each label is tried beside its point, then farther
//! out along a leader line, and is left off when no place inside the plot is free. A label's
//! box is measured on the wide side of the fonts a page falls back to (DejaVu Sans, Liberation
//! Sans, Noto Sans CJK), so the drawn text never needs more room than its box.

/// A box in drawing units: `x`, `y` its top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two share any area (touching edges do not).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    pub fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x && self.y >= o.y && self.right() <= o.right() && self.bottom() <= o.bottom()
    }

    fn grown(&self, by: f64) -> Rect {
        Rect { x: self.x - by, y: self.y - by, w: self.w + 2.0 * by, h: self.h + 2.0 * by }
    }

    /// Whether the segment from `a` to `b` passes through the box (Liang–Barsky clipping).
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [(-dx, a.0 - self.x), (dx, self.right() - a.0), (-dy, a.1 - self.y), (dy, self.bottom() - a.1)] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 >= t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// Advance widths of ASCII 32 to 126 in hundredths of an em: the largest of DejaVu Sans,
/// Liberation Sans and Noto Sans CJK SC, rounded up.
const ASCII_WIDTH: [u8; 95] = [
    32, 41, 48, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 40, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84,
    84, 84, 56, 102, 69, 69, 73, 78, 67, 62, 78, 76, 30, 54, 67, 56, 87, 75, 79, 67, 79, 73, 67, 62, 74, 69, 99, 69,
    67, 69, 40, 40, 40, 84, 56, 61, 62, 64, 55, 64, 62, 36, 64, 64, 28, 28, 58, 29, 98, 64, 62, 64, 64, 42, 53, 40, 64,
    60, 82, 60, 60, 53, 64, 34, 64, 84,
];

/// The most a text can take across at `font` px: other characters (Chinese, `·`, `×`) count
/// a whole em.
pub fn text_width(s: &str, font: f64) -> f64 {
    let hundredths: u32 = s
        .chars()
        .map(|c| match u32::from(c) {
            n @ 32..=126 => u32::from(ASCII_WIDTH[(n - 32) as usize]),
            _ => 100,
        })
        .sum();
    f64::from(hundredths) / 100.0 * font
}

/// A text line's height as a box: Noto Sans CJK's ascent and descent (1.16 + 0.29 em), the
/// tallest of the three fonts.
pub fn line_height(font: f64) -> f64 {
    1.45 * font
}

/// Where the baseline sits below the top of a line's box.
pub fn baseline(font: f64) -> f64 {
    1.16 * font
}

/// A placed label: its box, and the leader line from its point when it sits away from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub rect: Rect,
    pub leader: Option<((f64, f64), (f64, f64))>,
}

/// Gap between a point's edge and a label beside it.
const GAP: f64 = 3.0;
/// The room a label keeps from other points, so it is not read as theirs.
const NEAR: f64 = 5.0;

/// The grid a leader's end is picked on: columns and rows of this many units.
const STEP: (f64, f64) = (12.0, 8.0);

/// Directions to try, as unit steps (y down). Beside the point: right, left, the four
/// diagonals, above, below. Out along a leader: sixteen directions, up-left and down-right
/// first, where a quality-against-size scatter leaves room (its points run from low left to
/// high right).
const BESIDE: [(f64, f64); 8] = [(1.0, 0.0), (-1.0, 0.0), (D, -D), (-D, -D), (D, D), (-D, D), (0.0, -1.0), (0.0, 1.0)];
const D: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// The box of `size` whose nearest point to `at` along `dir` is `dist` away: its left edge
/// for a step right, its bottom corner for a step up and to a side, and so on.
fn box_at(at: (f64, f64), dir: (f64, f64), dist: f64, size: (f64, f64)) -> Rect {
    let (ax, ay) = (at.0 + dir.0 * dist, at.1 + dir.1 * dist);
    let x = if dir.0 > 0.1 {
        ax
    } else if dir.0 < -0.1 {
        ax - size.0
    } else {
        ax - size.0 / 2.0
    };
    let y = if dir.1 > 0.1 {
        ay
    } else if dir.1 < -0.1 {
        ay - size.1
    } else {
        ay - size.1 / 2.0
    };
    Rect { x, y, w: size.0, h: size.1 }
}

/// Whether segments `a`–`b` and `c`–`d` cross.
fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    let (d1, d2) = (side(c, d, a), side(c, d, b));
    let (d3, d4) = (side(a, b, c), side(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

type Segment = ((f64, f64), (f64, f64));

/// What is drawn so far: every point (with its group: points drawn on one another share a
/// label), and the labels and leaders placed.
#[derive(Clone)]
struct Taken {
    plot: Rect,
    dots: Vec<(Rect, usize)>,
    boxes: Vec<Rect>,
    leaders: Vec<Segment>,
}

impl Taken {
    /// Whether a label of group `g` may go in `rect`, reached by `leader`: inside the plot, on
    /// no label or leader, and not beside another group's point (where it would seem to name
    /// it); its leader crossing no other group's point, no label and no other leader. A
    /// `marked` label (the selected point's, drawn apart) may sit by other points and its
    /// leader pass over them.
    fn free(&self, g: usize, rect: &Rect, leader: Option<Segment>, marked: bool) -> bool {
        let padded = rect.grown(1.0);
        let near = rect.grown(if marked { 1.0 } else { NEAR });
        let others = || self.dots.iter().filter(|(_, h)| *h != g).map(|(d, _)| d);
        rect.inside(&self.plot)
            && !self.boxes.iter().any(|b| b.overlaps(&padded))
            && !others().any(|d| d.overlaps(&near))
            && !self.leaders.iter().any(|&(a, b)| padded.crossed_by(a, b))
            && leader.is_none_or(|(a, b)| {
                !self.boxes.iter().any(|bx| bx.crossed_by(a, b))
                    && (marked || !others().any(|d| d.crossed_by(a, b)))
                    && !self.leaders.iter().any(|&(c, d)| segments_cross(a, b, c, d))
            })
    }

    /// Only what lies in `region`: a label's candidates there are checked against less.
    fn within(&self, region: &Rect) -> Taken {
        let span =
            |(a, b): &Segment| Rect { x: a.0.min(b.0), y: a.1.min(b.1), w: (a.0 - b.0).abs(), h: (a.1 - b.1).abs() };
        Taken {
            plot: self.plot,
            dots: self.dots.iter().copied().filter(|(d, _)| d.grown(NEAR).overlaps(region)).collect(),
            boxes: self.boxes.iter().copied().filter(|b| b.grown(1.0).overlaps(region)).collect(),
            leaders: self.leaders.iter().copied().filter(|l| span(l).grown(1.0).overlaps(region)).collect(),
        }
    }

    fn take(&mut self, p: Placed) {
        self.boxes.push(p.rect);
        self.leaders.extend(p.leader);
    }
}

/// Places a label of `sizes[i]` for point `points[i]` (drawn with radius `r`) inside `plot`,
/// for each `i` of `order` in turn: beside its point where there is room, else at the end of
/// the shortest free leader. A label covers no other label and stays clear of the points of
/// other groups (`group[i]` names point `i`'s); a leader crosses no label, other leader or
/// other group's point — except the `marked` point's, which is drawn apart and may pass over
/// points (it is the one a reader asked for). `None` is a label left off.
pub fn place(
    points: &[(f64, f64)],
    sizes: &[(f64, f64)],
    group: &[usize],
    r: f64,
    plot: Rect,
    order: &[usize],
    marked: Option<usize>,
) -> Vec<Option<Placed>> {
    let n = points.len().min(sizes.len()).min(group.len());
    let dots =
        (0..n).map(|i| (Rect { x: points[i].0 - r, y: points[i].1 - r, w: 2.0 * r, h: 2.0 * r }.grown(1.0), group[i]));
    let mut taken = Taken { plot, dots: dots.collect(), boxes: Vec::new(), leaders: Vec::new() };
    let mut out: Vec<Option<Placed>> = vec![None; points.len()];
    let order: Vec<usize> = order.iter().copied().filter(|&i| i < n).collect();
    // Leaders reach a fifth of a wide plot across and as far up or down (farther, a label is
    // hard to tie to its point), and 120 units on a small one.
    let reach = ((0.2 * plot.w).max(120.0), (0.2 * plot.w).max(120.0));
    // Ends of a leader, relative to the point, nearest first, on a grid: a label sits beside
    // the end (its near side's middle there), or above or below it (centred over it).
    let mut ends: Vec<(f64, f64, bool)> = Vec::new();
    for sx in 0..=(reach.0 / STEP.0) as i32 {
        for sy in -(reach.1 / STEP.1) as i32..=(reach.1 / STEP.1) as i32 {
            let dy = f64::from(sy) * STEP.1;
            for side in [-1.0, 1.0] {
                let dx = if sx == 0 { 0.0 } else { side * (r + f64::from(sx) * STEP.0) };
                if sx > 0 {
                    ends.push((dx, dy, false));
                }
                if dy.abs() >= r + STEP.1 && (sx > 0 || side < 0.0) {
                    ends.push((dx, dy, true));
                }
            }
        }
    }
    crate::core::text::order::sort_by_key(&mut ends, |&(dx, dy, over)| (dx.hypot(dy), f64::from(u8::from(over))));
    for &i in &order {
        let (at, marked, (w, h), g) = (points[i], marked == Some(i), sizes[i], group[i]);
        let (rx, ry) = (reach.0 + w + r + 2.0, reach.1 + h + r + 2.0);
        let near = taken.within(&Rect { x: at.0 - rx, y: at.1 - ry, w: 2.0 * rx, h: 2.0 * ry });
        let beside =
            BESIDE.iter().map(|&dir| box_at(at, dir, r + GAP, sizes[i])).find(|rect| near.free(g, rect, None, marked));
        let spot = beside.map(|rect| Placed { rect, leader: None }).or_else(|| {
            // Above or below a leader's end only for the marked label: for the rest, the
            // room beside ends is enough, and cheaper to look through.
            ends.iter().filter(|e| marked || !e.2).find_map(|&(dx, dy, over)| {
                let length = dx.hypot(dy);
                let end = (at.0 + dx, at.1 + dy);
                let (x, y) = match (over, dx < 0.0, dy < 0.0) {
                    (false, true, _) => (end.0 - w, end.1 - h / 2.0),
                    (false, false, _) => (end.0, end.1 - h / 2.0),
                    (true, _, true) => (end.0 - w / 2.0, end.1 - h),
                    (true, _, false) => (end.0 - w / 2.0, end.1),
                };
                let rect = Rect { x, y, w, h };
                let leader = ((at.0 + dx / length * r, at.1 + dy / length * r), end);
                near.free(g, &rect, Some(leader), marked).then_some(Placed { rect, leader: Some(leader) })
            })
        });
        if let Some(p) = spot {
            out[i] = Some(p);
            taken.take(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_generous_and_count_chinese_as_an_em() {
        assert!((text_width("Q8_0", 10.0) - 26.3).abs() < 1e-9, "Q 0.79, 8 0.64, _ 0.56, 0 0.64 em");
        assert_eq!(text_width("稀疏", 11.0), 22.0);
        assert!(text_width("INT4 g32 zero point", 11.0) > 100.0);
    }

    #[test]
    fn segments_and_boxes() {
        let b = Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0 };
        assert!(b.crossed_by((-5.0, 5.0), (15.0, 5.0)));
        assert!(b.crossed_by((5.0, 5.0), (6.0, 6.0)), "inside counts");
        assert!(!b.crossed_by((-5.0, -1.0), (15.0, -1.0)));
        assert!(!b.crossed_by((11.0, 0.0), (20.0, 20.0)));
        assert!(segments_cross((0.0, 0.0), (10.0, 10.0), (0.0, 10.0), (10.0, 0.0)));
        assert!(!segments_cross((0.0, 0.0), (10.0, 0.0), (0.0, 1.0), (10.0, 1.0)));
        assert!(!b.overlaps(&Rect { x: 10.0, ..b }), "touching is not overlapping");
    }

    /// A crowd up a diagonal, as a scatter's points run: the labels find room, along a leader
    /// where the room beside is taken, none on another and all inside.
    #[test]
    fn a_crowd_fans_out_without_collisions() {
        let plot = Rect { x: 0.0, y: 0.0, w: 400.0, h: 300.0 };
        let points: Vec<(f64, f64)> =
            (0..12).map(|i| (150.0 + 9.0 * f64::from(i), 220.0 - 7.0 * f64::from(i))).collect();
        let sizes = vec![(60.0, 16.0); points.len()];
        let (group, order): (Vec<usize>, Vec<usize>) = ((0..12).collect(), (0..12).collect());
        let placed = place(&points, &sizes, &group, 5.0, plot, &order, None);
        let boxes: Vec<Rect> = placed.iter().flatten().map(|p| p.rect).collect();
        assert!(boxes.len() >= 10, "{}", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.inside(&plot));
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
        assert!(placed[0].is_some_and(|p| p.leader.is_none()), "the first sits beside its point");
        assert!(placed.iter().flatten().any(|p| p.leader.is_some()), "some need a leader");
    }

    /// Any points and label sizes, some off the plot or not finite: whatever is placed is
    /// inside, on no other label, clear of the other points, and its leader crosses nothing.
    #[test]
    fn any_points_place_safely() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |range: f64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64 * range
        };
        let plot = Rect { x: 40.0, y: 10.0, w: 300.0, h: 200.0 };
        for case in 0..200 {
            let n = 1 + case % 40;
            let mut points: Vec<(f64, f64)> = (0..n).map(|_| (next(400.0), next(260.0))).collect();
            if case % 7 == 0 {
                points[0] = (f64::NAN, f64::INFINITY);
            }
            let sizes: Vec<(f64, f64)> = (0..n).map(|_| (5.0 + next(150.0), 16.0)).collect();
            let group: Vec<usize> = (0..n).collect();
            let order: Vec<usize> = (0..n).rev().collect();
            let placed = place(&points, &sizes, &group, 5.0, plot, &order, None);
            let spots: Vec<(usize, Placed)> =
                placed.iter().enumerate().filter_map(|(i, p)| p.map(|p| (i, p))).collect();
            for (k, (i, a)) in spots.iter().enumerate() {
                assert!(a.rect.inside(&plot) && a.rect.w == sizes[*i].0, "{a:?}");
                for (j, b) in &spots[k + 1..] {
                    assert!(!a.rect.overlaps(&b.rect), "{i} {a:?} and {j} {b:?}");
                    if let Some((p, q)) = b.leader {
                        assert!(!a.rect.crossed_by(p, q));
                    }
                    if let (Some((p, q)), Some((u, v))) = (a.leader, b.leader) {
                        assert!(!segments_cross(p, q, u, v));
                    }
                }
                for (j, &(x, y)) in points.iter().enumerate().filter(|(j, _)| j != i) {
                    let dot = Rect { x: x - 5.0, y: y - 5.0, w: 10.0, h: 10.0 };
                    assert!(!a.rect.overlaps(&dot), "{i} {a:?} on point {j}");
                }
            }
        }
    }
}
