//! `siting`: the command-line binary.

use anyhow::{Context, Result};
use clap::Parser;
use siting_cli::cli::{
    BandsArgs, Cli, Command, ConvertArgs, LayersArgs, MclpArgs, MclpInstanceArgs, PathlossArgs,
    PlanArgs, SynthArgs,
};
use siting_cli::embedded;
use siting_engine::ConfigSource;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if cli.quiet { "warn" } else { "info" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    match cli.command {
        Command::Plan(a) => plan(a),
        Command::Synth(a) => synth(a),
        Command::Pathloss(a) => pathloss(a),
        Command::Convert(a) => convert(a),
        Command::Layers(a) => layers(a),
        Command::Bands(a) => bands(a),
        Command::Mclp(a) => mclp(a),
        Command::MclpInstance(a) => mclp_instance(a),
    }
}

fn mclp(a: MclpArgs) -> Result<()> {
    let time_limit = match a.time_limit {
        None => None,
        Some(s) if s.is_finite() && s > 0.0 => Some(std::time::Duration::from_secs_f64(s)),
        Some(s) => anyhow::bail!("--time-limit must be a positive number of seconds, got {s}"),
    };
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
        s.objective,
        100.0 * s.covered_share(),
        s.total_weight,
        s.upper_bound,
        s.bound_method,
        100.0 * s.gap(),
        s.greedy_objective
    );
    for w in written {
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

fn plan(a: PlanArgs) -> Result<()> {
    let source = match a.config {
        Some(p) => ConfigSource::File(p),
        None => embedded::config(),
    };
    tracing::info!("planning from {}", source.label());
    let out = siting_engine::run(&source)?;
    for (stage, secs) in &out.timings {
        tracing::info!("{stage}: {secs:.2} s");
    }
    let written = siting_engine::write(&out, &a.out)?;
    let r = &out.report;
    println!(
        "{} new base stations on {} sites ({} new, {} existing shared); sharing rate {:.1}%; cost {:.2} billion yuan",
        r.new_base_stations.total,
        r.sites_new + r.sites_existing_shared,
        r.sites_new,
        r.sites_existing_shared,
        r.sharing_rate * 100.0,
        r.cost_yuan_total / 1e9
    );
    for t in &r.targets {
        println!(
            "{} {}: {}",
            t.id,
            if t.met { "met" } else { "NOT met" },
            t.required
        );
    }
    for w in written {
        println!("wrote {}", w.display());
    }
    Ok(())
}

fn synth(a: SynthArgs) -> Result<()> {
    let params = siting_synth::SynthParams {
        seed: a.seed,
        cell_m: a.cell_m,
        existing_sites: a.existing_sites,
        greenfield_towers: a.greenfield_towers,
        ..Default::default()
    };
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
    for w in written {
        println!("wrote {}", w.display());
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
        println!("  source: {}", b.source);
    }
    println!(
        "default budget (every preset): maximum path loss {:.1} dB; {}",
        budget.max_path_loss_db(),
        siting_radio::budget::LTE_2015_UPLINK_SOURCE
    );
    Ok(())
}

fn layers(a: LayersArgs) -> Result<()> {
    let source = match a.config {
        Some(p) => ConfigSource::File(p),
        None => embedded::config(),
    };
    let cfg = siting_engine::Config::load(&source)?;
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
