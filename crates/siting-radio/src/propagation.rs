//! Coverage from a path-loss model per environment and a link budget.

use crate::budget::LinkBudget;
use crate::diffraction::DeygoutEdges;
use crate::model::{CoverageModel, Receiver, TerrainProfile, Transmitter};
use crate::pathloss::{PathLoss, Prepared};
use siting_model::Environment;
use std::sync::Arc;

/// A model used outside its validity range: where, at what antenna height
/// and radius, and what the range says.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidityBreach {
    /// The radio environment.
    pub environment: Environment,
    /// The model's code (`cost231-hata`).
    pub model: &'static str,
    /// The antenna height asked for, metres.
    pub height_m: f64,
    /// The height the model is evaluated at (capped with terrain), metres.
    pub evaluated_m: f64,
    /// The coverage radius there, metres.
    pub radius_m: f64,
    /// The parameter outside the range, with the range and its source.
    pub out_of_range: crate::pathloss::OutOfRange,
}

impl ValidityBreach {
    /// What the model's validity range says, in words.
    pub fn problem(&self) -> String {
        self.out_of_range
            .to_string()
            .split("; use")
            .next()
            .unwrap_or("")
            .to_string()
    }
}

/// A worker thread's last terrain profile and the pair it belongs to: the
/// buffer is reused for every pair, and the profile itself for every
/// operator and band that asks about the same pair in a row.
#[derive(Default)]
struct ProfileCache {
    /// The terrain of the cached profile. A weak reference keeps its
    /// allocation, so no other terrain can take its address while cached.
    terrain: Option<std::sync::Weak<dyn TerrainProfile>>,
    /// Transmitter and receiver positions, distance.
    key: Option<([f64; 2], [f64; 2], f64)>,
    /// Whether the terrain covered the pair.
    found: bool,
    profile: crate::diffraction::Profile,
    /// The profile's Deygout edges for these antenna heights (metres).
    edges: Option<(f64, f64, DeygoutEdges)>,
}

thread_local! {
    static PROFILE: std::cell::RefCell<ProfileCache> = std::cell::RefCell::new(ProfileCache::default());
}

/// Highest effective antenna height the radius table holds, metres; above
/// it the table's last entry is used.
pub const MAX_EFFECTIVE_HEIGHT_M: usize = 600;

/// Covers a receiver when the path loss of its environment's model, plus
/// that environment's penetration loss, is within the link budget.
///
/// Path loss rises with distance, so coverage is a radius per environment and
/// effective antenna height. The radii are tabulated once, per whole metre of
/// effective height from 1 to [`MAX_EFFECTIVE_HEIGHT_M`], so the hot loop is
/// one table look-up per demand point. With a DEM, the effective height is
/// the antenna's height above the receiver's ground:
/// `height_m + ground(site) − ground(receiver)`, at least 1 m.
#[derive(Debug, Clone)]
pub struct LinkBudgetModel {
    models: [PathLoss; 4],
    penetration_db: [f64; 4],
    budget: LinkBudget,
    /// `radius[env][h − 1]`, metres.
    radius: Vec<[f64; MAX_EFFECTIVE_HEIGHT_M]>,
    /// `reach[h − 1]`: the largest radius of any environment at any effective
    /// height up to `h`, metres.
    reach: Vec<f64>,
    terrain: bool,
    diffraction: Option<Arc<dyn TerrainProfile>>,
    indoor_only: bool,
    /// Where the band's figures come from, for [`CoverageModel::describe`].
    source: Option<String>,
}

impl LinkBudgetModel {
    /// Builds the model. `models[e]` is the path-loss model of environment `e`
    /// (in [`Environment::ALL`] order; its `tx_height_m` is replaced per
    /// site), `penetration_db[e]` that environment's extra loss, `limit_m` the
    /// farthest distance searched, and `terrain` whether receivers' and
    /// transmitters' ground heights correct the effective height.
    pub fn new(
        models: [PathLoss; 4],
        penetration_db: [f64; 4],
        budget: LinkBudget,
        limit_m: f64,
        terrain: bool,
    ) -> Self {
        let mapl = budget.max_path_loss_db();
        let radius: Vec<[f64; MAX_EFFECTIVE_HEIGHT_M]> = (0..4)
            .map(|e| {
                let mut row = [0.0; MAX_EFFECTIVE_HEIGHT_M];
                let cap = models[e].validity().tx_height_m.max;
                for (i, r) in row.iter_mut().enumerate() {
                    let mut m = models[e];
                    m.geometry.tx_height_m = if terrain {
                        ((i + 1) as f64).min(cap.max(1.0))
                    } else {
                        (i + 1) as f64
                    };
                    *r = m.prepare().range_m(mapl - penetration_db[e], limit_m);
                }
                row
            })
            .collect();
        let reach: Vec<f64> = (0..MAX_EFFECTIVE_HEIGHT_M)
            .scan(0.0, |best: &mut f64, i| {
                *best = radius.iter().map(|r| r[i]).fold(*best, f64::max);
                Some(*best)
            })
            .collect();
        LinkBudgetModel {
            models,
            penetration_db,
            budget,
            radius,
            reach,
            terrain,
            diffraction: None,
            indoor_only: false,
            source: None,
        }
    }

