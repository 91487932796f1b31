//! The site's static files: the hydration bundle (JS glue and wasm) and the
//! stylesheet. `paperclub assets` (run by `scripts/build-site.sh`) names
//! them after their content and writes brotli and gzip copies beside them;
//! the server holds that folder in memory and serves it as it is, so a
//! browser keeps a file for a year and never asks again: a new build is a
//! new name.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Path as AxumPath;
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The files as the build writes them, and the end of their new names
/// after `paperclub.<hash>`: the public bundle, the bundle of each group of
/// pages (`paperclub_frontend::islands::BUNDLES`) and the stylesheet.
const BUILT: [(&str, &str); 9] = [
    ("paperclub.js", ".js"),
    ("paperclub_bg.wasm", "_bg.wasm"),
    ("paperclub-organiser.js", ".organiser.js"),
    ("paperclub-organiser_bg.wasm", ".organiser_bg.wasm"),
    ("paperclub-member.js", ".member.js"),
    ("paperclub-member_bg.wasm", ".member_bg.wasm"),
    ("paperclub-demos.js", ".demos.js"),
    ("paperclub-demos_bg.wasm", ".demos_bg.wasm"),
    ("paperclub.css", ".css"),
];

/// What `paperclub assets` leaves in `pkg/`, for the server to read.
const MANIFEST: &str = "assets.json";

/// Hex digits of the content hash in a file's name.
const HASH_DIGITS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The files' common name: `paperclub.<hash>`, so the bundle is
    /// `<name>.js` and `<name>_bg.wasm` (what Leptos's `HydrationScripts`
    /// asks for given this output name) and the stylesheet `<name>.css`.
    pub output_name: String,
}

/// Names the freshly built files in `pkg` after one hash of them all (they
/// change together), writes `.br` and `.gz` copies, removes earlier builds'
/// files and writes the manifest.
pub fn prepare(pkg: &Path) -> Result<Manifest> {
    let mut hasher = Sha256::new();
    let mut contents = Vec::new();
    for (file, _) in BUILT {
        let path = pkg.join(file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}: build the site first", path.display()))?;
        hasher.update(&bytes);
        contents.push(bytes);
    }
    let digest = hasher.finalize();
    let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect::<String>()[..HASH_DIGITS].to_owned();
    let output_name = format!("paperclub.{hash}");
    remove_earlier_builds(pkg, &output_name)?;
    for ((file, suffix), bytes) in BUILT.iter().zip(contents) {
        let named = pkg.join(format!("{output_name}{suffix}"));
        std::fs::write(with_suffix(&named, ".br"), brotli(&bytes)?)?;
        std::fs::write(with_suffix(&named, ".gz"), gzip(&bytes)?)?;
        std::fs::write(&named, &bytes)?;
        std::fs::remove_file(pkg.join(file))?;
    }
    let manifest = Manifest { output_name };
    std::fs::write(pkg.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Hashed files of other builds (and their compressed copies). A page
/// rendered just before a deploy may still ask for them, but only for as
/// long as the restart takes; keeping every build would grow the folder for ever.
fn remove_earlier_builds(pkg: &Path, current: &str) -> Result<()> {
    // Copies of the plain names, from builds before the files were hashed.
    for (file, _) in BUILT {
        for suffix in [".gz", ".br"] {
            let _ = std::fs::remove_file(pkg.join(format!("{file}{suffix}")));
        }
    }
    for entry in std::fs::read_dir(pkg)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if hashed_name(&name) && !name.starts_with(current) {
            std::fs::remove_file(pkg.join(&name))?;
        }
    }
    Ok(())
}

/// Whether a file name carries a content hash (`paperclub.<16 hex>...`).
fn hashed_name(name: &str) -> bool {
    name.strip_prefix("paperclub.").and_then(|rest| rest.get(..HASH_DIGITS)).is_some_and(|hash| {
        hash.bytes().all(|b| b.is_ascii_hexdigit()) && name.len() > "paperclub.".len() + HASH_DIGITS
    })
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    // Quality 11 (the slowest, smallest) is fine once per build.
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
    writer.write_all(bytes)?;
    writer.flush()?;
    Ok(writer.into_inner())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// The files' common name for this site root: the manifest's, or the
/// build's own `paperclub` when `paperclub assets` has not run (tests
/// without a built site).
pub fn output_name(site_root: &str) -> String {
    std::fs::read(Path::new(site_root).join("pkg").join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
        .map_or_else(|| "paperclub".to_owned(), |manifest| manifest.output_name)
}

/// A static file with its compressed copies, held in memory: the files are
/// a few megabytes in all, and reading them from disk on every request
/// (as `ServeDir` does, through the blocking pool) made the stylesheet
/// slower than a rendered page.
struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    plain: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Every file in `pkg` but the compressed copies, by name.
fn load(pkg: &Path) -> HashMap<String, Asset> {
    let Ok(entries) = std::fs::read_dir(pkg) else { return HashMap::new() };
    let read = |name: &str| std::fs::read(pkg.join(name)).ok().map(Bytes::from);
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .filter_map(|name| {
            let asset = Asset {
                content_type: content_type(&name),
                cache_control: if hashed_name(&name) { "public, max-age=31536000, immutable" } else { "no-cache" },
                plain: read(&name)?,
                brotli: read(&format!("{name}.br")),
                gzip: read(&format!("{name}.gz")),
            };
            Some((name, asset))
        })
        .collect()
}

/// Whether `Accept-Encoding` takes `coding` (listed without `q=0`).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';').map(str::trim);
        parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding))
            && !parts.any(|param| param.replace(' ', "") == "q=0" || param.replace(' ', "") == "q=0.0")
    })
}

