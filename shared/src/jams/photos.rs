//! Jam photos: the upload form for a series photo (signed by [`crate::adapters::s3`]; with or
//! without JavaScript), and the processing of the upload into a clean JPEG and a thumbnail.
//!
//! The upload goes straight to S3 because a Lambda request body is capped at 6 MB and photos may be
//! up to [`MAX_UPLOAD_BYTES`]. [`upload_form`] signs a POST policy that fixes the bucket, the key,
//! the redirect back to the app and the size range; the browser posts the form (a plain
//! `multipart/form-data` form works) and S3 answers `303 See Other` to the redirect URL. The app
//! then reads the object, calls [`process`] (which decodes and re-encodes it, so EXIF and its GPS
//! position are gone), stores the two JPEGs with [`CONTENT_TYPE`] and [`CACHE_CONTROL`], and
//! deletes the raw upload.

use std::{fmt, io::Cursor, time::Duration};

use aws_sdk_s3::config::ProvideCredentials as _;
use image::{
    DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage,
    codecs::jpeg::JpegEncoder,
    imageops::{self, FilterType},
    metadata::Orientation,
};

use super::series::{self, Photo, SeriesError};
use crate::{
    Context, Error,
    adapters::s3::{UploadCredentials, UploadForm, UploadPolicy, origin_of, upload_form},
    authorization::{Operation, Principal},
    ids::SeriesId,
};

/// The largest photo a user may upload: enforced by the POST policy and again by [`process`].
pub const MAX_UPLOAD_BYTES: u64 = 8 * 1024 * 1024;
/// The longest side of the stored photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// The longest side of the thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 400;
/// The content type of both stored images.
pub const CONTENT_TYPE: &str = "image/jpeg";
/// Stored photos never change (a new photo gets a new key), so caches may keep them for a year.
pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Decoder limits against decompression bombs: a few hundred bytes of PNG can declare a
/// 60000 × 60000 image. Checked from the header, before any pixel is allocated.
const MAX_DIMENSION: u32 = 12_000;
const MAX_PIXELS: u64 = 50_000_000;
/// The decoded image (before the RGB conversion) may take at most this much memory.
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// Quality of both JPEGs: the usual web compromise (a 1600 × 1200 photo comes out at 250–450 KB).
const JPEG_QUALITY: u8 = 82;

/// Why a photo was refused. The `Display` text is written for the person who uploaded it.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The bytes are not a JPEG, PNG or WebP file (by their signature, not their name).
    #[error("That file is not a JPEG, PNG or WebP image.")]
    NotAnImage,
    /// The file is larger than [`MAX_UPLOAD_BYTES`].
    #[error("That file is larger than {} MB. Please choose a smaller photo.", MAX_UPLOAD_BYTES / (1024 * 1024))]
    TooLarge,
    /// The image declares more pixels than we decode (a decompression bomb, or a huge panorama).
    #[error(
        "That image has too many pixels (at most {MAX_DIMENSION} on a side and {} megapixels). \
         Please choose a smaller photo.",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels,
    /// The file starts like an image but cannot be decoded: truncated or corrupt.
    #[error("That image could not be read; the file may be damaged. Please try another photo.")]
    Unreadable(#[source] ImageError),
    /// Encoding the result failed. Not the user's fault; should not happen.
    #[error("That photo could not be processed. Please try again.")]
    Encode(#[source] ImageError),
}

/// A processed photo: both images are baseline JPEGs without any metadata.
#[derive(Clone, PartialEq, Eq)]
pub struct Processed {
    /// The photo, at most [`MAX_SIDE`] pixels on its longest side.
    pub full: Vec<u8>,
    /// The thumbnail, at most [`THUMBNAIL_SIDE`] pixels on its longest side.
    pub thumbnail: Vec<u8>,
    /// Width of `full`, in pixels.
    pub width: u32,
    /// Height of `full`, in pixels.
    pub height: u32,
}

impl fmt::Debug for Processed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Processed")
            .field("full_bytes", &self.full.len())
            .field("thumbnail_bytes", &self.thumbnail.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// Decodes an uploaded photo and re-encodes it: upright (EXIF orientation applied), transparent
/// areas on white, fitted into [`MAX_SIDE`] (never enlarged) plus a [`THUMBNAIL_SIDE`] thumbnail,
/// both JPEG. Nothing of the original file but its pixels survives, so EXIF (camera, GPS
/// position), XMP, IPTC and ICC data are dropped (a wide-gamut photo is then shown as if sRGB:
/// slightly duller colours).
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_UPLOAD_BYTES) {
        return Err(PhotoError::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Unreadable(e.into()))?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(PhotoError::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);

    // The header is read here; the width/height limits are checked before pixels are decoded.
    let mut decoder = reader.into_decoder().map_err(decoding_error)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(PhotoError::TooManyPixels);
    }
    // A broken EXIF block is no reason to refuse the photo: show it as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let decoded = DynamicImage::from_decoder(decoder).map_err(decoding_error)?;

    let rgb = flatten_on_white(decoded);
    // The box is square, so fitting before rotating gives the same size and rotates fewer pixels.
    let mut full = DynamicImage::ImageRgb8(fit(&rgb, MAX_SIDE));
    drop(rgb);
    full.apply_orientation(orientation);
    let full = full.into_rgb8();
    let thumbnail = fit(&full, THUMBNAIL_SIDE);

    Ok(Processed {
        width: full.width(),
        height: full.height(),
        full: encode_jpeg(&full)?,
        thumbnail: encode_jpeg(&thumbnail)?,
    })
}