    /// Names where the band's figures come from; `describe` cites it.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        let source = source.into();
        self.source = (!source.is_empty()).then_some(source);
        self
    }

    /// Restricts the band to indoor sites ([`Transmitter::indoor`]), as a
    /// licence for indoor coverage only does: other sites cover nothing on it.
    pub fn indoor_only(mut self) -> Self {
        self.indoor_only = true;
        self
    }

    /// Adds knife-edge diffraction (Deygout, ITU-R P.526) along the terrain
    /// profile between each transmitter and receiver within range: a
    /// receiver is then covered where path loss plus penetration plus
    /// diffraction loss stays within the budget.
    pub fn with_diffraction(mut self, terrain: Arc<dyn TerrainProfile>) -> Self {
        self.diffraction = Some(terrain);
        self
    }

    /// Whether diffraction along profiles is applied.
    pub fn diffraction(&self) -> bool {
        self.diffraction.is_some()
    }

    /// Whether the band is carried by indoor sites only.
    pub fn is_indoor_only(&self) -> bool {
        self.indoor_only
    }

    /// The farthest this model covers at any effective height, metres.
    pub fn reach_m(&self) -> f64 {
        self.reach[MAX_EFFECTIVE_HEIGHT_M - 1]
    }

    /// Maximum allowable path loss, dB.
    pub fn max_path_loss_db(&self) -> f64 {
        self.budget.max_path_loss_db()
    }

    /// The path-loss model of an environment.
    pub fn model(&self, e: Environment) -> &PathLoss {
        &self.models[e.index()]
    }

    /// The coverage radius in an environment for an effective antenna
    /// height, metres.
    pub fn radius_m(&self, e: Environment, effective_height_m: f64) -> f64 {
        self.radius[e.index()][height_index(effective_height_m)]
    }

    /// For an antenna height, each environment's radius and whether the model
    /// is used outside its validity range there (a sentence per breach). With
    /// terrain, a height above the model's valid base-station heights is
    /// evaluated at the highest valid one (the radius tables cap it), which is
    /// not a breach.
    pub fn validity_notes(&self, height_m: f64) -> Vec<String> {
        self.validity_breaches(height_m)
            .into_iter()
            .map(|b| {
                let at = if b.evaluated_m < b.height_m {
                    format!(
                        "{} m antenna height, evaluated at {} m",
                        b.height_m, b.evaluated_m
                    )
                } else {
                    format!("{} m antenna height", b.height_m)
                };
                format!(
                    "{} at {at}, radius {:.0} m: {}",
                    b.environment,
                    b.radius_m,
                    b.problem()
                )
            })
            .collect()
    }

    /// [`validity_notes`](Self::validity_notes) as data: one
    /// [`ValidityBreach`] per environment whose model is used outside its
    /// validity range at this antenna height.
    pub fn validity_breaches(&self, height_m: f64) -> Vec<ValidityBreach> {
        let mut out = Vec::new();
        for e in Environment::ALL {
            let mut m = *self.model(e);
            let cap = m.validity().tx_height_m.max;
            let used = if self.terrain {
                height_m.min(cap)
            } else {
                height_m
            };
            m.geometry.tx_height_m = used;
            let r = self.radius_m(e, height_m);
            if let Err(err) = m.check(r.round().max(1.0)) {
                out.push(ValidityBreach {
                    environment: e,
                    model: m.kind.code(),
                    height_m,
                    evaluated_m: used,
                    radius_m: r,
                    out_of_range: err,
                });
            }
        }
        out
    }

    /// A prepared path-loss model for one transmitter height and environment.
    pub fn prepared(&self, e: Environment, tx_height_m: f64) -> Prepared {
        let mut m = *self.model(e);
        m.geometry.tx_height_m = tx_height_m;
        m.prepare()
    }

    /// The path loss from `tx` to `rx` at `distance_m`, with the receiver's
    /// building-penetration loss, dB: what decides the best server among the
    /// stations that cover a receiver. `None` where the site cannot carry
    /// this band (an indoor-only band on an outdoor site). An indoor system
    /// serves its own building through antennas inside it: its loss is the
    /// free-space loss (ITU-R P.525) over the distance, with no penetration,
    /// within its footprint, and `None` beyond. Knife-edge diffraction is
    /// left out: a receiver it would cut off is not covered at all.
    pub fn path_loss_db(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> Option<f64> {
        self.path_loss_with(tx, rx, distance_m, |e, h| self.prepared(e, h))
    }

    /// [`LinkBudgetModel::path_loss_db`], with the prepared model for the
    /// receiver's environment and the effective height taken from
    /// `prepare` (which must give what [`LinkBudgetModel::prepared`]
    /// gives: a caller may keep them).
    fn path_loss_with(
        &self,
        tx: &Transmitter,
        rx: &Receiver,
        distance_m: f64,
        prepare: impl FnOnce(Environment, f64) -> Prepared,
    ) -> Option<f64> {
        let d = distance_m.max(1.0);
        let freq_mhz = self.models[0].geometry.freq_mhz;
        if tx.indoor {
            return (distance_m <= tx.footprint_m)
                .then(|| 32.45 + 20.0 * freq_mhz.log10() + 20.0 * (d / 1000.0).log10());
        }
        if self.indoor_only {
            return None;
        }
        let h = self.loss_height(tx, rx);
        Some(prepare(rx.environment, h).loss_db(d) + self.penetration_db[rx.environment.index()])
    }

    /// The effective antenna height the path loss to `rx` is computed at,
    /// metres: with terrain, capped at the model's validity range.
    fn loss_height(&self, tx: &Transmitter, rx: &Receiver) -> f64 {
        let h = self.effective_height(tx, rx);
        if self.terrain {
            h.min(
                self.models[rx.environment.index()]
                    .validity()
                    .tx_height_m
                    .max
                    .max(1.0),
            )
        } else {
            h
        }
    }

    fn effective_height(&self, tx: &Transmitter, rx: &Receiver) -> f64 {
        if self.terrain {
            (tx.height_m + tx.ground_m - rx.ground_m).max(1.0)
        } else {
            tx.height_m
        }
    }
}

