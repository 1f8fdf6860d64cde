//! `siting`: the command-line binary.

use anyhow::{Context, Result};
use clap::Parser;
use siting_cli::cli::{
    BandsArgs, CheckArgs, Cli, Command, ConvertArgs, DiffArgs, EmfDistanceArgs, LayersArgs,
    LogFormat, MapArgs, MclpArgs, MclpInstanceArgs, PathlossArgs, PlanArgs, ScoreArgs, SynthArgs,
};
use siting_cli::embedded;
use siting_cli::progress::Bars;
use siting_engine::ConfigSource;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let json = cli.log_format == LogFormat::Json;
    let bars = Bars::new(cli.quiet, json);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(bars.log_writer())
        .with_ansi(!json && std::io::stderr().is_terminal())
        .with_target(false);
    match cli.log_format {
        LogFormat::Text => builder.without_time().init(),
        LogFormat::Json => builder.json().init(),
    }
    match run(cli, &bars) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, bars: &Bars) -> Result<()> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    match cli.command {
        Command::Plan(a) => plan(a, bars),
        Command::Diff(a) => diff(a),
        Command::Score(a) => score(a),
        Command::Check(a) => check(a),
        Command::Map(a) => map(a),
        Command::Synth(a) => synth(a),
        Command::Pathloss(a) => pathloss(a),
        Command::Convert(a) => convert(a),
        Command::Layers(a) => layers(a),
        Command::Bands(a) => bands(a),
        Command::Mclp(a) => mclp(a),
        Command::MclpInstance(a) => mclp_instance(a),
        Command::EmfDistance(a) => emf_distance(a),
    }
}

fn mclp(a: MclpArgs) -> Result<()> {
    let time_limit = time_limit(a.time_limit)?;
    let req = siting_engine::mclp::MclpRequest {
        candidates: a.candidates.clone(),
        demand: a.demand.clone(),
        weight_prop: a.weight_prop,
        id_prop: a.id_prop,
        radius_m: a.radius_m,
        p: usize::try_from(a.p).context("--p is too large")?,
        input_crs: a.crs,
        metric_crs: a.metric_crs,
        time_limit,
        seed: a.seed,
    };
    let run = siting_engine::mclp::run(&req)?;
    let files = siting_engine::mclp::outputs(&run);
    let written = siting_plan::write_outputs(&a.out, &files, &[a.candidates, a.demand])?;
    let s = &run.solution;
    println!(
        "{} of {} candidates chosen: covered weight {} ({:.2}% of {}), upper bound {} ({}), gap {:.3}%; plain greedy {}",
        s.chosen.len(),
        run.candidates.len(),
        run.weight_scale.text(s.objective),
        100.0 * s.covered_share(),
        run.weight_scale.text(s.total_weight),
        run.weight_scale.text(s.upper_bound),
        s.bound_method,
        100.0 * s.gap(),
        run.weight_scale.text(s.greedy_objective)
    );
    for w in &written {
        println!("wrote {}", w.display());
    }
    Ok(())
}

fn mclp_instance(a: MclpInstanceArgs) -> Result<()> {
    let inst = siting_synth::mclp::generate(a.candidates, a.demand, a.seed);
    let (candidates, demand) = siting_synth::mclp::geojson_layers(&inst)?;
    let files = [
        ("candidates.geojson", candidates.into_bytes()),
        ("demand.geojson", demand.into_bytes()),
    ];
    for w in siting_plan::write_outputs(&a.out, &files, &[])? {
        println!("wrote {}", w.display());
    }
    println!(
        "square of {:.1} km, {} candidates, {} demand points (seed {})",
        inst.side_m / 1000.0,
        a.candidates,
        a.demand,
        a.seed
    );
    Ok(())
}

fn map(a: MapArgs) -> Result<()> {
    let out = match &a.out {
        Some(p) => p.clone(),
        None => match &a.district {
            Some(d) => std::path::PathBuf::from(format!("map-{d}.png")),
            None => std::path::PathBuf::from("map.png"),
        },
    };
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg") | Some("png")) {
        anyhow::bail!(
            "--out {}: the picture must end in .svg or .png",
            out.display()
        );
    }
    let source = config_source(a.config);
    let (svg, png) = siting_engine::map::redraw(&source, &a.plan, a.district.as_deref())?;
    let bytes = if ext.as_deref() == Some("svg") {
        svg.into_bytes()
    } else {
        png
    };
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .context("--out names no file")?
        .to_string();
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let protected = [a.plan.clone(), a.plan.join("plan.geojson")];
    for w in siting_plan::write_outputs(dir, &[(name.as_str(), bytes)], &protected)? {
        println!("wrote {}", w.display());
    }
    Ok(())
}