fn decoding_error(error: ImageError) -> PhotoError {
    match error {
        ImageError::Limits(_) => PhotoError::TooManyPixels,
        other => PhotoError::Unreadable(other),
    }
}

/// Converts to 8-bit RGB; transparent pixels are composited onto white (JPEG has no alpha, and
/// dropping it would show whatever colour the transparent pixels happen to hold, often black).
fn flatten_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (target, source) in out.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = source.0;
        let alpha = u32::from(a);
        let over_white = |c: u8| {
            let blended = (u32::from(c) * alpha + 255 * (255 - alpha) + 127) / 255;
            u8::try_from(blended).unwrap_or(u8::MAX)
        };
        target.0 = [over_white(r), over_white(g), over_white(b)];
    }
    out
}

/// Scales `image` down to fit a `side` × `side` box, keeping its aspect ratio; a smaller image is
/// returned as is. A reduction of 2× or more averages the source pixels under each target pixel
/// (an area filter: good for shrinking photos, and ~10× faster than `imageops::resize`, which also
/// needs 16 bytes of scratch memory per pixel); a smaller reduction, where the area filter would
/// alias, uses Catmull-Rom (as fast as a triangle filter here, and sharper).
fn fit(image: &RgbImage, side: u32) -> RgbImage {
    let (width, height) = image.dimensions();
    if width <= side && height <= side {
        return image.clone();
    }
    let (target_width, target_height) = fitted(width, height, side);
    if width >= 2 * target_width && height >= 2 * target_height {
        imageops::thumbnail(image, target_width, target_height)
    } else {
        imageops::resize(image, target_width, target_height, FilterType::CatmullRom)
    }
}

/// The size of a `width` × `height` image scaled so that its longest side is `side`.
fn fitted(width: u32, height: u32, side: u32) -> (u32, u32) {
    let longest = u64::from(width.max(height));
    let scale = |d: u32| {
        let scaled = (u64::from(d) * u64::from(side) + longest / 2) / longest;
        u32::try_from(scaled).unwrap_or(side).clamp(1, side)
    };
    (scale(width), scale(height))
}

fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(PhotoError::Encode)?;
    Ok(out)
}

/// Where the browser uploads a new photo of a series, and what it must send.
#[derive(Clone, Debug)]
pub struct PhotoUpload {
    pub form: UploadForm,
    /// The origin the form posts to (for the page's `form-action` policy).
    pub origin: String,
}

