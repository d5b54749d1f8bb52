//! Where evidence files' bytes live: a folder of files named by id, written whole or not
//! at all. What an evidence file is, and its checks, belong to `learning::evidence`.

use anyhow::Context;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Where evidence bytes are kept.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    dir: PathBuf,
}

impl EvidenceStore {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, id: Uuid) -> PathBuf {
        let name = id.simple().to_string();
        self.dir.join(&name[name.len() - 2..]).join(name)
    }

    /// Writes the bytes under a temporary name and renames them into place, so that a
    /// crash never leaves half a file under a real id.
    pub async fn write(&self, id: Uuid, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(id);
        let folder = path.parent().context("evidence path has no folder")?;
        tokio::fs::create_dir_all(folder)
            .await
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let temporary = path.with_extension("part");
        tokio::fs::write(&temporary, bytes)
            .await
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        tokio::fs::rename(&temporary, &path)
            .await
            .with_context(|| format!("cannot move evidence into {}", path.display()))?;
        Ok(())
    }

    pub async fn read(&self, id: Uuid) -> anyhow::Result<Vec<u8>> {
        let path = self.path(id);
        tokio::fs::read(&path)
            .await
            .with_context(|| format!("cannot read evidence {}", path.display()))
    }

    /// Removes the bytes; a file that is already gone is not an error.
    pub async fn remove(&self, id: Uuid) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.path(id)).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