fn config_source(config: Option<std::path::PathBuf>) -> ConfigSource {
    match config {
        Some(p) => ConfigSource::File(p),
        None => embedded::config(),
    }
}

/// A `--time-limit` in seconds as a duration: positive and finite.
fn time_limit(s: Option<f64>) -> Result<Option<std::time::Duration>> {
    match s {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(std::time::Duration::from_secs_f64(s))),
        Some(s) => anyhow::bail!("--time-limit must be a positive number of seconds, got {s}"),
    }
}

fn plan(a: PlanArgs, bars: &Bars) -> Result<()> {
    let source = config_source(a.config);
    tracing::info!("planning from {}", source.label());
    let options = siting_engine::RunOptions {
        time_limit: time_limit(a.time_limit)?,
        search_moves: a.search_moves,
        keep_for_check: !a.no_check,
    };
    let mut out = siting_engine::run_with(&source, &options, bars)?;
    let write_options = siting_engine::WriteOptions {
        demand_points: a.demand_points,
    };
    let written = siting_engine::write_with_options(&out, &a.out, bars, &write_options)?;
    let r = &out.outcome.report;
    println!(
        "mode {}: {} new sites, {} new 4G stations ({} overlays, {} co-locations, {} on new sites); sharing rate {:.1}% → {:.1}%; infrastructure {:.2} billion yuan, equipment {:.2} billion yuan",
        r.mode,
        r.new_sites.total,
        r.new_4g_stations.total,
        r.new_4g_stations.by_way.overlay,
        r.new_4g_stations.by_way.co_location,
        r.new_4g_stations.by_way.new_site,
        r.sharing.rate_before * 100.0,
        r.sharing.rate_after * 100.0,
        r.investment_yuan.infrastructure / 1e9,
        r.investment_yuan.equipment / 1e9
    );
    for t in &r.targets {
        let met = match t.met {
            Some(true) => "met",
            Some(false) => "NOT met",
            None => "estimate",
        };
        println!("{} {met}: {}", t.id, t.required);
    }
    for w in &written {
        println!("wrote {}", w.display());
    }
    // The check starts from the layers the run read and prepared before
    // planning (the same files), and the plan's own data is freed first.
    let before = out.before_plan.take();
    drop(out);
    if !a.no_check {
        let clock = std::time::Instant::now();
        let c = match &before {
            Some(b) => siting_engine::check_prepared(b, &a.out)?,
            None => siting_engine::check(&source, &a.out)?,
        };
        tracing::info!("check: {:.2} s", clock.elapsed().as_secs_f64());
        print_violations(&c);
        if !c.violations.is_empty() {
            anyhow::bail!(
                "siting check found {} violation(s) in the plan written to {}",
                c.violations.len(),
                a.out.display()
            );
        }
        println!(
            "check: {} sites, {} checks against {}, no violation",
            c.sites, c.checks, c.book
        );
    }
    Ok(())
}

fn print_violations(c: &siting_engine::CheckReport) {
    for v in &c.violations {
        eprintln!(
            "{} {}: {}",
            v.site_id.as_deref().unwrap_or("plan"),
            v.rule,
            v.why
        );
    }
}

fn check(a: CheckArgs) -> Result<()> {
    let source = config_source(a.config);
    let c = siting_engine::check(&source, &a.plan)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&c)?);
    } else {
        print_violations(&c);
        println!(
            "{}: {} sites, {} checks against {}, {} violation(s)",
            c.plan,
            c.sites,
            c.checks,
            c.book,
            c.violations.len()
        );
    }
    if c.violations.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} violation(s)", c.violations.len())
    }
}

fn diff(a: DiffArgs) -> Result<()> {
    let d = siting_plan::diff_plans(&a.a, &a.b)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print!("{}", siting_plan::diff::render_text(&d));
    }
    Ok(())
}

