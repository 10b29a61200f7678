-- 011: person ids are unique ignoring ASCII case, so that a check can match "P0000002" to the
-- registry's "p0000002" without ever naming the wrong person.
CREATE UNIQUE INDEX persons_id_folded ON persons (lower(id));