/// The raw upload's key: chosen by us, under the series, with a random name.
fn upload_key(series: &SeriesId, upload: &str) -> String {
    format!("uploads/{series}/{upload}")
}

/// A presigned POST for a new photo of series `id`: the browser sends the file straight to the
/// bucket, which redirects it back to `redirect?upload=…`.
pub async fn upload_form_for(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    redirect: &str,
) -> Result<PhotoUpload, SeriesError> {
    series::access(ctx, principal, id, Operation::EditSeries).await?;
    let upload = crate::ids::base32(&crate::ids::random_bytes::<16>());
    let key = upload_key(id, &upload);
    let redirect = format!("{redirect}?upload={upload}");
    let credentials = ctx
        .aws
        .credentials_provider()
        .ok_or(Error::Bug("the S3 client has no credentials"))?
        .provide_credentials()
        .await
        .map_err(|error| Error::failed("loading credentials", error))?;
    let region = ctx
        .aws
        .region()
        .map(|region| region.as_ref().to_owned())
        .unwrap_or_else(|| "us-east-1".to_owned());
    let endpoint = ctx.config.aws_endpoint_url.clone().unwrap_or_default();
    let form = upload_form(
        &UploadPolicy {
            endpoint: &endpoint,
            path_style: ctx.config.aws_endpoint_url.is_some(),
            bucket: &ctx.config.photo_bucket,
            region: &region,
            key: &key,
            redirect: &redirect,
            now: ctx.clock.now(),
            expires_in: Duration::from_secs(3600),
            max_bytes: MAX_UPLOAD_BYTES,
        },
        &UploadCredentials {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token().map(str::to_owned),
        },
    );
    let origin = origin_of(&form.url);
    Ok(PhotoUpload { form, origin })
}

/// Why an upload did not become the series' photo.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error("We did not receive the photo. Choose the file again and upload it.")]
    Missing,
    #[error(transparent)]
    Series(#[from] SeriesError),
}

impl From<Error> for UploadError {
    fn from(error: Error) -> Self {
        Self::Series(error.into())
    }
}

/// Takes the raw upload `upload` of series `id`: decodes and re-encodes it (dropping EXIF and
/// GPS), stores the photo and its thumbnail with long cache headers, makes it the series'
/// photo, and deletes the raw upload and the photo it replaces. A bad file leaves the series
/// as it was, and its upload is deleted too.
#[tracing::instrument(skip_all)]
pub async fn accept_upload(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    upload: &str,
) -> Result<Photo, UploadError> {
    series::access(ctx, principal, id, Operation::EditSeries).await?;
    if upload.is_empty() || upload.len() > 64 || !upload.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(UploadError::Missing);
    }
    let bucket = &ctx.config.photo_bucket;
    let key = upload_key(id, upload);
    let object = match ctx
        .photos
        .get_object()
        .bucket(bucket)
        .key(&key)
        .send()
        .await
    {
        Ok(object) => object,
        Err(error) if error.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
            return Err(UploadError::Missing);
        }
        Err(error) => return Err(Error::aws("reading an upload", error).into()),
    };
    if object
        .content_length()
        .is_some_and(|length| u64::try_from(length).unwrap_or(u64::MAX) > MAX_UPLOAD_BYTES)
    {
        delete_object(ctx, &key).await?;
        return Err(PhotoError::TooLarge.into());
    }
    let bytes = object
        .body
        .collect()
        .await
        .map_err(|error| Error::failed("reading an upload", error))?
        .into_bytes();
    let processed = tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(|error| Error::failed("processing a photo", error))?;
    let processed = match processed {
        Ok(processed) => processed,
        Err(error) => {
            delete_object(ctx, &key).await?;
            return Err(error.into());
        }
    };
    let photo = Photo {
        key: format!("photos/{id}/{upload}.jpg"),
        width: processed.width,
        height: processed.height,
    };
    for (object_key, bytes) in [
        (photo.key.clone(), processed.full),
        (photo.thumbnail_key(), processed.thumbnail),
    ] {
        ctx.photos
            .put_object()
            .bucket(bucket)
            .key(object_key)
            .content_type(CONTENT_TYPE)
            .cache_control(CACHE_CONTROL)
            .body(bytes.into())
            .send()
            .await
            .map_err(|error| Error::aws("storing a photo", error))?;
    }
    let replaced = series::set_photo(ctx, principal, id, Some(photo.clone())).await?;
    delete_object(ctx, &key).await?;
    if let Some(old) = replaced {
        delete_photo_objects(ctx, &old).await?;
    }
    Ok(photo)
}

