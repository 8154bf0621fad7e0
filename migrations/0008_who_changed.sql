-- Who did it, for two things a worker changes from the street that planning depends on.
--
-- A quick-logged contact keeps the account that logged it. Imported contacts have none (the
-- import job records who ran it). Accounts are deactivated, not deleted; should one ever be
-- deleted, its contacts stay and lose the link. Nothing shown to analysts reads this column.
alter table contact_moment add column logged_by integer;
alter table contact_moment add constraint contact_moment_logged_by
  foreign key (org_id, logged_by) references app_user (org_id, user_id) on delete set null (logged_by);

-- A signal keeps who last marked it handled or open again, and when. An import that closes a
-- signal clears the account (the import job records who ran it).
alter table signal add column status_changed_by integer;
alter table signal add column status_changed_at timestamptz;
alter table signal add constraint signal_status_changed_by
  foreign key (org_id, status_changed_by) references app_user (org_id, user_id) on delete set null (status_changed_by);
