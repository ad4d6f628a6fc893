//! Images of a good practice (issue 10, decision 0038): its authors add them while it is a draft
//! or returned, each with a required alt text; they show on the practice's page and, once
//! published, on the board. An image is served with the access of the page it belongs to.

use super::practices::{editable, rights, show_page};
use super::set_flash_redirect;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::page::FormPage;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use reti_domain::practices::PracticeStatus;
use reti_domain::{FieldError, FieldErrors};
use reti_store::practice_images::{NewPracticeImage, PracticeImage};
use std::path::PathBuf;
use tower_sessions::Session;

/// The largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// The request body an upload may have: the image and a little room for the form.
pub const IMAGE_BODY_LIMIT: usize = MAX_IMAGE_BYTES + 64 * 1024;
/// The largest width and height accepted, in pixels.
pub const MAX_IMAGE_SIDE: usize = 8000;
/// The longest alt text and caption, in characters.
pub const MAX_ALT: usize = 300;
pub const MAX_CAPTION: usize = 500;

fn images_dir(state: &AppState, practice_id: &str) -> PathBuf {
    state.config.data_dir.join("practice-images").join(practice_id)
}

/// The address an image is served at.
pub fn image_url(image: &PracticeImage) -> String {
    format!("/practices/{}/images/{}", image.practice_id, image.id)
}

/// The content type, width and height of an accepted image, read from its bytes (never from its
/// name): JPEG, PNG or WebP, not empty, within the size and side limits.
pub fn checked_image(bytes: &[u8]) -> Result<(&'static str, usize, usize), FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", "error-file-empty"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(too_large());
    }
    let wrong_type = || FieldError::new("file", "error-image-type");
    let mime = match imagesize::image_type(bytes).map_err(|_| wrong_type())? {
        imagesize::ImageType::Jpeg => "image/jpeg",
        imagesize::ImageType::Png => "image/png",
        imagesize::ImageType::Webp => "image/webp",
        _ => return Err(wrong_type()),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| wrong_type())?;
    if size.width == 0 || size.height == 0 {
        return Err(wrong_type());
    }
    if size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE {
        return Err(FieldError::new("file", "error-image-dimensions").with_arg("max", MAX_IMAGE_SIDE));
    }
    Ok((mime, size.width, size.height))
}

fn too_large() -> FieldError {
    FieldError::new("file", "error-image-too-large").with_arg("max", MAX_IMAGE_BYTES / (1024 * 1024))
}

/// The alt text (required) and caption (optional), trimmed.
pub fn checked_texts(alt: &str, caption: &str) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let (alt, caption) = (alt.trim(), caption.trim());
    if alt.is_empty() {
        errors.add(FieldError::new("alt", "error-required"));
    } else if alt.chars().count() > MAX_ALT {
        errors.add(FieldError::new("alt", "error-too-long").with_arg("max", MAX_ALT));
    }
    if caption.chars().count() > MAX_CAPTION {
        errors.add(FieldError::new("caption", "error-too-long").with_arg("max", MAX_CAPTION));
    }
    if errors.is_empty() { Ok((alt.to_owned(), caption.to_owned())) } else { Err(errors) }
}

/// The fields of an upload form; the file is read whole (it is small) and refused past the limit.
#[derive(Default)]
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    alt: String,
    caption: String,
    too_large: bool,
}

