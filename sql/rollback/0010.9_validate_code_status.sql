-- Rollback of 0010.9_validate_code_status: nothing to undo.
--
-- PostgreSQL has no way back from VALIDATE CONSTRAINT (and needs none). The
-- rollback of 0010 puts 0003's definitions back. The statement below does
-- nothing; it is here so the file is not empty for tools that reject an
-- empty query.
DO $$ BEGIN NULL; END $$;
