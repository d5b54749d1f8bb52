//! Each distinct kind and list of tags made once per walk of the register, then shared: 15
//! million entries hold a few hundred distinct values, and making each afresh (an allocation
//! per kind, per list and per tag, and a check that the text is UTF-8) cost a walk more than
//! reading them from the database did.

use cairn_core::record::Tags;
use std::collections::HashMap;
use std::sync::Arc;

/// Beyond this many distinct values (free-text tags), values are made afresh and not kept:
/// memory stays bounded whatever the register holds.
const MOST: usize = 4096;

type Map<V> = HashMap<Box<[u8]>, V, foldhash::fast::RandomState>;

pub(super) struct Interner {
    kinds: Map<Arc<str>>,
    tags: Map<Tags>,
    written: Arc<str>,
}

impl Default for Interner {
    fn default() -> Self {
        Self {
            kinds: Map::default(),
            tags: Map::default(),
            written: Arc::from("written"),
        }
    }
}

impl Interner {
    /// The kind stored as `raw`.
    pub(super) fn kind(&mut self, raw: &[u8]) -> Result<Arc<str>, std::str::Utf8Error> {
        intern(&mut self.kinds, raw, |text| Arc::from(text))
    }

    /// The tags stored as `raw` (`|`-separated, as `crate::db::join_tags` writes them).
    pub(super) fn tags(&mut self, raw: &[u8]) -> Result<Tags, std::str::Utf8Error> {
        if raw.is_empty() {
            return Ok(Tags::default());
        }
        intern(&mut self.tags, raw, |text| {
            crate::db::split_tags(text).into()
        })
    }

    /// What stands for a written reflection: the rules read only that there is one.
    pub(super) fn written(&self) -> Arc<str> {
        self.written.clone()
    }
}

fn intern<V: Clone>(
    map: &mut Map<V>,
    raw: &[u8],
    make: impl Fn(&str) -> V,
) -> Result<V, std::str::Utf8Error> {
    if let Some(value) = map.get(raw) {
        return Ok(value.clone());
    }
    let value = make(std::str::from_utf8(raw)?);
    if map.len() < MOST {
        map.insert(raw.into(), value.clone());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_made_once_and_shared() {
        let mut interner = Interner::default();
        let a = interner.tags(b"safeguarding|law").expect("utf8");
        let b = interner.tags(b"safeguarding|law").expect("utf8");
        assert_eq!(&a[..], ["safeguarding", "law"]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(interner.tags(b"").expect("utf8").is_empty());
        let kind = interner.kind(b"course").expect("utf8");
        assert_eq!(&*kind, "course");
        assert!(Arc::ptr_eq(&kind, &interner.kind(b"course").expect("utf8")));
        assert!(interner.kind(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn past_the_bound_values_are_still_right_but_not_kept() {
        let mut interner = Interner::default();
        for n in 0..MOST + 10 {
            let raw = format!("tag-{n}");
            assert_eq!(&interner.tags(raw.as_bytes()).expect("utf8")[..], [raw]);
        }
        assert_eq!(interner.tags.len(), MOST);
    }
}