/// Removes the series' photo and its objects.
pub async fn remove(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<(), SeriesError> {
    if let Some(old) = series::set_photo(ctx, principal, id, None).await? {
        delete_photo_objects(ctx, &old).await?;
    }
    Ok(())
}

pub(crate) async fn delete_photo_objects(ctx: &Context, photo: &Photo) -> Result<(), Error> {
    delete_object(ctx, &photo.key).await?;
    delete_object(ctx, &photo.thumbnail_key()).await
}

async fn delete_object(ctx: &Context, key: &str) -> Result<(), Error> {
    ctx.photos
        .delete_object()
        .bucket(&ctx.config.photo_bucket)
        .key(key)
        .send()
        .await
        .map(drop)
        .map_err(|error| Error::aws("deleting an upload", error))
}

/// A stored photo (or thumbnail) of a series, to serve: its bytes, type and cache policy.
/// Only processed photos are served, never raw uploads.
pub async fn stored(ctx: &Context, key: &str) -> Result<Option<Vec<u8>>, Error> {
    let valid = key.starts_with("photos/")
        && key.ends_with(".jpg")
        && !key.contains("..")
        && key.len() <= 200;
    if !valid {
        return Ok(None);
    }
    match ctx
        .photos
        .get_object()
        .bucket(&ctx.config.photo_bucket)
        .key(key)
        .send()
        .await
    {
        Ok(object) => Ok(Some(
            object
                .body
                .collect()
                .await
                .map_err(|error| Error::failed("reading a photo", error))?
                .into_bytes()
                .to_vec(),
        )),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_no_such_key()) => Ok(None),
        Err(error) => Err(Error::aws("reading a photo", error)),
    }
}

/// Photos for tests: camera-like JPEGs with an Exif block that holds GPS data.
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures {
    use image::{Rgb, RgbImage, codecs::jpeg::JpegEncoder};

    pub const GPS_MARKER: &[u8] = b"JAMIE-SECRET-SPOT";

    /// A photo-like gradient, so the JPEG encoder has something to do.
    pub fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        })
    }

    pub fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(image)
            .unwrap();
        out
    }

    /// A little-endian TIFF block as cameras write it: IFD0 with Orientation and a GPSInfo
    /// pointer, a GPS IFD with latitude and a map datum holding [`GPS_MARKER`].
    pub fn exif_tiff(orientation: u16) -> Vec<u8> {
        fn entry(t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&kind.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&value);
        }
        const ASCII: u16 = 2;
        const SHORT: u16 = 3;
        const LONG: u16 = 4;
        const RATIONAL: u16 = 5;
        let gps_ifd: u32 = 8 + 2 + 2 * 12 + 4; // after the header and IFD0
        let latitude: u32 = gps_ifd + 2 + 3 * 12 + 4; // after the GPS IFD
        let datum: u32 = latitude + 3 * 8;
        let datum_len = u32::try_from(GPS_MARKER.len() + 1).unwrap();

        let mut t = b"II\x2a\x00".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&2u16.to_le_bytes());
        let [o0, o1] = orientation.to_le_bytes();
        entry(&mut t, 0x0112, SHORT, 1, [o0, o1, 0, 0]);
        entry(&mut t, 0x8825, LONG, 1, gps_ifd.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(t.len(), gps_ifd as usize);
        t.extend_from_slice(&3u16.to_le_bytes());
        entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
        entry(&mut t, 0x0002, RATIONAL, 3, latitude.to_le_bytes());
        entry(&mut t, 0x0012, ASCII, datum_len, datum.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(t.len(), latitude as usize);
        for (numerator, denominator) in [(52u32, 1u32), (22, 1), (3141, 100)] {
            t.extend_from_slice(&numerator.to_le_bytes());
            t.extend_from_slice(&denominator.to_le_bytes());
        }
        t.extend_from_slice(GPS_MARKER);
        t.push(0);
        t
    }

    /// `jpeg` with an APP1 Exif segment spliced in right after SOI.
    pub fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
        assert_eq!(&jpeg[..2], b"\xff\xd8");
        let payload = [b"Exif\0\0".as_slice(), tiff].concat();
        let length = u16::try_from(payload.len() + 2).unwrap();
        let mut out = b"\xff\xd8\xff\xe1".to_vec();
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// A `width`×`height` camera JPEG whose Exif carries [`GPS_MARKER`].
    pub fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
        with_exif(&jpeg(&gradient(width, height)), &exif_tiff(1))
    }
}

