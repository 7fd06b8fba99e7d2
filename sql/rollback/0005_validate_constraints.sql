-- Rollback of 0005_validate_constraints: nothing to undo.
--
-- PostgreSQL has no way back from VALIDATE CONSTRAINT (and needs none: a
-- validated constraint only promises what the NOT VALID one already
-- enforced on new rows). The constraints stay, validated, until the
-- rollback of 0003 drops them. The statement below does nothing; it is
-- here so the file is not empty for tools that reject an empty query.
DO $$ BEGIN NULL; END $$;
