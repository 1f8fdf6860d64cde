//! `siting pathloss` from the command line: values, JSON, validity errors.

mod common;

use common::siting;

fn run(args: &[&str]) -> std::process::Output {
    siting()
        .arg("pathloss")
        .args(args)
        .output()
        .expect("run siting")
}

#[test]
fn prints_the_loss_and_json() {
    // rfbudget's COST-231 value: 1800 MHz, 1 km, 30 m, 1.5 m, medium city: 136.197 dB.
    let o = run(&[
        "--model",
        "cost231-hata",
        "--freq-mhz",
        "1800",
        "--distance-m",
        "1000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
    ]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "136.20");
    // ns-3's UMa NLOS vector: 5 GHz, 1 km, 25 m, 1.5 m: 144.7641 dB.
    let o = run(&[
        "--model",
        "3gpp-uma-nlos",
        "--freq-mhz",
        "5000",
        "--distance-m",
        "1000",
        "--tx-height-m",
        "25",
        "--rx-height-m",
        "1.5",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((v["loss_db"].as_f64().unwrap() - 144.7641).abs() < 0.05);
    // Metropolitan adds 3 dB; large city changes a(hm).
    let o = run(&[
        "--model",
        "cost231-hata",
        "--freq-mhz",
        "1800",
        "--distance-m",
        "1000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
        "--metropolitan",
    ]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "139.20");
    let o = run(&[
        "--model",
        "okumura-hata",
        "--freq-mhz",
        "869",
        "--distance-m",
        "2000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1",
        "--city",
        "large",
    ]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "137.93");
}

#[test]
fn out_of_range_is_an_error_unless_allowed() {
    let args = [
        "--model",
        "okumura-hata",
        "--freq-mhz",
        "1800",
        "--distance-m",
        "2000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
    ];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("frequency")
            && e.contains("150–1500 MHz")
            && e.contains("--allow-extrapolation"),
        "{e}"
    );
    let mut allowed = args.to_vec();
    allowed.push("--allow-extrapolation");
    assert!(run(&allowed).status.success());
}

#[test]
fn bad_arguments_are_named() {
    let o = run(&[
        "--model",
        "hata",
        "--freq-mhz",
        "900",
        "--distance-m",
        "2000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown propagation model \"hata\""));
    let o = run(&[
        "--model",
        "free-space",
        "--freq-mhz",
        "900",
        "--distance-m",
        "0",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--distance-m must be a positive number"));
    let o = run(&[
        "--model",
        "okumura-hata",
        "--freq-mhz",
        "900",
        "--distance-m",
        "2000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
        "--environment",
        "forest",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown environment \"forest\""));
}

#[test]
fn options_a_model_does_not_read_are_named() {
    let base = [
        "--model",
        "cost231-hata",
        "--freq-mhz",
        "1800",
        "--distance-m",
        "1000",
        "--tx-height-m",
        "30",
        "--rx-height-m",
        "1.5",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        run(&args)
    };
    // COST-231's medium city and suburban centres are its default area.
    let o = with(&["--environment", "suburban"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "136.20");
    // It has no open-area correction: an error, not the urban figure.
    let o = with(&["--environment", "open"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no open-area correction"));
    // An option of another model: the figure, and a warning naming the flag.
    let o = with(&["--street-width-m", "30"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "136.20");
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("--street-width-m does not apply to cost231-hata"));
}
