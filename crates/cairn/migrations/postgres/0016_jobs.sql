-- Work too long for one request (an HR feed or a record import of thousands of lines) runs as
-- a job: queued here, claimed by any instance's worker, resumed after a crash from the last
-- chunk it committed. Kept in step with ../sqlite/0016_jobs.sql.
CREATE TABLE job (
    id UUID PRIMARY KEY,
    -- 'people_feed' (org_id set) or 'record_import' (person_id set: whose record)
    kind TEXT NOT NULL,
    org_id UUID REFERENCES organisation(id) ON DELETE CASCADE,
    person_id UUID REFERENCES person(id) ON DELETE CASCADE,
    -- who asked for it (NULL from the command line)
    requested_by UUID REFERENCES person(id) ON DELETE SET NULL,
    -- the file's name, as the progress page shows it
    label TEXT NOT NULL,
    -- the file itself, emptied once the job has finished
    input TEXT NOT NULL,
    -- 'queued', 'running', 'done' or 'failed'
    status TEXT NOT NULL,
    -- steps done of steps in all (lines, then supervisor links); committed with each chunk
    done BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    -- the worker holding the job, and until when; a lapsed lease lets another take over
    claim UUID,
    lease_until TIMESTAMPTZ,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- the report (JSON) once done, or why it failed
    report TEXT,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX job_queue ON job (status, created_at);
CREATE INDEX job_org ON job (org_id, created_at);

-- The report of each committed chunk, gathered into job.report when the job finishes.
CREATE TABLE job_part (
    job_id UUID NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
