//! Where the product's workflows stand: each a closed set, stored and sent as its ids (see
//! [`crate::stored_id`]). Bookings ([`crate::catalogue::BookingStatus`]), goals
//! ([`crate::plan::GoalStatus`]) and kinds of supervision ([`crate::supervision::SessionKind`])
//! live with their rules.

crate::stored_id! {
    /// Where a declaration that a policy's period is complete stands.
    pub enum DeclarationStatus ("a declaration's status") {
        /// Declared, with no verification asked for.
        Declared = "declared", "Declared";
        AwaitingVerification = "awaiting-verification", "Waiting for verification";
        Verified = "verified", "Verified";
        /// Sent back by the verifier with a comment; the person may declare again.
        Returned = "returned", "Returned";
    }
}

crate::stored_id! {
    /// Where a request to a supervisor to endorse entries stands.
    pub enum EndorsementStatus ("an endorsement request's status") {
        Requested = "requested", "Waiting";
        Endorsed = "endorsed", "Endorsed";
        Returned = "returned", "Returned";
    }
}

crate::stored_id! {
    /// Where an employer's invitation to see a person's record stands (from an HR file that
    /// names someone who already has a cairn record).
    pub enum InvitationStatus ("an invitation's status") {
        Waiting = "waiting", "Waiting for an answer";
        Accepted = "accepted", "Accepted";
        Declined = "declined", "Declined";
    }
}

crate::stored_id! {
    /// Where a background job (an import, say) stands.
    pub enum JobStatus ("a job's status") {
        Queued = "queued", "Waiting to start";
        Running = "running", "Running";
        Done = "done", "Finished";
        Failed = "failed", "Failed";
    }
}

impl JobStatus {
    /// Not finished yet: waiting or running.
    pub fn is_open(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|&s| as_str(s)).collect()
    }

    /// The ids are stored: renaming one would strand every row that holds it.
    #[test]
    fn the_stored_ids_stay_as_they_were() {
        assert_eq!(
            ids(DeclarationStatus::ALL, DeclarationStatus::as_str),
            ["declared", "awaiting-verification", "verified", "returned"]
        );
        assert_eq!(
            ids(EndorsementStatus::ALL, EndorsementStatus::as_str),
            ["requested", "endorsed", "returned"]
        );
        assert_eq!(
            ids(InvitationStatus::ALL, InvitationStatus::as_str),
            ["waiting", "accepted", "declined"]
        );
        assert_eq!(
            ids(JobStatus::ALL, JobStatus::as_str),
            ["queued", "running", "done", "failed"]
        );
    }
}
