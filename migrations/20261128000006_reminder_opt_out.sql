-- A registrant can turn off the day-before reminder (the e-mail's
-- List-Unsubscribe link); the registration itself stays.
ALTER TABLE registrations ADD COLUMN reminders boolean NOT NULL DEFAULT true;
