//! Subcommands and flags.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Decides where mobile base stations go: reads GIS layers, applies the
/// planning rules, computes 4G coverage, places each operator's new 4G
/// stations (overlay on its own sites, co-location on others', new sites)
/// with sharing first, and writes the plan (`plan.geojson`), a report
/// (`report.json`, `report.md`) and a GeoPackage.
#[derive(Debug, Parser)]
#[command(name = "siting", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads for the parallel stages (default: all cores). The output
    /// is the same at any thread count.
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// Log less (only warnings and errors) and draw no progress bars.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Log more: `-v` debug, `-vv` trace (`RUST_LOG` overrides both).
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Log lines as text for people, or as one JSON object per line for
    /// batch runs (fields `level`, `fields.message`, `fields.stage`,
    /// `fields.seconds`).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written (to standard error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// For people.
    Text,
    /// One JSON object per line (tracing-subscriber's JSON format).
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan from the layers a config names and write plan.geojson, report.json, report.md,
    /// report.html, map.svg, map.png and plan.gpkg.
    Plan(PlanArgs),
    /// Check a written plan against every rule and target, from the config's
    /// layers and the written files alone; exits non-zero on any violation.
    Check(CheckArgs),
    /// Compare two written plans: sites added, removed and changed, and every figure of both reports.
    Diff(DiffArgs),
    /// Re-evaluate a written plan's 4G coverage on any demand layer, without optimising again.
    Score(ScoreArgs),
    /// Re-draw a written plan's map (SVG or PNG), of the whole area or zoomed into one district.
    Map(MapArgs),
    /// Build the modelled layers (demand, existing sites, candidates, zones) from the real ones.
    Synth(SynthArgs),
    /// Print the path loss of one propagation model for one link, in dB.
    Pathloss(PathlossArgs),
    /// Convert a whole layer to another format (by extension) and coordinate system.
    Convert(ConvertArgs),
    /// List every layer a config names: driver, CRS, feature count, extent, attributes.
    Layers(LayersArgs),
    /// List the band presets a config's radio can start from (`preset = "cmcc-b39"`), with sources.
    Bands(BandsArgs),
    /// Solve the classic maximal covering location problem: choose p candidates that cover the
    /// most demand weight within a radius; writes sites.geojson and result.json.
    Mclp(MclpArgs),
    /// Print the GB 8702-2014 compliance distance of a transmitter, metres: the
    /// distance at which its far-field power density falls to the single-site
    /// share of the standard's public limit at its frequency.
    EmfDistance(EmfDistanceArgs),
    /// Write a seeded MCLP instance (candidates.geojson, demand.geojson) for benchmarks and peers.
    MclpInstance(MclpInstanceArgs),
}

