-- Pulls and pushes of `profile` and `requests` look rows up by household, person and student.
CREATE INDEX phones_by_household ON phones (district_id, household_id) WHERE household_id IS NOT NULL;
CREATE INDEX phones_by_person ON phones (district_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX addresses_by_household ON addresses (district_id, household_id);
CREATE INDEX household_members_by_person ON household_members (district_id, person_id);
CREATE INDEX requests_by_student ON requests (district_id, student_id) WHERE student_id IS NOT NULL;
CREATE INDEX requests_by_household ON requests (district_id, household_id) WHERE household_id IS NOT NULL;
CREATE INDEX requests_by_school ON requests (district_id, school_id) WHERE school_id IS NOT NULL;
CREATE INDEX contact_preferences_by_person ON contact_preferences (district_id, person_id);