/// The row of a radius table for an effective height: whole metres from 1 m.
fn height_index(effective_height_m: f64) -> usize {
    // As `round().max(1.0)`, without `f64::round`'s libm call (baseline
    // x86-64 has no rounding instruction), once per site and receiver:
    // the cast saturates (negative and NaN to 0, so to 1 m below).
    let whole = effective_height_m as usize;
    let rounded = whole.saturating_add(usize::from(effective_height_m - whole as f64 >= 0.5));
    rounded.clamp(1, MAX_EFFECTIVE_HEIGHT_M) - 1
}

impl CoverageModel for LinkBudgetModel {
    fn max_range_m(&self, tx: &Transmitter) -> f64 {
        if tx.indoor {
            tx.footprint_m
        } else if self.indoor_only {
            0.0
        } else if self.terrain {
            // No receiver in reach stands lower than `lowest_ground_m`, so
            // none sees a higher effective antenna than this.
            self.reach[height_index(tx.height_m + tx.ground_m - tx.lowest_ground_m)]
        } else {
            Environment::ALL
                .iter()
                .map(|e| self.radius_m(*e, tx.height_m))
                .fold(0.0, f64::max)
        }
    }

    fn covers(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> bool {
        if tx.indoor {
            return distance_m <= tx.footprint_m;
        }
        if self.indoor_only {
            return false;
        }
        let h = self.effective_height(tx, rx);
        if distance_m > self.radius_m(rx.environment, h) {
            return false;
        }
        let Some(terrain) = &self.diffraction else {
            return true;
        };
        let e = rx.environment.index();
        let m = &self.models[e];
        let cap = m.validity().tx_height_m.max.max(1.0);
        let diffraction_db = PROFILE.with(|cell| {
            let cache = &mut *cell.borrow_mut();
            let key = (tx.position, rx.position, distance_m);
            let same_terrain = cache
                .terrain
                .as_ref()
                .is_some_and(|t| std::ptr::addr_eq(t.as_ptr(), Arc::as_ptr(terrain)));
            if !same_terrain || cache.key != Some(key) {
                if !same_terrain {
                    cache.terrain = Some(Arc::downgrade(terrain));
                }
                cache.found = terrain.profile(tx, rx, distance_m, &mut cache.profile);
                cache.key = Some(key);
                cache.edges = None;
            }
            if !cache.found {
                return None;
            }
            let heights = (tx.height_m, m.geometry.rx_height_m);
            let edges = match cache.edges {
                Some((t, r, edges)) if (t, r) == heights => edges,
                _ => {
                    let edges = DeygoutEdges::of(&cache.profile, heights.0, heights.1);
                    cache.edges = Some((heights.0, heights.1, edges));
                    edges
                }
            };
            Some(edges.loss_db(m.geometry.freq_mhz))
        });
        let Some(diffraction_db) = diffraction_db else {
            return true;
        };
        let loss = self
            .prepared(rx.environment, h.min(cap))
            .loss_db(distance_m.max(1.0))
            + diffraction_db;
        loss <= self.max_path_loss_db() - self.penetration_db[e]
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = Environment::ALL
            .iter()
            .map(|e| {
                let m = self.model(*e);
                format!(
                    "{e}: {} (+{} dB penetration)",
                    m.kind.code(),
                    self.penetration_db[e.index()]
                )
            })
            .collect();
        format!(
            "link budget, maximum path loss {:.1} dB at {} MHz; {}{}{}{}",
            self.max_path_loss_db(),
            self.models[0].geometry.freq_mhz,
            parts.join(", "),
            match (self.terrain, self.diffraction.is_some()) {
                (_, true) => "; antenna heights corrected by terrain; knife-edge diffraction along terrain profiles",
                (true, false) => "; antenna heights corrected by terrain",
                _ => "",
            },
            if self.indoor_only {
                "; indoor sites only"
            } else {
                ""
            },
            match &self.source {
                Some(source) => format!(" (source: {source})"),
                None => String::new(),
            }
        )
    }
}

/// One operator's radio over one or more bands, each a labelled
/// [`LinkBudgetModel`]: a receiver is covered when any band covers it.
///
/// ```
/// use siting_model::Environment;
/// use siting_radio::{CoverageModel, Geometry, LinkBudget, LinkBudgetModel, ModelKind, MultiBandModel, PathLoss, Receiver, Transmitter};
/// let band = |f| {
///     let m = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(f, 30.0, 1.5));
///     LinkBudgetModel::new([m; 4], [0.0; 4], LinkBudget::lte_2015_uplink(), 30_000.0, false)
/// };
/// let radio = MultiBandModel::new(vec![("1.8 GHz".into(), band(1800.0)), ("2.0 GHz".into(), band(2000.0))]);
/// let tx = Transmitter { height_m: 30.0, ground_m: 0.0, lowest_ground_m: 0.0, position: [0.0; 2], indoor: false, footprint_m: 0.0 };
/// let rx = Receiver { environment: Environment::Urban, ground_m: 0.0, position: [0.0; 2] };
/// // The lower band reaches farther, so it sets the operator's reach.
/// assert_eq!(radio.max_range_m(&tx), band(1800.0).max_range_m(&tx));
/// assert!(radio.covers(&tx, &rx, band(1800.0).max_range_m(&tx) - 1.0));
/// ```
#[derive(Debug, Clone)]
pub struct MultiBandModel {
    bands: Vec<(String, LinkBudgetModel)>,
}

impl MultiBandModel {
    /// An operator's bands, each with a label for reports. With none, it
    /// covers nothing.
    pub fn new(bands: Vec<(String, LinkBudgetModel)>) -> Self {
        MultiBandModel { bands }
    }

