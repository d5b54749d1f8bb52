-- Booking rules (manager approval, cancellation notice), nominations, where sessions are
-- held and teams are based (for "within N miles"), what places cost, budgets, a personal
-- learning allowance, and evaluation at four levels. Kept in step with
-- ../postgres/0006_booking_rules_costs_evaluation.sql.
ALTER TABLE opportunity ADD COLUMN approval_stages INTEGER NOT NULL DEFAULT 0 CHECK (approval_stages BETWEEN 0 AND 2);
ALTER TABLE opportunity ADD COLUMN cancel_notice_days INTEGER NOT NULL DEFAULT 0 CHECK (cancel_notice_days >= 0);
ALTER TABLE opportunity ADD COLUMN follow_up_days INTEGER NOT NULL DEFAULT 90 CHECK (follow_up_days > 0);
-- A town id from cairn-core's places.
ALTER TABLE opportunity_session ADD COLUMN town TEXT;
ALTER TABLE team ADD COLUMN town TEXT;
-- Pounds a year each member of staff may spend on their own learning (none when NULL).
ALTER TABLE organisation ADD COLUMN allowance_pence INTEGER CHECK (allowance_pence >= 0);

-- Bookings may now be pending (awaiting approval) or refused, besides booked, waiting,
-- cancelled, attended and absent.
ALTER TABLE booking ADD COLUMN nominated_by BLOB REFERENCES person(id) ON DELETE SET NULL;
-- Cancelled inside the opportunity's notice: the fee is still owed.
ALTER TABLE booking ADD COLUMN late_cancellation INTEGER NOT NULL DEFAULT 0;
-- Costs. fee_pence NULL means the opportunity's cost per place.
ALTER TABLE booking ADD COLUMN fee_pence INTEGER CHECK (fee_pence >= 0);
ALTER TABLE booking ADD COLUMN travel_pence INTEGER NOT NULL DEFAULT 0 CHECK (travel_pence >= 0);
ALTER TABLE booking ADD COLUMN accommodation_pence INTEGER NOT NULL DEFAULT 0 CHECK (accommodation_pence >= 0);
-- Ten-thousandths of an hour, as entry hours.
ALTER TABLE booking ADD COLUMN backfill_hours INTEGER NOT NULL DEFAULT 0 CHECK (backfill_hours >= 0);
ALTER TABLE booking ADD COLUMN backfill_rate_pence INTEGER NOT NULL DEFAULT 0 CHECK (backfill_rate_pence >= 0);
-- For the spend report: bookings by when their session runs.
CREATE INDEX booking_status ON booking (status, session_id);

CREATE TABLE booking_approval (
    booking_id BLOB NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    -- 1: line manager; 2: the employer's learning and development lead
    stage INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 2),
    decided_by BLOB REFERENCES person(id) ON DELETE SET NULL,
    approved INTEGER NOT NULL,
    comment TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (booking_id, stage)
);

CREATE TABLE learning_budget (
    org_id BLOB NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    year INTEGER NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    PRIMARY KEY (org_id, year, service)
);

-- Level 1: the reaction survey.
CREATE TABLE evaluation_reaction (
    booking_id BLOB PRIMARY KEY REFERENCES booking(id) ON DELETE CASCADE,
    overall INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
    relevance INTEGER NOT NULL CHECK (relevance BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);

-- Level 2: confidence on each element, before and after.
CREATE TABLE evaluation_confidence (
    booking_id BLOB NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    element TEXT NOT NULL,
    confidence_before INTEGER CHECK (confidence_before BETWEEN 1 AND 5),
    confidence_after INTEGER CHECK (confidence_after BETWEEN 1 AND 5),
    PRIMARY KEY (booking_id, element)
);

-- Level 3: what has changed in practice, asked of the supervisor when due.
CREATE TABLE evaluation_follow_up (
    booking_id BLOB PRIMARY KEY REFERENCES booking(id) ON DELETE CASCADE,
    supervisor_id BLOB REFERENCES person(id) ON DELETE SET NULL,
    due_on TEXT NOT NULL,
    notified_at TEXT,
    answer TEXT,
    answered_at TEXT
);
CREATE INDEX evaluation_follow_up_due ON evaluation_follow_up (due_on) WHERE notified_at IS NULL;
CREATE INDEX evaluation_follow_up_supervisor ON evaluation_follow_up (supervisor_id);

-- Level 4: the organisation's outcome indicators for a programme, and their measurements.
CREATE TABLE outcome_indicator (
    id BLOB PRIMARY KEY,
    opportunity_id BLOB NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline REAL NOT NULL,
    target REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX outcome_indicator_opportunity ON outcome_indicator (opportunity_id);

CREATE TABLE outcome_measure (
    id BLOB PRIMARY KEY,
    indicator_id BLOB NOT NULL REFERENCES outcome_indicator(id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX outcome_measure_indicator ON outcome_measure (indicator_id, measured_on);
