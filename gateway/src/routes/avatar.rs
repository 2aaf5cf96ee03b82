//! Avatars: an uploaded PNG, JPEG or WebP is decoded under limits (bytes, pixels,
//! memory), cropped to a square, scaled to 256×256 and re-encoded as PNG by the `image`
//! crate; only that PNG is stored (in the blob store) and served, never the upload.

use image::{ImageFormat, ImageReader, Limits, imageops::FilterType};
use std::io::Cursor;

/// Largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 2 << 20;
/// Largest width or height decoded.
const MAX_SIDE: u32 = 4096;
/// The stored avatar's side.
pub const SIDE: u32 = 256;

/// The stored PNG for an upload, or why it is refused.
///
/// # Errors
/// Not PNG, JPEG or WebP, larger than the limits, or undecodable.
pub fn reencode(upload: &[u8]) -> Result<Vec<u8>, String> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(format!(
            "an avatar is at most {} MiB",
            MAX_UPLOAD_BYTES >> 20
        ));
    }
    let format = image::guess_format(upload)
        .ok()
        .filter(|f| matches!(f, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP))
        .ok_or("an avatar must be a PNG, JPEG or WebP image")?;
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(128 << 20);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("the image cannot be read: {e}"))?;
    let square = image.resize_to_fill(SIDE, SIDE, FilterType::Triangle);
    let mut png = Vec::new();
    square
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| format!("the avatar cannot be encoded: {e}"))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 7])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), format)
            .unwrap();
        out
    }

    #[test]
    fn uploads_become_square_pngs_of_the_fixed_size() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            let png = reencode(&encoded(640, 480, format)).unwrap();
            let back = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap();
            assert_eq!((back.width(), back.height()), (SIDE, SIDE), "{format:?}");
        }
    }

    #[test]
    fn other_formats_oversized_and_broken_images_are_refused() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert!(reencode(&gif).unwrap_err().contains("PNG, JPEG or WebP"));
        assert!(reencode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
        let huge = encoded(5000, 10, ImageFormat::Png);
        assert!(reencode(&huge).unwrap_err().contains("cannot be read"));
        let mut truncated = encoded(100, 100, ImageFormat::Png);
        truncated.truncate(60);
        assert!(reencode(&truncated).is_err());
        assert!(
            reencode(&vec![0u8; MAX_UPLOAD_BYTES + 1])
                .unwrap_err()
                .contains("at most")
        );
    }
}