async fn read_upload(multipart: &mut Multipart) -> Upload {
    let mut upload = Upload::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return upload,
            Err(error) => {
                upload.too_large |= error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                return upload;
            }
        };
        match field.name() {
            Some("file") => {
                upload.file_name = reti_domain::meetings::clean_file_name(field.file_name().unwrap_or(""));
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if upload.bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                                upload.too_large = true;
                                return upload;
                            }
                            upload.bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(error) => {
                            upload.too_large |= error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                            return upload;
                        }
                    }
                }
            }
            Some(name @ ("alt" | "caption")) => {
                let target = if name == "alt" { &mut upload.alt } else { &mut upload.caption };
                *target = field.text().await.unwrap_or_default();
            }
            _ => {}
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let practice = editable(&state, &user, &id).await?;
    let upload = read_upload(&mut multipart).await;
    let mut errors = FieldErrors::default();
    let texts = checked_texts(&upload.alt, &upload.caption).map_err(|e| errors.0.extend(e.0)).ok();
    let image = if upload.too_large { Err(too_large()) } else { checked_image(&upload.bytes) };
    let image = errors.check(image);
    let (Some((alt, caption)), Some((mime, width, height))) = (texts, image) else {
        let rights = rights(&user, &practice);
        return show_page(&state, page, practice, rights, errors).await;
    };
    let dir = images_dir(&state, &id);
    tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::Internal(e.into()))?;
    let new = NewPracticeImage {
        file_name: upload.file_name,
        mime,
        width: i64::try_from(width).map_err(|e| AppError::Internal(e.into()))?,
        height: i64::try_from(height).map_err(|e| AppError::Internal(e.into()))?,
        alt,
        caption,
    };
    let bytes = upload.bytes;
    let placed = dir.clone();
    let store = async move |image_id: &str| tokio::fs::write(dir.join(image_id), &bytes).await;
    let discard = async move |image_id: &str| {
        if let Err(error) = tokio::fs::remove_file(placed.join(image_id)).await {
            tracing::warn!(%error, "could not remove the file of an image not recorded");
        }
    };
    state.db.practice_image_add(&user.actor(), &id, new, store, discard).await?;
    set_flash_redirect(&session, page.t("flash-image-added"), &format!("/practices/{id}#images")).await
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path((id, image_id)): Path<(String, String)>,
) -> AppResult<Response> {
    editable(&state, &user, &id).await?;
    state.db.practice_image_delete(&user.actor(), &id, &image_id).await?;
    // The row is gone; a file left by a failure here is the orphan sweep's.
    if let Err(error) = tokio::fs::remove_file(images_dir(&state, &id).join(&image_id)).await {
        tracing::warn!(%error, "could not remove the file of a deleted image");
    }
    set_flash_redirect(&session, page.t("flash-image-removed"), &format!("/practices/{id}#images")).await
}

/// An image, to whoever may see its practice: anyone once published, otherwise its authors and
/// reviewers; 404 for everybody else.
pub async fn serve(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path((id, image_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let practice = state.db.practice(&id).await?.ok_or(AppError::NotFound)?;
    let public = practice.status == PracticeStatus::Published;
    let allowed = public
        || user.as_ref().is_some_and(|u| {
            let r = rights(u, &practice);
            r.author || r.reviewer
        });
    if !allowed {
        return Err(AppError::NotFound);
    }
    let image =
        state.db.practice_images(&id).await?.into_iter().find(|i| i.id == image_id).ok_or(AppError::NotFound)?;
    let bytes =
        tokio::fs::read(images_dir(&state, &id).join(&image.id)).await.map_err(|e| AppError::Internal(e.into()))?;
    let cache = if public { "public, max-age=3600" } else { "private, no-store" };
    Ok((
        [
            (header::CONTENT_TYPE, image.mime),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_1X1: &[u8] = &[
        0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 3, 0, 0, 0, 2,
        8, 6, 0, 0, 0, 0, 0, 0, 0,
    ];

    #[test]
    fn reads_type_and_size_from_the_bytes() {
        assert_eq!(checked_image(PNG_1X1).unwrap(), ("image/png", 3, 2));
        assert_eq!(checked_image(b"just text, named .png").unwrap_err().code, "error-image-type");
        assert_eq!(checked_image(b"").unwrap_err().code, "error-file-empty");
        let mut huge = PNG_1X1.to_vec();
        huge[16..20].copy_from_slice(&9000u32.to_be_bytes());
        assert_eq!(checked_image(&huge).unwrap_err().code, "error-image-dimensions");
    }

    #[test]
    fn alt_is_required_and_bounded() {
        assert_eq!(checked_texts("  ", "").unwrap_err().0[0].field, "alt");
        assert!(checked_texts(&"a".repeat(301), "").is_err());
        assert_eq!(checked_texts(" A map ", "").unwrap(), ("A map".to_owned(), String::new()));
    }
}