/// Flags of `siting mclp`.
#[derive(Debug, Args)]
pub struct MclpArgs {
    /// Candidate sites: a Point layer (.geojson, .gpkg, .shp, .fgb, .kml), any CRS.
    #[arg(long, value_name = "FILE")]
    pub candidates: PathBuf,
    /// Demand: a Point layer with a weight property, any CRS.
    #[arg(long, value_name = "FILE")]
    pub demand: PathBuf,
    /// The demand property holding each point's weight (a number, 0 or more; decimals are kept exactly up to 6, finer ones rounded to 6 and counted in result.json).
    #[arg(long, default_value = "weight")]
    pub weight_prop: String,
    /// The candidate property holding its id (unique).
    #[arg(long, default_value = "id")]
    pub id_prop: String,
    /// Coverage radius, metres, measured in the working metric CRS.
    #[arg(long)]
    pub radius_m: f64,
    /// Number of candidates to choose (at least 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub p: u64,
    /// Output folder (created if missing): sites.geojson and result.json, written whole or not at all.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Stop after this many seconds, and spend what the search leaves on
    /// tightening the bound (branch and bound); without it the work budgets
    /// alone decide, and the result is reproducible.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// CRS of input layers that declare none (or to override theirs): EPSG:n,
    /// wgs84, gcj02, bd09 or any PROJ definition.
    #[arg(long)]
    pub crs: Option<String>,
    /// The working metric CRS distances are measured in (default: chosen from
    /// the layers' extent, the CGCS2000 3° Gauss-Krüger zone or UTM zone of its centre).
    #[arg(long)]
    pub metric_crs: Option<String>,
    /// Seed of the search's random choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Flags of `siting mclp-instance`.
#[derive(Debug, Args)]
pub struct MclpInstanceArgs {
    /// Number of candidates (the square's side is 20 km × √(candidates / 1000)).
    #[arg(long)]
    pub candidates: usize,
    /// Number of demand points (half uniform, half in clusters; weights 1–9).
    #[arg(long)]
    pub demand: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Output folder: candidates.geojson and demand.geojson.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Flags of `siting bands`.
#[derive(Debug, Args)]
pub struct BandsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input CRS: gcj02, bd09, wgs84 or EPSG:n (any PROJ definition); optional
    /// where the file declares its CRS.
    #[arg(long)]
    pub from: Option<String>,
    /// Output CRS: gcj02, bd09, wgs84 or EPSG:n.
    #[arg(long)]
    pub to: String,
    /// Attribute encoding of the input where it does not say (Shapefile
    /// without .cpg), e.g. GBK or GB18030.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Input layer: .shp, .gpkg, .fgb, .kml, .geojson, .csv.
    pub input: PathBuf,
    /// Output layer; the format follows the extension (.gpkg, .shp, .fgb, .kml, .geojson, .csv).
    pub output: PathBuf,
}

/// Flags of `siting layers`.
#[derive(Debug, Args)]
pub struct LayersArgs {
    /// The config whose layers to list (default: the embedded Chongqing config).
    pub config: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting emf-distance`.
#[derive(Debug, Args)]
pub struct EmfDistanceArgs {
    /// EIRP in the main beam, watts (summed over the site's transmitters).
    #[arg(long)]
    pub eirp_w: f64,
    /// Frequency, MHz (GB 8702-2014 sets power-density limits from 0.1 MHz to 300 GHz).
    #[arg(long)]
    pub freq_mhz: f64,
    /// One site's share of the power-density limit (HJ/T 10.3-1996: 1/5).
    #[arg(long, default_value_t = 0.2)]
    pub site_fraction: f64,
    /// Print `{"distance_m": …, "limit_w_m2": …, …}` instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting pathloss`.
#[derive(Debug, Args)]
pub struct PathlossArgs {
    /// free-space, okumura-hata, cost231-hata, 3gpp-rma-los, 3gpp-rma-nlos,
    /// 3gpp-uma-los, 3gpp-uma-nlos, 3gpp-umi-los or 3gpp-umi-nlos.
    #[arg(long)]
    pub model: String,
    /// Carrier frequency, MHz.
    #[arg(long)]
    pub freq_mhz: f64,
    /// Horizontal (2D) distance between the antennas, metres.
    #[arg(long)]
    pub distance_m: f64,
    /// Base-station antenna height, metres.
    #[arg(long)]
    pub tx_height_m: f64,
    /// Mobile antenna height, metres.
    #[arg(long)]
    pub rx_height_m: f64,
    /// Hata's area type: urban (default), suburban or open (also "rural"; Okumura-Hata).
    #[arg(long)]
    pub environment: Option<String>,
    /// Hata's city size for the mobile-antenna correction a(hm): large or
    /// medium (default; Okumura-Hata and COST-231 Hata).
    #[arg(long)]
    pub city: Option<String>,
    /// COST-231's 3 dB metropolitan-centre term.
    #[arg(long)]
    pub metropolitan: bool,
    /// RMa average building height, metres (default 5).
    #[arg(long)]
    pub building_height_m: Option<f64>,
    /// RMa NLOS average street width, metres (default 20).
    #[arg(long)]
    pub street_width_m: Option<f64>,
    /// UMa/UMi effective environment height hE, metres (default 1).
    #[arg(long)]
    pub effective_env_height_m: Option<f64>,
    /// Evaluate even outside the model's validity range.
    #[arg(long)]
    pub allow_extrapolation: bool,
    /// Print one JSON object {"loss_db": …} instead of the bare number.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The run's TOML config; layer paths in it are relative to its folder.
    /// Without it, the embedded Chongqing config (data/chongqing/plan.toml) and layers.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder (created if missing), holding this run's files alone:
    /// they are staged in a sibling folder and switched in whole, so DIR
    /// holds this run's files or the previous run's, never a mix. A folder
    /// holding files siting did not write is refused.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Stop the optimiser's local search after this many seconds (per
    /// solve). Without it the search's work budget alone decides and the
    /// plan is the same at any thread count; when the limit cuts the search
    /// short the plan depends on the machine's speed.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// The local search's work budget, in trials (moves tried), default
    /// 2000; 0 turns the search off. The deterministic way to trade time
    /// for quality.
    #[arg(long, value_name = "N")]
    pub search_moves: Option<u64>,
    /// Skip `siting check` on the written plan (it reloads the layers and
    /// re-derives every rule and figure; the run fails on a violation).
    #[arg(long)]
    pub no_check: bool,
    /// Also write every demand point into plan.gpkg (layers
    /// covered_demand and uncovered_demand, with per-operator coverage
    /// before and after). Off by default: the coverage GeoTIFFs beside
    /// plan.gpkg hold the coverage, and a million points make the write
    /// slow and the file large.
    #[arg(long)]
    pub demand_points: bool,
}

/// Flags of `siting check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan: a `plan.geojson`, or the folder `siting plan --out` wrote
    /// (its report.json's figures are checked too).
    #[arg(long, value_name = "DIR_OR_PLAN_GEOJSON")]
    pub plan: PathBuf,
    /// The config the plan was made with (default: the embedded Chongqing config).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the check as JSON: {"plan", "book", "sites", "checks", "violations": [{"site_id", "rule", "why"}]}.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The plan: the folder `siting plan --out` wrote (its report.json adds the
    /// search rings), or a `plan.geojson`.
    #[arg(long, value_name = "DIR_OR_PLAN_GEOJSON")]
    pub plan: PathBuf,
    /// The config the plan was made with (default: the embedded Chongqing
    /// config); its layers give the districts, zones and existing sites.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Zoom into one district or county: its name (渝北区, or 渝北) or its
    /// 6-digit adcode (500112).
    #[arg(long)]
    pub district: Option<String>,
    /// The picture to write: .svg or .png [default: map.png, or
    /// map-ADCODE.png with --district, in the current folder].
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub out: Option<PathBuf>,
}

/// Flags of `siting score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The plan: a `plan.geojson`, or the folder `siting plan --out` wrote.
    #[arg(long, value_name = "DIR_OR_PLAN_GEOJSON")]
    pub plan: PathBuf,
    /// The config the plan was made with (default: the embedded Chongqing config).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A demand layer to score on instead of the config's (any supported
    /// format; points with `weight` and `cell_m`), e.g. the same population
    /// model at a finer grid (`siting synth --cell-m 500 --fine-cell-m 125`).
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// Print JSON: {"coverage": {...as report.json...}, "main_urban_share": {...}, "township_centres_uncovered": [...]}.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Plan A: a folder `siting plan --out` wrote, or its `plan.geojson`
    /// (its `report.json` is read from beside it).
    #[arg(value_name = "PLAN_A")]
    pub a: PathBuf,
    /// Plan B, the same way.
    #[arg(value_name = "PLAN_B")]
    pub b: PathBuf,
    /// Print the comparison as JSON (format `siting-diff/1`, documented in
    /// `siting_plan::diff`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `siting synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder with the real layers: districts.geojson, townships.geojson,
    /// places.geojson, dem_5arcmin.asc.
    #[arg(long, value_name = "DIR", default_value = "data/chongqing")]
    pub data: PathBuf,
    /// Where to write demand.geojson, sites_existing.geojson, candidates.geojson, zones.geojson.
    #[arg(long, value_name = "DIR", default_value = "data/chongqing")]
    pub out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 2015)]
    pub seed: u64,
    /// Coarse demand cell edge, metres: 1000 for the committed layer, 500 to
    /// check coverage at half the size (with --fine-cell-m 125), 250 for the
    /// 1.3-million-cell benchmark instance (uniform).
    #[arg(long, default_value_t = 1000.0, value_parser = parse_cell)]
    pub cell_m: f64,
    /// Fine cell edge, metres, for coarse cells at least --fine-above-per-km2
    /// dense; --cell-m must be a whole multiple of it. Equal to --cell-m: a
    /// uniform grid. [default: the smaller of 250 and --cell-m]
    #[arg(long, value_parser = parse_cell)]
    pub fine_cell_m: Option<f64>,
    /// Density (residents per km²) at or above which a coarse cell is refined
    /// (the engine's suburban threshold).
    #[arg(long, default_value_t = 300.0, value_parser = parse_density)]
    pub fine_above_per_km2: f64,
    /// Existing sites at end-2014, indoor systems included.
    #[arg(long, default_value_t = 27_800)]
    pub existing_sites: usize,
    /// Of them, indoor distribution systems at venues.
    #[arg(long, default_value_t = 2_000)]
    pub existing_indoor: usize,
    /// Greenfield tower candidates.
    #[arg(long, default_value_t = 20_000)]
    pub greenfield_towers: usize,
    /// Indoor-system candidates at venues.
    #[arg(long, default_value_t = 1_500)]
    pub indoor_candidates: usize,
}

fn parse_density(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("a density must not be negative, got {v}"))
    }
}

fn parse_cell(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (50.0..=10_000.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("cell edge must be between 50 and 10000 m, got {v}"))
    }
}
