-- Cordial centre schema, version 18: each service item carries what a citizen should know
-- (办事公开, standard 10.7): the materials to bring, the promised time, the fees and where
-- to ask, as one document (src/shared/service-info.ts). Null on items that have none.
ALTER TABLE service_items ADD COLUMN service_info jsonb;