fn score(a: ScoreArgs) -> Result<()> {
    let source = config_source(a.config);
    let s = siting_engine::score(&source, &a.plan, a.demand.as_deref())?;
    if a.json {
        let v = serde_json::json!({
            "coverage": s.coverage,
            "main_urban_share": s.main_urban_share,
            "township_centres_uncovered": s.township_centres_uncovered,
            "demand": s.demand,
            "demand_points": s.demand_points,
            "plan": s.plan,
            "stations": s.stations,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "{} ({} new 4G stations) on {} ({} demand points):",
        s.plan, s.stations, s.demand, s.demand_points
    );
    println!("operator  residents   before   after   main urban   rest   township centres");
    for (op, c) in s.coverage.iter() {
        println!(
            "{op:<8} {:>11.0} {:>7.1}% {:>6.1}% {:>10.1}% {:>6.1}%   {} of {}",
            c.residents,
            c.share_before * 100.0,
            c.share_after * 100.0,
            c.main_urban_share_after * 100.0,
            c.rest_share_after * 100.0,
            c.township_centres_covered_after,
            c.township_centres
        );
    }
    if !s.township_centres_uncovered.is_empty() {
        println!(
            "{} township centres lack some operator:",
            s.township_centres_uncovered.len()
        );
        for t in &s.township_centres_uncovered {
            println!(
                "  {} {} ({}): {}",
                t.code,
                t.name,
                t.county_adcode,
                t.operators.join(", ")
            );
        }
    }
    Ok(())
}

fn synth(a: SynthArgs) -> Result<()> {
    let params = siting_synth::SynthParams {
        seed: a.seed,
        cell_m: a.cell_m,
        fine_cell_m: a
            .fine_cell_m
            .unwrap_or_else(|| siting_synth::params::default_fine_cell_m(a.cell_m)),
        fine_above_per_km2: a.fine_above_per_km2,
        existing_sites: a.existing_sites,
        existing_indoor: a.existing_indoor,
        greenfield_towers: a.greenfield_towers,
        indoor_candidates: a.indoor_candidates,
        ..Default::default()
    };
    if let Err(problem) = params.grid().subdivisions() {
        anyhow::bail!(
            "--cell-m {} and --fine-cell-m {}: {problem}",
            params.cell_m,
            params.fine_cell_m
        );
    }
    let s = siting_synth::synthesize(&a.data, &params)?;
    let files: Vec<(&str, Vec<u8>)> = s
        .files
        .iter()
        .map(|(n, t)| (n.as_str(), t.clone().into_bytes()))
        .collect();
    let written = siting_plan::write_outputs(&a.out, &files, &[])?;
    for line in &s.summary {
        println!("{line}");
    }
    for w in &written {
        println!("wrote {}", w.display());
    }
    Ok(())
}

fn emf_distance(a: EmfDistanceArgs) -> Result<()> {
    use siting_rules::emf;
    let (distance_m, limit) = emf::compliance(a.eirp_w, a.freq_mhz, a.site_fraction)?;
    let public = emf::public_limit(a.freq_mhz)?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "distance_m": distance_m,
                "limit_w_m2": limit,
                "public_limit_w_m2": public.s_w_m2,
                "public_limit_v_m": public.e_v_m,
                "site_fraction": a.site_fraction,
                "eirp_w": a.eirp_w,
                "freq_mhz": a.freq_mhz,
                "standard": "GB 8702-2014 Table 1 (public exposure); single-site share per HJ/T 10.3-1996",
            })
        );
    } else {
        println!(
            "{distance_m:.2} m: {} W EIRP at {} MHz against {limit} W/m² ({} of GB 8702-2014's public limit of {} W/m², {} V/m)",
            a.eirp_w, a.freq_mhz, a.site_fraction, public.s_w_m2, public.e_v_m
        );
    }
    Ok(())
}

fn pathloss(a: PathlossArgs) -> Result<()> {
    use siting_radio::{
        pathloss::ModelOption, CitySize, Geometry, HataEnvironment, ModelKind, PathLoss,
    };
    let kind: ModelKind = a.model.parse().map_err(anyhow::Error::msg)?;
    let defaults = Geometry::new(a.freq_mhz, a.tx_height_m, a.rx_height_m);
    let environment = match &a.environment {
        Some(e) => e.parse::<HataEnvironment>().map_err(anyhow::Error::msg)?,
        None => defaults.environment,
    };
    let geometry = Geometry {
        environment,
        city: match &a.city {
            Some(c) => c.parse::<CitySize>().map_err(anyhow::Error::msg)?,
            None => defaults.city,
        },
        metropolitan: a.metropolitan,
        building_height_m: a.building_height_m.unwrap_or(defaults.building_height_m),
        street_width_m: a.street_width_m.unwrap_or(defaults.street_width_m),
        effective_env_height_m: a
            .effective_env_height_m
            .unwrap_or(defaults.effective_env_height_m),
        ..defaults
    };
    // An option the model does not read is named, not silently dropped.
    let flags = [
        (
            "--environment",
            a.environment.is_some(),
            ModelOption::HataEnvironment,
        ),
        ("--city", a.city.is_some(), ModelOption::City),
        ("--metropolitan", a.metropolitan, ModelOption::Metropolitan),
        (
            "--building-height-m",
            a.building_height_m.is_some(),
            ModelOption::BuildingHeight,
        ),
        (
            "--street-width-m",
            a.street_width_m.is_some(),
            ModelOption::StreetWidth,
        ),
        (
            "--effective-env-height-m",
            a.effective_env_height_m.is_some(),
            ModelOption::EffectiveEnvHeight,
        ),
    ];
    let given: Vec<ModelOption> = flags.iter().filter(|f| f.1).map(|f| f.2).collect();
    for unread in kind
        .unread_options(&given, environment)
        .map_err(anyhow::Error::msg)?
    {
        if let Some((flag, _, _)) = flags.iter().find(|f| f.2 == unread) {
            tracing::warn!("{flag} does not apply to {kind}; ignored");
        }
    }
    for (name, v) in [
        ("--freq-mhz", a.freq_mhz),
        ("--distance-m", a.distance_m),
        ("--tx-height-m", a.tx_height_m),
        ("--rx-height-m", a.rx_height_m),
    ] {
        anyhow::ensure!(
            v.is_finite() && v > 0.0,
            "{name} must be a positive number, got {v}"
        );
    }
    let model = PathLoss::new(kind, geometry);
    if !a.allow_extrapolation {
        model.check(a.distance_m)?;
    }
    let loss = model.loss_db(a.distance_m);
    if a.json {
        println!("{}", serde_json::json!({ "loss_db": loss }));
    } else {
        println!("{loss:.2}");
    }
    Ok(())
}