    /// The bands and their labels.
    pub fn bands(&self) -> impl Iterator<Item = (&str, &LinkBudgetModel)> {
        self.bands.iter().map(|(l, m)| (l.as_str(), m))
    }

    /// The farthest any band covers at any effective height, metres.
    pub fn reach_m(&self) -> f64 {
        self.bands
            .iter()
            .map(|(_, m)| m.reach_m())
            .fold(0.0, f64::max)
    }

    /// Whether any band applies diffraction along profiles.
    pub fn diffraction(&self) -> bool {
        self.bands.iter().any(|(_, m)| m.diffraction())
    }

    /// The least path loss from `tx` to `rx` over the bands the site
    /// carries, dB ([`LinkBudgetModel::path_loss_db`]); `None` where it
    /// carries none.
    pub fn path_loss_db(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> Option<f64> {
        self.bands
            .iter()
            .filter_map(|(_, m)| m.path_loss_db(tx, rx, distance_m))
            .reduce(f64::min)
    }

    /// The path losses from one transmitter, for many receivers: the same
    /// figures as [`MultiBandModel::path_loss_db`], with each band's
    /// distance-independent terms computed once per receiver environment
    /// and effective height (a site's receivers share a few ground
    /// heights) instead of once per receiver.
    ///
    /// ```
    /// use siting_model::Environment;
    /// use siting_radio::{Geometry, LinkBudget, LinkBudgetModel, ModelKind, MultiBandModel, PathLoss, Receiver, Transmitter};
    /// let m = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(1800.0, 30.0, 1.5));
    /// let band = LinkBudgetModel::new([m; 4], [0.0; 4], LinkBudget::lte_2015_uplink(), 30_000.0, false);
    /// let radio = MultiBandModel::new(vec![("1.8 GHz".into(), band)]);
    /// let tx = Transmitter { height_m: 30.0, ground_m: 0.0, lowest_ground_m: 0.0, position: [0.0; 2], indoor: false, footprint_m: 0.0 };
    /// let rx = Receiver { environment: Environment::Urban, ground_m: 0.0, position: [0.0; 2] };
    /// let mut from_tx = radio.losses_from(tx);
    /// assert_eq!(from_tx.path_loss_db(&rx, 800.0), radio.path_loss_db(&tx, &rx, 800.0));
    /// ```
    pub fn losses_from(&self, tx: Transmitter) -> TransmitterLosses<'_> {
        TransmitterLosses {
            model: self,
            tx,
            memo: Vec::new(),
        }
    }

