-- An import cut off by a crash (kill -9, power loss) stayed 'running' forever. At start the
-- server marks such jobs 'interrupted' (src/lib/server/imports/jobs.ts markInterruptedJobs).
alter table import_job drop constraint import_job_status_check;
alter table import_job add constraint import_job_status_check
  check (status in ('running', 'done', 'failed', 'rolled-back', 'interrupted'));
