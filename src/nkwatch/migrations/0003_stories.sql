-- Stories (posts that are versions of one another) and where each post's information comes from.
CREATE TABLE post_prints (
    post_id TEXT PRIMARY KEY REFERENCES posts(id),
    exact TEXT NOT NULL,            -- hash of the post's normalised words
    indexed INTEGER NOT NULL        -- 1 when its LSH bands are in story_bands (one per exact text)
);
CREATE INDEX post_prints_exact ON post_prints(exact);

CREATE TABLE story_bands (
    key INTEGER NOT NULL,           -- LSH band key (band number mixed in)
    post_id TEXT NOT NULL REFERENCES posts(id)
);
CREATE INDEX story_bands_key ON story_bands(key);

CREATE TABLE story_members (
    post_id TEXT PRIMARY KEY REFERENCES posts(id),
    story_id TEXT NOT NULL
);
CREATE INDEX story_members_story ON story_members(story_id);

CREATE TABLE story_links (
    post_a TEXT NOT NULL REFERENCES posts(id),
    post_b TEXT NOT NULL REFERENCES posts(id),
    kind TEXT NOT NULL,             -- same-text | near-copy | excerpt | re-post | retelling
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (post_a, post_b)
);
CREATE INDEX story_links_b ON story_links(post_b);

CREATE TABLE story_aliases (        -- ids a story had before a merge or an earlier version joined
    old_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
);

CREATE TABLE attributions (
    post_id TEXT NOT NULL REFERENCES posts(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (post_id, start, source)
);