/// `/pkg/*`: the files of this site root, brotli or gzip when the browser
/// takes it, kept for a year when the name carries its hash.
pub fn routes(site_root: &str) -> Router {
    let assets = Arc::new(load(&Path::new(site_root).join("pkg")));
    Router::new().route(
        "/pkg/{file}",
        get(move |AxumPath(file): AxumPath<String>, headers: HeaderMap| {
            let assets = assets.clone();
            async move { serve(&assets, &file, &headers) }
        }),
    )
}

fn serve(assets: &HashMap<String, Asset>, file: &str, headers: &HeaderMap) -> Response {
    let Some(asset) = assets.get(file) else { return StatusCode::NOT_FOUND.into_response() };
    let (encoding, body) = match (&asset.brotli, &asset.gzip) {
        (Some(brotli), _) if accepts(headers, "br") => (Some("br"), brotli.clone()),
        (_, Some(gzip)) if accepts(headers, "gzip") => (Some("gzip"), gzip.clone()),
        _ => (None, asset.plain.clone()),
    };
    let mut response = Response::new(Body::from(body));
    let out = response.headers_mut();
    out.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    out.insert(CACHE_CONTROL, HeaderValue::from_static(asset.cache_control));
    out.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        out.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_is_picked_by_what_the_browser_takes() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
            headers
        };
        assert!(accepts(&with("gzip, deflate, br"), "br"));
        assert!(accepts(&with("br;q=1.0, gzip;q=0.8"), "gzip"));
        assert!(!accepts(&with("br;q=0, gzip"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn only_names_with_a_hash_are_kept_for_a_year() {
        assert!(hashed_name("paperclub.0123456789abcdef.js"));
        assert!(hashed_name("paperclub.0123456789abcdef_bg.wasm.br"));
        assert!(!hashed_name("paperclub.css"));
        assert!(!hashed_name("paperclub_bg.wasm"));
        assert!(!hashed_name("paperclub.0123456789abcdef"));
        assert!(!hashed_name("paperclub.notahashatall0000.js"));
    }

    #[test]
    fn a_build_is_named_after_its_content_with_compressed_copies_and_earlier_builds_go() {
        let pkg = std::env::temp_dir().join(format!("paperclub-assets-{}", std::process::id()));
        std::fs::create_dir_all(&pkg).unwrap();
        let build = |css: &str| {
            std::fs::write(pkg.join("paperclub.js"), "export default function(){}").unwrap();
            std::fs::write(pkg.join("paperclub_bg.wasm"), [0u8, 97, 115, 109]).unwrap();
            for (n, group) in ["organiser", "member", "demos"].iter().enumerate() {
                std::fs::write(
                    pkg.join(format!("paperclub-{group}.js")),
                    format!("export default function(){{ /* {group} */ }}"),
                )
                .unwrap();
                std::fs::write(pkg.join(format!("paperclub-{group}_bg.wasm")), [0u8, 97, 115, 109, n as u8]).unwrap();
            }
            std::fs::write(pkg.join("paperclub.css"), css).unwrap();
            prepare(&pkg).unwrap()
        };
        let first = build("body { color: black }");
        let second = build("body { color: navy }");
        assert_ne!(first, second, "new content, new name");
        let mut names: Vec<String> =
            std::fs::read_dir(&pkg).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let n = &second.output_name;
        let mut expected: Vec<String> = [
            ".css",
            ".js",
            "_bg.wasm",
            ".organiser.js",
            ".organiser_bg.wasm",
            ".member.js",
            ".member_bg.wasm",
            ".demos.js",
            ".demos_bg.wasm",
        ]
        .iter()
        .flat_map(|s| [format!("{n}{s}"), format!("{n}{s}.br"), format!("{n}{s}.gz")])
        .collect();
        expected.push(MANIFEST.to_owned());
        expected.sort();
        assert_eq!(names, expected);
        let css = std::fs::read(pkg.join(format!("{n}.css.gz"))).unwrap();
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&css[..]), &mut plain).unwrap();
        assert_eq!(plain, "body { color: navy }");
        std::fs::remove_dir_all(&pkg).unwrap();
    }
}
