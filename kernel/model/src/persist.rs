//! The model file: `MAGIC`, format version (u16 LE), payload length (u64 LE), SHA-256 of the
//! payload, then the bincode payload. Every check happens before decoding, so a bad file is
//! a clear error and never a panic or a huge allocation.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{Classifier, Columns, Metadata, ModelError, TrainOptions};

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"FAISCANB";
/// The format this build writes and the newest it reads.
/// (2: typed training columns instead of a free-text description.)
pub const FORMAT_VERSION: u16 = 2;
const HEADER_LEN: usize = 8 + 2 + 8 + 32;
/// Refuse payloads past this size instead of allocating for a corrupted length.
const MAX_PAYLOAD: u64 = 1 << 30;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<{ 1 << 30 }>()
}

impl Classifier {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let payload =
            bincode::serde::encode_to_vec(self, config()).map_err(|e| ModelError::Corrupted {
                path: "(in memory)".into(),
                detail: format!("cannot encode: {e}"),
            })?;
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&payload));
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Parses a model file's bytes; `name` is used in error messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Classifier, ModelError> {
        Self::from_bytes_until(bytes, name, &|| false)
    }

    /// [`Classifier::from_bytes`], polling `stop` while it checks the checksum.
    fn from_bytes_until(
        bytes: &[u8],
        name: &str,
        stop: &dyn Fn() -> bool,
    ) -> Result<Classifier, ModelError> {
        let corrupted = |detail: &str| ModelError::Corrupted {
            path: name.to_string(),
            detail: detail.into(),
        };
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::NotAModel(name.to_string()));
        }
        if bytes.len() < HEADER_LEN {
            return Err(corrupted("header cut short"));
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version > FORMAT_VERSION {
            return Err(ModelError::NewerFormat {
                path: name.to_string(),
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if version == 0 {
            return Err(corrupted("format version 0"));
        }
        let len = u64::from_le_bytes(bytes[10..18].try_into().expect("8 bytes"));
        if len > MAX_PAYLOAD {
            return Err(corrupted("implausible payload length"));
        }
        let payload = &bytes[HEADER_LEN..];
        if (payload.len() as u64) < len {
            return Err(corrupted(&format!(
                "expected {len} payload bytes, found {}",
                payload.len()
            )));
        }
        if (payload.len() as u64) > len {
            return Err(corrupted("trailing bytes after the payload"));
        }
        let mut hasher = Sha256::new();
        for chunk in payload.chunks(16 << 20) {
            if stop() {
                return Err(ModelError::Interrupted);
            }
            hasher.update(chunk);
        }
        if hasher.finalize().as_slice() != &bytes[18..50] {
            return Err(corrupted("checksum mismatch"));
        }
        let decoded = if version == 1 {
            bincode::serde::decode_from_slice::<ClassifierV1, _>(payload, config())
                .map(|(v1, _)| Classifier::from(v1))
        } else {
            bincode::serde::decode_from_slice(payload, config()).map(|(m, _)| m)
        };
        let mut model = decoded.map_err(|e| corrupted(&format!("cannot decode: {e}")))?;
        let k = model.labels.len();
        if k < 2
            || model.class_log_prior.len() != k
            || model.feature_log_prob.len() != model.vocabulary.len() * k
        {
            return Err(corrupted("inconsistent dimensions"));
        }
        model.build_index();
        Ok(model)
    }

    /// Writes the model next to `path` and renames it into place, so a failed save never
    /// leaves a half-written model behind.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let io = |source| ModelError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
        let bytes = self.to_bytes()?;
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Classifier, ModelError> {
        Self::load_until(path, &|| false)
    }

    /// Reads a model file, polling `stop` between chunks. Only a regular file is opened (a
    /// FIFO would block forever), and its header is checked before the rest is read, so a
    /// large file that is not a model is refused at once.
    pub fn load_until(path: &Path, stop: &dyn Fn() -> bool) -> Result<Classifier, ModelError> {
        let name = path.display().to_string();
        let io = |source| ModelError::Io {
            path: name.clone(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(ModelError::NotAFile(name));
        }
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut header = [0u8; HEADER_LEN];
        let got = read_up_to(&mut file, &mut header).map_err(io)?;
        if got < MAGIC.len() || &header[..MAGIC.len()] != MAGIC {
            return Err(ModelError::NotAModel(name));
        }
        if got == HEADER_LEN {
            let len = u64::from_le_bytes(header[10..18].try_into().expect("8 bytes"));
            if len > MAX_PAYLOAD || meta.len() != HEADER_LEN as u64 + len {
                // from_bytes names what is wrong; do not read a huge body to learn it.
                return Classifier::from_bytes(&header[..got], &name);
            }
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        bytes.extend_from_slice(&header[..got]);
        let mut chunk = vec![0u8; 1 << 20];
        loop {
            if stop() {
                return Err(ModelError::Interrupted);
            }
            let n = read_up_to(&mut file, &mut chunk).map_err(io)?;
            bytes.extend_from_slice(&chunk[..n]);
            if n < chunk.len() {
                break;
            }
        }
        Classifier::from_bytes_until(&bytes, &name, stop)
    }
}

/// Fills `buf` as far as the file goes; the count read.
fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Format 1: the training columns lived in a description, `text=a+b label=c`.
#[derive(serde::Deserialize)]
struct ClassifierV1 {
    vocabulary: Vec<String>,
    labels: Vec<String>,
    class_log_prior: Vec<f64>,
    feature_log_prob: Vec<f64>,
    stop_words: Vec<String>,
    metadata: MetadataV1,
}

#[derive(serde::Deserialize)]
struct MetadataV1 {
    trained_at: String,
    rows: usize,
    accuracy: Option<f64>,
    data_sha256: String,
    description: String,
    options: TrainOptions,
}

impl From<ClassifierV1> for Classifier {
    fn from(v1: ClassifierV1) -> Self {
        // Format-1 files came from the chapter's training: its columns are the default.
        let mut columns = Columns {
            text: vec!["nome".into(), "descricao".into()],
            label: "categoria".into(),
        };
        for part in v1.metadata.description.split_whitespace() {
            if let Some(t) = part.strip_prefix("text=") {
                columns.text = t.split('+').map(str::to_string).collect();
            } else if let Some(l) = part.strip_prefix("label=") {
                columns.label = l.to_string();
            }
        }
        let m = v1.metadata;
        Classifier {
            vocabulary: v1.vocabulary,
            labels: v1.labels,
            class_log_prior: v1.class_log_prior,
            feature_log_prob: v1.feature_log_prob,
            stop_words: v1.stop_words,
            metadata: Metadata {
                trained_at: m.trained_at,
                rows: m.rows,
                accuracy: m.accuracy,
                data_sha256: m.data_sha256,
                columns,
                options: m.options,
            },
            index: Default::default(),
        }
    }
}
