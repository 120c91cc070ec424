//! The model file format, version 2 (version 1 files are read too).
//!
//! Layout (little-endian): the magic `QLCLSF\r\n`, a `u32` format version, a
//! `u32` header length and a JSON header describing every head (name, kind,
//! labels, feature settings, biases, calibration, training metadata, weight
//! scale), then one weight section per head, then a `u64` FNV-1a checksum of
//! everything before it. A weight section lists only buckets with non-zero
//! IDF: a varint gap from the previous such bucket, the IDF as `u16` in
//! units of 1/4096, and one `i16` weight per column in units of the head's
//! `weight_scale`. Readers reject other versions instead of guessing.
//!
//! Version 2 added feature families to the header (`han_words`,
//! `lexicon_hits`) and the names of the dictionary and lexicon a head was
//! trained with; the layout is otherwise the same. A version 1 file reads as
//! a head with those families off, which is what version 1 computed. The
//! version was bumped so that a version 1 reader refuses a head whose
//! features it would silently get wrong.

use crate::error::{Error, Result};
use crate::features::FeatureConfig;
use crate::model::{columns_for, Head, HeadInfo, HeadKind, Model};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"QLCLSF\r\n";
/// The format version this build writes (it reads this one and version 1).
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format version this build reads.
pub const OLDEST_FORMAT_VERSION: u32 = 1;
const IDF_UNIT: f32 = 4096.0;

#[derive(Serialize, Deserialize)]
struct HeadHeader {
    name: String,
    kind: HeadKind,
    labels: Vec<String>,
    features: FeatureConfig,
    info: HeadInfo,
    bias: Vec<f32>,
    calib_scale: Vec<f32>,
    calib_shift: Vec<f32>,
    prior_shift: Vec<f32>,
    weight_scale: f32,
    stored_buckets: usize,
}

#[derive(Serialize, Deserialize)]
struct Header {
    heads: Vec<HeadHeader>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

impl Model {
    /// Serialises the model in the current format version.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut sections = Vec::new();
        let mut headers = Vec::new();
        for head in &self.heads {
            let stride = 1 + head.columns;
            let max_w = head
                .table
                .chunks_exact(stride)
                .flat_map(|r| &r[1..])
                .fold(0f32, |m, w| m.max(w.abs()));
            let weight_scale = if max_w > 0.0 { max_w / 32767.0 } else { 1.0 };
            let mut section = Vec::new();
            let mut prev = 0u64;
            let mut stored = 0usize;
            for (bucket, row) in head.table.chunks_exact(stride).enumerate() {
                let idf_q = (row[0] * IDF_UNIT).round().clamp(0.0, 65535.0) as u16;
                if idf_q == 0 {
                    continue;
                }
                put_varint(&mut section, bucket as u64 - prev);
                prev = bucket as u64;
                stored += 1;
                section.extend_from_slice(&idf_q.to_le_bytes());
                for w in &row[1..] {
                    let q = (w / weight_scale).round().clamp(-32767.0, 32767.0) as i16;
                    section.extend_from_slice(&q.to_le_bytes());
                }
            }
            sections.push(section);
            headers.push(HeadHeader {
                name: head.name.clone(),
                kind: head.kind,
                labels: head.labels.clone(),
                features: head.features.clone(),
                info: head.info.clone(),
                bias: head.bias.clone(),
                calib_scale: head.calib_scale.clone(),
                calib_shift: head.calib_shift.clone(),
                prior_shift: head.prior_shift.clone(),
                weight_scale,
                stored_buckets: stored,
            });
        }
        let header =
            serde_json::to_vec(&Header { heads: headers }).expect("model header serialises");
        let mut out =
            Vec::with_capacity(16 + header.len() + sections.iter().map(Vec::len).sum::<usize>());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        for s in &sections {
            out.extend_from_slice(s);
        }
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model from bytes written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let bad = |m: &str| Error::Format(m.to_owned());
        if bytes.len() < 24 || &bytes[..8] != MAGIC {
            return Err(bad("not a Qinglang classifier model (bad magic)"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
            return Err(Error::Version {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        if fnv1a(body) != u64::from_le_bytes(sum.try_into().expect("8 bytes")) {
            return Err(bad("checksum mismatch (file truncated or damaged)"));
        }
        let header_len = u32::from_le_bytes(body[12..16].try_into().expect("4 bytes")) as usize;
        let header_end = 16usize
            .checked_add(header_len)
            .filter(|&e| e <= body.len())
            .ok_or_else(|| bad("header runs past the end"))?;
        let header: Header = serde_json::from_slice(&body[16..header_end])
            .map_err(|e| Error::Format(format!("header: {e}")))?;
        let mut cursor = Cursor {
            bytes: body,
            pos: header_end,
        };
        let mut heads = Vec::with_capacity(header.heads.len());
        for h in header.heads {
            h.features
                .validate()
                .map_err(|e| Error::Format(format!("head `{}`: {e}", h.name)))?;
            let columns = columns_for(h.kind, h.labels.len());
            if h.labels.len() < 2 && h.kind == HeadKind::Multiclass || h.labels.is_empty() {
                return Err(Error::Format(format!(
                    "head `{}` has too few labels",
                    h.name
                )));
            }
            for v in [&h.bias, &h.calib_scale, &h.calib_shift, &h.prior_shift] {
                if v.len() != columns {
                    return Err(Error::Format(format!(
                        "head `{}`: expected {columns} values per column field",
                        h.name
                    )));
                }
            }
            let stride = 1 + columns;
            let buckets = h.features.buckets();
            // Refuse tables no real model needs before allocating them (2^28 floats = 1 GiB).
            if columns > 4096 || buckets.saturating_mul(stride) > 1 << 28 {
                return Err(Error::Format(format!(
                    "head `{}` is implausibly large",
                    h.name
                )));
            }
            let mut table = vec![0f32; buckets * stride];
            let mut bucket = 0u64;
            for i in 0..h.stored_buckets {
                let gap = cursor.varint()?;
                bucket = bucket
                    .checked_add(gap)
                    .ok_or_else(|| bad("bucket index overflow"))?;
                if bucket as usize >= buckets || (i > 0 && gap == 0) {
                    return Err(Error::Format(format!(
                        "head `{}`: bucket {bucket} out of order or range",
                        h.name
                    )));
                }
                let row = &mut table[bucket as usize * stride..][..stride];
                row[0] = f32::from(cursor.u16()?) / IDF_UNIT;
                for w in &mut row[1..] {
                    *w = f32::from(cursor.u16()? as i16) * h.weight_scale;
                }
            }
            heads.push(Head {
                name: h.name,
                kind: h.kind,
                labels: h.labels,
                features: h.features,
                info: h.info,
                columns,
                table,
                bias: h.bias,
                calib_scale: h.calib_scale,
                calib_shift: h.calib_shift,
                prior_shift: h.prior_shift,
            });
        }
        if cursor.pos != body.len() {
            return Err(bad("trailing bytes after the last head"));
        }
        Ok(Model { heads })
    }

    /// Reads a model file.
    pub fn load(path: &std::path::Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes).map_err(|e| match e {
            Error::Format(m) => Error::Format(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &std::path::Path) -> Result<()> {
        std::fs::write(path, self.to_bytes()).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn u16(&mut self) -> Result<u16> {
        let b = self
            .bytes
            .get(self.pos..self.pos + 2)
            .ok_or_else(|| Error::Format("weights truncated".into()))?;
        self.pos += 2;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn varint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self
                .bytes
                .get(self.pos)
                .ok_or_else(|| Error::Format("weights truncated".into()))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Error::Format("varint too long".into()))
    }
}
