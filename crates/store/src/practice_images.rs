//! Images of a good practice (issue 10, decision 0038): rows here, files under the data dir. As
//! with meeting attachments, the file is put in place inside the transaction and removed when the
//! write fails, so that a failure leaves neither row nor file.

use crate::audit::Change;
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PracticeImage {
    pub id: String,
    pub practice_id: String,
    pub file_name: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub position: i64,
    pub created_at: String,
}

/// What an upload records besides the file.
#[derive(Debug, Clone)]
pub struct NewPracticeImage {
    pub file_name: String,
    pub mime: &'static str,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
}

impl Db {
    /// A practice's images, in upload order.
    pub async fn practice_images(&self, practice_id: &str) -> Result<Vec<PracticeImage>> {
        Ok(sqlx::query_as(
            "SELECT id, practice_id, file_name, mime, width, height, alt, caption, position, created_at
             FROM practice_images WHERE practice_id = $1 ORDER BY position, id",
        )
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The images of each of `practice_ids`, in upload order, in one statement (a page of the
    /// board's API); a practice without images has no entry.
    pub async fn practice_images_of(
        &self,
        practice_ids: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<PracticeImage>>> {
        let mut by_practice: std::collections::HashMap<String, Vec<PracticeImage>> = std::collections::HashMap::new();
        if practice_ids.is_empty() {
            return Ok(by_practice);
        }
        let sql = format!(
            "SELECT id, practice_id, file_name, mime, width, height, alt, caption, position, created_at
             FROM practice_images WHERE practice_id IN ({}) ORDER BY practice_id, position, id",
            crate::sql::placeholders(1, practice_ids.len())
        );
        let mut query = sqlx::query_as::<_, PracticeImage>(&sql);
        for id in practice_ids {
            query = query.bind(id);
        }
        for image in query.fetch_all(self.pool()).await? {
            by_practice.entry(image.practice_id.clone()).or_default().push(image);
        }
        Ok(by_practice)
    }

    /// The ids of every practice image, for the sweep of files without a row.
    pub async fn practice_image_ids(&self) -> Result<std::collections::HashSet<String>> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM practice_images").fetch_all(self.pool()).await?;
        Ok(ids.into_iter().collect())
    }

    /// Records an image: `store_file` puts the file in place after the row is written; when
    /// anything fails after that, `discard_file` removes it.
    pub async fn practice_image_add<F, D>(
        &self,
        actor: &Actor,
        practice_id: &str,
        new: NewPracticeImage,
        store_file: F,
        discard_file: D,
    ) -> Result<PracticeImage>
    where
        F: AsyncFnOnce(&str) -> std::io::Result<()>,
        D: AsyncFnOnce(&str),
    {
        let practice = self.practice(practice_id).await?.ok_or(StoreError::NotFound)?;
        let mut image = PracticeImage {
            id: new_id(),
            practice_id: practice_id.to_owned(),
            file_name: new.file_name,
            mime: new.mime.to_owned(),
            width: new.width,
            height: new.height,
            alt: new.alt,
            caption: new.caption,
            position: 0,
            created_at: Timestamp::now().to_db(),
        };
        let mut stored = false;
        let written = self
            .write(actor, async |w| {
                let last: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(position) FROM practice_images WHERE practice_id = $1")
                        .bind(practice_id)
                        .fetch_one(&mut *w.tx)
                        .await?;
                image.position = last.map_or(0, |p| p + 1);
                sqlx::query(
                    "INSERT INTO practice_images (id, practice_id, file_name, mime, width, height, alt, caption, position, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&image.id)
                .bind(practice_id)
                .bind(&image.file_name)
                .bind(&image.mime)
                .bind(image.width)
                .bind(image.height)
                .bind(&image.alt)
                .bind(&image.caption)
                .bind(image.position)
                .bind(&image.created_at)
                .execute(&mut *w.tx)
                .await?;
                w.audit(Change {
                    action: "add_image",
                    entity: "practice",
                    entity_id: Some(practice_id),
                    programme_id: Some(&practice.programme_id),
                    before: None,
                    after: Some(serde_json::to_value(&image).expect("serialisable")),
                })
                .await?;
                store_file(&image.id).await.map_err(|e| StoreError::Corrupt(format!("image not stored: {e}")))?;
                stored = true;
                Ok::<_, StoreError>(())
            })
            .await;
        if let Err(error) = written {
            if stored {
                discard_file(&image.id).await;
            }
            return Err(error);
        }
        Ok(image)
    }

    /// Deletes an image's row; the caller removes its file after the commit. `NotFound` when the
    /// practice has no such image.
    pub async fn practice_image_delete(&self, actor: &Actor, practice_id: &str, image_id: &str) -> Result<()> {
        let practice = self.practice(practice_id).await?.ok_or(StoreError::NotFound)?;
        let image = self
            .practice_images(practice_id)
            .await?
            .into_iter()
            .find(|i| i.id == image_id)
            .ok_or(StoreError::NotFound)?;
        self.write(actor, async |w| {
            sqlx::query("DELETE FROM practice_images WHERE id = $1 AND practice_id = $2")
                .bind(image_id)
                .bind(practice_id)
                .execute(&mut *w.tx)
                .await?;
            w.audit(Change {
                action: "remove_image",
                entity: "practice",
                entity_id: Some(practice_id),
                programme_id: Some(&practice.programme_id),
                before: Some(serde_json::to_value(&image).expect("serialisable")),
                after: None,
            })
            .await
        })
        .await
    }
}