fn convert(a: ConvertArgs) -> Result<()> {
    let n = siting_gdal::convert(
        &a.input,
        &a.output,
        a.from.as_deref(),
        &a.to,
        a.encoding.as_deref(),
    )?;
    println!("wrote {} ({n} features, {})", a.output.display(), a.to);
    Ok(())
}

fn bands(a: BandsArgs) -> Result<()> {
    use siting_radio::band::{Duplex, BANDS};
    let budget = siting_radio::LinkBudget::lte_2015_uplink();
    if a.json {
        let bands: Vec<serde_json::Value> = BANDS
            .iter()
            .map(|b| {
                serde_json::json!({
                    "code": b.code,
                    "operator": b.operator.code(),
                    "name": b.name,
                    "eutra_band": b.eutra_band,
                    "duplex": match b.duplex { Duplex::Tdd => "TDD", Duplex::Fdd => "FDD" },
                    "downlink_mhz": b.downlink_mhz,
                    "uplink_mhz": b.uplink_mhz,
                    "freq_mhz": b.freq_mhz(),
                    "indoor_only": b.indoor_only,
                    "source": b.source,
                    "capacity": b.default_capacity(),
                    "station_mbps": b.default_capacity().station_mbps(false),
                    "small_cell_station_mbps": b.default_capacity().station_mbps(true),
                })
            })
            .collect();
        let out = serde_json::json!({
            "bands": bands,
            "default_budget": budget,
            "default_budget_max_path_loss_db": budget.max_path_loss_db(),
            "default_budget_source": siting_radio::budget::LTE_2015_UPLINK_SOURCE,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for b in &BANDS {
        println!("{} — {} {}", b.code, b.operator.code(), b.name);
        println!(
            "  path loss at {} MHz (downlink centre){}",
            b.freq_mhz(),
            if b.indoor_only {
                "; indoor coverage only"
            } else {
                ""
            }
        );
        let c = b.default_capacity();
        println!(
            "  capacity: {} MHz × {} sectors ({} on a pole or indoor) × {} bit/s/Hz × downlink share {} × highest load {} = {:.1} Mbit/s per station ({:.1} small)",
            c.bandwidth_mhz,
            c.sectors,
            c.small_cell_sectors,
            c.spectral_efficiency_bps_hz,
            c.downlink_share,
            c.max_load,
            c.station_mbps(false),
            c.station_mbps(true)
        );
        println!("  source: {}", b.source);
    }
    println!(
        "capacity defaults: {}; TDD frames per 3GPP TS 36.211 Tables 4.2-1 and 4.2-2 (band 39: configuration 2 with special subframe 5, band 40: with special subframe 7); override per band in [radio.OP.capacity]",
        siting_radio::capacity::CAPACITY_SOURCE
    );
    println!(
        "default budget (every preset): maximum path loss {:.1} dB; {}",
        budget.max_path_loss_db(),
        siting_radio::budget::LTE_2015_UPLINK_SOURCE
    );
    Ok(())
}

fn layers(a: LayersArgs) -> Result<()> {
    let source = config_source(a.config);
    let (cfg, _) = siting_engine::Config::load(&source)?;
    let info = siting_engine::inputs::describe_layers(&cfg, &source)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&info)?);
        return Ok(());
    }
    for l in info {
        println!("{} — {}", l.layer, l.file);
        println!(
            "  driver: {}; CRS: {}; features: {}",
            l.driver, l.crs, l.features
        );
        if let Some(e) = l.extent_wgs84 {
            println!(
                "  extent (WGS84): {:.6}, {:.6} – {:.6}, {:.6}",
                e[0], e[1], e[2], e[3]
            );
        }
        let fields: Vec<String> = l.fields.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        println!("  attributes: {}", fields.join(", "));
    }
    Ok(())
}
