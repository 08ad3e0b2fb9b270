//! `faisca install`: writes the kernelspec (kernel.json + logos from `kernelspec/`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::Value;

const TEMPLATE: &str = include_str!("../../../kernelspec/kernel.json");
const LOGO_32: &[u8] = include_bytes!("../../../kernelspec/logo-32x32.png");
const LOGO_64: &[u8] = include_bytes!("../../../kernelspec/logo-64x64.png");

#[derive(clap::Args)]
pub struct InstallArgs {
    /// Install for the current user (the default).
    #[arg(long, conflicts_with_all = ["sys_prefix", "prefix"])]
    user: bool,
    /// Install into the active virtualenv or conda environment.
    #[arg(long, conflicts_with = "prefix")]
    sys_prefix: bool,
    /// Install into PREFIX/share/jupyter/kernels.
    #[arg(long)]
    prefix: Option<PathBuf>,
    /// Map /data/... paths in notebooks to this folder.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Map /model/... paths in notebooks to this folder.
    #[arg(long)]
    model_dir: Option<PathBuf>,
    /// The kernelspec's name.
    #[arg(long, default_value = "faisca")]
    name: String,
    /// Run the notebooks on this Spark Connect server (`sc://host:15002`): sets
    /// SPARK_REMOTE and names the kernel "Faísca (Spark Connect)".
    #[arg(long)]
    remote: Option<String>,
}

fn user_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("JUPYTER_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("jupyter"));
    }
    let home = std::env::var_os("HOME").context("HOME is not set; use --prefix")?;
    Ok(PathBuf::from(home).join(".local/share/jupyter"))
}

fn kernels_dir(args: &InstallArgs) -> anyhow::Result<PathBuf> {
    if let Some(prefix) = &args.prefix {
        return Ok(prefix.join("share/jupyter/kernels"));
    }
    if args.sys_prefix {
        let prefix = std::env::var_os("VIRTUAL_ENV")
            .or_else(|| std::env::var_os("CONDA_PREFIX"))
            .context(
                "--sys-prefix needs an active virtualenv or conda env (VIRTUAL_ENV / CONDA_PREFIX)",
            )?;
        return Ok(PathBuf::from(prefix).join("share/jupyter/kernels"));
    }
    Ok(user_data_dir()?.join("kernels"))
}

/// The kernel.json for a binary at `exe`.
pub fn kernel_json(
    exe: &Path,
    data_dir: Option<&Path>,
    model_dir: Option<&Path>,
    remote: Option<&str>,
) -> anyhow::Result<Value> {
    let mut spec: Value =
        serde_json::from_str(TEMPLATE).context("kernelspec/kernel.json is not valid JSON")?;
    let argv = spec["argv"]
        .as_array_mut()
        .context("kernel.json has no argv")?;
    for arg in argv.iter_mut() {
        if arg == "{faisca}" {
            *arg = Value::String(exe.display().to_string());
        }
    }
    let env = spec["env"]
        .as_object_mut()
        .context("kernel.json has no env")?;
    for (key, dir) in [
        ("FAISCA_DATA_DIR", data_dir),
        ("FAISCA_MODEL_DIR", model_dir),
    ] {
        if let Some(dir) = dir {
            let abs =
                std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
            env.insert(key.into(), Value::String(abs.display().to_string()));
        }
    }
    if let Some(url) = remote {
        faisca_connect::Endpoint::parse(url)?;
        env.insert("SPARK_REMOTE".into(), Value::String(url.to_string()));
        spec["display_name"] = Value::String("Faísca (Spark Connect)".into());
    }
    Ok(spec)
}

pub fn run(args: InstallArgs) -> anyhow::Result<()> {
    if args.name.is_empty() || args.name.contains(['/', '\\']) {
        bail!("invalid kernelspec name {:?}", args.name);
    }
    let exe = std::env::current_exe().context("locating the faisca binary")?;
    let exe = exe.canonicalize().unwrap_or(exe);
    let dir = kernels_dir(&args)?.join(&args.name);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let spec = kernel_json(
        &exe,
        args.data_dir.as_deref(),
        args.model_dir.as_deref(),
        args.remote.as_deref(),
    )?;
    std::fs::write(
        dir.join("kernel.json"),
        serde_json::to_string_pretty(&spec)? + "\n",
    )
    .with_context(|| format!("writing {}", dir.join("kernel.json").display()))?;
    std::fs::write(dir.join("logo-32x32.png"), LOGO_32)?;
    std::fs::write(dir.join("logo-64x64.png"), LOGO_64)?;
    println!("Installed kernelspec {} in {}", args.name, dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_json_points_at_the_binary_and_maps_dirs() {
        let spec = kernel_json(
            Path::new("/opt/faisca"),
            Some(Path::new("/srv/data")),
            None,
            None,
        )
        .unwrap();
        assert_eq!(spec["argv"][0], "/opt/faisca");
        assert_eq!(spec["argv"][3], "{connection_file}");
        assert_eq!(spec["interrupt_mode"], "message");
        assert_eq!(spec["env"]["FAISCA_DATA_DIR"], "/srv/data");
        assert!(spec["env"].get("FAISCA_MODEL_DIR").is_none());
    }

    #[test]
    fn a_remote_kernelspec_names_its_server_and_refuses_bad_urls() {
        let url = "sc://spark.example:15002/;user_id=ana";
        let spec = kernel_json(Path::new("/opt/faisca"), None, None, Some(url)).unwrap();
        assert_eq!(spec["env"]["SPARK_REMOTE"], url);
        assert_eq!(spec["display_name"], "Faísca (Spark Connect)");
        let plain = kernel_json(Path::new("/opt/faisca"), None, None, None).unwrap();
        assert!(plain["env"].get("SPARK_REMOTE").is_none());
        assert_ne!(plain["display_name"], "Faísca (Spark Connect)");
        assert!(kernel_json(Path::new("/opt/faisca"), None, None, Some("http://x:1")).is_err());
    }
}