#[cfg(test)]
mod tests {
    use super::{fixtures::*, *};
    use image::{
        ImageEncoder, Rgba, RgbaImage, codecs::png::PngEncoder, codecs::webp::WebPEncoder,
    };
    use std::time::Instant;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// The size a JPEG declares (read from its header only: a full decode is slow in debug).
    fn dimensions(jpeg: &[u8]) -> (u32, u32) {
        ImageReader::with_format(Cursor::new(jpeg), ImageFormat::Jpeg)
            .into_dimensions()
            .unwrap()
    }

    #[test]
    fn exif_and_gps_are_stripped_and_orientation_applied() {
        let original = with_exif(&jpeg(&gradient(64, 32)), &exif_tiff(6));
        assert!(contains(&original, b"Exif\0\0") && contains(&original, GPS_MARKER));

        let processed = process(&original).unwrap();

        for output in [&processed.full, &processed.thumbnail] {
            assert!(!contains(output, b"Exif\0\0"), "an Exif block survived");
            assert!(!contains(output, b"\xff\xe1"), "an APP1 segment survived");
            assert!(!contains(output, GPS_MARKER), "the GPS data survived");
        }
        // Orientation 6: stored landscape, shown portrait (rotated 90° clockwise).
        assert_eq!((processed.width, processed.height), (32, 64));
        assert_eq!(dimensions(&processed.full), (32, 64));
    }

    #[test]
    fn large_photo_is_fitted_into_1600_with_a_400_thumbnail() {
        let processed = process(&jpeg(&gradient(1800, 1200))).unwrap();
        assert_eq!((processed.width, processed.height), (1600, 1067));
        assert_eq!(dimensions(&processed.full), (1600, 1067));
        assert_eq!(dimensions(&processed.thumbnail), (400, 267));
    }

    #[test]
    fn small_photo_is_not_enlarged() {
        let processed = process(&jpeg(&gradient(300, 500))).unwrap();
        assert_eq!((processed.width, processed.height), (300, 500));
        assert_eq!(dimensions(&processed.thumbnail), (240, 400));
    }

    #[test]
    fn png_with_transparency_is_flattened_onto_white() {
        let image = RgbaImage::from_fn(2000, 500, |x, _| {
            if x < 1000 {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([200, 0, 0, 255])
            }
        });
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(image.as_raw(), 2000, 500, image::ExtendedColorType::Rgba8)
            .unwrap();

        let processed = process(&png).unwrap();

        assert_eq!((processed.width, processed.height), (1600, 400));
        let full = image::load_from_memory(&processed.full)
            .unwrap()
            .into_rgb8();
        let transparent_side = full.get_pixel(100, 200).0;
        assert!(
            transparent_side.iter().all(|&c| c > 245),
            "{transparent_side:?}"
        );
        let opaque_side = full.get_pixel(1500, 200).0;
        assert!(
            opaque_side[0] > 180 && opaque_side[1] < 30,
            "{opaque_side:?}"
        );
        assert_eq!(dimensions(&processed.thumbnail), (400, 100));
    }

