-- Rollback of 0017_client_events: drop the Health screen's functions and
-- the recorder. The client_events table stays, with its rows, like every
-- table a rollback meets (the migration creates it only if missing): its
-- rows are measurements nothing else refers to, and no role but the owner
-- can reach them once the functions are gone.
DROP FUNCTION IF EXISTS public.api_staff_health_rates(text, integer);
DROP FUNCTION IF EXISTS public.api_staff_health_series(text, integer);
DROP FUNCTION IF EXISTS public.api_staff_health(text, integer);
DROP FUNCTION IF EXISTS public.api_record_client_events(text[], text[], text[], bigint[], integer[], integer[]);