    /// The farthest an outdoor site of `effective_height_m` covers a
    /// receiver in environment `e` on any band it carries, metres (flat
    /// ground, no diffraction): the size of a cell there.
    pub fn outdoor_radius_m(&self, e: Environment, effective_height_m: f64) -> f64 {
        self.bands
            .iter()
            .filter(|(_, m)| !m.is_indoor_only())
            .map(|(_, m)| m.radius_m(e, effective_height_m))
            .fold(0.0, f64::max)
    }
}

/// Path losses from one transmitter over an operator's bands
/// ([`MultiBandModel::losses_from`]).
#[derive(Debug, Clone)]
pub struct TransmitterLosses<'a> {
    model: &'a MultiBandModel,
    tx: Transmitter,
    /// (band, environment, effective height's bits) → the prepared model.
    memo: Vec<(usize, usize, u64, Prepared)>,
}

impl TransmitterLosses<'_> {
    /// The least path loss to `rx` at `distance_m` over the bands the site
    /// carries, dB, with the receiver's penetration loss; `None` where it
    /// carries none. Equal to [`MultiBandModel::path_loss_db`].
    pub fn path_loss_db(&mut self, rx: &Receiver, distance_m: f64) -> Option<f64> {
        let mut best: Option<f64> = None;
        for (b, (_, m)) in self.model.bands.iter().enumerate() {
            let memo = &mut self.memo;
            let loss = m.path_loss_with(&self.tx, rx, distance_m, |e, h| {
                let key = (b, e.index(), h.to_bits());
                match memo.iter().find(|(mb, me, mh, _)| (*mb, *me, *mh) == key) {
                    Some(&(_, _, _, p)) => p,
                    None => {
                        let p = m.prepared(e, h);
                        memo.push((key.0, key.1, key.2, p));
                        p
                    }
                }
            });
            best = match (best, loss) {
                (Some(a), Some(l)) => Some(a.min(l)),
                (a, l) => a.or(l),
            };
        }
        best
    }
}

impl CoverageModel for MultiBandModel {
    fn max_range_m(&self, tx: &Transmitter) -> f64 {
        self.bands
            .iter()
            .map(|(_, m)| m.max_range_m(tx))
            .fold(0.0, f64::max)
    }

