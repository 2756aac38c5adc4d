-- Documents and the posts split out of them, with who wrote them and whom they cite.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,            -- content hash
    file_sha256 TEXT NOT NULL,      -- hash of the raw bytes of the file that held it
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    published TEXT,
    outlet TEXT,
    url TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_file ON documents(file_sha256);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    text TEXT NOT NULL,
    UNIQUE (document_id, idx)
);
CREATE INDEX posts_published ON posts(published);

CREATE TABLE post_people (
    post_id TEXT NOT NULL REFERENCES posts(id),
    role TEXT NOT NULL CHECK (role IN ('author', 'translator')),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (post_id, role, seq)
);

CREATE TABLE origins (
    post_id TEXT NOT NULL REFERENCES posts(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    author TEXT,
    date TEXT,
    PRIMARY KEY (post_id, seq)
);
CREATE INDEX origins_name ON origins(name);