    #[test]
    fn webp_is_accepted() {
        let image = gradient(800, 600);
        let mut webp = Vec::new();
        WebPEncoder::new_lossless(&mut webp)
            .encode(image.as_raw(), 800, 600, image::ExtendedColorType::Rgb8)
            .unwrap();

        let processed = process(&webp).unwrap();

        assert_eq!((processed.width, processed.height), (800, 600));
        assert_eq!(dimensions(&processed.thumbnail), (400, 300));
    }

    #[test]
    fn other_files_are_not_images() {
        for bytes in [
            b"".as_slice(),
            b"hello, this is not an image".as_slice(),
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".as_slice(),
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".as_slice(),
        ] {
            let error = process(bytes).unwrap_err();
            assert!(matches!(error, PhotoError::NotAnImage), "{error:?}");
            assert_eq!(
                error.to_string(),
                "That file is not a JPEG, PNG or WebP image."
            );
        }
    }

    #[test]
    fn truncated_image_is_unreadable() {
        let png = {
            let mut png = Vec::new();
            PngEncoder::new(&mut png)
                .write_image(
                    gradient(64, 64).as_raw(),
                    64,
                    64,
                    image::ExtendedColorType::Rgb8,
                )
                .unwrap();
            png
        };
        let error = process(&png[..png.len() / 2]).unwrap_err();
        assert!(matches!(error, PhotoError::Unreadable(_)), "{error:?}");
    }

    /// A valid PNG header (signature + IHDR with a correct CRC) declaring `width` × `height`
    /// 8-bit RGBA pixels, followed by one tiny IDAT: a decompression bomb's first bytes (and, at
    /// 1 × 1, a complete image).
    fn bomb_png(width: u32, height: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = u32::MAX;
            for &byte in bytes {
                crc ^= u32::from(byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &ihdr);
        // One zlib "stored" block holding the first row of a 1-pixel-wide image: a filter byte
        // and four zero bytes (adler32 = 0x0005_0001).
        let idat = [
            0x78, 0x01, 0x01, 0x05, 0x00, 0xfa, 0xff, 0, 0, 0, 0, 0, 0x00, 0x05, 0x00, 0x01,
        ];
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // Too wide for the decoder limits; within them but too many pixels in total.
        for (width, height) in [(60_000, 60_000), (12_000, 12_000), (9_000, 6_000)] {
            let started = Instant::now();
            let error = process(&bomb_png(width, height)).unwrap_err();
            assert!(
                matches!(error, PhotoError::TooManyPixels),
                "{width}×{height}: {error:?}"
            );
            assert!(
                started.elapsed() < Duration::from_millis(200),
                "{:?}",
                started.elapsed()
            );
        }
        assert!(
            process(&bomb_png(1, 1)).is_ok(),
            "the bomb's header is otherwise a valid PNG"
        );
        assert!(
            PhotoError::TooManyPixels
                .to_string()
                .starts_with("That image has too many pixels")
        );
    }

    #[test]
    fn files_over_8_mb_are_too_large() {
        let mut bytes = jpeg(&gradient(16, 16));
        bytes.resize(9 * 1024 * 1024, 0);
        let error = process(&bytes).unwrap_err();
        assert!(matches!(error, PhotoError::TooLarge), "{error:?}");
        assert_eq!(
            error.to_string(),
            "That file is larger than 8 MB. Please choose a smaller photo."
        );
    }

    #[test]
    fn fitted_sizes_keep_the_aspect_ratio() {
        assert_eq!(fitted(3000, 2000, 1600), (1600, 1067));
        assert_eq!(fitted(2000, 3000, 1600), (1067, 1600));
        assert_eq!(fitted(4000, 4000, 400), (400, 400));
        assert_eq!(fitted(12_000, 1, 400), (400, 1));
    }
}