    fn covers(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> bool {
        self.bands.iter().any(|(_, m)| m.covers(tx, rx, distance_m))
    }

    fn describe(&self) -> String {
        self.bands
            .iter()
            .map(|(label, m)| format!("{label}: {}", m.describe()))
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Geometry, ModelKind};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn height_index_rounds_as_f64_round(h in prop_oneof![
            -10.0f64..1000.0,
            (0u32..2000).prop_map(|k| f64::from(k) / 2.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(1e300),
        ]) {
            let reference = (h.round().max(1.0) as usize).min(MAX_EFFECTIVE_HEIGHT_M) - 1;
            prop_assert_eq!(height_index(h), reference);
        }
    }

    #[test]
    fn losses_from_a_transmitter_equal_the_direct_ones_to_the_bit() {
        let band = |kind, f, terrain| {
            let m = PathLoss::new(kind, Geometry::new(f, 25.0, 1.5));
            LinkBudgetModel::new(
                [m; 4],
                [20.0, 15.0, 10.0, 5.0],
                LinkBudget::lte_2015_uplink(),
                30_000.0,
                terrain,
            )
        };
        for terrain in [false, true] {
            let radio = MultiBandModel::new(vec![
                ("uma".into(), band(ModelKind::UmaNlos, 1800.0, terrain)),
                ("rma".into(), band(ModelKind::RmaNlos, 900.0, terrain)),
                (
                    "indoor".into(),
                    band(ModelKind::Cost231Hata, 2100.0, terrain).indoor_only(),
                ),
            ]);
            for indoor in [false, true] {
                let tx = Transmitter {
                    height_m: 30.0,
                    ground_m: 240.0,
                    lowest_ground_m: 180.0,
                    position: [0.0; 2],
                    indoor,
                    footprint_m: if indoor { 150.0 } else { 0.0 },
                };
                let mut from_tx = radio.losses_from(tx);
                for i in 0..500u32 {
                    let rx = Receiver {
                        environment: Environment::ALL[(i % 4) as usize],
                        // A few ground heights, some above the mast's top.
                        ground_m: [180.0, 200.5, 240.0, 262.0, 300.0][(i % 5) as usize],
                        position: [0.0; 2],
                    };
                    let d = 0.5 + f64::from(i * 37 % 4_000);
                    let direct = radio.path_loss_db(&tx, &rx, d);
                    let memo = from_tx.path_loss_db(&rx, d);
                    assert_eq!(
                        direct.map(f64::to_bits),
                        memo.map(f64::to_bits),
                        "{rx:?} at {d} m"
                    );
                }
            }
        }
    }

    #[test]
    fn the_best_server_is_the_nearer_and_an_indoor_system_wins_inside() {
        let uma = PathLoss::new(ModelKind::UmaNlos, Geometry::new(1800.0, 25.0, 1.5));
        let m = LinkBudgetModel::new(
            [uma; 4],
            [20.0, 15.0, 10.0, 5.0],
            LinkBudget::lte_2015_uplink(),
            30_000.0,
            false,
        );
        let tx = Transmitter {
            height_m: 25.0,
            ground_m: 0.0,
            lowest_ground_m: 0.0,
            position: [0.0; 2],
            indoor: false,
            footprint_m: 0.0,
        };
        let rx = Receiver {
            environment: Environment::DenseUrban,
            ground_m: 0.0,
            position: [0.0; 2],
        };
        let near = m.path_loss_db(&tx, &rx, 200.0).expect("outdoor band");
        let far = m.path_loss_db(&tx, &rx, 400.0).expect("outdoor band");
        assert!(near < far);
        // UMa NLOS at 200 m plus 20 dB penetration is well above 100 dB.
        assert!(near > 100.0, "{near}");
        let das = Transmitter {
            indoor: true,
            footprint_m: 150.0,
            ..tx
        };
        let inside = m
            .path_loss_db(&das, &rx, 100.0)
            .expect("inside its footprint");
        assert!(inside < near, "{inside} vs {near}");
        assert_eq!(m.path_loss_db(&das, &rx, 151.0), None);
        assert_eq!(m.clone().indoor_only().path_loss_db(&tx, &rx, 200.0), None);
    }

    #[test]
    fn a_capped_height_is_not_called_extrapolation() {
        let uma = PathLoss::new(ModelKind::UmaNlos, Geometry::new(1800.0, 25.0, 1.5));
        let model = |terrain| {
            LinkBudgetModel::new(
                [uma; 4],
                [0.0; 4],
                LinkBudget::lte_2015_uplink(),
                30_000.0,
                terrain,
            )
        };
        // Without terrain a 50 m mast is evaluated at 50 m: outside UMa's 25 m.
        let flat = model(false).validity_notes(50.0);
        assert_eq!(flat.len(), 4);
        assert!(flat[0].contains("base-station height = 50"), "{flat:?}");
        // With terrain the tables cap it at 25 m: no breach.
        assert!(model(true).validity_notes(50.0).is_empty());
        // Below the range it is extrapolated either way.
        assert_eq!(model(true).validity_notes(12.0).len(), 4);
    }
}
