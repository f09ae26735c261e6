-- summitwatch store, schema version 6 (db.py migrates older files: see MIGRATIONS there).
-- The only SQL of the project lives in summitwatch/store/. Opens usefully in Datasette:
-- JSON columns hold arrays/objects; every table has a primary key; views give flat reading tables.
-- v6: the big columns (articles.blocks/figures/links, sources.raw, quarantine.raw) are zstd frames
-- made with dictionaries shipped in store/zdict/; only store/codec.py decodes them (README, Datasette).

CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT
);

-- One ingest run (a `summitwatch ingest` call).
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  inputs TEXT NOT NULL,            -- JSON list of PATH arguments
  summary TEXT                     -- JSON: counts by outcome
);

-- Every leaf record ever seen and stored (a file, archive member, feed item, WARC response).
-- Raw bytes are kept (zstd-compressed) so `reparse` needs no original files.
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY,         -- path relative to the PATH argument (+ #fragment)
  input TEXT NOT NULL,             -- the PATH argument it came from
  raw_hash TEXT NOT NULL,          -- sha256 of the raw bytes
  raw BLOB NOT NULL,               -- zstd-compressed raw bytes (v6: with the raw dictionary)
  size INTEGER NOT NULL,
  hint TEXT,
  meta TEXT,                       -- JSON object from the container (WARC URI, feed fields)
  format TEXT,
  article_id TEXT,                 -- NULL when quarantined
  parser_version TEXT,
  first_seen_run INTEGER,
  last_seen_run INTEGER
);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article_id);
CREATE INDEX IF NOT EXISTS sources_hash ON sources(raw_hash);

-- Leaf records that could not become articles, with a reason a person can read.
CREATE TABLE IF NOT EXISTS quarantine (
  source TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  detail TEXT,
  run INTEGER,
  -- v2: so a re-run skips an unchanged quarantined record and `reparse` can retry it
  input TEXT,                      -- the PATH argument it came from
  raw_hash TEXT,                   -- sha256 of the raw bytes (NULL when never read: unsafe path, too large)
  raw BLOB,                        -- zstd-compressed raw bytes (NULL when never read)
  size INTEGER,
  hint TEXT,
  meta TEXT,
  parser_version TEXT
);
CREATE INDEX IF NOT EXISTS quarantine_reason ON quarantine(reason);

-- Distinct canonical articles. A byte-identical copy at another path is one article, two sources.
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  source TEXT NOT NULL,            -- first source that yielded it
  format TEXT,
  outlet TEXT,
  outlet_en TEXT,
  url TEXT,
  original_url TEXT,
  archived_url TEXT,
  archived_at TEXT,
  site_article_no TEXT,
  title TEXT,
  author TEXT,
  published TEXT,                  -- ISO 8601 with offset
  published_day TEXT,              -- YYYY-MM-DD in the outlet's frame (for filters/indexes)
  published_alt TEXT,
  category TEXT,
  tags TEXT,                       -- JSON list
  language TEXT,
  script TEXT,
  blocks BLOB NOT NULL,            -- v6: zstd(JSON list of {kind, text}), article dictionary
  figures BLOB,                    -- v6: zstd(JSON list of {src, caption, w | a}): w = Wayback stamp of src
  links BLOB,                      -- v6: zstd(JSON list of {text, url, w | a}): a = any other archived URL
  flags TEXT,                      -- JSON list
  duplicate_of TEXT,               -- id of the group's representative (near-duplicate), NULL if none
  updated_run INTEGER,
  title_key TEXT,                  -- v2: normalised title (near-duplicate candidate bucket)
  via TEXT                         -- v5: the mirror or archive the page came through (not its outlet)
);
CREATE INDEX IF NOT EXISTS articles_outlet_day ON articles(outlet, published_day);
CREATE INDEX IF NOT EXISTS articles_day ON articles(published_day);
CREATE INDEX IF NOT EXISTS articles_siteno ON articles(site_article_no);
-- v3: covering indexes, so reads of these narrow columns never walk the wide rows (blocks JSON
-- spills into overflow pages, and duplicate_of sits after it): copies by representative (search
-- with copies, duplicate groups, corpus counts), and the search index's incremental check.
CREATE INDEX IF NOT EXISTS articles_copies ON articles(duplicate_of, id, published_day, outlet, outlet_en);
CREATE INDEX IF NOT EXISTS articles_state ON articles(id, content_hash, duplicate_of, published_day, outlet, outlet_en);
CREATE INDEX IF NOT EXISTS articles_title_key ON articles(title_key);

