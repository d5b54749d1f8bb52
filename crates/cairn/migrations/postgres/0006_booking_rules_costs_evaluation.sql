-- Booking rules (manager approval, cancellation notice), nominations, where sessions are
-- held and teams are based (for "within N miles"), what places cost, budgets, a personal
-- learning allowance, and evaluation at four levels. Kept in step with
-- ../sqlite/0006_booking_rules_costs_evaluation.sql.
ALTER TABLE opportunity ADD COLUMN approval_stages BIGINT NOT NULL DEFAULT 0 CHECK (approval_stages BETWEEN 0 AND 2);
ALTER TABLE opportunity ADD COLUMN cancel_notice_days BIGINT NOT NULL DEFAULT 0 CHECK (cancel_notice_days >= 0);
ALTER TABLE opportunity ADD COLUMN follow_up_days BIGINT NOT NULL DEFAULT 90 CHECK (follow_up_days > 0);
-- A town id from cairn-core's places.
ALTER TABLE opportunity_session ADD COLUMN town TEXT;
ALTER TABLE team ADD COLUMN town TEXT;
-- Pounds a year each member of staff may spend on their own learning (none when NULL).
ALTER TABLE organisation ADD COLUMN allowance_pence BIGINT CHECK (allowance_pence >= 0);

-- Bookings may now be pending (awaiting approval) or refused, besides booked, waiting,
-- cancelled, attended and absent.
ALTER TABLE booking ADD COLUMN nominated_by UUID REFERENCES person(id) ON DELETE SET NULL;
-- Cancelled inside the opportunity's notice: the fee is still owed.
ALTER TABLE booking ADD COLUMN late_cancellation BOOLEAN NOT NULL DEFAULT FALSE;
-- Costs. fee_pence NULL means the opportunity's cost per place.
ALTER TABLE booking ADD COLUMN fee_pence BIGINT CHECK (fee_pence >= 0);
ALTER TABLE booking ADD COLUMN travel_pence BIGINT NOT NULL DEFAULT 0 CHECK (travel_pence >= 0);
ALTER TABLE booking ADD COLUMN accommodation_pence BIGINT NOT NULL DEFAULT 0 CHECK (accommodation_pence >= 0);
-- Ten-thousandths of an hour, as entry hours.
ALTER TABLE booking ADD COLUMN backfill_hours BIGINT NOT NULL DEFAULT 0 CHECK (backfill_hours >= 0);
ALTER TABLE booking ADD COLUMN backfill_rate_pence BIGINT NOT NULL DEFAULT 0 CHECK (backfill_rate_pence >= 0);
-- For the spend report: bookings by when their session runs.
CREATE INDEX booking_status ON booking (status, session_id);

CREATE TABLE booking_approval (
    booking_id UUID NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    -- 1: line manager; 2: the employer's learning and development lead
    stage BIGINT NOT NULL CHECK (stage BETWEEN 1 AND 2),
    decided_by UUID REFERENCES person(id) ON DELETE SET NULL,
    approved BOOLEAN NOT NULL,
    comment TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (booking_id, stage)
);

CREATE TABLE learning_budget (
    org_id UUID NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
    PRIMARY KEY (org_id, year, service)
);

-- Level 1: the reaction survey.
CREATE TABLE evaluation_reaction (
    booking_id UUID PRIMARY KEY REFERENCES booking(id) ON DELETE CASCADE,
    overall BIGINT NOT NULL CHECK (overall BETWEEN 1 AND 5),
    relevance BIGINT NOT NULL CHECK (relevance BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL
);

-- Level 2: confidence on each element, before and after.
CREATE TABLE evaluation_confidence (
    booking_id UUID NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
    element TEXT NOT NULL,
    confidence_before BIGINT CHECK (confidence_before BETWEEN 1 AND 5),
    confidence_after BIGINT CHECK (confidence_after BETWEEN 1 AND 5),
    PRIMARY KEY (booking_id, element)
);

-- Level 3: what has changed in practice, asked of the supervisor when due.
CREATE TABLE evaluation_follow_up (
    booking_id UUID PRIMARY KEY REFERENCES booking(id) ON DELETE CASCADE,
    supervisor_id UUID REFERENCES person(id) ON DELETE SET NULL,
    due_on DATE NOT NULL,
    notified_at TIMESTAMPTZ,
    answer TEXT,
    answered_at TIMESTAMPTZ
);
CREATE INDEX evaluation_follow_up_due ON evaluation_follow_up (due_on) WHERE notified_at IS NULL;
CREATE INDEX evaluation_follow_up_supervisor ON evaluation_follow_up (supervisor_id);

-- Level 4: the organisation's outcome indicators for a programme, and their measurements.
CREATE TABLE outcome_indicator (
    id UUID PRIMARY KEY,
    opportunity_id UUID NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline DOUBLE PRECISION NOT NULL,
    target DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX outcome_indicator_opportunity ON outcome_indicator (opportunity_id);

CREATE TABLE outcome_measure (
    id UUID PRIMARY KEY,
    indicator_id UUID NOT NULL REFERENCES outcome_indicator(id) ON DELETE CASCADE,
    measured_on DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX outcome_measure_indicator ON outcome_measure (indicator_id, measured_on);
