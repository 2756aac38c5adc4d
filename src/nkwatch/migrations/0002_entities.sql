-- Canonical entities, the names they go by, and every mention of them (the evidence).
CREATE TABLE entities (
    id TEXT PRIMARY KEY,            -- "type:slug" (gazetteer) or "type:~key" (found in text)
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    info TEXT NOT NULL DEFAULT '{}' -- JSON: place, sector, coordinates, outlet kind...
);
CREATE INDEX entities_type ON entities(type);

CREATE TABLE aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    key TEXT NOT NULL,              -- spelling-blind key (nkwatch.names.key_of)
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX aliases_key ON aliases(key);

CREATE TABLE mentions (
    post_id TEXT NOT NULL REFERENCES posts(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    extractor TEXT NOT NULL,
    PRIMARY KEY (post_id, start)
);
CREATE INDEX mentions_entity ON mentions(entity_id);