-- Extraction output per article (replaced whole when an article is re-extracted).
CREATE TABLE IF NOT EXISTS extractions (
  article_id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,      -- article content it was computed from
  knowledge_hash TEXT NOT NULL,    -- data files it was computed with
  extractor_version TEXT NOT NULL,
  topics TEXT                      -- JSON list of topic ids
);

CREATE TABLE IF NOT EXISTS engagements (
  article_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  us TEXT NOT NULL,                -- JSON list of canonical names
  cn TEXT NOT NULL,
  modality TEXT NOT NULL,
  date TEXT,
  date_end TEXT,
  date_approx TEXT,
  date_precision TEXT,
  location TEXT,
  occasion TEXT,
  status TEXT NOT NULL,
  focus INTEGER NOT NULL,
  evidence TEXT NOT NULL,
  evidence_start INTEGER,
  evidence_end INTEGER,
  topics TEXT,                     -- JSON list
  PRIMARY KEY (article_id, seq)
);

CREATE TABLE IF NOT EXISTS quotes (
  article_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  speaker TEXT NOT NULL,
  side TEXT NOT NULL,
  text TEXT NOT NULL,
  reported INTEGER NOT NULL,
  start INTEGER,
  "end" INTEGER,
  in_title INTEGER NOT NULL DEFAULT 0,  -- 1: start/end are offsets into the article's title, not its text
  PRIMARY KEY (article_id, seq)
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);

CREATE TABLE IF NOT EXISTS mentions (
  article_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  surface TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  side TEXT,
  office TEXT,
  PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;                   -- v3: rows kept in key order; no second copy of the key (~22 MB on the dev store)
-- v3: the people list and the person filters read only officials' mentions (a fifth of the rows):
-- a partial covering index, in name then article order, so counting per name needs no sort.
-- Queries use it when they say exactly `kind IN ('person', 'office')`.
CREATE INDEX IF NOT EXISTS mentions_people ON mentions(key, article_id, side, kind) WHERE kind IN ('person', 'office');

-- The merged timeline (rebuilt from engagements; ids are stable, derived from content).
CREATE TABLE IF NOT EXISTS timeline (
  id TEXT PRIMARY KEY,
  us TEXT NOT NULL,
  cn TEXT NOT NULL,
  modality TEXT NOT NULL,
  status TEXT NOT NULL,
  date TEXT,
  date_end TEXT,
  date_approx TEXT,
  date_precision TEXT,
  location TEXT,
  occasion TEXT,
  data TEXT,                       -- JSON: provenance, alternatives, history, coverage, topics, quotes, outlets
  -- v4: flags (timeline/flags.py, written by store/flags.py at every timeline write)
  single_source INTEGER,           -- 1 when every report belongs to one near-duplicate group
  disputed TEXT                    -- JSON list of {field, values: [{value, sources}]}
);
CREATE INDEX IF NOT EXISTS timeline_date ON timeline(date);

-- Which per-article records a timeline entry merges.
CREATE TABLE IF NOT EXISTS timeline_members (
  timeline_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (article_id, seq)
);
CREATE INDEX IF NOT EXISTS timeline_members_tl ON timeline_members(timeline_id);

-- curation (issue 6): analysts' corrections, kept apart from extracted data and re-applied after
-- every reparse, extract and timeline rebuild (summitwatch/curation/apply.py). Never rewritten by
-- the pipeline; `active` = 0 marks a withdrawn correction (kept for the record).
CREATE TABLE IF NOT EXISTS corrections (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,        -- global id: importing an export twice adds nothing
  created_at TEXT NOT NULL,        -- UTC ISO 8601
  user TEXT NOT NULL,              -- who (settings / --user)
  action TEXT NOT NULL,            -- confirm | reject | set | merge | split | attach | add
  target_kind TEXT NOT NULL,       -- entry | record | article
  target_id TEXT,                  -- timeline id, or article id of a record / added engagement
  target TEXT NOT NULL,            -- JSON: {"entry": id, "members": [...]} | {"record": {...}} | {"articles": [...]}
  payload TEXT NOT NULL,           -- JSON: field and value, entries merged, records split off, engagement added
  note TEXT,
  original TEXT,                   -- JSON: the extracted values the correction replaced
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS corrections_target ON corrections(target_id);
-- end curation
