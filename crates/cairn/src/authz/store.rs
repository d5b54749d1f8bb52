//! The two facts every access decision needs, read straight from the people tables: who
//! employs the person on a day, and who supervises them.

use crate::db::Db;
use time::Date;
use uuid::Uuid;

const SELECT_EMPLOYING_ORGS: &str = "SELECT DISTINCT org_id FROM employment \
     WHERE person_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)";
const SELECT_SUPERVISORS: &str =
    "SELECT supervisor_id FROM supervision_link WHERE supervisee_id = $1";

/// The organisations that employ the person on `day`.
pub async fn employing_orgs(db: &Db, person_id: Uuid, day: Date) -> Result<Vec<Uuid>, sqlx::Error> {
    crate::db::scalars(db, SELECT_EMPLOYING_ORGS, (person_id, day)).await
}

/// The people named as the person's supervisors (in any organisation).
pub async fn supervisors_of(db: &Db, person_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    crate::db::scalars(db, SELECT_SUPERVISORS, (person_id,)).await
}
