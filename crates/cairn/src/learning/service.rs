//! What other features may call in learning: the reads and writes they need, given the
//! database (or an open transaction) and the clock's today. Behind this face the store may
//! change freely.

pub use super::store::{
    ImportedEntry, all_entries, entry_owners, get_entry, insert_entries_if_new,
    insert_entries_if_new_in, insert_entry, insert_entry_in, latest_choices, list_entries,
    totals_between,
};
